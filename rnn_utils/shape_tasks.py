"""Seeded generators of chapter 3's data: damped waves, a switching signal, numbers in words."""

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
    flip_count = np.concatenate(
        [np.zeros((num_sequences, 1), int), np.cumsum(flips, axis=1)], 1
    )
    states = ((first + flip_count) % 2).astype(np.int64)
    noise = rng.normal(0.0, noise_std, size=states.shape)
    observations = (2.0 * states - 1.0 + noise)[..., None].astype(np.float32)
    return SwitchingSignal(observations, states, switch_probability, noise_std)


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
    if isinstance(numbers, (str, bytes)) or not isinstance(numbers, Iterable):
        raise ValueError(f"numbers must be an iterable of integers, got {numbers!r}")
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
        raise ValueError(
            f"codes must lie in [0, {len(TARGET_TOKENS)}), got {codes.tolist()}"
        )
    words = []
    for code in codes.tolist():
        if code in (TARGET_END, TARGET_PAD):
            break
        words.append(TARGET_TOKENS[code])
    return " ".join(words)


__all__ = [
    "AMPLITUDE_RANGE",
    "DAMPING_RANGE",
    "FREQUENCY_RANGE",
    "MAX_DIGITS",
    "MAX_NUMBER",
    "MAX_WORDS",
    "SOURCE_PAD",
    "SOURCE_VOCABULARY_SIZE",
    "TARGET_END",
    "TARGET_PAD",
    "TARGET_START",
    "TARGET_TOKENS",
    "WAVE_PARAMETERS",
    "NumberTranslation",
    "SwitchingSignal",
    "Waveforms",
    "damped_waves",
    "decode_words",
    "number_translation",
    "number_words",
    "switching_signal",
]
