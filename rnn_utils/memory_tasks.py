"""Seeded long-memory tasks: adding, multiplication, temporal order, delayed echo and copy.

The first three go back to Hochreiter & Schmidhuber (1997), who built them so that the
answer depends on a few inputs far apart in time, with everything between them noise. The adding
and multiplication problems are generated here in the later, simpler form of Le, Jaitly &
Hinton (2015) (values from U[0, 1], one marker in each half of the sequence), not in the
1997 form; :func:`adding_problem` says how the two differ. They are the book's yardsticks
for chapters 5-8: a plain tanh RNN solves them at short lengths and fails at long ones.
:func:`delayed_echo` (chapter 4) asks for a bit back a fixed number of steps later, the
task that shows what truncated BPTT cannot learn. :func:`copy_problem` is the copy task of
Arjovsky, Shah & Bengio (2016): ten symbols to reproduce after a long blank stretch.
:func:`echo_pairs` (chapter 11) gives an encoder-decoder a string of symbols to write back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_utils import _checks

ADDING_BASELINE_MSE = 1.0 / 6.0
"""MSE of always predicting 1, the mean of the sum of two U[0, 1] numbers: Var = 2/12.

Le, Jaitly & Hinton (2015), whose variant :func:`adding_problem` generates, give the
baseline as "around 0.1767"; that figure does not match the analytic value 1/6 ~ 0.1667
(and it has been copied from their paper into many later texts)."""

MULTIPLICATION_BASELINE_MSE = 7.0 / 144.0
"""MSE of always predicting 1/4, the mean of the product of two U[0, 1] numbers.

It is the variance of the product: E[x^2] E[y^2] - (1/4)^2 = 1/9 - 1/16 = 7/144 ~ 0.0486."""


@dataclass(frozen=True)
class MarkedPairProblem:
    """A batch of the adding or the multiplication problem: two marked values to combine.

    Attributes:
        inputs: ``(batch, time, 2)`` float32; channel 0 holds the values drawn from U[0, 1],
            channel 1 is 1 at the two marked steps and 0 elsewhere.
        targets: ``(batch, 1)`` float32, the sum (adding) or the product (multiplication)
            of the two marked values.
        marker_positions: ``(batch, 2)`` int, the two marked steps (first < second).
    """

    inputs: np.ndarray
    targets: np.ndarray
    marker_positions: np.ndarray

    @property
    def length(self) -> int:
        """Number of steps ``time`` in each sequence."""
        return int(self.inputs.shape[1])


def adding_problem(num_sequences: int, length: int, *, seed: int) -> MarkedPairProblem:
    """Generate the adding problem in the variant of Le, Jaitly & Hinton (2015).

    Each sequence has ``length`` steps of a value from U[0, 1] and a marker channel. One
    marker falls in the first half of the sequence, one in the second half, both uniformly
    at random; the target is the sum of the two marked values. A network must therefore
    remember a value for up to ``length - 1`` steps. Predicting the constant 1 scores
    MSE = 1/6 (:data:`ADDING_BASELINE_MSE`).

    This is not experiment 4 of Hochreiter & Schmidhuber (1997), where the task was
    introduced: there the values lie in [-1, 1], the first marker falls among the first
    ten steps and the second among the first ``length / 2 - 1``, the target is
    ``0.5 + (x1 + x2) / 4`` (so it lies in [0, 1]), and a sequence counts as solved when
    the absolute error is below 0.04.

    Args:
        num_sequences: batch size, >= 1.
        length: steps per sequence, >= 2.
        seed: seed of the generator.

    Returns:
        A :class:`MarkedPairProblem` with ``inputs`` of shape ``(num_sequences, length, 2)``.

    Raises:
        ValueError: if ``num_sequences < 1`` or ``length < 2``.
    """
    values, positions = _marked_pair(num_sequences, length, seed=seed)
    rows = np.arange(len(values))
    targets = values[rows, positions[:, 0]] + values[rows, positions[:, 1]]
    return _marked_pair_batch(values, positions, targets)


def multiplication_problem(
    num_sequences: int, length: int, *, seed: int
) -> MarkedPairProblem:
    """Generate the multiplication problem (experiment 5 of Hochreiter & Schmidhuber 1997).

    The inputs are laid out exactly as in :func:`adding_problem` (values from U[0, 1], one
    marker in each half); the target is the *product* of the two marked values. Predicting
    the constant 1/4 scores MSE = 7/144 (:data:`MULTIPLICATION_BASELINE_MSE`). (The 1997
    paper puts the first marker among the first ten steps; here the markers fall as in our
    adding problem, so the two tasks differ only in what is computed from the kept values.)

    Args:
        num_sequences: batch size, >= 1.
        length: steps per sequence, >= 2.
        seed: seed of the generator.

    Returns:
        A :class:`MarkedPairProblem` whose ``targets`` ``(num_sequences, 1)`` hold the
        products.

    Raises:
        ValueError: if ``num_sequences < 1`` or ``length < 2``.
    """
    values, positions = _marked_pair(num_sequences, length, seed=seed)
    rows = np.arange(len(values))
    targets = values[rows, positions[:, 0]] * values[rows, positions[:, 1]]
    return _marked_pair_batch(values, positions, targets)


def _marked_pair(
    num_sequences: int, length: int, *, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Values ``(batch, time)`` from U[0, 1] and two marked steps ``(batch, 2)``, one per half."""
    num_sequences = _checks.positive_int("num_sequences", num_sequences)
    length = _checks.positive_int("length", length)
    if length < 2:
        raise ValueError(f"length must be >= 2 (one marker in each half), got {length}")
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    values = rng.uniform(0.0, 1.0, size=(num_sequences, length))
    half = length // 2
    first = rng.integers(0, half, size=num_sequences)
    second = rng.integers(half, length, size=num_sequences)
    return values, np.stack([first, second], axis=1)


