"""The three recurrent cells (SimpleRNN, LSTM, GRU) from scratch in NumPy, in Keras' layout.

Each cell is written once, in the chapter that teaches it (chapter 2, 7 and 8); the
chapter's cell is generated into :mod:`rnn_utils.taught.cells` and loaded here, so that a
later chapter imports the code the reader has already read. All three follow one convention:

- ``*_step(x_t, state..., kernel, recurrent_kernel, bias)`` computes one step on
  ``(batch, features)`` inputs and returns the new output ``h_t``, ``(batch, units)``; the
  LSTM's and GRU's steps also return a dict of what they computed on the way (gates; the
  LSTM's cell state), each ``(batch, units)``;
- ``*_forward(inputs, kernel, recurrent_kernel, bias)`` runs a step over
  ``(batch, time, features)`` inputs from a zero state, as Keras does, and returns the
  outputs ``(batch, time, units)`` (``[:, -1]`` is Keras' default output); the LSTM's and
  GRU's also return ``{name: (batch, time, units)}``, the gates at every step. Here their
  arguments are checked first (:func:`check_cell_arguments`).

The weights are ``layer.get_weights()`` of the Keras layer, as they are: row vectors,
``kernel`` ``(features, k * units)``, ``recurrent_kernel`` ``(units, k * units)``, with
``k = 1, 4, 3`` blocks for the SimpleRNN, the LSTM (gates i, f, c, o) and the GRU (z, r, h).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from rnn_utils import _checks

CELL_TYPES = ("simple_rnn", "lstm", "gru")
"""Cell names accepted by :func:`parameter_count` and :func:`check_cell_arguments`."""

_BLOCKS = {"simple_rnn": 1, "lstm": 4, "gru": 3}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, written with tanh so it cannot overflow."""
    z = np.asarray(z)  # no copy for an array: this runs inside the cells' loops
    if z.dtype.kind not in "biuf":
        raise ValueError(
            f"z must hold numbers (bool, int or float), got dtype {z.dtype}"
        )
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def check_cell_arguments(
    cell: str,
    inputs: object,
    kernel: object,
    recurrent_kernel: object,
    bias: object,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Check a cell's inputs and Keras weights; return all four as NumPy arrays.

    Args:
        cell: one of :data:`CELL_TYPES`.
        inputs: ``(batch, time, features)``, at least one step.
        kernel: ``(features, k * units)``.
        recurrent_kernel: ``(units, k * units)``.
        bias: ``(k * units,)``; for the GRU ``(2, 3 * units)`` (``reset_after=True``, input
            and recurrent bias) or ``(3 * units,)`` (``reset_after=False``).

    Returns:
        ``(inputs, kernel, recurrent_kernel, bias)`` as arrays.

    Raises:
        ValueError: naming the argument whose rank or shape does not fit, or that holds a
            value that is not finite.
    """
    if cell not in CELL_TYPES:
        raise ValueError(f"cell must be one of {CELL_TYPES}, got {cell!r}")
    k = _BLOCKS[cell]
    kernel = _checks.array("kernel", kernel, 2)
    if kernel.shape[1] == 0 or kernel.shape[1] % k != 0:
        raise ValueError(
            f"kernel must have shape (features, {k} * units), got {kernel.shape}"
        )
    units = kernel.shape[1] // k
    recurrent_kernel = _checks.array("recurrent_kernel", recurrent_kernel, 2)
    _checks.shape_matches("recurrent_kernel", recurrent_kernel, (units, k * units))
    bias = _checks.array("bias", bias, np.ndim(bias))
    allowed = [(k * units,)] + ([(2, k * units)] if cell == "gru" else [])
    if bias.shape not in allowed:
        raise ValueError(
            f"bias must have shape {' or '.join(map(str, allowed))}, got {bias.shape}"
        )
    return (
        _checks.sequence_inputs(inputs, kernel.shape[0]),
        kernel,
        recurrent_kernel,
        bias,
    )


def parameter_count(
    cell: str, features: int, units: int, *, reset_after: bool = True
) -> int:
    """Trainable parameters of one recurrent layer, from its formula.

    With ``f`` input features and ``u`` units: ``u (f + u + 1)`` for the SimpleRNN (input
    weights, recurrent weights, bias); four such blocks for the LSTM; three for the GRU with
    ``reset_after=False``, and ``3 u (f + u + 2)`` with ``reset_after=True``, which keeps a
    second (recurrent) bias per block.

    Args:
        cell: one of :data:`CELL_TYPES`.
        features: input features ``f``, >= 1.
        units: units ``u``, >= 1.
        reset_after: the GRU variant (ignored for the other cells).

    Returns:
        The count, equal to Keras' ``layer.count_params()``.
    """
    if cell not in CELL_TYPES:
        raise ValueError(f"cell must be one of {CELL_TYPES}, got {cell!r}")
    f = _checks.positive_int("features", features)
    u = _checks.positive_int("units", units)
    if not isinstance(reset_after, (bool, np.bool_)):
        raise ValueError(f"reset_after must be True or False, got {reset_after!r}")
    extra_bias = 1 if cell == "gru" and reset_after else 0
    return _BLOCKS[cell] * u * (f + u + 1 + extra_bias)


# The cells the chapters teach, generated from their cells (scripts/taught_code.py; edit the
# cell, then `make taught`). Imported last: chapter 7's cell imports `sigmoid` from here.
from rnn_utils.taught import cells as taught  # noqa: E402


def check_step_arguments(
    cell: str, x_t: object, states: dict[str, object], weights: tuple
) -> tuple[np.ndarray, list[np.ndarray], tuple]:
    """Check one step's input ``(batch, features)``, states ``(batch, units)`` and weights.

    Returns ``x_t``, the states in the order given, and the checked weights.
    """
    if not isinstance(states, dict):
        raise ValueError(
            f"states must map names to arrays, got {type(states).__name__}"
        )
    if not isinstance(weights, (tuple, list)) or len(weights) != 3:
        raise ValueError("weights must be (kernel, recurrent_kernel, bias)")
    x_t = _checks.array("x_t", x_t, 2)
    features = np.shape(weights[0])[0] if np.ndim(weights[0]) == 2 else None
    if features is not None and x_t.shape[1] != features:
        raise ValueError(
            f"x_t must have shape (batch, {features}) to match kernel, got {x_t.shape}"
        )
    _, *weights = check_cell_arguments(cell, x_t[:, None, :], *weights)
    units = weights[1].shape[0]
    checked = []
    for name, value in states.items():
        state = _checks.array(name, value, 2)
        _checks.shape_matches(name, state, (len(x_t), units))
        checked.append(state)
    return x_t, checked, tuple(weights)


def _checked(cell: str, forward: Callable) -> Callable:
    """``forward`` with :func:`check_cell_arguments` applied to its arguments first."""

    @functools.wraps(forward)
    def checked_forward(
        inputs: object, kernel: object, recurrent_kernel: object, bias: object
    ):
        return forward(
            *check_cell_arguments(cell, inputs, kernel, recurrent_kernel, bias)
        )

    return checked_forward


simple_rnn_forward = _checked("simple_rnn", taught.simple_rnn_forward)
lstm_forward = _checked("lstm", taught.lstm_forward)
gru_forward = _checked("gru", taught.gru_forward)


@functools.wraps(taught.simple_rnn_step)
def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    x_t, (h_prev,), weights = check_step_arguments(
        "simple_rnn", x_t, {"h_prev": h_prev}, (kernel, recurrent_kernel, bias)
    )
    return taught.simple_rnn_step(x_t, h_prev, *weights)


@functools.wraps(taught.lstm_step)
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    x_t, (h_prev, c_prev), weights = check_step_arguments(
        "lstm",
        x_t,
        {"h_prev": h_prev, "c_prev": c_prev},
        (kernel, recurrent_kernel, bias),
    )
    return taught.lstm_step(x_t, h_prev, c_prev, *weights)


@functools.wraps(taught.gru_step)
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    x_t, (h_prev,), weights = check_step_arguments(
        "gru", x_t, {"h_prev": h_prev}, (kernel, recurrent_kernel, bias)
    )
    return taught.gru_step(x_t, h_prev, *weights)
