"""Write the book's one address and version into every chapter's install cell and _config.yml.

    python scripts/install_cell.py           # rewrite them from pyproject.toml
    python scripts/install_cell.py --check   # change nothing; exit 1 if one is out of date

The repository's address and the version live in ``pyproject.toml`` (``[project.urls]
Repository`` and ``[project] version``). A notebook opened outside the repository (on Colab,
on Binder, downloaded alone) has only its own cells, so its first cell carries both, written
here; the site's buttons read the address from ``_config.yml`` (``repository.url``), rewritten here
too. ``tests/test_launch.py`` checks that every notebook and ``_config.yml`` agree with
``pyproject.toml``. The cell is folded in the book (``hide-input``), does nothing where
``rnn_utils`` is installed, and otherwise installs it with pip and prints one line. The
next cell, shown, imports ``rnn_utils`` and calls ``setup()``.
``RNN_BOOK_INSTALL`` points it at another source: a wheel, a folder, another git address.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
INSTALL_VARIABLE = "RNN_BOOK_INSTALL"
TAGS = ["hide-input"]
SETUP_LINE = "env = rnn_utils.setup()"


def book_address(pyproject: Path = ROOT / "pyproject.toml") -> tuple[str, str]:
    """(repository URL, version) from ``pyproject.toml``."""
    project = tomllib.loads(pyproject.read_text())["project"]
    return project["urls"]["Repository"], project["version"]


def install_cell_source(url: str, version: str) -> str:
    """The text of the first code cell of every chapter."""
    return "\n".join(
        [
            "# On Colab, Binder or a downloaded copy: install the book's helpers if missing.",
            f"# {INSTALL_VARIABLE}, if set, is what pip installs instead (a wheel, a folder).",
            "import importlib.util",
            "import os",
            "import subprocess",
            "import sys",
            "",
            'if importlib.util.find_spec("rnn_utils") is None:',
            f'    BOOK = "git+{url}@v{version}"',
            f'    source = os.environ.get("{INSTALL_VARIABLE}", '
            'f"rnn_utils[tensorflow] @ {BOOK}")',
            '    pip = [sys.executable, "-m", "pip", "install", "--quiet", source]',
            "    result = subprocess.run(pip, capture_output=True, text=True)",
            "    if result.returncode != 0:",
            '        raise RuntimeError(f"pip could not install {source}:\\n{result.stderr}")',
            "    importlib.invalidate_caches()",
            '    print(f"Installed rnn_utils from {source}")',
        ]
    )


def updated(notebook: nbformat.NotebookNode, source: str) -> bool:
    """Make the notebook's first code cell the install cell; True if anything changed.

    A first cell that still installs and calls ``setup()`` in one (the older layout) is split:
    the install cell, then a shown cell that starts with ``import rnn_utils`` and ``setup()``.
    """
    index, first = next(
        (i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"
    )
    if first.source == source and first.metadata.get("tags") == TAGS:
        return False
    if SETUP_LINE in first.source:  # the older layout: install and setup in one cell
        rest = first.source[first.source.index(SETUP_LINE) :]
        shown = nbformat.v4.new_code_cell(
            "import rnn_utils\n\n" + rest, outputs=first.outputs
        )
        shown.metadata = {k: v for k, v in first.metadata.items() if k != "tags"}
        notebook.cells.insert(index + 1, shown)
        first.outputs = []
    first.source = source
    first.metadata["tags"] = list(TAGS)
    return True


_CONFIG_URL = re.compile(r"^(  url: &repository_url )(\S+)$", re.MULTILINE)


def updated_config(text: str, url: str) -> str:
    """``_config.yml``'s text with ``repository.url`` set to ``url``."""
    if not _CONFIG_URL.search(text):
        raise ValueError("_config.yml has no line '  url: &repository_url ...'")
    return _CONFIG_URL.sub(lambda match: match.group(1) + url, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if stale"
    )
    args = parser.parse_args(argv)
    url, version = book_address()
    source = install_cell_source(url, version)
    stale = []
    config = ROOT / "_config.yml"
    if updated_config(config.read_text(), url) != config.read_text():
        stale.append(config.name)
        if not args.check:
            config.write_text(updated_config(config.read_text(), url))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        if updated(notebook, source):
            stale.append(path.name)
            if not args.check:
                nbformat.write(notebook, path)
    verb = "out of date" if args.check else "rewritten"
    print(f"{len(stale)} files {verb}" + (f": {', '.join(stale)}" if stale else ""))
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
