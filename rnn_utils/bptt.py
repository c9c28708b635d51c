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

import functools
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from rnn_utils import _bptt_core as core
from rnn_utils import _checks, cells
from rnn_utils._bptt_core import BPTTResult, SimpleRNNCache, SimpleRNNGradients
from rnn_utils.taught import bptt as taught

__all__ = [
    "LOSSES",
    "WEIGHT_NAMES",
    "BPTTResult",
    "CheckedData",
    "SimpleRNNCache",
    "SimpleRNNGradients",
    "Weights",
    "check_backward_arguments",
    "check_data",
    "check_step_weights",
    "loss_and_gradients",
    "loss_value",
    "predict",
    "readout_loss",
    "simple_rnn_backward",
    "simple_rnn_forward_with_cache",
    "simple_rnn_gradients",
]

WEIGHT_NAMES = ("kernel", "recurrent_kernel", "bias", "readout_kernel", "readout_bias")
"""Keys of a weight dictionary, in order: the SimpleRNN's three, then the read-out's two."""

LOSSES = ("squared_error", "sigmoid_cross_entropy")
"""Per-step losses :func:`readout_loss` knows."""

Weights = Mapping[str, np.ndarray]


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
    dtype = np.result_type(inputs, kernel)
    h0 = _checks.state(
        "initial_state", initial_state, inputs.shape[0], kernel.shape[1], dtype
    )
    return core.forward(inputs, kernel, recurrent_kernel, bias, h0)


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
    step_weights = check_step_weights(step_weights, outputs.shape[1])
    return core.readout_loss(outputs, targets, loss, step_weights)


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


class CheckedData(NamedTuple):
    """The arguments of :func:`loss_and_gradients` as :func:`check_data` returns them."""

    weights: dict[str, np.ndarray]
    inputs: np.ndarray
    targets: np.ndarray
    step_weights: np.ndarray
    initial_state: np.ndarray | None


def check_data(
    weights: Weights,
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    loss: str = "squared_error",
    step_weights: np.ndarray | None = None,
    initial_state: np.ndarray | None = None,
) -> CheckedData:
    """Check the arguments of :func:`loss_and_gradients` once, for loops that call its
    arithmetic many times: weights, ``(batch, time, features)`` inputs with ``time >= 1``,
    ``(batch, time, outputs)`` targets, the loss's name, ``(time,)`` step weights and an
    optional ``(batch, units)`` initial state. Returns them as arrays (step weights filled
    in with ones)."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    weights = _check_weights(weights)
    inputs = _checks.sequence_inputs(inputs, weights["kernel"].shape[0])
    targets = _checks.array("targets", targets, 3)
    _checks.shape_matches(
        "targets", targets, (*inputs.shape[:2], weights["readout_kernel"].shape[1])
    )
    if initial_state is not None:
        initial_state = _checks.array("initial_state", initial_state, 2)
        _checks.shape_matches(
            "initial_state",
            initial_state,
            (inputs.shape[0], weights["kernel"].shape[1]),
        )
    step_weights = check_step_weights(step_weights, inputs.shape[1])
    return CheckedData(weights, inputs, targets, step_weights, initial_state)


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
    inputs = _checks.sequence_inputs(inputs, weights["kernel"].shape[0])
    if initial_state is not None:
        initial_state = _checks.state(
            "initial_state",
            initial_state,
            inputs.shape[0],
            weights["bias"].shape[0],
            None,
        )
    outputs, cache = core.predict(weights, inputs, initial_state)
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
    data = check_data(
        weights,
        inputs,
        targets,
        loss=loss,
        step_weights=step_weights,
        initial_state=initial_state,
    )
    outputs, _ = core.predict(data.weights, data.inputs, data.initial_state)
    step_losses, _ = core.readout_loss(outputs, data.targets, loss, data.step_weights)
    return float(step_losses.sum())


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
    data = check_data(
        weights,
        inputs,
        targets,
        loss=loss,
        step_weights=step_weights,
        initial_state=initial_state,
    )
    return core.loss_and_gradients(*data[:3], loss, *data[3:], per_step)


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
    return core.gradients(cache, kernel, recurrent_kernel, state_gradients, per_step)


# The backward loop chapter 4 teaches, generated from its cell (scripts/taught_code.py;
# edit the cell, then `make taught`), here with its arguments checked first.


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
