"""In the PDF, chapters are numbered as on the site: only those of numbered parts.

The table of contents (``_toc.yml``) numbers the chapters of some parts ("Foundations" to
"After the LSTM") and not those of others ("Getting started", "Reference"). Sphinx's LaTeX
writer numbers every chapter of the book in one sequence, which would make chapter 1 of
the site chapter 3 of the PDF. Each chapter of an unnumbered part therefore starts with
``\\bookunnumbered`` (no number, and the chapter counter does not move) and each chapter of a
numbered part with ``\\booknumbered``; both are defined in the preamble here.
"""

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

PREAMBLE = r"""
% book/_ext/latex_parts.py: chapters numbered only in the parts the site numbers
\newcounter{booksecnumdepth}
\newcommand{\bookunnumbered}{%
  \ifnum\value{secnumdepth}>-1 \setcounter{booksecnumdepth}{\value{secnumdepth}}\fi
  \setcounter{secnumdepth}{-1}}
\newcommand{\booknumbered}{%
  \ifnum\value{secnumdepth}<0 \setcounter{secnumdepth}{\value{booksecnumdepth}}\fi}
"""


def _numbered_parts(app: Sphinx) -> dict[str, bool]:
    """Each chapter's document name -> whether its part of the table of contents is numbered."""
    site_map = getattr(app.env, "external_site_map", None)
    if site_map is None:
        return {}
    numbered = {}
    for part in site_map[site_map.root.docname].subtrees:
        for item in part.items:
            if isinstance(item, str):  # a document (sphinx-external-toc's FileItem)
                numbered[str(item)] = bool(part.numbered)
    return numbered


def _mark_chapters(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name != "latex":
        return
    numbered = _numbered_parts(app)
    for start in doctree.findall(addnodes.start_of_file):
        if start.get("docname") in numbered:
            command = (
                "\\booknumbered" if numbered[start["docname"]] else "\\bookunnumbered"
            )
            start.insert(0, nodes.raw("", command + "\n", format="latex"))


def _add_preamble(app: Sphinx, config) -> None:
    elements = config.latex_elements
    elements["preamble"] = elements.get("preamble", "") + PREAMBLE


def setup(app: Sphinx):
    app.connect("config-inited", _add_preamble)
    app.connect("doctree-resolved", _mark_chapters)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
