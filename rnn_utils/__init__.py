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
  :mod:`~rnn_utils.bptt` (backpropagation through time, chapter 4),
  :mod:`~rnn_utils.bayes_filter` (the exact filter and smoother, chapter 3),
  :mod:`~rnn_utils.clipping` (the clipping rules, chapter 6) and
  :mod:`~rnn_utils.linear_rnn` (a linear recurrence by loop and by scan, and the minimal
  GRU, chapter 12);
- data: :mod:`~rnn_utils.patients` (records and timelines, chapters 1-2),
  :mod:`~rnn_utils.shape_tasks` (one task per input-output shape, chapter 3),
  :mod:`~rnn_utils.memory_tasks` (long-memory tasks, chapters 4-8 and 11),
  :mod:`~rnn_utils.forecasting` (series and their baselines, chapters 3 and 9),
  :mod:`~rnn_utils.streams` (a long stream and its batch layouts, chapter 14),
  :mod:`~rnn_utils.text` (character text, chapters 1 and 9), and
  :mod:`~rnn_utils.preprocessing` (codes, one-hot vectors, windows, splits);
- what a model must beat: :mod:`~rnn_utils.baselines`, :mod:`~rnn_utils.ngrams`;
- models and training beyond what Keras ships: :mod:`~rnn_utils.layers` (the IRNN, a
  truncated-BPTT model, an LSTM forget-bias initialiser), :mod:`~rnn_utils.training`
  (per-batch losses, epochs to a threshold), :mod:`~rnn_utils.numpy_training` (chapter 4's
  NumPy model);
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
    bayes_filter,
    bptt,
    cells,
    clipping,
    cudnn,
    environment,
    forecasting,
    gradient_checks,
    gradients,
    layers,
    memory_tasks,
    native_logs,
    ngrams,
    numpy_training,
    patients,
    plots,
    preprocessing,
    publish,
    records,
    shape_tasks,
    streams,
    sweeps,
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
    "bayes_filter",
    "book_seed",
    "bptt",
    "cells",
    "clipping",
    "cudnn",
    "environment",
    "forecasting",
    "glue",
    "gradient_checks",
    "gradients",
    "layers",
    "memory_tasks",
    "native_logs",
    "ngrams",
    "numpy_training",
    "patients",
    "plots",
    "preprocessing",
    "publish",
    "records",
    "setup",
    "shape_tasks",
    "streams",
    "sweeps",
    "text",
    "timing",
    "training",
    "unrolled",
]
try:
    __version__ = _metadata.version("rnn_utils")
except _metadata.PackageNotFoundError:  # imported from a checkout without installing it
    __version__ = "unknown"
