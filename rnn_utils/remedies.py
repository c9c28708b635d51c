"""Remedies for vanishing and exploding gradients, measured on the adding problem (chapter 6).

- :func:`clip_by_norm`, :func:`clip_by_value` and :func:`clip_by_global_norm` are NumPy
  references of what Keras' ``clipnorm``, ``clipvalue`` and ``global_clipnorm`` do to a
  gradient, and :func:`cosine` measures whether a direction survived;
- :func:`irnn_layer` builds the IRNN of Le, Jaitly & Hinton (2015): a ReLU SimpleRNN whose
  recurrent matrix starts as the identity;
- :func:`truncated_adding_model` builds ``Input -> layer -> Dense(1)`` with the gradient cut
  ``window`` steps before the end (truncated BPTT for a loss at the last step);
- :func:`epochs_to_threshold` finds the first epoch whose validation MSE fell below
  :data:`SOLVED_MSE`;
- :func:`per_step_losses` trains batch by batch and keeps every batch's loss, to show spikes.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from rnn_utils import _checks
from rnn_utils.taught import remedies as taught

SOLVED_MSE = 0.05
"""Validation MSE below which chapter 6 counts the adding problem as solved.

It is under a third of the trivial baseline 1/6 and well under 1/12, the MSE of a network
that knows only one of the two marked values."""


# --------------------------------------------------------------------------- clipping


def _vector(name: str, value: object) -> np.ndarray:
    result = _checks.array(name, value, 1, dtype=np.float64)
    if result.size == 0:
        raise ValueError(f"{name} must hold at least one number")
    return result


def check_clipping(gradient: object, threshold: object) -> tuple[np.ndarray, float]:
    """Return a ``(n,)`` float64 gradient and a threshold > 0, or raise ``ValueError``."""
    return _vector("gradient", gradient), _checks.positive_float("threshold", threshold)


def check_global_clipping(
    gradients: object, threshold: object
) -> tuple[list[np.ndarray], float]:
    """Return a non-empty list of finite float64 arrays and a threshold > 0, or raise."""
    if (
        isinstance(gradients, np.ndarray)
        or not isinstance(gradients, Sequence)
        or not gradients
    ):
        raise ValueError("gradients must be a non-empty list of arrays")
    arrays = [np.asarray(g, dtype=np.float64) for g in gradients]
    for index, array in enumerate(arrays):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"gradients[{index}] must contain only finite numbers")
    return arrays, _checks.positive_float("threshold", threshold)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of the angle between two non-zero vectors ``(n,)``: 1 means same direction."""
    a, b = _vector("a", a), _vector("b", b)
    _checks.shape_matches("b", b, a.shape)
    norm_a, norm_b = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if norm_a == 0.0 or norm_b == 0.0:
        raise ValueError("a and b must be non-zero vectors")
    return float(np.dot(a, b) / (norm_a * norm_b))


# --------------------------------------------------------------------------- models


def irnn_layer(units: int, *, input_stddev: float = 1e-3, seed: int = 0) -> Any:
    """An IRNN (Le, Jaitly & Hinton 2015): ReLU SimpleRNN, identity recurrent matrix.

    ``h_t = relu(x_t W + h_{t-1} U + b)`` with ``U = I``, ``b = 0`` and ``W`` drawn from
    N(0, ``input_stddev``^2). At initialisation the state is simply accumulated, and the
    Jacobian ``dh_t/dh_{t-1}`` is the identity on the active units: it neither shrinks nor
    grows a gradient.

    Args:
        units: hidden units, >= 1.
        input_stddev: standard deviation of the input weights, > 0.
        seed: seed of the input weights' initialiser.

    Returns:
        A ``keras.layers.SimpleRNN`` mapping ``(batch, time, features)`` to ``(batch, units)``.
    """
    import keras

    units = _checks.positive_int("units", units)
    input_stddev = _checks.positive_float("input_stddev", input_stddev)
    seed = _checks.non_negative_int("seed", seed)
    return keras.layers.SimpleRNN(
        units,
        activation="relu",
        kernel_initializer=keras.initializers.RandomNormal(
            stddev=input_stddev, seed=seed
        ),
        recurrent_initializer=keras.initializers.Identity(),
        bias_initializer="zeros",
        name="irnn",
    )


def truncated_adding_model(
    layer: Any, optimizer: Any, *, length: int, window: int, features: int = 2
) -> Any:
    """``Input -> layer -> Dense(1)`` with the MSE; the gradient reaches ``window`` steps back.

    The layer (``return_state=True`` is set on it) first reads steps ``0 .. length-window-1``;
    its final state goes through ``stop_gradient`` and is the initial state for the last
    ``window`` steps, read by the *same* layer (shared weights). The forward pass is exactly
    the untruncated one; the backward pass is truncated BPTT with window ``window`` for a
    loss at the last step.

    Args:
        layer: a ``keras.layers.SimpleRNN``, ``GRU`` or ``LSTM``, not yet built.
        optimizer: a Keras optimizer instance.
        length: steps per sequence (fixed), >= 2.
        window: steps the gradient flows back through, ``1 <= window < length``.
        features: inputs per step.

    Returns:
        A compiled ``keras.Model`` mapping ``(batch, length, features)`` to ``(batch, 1)``.
    """
    import keras

    length = _checks.positive_int("length", length)
    window = _checks.positive_int("window", window)
    features = _checks.positive_int("features", features)
    if window >= length:
        raise ValueError(f"window must be smaller than length ({length}), got {window}")
    if not isinstance(
        layer, (keras.layers.SimpleRNN, keras.layers.GRU, keras.layers.LSTM)
    ):
        raise ValueError(
            f"layer must be a keras.layers.SimpleRNN, GRU or LSTM, got {type(layer).__name__}"
        )
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise ValueError(
            f"optimizer must be a Keras optimizer, got {type(optimizer).__name__}"
        )
    layer.return_state = True
    split = length - window
    inputs = keras.Input((length, features))
    early = keras.layers.Lambda(lambda x: x[:, :split], name="early_steps")(inputs)
    late = keras.layers.Lambda(lambda x: x[:, split:], name="last_window")(inputs)
    _, *states = layer(early)
    states = [
        keras.layers.Lambda(keras.ops.stop_gradient, name=f"truncate_{i}")(state)
        for i, state in enumerate(states)
    ]
    output, *_ = layer(late, initial_state=states)
    model = keras.Model(inputs, keras.layers.Dense(1)(output))
    model.compile(optimizer=optimizer, loss="mse")
    return model


# --------------------------------------------------------------------------- training


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


# The clipping rules chapter 6 teaches, generated from its cell into rnn_utils.taught
# (edit the cell, then `make taught`), here with their arguments checked first.


@functools.wraps(taught.clip_by_norm)
def clip_by_norm(gradient: object, threshold: object) -> np.ndarray:
    return taught.clip_by_norm(*check_clipping(gradient, threshold))


@functools.wraps(taught.clip_by_value)
def clip_by_value(gradient: object, threshold: object) -> np.ndarray:
    return taught.clip_by_value(*check_clipping(gradient, threshold))


@functools.wraps(taught.clip_by_global_norm)
def clip_by_global_norm(gradients: object, threshold: object) -> list[np.ndarray]:
    return taught.clip_by_global_norm(*check_global_clipping(gradients, threshold))
