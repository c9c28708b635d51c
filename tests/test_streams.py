"""Tests of rnn_utils.streams: the held-value stream and the two batch layouts."""

import numpy as np
import pytest

from rnn_utils import streams


def test_held_value_stream_targets_hold_the_last_announced_value():
    stream = streams.held_value_stream(500, mean_segment=10.0, seed=3)
    assert stream.inputs.shape == (500, 2) and stream.targets.shape == (500, 1)
    assert stream.inputs.dtype == np.float32 and stream.targets.dtype == np.float32
    assert stream.segment_starts[0] == 0 and stream.inputs[0, 0] == 1.0
    value = None
    for marker, announced, target in zip(
        *stream.inputs.T, stream.targets[:, 0], strict=True
    ):
        if marker == 1.0:
            value = announced
        else:
            assert announced == 0.0
        assert target == value


def test_held_value_stream_segments_have_the_mean_length():
    stream = streams.held_value_stream(200_000, mean_segment=40.0, seed=0)
    lengths = np.diff(stream.segment_starts)
    assert abs(lengths.mean() - 40.0) < 1.0
    assert np.all(np.abs(stream.targets) <= 1.0)


def test_held_value_stream_is_seeded():
    a = streams.held_value_stream(300, mean_segment=5.0, seed=1)
    b = streams.held_value_stream(300, mean_segment=5.0, seed=1)
    c = streams.held_value_stream(300, mean_segment=5.0, seed=2)
    np.testing.assert_array_equal(a.inputs, b.inputs)
    assert not np.array_equal(a.inputs, c.inputs)


def test_window_reset_mse_counts_the_steps_before_the_first_marker():
    inputs = np.zeros((6, 2), np.float32)
    inputs[[0, 4], 0] = 1.0
    targets = np.array([[0.5]] * 4 + [[-1.0]] * 2, np.float32)
    stream = streams.Stream(inputs, targets, np.array([0, 4]))
    # windows of 3: [0, 1, 2] has its marker first; [3, 4, 5] misses step 3 (target 0.5)
    assert streams.window_reset_mse(stream, 3) == pytest.approx(0.25 / 6)
    # one window per step: steps 1-3 (0.5) and 5 (-1.0) are missed
    assert streams.window_reset_mse(stream, 1) == pytest.approx((3 * 0.25 + 1.0) / 6)


def test_window_reset_mse_of_long_segments_approaches_the_variance():
    stream = streams.held_value_stream(100_000, mean_segment=10_000.0, seed=0)
    assert streams.window_reset_mse(stream, 10) == pytest.approx(1 / 3, rel=0.2)


def test_stateful_batches_rows_continue_across_batches():
    stream = np.arange(2 * 3 * 4, dtype=float)[
        :, None
    ]  # 2 sub-streams of 3 windows of 4
    batches = streams.stateful_batches(stream, batch_size=2, window=4)
    assert batches.shape == (6, 4, 1)
    for k in range(2):
        for b in range(2):
            row_now, row_next = batches[2 * k + b, :, 0], batches[2 * (k + 1) + b, :, 0]
            assert row_next[0] == row_now[-1] + 1  # the next batch's row b follows on
    # sub-stream 1 starts halfway through
    assert batches[1, 0, 0] == 12


def test_stateful_batches_drop_the_ragged_end():
    batches = streams.stateful_batches(np.zeros((27, 3)), batch_size=2, window=4)
    assert batches.shape == (6, 4, 3)


def test_consecutive_windows_break_the_carry():
    stream = np.arange(24, dtype=float)[:, None]
    windows = streams.consecutive_windows(stream, window=4)
    assert windows.shape == (6, 4, 1)
    np.testing.assert_array_equal(windows.reshape(-1), np.arange(24))
    # fed in batches of 2, row 0 of batch 1 (window 2) does not continue row 0 of batch 0
    assert windows[2, 0, 0] != windows[0, -1, 0] + 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: streams.held_value_stream(10, mean_segment=0.5, seed=0),
            "mean_segment",
        ),
        (
            lambda: streams.stateful_batches(np.zeros((5, 1)), batch_size=2, window=3),
            "stream",
        ),
        (lambda: streams.consecutive_windows(np.zeros(5), window=2), "stream"),
        (
            lambda: streams.window_reset_mse(
                streams.held_value_stream(5, mean_segment=2.0, seed=0), 6
            ),
            "window",
        ),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
