"""The code a chapter teaches has one home: its cell. The package's copy is generated.

A cell marked ``rnn_book.export`` is written into ``rnn_utils/taught/`` by
``scripts/taught_code.py`` (``make taught``); these tests fail while a generated file is not
what the cells say, check that the library serves the very objects generated, and walk
through the change a maintainer makes: edit the LSTM cell of chapter 7, run one command.
"""

import ast
import importlib
import importlib.util
import inspect
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]


TAUGHT = load_script("taught_code")


def test_every_generated_file_is_current(capsys):
    assert TAUGHT.main(["--check"]) == 0, capsys.readouterr().out


def test_the_library_serves_the_generated_definitions(keras):
    """Each name is the generated object itself, or a wrapper that checks its arguments."""
    # keras: rnn_utils.linear_rnn imports Keras, which must come after rnn_utils.setup()
    cells = TAUGHT.exported_cells(sorted((ROOT / "notebooks").glob("*.ipynb")))
    assert {cell.module for cell in cells} >= {"cells", "bptt", "linear_rnn"}
    for cell in cells:
        library = importlib.import_module(f"rnn_utils.{cell.module}")
        taught = importlib.import_module(f"rnn_utils.taught.{cell.module}")
        for node in cell.tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                served = inspect.unwrap(getattr(library, node.name))  # or its check
                generated = getattr(taught, node.name)
                if inspect.isclass(served) and served is not generated:
                    served = (
                        served.__base__
                    )  # a subclass that checks __init__'s arguments
                assert served is generated, (
                    f"rnn_utils.{cell.module}.{node.name} is not the cell's"
                )


@pytest.fixture
def book_copy(tmp_path, monkeypatch):
    """The notebooks and the generated package in a scratch folder, the generator aimed there."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    shutil.copytree(ROOT / "rnn_utils" / "taught", tmp_path / "taught")
    monkeypatch.setattr(TAUGHT, "ROOT", tmp_path)
    monkeypatch.setattr(TAUGHT, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(TAUGHT, "TAUGHT", tmp_path / "taught")
    return tmp_path


def test_changing_the_lstm_cell_is_one_edit_and_one_command(book_copy):
    path = book_copy / "notebooks" / "07_lstm.ipynb"
    notebook = nbformat.read(path, as_version=4)
    (cell,) = [
        c for c in notebook.cells if c.metadata.get("rnn_book", {}).get("export")
    ]
    old = "c_t = f * c_prev + i * g"
    assert old in cell.source
    cell.source = cell.source.replace(old, "c_t = f * c_prev + i * g * 1.0")
    nbformat.write(notebook, path)
    assert TAUGHT.main(["--check"]) == 1  # make test fails: the package is stale
    assert TAUGHT.main([]) == 0  # make taught
    assert TAUGHT.main(["--check"]) == 0
    generated = (book_copy / "taught" / "cells.py").read_text()
    assert "c_t = f * c_prev + i * g * 1.0" in generated
    assert f"# notebooks/07_lstm.ipynb, cell {cell.id}" in generated


def test_a_name_the_notebook_does_not_import_is_an_error(book_copy):
    path = book_copy / "notebooks" / "06_remedies.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(
        "def doubled(x):\n    return undefined_helper(x) * 2"
    )
    cell.metadata["rnn_book"] = {"export": "remedies"}
    notebook.cells.append(cell)
    nbformat.write(notebook, path)
    with pytest.raises(ValueError, match="undefined_helper"):
        TAUGHT.generated_files()


def test_a_generated_file_no_cell_exports_is_removed(book_copy):
    stray = book_copy / "taught" / "nothing.py"
    stray.write_text("x = 1\n")
    assert TAUGHT.main(["--check"]) == 1
    assert TAUGHT.main([]) == 0
    assert not stray.exists()


def test_a_bad_module_name_is_refused(book_copy):
    path = book_copy / "notebooks" / "02_recurrent_networks.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = next(
        c for c in notebook.cells if c.metadata.get("rnn_book", {}).get("export")
    )
    cell.metadata["rnn_book"]["export"] = "Cells-2"
    nbformat.write(notebook, path)
    with pytest.raises(ValueError, match="module name"):
        TAUGHT.generated_files()
