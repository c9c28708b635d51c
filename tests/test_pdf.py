"""The whole book as one PDF (``make pdf``): it builds, every reference resolves, and its
chapters, figures and glued numbers are those of the site.

The build needs XeLaTeX and latexmk from Debian's TeX Live (``.ci/run`` installs them);
without them the test is skipped with a one-line reason.
"""

import re
import shutil
from pathlib import Path

import pytest
from conftest import build_book

ROOT = Path(__file__).resolve().parents[1]
PDF_NAME = "rnn-book.pdf"  # _config.yml: latex_documents.targetname, as .pdf
CHAPTERS = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def built_pdf(tmp_path_factory):
    """Build the PDF once, warnings as errors; return (its path, the LaTeX log's text)."""
    missing = [tool for tool in ("xelatex", "latexmk") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"no {' or '.join(missing)}: .ci/run installs Debian's TeX Live")
    latex = (
        build_book(
            tmp_path_factory.mktemp("pdf"), "--builder", "pdflatex", timeout=1200
        )
        / "latex"
    )
    log = latex / PDF_NAME.replace(".pdf", ".log")
    return latex / PDF_NAME, log.read_text(errors="replace")


@pytest.fixture(scope="module")
def pdf_pages(built_pdf):
    from pypdf import PdfReader

    path, _ = built_pdf
    return [page.extract_text() or "" for page in PdfReader(path).pages]


@pytest.mark.slow
def test_every_reference_and_citation_resolves(built_pdf, pdf_pages):
    _, log = built_pdf
    undefined = re.findall(r"(?:Reference|Citation) `[^']*' on page \d+ undefined", log)
    assert not undefined, undefined[:10]
    assert "There were undefined references" not in log
    unresolved = [number for number, text in enumerate(pdf_pages, 1) if "??" in text]
    assert not unresolved, f"'??' on pages {unresolved[:10]}"


def _chapter_title(stem: str) -> str:
    import json

    cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())["cells"]
    for cell in cells:
        for line in "".join(cell["source"]).splitlines():
            if cell["cell_type"] == "markdown" and line.startswith("# "):
                return line[2:].strip()
    raise AssertionError(f"{stem} has no title")


@pytest.mark.slow
def test_the_book_is_whole(pdf_pages):
    """Every chapter is in it, numbered as on the site (the unnumbered parts "Getting
    started" and "Reference" do not move the count), with its figures numbered N.1, ..."""
    assert 150 <= len(pdf_pages) <= 600, f"{len(pdf_pages)} pages"
    text = "\n".join(pdf_pages)
    squeezed = re.sub(r"\s+", "", text)
    for stem in CHAPTERS:
        number = int(stem[:2])
        title = re.sub(r"\s+", "", _chapter_title(stem))
        assert f"{number}{title}" in squeezed, (
            f"chapter {number} ({title}) not numbered"
        )
        assert re.search(rf"Fig\.\s*{number}\.1:", text), f"no Fig. {number}.1"
    assert "Traceback" not in text, "an error traceback was typeset"


@pytest.mark.slow
def test_the_landing_page_links_to_the_pdf(built_book):
    """`make pdf` copies the PDF next to the site's pages; the landing page points there."""
    landing = (built_book / "book" / "intro.html").read_text()
    assert f'href="../{PDF_NAME}"' in landing
    makefile = (ROOT / "Makefile").read_text()
    assert f"_build/html/{PDF_NAME}" in makefile
