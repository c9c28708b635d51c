"""Shared fixtures for the unit tests of :mod:`rnn_utils`.

Matplotlib is switched to the non-interactive Agg backend before anything imports it, and
:func:`rnn_utils.setup` runs once per session before any test touches Keras, so that
TensorFlow is imported the way the notebooks import it (quiet, seeded, deterministic).
Tests that need Keras take the ``keras`` fixture instead of importing it at module level.
Tests of the NumPy BPTT (and of autodiff against it) draw their model and data from
:func:`random_bptt_problem`, through the ``bptt_problem`` fixture.
"""

import functools
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import rnn_utils
from rnn_utils import numpy_training

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load_script(name: str):
    """Import ``scripts/<name>.py`` as a module (the scripts folder is not a package)."""
    spec = importlib.util.spec_from_file_location(
        f"{name}_script", SCRIPTS / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = (
        module  # a dataclass in the script looks its module up there
    )
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def book_environment():
    """The environment that :func:`rnn_utils.setup` configured for the whole session."""
    return rnn_utils.setup(verbose=False)


@pytest.fixture(scope="session")
def keras(book_environment):
    """The ``keras`` module, imported only after :func:`rnn_utils.setup` has run."""
    import keras

    return keras


@pytest.fixture(scope="session")
def round_off(keras):
    """Relative tolerance of a float64 NumPy result against Keras in its most precise type.

    1e-10 under TensorFlow (float64 throughout), 1e-5 under JAX and PyTorch, where Keras
    rounds float64 to float32 (:func:`rnn_utils.autodiff.precise_dtype`).
    """
    from rnn_utils import autodiff

    return {"float64": 1e-10, "float32": 1e-5}[autodiff.precise_dtype()]


@pytest.fixture
def rng():
    """A fresh, fixed-seed NumPy generator for test inputs."""
    return np.random.default_rng(1234)


def random_bptt_problem(
    rng, batch=3, time=6, features=2, units=4, outputs=2, loss="squared_error"
):
    """Random float64 weights of :mod:`rnn_utils.bptt` (non-zero biases), inputs and targets.

    Targets are normal for ``loss="squared_error"`` and random bits otherwise. A plain
    function, so that a script run outside pytest can import it from ``tests.conftest``.

    Returns:
        ``(weights, inputs, targets)``: ``inputs`` ``(batch, time, features)``, ``targets``
        ``(batch, time, outputs)``.
    """
    weights = numpy_training.init_weights(
        features, units, outputs, seed=int(rng.integers(1000))
    )
    weights["bias"] = rng.normal(0, 0.2, units)
    weights["readout_bias"] = rng.normal(0, 0.2, outputs)
    inputs = rng.normal(size=(batch, time, features))
    if loss == "squared_error":
        targets = rng.normal(size=(batch, time, outputs))
    else:
        targets = rng.integers(0, 2, (batch, time, outputs)).astype(float)
    return weights, inputs, targets


@pytest.fixture
def bptt_problem(rng):
    """:func:`random_bptt_problem` drawing from the test's ``rng``: call it with the sizes."""
    return functools.partial(random_bptt_problem, rng)


@pytest.fixture
def close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    plt.close("all")


def build_book(output: Path, *options: str, timeout: int = 900) -> Path:
    """Build the whole book with Jupyter Book into ``output``, Sphinx's warnings as errors;
    ``options`` add to the command (``"--builder", "pdflatex"``). Returns ``output/_build``."""
    root = Path(__file__).resolve().parents[1]
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(root),
            *options,
            "--path-output",
            str(output),
            "--warningiserror",
            "--nitpick",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return output / "_build"


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the whole book once per session (warnings are errors); return its HTML folder."""
    return build_book(tmp_path_factory.mktemp("book")) / "html"
