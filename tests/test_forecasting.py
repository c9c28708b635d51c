"""Tests of :mod:`rnn_utils.forecasting`: windows, the CO2 series, baselines, errors, SARIMA."""

import numpy as np
import pytest

from rnn_utils import forecasting

# ---------------------------------------------------------------- windows


def test_forecast_windows_cut_the_series_correctly():
    series = np.arange(10.0)
    windows = forecasting.forecast_windows(series, window=4, horizon=2)
    assert len(windows) == 10 - 4 - 2 + 1
    assert windows.inputs.shape == (5, 4, 1)
    assert windows.targets.shape == (5, 2)
    assert windows.horizon == 2
    np.testing.assert_array_equal(windows.inputs[0, :, 0], [0, 1, 2, 3])
    np.testing.assert_array_equal(windows.targets[0], [4, 5])
    np.testing.assert_array_equal(windows.inputs[-1, :, 0], [4, 5, 6, 7])
    np.testing.assert_array_equal(windows.targets[-1], [8, 9])
    np.testing.assert_array_equal(windows.first_target, np.arange(4, 9))
    np.testing.assert_array_equal(series[windows.first_target], windows.targets[:, 0])


def test_persistence_repeats_the_last_value():
    windows = forecasting.forecast_windows(
        np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0]), 2, 3
    )
    np.testing.assert_array_equal(windows.persistence(), [[1, 1, 1], [4, 4, 4]])


def test_chronological_split_never_shares_a_target_between_parts():
    series = np.arange(100.0)
    windows = forecasting.forecast_windows(series, window=10, horizon=3)
    train, validation, test = forecasting.chronological_split(windows, (70, 85))
    last = lambda part: part.first_target + part.horizon - 1  # noqa: E731
    assert last(train).max() < 70
    assert validation.first_target.min() >= 70 and last(validation).max() < 85
    assert test.first_target.min() >= 85 and last(test).max() == 99
    # Only windows straddling a boundary are dropped: horizon - 1 at each of the two.
    assert len(train) + len(validation) + len(test) == len(windows) - 2 * (3 - 1)
    # Inputs may reach back into an earlier period; targets never do.
    assert validation.inputs[0, 0, 0] < 70


@pytest.mark.parametrize(
    ("series", "window", "horizon", "name"),
    [
        (np.arange(10.0), 0, 1, "window"),
        (np.arange(10.0), 3, 0, "horizon"),
        (np.arange(10.0), 8, 3, "window \\+ horizon"),
        (np.zeros((3, 3)), 1, 1, "series"),
        (np.array([1.0, np.nan, 2.0]), 1, 1, "series"),
    ],
)
def test_forecast_windows_rejects_bad_input(series, window, horizon, name):
    with pytest.raises(ValueError, match=name):
        forecasting.forecast_windows(series, window, horizon)


@pytest.mark.parametrize(
    ("boundaries", "message"),
    [
        ((50, 40), "increasing"),
        ((0, 40), "boundaries"),
        ((50,), "two indices"),
        ((95, 98), "test part"),
        ((5, 50), "train part"),
    ],
)
def test_chronological_split_rejects_bad_boundaries(boundaries, message):
    windows = forecasting.forecast_windows(np.arange(100.0), 10, 3)
    with pytest.raises(ValueError, match=message):
        forecasting.chronological_split(windows, boundaries)


def test_chronological_split_rejects_other_objects():
    with pytest.raises(ValueError, match="ForecastWindows"):
        forecasting.chronological_split(np.zeros((4, 3)), (1, 2))


# --------------------------------------------------------------- the CO2 series


def test_monthly_co2_is_complete_and_ordered():
    co2 = forecasting.monthly_co2()
    assert len(co2) == 526
    assert co2.months[0] == np.datetime64("1958-03")
    assert co2.months[-1] == np.datetime64("2001-12")
    assert np.all(np.diff(co2.months.astype(int)) == 1)
    assert np.all(np.isfinite(co2.values))
    assert 0 < co2.filled.sum() < 10
    assert 310 < co2.values.min() < co2.values.max() < 380
    years = co2.decimal_years
    assert years[0] == pytest.approx(1958 + 2.5 / 12)
    assert np.all(np.diff(years) > 0)