def _marked_pair_batch(
    values: np.ndarray, positions: np.ndarray, targets: np.ndarray
) -> MarkedPairProblem:
    """Pack values, marked steps and targets into the ``(batch, time, 2)`` input layout."""
    markers = np.zeros_like(values)
    rows = np.arange(len(values))
    markers[rows, positions[:, 0]] = 1.0
    markers[rows, positions[:, 1]] = 1.0
    return MarkedPairProblem(
        inputs=np.stack([values, markers], axis=-1).astype(np.float32),
        targets=targets[:, None].astype(np.float32),
        marker_positions=positions,
    )


TEMPORAL_ORDER_SYMBOLS = ("a", "b", "c", "d", "X", "Y", "B", "E")
"""Alphabet of :func:`temporal_order`: distractors a-d, relevant X/Y, begin B and end E."""

TEMPORAL_ORDER_CLASSES = ("XX", "XY", "YX", "YY")
"""The four classes of :func:`temporal_order`, in label order."""


@dataclass(frozen=True)
class TemporalOrder:
    """A batch of the temporal-order task.

    Attributes:
        inputs: ``(batch, time, 8)`` float32 one-hot codes over
            :data:`TEMPORAL_ORDER_SYMBOLS`.
        labels: ``(batch,)`` int in ``0..3``, the index in :data:`TEMPORAL_ORDER_CLASSES`.
        relevant_positions: ``(batch, 2)`` int, the steps that hold X or Y.
    """

    inputs: np.ndarray
    labels: np.ndarray
    relevant_positions: np.ndarray


def temporal_order(num_sequences: int, length: int, *, seed: int) -> TemporalOrder:
    """Generate the temporal-order task (task 6a of Hochreiter & Schmidhuber 1997).

    A sequence starts with B and ends with E; between them are random distractors a-d,
    except at two steps that hold X or Y: the first between 10% and 20% of the sequence,
    the second between 50% and 60%. The class is the order of the two (XX, XY, YX, YY), so
    the network must keep one bit from early in the sequence to the end. Guessing scores
    25%; a network that sees only the second symbol scores 50%.

    Args:
        num_sequences: batch size, >= 1.
        length: steps per sequence including B and E, >= 20.
        seed: seed of the generator.

    Returns:
        A :class:`TemporalOrder` with ``inputs`` of shape ``(num_sequences, length, 8)``.

    Raises:
        ValueError: if ``num_sequences < 1`` or ``length < 20``.
    """
    num_sequences = _checks.positive_int("num_sequences", num_sequences)
    length = _checks.positive_int("length", length)
    if length < 20:
        raise ValueError(
            f"length must be >= 20 so that the two windows are apart, got {length}"
        )
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    symbols = rng.integers(0, 4, size=(num_sequences, length))  # distractors a-d
    symbols[:, 0] = TEMPORAL_ORDER_SYMBOLS.index("B")
    symbols[:, -1] = TEMPORAL_ORDER_SYMBOLS.index("E")
    first = rng.integers(int(0.1 * length), int(0.2 * length) + 1, size=num_sequences)
    second = rng.integers(int(0.5 * length), int(0.6 * length) + 1, size=num_sequences)
    first_is_y = rng.integers(0, 2, size=num_sequences)
    second_is_y = rng.integers(0, 2, size=num_sequences)
    x_code = TEMPORAL_ORDER_SYMBOLS.index("X")
    rows = np.arange(num_sequences)
    symbols[rows, first] = x_code + first_is_y
    symbols[rows, second] = x_code + second_is_y
    inputs = np.eye(len(TEMPORAL_ORDER_SYMBOLS), dtype=np.float32)[symbols]
    return TemporalOrder(
        inputs=inputs,
        labels=(2 * first_is_y + second_is_y).astype(np.int64),
        relevant_positions=np.stack([first, second], axis=1),
    )


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


