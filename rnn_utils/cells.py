"""The three recurrent cells (SimpleRNN, LSTM, GRU) from scratch in NumPy, in Keras' layout.

Each cell is written once, in the chapter that teaches it (chapter 2, 7 and 8), and kept
here verbatim (``tests/test_chapter_code.py`` checks the copies), so that a later chapter can
import the code the reader has already read. All three follow one convention:

- ``*_step(x_t, state..., kernel, recurrent_kernel, bias)`` computes one step on
  ``(batch, features)`` inputs and returns ``(h_t, internals)``: the new output
  ``(batch, units)`` and a dict of what the cell computed on the way (gates; the LSTM's
  cell state), each ``(batch, units)``;
- ``*_forward(inputs, kernel, recurrent_kernel, bias)`` runs a step over
  ``(batch, time, features)`` inputs from a zero state, as Keras does, and returns a
  :class:`CellRun`.

The weights are ``layer.get_weights()`` of the Keras layer, as they are: row vectors,
``kernel`` ``(features, k * units)``, ``recurrent_kernel`` ``(units, k * units)``, with
``k = 1, 4, 3`` blocks for the SimpleRNN, the LSTM (gates i, f, c, o) and the GRU (z, r, h).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_utils import _checks

CELL_TYPES = ("simple_rnn", "lstm", "gru")
"""Cell names accepted by :func:`parameter_count` and :func:`check_cell_arguments`."""

_BLOCKS = {"simple_rnn": 1, "lstm": 4, "gru": 3}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, written with tanh so it cannot overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z)))


@dataclass(frozen=True)
class CellRun:
    """What every ``*_forward`` function returns.

    Attributes:
        states: ``(batch, time, units)``, the outputs ``h_1 .. h_T``: what the Keras layer
            returns with ``return_sequences=True``; ``states[:, -1]`` is its final output.
        internals: name -> ``(batch, time, units)``: the gates at every step (and the LSTM's
            cell state ``"cell"``); empty for the SimpleRNN.
    """

    states: np.ndarray
    internals: dict[str, np.ndarray]

    @property
    def final_state(self) -> np.ndarray:
        """``(batch, units)``, the output after the last step, ``h_T``."""
        return self.states[:, -1]


def stack_steps(steps: list[tuple[np.ndarray, dict[str, np.ndarray]]]) -> CellRun:
    """Stack the ``(h_t, internals)`` pairs of a loop over time into a :class:`CellRun`."""
    if not steps:
        raise ValueError("steps must hold at least one (h_t, internals) pair")
    names = steps[0][1].keys()
    return CellRun(
        states=np.stack([h for h, _ in steps], axis=1),
        internals={
            k: np.stack([inside[k] for _, inside in steps], axis=1) for k in names
        },
    )


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


# The teaching code: each function below is defined, character for character, in a chapter.


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One SimpleRNN step: h_t = tanh(x_t W^T + h_{t-1} U^T + b), rows = batch."""
    h_t = np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)
    return h_t, {}


def simple_rnn_forward(inputs, kernel, recurrent_kernel, bias):
    """Run simple_rnn_step over (batch, time, features) inputs from h_0 = 0."""
    inputs, kernel, recurrent_kernel, bias = check_cell_arguments(
        "simple_rnn", inputs, kernel, recurrent_kernel, bias
    )
    h = np.zeros((inputs.shape[0], recurrent_kernel.shape[0]), dtype=inputs.dtype)
    steps = []
    for t in range(inputs.shape[1]):
        h, internals = simple_rnn_step(inputs[:, t], h, kernel, recurrent_kernel, bias)
        steps.append((h, internals))
    return stack_steps(steps)


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One LSTM step in Keras' layout: gate blocks i, f, c, o side by side."""
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # (batch, 4 * units)
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o)  # input, forget, output gates
    g = np.tanh(z_c)  # the candidate content
    c_t = f * c_prev + i * g  # keep part of the old cell, write part of the new
    h_t = o * np.tanh(c_t)  # show part of the cell
    return h_t, {"input": i, "forget": f, "candidate": g, "output": o, "cell": c_t}


def lstm_forward(inputs, kernel, recurrent_kernel, bias):
    """Run lstm_step over (batch, time, features) inputs from h_0 = c_0 = 0."""
    inputs, kernel, recurrent_kernel, bias = check_cell_arguments(
        "lstm", inputs, kernel, recurrent_kernel, bias
    )
    h = c = np.zeros((inputs.shape[0], recurrent_kernel.shape[0]), dtype=inputs.dtype)
    steps = []
    for t in range(inputs.shape[1]):
        h, internals = lstm_step(inputs[:, t], h, c, kernel, recurrent_kernel, bias)
        c = internals["cell"]
        steps.append((h, internals))
    return stack_steps(steps)


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One GRU step in Keras' layout, blocks z, r, h.

    A (2, 3u) bias means reset_after=True.
    """
    units = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    x_z, x_r, x_h = np.split(
        x_t @ kernel + (bias[0] if reset_after else bias), 3, axis=-1
    )
    if reset_after:  # Keras' default, as cuDNN: the gate resets the recurrent product
        h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    else:  # Cho et al. (2014): the gate resets the state before the product
        h_z, h_r = np.split(h_prev @ recurrent_kernel[:, : 2 * units], 2, axis=-1)
    z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)  # update and reset gates
    if reset_after:
        candidate = np.tanh(x_h + r * h_h)
    else:
        candidate = np.tanh(x_h + (r * h_prev) @ recurrent_kernel[:, 2 * units :])
    h_t = z * h_prev + (1.0 - z) * candidate
    return h_t, {"update": z, "reset": r, "candidate": candidate}


def gru_forward(inputs, kernel, recurrent_kernel, bias):
    """Run gru_step over (batch, time, features) inputs from h_0 = 0."""
    inputs, kernel, recurrent_kernel, bias = check_cell_arguments(
        "gru", inputs, kernel, recurrent_kernel, bias
    )
    h = np.zeros((inputs.shape[0], recurrent_kernel.shape[0]), dtype=inputs.dtype)
    steps = []
    for t in range(inputs.shape[1]):
        h, internals = gru_step(inputs[:, t], h, kernel, recurrent_kernel, bias)
        steps.append((h, internals))
    return stack_steps(steps)
