"""Helpers shared by the notebooks of the RNN book.

Start every notebook with::

    import rnn_utils

    env = rnn_utils.setup()  # seeds, determinism, quiet logs, plot style; prints one line
    import keras

Importing this package does not import Keras or TensorFlow; :func:`setup` does, with the
backend's native log lines silenced. Every module has one purpose:

- the code the chapters teach, generated from the chapters' own cells into
  :mod:`rnn_utils.taught` (``make taught``; never edited by hand) and loaded by:
  :mod:`~rnn_utils.cells` (the SimpleRNN, LSTM and GRU cells, chapters 2, 7, 8),
  :mod:`~rnn_utils.bptt` (backpropagation through time, chapter 4), and one function or
  three in :mod:`~rnn_utils.baselines` (the Bayes filter, chapter 3) and
  :mod:`~rnn_utils.remedies` (the clipping rules, chapter 6), and
  :mod:`~rnn_utils.linear_rnn` (a linear recurrence by loop and by scan, and the minimal
  GRU, chapter 11);
- data and tasks: :mod:`~rnn_utils.data` (chapters 1-2), :mod:`~rnn_utils.sequences`
  (chapter 3), :mod:`~rnn_utils.tasks` (long-memory tasks, chapters 4-8 and 11),
  :mod:`~rnn_utils.forecasting` (chapters 3 and 9), :mod:`~rnn_utils.text` (chapter 9);
- what a model must beat: :mod:`~rnn_utils.baselines`, :mod:`~rnn_utils.ngrams`;
- training: :mod:`~rnn_utils.training` (Keras: build, fit, evaluate, quietly),
  :mod:`~rnn_utils.numpy_training` (chapter 4's NumPy model), :mod:`~rnn_utils.remedies`
  (chapter 6);
- gradients: :mod:`~rnn_utils.gradients` (how they travel back in time),
  :mod:`~rnn_utils.autodiff` (through any Keras backend), :mod:`~rnn_utils.gradient_checks`
  (finite differences), :mod:`~rnn_utils.unrolled` (a recurrence as a deep network);
- cost and hardware (chapter 10): :mod:`~rnn_utils.timing`, :mod:`~rnn_utils.cudnn`,
  :mod:`~rnn_utils.records` (the GPU timing record);
- the book itself: :mod:`~rnn_utils.environment` (:func:`setup`),
  :mod:`~rnn_utils.native_logs` (the backend's start-up lines filtered out),
  :mod:`~rnn_utils.backend`, :mod:`~rnn_utils.plots`, :mod:`~rnn_utils.publish`
  (:func:`glue`), :mod:`~rnn_utils.sweeps` (reads the seed sweep's record).

The records the chapters read ship as package data (``rnn_utils/recorded``). The tooling
that writes them, runs the sweeps and marks stored outputs is the repository's
``scripts/``, not part of this package.

All of them but :mod:`~rnn_utils.backend` and :mod:`~rnn_utils.linear_rnn` (which import
Keras) are attributes of the package after ``import rnn_utils``; ``rnn_utils.setup`` is
:func:`rnn_utils.environment.setup`.
"""

from importlib import metadata as _metadata

from rnn_utils import (
    autodiff,
    baselines,
    bptt,
    cells,
    cudnn,
    data,
    environment,
    forecasting,
    gradient_checks,
    gradients,
    native_logs,
    ngrams,
    numpy_training,
    plots,
    publish,
    records,
    remedies,
    sequences,
    sweeps,
    tasks,
    text,
    timing,
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
    "cudnn",
    "data",
    "environment",
    "forecasting",
    "glue",
    "gradient_checks",
    "gradients",
    "native_logs",
    "ngrams",
    "numpy_training",
    "plots",
    "publish",
    "records",
    "remedies",
    "sequences",
    "setup",
    "sweeps",
    "tasks",
    "text",
    "timing",
    "training",
    "unrolled",
]
try:
    __version__ = _metadata.version("rnn_utils")
except _metadata.PackageNotFoundError:  # imported from a checkout without installing it
    __version__ = "unknown"