COPY_BLANK = 0
"""Symbol of the copy task's blank steps (input and target)."""
COPY_DELIMITER = 9
"""Symbol that tells the network to start reproducing the copied symbols."""
COPY_DATA_SYMBOLS = 8
"""The copied symbols are drawn uniformly from ``1..8``."""
COPY_VOCABULARY = 10
"""Symbols 0 (blank), 1-8 (data) and 9 (delimiter)."""


@dataclass(frozen=True)
class CopyProblem:
    """A batch of the copy task.

    Attributes:
        inputs: ``(batch, time)`` int32, ``time = lag + 2 * copy_length``: the data symbols,
            ``lag - 1`` blanks, the delimiter, ``copy_length`` blanks.
        targets: ``(batch, time)`` int32: blanks for ``lag + copy_length`` steps, then the
            data symbols.
        lag: steps from the last data symbol to the delimiter (the paper's T); each symbol is
            written back ``lag + copy_length`` steps after it was read.
        copy_length: number of symbols to copy.
    """

    inputs: np.ndarray
    targets: np.ndarray
    lag: int
    copy_length: int


def copy_problem(
    num_sequences: int, lag: int, *, copy_length: int = 10, seed: int
) -> CopyProblem:
    """Generate the copy task of Arjovsky, Shah & Bengio (2016), section 4.1.

    The network reads ``copy_length`` symbols drawn uniformly from ``1..8``, then ``lag - 1``
    blanks (0), then the delimiter (9), and must output blanks until the delimiter has been
    read and then the ``copy_length`` symbols in order while the input is blank again.
    :func:`copy_baseline_cross_entropy` is the loss of a network with no memory.

    Args:
        num_sequences: batch size, >= 1.
        lag: the blank stretch plus the delimiter (the paper's T), >= 1.
        copy_length: symbols to copy, >= 1 (the paper uses 10).
        seed: seed of the generator.

    Returns:
        A :class:`CopyProblem` with arrays of shape ``(num_sequences, lag + 2 * copy_length)``.

    Raises:
        ValueError: if an argument is not a positive integer (``seed``: non-negative).
    """
    num_sequences = _checks.positive_int("num_sequences", num_sequences)
    lag = _checks.positive_int("lag", lag)
    copy_length = _checks.positive_int("copy_length", copy_length)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    data = rng.integers(1, COPY_DATA_SYMBOLS + 1, size=(num_sequences, copy_length))
    time = lag + 2 * copy_length
    inputs = np.full((num_sequences, time), COPY_BLANK, dtype=np.int32)
    inputs[:, :copy_length] = data
    inputs[:, copy_length + lag - 1] = COPY_DELIMITER
    targets = np.full((num_sequences, time), COPY_BLANK, dtype=np.int32)
    targets[:, -copy_length:] = data
    return CopyProblem(inputs=inputs, targets=targets, lag=lag, copy_length=copy_length)


def copy_baseline_cross_entropy(lag: int, copy_length: int = 10) -> float:
    """Mean cross-entropy per step (nats) of the best network without memory of the data.

    It outputs a blank with certainty for the first ``lag + copy_length`` steps (it can
    count them) and a uniform guess over the 8 data symbols for the last ``copy_length``:
    ``copy_length * log(8) / (lag + 2 * copy_length)``, the baseline of Arjovsky et al.

    Raises:
        ValueError: if ``lag`` or ``copy_length`` is not a positive integer.
    """
    lag = _checks.positive_int("lag", lag)
    copy_length = _checks.positive_int("copy_length", copy_length)
    return copy_length * float(np.log(COPY_DATA_SYMBOLS)) / (lag + 2 * copy_length)


