"""Data and helpers for the sequence shapes of chapter 3: one-to-many, many-to-one,
many-to-many (aligned and delayed) and forecasting.

- :func:`damped_waves` — waveforms generated from a few parameters (one-to-many);
- :func:`switching_signal`, :func:`two_state_posterior`, :func:`best_threshold` — a noisy
  signal with a hidden on/off state, the exact Bayes posterior of that state, and the best
  rule that looks at one observation only (aligned many-to-many);
- :func:`number_words`, :func:`number_translation`, :func:`decode_words` — numbers written in
  digits translated into English words (encoder–decoder, many-to-many delayed);
- :func:`forecast_windows`, :func:`chronological_split` — windows of a series with the next
  ``horizon`` values as targets, split in time order (forecasting);
- :func:`plot_sequence_shapes` — the schematic figure of the five shapes.

Every generator takes a ``seed`` and returns the same arrays for the same arguments.
Shapes follow Keras: ``(batch, time)`` for integer-coded sequences,
``(batch, time, features)`` for real-valued ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import numpy as np

from rnn_utils import _checks

# ------------------------------------------------------------------ one-to-many: waveforms

WAVE_PARAMETERS = ("frequency", "phase", "amplitude", "damping")
"""Columns of :attr:`Waveforms.parameters`, in order."""

FREQUENCY_RANGE = (0.02, 0.10)
"""Frequencies are drawn uniformly from this range, in cycles per step (periods 10 to 50)."""

AMPLITUDE_RANGE = (0.5, 1.5)
"""Amplitudes are drawn uniformly from this range."""

DAMPING_RANGE = (0.0, 0.05)
"""Damping rates are drawn uniformly from this range, per step."""


def _to_unit(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    low, high = bounds
    return (2.0 * (values - low) / (high - low) - 1.0).astype(np.float32)


@dataclasses.dataclass(frozen=True)
class Waveforms:
    """Damped sine waves and the parameters that generated them.

    Attributes:
        parameters: ``(waves, 4)`` float64, columns named by :data:`WAVE_PARAMETERS`:
            frequency (cycles per step), phase (radians), amplitude, damping (per step).
        features: ``(waves, 5)`` float32, the same parameters as a network input, each in
            [-1, 1]: frequency, cos(phase), sin(phase), amplitude, damping (the phase enters
            as a point on the circle, so 0 and 2π are the same input).
        waves: ``(waves, time)`` float32,
            ``amplitude * exp(-damping * t) * sin(2π frequency t + phase)`` for ``t = 0, 1, …``.
    """

    parameters: np.ndarray
    features: np.ndarray
    waves: np.ndarray


def damped_waves(num_waves: int, length: int, *, seed: int) -> Waveforms:
    """Draw ``num_waves`` damped sine waves of ``length`` samples.

    Frequency, amplitude and damping are uniform on :data:`FREQUENCY_RANGE`,
    :data:`AMPLITUDE_RANGE` and :data:`DAMPING_RANGE`; the phase is uniform on [0, 2π).

    Args:
        num_waves: number of waves, >= 1.
        length: samples per wave, >= 1.
        seed: seed of the generator.

    Returns:
        :class:`Waveforms` with ``features`` ``(num_waves, 5)`` and ``waves``
        ``(num_waves, length)``.
    """
    num_waves = _checks.positive_int("num_waves", num_waves)
    length = _checks.positive_int("length", length)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    frequency = rng.uniform(*FREQUENCY_RANGE, num_waves)
    phase = rng.uniform(0.0, 2.0 * np.pi, num_waves)
    amplitude = rng.uniform(*AMPLITUDE_RANGE, num_waves)
    damping = rng.uniform(*DAMPING_RANGE, num_waves)
    t = np.arange(length)
    waves = (
        amplitude[:, None]
        * np.exp(-damping[:, None] * t)
        * np.sin(2.0 * np.pi * frequency[:, None] * t + phase[:, None])
    )
    features = np.stack(
        [
            _to_unit(frequency, FREQUENCY_RANGE),
            np.cos(phase).astype(np.float32),
            np.sin(phase).astype(np.float32),
            _to_unit(amplitude, AMPLITUDE_RANGE),
            _to_unit(damping, DAMPING_RANGE),
        ],
        axis=1,
    )
    parameters = np.stack([frequency, phase, amplitude, damping], axis=1)
    return Waveforms(parameters, features, waves.astype(np.float32))


# ------------------------------------------------- many-to-many, aligned: a switching signal


@dataclasses.dataclass(frozen=True)
class SwitchingSignal:
    """Noisy observations of a hidden two-state Markov chain.

    Attributes:
        observations: ``(sequences, time, 1)`` float32, ``2 * state - 1`` (the level -1 for
            "off", +1 for "on") plus Gaussian noise of standard deviation ``noise_std``.
        states: ``(sequences, time)`` int64 hidden states, 0 (off) or 1 (on).
        switch_probability: probability that the state changes between two steps.
        noise_std: standard deviation of the observation noise.
    """

    observations: np.ndarray
    states: np.ndarray
    switch_probability: float
    noise_std: float


def switching_signal(
    num_sequences: int,
    length: int,
    *,
    switch_probability: float,
    noise_std: float,
    seed: int,
) -> SwitchingSignal:
    """Draw sequences of a hidden on/off state that switches rarely, seen through noise.

    The first state is on or off with probability 1/2 (the chain's stationary
    distribution); at every later step it flips with probability ``switch_probability``.

    Args:
        num_sequences: number of sequences, >= 1.
        length: steps per sequence, >= 1.
        switch_probability: flip probability per step, in [0, 1].
        noise_std: standard deviation of the Gaussian observation noise, > 0.
        seed: seed of the generator.

    Returns:
        :class:`SwitchingSignal` with ``observations`` ``(num_sequences, length, 1)``.
    """
    num_sequences = _checks.positive_int("num_sequences", num_sequences)
    length = _checks.positive_int("length", length)
    switch_probability = _checks.probability("switch_probability", switch_probability)
    noise_std = _checks.positive_float("noise_std", noise_std)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    first = rng.integers(0, 2, size=(num_sequences, 1))
    flips = rng.random((num_sequences, length - 1)) < switch_probability
    flip_count = np.concatenate([np.zeros((num_sequences, 1), int), np.cumsum(flips, axis=1)], 1)
    states = ((first + flip_count) % 2).astype(np.int64)
    noise = rng.normal(0.0, noise_std, size=states.shape)
    observations = (2.0 * states - 1.0 + noise)[..., None].astype(np.float32)
    return SwitchingSignal(observations, states, switch_probability, noise_std)


def two_state_posterior(
    observations: np.ndarray,
    *,
    switch_probability: float,
    noise_std: float,
    smooth: bool = False,
) -> np.ndarray:
    """Exact probability that the hidden state is on, for the model of :func:`switching_signal`.

    With ``smooth=False`` this is the *filtered* probability ``P(state_t = 1 | x_1..x_t)``
    (the forward algorithm of a hidden Markov model): thresholded at 1/2 it is the best
    possible predictor that reads the sequence left to right, as a one-directional RNN does.
    With ``smooth=True`` it is ``P(state_t = 1 | x_1..x_T)`` (forward–backward), the best
    possible predictor that sees the whole sequence.

    Args:
        observations: ``(sequences, time, 1)`` or ``(sequences, time)`` observations.
        switch_probability: flip probability per step, in [0, 1].
        noise_std: observation noise standard deviation, > 0.
        smooth: condition on the whole sequence instead of the past and present.

    Returns:
        ``(sequences, time)`` float64 probabilities in [0, 1].
    """
    x = np.asarray(observations, dtype=np.float64)
    if x.ndim == 3:
        _checks.shape_matches("observations", x, (None, None, 1))
        x = x[..., 0]
    x = _checks.array("observations", x, 2)
    if x.shape[1] == 0:
        raise ValueError(f"observations must have at least one step, got shape {x.shape}")
    p = _checks.probability("switch_probability", switch_probability)
    sigma = _checks.positive_float("noise_std", noise_std)
    # Gaussian likelihoods of the levels -1 (off) and +1 (on); common factors cancel.
    log_off, log_on = -((x + 1.0) ** 2), -((x - 1.0) ** 2)
    shift = np.maximum(log_off, log_on)
    likelihood = np.stack(
        [np.exp((log_off - shift) / (2 * sigma**2)), np.exp((log_on - shift) / (2 * sigma**2))],
        axis=-1,
    )
    transition = np.array([[1 - p, p], [p, 1 - p]])
    steps = x.shape[1]
    forward = np.empty_like(likelihood)
    belief = np.full((x.shape[0], 2), 0.5)
    for t in range(steps):
        if t > 0:
            belief = belief @ transition
        belief = belief * likelihood[:, t]
        belief /= belief.sum(axis=1, keepdims=True)
        forward[:, t] = belief
    if not smooth:
        return forward[..., 1]
    posterior = np.empty_like(forward)
    backward = np.ones((x.shape[0], 2))
    for t in range(steps - 1, -1, -1):
        joint = forward[:, t] * backward
        posterior[:, t] = joint / joint.sum(axis=1, keepdims=True)
        backward = (likelihood[:, t] * backward) @ transition.T
        backward /= backward.sum(axis=1, keepdims=True)
    return posterior[..., 1]


@dataclasses.dataclass(frozen=True)
class ThresholdRule:
    """Predict 1 when a value is above ``threshold`` (or below it, if ``above`` is False).

    Attributes:
        threshold: the cut.
        above: whether values above the cut are predicted as 1.
        accuracy: accuracy of the rule on the data it was fitted to.
    """

    threshold: float
    above: bool
    accuracy: float

    def predict(self, values: np.ndarray) -> np.ndarray:
        """Labels (int64, 0 or 1) for ``values`` of any shape."""
        values = np.asarray(values)
        hit = values > self.threshold if self.above else values < self.threshold
        return hit.astype(np.int64)


def best_threshold(values: np.ndarray, labels: np.ndarray) -> ThresholdRule:
    """The single threshold on ``values`` that classifies ``labels`` best.

    Every cut between two consecutive distinct sorted values is tried, in both directions,
    so the returned rule is the best one-number classifier on this data.

    Args:
        values: real values of any shape.
        labels: 0/1 labels of the same shape.

    Returns:
        :class:`ThresholdRule` whose ``accuracy`` is its accuracy on ``values``.
    """
    values = np.asarray(values, dtype=np.float64)
    labels = np.asarray(labels)
    if values.shape != labels.shape:
        raise ValueError(
            f"values and labels must have the same shape, got {values.shape} and {labels.shape}"
        )
    if values.size == 0:
        raise ValueError("values must not be empty")
    if not np.all(np.isfinite(values)):
        raise ValueError("values must contain only finite numbers")
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError("labels must contain only 0 and 1")
    order = np.argsort(values.ravel(), kind="stable")
    sorted_values = values.ravel()[order]
    sorted_labels = labels.ravel()[order].astype(np.int64)
    n = sorted_values.size
    # Cut after position k (k = 0..n): the first k values go to one side.
    ones_below = np.concatenate([[0], np.cumsum(sorted_labels)])
    zeros_below = np.arange(n + 1) - ones_below
    ones_total = ones_below[-1]
    correct_above = zeros_below + (ones_total - ones_below)  # predict 1 above the cut
    correct_below = ones_below + (n - np.arange(n + 1) - (ones_total - ones_below))
    # Only cuts between distinct values (and the two ends) are realisable.
    valid = np.ones(n + 1, bool)
    valid[1:n] = sorted_values[1:] > sorted_values[:-1]
    scores = np.where(valid, np.maximum(correct_above, correct_below), -1)
    k = int(np.argmax(scores))
    if k == 0:
        cut = sorted_values[0] - 1.0
    elif k == n:
        cut = sorted_values[-1] + 1.0
    else:
        cut = 0.5 * (sorted_values[k - 1] + sorted_values[k])
    above = bool(correct_above[k] >= correct_below[k])
    return ThresholdRule(float(cut), above, float(scores[k] / n))


# --------------------------------------------- many-to-many, delayed: numbers into words

SOURCE_PAD = 0
"""Padding code of the digit sequences; digit ``d`` has code ``d + 1``."""

SOURCE_VOCABULARY_SIZE = 11
"""Number of source codes: padding and the ten digits."""

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

TARGET_TOKENS = ("<pad>", "<start>", "<end>", *_ONES, *_TEENS, *_TENS, "hundred")
"""Target vocabulary: ``TARGET_TOKENS[i]`` has code ``i``."""

TARGET_PAD, TARGET_START, TARGET_END = 0, 1, 2
"""Codes of the padding, start and end tokens of the target sequences."""

MAX_NUMBER = 999
"""Largest number :func:`number_words` writes."""

MAX_DIGITS = 3
"""Length of the padded digit sequences."""

MAX_WORDS = 4
"""Most words any number up to :data:`MAX_NUMBER` needs ("seven hundred forty two")."""

_TARGET_CODE = {token: code for code, token in enumerate(TARGET_TOKENS)}


def number_words(number: int) -> list[str]:
    """Write ``number`` (0 to 999) in English words, without "and": 342 -> three hundred forty two.

    Args:
        number: an integer in [0, :data:`MAX_NUMBER`].

    Returns:
        The words, 1 to :data:`MAX_WORDS` of them.
    """
    number = _checks.non_negative_int("number", number)
    if number > MAX_NUMBER:
        raise ValueError(f"number must lie in [0, {MAX_NUMBER}], got {number}")
    if number == 0:
        return ["zero"]
    hundreds, rest = divmod(number, 100)
    words = [_ONES[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        words.append(_TENS[rest // 10 - 2])
        if rest % 10:
            words.append(_ONES[rest % 10])
    elif rest >= 10:
        words.append(_TEENS[rest - 10])
    elif rest > 0:
        words.append(_ONES[rest])
    return words


@dataclasses.dataclass(frozen=True)
class NumberTranslation:
    """Numbers as digit sequences (source) and word sequences (target), padded for Keras.

    Attributes:
        numbers: ``(examples,)`` int64, the numbers.
        source: ``(examples, MAX_DIGITS)`` int64 digit codes (digit ``d`` -> ``d + 1``), no
            leading zeros, padded at the end with :data:`SOURCE_PAD` (0).
        source_lengths: ``(examples,)`` int64, digits per number (1 to 3).
        decoder_inputs: ``(examples, MAX_WORDS + 1)`` int64 target codes shifted right:
            ``<start>`` then the words, padded with ``<pad>`` (teacher forcing).
        targets: ``(examples, MAX_WORDS + 1)`` int64, the words then ``<end>``, padded with
            ``<pad>``.
        target_lengths: ``(examples,)`` int64, words per number plus one for ``<end>``.
    """

    numbers: np.ndarray
    source: np.ndarray
    source_lengths: np.ndarray
    decoder_inputs: np.ndarray
    targets: np.ndarray
    target_lengths: np.ndarray


def number_translation(numbers: Iterable[int]) -> NumberTranslation:
    """Encode numbers for the digits-to-words encoder–decoder.

    Args:
        numbers: integers in [0, :data:`MAX_NUMBER`]; at least one.

    Returns:
        :class:`NumberTranslation` with ``source`` ``(examples, 3)`` and ``targets``
        ``(examples, 5)``.
    """
    values = [_checks.non_negative_int("numbers", n) for n in numbers]
    if not values:
        raise ValueError("numbers must contain at least one number")
    count = len(values)
    source = np.full((count, MAX_DIGITS), SOURCE_PAD, dtype=np.int64)
    decoder_inputs = np.full((count, MAX_WORDS + 1), TARGET_PAD, dtype=np.int64)
    targets = np.full((count, MAX_WORDS + 1), TARGET_PAD, dtype=np.int64)
    source_lengths = np.empty(count, dtype=np.int64)
    target_lengths = np.empty(count, dtype=np.int64)
    for row, number in enumerate(values):
        words = number_words(number)  # also checks the range
        digits = [int(c) + 1 for c in str(number)]
        source[row, : len(digits)] = digits
        codes = [_TARGET_CODE[word] for word in words]
        decoder_inputs[row, : len(codes) + 1] = [TARGET_START, *codes]
        targets[row, : len(codes) + 1] = [*codes, TARGET_END]
        source_lengths[row] = len(digits)
        target_lengths[row] = len(codes) + 1
    return NumberTranslation(
        np.array(values, dtype=np.int64),
        source,
        source_lengths,
        decoder_inputs,
        targets,
        target_lengths,
    )


def decode_words(codes: Sequence[int] | np.ndarray) -> str:
    """Target codes -> text, stopping at the first ``<end>`` or ``<pad>``.

    Args:
        codes: ``(time,)`` target codes.

    Returns:
        The words joined by spaces (empty if the first code ends the sequence).
    """
    codes = _checks.array("codes", np.asarray(codes), 1)
    if codes.size and not np.issubdtype(codes.dtype, np.integer):
        raise ValueError(f"codes must be integers, got dtype {codes.dtype}")
    if codes.size and (codes.min() < 0 or codes.max() >= len(TARGET_TOKENS)):
        raise ValueError(f"codes must lie in [0, {len(TARGET_TOKENS)}), got {codes.tolist()}")
    words = []
    for code in codes.tolist():
        if code in (TARGET_END, TARGET_PAD):
            break
        words.append(TARGET_TOKENS[code])
    return " ".join(words)


# ----------------------------------------------------------------------- forecasting


@dataclasses.dataclass(frozen=True)
class ForecastWindows:
    """Windows of a series and the values that follow each of them.

    Attributes:
        inputs: ``(windows, window, 1)`` float32, ``series[s : s + window]`` for each start ``s``.
        targets: ``(windows, horizon)`` float32, ``series[s + window : s + window + horizon]``:
            column ``h - 1`` is the value ``h`` steps after the window's last one.
        first_target: ``(windows,)`` int64, the index in the series of ``targets[:, 0]``.
    """

    inputs: np.ndarray
    targets: np.ndarray
    first_target: np.ndarray

    def __len__(self) -> int:
        return len(self.inputs)

    @property
    def horizon(self) -> int:
        """Number of future values per window."""
        return self.targets.shape[1]

    def persistence(self) -> np.ndarray:
        """The persistence forecast: every future value equals the window's last value.

        Returns:
            ``(windows, horizon)`` float32.
        """
        return np.repeat(self.inputs[:, -1, :], self.horizon, axis=1)

    def subset(self, rows: np.ndarray) -> ForecastWindows:
        """The windows selected by ``rows`` (indices or a boolean mask)."""
        return ForecastWindows(self.inputs[rows], self.targets[rows], self.first_target[rows])


def forecast_windows(series: np.ndarray, window: int, horizon: int) -> ForecastWindows:
    """Every window of ``window`` consecutive values with the ``horizon`` values after it.

    Args:
        series: ``(time,)`` values, in time order.
        window: values the model sees, >= 1.
        horizon: future values to predict, >= 1; ``window + horizon <= time``.

    Returns:
        :class:`ForecastWindows` with ``time - window - horizon + 1`` windows, in time order.
    """
    series = _checks.array("series", series, 1, dtype=np.float64)
    window = _checks.positive_int("window", window)
    horizon = _checks.positive_int("horizon", horizon)
    if window + horizon > len(series):
        raise ValueError(
            f"window + horizon must be at most the series length {len(series)}, "
            f"got {window} + {horizon}"
        )
    count = len(series) - window - horizon + 1
    starts = np.arange(count)
    inputs = series[starts[:, None] + np.arange(window)]
    targets = series[starts[:, None] + window + np.arange(horizon)]
    return ForecastWindows(
        inputs[..., None].astype(np.float32),
        targets.astype(np.float32),
        (starts + window).astype(np.int64),
    )


def chronological_split(
    windows: ForecastWindows, boundaries: tuple[int, int]
) -> tuple[ForecastWindows, ForecastWindows, ForecastWindows]:
    """Split windows into train, validation and test by *when their targets fall*.

    With ``boundaries = (b1, b2)`` the series is cut into the periods ``[0, b1)``,
    ``[b1, b2)`` and ``[b2, end)``. A window belongs to a period when all its targets lie in
    it; windows whose targets straddle a boundary are dropped, so no target is ever used in
    two parts. A window's *inputs* may reach back into an earlier period: those values are
    in the past at prediction time.

    Args:
        windows: from :func:`forecast_windows`.
        boundaries: ``(b1, b2)`` series indices with ``0 < b1 < b2``.

    Returns:
        ``(train, validation, test)``.
    """
    if not isinstance(windows, ForecastWindows):
        raise ValueError(f"windows must be ForecastWindows, got {type(windows).__name__}")
    if len(boundaries) != 2:
        raise ValueError(f"boundaries must be two indices (b1, b2), got {boundaries!r}")
    b1 = _checks.positive_int("boundaries[0]", boundaries[0])
    b2 = _checks.positive_int("boundaries[1]", boundaries[1])
    if b2 <= b1:
        raise ValueError(f"boundaries must be increasing, got {boundaries!r}")
    first = windows.first_target
    last = first + windows.horizon - 1
    parts = (last < b1, (first >= b1) & (last < b2), first >= b2)
    result = tuple(windows.subset(mask) for mask in parts)
    for name, part in zip(("train", "validation", "test"), result, strict=True):
        if len(part) == 0:
            raise ValueError(f"boundaries {boundaries!r} leave the {name} part without windows")
    return result  # type: ignore[return-value]


# ------------------------------------------------------------------ the shapes, drawn

SHAPE_NAMES = (
    "one-to-many",
    "many-to-one",
    "many-to-many, aligned",
    "many-to-many, delayed",
    "forecasting",
)
"""The five shapes of chapter 3, in the order :func:`plot_sequence_shapes` draws them."""

_SHAPES: dict[str, dict] = {
    "one-to-many": {
        "inputs": {0: "$v$"},
        "faint_inputs": (1, 2, 3),
        "outputs": {t: f"$y_{t + 1}$" for t in range(4)},
        "steps": 4,
        "example": "parameters → waveform\n(captioning)",
    },
    "many-to-one": {
        "inputs": {t: f"$x_{t + 1}$" for t in range(4)},
        "outputs": {3: "$y$"},
        "steps": 4,
        "example": "rows of a digit → class\n(document classification)",
    },
    "many-to-many, aligned": {
        "inputs": {t: f"$x_{t + 1}$" for t in range(4)},
        "outputs": {t: f"$y_{t + 1}$" for t in range(4)},
        "steps": 4,
        "example": "signal → state per step\n(frame-by-frame video)",
    },
    "many-to-many, delayed": {
        "inputs": {0: "$x_1$", 1: "$x_2$", 2: "$x_3$", 3: "start", 4: "$y_1$", 5: "$y_2$"},
        "outputs": {3: "$y_1$", 4: "$y_2$", 5: "end"},
        "steps": 6,
        "decoder_from": 3,
        "example": "digits → words\n(translation)",
    },
    "forecasting": {
        "inputs": {t: f"$x_{{t-{3 - t}}}$" if t < 3 else "$x_t$" for t in range(4)},
        "outputs": {3: "$x_{t+h}$"},
        "steps": 4,
        "example": "past sunspots → year $t+h$\n(forecast, horizon $h$)",
    },
}


def _box(ax, x: float, y: float, text: str, face: str, edge: str = "0.2", alpha: float = 1.0):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - 0.32, y - 0.22),
            0.64,
            0.44,
            boxstyle="round,pad=0.02",
            facecolor=face,
            edgecolor=edge,
            alpha=alpha,
            linewidth=1.0,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=9, alpha=alpha)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], alpha: float = 1.0, **kw):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": "->", "color": "0.25", "lw": 1.0, "alpha": alpha, **kw},
    )


def draw_sequence_shape(ax, name: str) -> None:
    """Draw one shape of :data:`SHAPE_NAMES` on ``ax`` as an unrolled network.

    Inputs are drawn at the bottom, recurrent cells (one per step, the same weights) in the
    middle with the state passed to the right, outputs at the top. Faint inputs are the
    repeated vector of the one-to-many model (``RepeatVector``); in the delayed shape the
    decoder's cells are coloured differently and each output is fed back as the next input.

    Args:
        ax: a matplotlib axis.
        name: one of :data:`SHAPE_NAMES`.
    """
    if name not in _SHAPES:
        raise ValueError(f"name must be one of {SHAPE_NAMES}, got {name!r}")
    spec = _SHAPES[name]
    steps = spec["steps"]
    decoder_from = spec.get("decoder_from", steps)
    for t in range(steps):
        decoder = t >= decoder_from
        _box(ax, t, 1.0, "$h$" if not decoder else "$s$", "#f4b183" if decoder else "#9dc3e6")
        if t > 0:
            _arrow(ax, (t - 0.66, 1.0), (t - 0.34, 1.0))
        if t in spec["inputs"]:
            _box(ax, t, 0.0, spec["inputs"][t], "#e2f0d9")
            _arrow(ax, (t, 0.24), (t, 0.76))
        elif t in spec.get("faint_inputs", ()):
            _box(ax, t, 0.0, spec["inputs"][0], "#e2f0d9", alpha=0.35)
            _arrow(ax, (t, 0.24), (t, 0.76), alpha=0.35)
        if t in spec["outputs"]:
            _box(ax, t, 2.0, spec["outputs"][t], "#fff2cc")
            _arrow(ax, (t, 1.24), (t, 1.76))
    if decoder_from < steps:
        for t in range(decoder_from + 1, steps):  # each output is the next decoder input
            ax.annotate(
                "",
                xy=(t - 0.2, 0.24),
                xytext=(t - 1 + 0.34, 2.0),
                arrowprops={
                    "arrowstyle": "->",
                    "color": "#c55a11",
                    "lw": 0.9,
                    "linestyle": "--",
                    "connectionstyle": "arc3,rad=-0.25",
                },
            )
    ax.set_xlim(-0.6, steps - 0.4)
    ax.set_ylim(-1.15, 2.5)
    ax.text((steps - 1) / 2, -0.75, spec["example"], ha="center", va="center", fontsize=8)
    ax.set_title(name)
    ax.set_aspect("equal")
    ax.axis("off")


def plot_sequence_shapes(figsize: tuple[float, float] = (16.0, 3.4)):
    """Draw the five shapes of :data:`SHAPE_NAMES` side by side, one panel each.

    Args:
        figsize: figure size in inches.

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    if len(figsize) != 2 or not all(isinstance(v, int | float) and v > 0 for v in figsize):
        raise ValueError(f"figsize must be (width, height) in inches, both > 0, got {figsize!r}")
    widths = [_SHAPES[name]["steps"] for name in SHAPE_NAMES]
    fig, axes = plt.subplots(
        1, len(SHAPE_NAMES), figsize=figsize, gridspec_kw={"width_ratios": widths}
    )
    for ax, name in zip(axes, SHAPE_NAMES, strict=True):
        draw_sequence_shape(ax, name)
    return fig


__all__ = [
    "AMPLITUDE_RANGE",
    "DAMPING_RANGE",
    "FREQUENCY_RANGE",
    "MAX_DIGITS",
    "MAX_NUMBER",
    "MAX_WORDS",
    "SHAPE_NAMES",
    "SOURCE_PAD",
    "SOURCE_VOCABULARY_SIZE",
    "TARGET_END",
    "TARGET_PAD",
    "TARGET_START",
    "TARGET_TOKENS",
    "WAVE_PARAMETERS",
    "ForecastWindows",
    "NumberTranslation",
    "SwitchingSignal",
    "ThresholdRule",
    "Waveforms",
    "best_threshold",
    "chronological_split",
    "damped_waves",
    "decode_words",
    "draw_sequence_shape",
    "forecast_windows",
    "number_translation",
    "number_words",
    "plot_sequence_shapes",
    "switching_signal",
    "two_state_posterior",
]
