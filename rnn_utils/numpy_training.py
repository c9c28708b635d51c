"""Train chapter 4's NumPy SimpleRNN by hand: initial weights, truncated BPTT, Adam, scoring."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping

import numpy as np

from rnn_utils import _bptt_core as bptt_core
from rnn_utils import _checks, bptt


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
            if not 0.0 <= _checks.real(name, beta) < 1.0:
                raise ValueError(f"{name} must lie in [0, 1), got {beta!r}")
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = _checks.positive_float("epsilon", epsilon)
        self.iterations = 0
        self._m: dict[str, np.ndarray] = {}
        self._v: dict[str, np.ndarray] = {}

    def apply(
        self, weights: dict[str, np.ndarray], gradients: Mapping[str, np.ndarray]
    ) -> None:
        """Update ``weights`` in place with one Adam step along ``gradients``.

        Only the weights named in ``gradients`` change; leaving a name out freezes it.
        """
        for name, value in (("weights", weights), ("gradients", gradients)):
            if not isinstance(value, Mapping):
                raise ValueError(
                    f"{name} must be a mapping of names to arrays, got {type(value).__name__}"
                )
        unknown = sorted(set(gradients) - set(weights))
        if unknown:
            raise ValueError(
                f"gradients must name weights in {sorted(weights)}, got {unknown}"
            )
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


def init_weights(
    features: int,
    units: int,
    outputs: int,
    *,
    seed: int,
    recurrent_scale: float = 1.0,
    dtype: type = np.float64,
) -> dict[str, np.ndarray]:
    """Random weights for :func:`rnn_utils.bptt.loss_and_gradients`, initialised as Keras does.

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
        ``{name: array}`` with the keys of :data:`rnn_utils.bptt.WEIGHT_NAMES`.
    """
    features = _checks.positive_int("features", features)
    units = _checks.positive_int("units", units)
    outputs = _checks.positive_int("outputs", outputs)
    recurrent_scale = _checks.positive_float("recurrent_scale", recurrent_scale)
    try:
        floating = dtype is not None and np.issubdtype(np.dtype(dtype), np.floating)
    except TypeError:
        floating = False
    if not floating:
        raise ValueError(
            f"dtype must be a floating type such as np.float64, got {dtype!r}"
        )
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


def time_chunks(time: int, window: int | None) -> list[slice]:
    """Slices of ``window`` consecutive steps covering ``0 .. time - 1`` (the last may be
    shorter); one slice for ``window=None``."""
    time = _checks.positive_int("time", time)
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
    weights: bptt.Weights,
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
    :func:`rnn_utils.bptt.loss_and_gradients`. ``window=None`` or ``window >= time`` is full BPTT.

    Args:
        weights: ``{name: array}`` with the keys of :data:`rnn_utils.bptt.WEIGHT_NAMES`.
        inputs: ``(batch, time, features)``.
        targets: ``(batch, time, outputs)``.
        window: truncation window ``k`` >= 1, or ``None``.
        loss, step_weights, initial_state: as in :func:`rnn_utils.bptt.loss_and_gradients`.

    Returns:
        :class:`TruncatedResult`.
    """
    w, inputs, targets, step_weights, state = bptt.check_data(
        weights,
        inputs,
        targets,
        loss=loss,
        step_weights=step_weights,
        initial_state=initial_state,
    )
    total, steps, largest = 0.0, [], 0
    gradients = {name: np.zeros_like(value) for name, value in w.items()}
    for chunk in time_chunks(inputs.shape[1], window):
        result = bptt_core.loss_and_gradients(  # checked once, above
            w,
            inputs[:, chunk],
            targets[:, chunk],
            loss,
            step_weights[chunk],
            state,
            per_step=False,
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
    trainable: Collection[str] = bptt.WEIGHT_NAMES,
) -> TrainingStep:
    """Update ``weights`` in place on one batch of sequences, with full or truncated BPTT.

    With ``window=None`` (full BPTT) the whole sequence is one forward and one backward pass
    and one update. With ``window=k`` the sequence is cut into chunks of ``k`` steps (the
    last may be shorter). Each chunk starts from the state the previous chunk ended in, so
    the forward pass is the same as without truncation, but that state is a constant: no
    gradient flows back across a chunk boundary. Each chunk gets its own update.

    Args:
        weights: ``{name: array}``, keys :data:`rnn_utils.bptt.WEIGHT_NAMES`; updated in place.
        optimizer: an :class:`Adam`.
        inputs: ``(batch, time, features)``.
        targets: ``(batch, time, outputs)``.
        window: truncation window ``k`` >= 1, or ``None`` for full BPTT.
        loss: one of :data:`rnn_utils.bptt.LOSSES`.
        step_weights: ``(time,)`` weight of each step's loss; ones by default.
        initial_state: ``(batch, units)`` state before the first step; zeros by default.
        trainable: names of the weights to update; the others stay as they are (for
            example ``("readout_kernel", "readout_bias")`` trains the read-out only).

    Returns:
        :class:`TrainingStep`.
    """
    names = bptt.WEIGHT_NAMES
    if (
        isinstance(trainable, str)
        or not isinstance(trainable, Collection)
        or not set(trainable) <= set(names)
        or not trainable
    ):
        raise ValueError(
            f"trainable must be a non-empty collection of names from {bptt.WEIGHT_NAMES}"
        )
    if not isinstance(optimizer, Adam):
        raise ValueError(
            f"optimizer must be an rnn_utils.numpy_training.Adam, got {type(optimizer).__name__}"
        )
    if not isinstance(weights, dict):
        raise ValueError(
            f"weights must be a dict (it is updated in place), got {type(weights).__name__}"
        )
    _, inputs, targets, step_weights, state = bptt.check_data(
        weights,
        inputs,
        targets,
        loss=loss,
        step_weights=step_weights,
        initial_state=initial_state,
    )
    for name in names:
        if not isinstance(weights[name], np.ndarray) or weights[name].dtype.kind != "f":
            raise ValueError(
                f"weights[{name!r}] must be a float NumPy array (it is updated in place), "
                f"got {type(weights[name]).__name__}"
            )
    losses, steps = [], []
    for chunk in time_chunks(inputs.shape[1], window):
        result = bptt_core.loss_and_gradients(  # checked once, above
            weights,
            inputs[:, chunk],
            targets[:, chunk],
            loss,
            step_weights[chunk],
            state,
            per_step=False,
        )
        optimizer.apply(weights, {name: result.gradients[name] for name in trainable})
        state = result.cache.final_state  # carried forward; its gradient is dropped
        losses.append(result.loss)
        steps.append(chunk.stop - chunk.start)
    return TrainingStep(losses, steps, np.asarray(state))


def echo_accuracy(
    weights: bptt.Weights,
    inputs: np.ndarray,
    targets: np.ndarray,
    step_weights: np.ndarray,
) -> float:
    """Share of scored steps where the read-out's sign gives the right bit.

    Args:
        weights: a model trained with ``loss="sigmoid_cross_entropy"``.
        inputs, targets, step_weights: as :func:`rnn_utils.memory_tasks.delayed_echo`
            returns them; steps with weight 0 are not scored.

    Returns:
        Accuracy in [0, 1].
    """
    if step_weights is None:
        raise ValueError("step_weights must be a (time,) array, got None")
    outputs, _ = bptt.predict(weights, inputs)
    targets = _checks.array("targets", targets, 3)
    _checks.shape_matches("targets", targets, outputs.shape)
    step_weights = bptt.check_step_weights(step_weights, outputs.shape[1])
    scored = step_weights > 0
    if not np.any(scored):
        raise ValueError("step_weights must score at least one step")
    correct = (outputs[:, scored] > 0) == (targets[:, scored] > 0.5)
    return float(np.mean(correct))
