"""Backpropagation through time for the SimpleRNN with a read-out at every step, in NumPy.

The model is chapter 4's, in Keras' weight layout (row vectors, ``kernel = W^T``,
``recurrent_kernel = U^T``)::

    h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)        # (batch, units)
    a_t = h_t @ readout_kernel + readout_bias                           # (batch, outputs)
    L   = sum_t l_t,   l_t = w_t * mean over the batch of loss(a_t, y_t)

:func:`simple_rnn_forward_with_cache` keeps every state; :func:`simple_rnn_backward` (the
backward loop chapter 4 writes out, generated from its cell into
:mod:`rnn_utils.taught.bptt`) turns direct gradients ``dl_t/dh_t`` into every weight's
gradient; :func:`simple_rnn_gradients` runs it on a cache and adds what later chapters read;
:func:`loss_and_gradients` does it all with the read-out and the loss (truncation and
training: :mod:`rnn_utils.numpy_training`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping

import numpy as np

from rnn_utils import _checks, cells
from rnn_utils.taught.cells import simple_rnn_step as _step

WEIGHT_NAMES = ("kernel", "recurrent_kernel", "bias", "readout_kernel", "readout_bias")
"""Keys of a weight dictionary, in order: the SimpleRNN's three, then the read-out's two."""

LOSSES = ("squared_error", "sigmoid_cross_entropy")
"""Per-step losses :func:`readout_loss` knows."""

Weights = Mapping[str, np.ndarray]


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


def simple_rnn_forward_with_cache(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    initial_state: np.ndarray | None = None,
) -> SimpleRNNCache:
    """Run a tanh SimpleRNN (chapter 2's step) and keep what BPTT needs.

    Args:
        inputs: ``(batch, time, features)``.
        kernel: ``(features, units)`` (Keras' ``kernel``, ``W^T``).
        recurrent_kernel: ``(units, units)`` (``U^T``).
        bias: ``(units,)``.
        initial_state: ``(batch, units)``; zeros by default.

    Returns:
        A :class:`SimpleRNNCache` with the inputs, ``h_0`` and every state.
    """
    inputs, kernel, recurrent_kernel, bias = cells.check_cell_arguments(
        "simple_rnn", inputs, kernel, recurrent_kernel, bias
    )
    batch, time, _ = inputs.shape
    dtype = np.result_type(inputs, kernel)
    h = _checks.state("initial_state", initial_state, batch, kernel.shape[1], dtype)
    h0, states = h, []
    for t in range(time):  # chapter 2's step; its arguments were checked above
        h = _step(inputs[:, t], h, kernel, recurrent_kernel, bias)
        states.append(h)
    return SimpleRNNCache(
        inputs=inputs, initial_state=h0, states=np.stack(states, axis=1)
    )


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


def check_backward_arguments(
    cache: SimpleRNNCache,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    state_gradients: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check the arguments of :func:`simple_rnn_gradients` against the cache (``ValueError``
    naming the argument); return ``kernel``, ``recurrent_kernel``, ``state_gradients``."""
    if not isinstance(cache, SimpleRNNCache):
        raise ValueError(f"cache must be a SimpleRNNCache, got {type(cache).__name__}")
    batch, time, units = cache.states.shape
    kernel = _checks.array("kernel", kernel, 2)
    _checks.shape_matches("kernel", kernel, (cache.inputs.shape[2], units))
    recurrent_kernel = _checks.array("recurrent_kernel", recurrent_kernel, 2)
    _checks.shape_matches("recurrent_kernel", recurrent_kernel, (units, units))
    state_gradients = _checks.array("state_gradients", state_gradients, 3)
    _checks.shape_matches("state_gradients", state_gradients, (batch, time, units))
    return kernel, recurrent_kernel, state_gradients


def readout_loss(
    outputs: np.ndarray,
    targets: np.ndarray,
    *,
    loss: str = "squared_error",
    step_weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-step losses of a read-out and their gradient with respect to its outputs.

    ``l_t = w_t * (1 / batch) * sum over examples and outputs of e(a, y)`` with
    ``e = (a - y)^2 / 2`` (``"squared_error"``) or ``e = log(1 + exp(a)) - y a``
    (``"sigmoid_cross_entropy"``, ``a`` a logit and ``y`` in [0, 1]).

    Args:
        outputs: ``(batch, time, outputs)`` the read-out ``a_t`` (logits for the
            cross-entropy).
        targets: ``(batch, time, outputs)``.
        loss: one of :data:`LOSSES`.
        step_weights: ``(time,)`` non-negative weight ``w_t`` of each step's loss; ones by
            default. ``[0, ..., 0, 1]`` is a loss at the last step only.

    Returns:
        ``(step_losses, output_gradients)``: ``(time,)`` the ``l_t`` and
        ``(batch, time, outputs)`` ``dL/da_t``.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    outputs = _checks.array("outputs", outputs, 3)
    targets = _checks.array("targets", targets, 3)
    _checks.shape_matches("targets", targets, outputs.shape)
    dtype = np.result_type(outputs, targets, np.float32)
    step_weights = check_step_weights(step_weights, outputs.shape[1])
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


def check_step_weights(step_weights: np.ndarray | None, time: int) -> np.ndarray:
    """``step_weights`` as a ``(time,)`` float64 array of non-negative weights (ones if None)."""
    time = _checks.non_negative_int("time", time)
    if step_weights is None:
        return np.ones(time)
    step_weights = _checks.array("step_weights", step_weights, 1)
    _checks.shape_matches("step_weights", step_weights, (time,))
    if np.any(step_weights < 0):
        raise ValueError("step_weights must be non-negative")
    return step_weights.astype(np.float64, copy=False)


def _check_weights(weights: Weights) -> dict[str, np.ndarray]:
    if not isinstance(weights, Mapping):
        raise ValueError(
            f"weights must be a mapping with keys {WEIGHT_NAMES}, got {type(weights).__name__}"
        )
    missing = [name for name in WEIGHT_NAMES if name not in weights]
    if missing:
        raise ValueError(f"weights lacks the keys {missing} (of {WEIGHT_NAMES})")
    ranks = dict(zip(WEIGHT_NAMES, (2, 2, 1, 2, 1), strict=True))
    checked = {
        name: _checks.array(name, weights[name], ranks[name]) for name in WEIGHT_NAMES
    }
    units = checked["kernel"].shape[1]
    _checks.shape_matches(
        "recurrent_kernel", checked["recurrent_kernel"], (units, units)
    )
    _checks.shape_matches("bias", checked["bias"], (units,))
    _checks.shape_matches("readout_kernel", checked["readout_kernel"], (units, None))
    _checks.shape_matches(
        "readout_bias", checked["readout_bias"], (checked["readout_kernel"].shape[1],)
    )
    return checked


def check_data(
    weights: Weights,
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    initial_state: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Check weights, ``(batch, time, features)`` inputs, ``(batch, time, outputs)`` targets
    and an optional ``(batch, units)`` initial state; return the first three as arrays."""
    weights = _check_weights(weights)
    inputs = _checks.array("inputs", inputs, 3)
    targets = _checks.array("targets", targets, 3)
    _checks.shape_matches("inputs", inputs, (None, None, weights["kernel"].shape[0]))
    _checks.shape_matches(
        "targets", targets, (*inputs.shape[:2], weights["readout_kernel"].shape[1])
    )
    if initial_state is not None:
        _checks.shape_matches(
            "initial_state",
            _checks.array("initial_state", initial_state, 2),
            (inputs.shape[0], weights["kernel"].shape[1]),
        )
    return weights, inputs, targets


def predict(
    weights: Weights, inputs: np.ndarray, initial_state: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Run the SimpleRNN and its read-out.

    Args:
        weights: ``{name: array}`` with the keys of :data:`WEIGHT_NAMES`.
        inputs: ``(batch, time, features)``.
        initial_state: ``(batch, units)``; zeros by default.

    Returns:
        ``(outputs, states)`` of shapes ``(batch, time, outputs)`` and
        ``(batch, time, units)``.
    """
    weights = _check_weights(weights)
    cache = simple_rnn_forward_with_cache(
        inputs,
        weights["kernel"],
        weights["recurrent_kernel"],
        weights["bias"],
        initial_state,
    )
    outputs = cache.states @ weights["readout_kernel"] + weights["readout_bias"]
    return outputs, cache.states


def loss_value(
    weights: Weights,
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    loss: str = "squared_error",
    step_weights: np.ndarray | None = None,
    initial_state: np.ndarray | None = None,
) -> float:
    """The total loss ``L = sum_t l_t`` (forward pass only); arguments as in
    :func:`loss_and_gradients`."""
    checked, inputs, targets = check_data(
        weights, inputs, targets, initial_state=initial_state
    )
    outputs, _ = predict(checked, inputs, initial_state)
    step_losses, _ = readout_loss(
        outputs, targets, loss=loss, step_weights=step_weights
    )
    return float(step_losses.sum())


@dataclasses.dataclass(frozen=True)
class BPTTResult:
    """The loss and every gradient of one forward and backward pass.

    Attributes:
        loss: the total loss ``L``.
        step_losses: ``(time,)`` the per-step losses ``l_t`` (they sum to ``loss``).
        gradients: ``{name: dL/dname}`` for every key of :data:`WEIGHT_NAMES`.
        rnn: the SimpleRNN's gradients, with ``dL/dh_t`` and (on request) the per-step
            contributions.
        cache: the forward pass's cache (the stored states).
    """

    loss: float
    step_losses: np.ndarray
    gradients: dict[str, np.ndarray]
    rnn: SimpleRNNGradients
    cache: SimpleRNNCache


def loss_and_gradients(
    weights: Weights,
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    loss: str = "squared_error",
    step_weights: np.ndarray | None = None,
    initial_state: np.ndarray | None = None,
    per_step: bool = False,
) -> BPTTResult:
    """Forward pass, per-step losses and backpropagation through time, by hand.

    Args:
        weights: ``{name: array}`` with the keys of :data:`WEIGHT_NAMES`: ``kernel``
            ``(features, units)``, ``recurrent_kernel`` ``(units, units)``, ``bias``
            ``(units,)``, ``readout_kernel`` ``(units, outputs)``, ``readout_bias``
            ``(outputs,)``.
        inputs: ``(batch, time, features)``.
        targets: ``(batch, time, outputs)``.
        loss: one of :data:`LOSSES` (see :func:`readout_loss`).
        step_weights: ``(time,)`` weight of each step's loss; ones by default.
        initial_state: ``(batch, units)``; zeros by default. Treated as a constant.
        per_step: also return the per-step contributions to the shared weights' gradients.

    Returns:
        :class:`BPTTResult`.
    """
    per_step = _checks.boolean("per_step", per_step)
    w, inputs, targets = check_data(
        weights, inputs, targets, initial_state=initial_state
    )
    cache = simple_rnn_forward_with_cache(
        inputs, w["kernel"], w["recurrent_kernel"], w["bias"], initial_state
    )
    outputs = cache.states @ w["readout_kernel"] + w["readout_bias"]
    step_losses, output_gradients = readout_loss(
        outputs, targets, loss=loss, step_weights=step_weights
    )
    direct = output_gradients @ w["readout_kernel"].T  # dl_t/dh_t
    rnn = simple_rnn_gradients(
        cache, w["kernel"], w["recurrent_kernel"], direct, per_step=per_step
    )
    gradients = {
        "kernel": rnn.kernel,
        "recurrent_kernel": rnn.recurrent_kernel,
        "bias": rnn.bias,
        "readout_kernel": np.tensordot(
            cache.states, output_gradients, axes=([0, 1], [0, 1])
        ),
        "readout_bias": output_gradients.sum(axis=(0, 1)),
    }
    return BPTTResult(float(step_losses.sum()), step_losses, gradients, rnn, cache)


def simple_rnn_gradients(
    cache: SimpleRNNCache,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    state_gradients: np.ndarray,
    *,
    per_step: bool = False,
) -> SimpleRNNGradients:
    """Chapter 4's :func:`simple_rnn_backward` on a cache, checked, as :class:`SimpleRNNGradients`.

    ``kernel`` ``(features, units)`` gives ``dL/dx_t``; ``state_gradients``
    ``(batch, time, units)`` are the direct ``dl_t/dh_t``; ``per_step`` adds each step's
    contribution to the shared weights' gradients.
    """
    per_step = _checks.boolean("per_step", per_step)
    kernel, recurrent_kernel, state_gradients = check_backward_arguments(
        cache, kernel, recurrent_kernel, state_gradients
    )
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
        kernel_per_step=np.einsum("btf,btu->tfu", cache.inputs, dz)
        if per_step
        else None,
        recurrent_kernel_per_step=(
            np.einsum("btv,btu->tvu", previous, dz) if per_step else None
        ),
        bias_per_step=dz.sum(axis=0) if per_step else None,
    )


# The backward loop chapter 4 teaches, generated from its cell (scripts/taught_code.py;
# edit the cell, then `make taught`), here with its arguments checked first.
from rnn_utils.taught import bptt as taught  # noqa: E402


@functools.wraps(taught.simple_rnn_backward)
def simple_rnn_backward(
    inputs, states, initial_state, recurrent_kernel, state_gradients
):
    batch, time, units = _checks.array("states", states, 3).shape
    expected = {
        "inputs": (inputs, (batch, time, None)),
        "states": (states, (batch, time, units)),
        "initial_state": (initial_state, (batch, units)),
        "recurrent_kernel": (recurrent_kernel, (units, units)),
        "state_gradients": (state_gradients, (batch, time, units)),
    }
    for name, (value, shape) in expected.items():
        _checks.shape_matches(name, _checks.array(name, value, len(shape)), shape)
    return taught.simple_rnn_backward(
        *(np.asarray(value) for value, _ in expected.values())
    )
