"""Put the seed-sweep cell before a chapter's summary (idempotent).

    python scripts/add_sweep_cell.py notebooks/11_new_chapter.ipynb

Run it after the chapter's first `make seeds`: the cell asserts that every recorded run of
the chapter passed, so it needs the chapter's rows in rnn_utils/recorded/seed_sweep.csv. A
sweep does not count this cell's own result: the cell carries ``rnn_book.seed_record`` in its
metadata (scripts/notebooks.py, is_seed_record_cell).
"""

import sys
from pathlib import Path

import nbformat

from notebooks import (  # scripts/notebooks.py, beside this file
    SWEEP_CELL_START,
    is_seed_record_cell,
)

ROOT = Path(__file__).resolve().parent.parent

paths = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
for path in paths:
    notebook = nbformat.read(path, as_version=4)
    if any(is_seed_record_cell(c) for c in notebook.cells):
        continue
    chapter = path.stem[:2]
    summary = [
        i
        for i, c in enumerate(notebook.cells)
        if c.cell_type == "markdown" and f"(ch{chapter}-summary)=" in c.source
    ]
    assert len(summary) == 1, path
    index = summary[0]
    label = f"(ch{chapter}-summary)="
    text = notebook.cells[index].source
    if not text.startswith(
        label
    ):  # split the cell: the sweep goes right before the summary
        before, after = text.split(label)
        notebook.cells[index].source = before.rstrip() + "\n"
        tail = nbformat.v4.new_markdown_cell(label + after)
        tail.metadata = {}
        notebook.cells.insert(index + 1, tail)
        index += 1
    cell = nbformat.v4.new_code_cell(
        f"{SWEEP_CELL_START}`make seeds`): the seeds at which every assert above held,\n"
        "# under each Keras backend.\n"
        f'sweep = rnn_utils.sweeps.record("{path.stem}")\n'
        'print("every assert of this chapter held at")\n'
        "for backend_summary in sweep.summaries:\n"
        '    print(f"  {backend_summary.describe()}")\n'
        f'rnn_utils.glue("ch{chapter}_sweep", sweep.describe())\n'
        "assert sweep.all_passed  # a recorded seed at which an assert failed fails the book"
    )
    cell.metadata = {"rnn_book": {"seed_record": True}, "tags": ["hide-input"]}
    notebook.cells.insert(index, cell)
    nbformat.write(notebook, path)
    print(f"{path.name}: sweep cell at {index}")
