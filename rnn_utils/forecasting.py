"""Forecasting a series: windows split in time, naive baselines, errors, a SARIMA reference."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from rnn_utils import _checks

# ------------------------------------------------------- windows, split in time


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
        rows = _checks.array("rows", rows, 1)
        if rows.dtype.kind == "b" and len(rows) != len(self):
            raise ValueError(
                f"rows, a mask, must have {len(self)} entries, got {len(rows)}"
            )
        if rows.dtype.kind != "b":
            rows = _indices("rows", rows, len(self))
        return ForecastWindows(
            self.inputs[rows], self.targets[rows], self.first_target[rows]
        )


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
        raise ValueError(
            f"windows must be ForecastWindows, got {type(windows).__name__}"
        )
    if not isinstance(boundaries, (tuple, list)) or len(boundaries) != 2:
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
            raise ValueError(
                f"boundaries {boundaries!r} leave the {name} part without windows"
            )
    return result  # type: ignore[return-value]


# ----------------------------------------------------------- the CO2 series and baselines


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
    if result.ndim != 1 or (
        result.size and not np.issubdtype(result.dtype, np.integer)
    ):
        raise ValueError(
            f"{name} must be a 1-D array of integer indices, got {indices!r}"
        )
    if result.size and (result.min() < lowest or result.max() >= length):
        raise ValueError(
            f"{name} must lie in [{lowest}, {length}) for a series of length {length}, "
            f"got values {result.min()}..{result.max()}"
        )
    return result.astype(np.int64)


def seasonal_naive(
    series: np.ndarray, target_index: np.ndarray, season: int
) -> np.ndarray:
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
    truth = _checks.array("truth", truth, np.ndim(truth), dtype=np.float64)
    forecast = _checks.array("forecast", forecast, np.ndim(forecast), dtype=np.float64)
    if truth.shape != forecast.shape:
        raise ValueError(
            f"truth and forecast must have the same shape, got {truth.shape} and {forecast.shape}"
        )
    if truth.size == 0:
        raise ValueError("truth must not be empty")
    if not (np.all(np.isfinite(truth)) and np.all(np.isfinite(forecast))):
        raise ValueError("truth and forecast must contain only finite numbers")
    error = forecast - truth
    return {
        "mae": float(np.mean(np.abs(error))),
        "rmse": float(np.sqrt(np.mean(error**2))),
    }


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
    if (
        not isinstance(order, (tuple, list))
        or not isinstance(seasonal_order, (tuple, list))
        or len(order) != 3
        or len(seasonal_order) != 4
    ):
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
        warnings.filterwarnings(
            "ignore", message=".*[Nn]on-(stationary|invertible) starting"
        )
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
