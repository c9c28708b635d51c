"""The stored notebooks are what their code produces, and every unchecked output says why.

nbval re-runs each notebook and compares the outputs that are exact on every machine. It
cannot compare what depends on the CPU's round-off, on training or on the clock, so such
cells carry the tag ``nbval-ignore-output`` and a reason in their metadata. These tests make
sure that the ignored outputs are not also stale: the code that produced the stored outputs
is the code in the notebook (a digest written by ``scripts/notebooks.py execute``), the cells
ran in order in one kernel, and no stored output is an error.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IGNORE_TAG = "nbval-ignore-output"
IGNORE_REASONS = {
    "trained": "numbers from training, whose round-off differs between CPUs",
    "round-off": "differences at float round-off, which depend on the CPU and its kernels",
    "timing": "wall-clock times",
    "sample": "text sampled from a trained model",
    "figure": "a figure glued for another page, stored as PNG pixels that depend on fonts",
}


def _load_script(name: str):
    """Import ``scripts/<name>.py`` (the scripts folder is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _load_script("notebooks")


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


MARKS = _load_script("mark_outputs")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_ignored_outputs_are_exactly_those_listed_in_mark_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    assert not MARKS.apply_marks(notebook, path.stem), (
        f"{path.name}: its nbval-ignore-output marks differ from scripts/mark_outputs.py; "
        "run `python scripts/mark_outputs.py`"
    )


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
