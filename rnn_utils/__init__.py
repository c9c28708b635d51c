"""Helpers shared by the notebooks of the RNN book.

Start every notebook with::

    import rnn_utils

    env = rnn_utils.setup()  # seeds, determinism, quiet logs, plot style; prints one line
    import keras

Importing this package does not import Keras or TensorFlow; :func:`setup` does, with the
backend's native log lines silenced. The modules:

- :mod:`rnn_utils.autodiff` — gradients through the Keras backend (TensorFlow, JAX, torch);
- :mod:`rnn_utils.bptt` — backpropagation through time by hand, in NumPy;
- :mod:`rnn_utils.gradients` — how gradients decay or grow back through time;
- :mod:`rnn_utils.environment` — :func:`setup` and the seed (``RNN_BOOK_SEED``);
- :mod:`rnn_utils.backend` — the little that depends on the Keras backend;
- :mod:`rnn_utils.baselines` — majority class and best look-up-table accuracies;
- :mod:`rnn_utils.data` — seeded generators of the synthetic data sets;
- :mod:`rnn_utils.reference` — NumPy reference cells in Keras' weight layout;
- :mod:`rnn_utils.sequences` — data for the sequence-shape chapter (waves, tagging, seq2seq);
- :mod:`rnn_utils.tasks` — long-memory benchmarks: the adding problem, temporal order;
- :mod:`rnn_utils.training` — quiet fit / evaluate / predict;
- :mod:`rnn_utils.plots` — the book's plot style and shared figures;
- :mod:`rnn_utils.publish` — :func:`glue`, which hands measured numbers to the prose;
- :mod:`rnn_utils.sweeps` — the seed sweep's record: at which seeds the asserts held.
"""

from rnn_utils import (
    autodiff,
    baselines,
    bptt,
    cells,
    data,
    forecasting,
    gradient_checks,
    gradients,
    numpy_training,
    plots,
    publish,
    remedies,
    sequences,
    sweeps,
    tasks,
    text,
    training,
    unrolled,
)
from rnn_utils.environment import BookEnvironment, book_seed, setup
from rnn_utils.publish import glue

__all__ = [
    "BookEnvironment",
    "autodiff",
    "baselines",
    "book_seed",
    "bptt",
    "cells",
    "data",
    "forecasting",
    "glue",
    "gradient_checks",
    "gradients",
    "numpy_training",
    "plots",
    "publish",
    "remedies",
    "sequences",
    "setup",
    "sweeps",
    "tasks",
    "text",
    "training",
    "unrolled",
]
__version__ = "0.1.0"
