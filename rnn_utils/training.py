"""What Keras' ``fit`` does not record: every batch's loss, and the epoch a threshold fell.

The chapters build, compile and train their models with Keras itself (``keras.Sequential``,
``model.compile``, ``model.fit(..., verbose=0)``); this module holds only the two pieces of
bookkeeping Keras has no switch for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rnn_utils import _checks

SOLVED_MSE = 0.05
"""Validation MSE below which chapter 6 counts the adding problem as solved.

It is under a third of the trivial baseline 1/6 and well under 1/12, the MSE of a network
that knows only one of the two marked values."""


def epochs_to_threshold(values: Sequence[float], threshold: float) -> int | None:
    """The first epoch (1-based) whose value is below ``threshold``, or ``None`` if none is.

    Non-finite values (a run that diverged) never count as below.
    """
    threshold = _checks.positive_float("threshold", threshold)
    if isinstance(values, (str, bytes)) or not isinstance(
        values, (Sequence, np.ndarray)
    ):
        raise ValueError(f"values must be a sequence of numbers, got {values!r}")
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"values must be a sequence of numbers, got {values!r}"
        ) from None
    if values.ndim != 1:
        raise ValueError(f"values must be a 1-D sequence, got shape {values.shape}")
    below = np.flatnonzero(np.isfinite(values) & (values < threshold))
    return int(below[0]) + 1 if below.size else None


def per_step_losses(
    model: Any,
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    steps: int,
    batch_size: int = 32,
    seed: int = 0,
) -> np.ndarray:
    """Train ``steps`` batches with ``train_on_batch`` and return each batch's loss.

    Batches are drawn without replacement from a seeded permutation, reshuffled each pass.
    A non-finite loss stops training there (no later loss is measured); the remaining
    entries are ``nan``.

    Args:
        model: a compiled Keras model.
        inputs: ``(batch, time, features)``.
        targets: ``(batch, outputs)``.
        steps: number of updates, >= 1.
        batch_size: examples per update, between 1 and ``len(inputs)``.
        seed: seed of the batch order.

    Returns:
        ``(steps,)`` float64, the loss of each batch before its update.
    """
    if not callable(getattr(model, "train_on_batch", None)):
        raise TypeError(
            f"model must be a compiled Keras model, got {type(model).__name__}"
        )
    inputs = _checks.array("inputs", inputs, 3)
    targets = _checks.array("targets", targets, np.ndim(targets))
    output = getattr(model, "output_shape", None)  # (None, ...) for a built model
    if isinstance(output, tuple) and (
        len(output) != targets.ndim
        or any(w not in (None, g) for w, g in zip(output, targets.shape, strict=True))
    ):
        raise ValueError(
            f"targets must match the model's output {output}, got shape {targets.shape}"
        )
    if len(targets) != len(inputs):
        raise ValueError(
            f"inputs and targets must have the same batch size, got {len(inputs)} and "
            f"{len(targets)}"
        )
    steps = _checks.positive_int("steps", steps)
    batch_size = _checks.positive_int("batch_size", batch_size)
    if batch_size > len(inputs):
        raise ValueError(f"batch_size must be at most {len(inputs)}, got {batch_size}")
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    per_pass = len(inputs) // batch_size
    losses = np.full(steps, np.nan)
    order = rng.permutation(len(inputs))
    for step in range(steps):
        position = step % per_pass
        if position == 0 and step > 0:
            order = rng.permutation(len(inputs))
        rows = order[position * batch_size : (position + 1) * batch_size]
        loss = float(np.asarray(model.train_on_batch(inputs[rows], targets[rows])))
        losses[step] = loss
        if not np.isfinite(loss):
            break
    return losses
