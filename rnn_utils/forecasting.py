"""Forecasting a real series (chapter 9): data, baselines, errors and a SARIMA reference.

- :func:`monthly_co2` — the Mauna Loa CO2 record shipped with statsmodels, as monthly means;
- :func:`seasonal_naive` — the forecast "this month looks like the same month a season ago";
- :func:`levels_from_changes` — turn predicted one-step changes back into levels;
- :func:`forecast_errors` — mean absolute and root-mean-square errors;
- :func:`sarima_one_step` — a seasonal ARIMA fitted on the training period only, then run
  over the whole series with those parameters to give honest one-step-ahead forecasts.

Windows of a series are cut with :func:`rnn_utils.sequences.forecast_windows` and split with
:func:`rnn_utils.sequences.chronological_split` (chapter 3). Shapes: a series is ``(time,)``;
indices into it are ``(targets,)`` int arrays.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from rnn_utils import _checks


@dataclasses.dataclass(frozen=True)
class MonthlySeries:
    """A monthly series.

    Attributes:
        months: ``(time,)`` ``datetime64[M]``, the month of each value.
        values: ``(time,)`` float64 values.
        filled: ``(time,)`` bool, True where the month had no measurement and the value was
            interpolated linearly from its neighbours.
        name: what the series measures, with its unit.
    """

    months: np.ndarray
    values: np.ndarray
    filled: np.ndarray
    name: str

    def __len__(self) -> int:
        return len(self.values)

    @property
    def decimal_years(self) -> np.ndarray:
        """``(time,)`` float64, the middle of each month as a year with a fraction (for plots)."""
        months = self.months.astype(int)  # months since 1970-01
        return 1970.0 + (months + 0.5) / 12.0


def monthly_co2() -> MonthlySeries:
    """The Mauna Loa atmospheric CO2 record (March 1958 to December 2001), monthly.

    statsmodels ships the weekly record (``statsmodels.api.datasets.co2``, in parts per
    million by volume, with a few missing weeks). Each month's value is the mean of its
    weeks; the few months without any measurement are filled by linear interpolation and
    flagged in :attr:`MonthlySeries.filled`. No download: the file is part of statsmodels.

    Returns:
        :class:`MonthlySeries` with 526 months.
    """
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean()
    filled = monthly.isna().to_numpy()
    values = monthly.interpolate(method="linear").to_numpy(dtype=np.float64)
    months = monthly.index.to_numpy().astype("datetime64[M]")
    return MonthlySeries(months, values, filled, "atmospheric CO2 at Mauna Loa (ppm)")


def _indices(name: str, indices: object, length: int, *, lowest: int = 0) -> np.ndarray:
    result = np.asarray(indices)
    if result.ndim != 1 or (result.size and not np.issubdtype(result.dtype, np.integer)):
        raise ValueError(f"{name} must be a 1-D array of integer indices, got {indices!r}")
    if result.size and (result.min() < lowest or result.max() >= length):
        raise ValueError(
            f"{name} must lie in [{lowest}, {length}) for a series of length {length}, "
            f"got values {result.min()}..{result.max()}"
        )
    return result.astype(np.int64)


def seasonal_naive(series: np.ndarray, target_index: np.ndarray, season: int) -> np.ndarray:
    """The seasonal-naive forecast: the value one season earlier.

    Args:
        series: ``(time,)`` values.
        target_index: ``(targets,)`` indices of the values to forecast, each >= ``season``.
        season: length of the season in steps (12 for monthly data with a yearly cycle).

    Returns:
        ``(targets,)`` float64, ``series[target_index - season]``.
    """
    series = _checks.array("series", series, 1, dtype=np.float64)
    season = _checks.positive_int("season", season)
    index = _indices("target_index", target_index, len(series), lowest=season)
    return series[index - season]


def levels_from_changes(
    series: np.ndarray, target_index: np.ndarray, changes: np.ndarray
) -> np.ndarray:
    """One-step forecasts of levels from predicted changes: ``series[t - 1] + change``.

    A model that predicts the change from the last observed value, rather than the level,
    is never asked for a level outside the range it was trained on, which matters for a
    series with a trend.

    Args:
        series: ``(time,)`` observed values.
        target_index: ``(targets,)`` indices ``t`` of the forecast values, each >= 1.
        changes: ``(targets,)`` predicted ``series[t] - series[t - 1]``.

    Returns:
        ``(targets,)`` float64 forecasts of ``series[target_index]``.
    """
    series = _checks.array("series", series, 1, dtype=np.float64)
    index = _indices("target_index", target_index, len(series), lowest=1)
    changes = _checks.array("changes", np.ravel(changes), 1, dtype=np.float64)
    if changes.shape != index.shape:
        raise ValueError(
            f"changes must have one value per target index ({len(index)}), got {len(changes)}"
        )
    return series[index - 1] + changes


def forecast_errors(truth: np.ndarray, forecast: np.ndarray) -> dict[str, float]:
    """Mean absolute error and root-mean-square error of a forecast.

    Args:
        truth: observed values, any shape.
        forecast: forecasts of the same shape.

    Returns:
        ``{"mae": ..., "rmse": ...}`` in the unit of the series.
    """
    truth = np.asarray(truth, dtype=np.float64)
    forecast = np.asarray(forecast, dtype=np.float64)
    if truth.shape != forecast.shape:
        raise ValueError(
            f"truth and forecast must have the same shape, got {truth.shape} and {forecast.shape}"
        )
    if truth.size == 0:
        raise ValueError("truth must not be empty")
    if not (np.all(np.isfinite(truth)) and np.all(np.isfinite(forecast))):
        raise ValueError("truth and forecast must contain only finite numbers")
    error = forecast - truth
    return {"mae": float(np.mean(np.abs(error))), "rmse": float(np.sqrt(np.mean(error**2)))}


@dataclasses.dataclass(frozen=True)
class SarimaForecast:
    """One-step-ahead forecasts of a seasonal ARIMA whose parameters saw only the training part.

    Attributes:
        forecast: ``(targets,)`` float64, the forecast of ``series[t]`` from ``series[:t]``.
        target_index: ``(targets,)`` int64, the indices ``t``.
        params: the fitted parameters, by name.
        converged: whether the optimiser reported convergence on the training part.
    """

    forecast: np.ndarray
    target_index: np.ndarray
    params: dict[str, float]
    converged: bool


def sarima_one_step(
    series: np.ndarray,
    *,
    train_end: int,
    target_index: np.ndarray,
    order: tuple[int, int, int],
    seasonal_order: tuple[int, int, int, int],
) -> SarimaForecast:
    """Fit a SARIMA on ``series[:train_end]``, then forecast each target one step ahead.

    The parameters are estimated by maximum likelihood on the training part only. The model
    is then run (Kalman filter, parameters frozen) over the whole series: its forecast of
    ``series[t]`` conditions on ``series[:t]`` only, exactly the information a windowed
    network has when it forecasts ``t``. No parameter is re-estimated on later data.

    statsmodels warns when the optimiser stops before its tolerance
    (``ConvergenceWarning``) and when a start value is not stationary or invertible
    (``UserWarning`` with those words); those two are silenced *here only*, and the
    convergence flag is returned so that the caller can check it instead.

    Args:
        series: ``(time,)`` values.
        train_end: number of leading values used to fit the parameters, >= 2 seasons.
        target_index: ``(targets,)`` indices to forecast, each >= 1.
        order: ``(p, d, q)``.
        seasonal_order: ``(P, D, Q, season)``.

    Returns:
        :class:`SarimaForecast`.
    """
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    series = _checks.array("series", series, 1, dtype=np.float64)
    train_end = _checks.positive_int("train_end", train_end)
    if len(order) != 3 or len(seasonal_order) != 4:
        raise ValueError(
            f"order must be (p, d, q) and seasonal_order (P, D, Q, season), "
            f"got {order!r} and {seasonal_order!r}"
        )
    for name, value in zip("pdqPDQ", (*order, *seasonal_order[:3]), strict=True):
        _checks.non_negative_int(f"order {name}", value)
    season = _checks.positive_int("seasonal_order[3]", seasonal_order[3])
    if not 2 * season <= train_end <= len(series):
        raise ValueError(
            f"train_end must lie in [{2 * season}, {len(series)}] (two seasons at least), "
            f"got {train_end}"
        )
    index = _indices("target_index", target_index, len(series), lowest=1)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        warnings.filterwarnings("ignore", message=".*[Nn]on-(stationary|invertible) starting")
        model = SARIMAX(series[:train_end], order=order, seasonal_order=seasonal_order)
        fitted = model.fit(disp=False)
        everywhere = fitted.apply(series, refit=False)
    predicted = np.asarray(everywhere.get_prediction().predicted_mean, dtype=np.float64)
    names = fitted.model.param_names
    converged = bool(fitted.mle_retvals.get("converged", False))
    return SarimaForecast(
        predicted[index],
        index,
        {name: float(v) for name, v in zip(names, fitted.params, strict=True)},
        converged,
    )
