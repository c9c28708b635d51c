"""Shared fixtures for the unit tests of :mod:`rnn_utils`.

Matplotlib is switched to the non-interactive Agg backend before anything imports it, and
:func:`rnn_utils.setup` runs once per session before any test touches Keras, so that
TensorFlow is imported the way the notebooks import it (quiet, seeded, deterministic).
Tests that need Keras take the ``keras`` fixture instead of importing it at module level.
"""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import rnn_utils


@pytest.fixture(scope="session")
def book_environment():
    """The environment that :func:`rnn_utils.setup` configured for the whole session."""
    return rnn_utils.setup(verbose=False)


@pytest.fixture(scope="session")
def keras(book_environment):
    """The ``keras`` module, imported only after :func:`rnn_utils.setup` has run."""
    import keras

    return keras


@pytest.fixture
def rng():
    """A fresh, fixed-seed NumPy generator for test inputs."""
    return np.random.default_rng(1234)


@pytest.fixture
def close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    plt.close("all")
