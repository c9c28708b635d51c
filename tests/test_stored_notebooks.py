"""The stored notebooks are what their code produces, and every unchecked output says why.

nbval re-runs each notebook and compares the outputs that are exact on every machine. It
cannot compare what depends on the CPU's round-off, on training or on the clock, so such
cells carry the tag ``nbval-ignore-output`` and a reason in their metadata. These tests make
sure that the ignored outputs are not also stale: the code that produced the stored outputs
is the code in the notebook (a digest written by ``scripts/notebooks.py execute``), the cells
ran in order in one kernel, and no stored output is an error.
"""

from pathlib import Path

import nbformat
import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


SCRIPT = load_script("notebooks")
MARKS = load_script("mark_outputs")  # the reasons an output may go uncompared
IGNORE_REASONS = MARKS.REASONS
IGNORE_TAG = MARKS.TAG


def _code_cells(path: Path) -> list[nbformat.NotebookNode]:
    notebook = nbformat.read(path, as_version=4)
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_come_from_the_current_code(path):
    notebook = nbformat.read(path, as_version=4)
    recorded = notebook.metadata.get("rnn_book", {}).get("source_sha256")
    assert recorded == SCRIPT.source_digest(notebook), (
        f"{path.name}: a code cell changed after the notebook was executed; "
        f"run `make execute` (or scripts/notebooks.py execute {path.relative_to(ROOT)})"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_ran_in_order_in_one_kernel(path):
    counts = [cell.execution_count for cell in _code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stored_output_is_an_error(path):
    for index, cell in enumerate(_code_cells(path)):
        kinds = [output.output_type for output in cell.outputs]
        assert "error" not in kinds, f"{path.name}: code cell {index} stored an error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_ignored_output_gives_its_reason(path):
    for index, cell in enumerate(_code_cells(path)):
        tagged = IGNORE_TAG in cell.metadata.get("tags", [])
        reason = cell.metadata.get("rnn_book", {}).get("ignore_output")
        if tagged:
            assert reason in IGNORE_REASONS, (
                f"{path.name}: code cell {index} is tagged {IGNORE_TAG} without a reason in "
                f"metadata rnn_book.ignore_output (one of {sorted(IGNORE_REASONS)})"
            )
        else:
            assert reason is None, (
                f"{path.name}: code cell {index} has a reason but no tag"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_with_unchecked_results_still_assert(path):
    """A trained or round-off result is not compared by nbval, so an assert checks it: in the
    same cell or in one of the next two code cells (a table, a figure, then the asserts)."""
    cells = _code_cells(path)
    for index, cell in enumerate(cells):
        reason = cell.metadata.get("rnn_book", {}).get("ignore_output")
        if reason in {"trained", "round-off"}:
            nearby = cell.source + "".join(
                c.source for c in cells[index + 1 : index + 3]
            )
            assert "assert " in nearby, (
                f"{path.name}: code cell {index} ({reason}) is not compared and asserts nothing"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_has_one_seed_record_cell(path):
    notebook = nbformat.read(path, as_version=4)
    cells = [c for c in notebook.cells if SCRIPT.is_seed_record_cell(c)]
    assert len(cells) == 1, (
        f"{path.name}: {len(cells)} cells marked rnn_book.seed_record"
    )
    assert cells[0].source.startswith(SCRIPT.SWEEP_CELL_START)


def test_marks_are_set_and_cleared_on_the_cell(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("y"),
    ]
    notebook.cells[1].metadata["tags"] = ["hide-input"]
    path = tmp_path / "chapter.ipynb"
    nbformat.write(notebook, path)
    cell_id = notebook.cells[1].id
    assert MARKS.main([str(path), cell_id, "trained"]) == 0
    cell = nbformat.read(path, as_version=4).cells[1]
    assert cell.metadata["tags"] == ["hide-input", IGNORE_TAG]
    assert MARKS.reason(cell) == "trained"
    assert MARKS.main([str(path), cell_id, "--clear"]) == 0
    cell = nbformat.read(path, as_version=4).cells[1]
    assert cell.metadata["tags"] == ["hide-input"] and MARKS.reason(cell) is None
    assert "rnn_book" not in cell.metadata
    with pytest.raises(ValueError, match="reason"):
        MARKS.set_mark(cell, "flaky")
    with pytest.raises(SystemExit):
        MARKS.main([str(path), "no-such-id", "trained"])


def test_a_sweep_counts_errors_and_stderr_but_not_stdout():
    """``scripts/notebooks.py seeds`` fails a run on an error or on any line on stderr."""
    failing = nbformat.v4.new_code_cell("x = 1\nassert x == 2")
    failing.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="",
            traceback=["Cell In[3], line 2", "\x1b[0;32m----> 2\x1b[0m assert x == 2"],
        )
    ]
    warning = nbformat.v4.new_code_cell("import warnings")
    warning.outputs = [
        nbformat.v4.new_output(
            "stream", name="stderr", text="\nUserWarning: float64\n"
        ),
        nbformat.v4.new_output("stream", name="stdout", text="a result\n"),
    ]
    quiet = nbformat.v4.new_code_cell("print('a result')")
    quiet.outputs = [nbformat.v4.new_output("stream", name="stdout", text="a result\n")]
    notebook = nbformat.v4.new_notebook(cells=[failing, warning, quiet])
    assert SCRIPT.cell_failures(notebook) == [
        "cell 0: assert x == 2 (AssertionError)",
        "cell 1: stderr: UserWarning: float64",
    ]


def _notebook_with_record_cell(tmp_path: Path, *other: str) -> Path:
    record = nbformat.v4.new_code_cell("print('recorded', 1 + 1)")
    record.metadata["rnn_book"] = {"seed_record": True}
    record.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale\n")]
    cells = [nbformat.v4.new_code_cell(source) for source in other] + [record]
    path = tmp_path / "01_x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_record_mode_reruns_the_seed_record_cell_alone(tmp_path):
    """``scripts/notebooks.py record`` replaces that cell's outputs and leaves the rest."""
    path = _notebook_with_record_cell(tmp_path, "raise RuntimeError('never run')")
    assert SCRIPT.main(["record", str(path)]) == 0
    cells = nbformat.read(path, as_version=4).cells
    assert [o.get("text") for o in cells[1].outputs] == ["recorded 2\n"]
    assert cells[0].outputs == []  # the other cell did not run


def test_record_mode_refuses_a_notebook_where_another_cell_reads_the_record(tmp_path):
    path = _notebook_with_record_cell(tmp_path, "rnn_utils.sweeps.record('01_x')")
    with pytest.raises(ValueError, match=r"cells \[0\] read the record too"):
        SCRIPT.refresh_record_cell(path)
    assert SCRIPT.main(["record", str(path)]) == 2
