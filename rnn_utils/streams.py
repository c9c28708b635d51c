"""Long streams for stateful training: a seeded stream and the two ways to cut it into batches.

A stream is one long sequence, ``(time, features)``, too long to backpropagate through in one
piece. Truncated backpropagation through time, as Keras does it with ``stateful=True``, cuts
it into windows and carries the recurrent state from one window to the next, while the
gradient stops at each window's start. The state carries correctly only if row ``b`` of each
batch continues row ``b`` of the batch before: :func:`stateful_batches` lays the stream out
that way, :func:`consecutive_windows` the common wrong way (consecutive windows side by side
in one batch).

:func:`held_value_stream` (chapter 14) is a stream whose targets depend on inputs far longer
ago than a window: a value announced at the start of each segment must be reported at every
step until the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_utils import _checks


@dataclass(frozen=True)
class Stream:
    """One long stream of inputs and targets.

    Attributes:
        inputs: ``(time, 2)`` float32: a marker (1 at the first step of a segment, else 0)
            and the segment's value at that step (0 elsewhere).
        targets: ``(time, 1)`` float32: the value of the current segment, at every step.
        segment_starts: ``(segments,)`` int: the steps at which segments start (0 first).
    """

    inputs: np.ndarray
    targets: np.ndarray
    segment_starts: np.ndarray


def held_value_stream(length: int, *, mean_segment: float, seed: int) -> Stream:
    """A stream of segments, each announcing a value the target must hold until the next.

    Segment lengths are drawn from a geometric distribution with mean ``mean_segment``
    (at least 1 step); each segment's value is drawn from U[-1, 1]. At a segment's first step
    the inputs are ``(1, value)``, at every other step ``(0, 0)``; the target at every step is
    the current segment's value. A model that sees only the current window cannot know the
    value before the window's first marker; a model that carries its state across windows
    can.

    Args:
        length: steps in the stream, >= 1.
        mean_segment: mean segment length in steps, >= 1.
        seed: seed of the generator, >= 0.

    Returns:
        A :class:`Stream` of ``length`` steps.

    Raises:
        ValueError: if ``length`` is not a positive integer, ``mean_segment`` is not a
            finite number >= 1 or ``seed`` is not a non-negative integer.
    """
    length = _checks.positive_int("length", length)
    mean_segment = _checks.positive_float("mean_segment", mean_segment)
    if mean_segment < 1:
        raise ValueError(f"mean_segment must be >= 1 step, got {mean_segment!r}")
    seed = _checks.non_negative_int("seed", seed)
    rng = np.random.default_rng(seed)
    # Enough segments to cover the stream: a geometric draw has mean mean_segment.
    lengths = rng.geometric(1.0 / mean_segment, size=length)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    starts = starts[starts < length]
    values = rng.uniform(-1.0, 1.0, size=starts.size).astype(np.float32)
    inputs = np.zeros((length, 2), dtype=np.float32)
    inputs[starts, 0] = 1.0
    inputs[starts, 1] = values
    segment_of_step = np.cumsum(inputs[:, 0]).astype(int) - 1
    targets = values[segment_of_step][:, None]
    return Stream(inputs=inputs, targets=targets, segment_starts=starts)


def window_reset_mse(stream: Stream, window: int) -> float:
    """MSE of the best predictor that forgets everything at each window's start.

    Until the first marker inside its window, such a predictor knows nothing about the
    current value and answers the mean of U[-1, 1], 0; from the marker on it can be exact.
    Its MSE is the mean, over the steps that fit whole windows, of the squared target at the
    steps before their window's first marker.

    Args:
        stream: a :class:`Stream`.
        window: steps per window, from 1 to the stream's length.

    Raises:
        ValueError: if ``stream`` is not a :class:`Stream` or ``window`` is out of range.
    """
    if not isinstance(stream, Stream):
        raise ValueError(f"stream must be a Stream, got {type(stream).__name__}")
    length = stream.inputs.shape[0]
    window = _checks.positive_int("window", window)
    if window > length:
        raise ValueError(
            f"window must be at most the stream's length {length}, got {window}"
        )
    used = length // window * window
    markers = stream.inputs[:used, 0].reshape(-1, window)
    targets = stream.targets[:used, 0].reshape(-1, window)
    seen_marker = np.cumsum(markers, axis=1) > 0
    return float(np.mean(np.where(seen_marker, 0.0, targets**2)))


def _stream_array(name: str, value: object, window: int, rows: int) -> np.ndarray:
    array = _checks.array(name, value, 2)
    if array.shape[0] < rows * window:
        raise ValueError(
            f"{name} must have at least {rows * window} steps for {rows} row(s) of windows of "
            f"{window}, got {array.shape[0]}"
        )
    return array


def stateful_batches(stream: object, *, batch_size: int, window: int) -> np.ndarray:
    """Cut a stream into windows laid out so that a stateful RNN's state carries correctly.

    The stream is split into ``batch_size`` contiguous sub-streams, each cut into windows;
    batch ``k`` holds window ``k`` of every sub-stream, so row ``b`` of batch ``k + 1``
    continues row ``b`` of batch ``k``. Steps that do not fill a whole window of every
    sub-stream are dropped from the end. Train on it with ``shuffle=False`` and this
    ``batch_size``.

    Args:
        stream: ``(time, features)``.
        batch_size: sub-streams, >= 1.
        window: steps per window, >= 1.

    Returns:
        ``(windows * batch_size, window, features)``, batch after batch.

    Raises:
        ValueError: if ``stream`` is not a rank-2 array of numbers with at least
            ``batch_size * window`` steps, or ``batch_size`` or ``window`` is not a positive
            integer.
    """
    batch_size = _checks.positive_int("batch_size", batch_size)
    window = _checks.positive_int("window", window)
    array = _stream_array("stream", stream, window, batch_size)
    windows = array.shape[0] // (batch_size * window)
    used = array[: batch_size * windows * window]
    per_substream = used.reshape(batch_size, windows, window, array.shape[1])
    return per_substream.transpose(1, 0, 2, 3).reshape(-1, window, array.shape[1])


def consecutive_windows(stream: object, *, window: int) -> np.ndarray:
    """Cut a stream into consecutive windows: the layout that breaks a stateful RNN.

    Window ``i`` is steps ``i * window`` to ``(i + 1) * window - 1``. Fed in batches of ``B``,
    row ``b`` of batch ``k + 1`` is window ``(k + 1) B + b``, which does not continue row ``b``
    of batch ``k`` (window ``k B + b``) unless ``B = 1``: the state a stateful RNN carries
    into it comes from another part of the stream.

    Args:
        stream: ``(time, features)``.
        window: steps per window, >= 1.

    Returns:
        ``(windows, window, features)``; a last partial window is dropped.

    Raises:
        ValueError: if ``stream`` is not a rank-2 array of numbers with at least ``window``
            steps, or ``window`` is not a positive integer.
    """
    window = _checks.positive_int("window", window)
    array = _stream_array("stream", stream, window, 1)
    windows = array.shape[0] // window
    return array[: windows * window].reshape(windows, window, array.shape[1])
