"""Tests of the argument checks in :mod:`rnn_utils._checks`."""

import math

import numpy as np
import pytest

from rnn_utils import _checks

# ------------------------------------------------------------------------ integers


@pytest.mark.parametrize("value", [1, 7, np.int64(3), np.uint8(200)])
def test_positive_int_accepts_whole_numbers_and_returns_python_int(value):
    result = _checks.positive_int("count", value)
    assert type(result) is int
    assert result == int(value)


@pytest.mark.parametrize(
    "value", [0, -1, 2.0, 1.5, "3", None, True, False, np.float32(2)]
)
def test_positive_int_rejects_everything_else(value):
    with pytest.raises(ValueError, match=r"count must be a positive integer"):
        _checks.positive_int("count", value)


@pytest.mark.parametrize("value", [0, 1, np.int32(12)])
def test_non_negative_int_accepts_zero_and_up(value):
    result = _checks.non_negative_int("seed", value)
    assert type(result) is int
    assert result == int(value)


@pytest.mark.parametrize("value", [-1, -100, 0.0, "0", None, True])
def test_non_negative_int_rejects_negatives_floats_and_bools(value):
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer"):
        _checks.non_negative_int("seed", value)


# -------------------------------------------------------------------------- floats


@pytest.mark.parametrize("value", [0, 0.0, 0.25, 1, 1.0, np.float32(0.5)])
def test_probability_accepts_unit_interval(value):
    result = _checks.probability("p", value)
    assert type(result) is float
    assert result == pytest.approx(float(value))


@pytest.mark.parametrize(
    "value", [-0.01, 1.01, 2, math.nan, math.inf, "0.5", None, True]
)
def test_probability_rejects_values_outside_unit_interval(value):
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\]"):
        _checks.probability("p", value)


@pytest.mark.parametrize("value", [1e-9, 0.5, 3, 1e6])
def test_positive_float_accepts_finite_positive_numbers(value):
    result = _checks.positive_float("rate", value)
    assert type(result) is float
    assert result == float(value)


@pytest.mark.parametrize("value", [0, 0.0, -1.0, math.inf, math.nan, "1", None, True])
def test_positive_float_rejects_zero_negative_nonfinite_and_non_numbers(value):
    with pytest.raises(ValueError, match=r"rate must be a finite number > 0"):
        _checks.positive_float("rate", value)


# -------------------------------------------------------------------------- arrays


def test_array_returns_ndarray_of_requested_rank():
    result = _checks.array("x", [[1, 2, 3], [4, 5, 6]], 2)
    assert isinstance(result, np.ndarray)
    assert result.shape == (2, 3)
    np.testing.assert_array_equal(result, [[1, 2, 3], [4, 5, 6]])


def test_array_casts_to_dtype():
    result = _checks.array("x", [1, 2, 3], 1, dtype=np.float32)
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result, [1.0, 2.0, 3.0])


def test_array_keeps_an_array_of_the_right_dtype_without_copying():
    value = np.arange(6.0).reshape(2, 3)
    assert _checks.array("x", value, 2) is value


@pytest.mark.parametrize(
    ("value", "rank"), [(np.zeros(3), 2), (np.zeros((2, 2)), 1), (5.0, 1)]
)
def test_array_rejects_wrong_rank_naming_the_argument(value, rank):
    with pytest.raises(ValueError, match=rf"states must be an array of rank {rank}"):
        _checks.array("states", value, rank)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_array_rejects_non_finite_floats(bad):
    with pytest.raises(ValueError, match=r"inputs must contain only finite numbers"):
        _checks.array("inputs", [1.0, bad, 2.0], 1)


def test_array_accepts_integer_arrays_without_finiteness_check():
    result = _checks.array("ids", np.array([0, 5, 9]), 1)
    assert result.dtype.kind == "i"


# --------------------------------------------------------------------------- shapes


def test_shape_matches_accepts_exact_and_wildcard_shapes():
    value = np.zeros((4, 3, 2))
    _checks.shape_matches("x", value, (4, 3, 2))
    _checks.shape_matches("x", value, (None, 3, None))
    _checks.shape_matches("x", value, (None, None, None))


@pytest.mark.parametrize("expected", [(4, 3, 3), (5, None, 2), (4, 3), (4, 3, 2, 1)])
def test_shape_matches_rejects_other_shapes_naming_the_argument(expected):
    with pytest.raises(ValueError, match=r"bias must have shape .*got \(4, 3, 2\)"):
        _checks.shape_matches("bias", np.zeros((4, 3, 2)), expected)


def test_shape_matches_message_shows_wildcards_as_any():
    with pytest.raises(ValueError, match=r"\('any', 7\)"):
        _checks.shape_matches("x", np.zeros((2, 3)), (None, 7))


# -------------------------------------------------------------------------- strings


@pytest.mark.parametrize("values", [["a"], ("ab", "cd"), ["x", "yy", "zzz"]])
def test_non_empty_strings_returns_a_list_copy(values):
    result = _checks.non_empty_strings("words", values)
    assert result == list(values)
    assert isinstance(result, list)
    assert result is not values


@pytest.mark.parametrize("values", [[], (), "abc", None, 3, {"a", "b"}])
def test_non_empty_strings_rejects_non_sequences_and_empty(values):
    with pytest.raises(
        ValueError, match=r"words must be a non-empty sequence of strings"
    ):
        _checks.non_empty_strings("words", values)


@pytest.mark.parametrize("values", [["a", ""], ["a", 1], [None], [b"ab"]])
def test_non_empty_strings_rejects_empty_or_non_string_items(values):
    with pytest.raises(ValueError, match=r"words must contain only non-empty strings"):
        _checks.non_empty_strings("words", values)


def test_sequence_inputs_accepts_batch_time_features_and_rejects_the_rest():
    inputs = np.zeros((2, 3, 4))
    assert _checks.sequence_inputs(inputs, 4).shape == (2, 3, 4)
    with pytest.raises(ValueError, match="inputs must be an array of rank 3"):
        _checks.sequence_inputs(np.zeros((3, 4)), 4)
    with pytest.raises(ValueError, match=r"inputs must have shape \('any', 'any', 5\)"):
        _checks.sequence_inputs(inputs, 5)
    with pytest.raises(ValueError, match="at least one time step"):
        _checks.sequence_inputs(np.zeros((2, 0, 4)), 4)


def test_state_defaults_to_zeros_and_checks_a_given_state():
    zeros = _checks.state("h0", None, 2, 3, np.float32)
    assert zeros.shape == (2, 3) and zeros.dtype == np.float32 and not zeros.any()
    given = np.ones((2, 3))
    assert _checks.state("h0", given, 2, 3, np.float32) is not None
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 3\)"):
        _checks.state("h0", np.ones((3, 2)), 2, 3, np.float32)
    with pytest.raises(ValueError, match="h0 must be an array of rank 2"):
        _checks.state("h0", np.ones(3), 2, 3, np.float32)
