"""Tests of :mod:`rnn_utils.timing`: median times, log-log slopes, timed training steps."""

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from rnn_utils import timing

# --- median_seconds -----------------------------------------------------------------------


def test_median_seconds_warms_up_then_interleaves_rounds():
    calls = []
    functions = {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}
    result = timing.median_seconds(functions, repeats=3, warmup=2)
    assert list(result) == ["a", "b"]
    assert all(seconds >= 0 for seconds in result.values())
    assert calls == ["a", "b"] * 5  # 2 warm-up rounds, then 3 timed rounds


def test_median_seconds_is_the_median_of_the_timed_calls(monkeypatch):
    clock = iter([0.0, 1.0, 10.0, 13.0, 20.0, 22.0])  # calls of 1, 3 and 2 seconds
    monkeypatch.setattr(
        timing, "time", SimpleNamespace(perf_counter=lambda: next(clock))
    )
    assert timing.median_seconds({"f": lambda: None}, repeats=3, warmup=0) == {"f": 2.0}


def test_median_seconds_measures_a_sleep():
    import time

    seconds = timing.median_seconds({"sleep": lambda: time.sleep(0.01)}, repeats=3)[
        "sleep"
    ]
    assert 0.009 < seconds < 0.5


@pytest.mark.parametrize(
    ("functions", "kwargs", "match"),
    [
        ({}, {"repeats": 1}, "non-empty mapping"),
        ([lambda: None], {"repeats": 1}, "non-empty mapping"),
        ({"x": 3}, {"repeats": 1}, r"functions\['x'\] must be callable"),
        ({"f": lambda: None}, {"repeats": 0}, "repeats must be a positive integer"),
        (
            {"f": lambda: None},
            {"repeats": 1, "warmup": -1},
            "warmup must be a non-negative",
        ),
    ],
)
def test_median_seconds_rejects_bad_input(functions, kwargs, match):
    with pytest.raises(ValueError, match=match):
        timing.median_seconds(functions, **kwargs)


# --- loglog_slope -------------------------------------------------------------------------


def test_loglog_slope_is_the_exponent_of_a_power_law():
    x = np.array([200, 400, 800, 1600, 3200])
    for exponent in (0.5, 1.0, 2.0, -1.0):
        assert timing.loglog_slope(x, 3.0 * x**exponent) == pytest.approx(
            exponent, abs=1e-12
        )
    assert timing.loglog_slope(x, 5 + 0 * x) == pytest.approx(0.0, abs=1e-12)


def test_loglog_slope_is_numpys_fit_exactly():
    x, y = [200, 400, 800, 1600], [1.1e6, 2.3e6, 4.2e6, 9.0e6]
    assert timing.loglog_slope(x, y) == np.polyfit(np.log(x), np.log(y), 1)[0]


@pytest.mark.parametrize(
    ("x", "y", "match"),
    [
        ([1, 2], [0, 1], "positive"),
        ([-1, 2], [1, 1], "positive"),
        ([1, 2], [1, 2, 3], "same length"),
        ([1], [1], "same length >= 2"),
        ([2, 2], [1, 3], "two different values"),
        ([[1, 2]], [[1, 2]], "x must be an array of rank 1"),
    ],
)
def test_loglog_slope_rejects_bad_input(x, y, match):
    with pytest.raises(ValueError, match=match):
        timing.loglog_slope(x, y)


# --- time_training_steps and time_settings ------------------------------------------------


@pytest.mark.parametrize("layer", ["lstm", "gru", "simple_rnn"])
def test_time_training_steps_structure(keras, layer):
    measured = timing.time_training_steps(
        layer, batch_size=3, length=4, units=2, features=2, repeats=3, warmup=1
    )
    assert (measured.layer, measured.batch_size, measured.length) == (layer, 3, 4)
    assert (measured.units, measured.features) == (2, 2)
    assert len(measured.times) == 3 and all(t > 0 for t in measured.times)
    assert measured.seconds_per_step == pytest.approx(float(np.median(measured.times)))
    assert measured.sequences_per_second == pytest.approx(3 / measured.seconds_per_step)
    assert measured.backend == keras.backend.backend()
    assert measured.device == "CPU" and measured.kernel == "generic"
    with pytest.raises(dataclasses.FrozenInstanceError):
        measured.units = 5


def test_time_settings_interleaves_and_keeps_order(keras):
    settings = [
        timing.Setting("lstm", batch_size=2, length=3, units=2, features=2),
        timing.Setting("simple_rnn", batch_size=5, length=2, units=3, features=1),
    ]
    timings = timing.time_settings(settings, repeats=2, warmup=1)
    assert [(t.layer, t.batch_size, t.units) for t in timings] == [
        ("lstm", 2, 2),
        ("simple_rnn", 5, 3),
    ]
    assert all(len(t.times) == 2 for t in timings)


def test_the_timed_model_is_the_books_model(keras):
    model = timing._build_model(
        timing.Setting(
            "gru", batch_size=1, length=5, units=3, features=2, use_cudnn=False
        )
    )
    assert model.input_shape == (None, 5, 2) and model.output_shape == (None, 1)
    assert (
        isinstance(model.layers[0], keras.layers.GRU)
        and model.layers[0].use_cudnn is False
    )
    assert model.loss == "mse"
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)


def test_time_settings_rejects_bad_input(keras):
    with pytest.raises(ValueError, match="non-empty sequence of Setting"):
        timing.time_settings([])
    with pytest.raises(ValueError, match="non-empty sequence of Setting"):
        timing.time_settings(timing.Setting())
    with pytest.raises(ValueError, match="must hold Setting objects"):
        timing.time_settings([{"layer": "lstm"}])
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        timing.time_settings([timing.Setting()], repeats=0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"layer": "transformer"}, "layer must be one of"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"length": 2.5}, "length must be a positive integer"),
        ({"units": -1}, "units must be a positive integer"),
        ({"repeats": 0}, "repeats must be a positive integer"),
        ({"warmup": 0}, "warmup must be a positive integer"),
        ({"use_cudnn": "yes"}, "use_cudnn must be one of"),
        ({"use_cudnn": 1}, "use_cudnn must be one of"),
    ],
)
def test_time_training_steps_rejects_bad_input(keras, kwargs, match):
    arguments = {"layer": "lstm", "batch_size": 2, "length": 3, "units": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        timing.time_training_steps(**arguments)
