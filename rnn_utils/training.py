"""Build, train and evaluate Keras models quietly: no progress bars in a stored notebook."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rnn_utils import _checks


def _batch_size_of(name: str, arrays: Any) -> int:
    """The first-axis length of one array, or of every array in a list, tuple or dict.

    Models with several inputs (an encoder-decoder, say) take ``[x_a, x_b]`` or a dict;
    all of them must hold the same number of examples.
    """
    if isinstance(arrays, dict):
        arrays = list(arrays.values())
    if isinstance(arrays, (list, tuple)):
        if not arrays:
            raise ValueError(
                f"{name} must hold at least one array, got an empty {type(arrays).__name__}"
            )
        sizes = {len(a) for a in arrays}
        if len(sizes) != 1:
            raise ValueError(
                f"every array in {name} must have the same batch size, got {sorted(sizes)}"
            )
        return sizes.pop()
    return len(arrays)


def _check_same_batch(x: Any, y: Any, what: str = "x and y") -> None:
    x_size, y_size = _batch_size_of("x", x), _batch_size_of("y", y)
    if x_size != y_size:
        raise ValueError(
            f"{what} must have the same batch size, got {x_size} and {y_size}"
        )


def fit_quietly(
    model: Any,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int = 32,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    callbacks: list[Any] | None = None,
    shuffle: bool = True,
) -> dict[str, list[float]]:
    """Train a compiled Keras model with ``verbose=0`` and return its per-epoch metrics.

    Args:
        model: a compiled ``keras.Model``.
        x: inputs, first axis ``batch`` (e.g. ``(batch, time, features)``); a list or
            dict of such arrays for a model with several inputs.
        y: targets with the same first axis.
        epochs: passes over the data, >= 1.
        batch_size: examples per gradient step, >= 1.
        validation_data: optional ``(x_val, y_val)``.
        callbacks: optional Keras callbacks.
        shuffle: shuffle the examples each epoch.

    Returns:
        ``{metric: [value per epoch]}``, e.g. ``{"loss": [...], "val_loss": [...]}``.
    """
    epochs = _checks.positive_int("epochs", epochs)
    batch_size = _checks.positive_int("batch_size", batch_size)
    _check_same_batch(x, y)
    if validation_data is not None:
        if not isinstance(validation_data, tuple) or len(validation_data) != 2:
            raise ValueError("validation_data must be a tuple (x_val, y_val)")
        _check_same_batch(*validation_data, what="validation_data's x_val and y_val")
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation_data,
        callbacks=callbacks,
        shuffle=shuffle,
        verbose=0,
    )
    return {
        name: [float(v) for v in values] for name, values in history.history.items()
    }


def evaluate_quietly(
    model: Any, x: np.ndarray, y: np.ndarray, batch_size: int = 256
) -> dict:
    """Evaluate a compiled Keras model silently; return ``{metric: value}``.

    ``x`` may be one array ``(batch, ...)`` or a list / dict of them for a model with
    several inputs; ``y`` has the same first axis.
    """
    _check_same_batch(x, y)
    batch_size = _checks.positive_int("batch_size", batch_size)
    result = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    return {name: float(value) for name, value in result.items()}


def predict_quietly(model: Any, x: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """``model.predict`` without the progress bar, as a NumPy array."""
    batch_size = _checks.positive_int("batch_size", batch_size)
    return np.asarray(model.predict(x, batch_size=batch_size, verbose=0))


def recurrent_model(
    recurrent: Any,
    *,
    features: int,
    optimizer: Any,
    head: Any = None,
    loss: str = "mse",
    metrics: Sequence[str] = (),
    length: int | None = None,
    name: str | None = None,
) -> Any:
    """The book's standard model, compiled: ``Input -> recurrent layer(s) -> head``.

    Args:
        recurrent: a recurrent Keras layer, or a list of layers applied in order (a stack);
            the last one returns ``(batch, units)``, or ``(batch, time, units)`` with
            ``return_sequences=True`` for an output at every step.
        features: inputs per step; the model reads ``(batch, time, features)``.
        optimizer: a Keras optimizer instance (learning rate and clipping included).
        head: the layer on top; ``keras.layers.Dense(1)`` (a regression) by default.
        loss: the Keras loss, ``"mse"`` by default.
        metrics: extra Keras metrics to track, e.g. ``("accuracy",)``.
        length: the fixed number of steps, or ``None`` for any length.
        name: the model's name.

    Returns:
        A compiled ``keras.Sequential`` mapping ``(batch, time, features)`` to the head's
        output: ``(batch, 1)`` by default, ``(batch, time, 1)`` after a sequence.
    """
    import keras

    features = _checks.positive_int("features", features)
    if length is not None:
        length = _checks.positive_int("length", length)
    stack = list(recurrent) if isinstance(recurrent, (list, tuple)) else [recurrent]
    if not stack or not all(isinstance(layer, keras.layers.Layer) for layer in stack):
        raise ValueError(
            "recurrent must be a Keras layer or a non-empty list of Keras layers"
        )
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise ValueError(
            f"optimizer must be a Keras optimizer, got {type(optimizer).__name__}"
        )
    head = keras.layers.Dense(1) if head is None else head
    model = keras.Sequential([keras.Input((length, features)), *stack, head], name=name)
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    return model


@dataclass(frozen=True)
class TrainingRun:
    """What :func:`train` returns.

    Attributes:
        history: ``{metric: [value per epoch]}``; with validation data, ``val_*`` too.
        test: ``{metric: value}`` on the test pair after the last epoch.
        seconds_per_epoch: wall seconds of ``fit`` divided by the number of epochs.
    """

    history: dict[str, list[float]]
    test: dict[str, float]
    seconds_per_epoch: float


def train(
    model: Any,
    train_data: tuple[Any, Any],
    test_data: tuple[Any, Any],
    *,
    epochs: int,
    batch_size: int,
    validation_data: tuple[Any, Any] | None = None,
) -> TrainingRun:
    """Fit a compiled model quietly, time it, and evaluate it on held-out data.

    Args:
        model: a compiled ``keras.Model``.
        train_data: ``(inputs, targets)``, e.g. ``(batch, time, features)`` and ``(batch, 1)``.
        test_data: ``(inputs, targets)`` evaluated once, after training.
        epochs: passes over ``train_data``, >= 1.
        batch_size: examples per gradient step, >= 1.
        validation_data: ``(inputs, targets)`` scored after every epoch (``val_*`` in the
            history), or ``None``.

    Returns:
        A :class:`TrainingRun`.
    """
    for name, pair in (("train_data", train_data), ("test_data", test_data)):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ValueError(f"{name} must be a tuple (inputs, targets)")
    start = time.perf_counter()
    history = fit_quietly(
        model,
        *train_data,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation_data,
    )
    seconds = (time.perf_counter() - start) / epochs
    return TrainingRun(history, evaluate_quietly(model, *test_data), seconds)


SOLVED_MSE = 0.05
"""Validation MSE below which chapter 6 counts the adding problem as solved.

It is under a third of the trivial baseline 1/6 and well under 1/12, the MSE of a network
that knows only one of the two marked values."""


def epochs_to_threshold(values: Sequence[float], threshold: float) -> int | None:
    """The first epoch (1-based) whose value is below ``threshold``, or ``None`` if none is.

    Non-finite values (a run that diverged) never count as below.
    """
    threshold = _checks.positive_float("threshold", threshold)
    values = np.asarray(values, dtype=np.float64)
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
    A non-finite loss (the weights overflowed) stops training; the remaining entries are
    ``nan``.

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
    inputs = _checks.array("inputs", inputs, 3)
    targets = np.asarray(targets)
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
