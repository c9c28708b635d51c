"""The LSTM cell from scratch in NumPy, in Keras' weight layout (chapter 7).

Keras stores the four gates of an LSTM side by side in three arrays:

- ``kernel`` ``(features, 4 * units)``: input weights;
- ``recurrent_kernel`` ``(units, 4 * units)``: weights on the previous output ``h_{t-1}``;
- ``bias`` ``(4 * units,)``;

with the columns in the order **i, f, c, o** (input gate, forget gate, candidate cell,
output gate). With row vectors, one step is

    z = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias
    i, f, g, o = sigmoid(z_i), sigmoid(z_f), tanh(z_c), sigmoid(z_o)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

which is what ``keras.layers.LSTM`` computes with its defaults (``activation="tanh"``,
``recurrent_activation="sigmoid"``), so ``layer.get_weights()`` can be passed straight in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_utils import _checks

GATE_NAMES = ("input", "forget", "candidate", "output")
"""The four blocks of Keras' LSTM weights, in the order Keras stores them."""


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, computed without overflow."""
    z = np.asarray(z)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass(frozen=True)
class LSTMGates:
    """Gate activations of an LSTM over whole sequences, each ``(batch, time, units)``.

    Attributes:
        input: ``i_t``, how much of the candidate enters the cell.
        forget: ``f_t``, how much of the previous cell is kept.
        candidate: ``g_t = tanh(...)``, the proposed new content.
        output: ``o_t``, how much of ``tanh(c_t)`` is shown as ``h_t``.
    """

    input: np.ndarray
    forget: np.ndarray
    candidate: np.ndarray
    output: np.ndarray


@dataclass(frozen=True)
class LSTMResult:
    """What :func:`lstm_forward` returns.

    Attributes:
        outputs: ``(batch, time, units)``, ``h_1 .. h_T`` (Keras' ``return_sequences=True``).
        cells: ``(batch, time, units)``, the cell states ``c_1 .. c_T``.
        final_h: ``(batch, units)``, ``h_T`` (Keras' first returned state).
        final_c: ``(batch, units)``, ``c_T`` (Keras' second returned state).
        gates: the gate activations, or ``None`` unless requested.
    """

    outputs: np.ndarray
    cells: np.ndarray
    final_h: np.ndarray
    final_c: np.ndarray
    gates: LSTMGates | None = None


def split_gates(array: np.ndarray, units: int) -> dict[str, np.ndarray]:
    """Split the last axis of a Keras LSTM weight array into its four gate blocks.

    Args:
        array: ``kernel`` ``(features, 4 * units)``, ``recurrent_kernel``
            ``(units, 4 * units)`` or ``bias`` ``(4 * units,)``.
        units: the layer's number of units.

    Returns:
        ``{"input": ..., "forget": ..., "candidate": ..., "output": ...}``, each with last
        axis ``units`` (views, not copies).
    """
    units = _checks.positive_int("units", units)
    array = np.asarray(array)
    if array.ndim == 0 or array.shape[-1] != 4 * units:
        raise ValueError(
            f"array must have last axis 4 * units = {4 * units}, got shape {array.shape}"
        )
    return {name: array[..., k * units : (k + 1) * units] for k, name in enumerate(GATE_NAMES)}


def _check_weights(
    kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    kernel = _checks.array("kernel", kernel, 2)
    recurrent_kernel = _checks.array("recurrent_kernel", recurrent_kernel, 2)
    bias = _checks.array("bias", bias, 1)
    if kernel.shape[1] == 0 or kernel.shape[1] % 4 != 0:
        raise ValueError(
            f"kernel must have shape (features, 4 * units), got {kernel.shape} "
            "(second axis not a positive multiple of 4)"
        )
    units = kernel.shape[1] // 4
    _checks.shape_matches("recurrent_kernel", recurrent_kernel, (units, 4 * units))
    _checks.shape_matches("bias", bias, (4 * units,))
    return kernel, recurrent_kernel, bias, units


def _gates(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    units: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = sigmoid(z[:, :units])
    f = sigmoid(z[:, units : 2 * units])
    g = np.tanh(z[:, 2 * units : 3 * units])
    o = sigmoid(z[:, 3 * units :])
    return i, f, g, o


def lstm_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step in Keras' layout (gate order i, f, c, o).

    Args:
        x_t: ``(batch, features)`` inputs at this step.
        h_prev: ``(batch, units)`` output of the previous step.
        c_prev: ``(batch, units)`` cell state of the previous step.
        kernel: ``(features, 4 * units)``.
        recurrent_kernel: ``(units, 4 * units)``.
        bias: ``(4 * units,)``.

    Returns:
        ``(h_t, c_t)``, each ``(batch, units)``.
    """
    kernel, recurrent_kernel, bias, units = _check_weights(kernel, recurrent_kernel, bias)
    x_t = _checks.array("x_t", x_t, 2)
    h_prev = _checks.array("h_prev", h_prev, 2)
    c_prev = _checks.array("c_prev", c_prev, 2)
    _checks.shape_matches("x_t", x_t, (None, kernel.shape[0]))
    _checks.shape_matches("h_prev", h_prev, (x_t.shape[0], units))
    _checks.shape_matches("c_prev", c_prev, (x_t.shape[0], units))
    i, f, g, o = _gates(x_t, h_prev, kernel, recurrent_kernel, bias, units)
    c_t = f * c_prev + i * g
    return o * np.tanh(c_t), c_t


def lstm_forward(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    initial_state: tuple[np.ndarray, np.ndarray] | None = None,
    *,
    return_gates: bool = False,
) -> LSTMResult:
    """Run an LSTM over whole sequences; return every output, cell state and the final pair.

    Args:
        inputs: ``(batch, time, features)``.
        kernel: ``(features, 4 * units)``, Keras' ``kernel``.
        recurrent_kernel: ``(units, 4 * units)``, Keras' ``recurrent_kernel``.
        bias: ``(4 * units,)``, Keras' ``bias``.
        initial_state: ``(h_0, c_0)``, each ``(batch, units)``; zeros by default, as in Keras.
        return_gates: also record the four gate activations at every step.

    Returns:
        An :class:`LSTMResult`: ``outputs`` is what ``LSTM(return_sequences=True)`` returns,
        ``final_h`` and ``final_c`` are the two states of ``return_state=True``.
    """
    kernel, recurrent_kernel, bias, units = _check_weights(kernel, recurrent_kernel, bias)
    inputs = _checks.sequence_inputs(inputs, kernel.shape[0])
    batch, time, _ = inputs.shape
    if not isinstance(return_gates, bool):
        raise ValueError(f"return_gates must be True or False, got {return_gates!r}")
    dtype = np.result_type(inputs, kernel)
    if initial_state is None:
        initial_state = (None, None)
    elif not isinstance(initial_state, (tuple, list)) or len(initial_state) != 2:
        raise ValueError("initial_state must be a pair (h_0, c_0)")
    h = _checks.state("initial_state[0]", initial_state[0], batch, units, dtype)
    c = _checks.state("initial_state[1]", initial_state[1], batch, units, dtype)
    outputs, cells = [], []
    recorded: dict[str, list[np.ndarray]] = {name: [] for name in GATE_NAMES}
    for t in range(time):
        i, f, g, o = _gates(inputs[:, t], h, kernel, recurrent_kernel, bias, units)
        c = f * c + i * g
        h = o * np.tanh(c)
        outputs.append(h)
        cells.append(c)
        if return_gates:
            for name, value in zip(GATE_NAMES, (i, f, g, o), strict=True):
                recorded[name].append(value)
    gates = None
    if return_gates:
        gates = LSTMGates(**{name: np.stack(values, axis=1) for name, values in recorded.items()})
    return LSTMResult(
        outputs=np.stack(outputs, axis=1),
        cells=np.stack(cells, axis=1),
        final_h=h,
        final_c=c,
        gates=gates,
    )
