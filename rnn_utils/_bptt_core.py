"""The arithmetic of :mod:`rnn_utils.bptt`, on arguments already checked.

:mod:`rnn_utils.bptt` checks what a caller passes once, at its public functions, and then
runs these; so do the loops that call BPTT many times on checked data (truncation and
training in :mod:`rnn_utils.numpy_training`). Nothing here validates: pass NumPy arrays
of the shapes the docstrings name.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from rnn_utils import cells
from rnn_utils.taught import bptt as taught
from rnn_utils.taught.cells import simple_rnn_step


@dataclasses.dataclass(frozen=True)
class SimpleRNNCache:
    """What the forward pass keeps for the backward pass.

    Attributes:
        inputs: ``(batch, time, features)`` the inputs ``x_t``.
        initial_state: ``(batch, units)`` the state ``h_0`` before the first step.
        states: ``(batch, time, units)``; ``states[:, t]`` is ``h_{t+1}`` in the book's
            1-based notation. These are the stored activations.
    """

    inputs: np.ndarray
    initial_state: np.ndarray
    states: np.ndarray

    @property
    def stored_values(self) -> int:
        """Number of stored activations: ``batch * time * units``."""
        return int(self.states.size)

    @property
    def nbytes(self) -> int:
        """Bytes of the stored activations (``stored_values`` times the item size)."""
        return int(self.states.nbytes)

    @property
    def previous_states(self) -> np.ndarray:
        """``(batch, time, units)``: ``h_{t-1}`` for every step (``h_0`` first)."""
        return np.concatenate(
            [self.initial_state[:, None, :], self.states[:, :-1]], axis=1
        )

    @property
    def final_state(self) -> np.ndarray:
        """``(batch, units)`` the last state ``h_T``."""
        return self.states[:, -1]


@dataclasses.dataclass(frozen=True)
class SimpleRNNGradients:
    """Gradients of a loss with respect to everything in a SimpleRNN.

    Attributes:
        kernel: ``(features, units)`` ``dL/dkernel``, the sum over steps.
        recurrent_kernel: ``(units, units)`` ``dL/drecurrent_kernel``, the sum over steps.
        bias: ``(units,)`` ``dL/dbias``, the sum over steps.
        states: ``(batch, time, units)`` ``dL/dh_t``: the total derivative through every
            later step (``delta_t`` in the book).
        preactivations: ``(batch, time, units)`` ``dL/dz_t = delta_t * (1 - h_t^2)``.
        inputs: ``(batch, time, features)`` ``dL/dx_t``.
        initial_state: ``(batch, units)`` ``dL/dh_0``.
        kernel_per_step: ``(time, features, units)`` the contribution of step ``t`` to
            ``kernel`` (its sum over the first axis); ``None`` unless asked for.
        recurrent_kernel_per_step: ``(time, units, units)``, likewise.
        bias_per_step: ``(time, units)``, likewise.
    """

    kernel: np.ndarray
    recurrent_kernel: np.ndarray
    bias: np.ndarray
    states: np.ndarray
    preactivations: np.ndarray
    inputs: np.ndarray
    initial_state: np.ndarray
    kernel_per_step: np.ndarray | None = None
    recurrent_kernel_per_step: np.ndarray | None = None
    bias_per_step: np.ndarray | None = None


@dataclasses.dataclass(frozen=True)
class BPTTResult:
    """The loss and every gradient of one forward and backward pass.

    Attributes:
        loss: the total loss ``L``.
        step_losses: ``(time,)`` the per-step losses ``l_t`` (they sum to ``loss``).
        gradients: ``{name: dL/dname}`` for every weight of the SimpleRNN and read-out.
        rnn: the SimpleRNN's gradients, with ``dL/dh_t`` and (on request) the per-step
            contributions.
        cache: the forward pass's cache (the stored states).
    """

    loss: float
    step_losses: np.ndarray
    gradients: dict[str, np.ndarray]
    rnn: SimpleRNNGradients
    cache: SimpleRNNCache


def forward(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    initial_state: np.ndarray | None,
) -> SimpleRNNCache:
    """Chapter 2's step over ``(batch, time, features)`` inputs; ``None`` starts at zeros."""
    batch, time, _ = inputs.shape
    if initial_state is None:
        dtype = np.result_type(inputs, kernel)
        initial_state = np.zeros((batch, kernel.shape[1]), dtype=dtype)
    h, states = initial_state, []
    for t in range(time):
        h = simple_rnn_step(inputs[:, t], h, kernel, recurrent_kernel, bias)
        states.append(h)
    return SimpleRNNCache(inputs, initial_state, np.stack(states, axis=1))


