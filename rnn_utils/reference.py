"""NumPy reference implementations of recurrent cells, in Keras' weight layout.

The book writes the SimpleRNN with column vectors,

    h_t = tanh(W x_t + U h_{t-1} + b),

while Keras stores ``kernel = W^T`` of shape ``(features, units)`` and
``recurrent_kernel = U^T`` of shape ``(units, units)`` and multiplies row vectors from the
left. These functions use Keras' arrays as they are, so ``layer.get_weights()`` can be
passed straight in: ``h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnn_utils import _checks

Activation = Callable[[np.ndarray], np.ndarray]


def _check_simple_rnn_weights(
    kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kernel = _checks.array("kernel", kernel, 2)
    recurrent_kernel = _checks.array("recurrent_kernel", recurrent_kernel, 2)
    bias = _checks.array("bias", bias, 1)
    units = kernel.shape[1]
    _checks.shape_matches("recurrent_kernel", recurrent_kernel, (units, units))
    _checks.shape_matches("bias", bias, (units,))
    return kernel, recurrent_kernel, bias


def simple_rnn_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    activation: Activation = np.tanh,
) -> np.ndarray:
    """One step of a SimpleRNN: ``activation(x_t @ kernel + h_prev @ recurrent_kernel + bias)``.

    Args:
        x_t: ``(batch, features)`` inputs at this step.
        h_prev: ``(batch, units)`` state after the previous step.
        kernel: ``(features, units)`` input weights (Keras' ``kernel``, ``W^T``).
        recurrent_kernel: ``(units, units)`` recurrent weights (``U^T``).
        bias: ``(units,)``.
        activation: element-wise non-linearity, ``np.tanh`` as in Keras' default.

    Returns:
        ``(batch, units)`` the new state ``h_t``.
    """
    kernel, recurrent_kernel, bias = _check_simple_rnn_weights(kernel, recurrent_kernel, bias)
    x_t = _checks.array("x_t", x_t, 2)
    h_prev = _checks.array("h_prev", h_prev, 2)
    _checks.shape_matches("x_t", x_t, (None, kernel.shape[0]))
    _checks.shape_matches("h_prev", h_prev, (x_t.shape[0], kernel.shape[1]))
    return activation(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def simple_rnn_forward(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    initial_state: np.ndarray | None = None,
    activation: Activation = np.tanh,
) -> np.ndarray:
    """Run a SimpleRNN over whole sequences and return every state.

    Args:
        inputs: ``(batch, time, features)``.
        kernel: ``(features, units)``.
        recurrent_kernel: ``(units, units)``.
        bias: ``(units,)``.
        initial_state: ``(batch, units)`` state before the first step; zeros by default,
            as in Keras.
        activation: element-wise non-linearity.

    Returns:
        ``(batch, time, units)``: ``states[:, t]`` is ``h_t``; the last one is what
        ``SimpleRNN(return_sequences=False)`` returns.
    """
    kernel, recurrent_kernel, bias = _check_simple_rnn_weights(kernel, recurrent_kernel, bias)
    inputs = _checks.sequence_inputs(inputs, kernel.shape[0])
    batch, time, _ = inputs.shape
    dtype = np.result_type(inputs, kernel)
    h = _checks.state("initial_state", initial_state, batch, kernel.shape[1], dtype)
    states = []
    for t in range(time):
        h = activation(inputs[:, t] @ kernel + h @ recurrent_kernel + bias)
        states.append(h)
    return np.stack(states, axis=1)