def copy_input_only_cross_entropy(lag: int, copy_length: int = 10) -> float:
    """Mean cross-entropy per step (nats) of the best predictor that sees only the current input.

    It cannot count, so it cannot tell a blank of the lag from a blank of the copy steps. A
    data symbol or the delimiter in the input means a blank target (loss 0); a blank input
    means a blank target at ``lag - 1`` steps and a data symbol at ``copy_length`` steps, so
    it answers blank with probability ``(lag - 1) / (lag - 1 + copy_length)`` and each data
    symbol with the rest divided by 8. At lag 100 this is
    ``[99 ln(109/99) + 10 ln(8 * 109/10)] / 120 = 0.452`` nats, well above
    :func:`copy_baseline_cross_entropy`, which may count.

    Raises:
        ValueError: if ``lag`` or ``copy_length`` is not a positive integer.
    """
    lag = _checks.positive_int("lag", lag)
    copy_length = _checks.positive_int("copy_length", copy_length)
    blank_inputs = lag - 1 + copy_length
    loss = copy_length * float(np.log(COPY_DATA_SYMBOLS * blank_inputs / copy_length))
    if lag > 1:
        loss += (lag - 1) * float(np.log(blank_inputs / (lag - 1)))
    return loss / (lag + 2 * copy_length)


ECHO_START = 9
"""Symbol the decoder reads before its first output (:func:`echo_pairs`)."""
ECHO_SYMBOLS = 8
"""The echoed symbols are drawn uniformly from ``1..8``; 0 is left free for padding."""
ECHO_VOCABULARY = 10
"""Symbols 0 (unused), 1-8 (data) and 9 (start)."""


@dataclass(frozen=True)
class EchoPairs:
    """Source and target strings for an encoder-decoder that writes its input back.

    Attributes:
        source: ``(batch, length)`` int32 symbols from ``1..8``, read by the encoder.
        decoder_inputs: ``(batch, length)`` int32: :data:`ECHO_START`, then the targets
            shifted one step right (teacher forcing).
        targets: ``(batch, length)`` int32, equal to ``source``.
    """

    source: np.ndarray
    decoder_inputs: np.ndarray
    targets: np.ndarray


def echo_pairs(
    num_sequences: int,
    length: int,
    *,
    seed: int,
    disjoint_from: EchoPairs | None = None,
) -> EchoPairs:
    """Random strings to echo: the decoder must write the encoder's input back in order.

    Each symbol is uniform over ``1..8`` (3 bits), so a string of ``length`` symbols holds
    ``3 * length`` bits that an encoder-decoder without attention must pass through its
    final state.

    Args:
        num_sequences: strings to draw, >= 1.
        length: symbols per string, >= 1.
        seed: seed of the generator, >= 0.
        disjoint_from: pairs (the training set) whose strings must not be drawn: a string
            that appears there is drawn again, so a test set holds only unseen strings.
            At short lengths this matters: there are only ``8 ** length`` strings.

    Raises:
        ValueError: if ``num_sequences`` or ``length`` is not a positive integer, ``seed``
            is negative, ``disjoint_from`` is not an :class:`EchoPairs` of strings of
            ``length`` symbols, or fewer than ``num_sequences`` strings remain unseen.
    """
    num_sequences = _checks.positive_int("num_sequences", num_sequences)
    length = _checks.positive_int("length", length)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    seen: set[bytes] = set()
    if disjoint_from is not None:
        if not isinstance(disjoint_from, EchoPairs):
            raise ValueError(
                f"disjoint_from must be EchoPairs, got {type(disjoint_from).__name__}"
            )
        if disjoint_from.source.ndim != 2 or disjoint_from.source.shape[1] != length:
            raise ValueError(
                f"disjoint_from must hold strings of {length} symbols, "
                f"got source of shape {disjoint_from.source.shape}"
            )
        seen = {row.tobytes() for row in disjoint_from.source.astype(np.int32)}
        if ECHO_SYMBOLS**length - len(seen) < 1:
            raise ValueError(
                f"disjoint_from holds all {ECHO_SYMBOLS}**{length} strings: none is unseen"
            )
    rows: list[np.ndarray] = []
    while len(rows) < num_sequences:
        drawn = rng.integers(1, ECHO_SYMBOLS + 1, size=(num_sequences, length))
        drawn = drawn.astype(np.int32)
        rows.extend(row for row in drawn if row.tobytes() not in seen)
    source = np.stack(rows[:num_sequences])
    start = np.full((num_sequences, 1), ECHO_START, dtype=np.int32)
    decoder_inputs = np.concatenate([start, source[:, :-1]], axis=1)
    return EchoPairs(
        source=source, decoder_inputs=decoder_inputs, targets=source.copy()
    )
