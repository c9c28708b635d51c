"""Quiet training and evaluation: no progress bars in a stored notebook output."""

from __future__ import annotations

from typing import Any

import numpy as np

from rnn_utils import _checks


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
        x: inputs, first axis ``batch`` (e.g. ``(batch, time, features)``).
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
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same batch size, got {len(x)} and {len(y)}")
    if validation_data is not None and len(validation_data[0]) != len(validation_data[1]):
        raise ValueError("validation_data must be (x_val, y_val) with the same batch size")
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
    return {name: [float(v) for v in values] for name, values in history.history.items()}


def evaluate_quietly(model: Any, x: np.ndarray, y: np.ndarray, batch_size: int = 256) -> dict:
    """Evaluate a compiled Keras model silently; return ``{metric: value}``."""
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same batch size, got {len(x)} and {len(y)}")
    batch_size = _checks.positive_int("batch_size", batch_size)
    result = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    return {name: float(value) for name, value in result.items()}


def predict_quietly(model: Any, x: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """``model.predict`` without the progress bar, as a NumPy array."""
    batch_size = _checks.positive_int("batch_size", batch_size)
    return np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