def test_seasonal_naive_looks_one_season_back():
    series = np.arange(30.0)
    assert np.array_equal(
        forecasting.seasonal_naive(series, np.array([12, 20]), 12), [0, 8]
    )


@pytest.mark.parametrize(
    ("index", "season"),
    [(np.array([11]), 12), (np.array([30]), 12), (np.array([1.5]), 1)],
)
def test_seasonal_naive_rejects_bad_indices(index, season):
    with pytest.raises(ValueError, match="target_index"):
        forecasting.seasonal_naive(np.arange(30.0), index, season)


def test_seasonal_naive_rejects_bad_season():
    with pytest.raises(ValueError, match="season"):
        forecasting.seasonal_naive(np.arange(30.0), np.array([20]), 0)


def test_levels_from_changes_adds_to_the_last_value():
    series = np.array([1.0, 3.0, 6.0, 10.0])
    result = forecasting.levels_from_changes(
        series, np.array([1, 3]), np.array([0.5, -1.0])
    )
    assert np.allclose(result, [1.5, 5.0])


def test_levels_from_changes_rejects_bad_input():
    series = np.arange(5.0)
    with pytest.raises(ValueError, match="target_index"):
        forecasting.levels_from_changes(series, np.array([0]), np.array([1.0]))
    with pytest.raises(ValueError, match="changes"):
        forecasting.levels_from_changes(series, np.array([1, 2]), np.array([1.0]))


def test_forecast_errors():
    errors = forecasting.forecast_errors(np.array([0.0, 0.0]), np.array([1.0, -3.0]))
    assert errors["mae"] == pytest.approx(2.0)
    assert errors["rmse"] == pytest.approx(np.sqrt(5.0))


@pytest.mark.parametrize(
    ("truth", "forecast", "named"),
    [
        (np.zeros(3), np.zeros(2), "truth and forecast"),
        (np.zeros(0), np.zeros(0), "truth"),
        (np.zeros(2), np.array([0, np.nan]), "forecast must contain only finite"),
    ],
)
def test_forecast_errors_rejects_bad_input(truth, forecast, named):
    with pytest.raises(ValueError, match=named):
        forecasting.forecast_errors(truth, forecast)


def _seasonal_series(length=240, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return 0.05 * t + 3.0 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.3, length)


def test_sarima_one_step_beats_seasonal_naive_without_seeing_the_test_period():
    series = _seasonal_series()
    targets = np.arange(200, 240)
    result = forecasting.sarima_one_step(
        series,
        train_end=180,
        target_index=targets,
        order=(0, 1, 1),
        seasonal_order=(0, 1, 1, 12),
    )
    assert result.forecast.shape == (40,)
    assert np.array_equal(result.target_index, targets)
    assert set(result.params) >= {"ma.L1", "ma.S.L12", "sigma2"}
    sarima = forecasting.forecast_errors(series[targets], result.forecast)["mae"]
    naive = forecasting.forecast_errors(
        series[targets], forecasting.seasonal_naive(series, targets, 12)
    )["mae"]
    assert sarima < naive


def test_sarima_one_step_uses_only_the_past():
    """Changing a later value must not change the forecast of an earlier one."""
    series = _seasonal_series()
    changed = series.copy()
    changed[220] += 100.0
    kwargs = {"train_end": 180, "order": (0, 1, 1), "seasonal_order": (0, 1, 1, 12)}
    targets = np.arange(200, 221)
    a = forecasting.sarima_one_step(series, target_index=targets, **kwargs).forecast
    b = forecasting.sarima_one_step(changed, target_index=targets, **kwargs).forecast
    assert np.allclose(a, b)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"train_end": 10}, "train_end"),
        ({"train_end": 500}, "train_end"),
        ({"order": (1, 1)}, "order"),
        ({"order": (1, -1, 1)}, "order"),
        ({"target_index": np.array([0])}, "target_index"),
    ],
)
def test_sarima_one_step_rejects_bad_input(kwargs, match):
    args = {
        "train_end": 180,
        "target_index": np.array([200]),
        "order": (0, 1, 1),
        "seasonal_order": (0, 1, 1, 12),
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        forecasting.sarima_one_step(_seasonal_series(), **args)
