"""The cells whose outputs nbval does not compare: their marks live on the cells themselves.

    python scripts/mark_outputs.py                          # list every mark, with its reason
    python scripts/mark_outputs.py NOTEBOOK CELL_ID REASON  # mark one cell
    python scripts/mark_outputs.py NOTEBOOK CELL_ID --clear # compare that cell again

A mark is the tag ``nbval-ignore-output`` and ``rnn_book.ignore_output = REASON`` in the
cell's metadata (a cell's id is in its metadata too: Jupyter shows both). Nothing finds a
cell by its text, so a renamed variable cannot move a mark. tests/test_stored_notebooks.py
checks that every tag has a reason from ``REASONS`` and that each such cell still asserts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TAG = "nbval-ignore-output"
REASONS = {
    "trained": "numbers from training, whose round-off differs between CPUs",
    "round-off": "differences at float round-off, which depend on the CPU and its kernels",
    "timing": "wall-clock times",
    "sample": "text sampled from a trained model",
    "figure": "a figure glued for another page, stored as PNG pixels that depend on fonts",
}


def reason(cell: nbformat.NotebookNode) -> str | None:
    """The reason a code cell's output is not compared, or ``None`` if it is compared."""
    return cell.metadata.get("rnn_book", {}).get("ignore_output")


def set_mark(cell: nbformat.NotebookNode, why: str | None) -> None:
    """Mark a code cell with reason ``why`` (one of ``REASONS``), or clear its mark (None)."""
    if why is not None and why not in REASONS:
        raise ValueError(f"reason must be one of {sorted(REASONS)}, got {why!r}")
    tags = [tag for tag in cell.metadata.get("tags", []) if tag != TAG]
    book = {
        k: v
        for k, v in cell.metadata.get("rnn_book", {}).items()
        if k != "ignore_output"
    }
    if why is not None:
        tags.append(TAG)
        book["ignore_output"] = why
    for key, value in (("tags", tags), ("rnn_book", book)):
        if value:
            cell.metadata[key] = value
        else:
            cell.metadata.pop(key, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", type=Path)
    parser.add_argument("cell_id", nargs="?")
    parser.add_argument("reason", nargs="?", choices=sorted(REASONS))
    parser.add_argument("--clear", action="store_true", help="remove the cell's mark")
    args = parser.parse_args(argv)
    if args.notebook is None:
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code" and reason(cell):
                    first = cell.source.strip().splitlines()[0][:60]
                    print(f"{path.stem}  {cell.id}  {reason(cell):<9}  {first}")
        return 0
    if args.cell_id is None or (args.reason is None) == (not args.clear):
        parser.error("give NOTEBOOK CELL_ID and either a REASON or --clear")
    notebook = nbformat.read(args.notebook, as_version=4)
    cells = [
        c for c in notebook.cells if c.cell_type == "code" and c.id == args.cell_id
    ]
    if len(cells) != 1:
        parser.error(f"{args.notebook} has no code cell with id {args.cell_id!r}")
    set_mark(cells[0], None if args.clear else args.reason)
    nbformat.write(notebook, args.notebook)
    return 0


if __name__ == "__main__":
    sys.exit(main())
