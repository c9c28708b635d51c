"""Backpropagation through time for the SimpleRNN, by hand in NumPy.

The network is the book's SimpleRNN with a linear read-out at every step, in Keras' weight
layout (row vectors, ``kernel = W^T``, ``recurrent_kernel = U^T``)::

    h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)        # (batch, units)
    a_t = h_t @ readout_kernel + readout_bias                           # (batch, outputs)
    L   = sum_t l_t,   l_t = w_t * mean over the batch of loss(a_t, y_t)

The pieces can be used on their own:

- :func:`simple_rnn_forward_with_cache` runs the recurrence and keeps every state (the
  cache that BPTT needs: exactly ``batch * time * units`` numbers);
- :func:`readout_loss` gives the per-step losses and their gradients with respect to the
  read-out's outputs; :func:`readout_backward` turns those into gradients of the read-out's
  weights and the *direct* gradients ``dl_t/dh_t``;
- :func:`simple_rnn_backward` runs the backward recursion
  ``delta_t = dl_t/dh_t + (delta_{t+1} * (1 - h_{t+1}^2)) @ recurrent_kernel.T`` and returns
  the gradients of every weight, the per-step gradients ``dL/dh_t`` and, on request, each
  step's contribution to the gradients of the shared weights;
- :func:`loss_and_gradients` does all of it for a weight dictionary (the keys of
  :data:`WEIGHT_NAMES`), :func:`loss_value` only the forward pass, and
  :func:`finite_difference_gradients` checks either numerically;
- :func:`truncated_loss_and_gradients` computes the truncated gradient (chunks of
  ``window`` steps: the state is carried forward from chunk to chunk, the gradient is not
  carried back), and :func:`train_on_sequences` trains with full or truncated BPTT and
  :class:`Adam`;
- :func:`delayed_echo` and :func:`echo_accuracy` are the task that shows what truncation
  cannot learn.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping

import numpy as np

from rnn_utils import _checks, reference

WEIGHT_NAMES = ("kernel", "recurrent_kernel", "bias", "readout_kernel", "readout_bias")
"""Keys of a weight dictionary, in order: the SimpleRNN's three, then the read-out's two."""

LOSSES = ("squared_error", "sigmoid_cross_entropy")
"""Per-step losses :func:`readout_loss` knows."""

Weights = Mapping[str, np.ndarray]


# --------------------------------------------------------------------------- forward


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
        return np.concatenate([self.initial_state[:, None, :], self.states[:, :-1]], axis=1)

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
    """Run a tanh SimpleRNN and keep what backpropagation through time needs.

    The recurrence is :func:`rnn_utils.reference.simple_rnn_forward`.

    Args:
        inputs: ``(batch, time, features)``.
        kernel: ``(features, units)`` (Keras' ``kernel``, ``W^T``).
        recurrent_kernel: ``(units, units)`` (``U^T``).
        bias: ``(units,)``.
        initial_state: ``(batch, units)``; zeros by default.

    Returns:
        A :class:`SimpleRNNCache` with the inputs, ``h_0`` and every state.
    """
    states = reference.simple_rnn_forward(
        inputs, kernel, recurrent_kernel, bias, initial_state=initial_state
    )
    inputs = np.asarray(inputs)
    if initial_state is None:
        h0 = np.zeros((states.shape[0], states.shape[2]), dtype=states.dtype)
    else:
        h0 = np.asarray(initial_state, dtype=states.dtype)
    return SimpleRNNCache(inputs=inputs, initial_state=h0, states=states)


# --------------------------------------------------------------------------- backward


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


def simple_rnn_backward(
    cache: SimpleRNNCache,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    state_gradients: np.ndarray,
    *,
    per_step: bool = False,
) -> SimpleRNNGradients:
    """Backpropagation through time for a tanh SimpleRNN.

    Walks from the last step to the first with
    ``delta_t = g_t + (delta_{t+1} * (1 - h_{t+1}^2)) @ recurrent_kernel.T``, where
    ``g_t = dl_t/dh_t`` is the direct gradient of the loss at step ``t`` (zero at steps with
    no loss), and sums each weight's gradient over the steps that share it.

    Args:
        cache: the forward pass, from :func:`simple_rnn_forward_with_cache`.
        kernel: ``(features, units)``, the same as in the forward pass.
        recurrent_kernel: ``(units, units)``, the same as in the forward pass.
        state_gradients: ``(batch, time, units)`` the direct gradients ``g_t``.
        per_step: also return each step's contribution to the shared weights' gradients.

    Returns:
        :class:`SimpleRNNGradients`.
    """
    if not isinstance(cache, SimpleRNNCache):
        raise ValueError(f"cache must be a SimpleRNNCache, got {type(cache).__name__}")
    batch, time, units = cache.states.shape
    features = cache.inputs.shape[2]
    kernel = _checks.array("kernel", kernel, 2)
    recurrent_kernel = _checks.array("recurrent_kernel", recurrent_kernel, 2)
    _checks.shape_matches("kernel", kernel, (features, units))
    _checks.shape_matches("recurrent_kernel", recurrent_kernel, (units, units))
    state_gradients = _checks.array("state_gradients", state_gradients, 3)
    _checks.shape_matches("state_gradients", state_gradients, (batch, time, units))
    return _backward(cache, kernel, recurrent_kernel, state_gradients, per_step)


def _backward(
    cache: SimpleRNNCache,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    state_gradients: np.ndarray,
    per_step: bool,
) -> SimpleRNNGradients:
    """:func:`simple_rnn_backward` without the argument checks."""
    batch, time, units = cache.states.shape
    dtype = np.result_type(cache.states, state_gradients)
    # Time-major copies, so that each step below reads and writes contiguous memory.
    direct = np.ascontiguousarray(state_gradients.transpose(1, 0, 2), dtype=dtype)
    tanh_derivative = np.ascontiguousarray((1.0 - cache.states**2).transpose(1, 0, 2))
    deltas = np.empty((time, batch, units), dtype=dtype)
    dz = np.empty((time, batch, units), dtype=dtype)
    carried = np.zeros((batch, units), dtype=dtype)  # dL/dh_t arriving from step t + 1
    for t in range(time - 1, -1, -1):
        np.add(direct[t], carried, out=deltas[t])  # delta_t = g_t + U^T eps_{t+1}
        np.multiply(deltas[t], tanh_derivative[t], out=dz[t])  # eps_t
        carried = dz[t] @ recurrent_kernel.T
    deltas, dz = deltas.transpose(1, 0, 2), dz.transpose(1, 0, 2)  # back to (batch, time, units)
    previous = cache.previous_states
    return SimpleRNNGradients(
        kernel=np.tensordot(cache.inputs, dz, axes=([0, 1], [0, 1])),
        recurrent_kernel=np.tensordot(previous, dz, axes=([0, 1], [0, 1])),
        bias=dz.sum(axis=(0, 1)),
        states=deltas,
        preactivations=dz,
        inputs=dz @ kernel.T,
        initial_state=carried,
        kernel_per_step=np.einsum("btf,btu->tfu", cache.inputs, dz) if per_step else None,
        recurrent_kernel_per_step=np.einsum("btv,btu->tvu", previous, dz) if per_step else None,
        bias_per_step=dz.sum(axis=0) if per_step else None,
    )


# --------------------------------------------------------------------------- read-out and loss


def _check_loss(loss: str) -> str:
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    return loss


def _check_step_weights(step_weights: np.ndarray | None, time: int, dtype: object) -> np.ndarray:
    if step_weights is None:
        return np.ones(time, dtype=dtype)
    step_weights = _checks.array("step_weights", step_weights, 1)
    _checks.shape_matches("step_weights", step_weights, (time,))
    if np.any(step_weights < 0):
        raise ValueError("step_weights must be non-negative")
    return step_weights.astype(dtype, copy=False)


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
    (``"sigmoid_cross_entropy"``, ``a`` a logit and ``y`` in [0, 1]). The total loss is
    ``L = sum_t l_t``.

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
    loss = _check_loss(loss)
    outputs = _checks.array("outputs", outputs, 3)
    targets = _checks.array("targets", targets, 3)
    _checks.shape_matches("targets", targets, outputs.shape)
    dtype = np.result_type(outputs, targets, np.float32)
    step_weights = _check_step_weights(step_weights, outputs.shape[1], dtype)
    return _readout_loss(outputs, targets, loss, step_weights)


def _readout_loss(
    outputs: np.ndarray, targets: np.ndarray, loss: str, step_weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`readout_loss` without the argument checks."""
    dtype = np.result_type(outputs, targets, np.float32)
    weights = step_weights.astype(dtype, copy=False)[None, :, None] / outputs.shape[0]
    if loss == "squared_error":
        error = outputs - targets
        elementwise = 0.5 * error**2
        output_gradients = weights * error
    else:
        elementwise = np.logaddexp(0.0, outputs) - targets * outputs
        probabilities = 0.5 * (1.0 + np.tanh(0.5 * outputs))  # the sigmoid, without overflow
        output_gradients = weights * (probabilities - targets)
    step_losses = (weights * elementwise).sum(axis=(0, 2))
    return step_losses, output_gradients.astype(dtype, copy=False)


def linear_readout(
    states: np.ndarray, readout_kernel: np.ndarray, readout_bias: np.ndarray
) -> np.ndarray:
    """The read-out ``a_t = h_t @ readout_kernel + readout_bias`` at every step.

    Args:
        states: ``(batch, time, units)``.
        readout_kernel: ``(units, outputs)`` (``V^T``, Keras' ``Dense`` kernel).
        readout_bias: ``(outputs,)``.

    Returns:
        ``(batch, time, outputs)``.
    """
    states = _checks.array("states", states, 3)
    readout_kernel = _checks.array("readout_kernel", readout_kernel, 2)
    readout_bias = _checks.array("readout_bias", readout_bias, 1)
    _checks.shape_matches("readout_kernel", readout_kernel, (states.shape[2], None))
    _checks.shape_matches("readout_bias", readout_bias, (readout_kernel.shape[1],))
    return states @ readout_kernel + readout_bias


def readout_backward(
    states: np.ndarray, readout_kernel: np.ndarray, output_gradients: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients through the linear read-out.

    Args:
        states: ``(batch, time, units)`` the states the read-out saw.
        readout_kernel: ``(units, outputs)``.
        output_gradients: ``(batch, time, outputs)`` ``dL/da_t``.

    Returns:
        ``(readout_kernel_gradient, readout_bias_gradient, state_gradients)`` of shapes
        ``(units, outputs)``, ``(outputs,)`` and ``(batch, time, units)``; the last are the
        direct gradients ``dl_t/dh_t`` that :func:`simple_rnn_backward` takes.
    """
    states = _checks.array("states", states, 3)
    readout_kernel = _checks.array("readout_kernel", readout_kernel, 2)
    output_gradients = _checks.array("output_gradients", output_gradients, 3)
    _checks.shape_matches("readout_kernel", readout_kernel, (states.shape[2], None))
    _checks.shape_matches(
        "output_gradients", output_gradients, (*states.shape[:2], readout_kernel.shape[1])
    )
    return (
        np.tensordot(states, output_gradients, axes=([0, 1], [0, 1])),
        output_gradients.sum(axis=(0, 1)),
        output_gradients @ readout_kernel.T,
    )


# --------------------------------------------------------------------------- the whole model


def _check_weights(weights: Weights) -> dict[str, np.ndarray]:
    if not isinstance(weights, Mapping):
        raise ValueError(
            f"weights must be a mapping with keys {WEIGHT_NAMES}, got {type(weights).__name__}"
        )
    missing = [name for name in WEIGHT_NAMES if name not in weights]
    if missing:
        raise ValueError(f"weights must have the keys {WEIGHT_NAMES}; missing {missing}")
    ranks = {"kernel": 2, "recurrent_kernel": 2, "bias": 1, "readout_kernel": 2, "readout_bias": 1}
    checked = {name: _checks.array(name, weights[name], ranks[name]) for name in WEIGHT_NAMES}
    units = checked["kernel"].shape[1]
    _checks.shape_matches("recurrent_kernel", checked["recurrent_kernel"], (units, units))
    _checks.shape_matches("bias", checked["bias"], (units,))
    _checks.shape_matches("readout_kernel", checked["readout_kernel"], (units, None))
    _checks.shape_matches(
        "readout_bias", checked["readout_bias"], (checked["readout_kernel"].shape[1],)
    )
    return checked


def init_weights(
    features: int,
    units: int,
    outputs: int,
    *,
    seed: int,
    recurrent_scale: float = 1.0,
    dtype: type = np.float64,
) -> dict[str, np.ndarray]:
    """Random weights for :func:`loss_and_gradients`, initialised the way Keras does.

    ``kernel`` and ``readout_kernel`` are Glorot-uniform, ``recurrent_kernel`` is a random
    orthogonal matrix times ``recurrent_scale`` (Keras' default is orthogonal, scale 1),
    biases are zero.

    Args:
        features: inputs per step ``d``.
        units: hidden units ``n``.
        outputs: outputs of the read-out per step.
        seed: seed of the generator.
        recurrent_scale: factor on the orthogonal recurrent matrix (its singular values).
        dtype: floating type of the arrays.

    Returns:
        ``{name: array}`` with the keys of :data:`WEIGHT_NAMES`.
    """
    features = _checks.positive_int("features", features)
    units = _checks.positive_int("units", units)
    outputs = _checks.positive_int("outputs", outputs)
    recurrent_scale = _checks.positive_float("recurrent_scale", recurrent_scale)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))

    def glorot(fan_in: int, fan_out: int) -> np.ndarray:
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, (fan_in, fan_out))

    q, r = np.linalg.qr(rng.normal(size=(units, units)))
    orthogonal = q * np.sign(np.diag(r))
    weights = {
        "kernel": glorot(features, units),
        "recurrent_kernel": recurrent_scale * orthogonal,
        "bias": np.zeros(units),
        "readout_kernel": glorot(units, outputs),
        "readout_bias": np.zeros(outputs),
    }
    return {name: value.astype(dtype) for name, value in weights.items()}


def _check_data(
    weights: dict[str, np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
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
    return inputs, targets


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
    inputs = _checks.array("inputs", inputs, 3)
    states = reference.simple_rnn_forward(
        inputs,
        weights["kernel"],
        weights["recurrent_kernel"],
        weights["bias"],
        initial_state=initial_state,
    )
    return linear_readout(states, weights["readout_kernel"], weights["readout_bias"]), states


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
    checked = _check_weights(weights)
    inputs, targets = _check_data(checked, inputs, targets, initial_state)
    outputs, _ = predict(checked, inputs, initial_state)
    step_losses, _ = readout_loss(outputs, targets, loss=loss, step_weights=step_weights)
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
    checked = _check_weights(weights)
    inputs, targets = _check_data(checked, inputs, targets, initial_state)
    loss = _check_loss(loss)
    step_weights = _check_step_weights(step_weights, inputs.shape[1], np.float64)
    return _loss_and_gradients(
        checked, inputs, targets, loss, step_weights, initial_state, per_step
    )


def _loss_and_gradients(
    weights: dict[str, np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    loss: str,
    step_weights: np.ndarray,
    initial_state: np.ndarray | None,
    per_step: bool = False,
) -> BPTTResult:
    """:func:`loss_and_gradients` on checked arguments (used in the training loops)."""
    cache = simple_rnn_forward_with_cache(
        inputs,
        weights["kernel"],
        weights["recurrent_kernel"],
        weights["bias"],
        initial_state=initial_state,
    )
    outputs = cache.states @ weights["readout_kernel"] + weights["readout_bias"]
    step_losses, output_gradients = _readout_loss(outputs, targets, loss, step_weights)
    rnn = _backward(
        cache,
        weights["kernel"],
        weights["recurrent_kernel"],
        output_gradients @ weights["readout_kernel"].T,  # dl_t/dh_t
        per_step,
    )
    readout_kernel_gradient = np.tensordot(cache.states, output_gradients, axes=([0, 1], [0, 1]))
    readout_bias_gradient = output_gradients.sum(axis=(0, 1))
    gradients = {
        "kernel": rnn.kernel,
        "recurrent_kernel": rnn.recurrent_kernel,
        "bias": rnn.bias,
        "readout_kernel": readout_kernel_gradient,
        "readout_bias": readout_bias_gradient,
    }
    return BPTTResult(float(step_losses.sum()), step_losses, gradients, rnn, cache)


# --------------------------------------------------------------------------- numerical checks


def finite_difference_gradients(
    loss_fn: Callable[[dict[str, np.ndarray]], float],
    weights: Weights,
    *,
    epsilon: float = 1e-5,
) -> dict[str, np.ndarray]:
    """Central finite differences ``(L(w + eps) - L(w - eps)) / (2 eps)``, one weight at a time.

    Use float64 weights: in float32 the rounding error of ``L`` swamps the difference.

    Args:
        loss_fn: maps a weight dictionary to the scalar loss.
        weights: ``{name: array}``; not modified.
        epsilon: the step, > 0.

    Returns:
        ``{name: array}`` of the same shapes: the estimated gradient.
    """
    epsilon = _checks.positive_float("epsilon", epsilon)
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError("weights must be a non-empty mapping of name -> array")
    work = {name: np.array(value, dtype=np.float64) for name, value in weights.items()}
    estimates = {}
    for name, value in work.items():
        estimate = np.empty_like(value)
        flat, flat_estimate = value.reshape(-1), estimate.reshape(-1)
        for i in range(flat.size):
            saved = flat[i]
            flat[i] = saved + epsilon
            plus = float(loss_fn(work))
            flat[i] = saved - epsilon
            minus = float(loss_fn(work))
            flat[i] = saved
            flat_estimate[i] = (plus - minus) / (2.0 * epsilon)
        estimates[name] = estimate
    return estimates


def relative_error(a: Mapping[str, np.ndarray], b: Mapping[str, np.ndarray]) -> float:
    """``||a - b|| / max(||a||, ||b||)`` over all arrays of two gradient dictionaries.

    Args:
        a, b: ``{name: array}`` with the same keys and shapes.

    Returns:
        The relative error (0 when both are zero).
    """
    if set(a) != set(b):
        raise ValueError(f"a and b must have the same keys, got {sorted(a)} and {sorted(b)}")
    for name in a:
        if np.shape(a[name]) != np.shape(b[name]):
            raise ValueError(
                f"a[{name!r}] and b[{name!r}] must have the same shape, "
                f"got {np.shape(a[name])} and {np.shape(b[name])}"
            )
    names = sorted(a)
    flat_a = np.concatenate([np.ravel(a[name]).astype(np.float64) for name in names])
    flat_b = np.concatenate([np.ravel(b[name]).astype(np.float64) for name in names])
    scale = max(float(np.linalg.norm(flat_a)), float(np.linalg.norm(flat_b)))
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(flat_a - flat_b) / scale)


# --------------------------------------------------------------------------- training


class Adam:
    """The Adam optimiser (Kingma and Ba) for a dictionary of NumPy arrays.

    Args:
        learning_rate: step size ``eta`` > 0.
        beta_1: decay of the first-moment estimate, in [0, 1).
        beta_2: decay of the second-moment estimate, in [0, 1).
        epsilon: added to the denominator, > 0.
    """

    def __init__(
        self,
        learning_rate: float = 1e-3,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        self.learning_rate = _checks.positive_float("learning_rate", learning_rate)
        for name, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= float(beta) < 1.0:
                raise ValueError(f"{name} must lie in [0, 1), got {beta!r}")
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = _checks.positive_float("epsilon", epsilon)
        self.iterations = 0
        self._m: dict[str, np.ndarray] = {}
        self._v: dict[str, np.ndarray] = {}

    def apply(self, weights: dict[str, np.ndarray], gradients: Mapping[str, np.ndarray]) -> None:
        """Update ``weights`` in place with one Adam step along ``gradients``.

        Only the weights named in ``gradients`` change; leaving a name out freezes it.
        """
        unknown = sorted(set(gradients) - set(weights))
        if unknown:
            raise ValueError(f"gradients must name weights in {sorted(weights)}, got {unknown}")
        for name, gradient in gradients.items():
            if np.shape(gradient) != np.shape(weights[name]):
                raise ValueError(
                    f"gradients[{name!r}] must have shape {np.shape(weights[name])}, "
                    f"got {np.shape(gradient)}"
                )
        self.iterations += 1
        correction_1 = 1.0 - self.beta_1**self.iterations
        correction_2 = 1.0 - self.beta_2**self.iterations
        for name, gradient in gradients.items():
            m = self._m.setdefault(name, np.zeros_like(weights[name]))
            v = self._v.setdefault(name, np.zeros_like(weights[name]))
            m *= self.beta_1
            m += (1.0 - self.beta_1) * gradient
            v *= self.beta_2
            v += (1.0 - self.beta_2) * gradient**2
            step = (m / correction_1) / (np.sqrt(v / correction_2) + self.epsilon)
            weights[name] -= self.learning_rate * step


def _chunks(time: int, window: int | None) -> list[slice]:
    window = time if window is None else _checks.positive_int("window", window)
    return [slice(start, min(start + window, time)) for start in range(0, time, window)]


@dataclasses.dataclass(frozen=True)
class TruncatedResult:
    """Loss and gradients of truncated BPTT at fixed weights.

    Attributes:
        loss: the total loss ``L`` (the forward pass is not truncated, so it is the same
            loss as without truncation).
        gradients: ``{name: array}`` the sum of the chunks' gradients: the *truncated*
            gradient, which differs from ``dL/dname`` unless the window covers the sequence.
        steps_per_update: time steps each chunk back-propagated through.
        largest_cache: the most states any one chunk stored (``batch * window * units``).
    """

    loss: float
    gradients: dict[str, np.ndarray]
    steps_per_update: list[int]
    largest_cache: int


def truncated_loss_and_gradients(
    weights: Weights,
    inputs: np.ndarray,
    targets: np.ndarray,
    window: int | None,
    *,
    loss: str = "squared_error",
    step_weights: np.ndarray | None = None,
    initial_state: np.ndarray | None = None,
) -> TruncatedResult:
    """Truncated BPTT at fixed weights: chunks of ``window`` steps, gradients summed.

    Each chunk starts from the state the previous chunk ended in (a constant: no gradient
    crosses a chunk boundary) and is differentiated on its own with
    :func:`loss_and_gradients`. ``window=None`` or ``window >= time`` is full BPTT.

    Args:
        weights: ``{name: array}`` with the keys of :data:`WEIGHT_NAMES`.
        inputs: ``(batch, time, features)``.
        targets: ``(batch, time, outputs)``.
        window: truncation window ``k`` >= 1, or ``None``.
        loss, step_weights, initial_state: as in :func:`loss_and_gradients`.

    Returns:
        :class:`TruncatedResult`.
    """
    checked = _check_weights(weights)
    inputs, targets = _check_data(checked, inputs, targets, initial_state)
    loss = _check_loss(loss)
    time = inputs.shape[1]
    step_weights = _check_step_weights(step_weights, time, np.float64)
    state = initial_state
    total = 0.0
    gradients = {name: np.zeros_like(value) for name, value in checked.items()}
    steps, largest = [], 0
    for chunk in _chunks(time, window):
        result = _loss_and_gradients(
            checked, inputs[:, chunk], targets[:, chunk], loss, step_weights[chunk], state
        )
        state = result.cache.final_state
        total += result.loss
        for name in gradients:
            gradients[name] += result.gradients[name]
        steps.append(chunk.stop - chunk.start)
        largest = max(largest, result.cache.stored_values)
    return TruncatedResult(total, gradients, steps, largest)


@dataclasses.dataclass(frozen=True)
class TrainingStep:
    """What one call of :func:`train_on_sequences` did.

    Attributes:
        losses: the loss of each update (one per chunk; one in all for full BPTT).
        steps_per_update: time steps each update back-propagated through.
        final_state: ``(batch, units)`` the state after the last step, to carry on.
    """

    losses: list[float]
    steps_per_update: list[int]
    final_state: np.ndarray


def train_on_sequences(
    weights: dict[str, np.ndarray],
    optimizer: Adam,
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    window: int | None = None,
    loss: str = "squared_error",
    step_weights: np.ndarray | None = None,
    initial_state: np.ndarray | None = None,
    trainable: Collection[str] = WEIGHT_NAMES,
) -> TrainingStep:
    """Update ``weights`` in place on one batch of sequences, with full or truncated BPTT.

    With ``window=None`` (full BPTT) the whole sequence is one forward and one backward pass
    and one update. With ``window=k`` the sequence is cut into chunks of ``k`` steps (the
    last may be shorter). Each chunk starts from the state the previous chunk ended in, so
    the forward pass is the same as without truncation, but that state is a constant: no
    gradient flows back across a chunk boundary. Each chunk gets its own update.

    Args:
        weights: ``{name: array}`` with the keys of :data:`WEIGHT_NAMES`; updated in place.
        optimizer: an :class:`Adam`.
        inputs: ``(batch, time, features)``.
        targets: ``(batch, time, outputs)``.
        window: truncation window ``k`` >= 1, or ``None`` for full BPTT.
        loss: one of :data:`LOSSES`.
        step_weights: ``(time,)`` weight of each step's loss; ones by default.
        initial_state: ``(batch, units)`` state before the first step; zeros by default.
        trainable: names of the weights to update; the others stay as they are (for
            example ``("readout_kernel", "readout_bias")`` trains the read-out only).

    Returns:
        :class:`TrainingStep`.
    """
    if isinstance(trainable, str) or not set(trainable) <= set(WEIGHT_NAMES) or not trainable:
        raise ValueError(f"trainable must be a non-empty collection of names from {WEIGHT_NAMES}")
    if not isinstance(optimizer, Adam):
        raise ValueError(
            f"optimizer must be an rnn_utils.bptt.Adam, got {type(optimizer).__name__}"
        )
    if not isinstance(weights, dict):
        raise ValueError(
            f"weights must be a dict (it is updated in place), got {type(weights).__name__}"
        )
    checked = _check_weights(weights)
    inputs, targets = _check_data(checked, inputs, targets, initial_state)
    loss = _check_loss(loss)
    time = inputs.shape[1]
    step_weights = _check_step_weights(step_weights, time, np.float64)
    state = initial_state
    losses, steps = [], []
    for chunk in _chunks(time, window):
        result = _loss_and_gradients(
            weights, inputs[:, chunk], targets[:, chunk], loss, step_weights[chunk], state
        )
        optimizer.apply(weights, {name: result.gradients[name] for name in trainable})
        state = result.cache.final_state  # carried forward; its gradient is dropped
        losses.append(result.loss)
        steps.append(chunk.stop - chunk.start)
    return TrainingStep(losses, steps, np.asarray(state))


def echo_accuracy(
    weights: Weights, inputs: np.ndarray, targets: np.ndarray, step_weights: np.ndarray
) -> float:
    """Share of scored steps where the read-out's sign gives the right bit.

    Args:
        weights: a model trained with ``loss="sigmoid_cross_entropy"``.
        inputs, targets, step_weights: as returned by :func:`delayed_echo`; steps with
            weight 0 are not scored.

    Returns:
        Accuracy in [0, 1].
    """
    outputs, _ = predict(weights, inputs)
    targets = _checks.array("targets", targets, 3)
    _checks.shape_matches("targets", targets, outputs.shape)
    step_weights = _check_step_weights(step_weights, outputs.shape[1], np.float64)
    scored = step_weights > 0
    if not np.any(scored):
        raise ValueError("step_weights must score at least one step")
    correct = (outputs[:, scored] > 0) == (targets[:, scored] > 0.5)
    return float(np.mean(correct))


# --------------------------------------------------------------------------- the echo task


def delayed_echo(
    batch: int, time: int, lag: int, *, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random bits in, the same bits ``lag`` steps later out.

    The input at each step is a fair random bit coded as -1 or +1; the target at step ``t``
    is the bit (0 or 1) that came in at step ``t - lag``. The first ``lag`` steps have no
    target; their step weight is 0.

    Args:
        batch: number of sequences, >= 1.
        time: steps per sequence, > ``lag``.
        lag: the delay, >= 1.
        seed: seed of the generator.

    Returns:
        ``(inputs, targets, step_weights)`` of shapes ``(batch, time, 1)``,
        ``(batch, time, 1)`` and ``(time,)``, float64.
    """
    batch = _checks.positive_int("batch", batch)
    time = _checks.positive_int("time", time)
    lag = _checks.positive_int("lag", lag)
    if time <= lag:
        raise ValueError(f"time must be greater than lag ({lag}), got {time}")
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    bits = rng.integers(0, 2, (batch, time)).astype(np.float64)
    targets = np.zeros_like(bits)
    targets[:, lag:] = bits[:, :-lag]
    step_weights = np.ones(time)
    step_weights[:lag] = 0.0
    return (2.0 * bits - 1.0)[..., None], targets[..., None], step_weights
