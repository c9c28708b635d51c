"""The code a chapter teaches is the code the library runs.

A chapter writes each from-scratch piece in a cell the reader sees and runs, and checks it
in the next cell; a later chapter imports the same function from :mod:`rnn_utils`. This
test keeps the two copies identical, character for character, docstring included, so that
what the reader reads is what runs everywhere.
"""

import ast
import importlib
import inspect
import json
import textwrap
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# notebook stem -> the library functions (module.function) that the chapter defines.
CHAPTER_CODE = {
    "02_recurrent_networks": ["cells.simple_rnn_step", "cells.simple_rnn_forward"],
    "03_sequence_shapes": ["baselines.two_state_posterior"],
    "04_backpropagation_through_time": ["bptt.simple_rnn_backward"],
    "06_remedies": [
        "remedies.clip_by_norm",
        "remedies.clip_by_value",
        "remedies.clip_by_global_norm",
    ],
    "07_lstm": ["cells.lstm_step", "cells.lstm_forward"],
    "08_gru": ["cells.gru_step", "cells.gru_forward"],
    "11_beyond_lstm": [
        "linear_rnn.linear_recurrence_loop",
        "linear_rnn.combine",
        "linear_rnn.linear_recurrence_scan",
        "linear_rnn.MinGRU",
    ],
}

CASES = [(stem, name) for stem, names in CHAPTER_CODE.items() for name in names]


def _chapter_definitions(stem: str) -> dict[str, list[str]]:
    """Every top-level function or class the notebook's code cells define: name -> [source, ...]."""
    notebook = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text())
    found: dict[str, list[str]] = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        try:
            tree = ast.parse(source)
        except SyntaxError:  # IPython magics; no teaching code lives in such a cell
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.setdefault(node.name, []).append(
                    ast.get_source_segment(source, node)
                )
    return found


@pytest.mark.parametrize(
    ("stem", "qualified"), CASES, ids=[f"{s}:{n}" for s, n in CASES]
)
def test_chapter_defines_the_library_function_verbatim(stem, qualified, keras):
    # keras: rnn_utils.linear_rnn imports Keras, which must come after rnn_utils.setup()
    module_name, function_name = qualified.split(".")
    function = getattr(
        importlib.import_module(f"rnn_utils.{module_name}"), function_name
    )
    definitions = _chapter_definitions(stem).get(function_name, [])
    assert len(definitions) == 1, (
        f"{stem} must define {function_name} in exactly one code cell, found {len(definitions)}"
    )
    library = textwrap.dedent(inspect.getsource(function)).rstrip()
    assert definitions[0].rstrip() == library, (
        f"{stem}'s {function_name} differs from rnn_utils.{qualified}; edit both together"
    )
