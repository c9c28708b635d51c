"""Write the code the chapters teach into the package, from the chapters' own cells.

    python scripts/taught_code.py           # (re)write rnn_utils/taught/*.py  (make taught)
    python scripts/taught_code.py --check   # exit 1 if one of them is not current (make test)

A code cell whose metadata holds ``rnn_book.export = "<module>"`` is teaching code that the
rest of the book reuses: the cell's definitions go, verbatim and in the book's order, into
``rnn_utils/taught/<module>.py``, under a header that names the notebook and the cell to edit.
The imports the cells need are gathered at the top: a cell's own import lines, and for every
other name a cell reads, the import that binds it elsewhere in its notebook (``np`` from
``import numpy as np``). A name that is neither defined by an exported cell nor imported by
the notebook is an error. The library module of the same name (``rnn_utils/<module>.py``)
imports the taught definitions at its end and wraps them where it needs to; nothing is kept
in two places by hand.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TAUGHT = ROOT / "rnn_utils" / "taught"
INIT_DOC = '''"""Code taught in the chapters, generated from their cells by ``make taught``.

Each module here is written by ``scripts/taught_code.py`` from the notebook cells marked
``rnn_book.export``; edit the cell, not the file. Import these names from the library
modules of the same name (``rnn_utils.cells``, ``rnn_utils.bptt``, ...), which load them.
"""
'''


@dataclass(frozen=True)
class ExportedCell:
    """One teaching cell: where it is, which module it feeds, and its parsed source."""

    notebook: str  # file name, e.g. "07_lstm.ipynb"
    cell_id: str
    module: str
    source: str
    tree: ast.Module


def _module_name(cell: nbformat.NotebookNode) -> str | None:
    module = cell.metadata.get("rnn_book", {}).get("export")
    if module is None:
        return None
    if not (isinstance(module, str) and module.isidentifier() and module.islower()):
        raise ValueError(f"rnn_book.export must be a module name, got {module!r}")
    return module


def exported_cells(notebooks: list[Path]) -> list[ExportedCell]:
    """Every cell marked ``rnn_book.export``, in the order of the notebooks and their cells."""
    found = []
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            module = _module_name(cell) if cell.cell_type == "code" else None
            if module is not None:
                found.append(
                    ExportedCell(
                        path.name, cell.id, module, cell.source, ast.parse(cell.source)
                    )
                )
    return found


def _imports_of(tree: ast.Module) -> dict[str, str]:
    """Name bound -> the import statement that binds it, for the top-level imports of a tree."""
    bound = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                line = f"import {alias.name}" + (
                    f" as {alias.asname}" if alias.asname else ""
                )
                bound[alias.asname or alias.name.split(".")[0]] = line
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                line = f"from {node.module} import {alias.name}" + (
                    f" as {alias.asname}" if alias.asname else ""
                )
                bound[alias.asname or alias.name] = line
    return bound


def _notebook_imports(path: Path) -> dict[str, str]:
    """Name -> import statement, over every parsable code cell of a notebook."""
    bound: dict[str, str] = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        try:
            bound.update(_imports_of(ast.parse(cell.source)))
        except SyntaxError:  # an IPython magic: no import the taught code needs
            continue
    return bound


def _free_names(tree: ast.Module) -> set[str]:
    """Names a cell reads that it does not bind itself (nor are Python's builtins)."""
    bound = set(_imports_of(tree))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
    read = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    return read - bound - set(dir(builtins))


def _body_without_imports(cell: ExportedCell) -> str:
    """The cell's source without its top-level import lines (they go to the file's top)."""
    lines = cell.source.splitlines()
    drop = set()
    for node in cell.tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            drop.update(range(node.lineno - 1, node.end_lineno))
    kept = [line for index, line in enumerate(lines) if index not in drop]
    return "\n".join(kept).strip("\n")


def render(module: str, cells: list[ExportedCell]) -> str:
    """The text of ``rnn_utils/taught/<module>.py`` for the cells that export to it."""
    defined = {
        node.name
        for cell in cells
        for node in cell.tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    }
    imports: set[str] = set()
    for cell in cells:
        own = _imports_of(cell.tree)
        imports.update(own.values())
        available = _notebook_imports(NOTEBOOKS / cell.notebook)
        for name in sorted(_free_names(cell.tree) - defined):
            if name not in available:
                raise ValueError(
                    f"{cell.notebook}, cell {cell.cell_id}: {name!r} is neither defined by "
                    f"a cell exported to {module!r} nor imported in the notebook"
                )
            imports.add(available[name])
    sources = sorted({cell.notebook for cell in cells})
    header = [
        f'"""The code of rnn_utils.{module} that the chapters teach, from their cells.',
        "",
        "Generated by scripts/taught_code.py (make taught) from the cells marked",
        f'rnn_book.export = "{module}" in:',
        "",
        *[f"- notebooks/{name}" for name in sources],
        "",
        "Do not edit this file: edit the cell named above each definition, then run",
        f"make taught. Import these names from rnn_utils.{module}, which loads this module.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    header += sorted(imports)  # ruff sorts and groups them below
    parts = ["\n".join(header)]
    for cell in cells:
        parts.append(
            f"# notebooks/{cell.notebook}, cell {cell.cell_id}\n\n"
            + _body_without_imports(cell)
        )
    return _ruff("\n\n\n".join(parts) + "\n", f"rnn_utils/taught/{module}.py")


def _ruff(text: str, filename: str) -> str:
    """The text as ruff leaves it: imports sorted and merged, then formatted."""
    ruff = str(Path(sys.executable).with_name("ruff"))
    for command in (["check", "--fix", "--select", "I", "--quiet"], ["format"]):
        text = subprocess.run(
            [ruff, *command, "--stdin-filename", filename, "-"],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    return text


def generated_files(notebooks: list[Path] | None = None) -> dict[Path, str]:
    """Each file of ``rnn_utils/taught`` -> the text it must hold."""
    cells = exported_cells(notebooks or sorted(NOTEBOOKS.glob("*.ipynb")))
    modules = sorted({cell.module for cell in cells})
    files = {TAUGHT / "__init__.py": INIT_DOC}
    for module in modules:
        files[TAUGHT / f"{module}.py"] = render(
            module, [cell for cell in cells if cell.module == module]
        )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report files that are not current"
    )
    args = parser.parse_args(argv)
    files = generated_files()
    stale = [
        path
        for path, text in files.items()
        if not path.exists() or path.read_text() != text
    ]
    extra = [path for path in TAUGHT.glob("*.py") if path not in files]
    for path in stale + extra:
        print(f"{'not current' if args.check else 'writing'}: {path.relative_to(ROOT)}")
    if args.check:
        if stale or extra:
            print("run `make taught` (python scripts/taught_code.py)")
        return 1 if (stale or extra) else 0
    TAUGHT.mkdir(exist_ok=True)
    for path in stale:
        path.write_text(files[path])
    for path in extra:
        path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
