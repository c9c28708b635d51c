"""The package stays small and current: its map is its ``__init__``, each module one purpose."""

import importlib
from pathlib import Path

import pytest

import rnn_utils

PACKAGE = Path(rnn_utils.__file__).parent
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_"))
LARGEST_MODULE = 450  # lines; a module that outgrows this has more than one purpose


def test_every_module_is_an_attribute_of_the_package():
    # backend and linear_rnn import Keras, which `import rnn_utils` must not do;
    # setup() imports it.
    expected = [name for name in MODULES if name not in ("backend", "linear_rnn")]
    assert sorted(set(expected) - set(rnn_utils.__all__)) == []
    for name in expected:
        assert getattr(rnn_utils, name) is importlib.import_module(f"rnn_utils.{name}")


@pytest.mark.parametrize("name", MODULES)
def test_module_is_small_and_says_its_purpose_in_one_sentence(name):
    path = PACKAGE / f"{name}.py"
    assert len(path.read_text().splitlines()) <= LARGEST_MODULE, (
        f"{name}.py has grown too long"
    )
    docstring = importlib.import_module(f"rnn_utils.{name}").__doc__
    assert docstring, f"rnn_utils.{name} has no docstring"
    first_line = docstring.strip().splitlines()[0]
    assert first_line.endswith("."), f"rnn_utils.{name}: first line is not one sentence"
