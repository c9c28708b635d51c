"""The chapters' code reads as a reader would write it: short cells, Keras as Keras.

Issue 24 asked for code cells of one step each (at most about 30 lines; none over
:data:`LONGEST_CELL`) and for training written with Keras itself: ``keras.Sequential``,
``model.compile``, ``model.fit(..., verbose=0)``, ``model.evaluate``, ``model.predict``,
not wrappers that hide them.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

LONGEST_CELL = 40
"""Lines a code cell may hold, hidden plotting cells included."""

HIDDEN_KERAS = re.compile(r"\b(\w+_quietly|recurrent_model|training\.train)\(")
"""Calls of the wrappers the chapters used to train through, which rnn_utils no longer has."""


def _code_cells(path: Path) -> list[nbformat.NotebookNode]:
    notebook = nbformat.read(path, as_version=4)
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_is_long(path):
    long_cells = {
        cell.id: len(cell.source.splitlines())
        for cell in _code_cells(path)
        if len(cell.source.splitlines()) > LONGEST_CELL
    }
    assert not long_cells, f"cells over {LONGEST_CELL} lines (id: lines): {long_cells}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_models_are_trained_with_keras_itself(path):
    hidden = {
        cell.id: sorted(set(HIDDEN_KERAS.findall(cell.source)))
        for cell in _code_cells(path)
        if HIDDEN_KERAS.search(cell.source)
    }
    assert not hidden, f"cells that train through a wrapper (id: calls): {hidden}"


NOT_KERAS = re.compile(r"(LogisticRegression\([^)]*\)|\brule)$")
"""Receivers of ``fit``/``predict`` in the chapters that are not Keras models: scikit-learn's
logistic regression and chapter 3's :class:`rnn_utils.baselines.ThresholdRule`."""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_keras_runs_quietly_where_it_would_print(path):
    """``fit``, ``evaluate`` and ``predict`` print progress bars unless told not to."""
    call = re.compile(r"\.(fit|evaluate|predict)\(")
    loud = []
    for cell in _code_cells(path):
        for match in call.finditer(cell.source):
            if NOT_KERAS.search(cell.source[: match.start()]):
                continue
            depth, end = 0, match.end() - 1
            for end in range(match.end() - 1, len(cell.source)):
                depth += {"(": 1, ")": -1}.get(cell.source[end], 0)
                if depth == 0:
                    break
            if "verbose=0" not in cell.source[match.start() : end]:
                loud.append((cell.id, match.group(1)))
    assert not loud, f"calls without verbose=0 (cell id, method): {loud}"