def gradients(
    cache: SimpleRNNCache,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    state_gradients: np.ndarray,
    per_step: bool,
) -> SimpleRNNGradients:
    """Chapter 4's backward loop on ``cache``, with ``dL/dx_t``, ``dL/dh_0`` and, if
    ``per_step``, each step's share of the shared weights' gradients."""
    weights, deltas, dz = taught.simple_rnn_backward(
        cache.inputs,
        cache.states,
        cache.initial_state,
        recurrent_kernel,
        state_gradients,
    )
    previous = cache.previous_states
    return SimpleRNNGradients(
        **weights,
        states=deltas,
        preactivations=dz,
        inputs=dz @ kernel.T,
        initial_state=dz[:, 0] @ recurrent_kernel.T,
        kernel_per_step=(
            np.einsum("btf,btu->tfu", cache.inputs, dz) if per_step else None
        ),
        recurrent_kernel_per_step=(
            np.einsum("btv,btu->tvu", previous, dz) if per_step else None
        ),
        bias_per_step=dz.sum(axis=0) if per_step else None,
    )


def readout_loss(
    outputs: np.ndarray, targets: np.ndarray, loss: str, step_weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(step_losses (time,), dL/da_t (batch, time, outputs))``; see
    :func:`rnn_utils.bptt.readout_loss`. ``step_weights`` is a ``(time,)`` array."""
    dtype = np.result_type(outputs, targets, np.float32)
    weights = step_weights.astype(dtype, copy=False)[None, :, None] / outputs.shape[0]
    if loss == "squared_error":
        error = outputs - targets
        elementwise = 0.5 * error**2
        output_gradients = weights * error
    else:
        elementwise = np.logaddexp(0.0, outputs) - targets * outputs
        output_gradients = weights * (cells.sigmoid(outputs) - targets)
    step_losses = (weights * elementwise).sum(axis=(0, 2))
    return step_losses, output_gradients.astype(dtype, copy=False)


def predict(
    weights: dict[str, np.ndarray], inputs: np.ndarray, initial_state: np.ndarray | None
) -> tuple[np.ndarray, SimpleRNNCache]:
    """The read-out ``(batch, time, outputs)`` and the forward pass's cache."""
    cache = forward(
        inputs,
        weights["kernel"],
        weights["recurrent_kernel"],
        weights["bias"],
        initial_state,
    )
    return cache.states @ weights["readout_kernel"] + weights["readout_bias"], cache


def loss_and_gradients(
    weights: dict[str, np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    loss: str,
    step_weights: np.ndarray,
    initial_state: np.ndarray | None,
    per_step: bool,
) -> BPTTResult:
    """Forward pass, per-step losses and BPTT; see :func:`rnn_utils.bptt.loss_and_gradients`."""
    outputs, cache = predict(weights, inputs, initial_state)
    step_losses, output_gradients = readout_loss(outputs, targets, loss, step_weights)
    direct = output_gradients @ weights["readout_kernel"].T  # dl_t/dh_t
    rnn = gradients(
        cache, weights["kernel"], weights["recurrent_kernel"], direct, per_step
    )
    all_gradients = {
        "kernel": rnn.kernel,
        "recurrent_kernel": rnn.recurrent_kernel,
        "bias": rnn.bias,
        "readout_kernel": np.tensordot(
            cache.states, output_gradients, axes=([0, 1], [0, 1])
        ),
        "readout_bias": output_gradients.sum(axis=(0, 1)),
    }
    return BPTTResult(float(step_losses.sum()), step_losses, all_gradients, rnn, cache)
