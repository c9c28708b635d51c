"""Tests of :func:`rnn_utils.publish.glue`."""

import sys

import numpy as np
import pytest

import rnn_utils
from rnn_utils import publish


@pytest.fixture
def stored(monkeypatch):
    """Replace ``myst_nb.glue`` with a recorder; return the list of recorded calls."""
    myst_nb = pytest.importorskip("myst_nb")
    calls = []
    monkeypatch.setattr(
        myst_nb,
        "glue",
        lambda key, value, display=True: calls.append((key, value, display)),
    )
    return calls


def test_glue_is_exported_at_package_level():
    assert rnn_utils.glue is publish.glue


def test_glue_stores_the_value_without_displaying_it(stored):
    assert publish.glue("ch01_accuracy", 0.8125) is None
    assert publish.glue("ch02_label", "LSTM") is None
    assert stored == [("ch01_accuracy", 0.8125, False), ("ch02_label", "LSTM", False)]


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(0.123456, 3, 0.123), (2.5, 0, 2.0), (np.float32(0.5), 2, 0.5), (7, 1, 7.0)],
)
def test_glue_rounds_real_numbers(stored, value, digits, expected):
    publish.glue("ch03_value", value, digits=digits)
    [(key, result, display)] = stored
    assert (key, display) == ("ch03_value", False)
    assert type(result) is float
    assert result == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(np.float64(0.25), 0.25), (np.int64(7), 7), (np.bool_(True), True)],
)
def test_glue_stores_numpy_scalars_as_python_numbers(stored, value, expected):
    publish.glue("ch03_scalar", value)
    [(_, result, _)] = stored
    assert type(result) is type(expected)
    assert result == expected


def test_glue_prints_nothing_outside_a_kernel(capsys):
    publish.glue("ch01_quiet", 1.25, digits=1)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_glue_without_myst_nb_is_a_quiet_no_op(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # makes the import fail
    assert publish.glue("ch01_offline", 0.66666, digits=2) is None
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError, match="key"):  # the checks still apply
        publish.glue("Offline", 1.0)


@pytest.mark.parametrize(
    "key", ["", "Ch01_x", "1st", "_hidden", "ch01-x", "ch 01", None, 3]
)
def test_glue_rejects_bad_keys(stored, key):
    with pytest.raises(ValueError, match="key must be a lower-case identifier"):
        publish.glue(key, 1.0)
    assert stored == []


@pytest.mark.parametrize("digits", [-1, 1.5, True, "2"])
def test_glue_rejects_bad_digits(stored, digits):
    with pytest.raises(ValueError, match="digits must be a non-negative integer"):
        publish.glue("ch01_x", 1.0, digits=digits)


@pytest.mark.parametrize("value", ["0.5", None, [1.0], 1 + 2j])
def test_glue_rejects_non_real_values_when_rounding(stored, value):
    with pytest.raises(ValueError, match="value must be a real number"):
        publish.glue("ch01_x", value, digits=2)
