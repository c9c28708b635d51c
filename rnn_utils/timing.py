"""Measure what computation costs: median wall times, log-log growth, Keras training steps.

- :func:`median_seconds` times functions in interleaved rounds and keeps each one's median
  (chapter 4 times BPTT with it);
- :func:`loglog_slope` says how fast a cost grows: slope ``p`` means cost ``∝ x ** p``;
- :func:`time_training_steps` and :func:`time_settings` time training steps of a small
  model around one recurrent layer on the device Keras uses, and return
  :class:`StepTiming` objects (chapter 10; ``scripts/gpu_benchmark.py``).

Keras is imported inside the functions, so importing this module does not import it
before :func:`rnn_utils.setup` has run.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

from rnn_utils import _checks
from rnn_utils.cudnn import cudnn_eligible

LAYER_TYPES = ("lstm", "gru", "simple_rnn")
"""Recurrent layers :func:`time_settings` can build."""

USE_CUDNN_CHOICES = ("auto", True, False)
"""Values of the ``use_cudnn`` argument of ``keras.layers.LSTM`` and ``GRU``."""

KERNELS = ("cudnn", "generic")
"""Kernels a step can run on: the fused cuDNN kernel, or Keras' step-by-step loop."""

_Key = TypeVar("_Key", bound=Hashable)


def median_seconds(
    functions: Mapping[_Key, Callable[[], object]], *, repeats: int, warmup: int = 1
) -> dict[_Key, float]:
    """Median wall time of each function; every round calls all of them in turn.

    First every function runs ``warmup`` times untimed (tracing, caches, memory). Then
    come ``repeats`` rounds; in each round every function is called once, timed on its own
    with :func:`time.perf_counter`. Taking turns spreads a burst of load from other programs
    over all functions instead of spoiling one. To time one function ``f``:
    ``median_seconds({"f": f}, repeats=7)["f"]``.

    Args:
        functions: ``{key: function}``; each function takes no argument.
        repeats: timed calls per function, >= 1.
        warmup: untimed calls per function first, >= 0.

    Returns:
        ``{key: median seconds per call}``, in the order of ``functions``.

    Raises:
        ValueError: if ``functions`` is not a non-empty mapping of callables, or a count is
            not a whole number in range.
    """
    if not isinstance(functions, Mapping) or not functions:
        raise ValueError("functions must be a non-empty mapping {key: function}")
    for key, function in functions.items():
        if not callable(function):
            raise ValueError(
                f"functions[{key!r}] must be callable, got {type(function).__name__}"
            )
    repeats = _checks.positive_int("repeats", repeats)
    warmup = _checks.non_negative_int("warmup", warmup)
    times = _timed_rounds(functions, repeats, warmup)
    return {key: float(np.median(values)) for key, values in times.items()}


def _timed_rounds(
    functions: Mapping[_Key, Callable[[], object]], repeats: int, warmup: int
) -> dict[_Key, list[float]]:
    """The seconds of each timed call, per key (see :func:`median_seconds`)."""
    for _ in range(warmup):
        for function in functions.values():
            function()
    times: dict[_Key, list[float]] = {key: [] for key in functions}
    for _ in range(repeats):
        for key, function in functions.items():
            start = time.perf_counter()
            function()
            times[key].append(time.perf_counter() - start)
    return times


def loglog_slope(x: Sequence[float], y: Sequence[float]) -> float:
    """Least-squares slope of ``log y`` against ``log x`` (1: y grows in proportion to x).

    Exactly ``np.polyfit(np.log(x), np.log(y), 1)[0]``: for ``y = c * x ** p`` it is ``p``.

    Args:
        x: sizes ``(n,)``, positive, at least two different values.
        y: costs ``(n,)``, positive (times, bytes, ...).

    Raises:
        ValueError: if ``x`` and ``y`` are not 1-D of the same length >= 2, hold a value
            <= 0, or ``x`` holds a single value.
    """
    x = _checks.array("x", x, 1, dtype=float)
    y = _checks.array("y", y, 1, dtype=float)
    if len(x) != len(y) or len(x) < 2:
        raise ValueError(
            f"x and y must have the same length >= 2, got {len(x)} and {len(y)}"
        )
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be positive for a log-log slope")
    if np.ptp(x) == 0:
        raise ValueError("x must hold at least two different values")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


@dataclasses.dataclass(frozen=True)
class Setting:
    """One configuration to time (see :func:`time_settings`); checked when it is made.

    Attributes:
        layer: one of :data:`LAYER_TYPES`.
        batch_size: sequences per step, >= 1.
        length: time steps per sequence, >= 1.
        units: width of the recurrent layer, >= 1.
        features: inputs per time step, >= 1.
        use_cudnn: ``"auto"`` (Keras' default), ``True`` or ``False`` (force the generic
            kernel, to compare it with cuDNN on a GPU); ignored for ``"simple_rnn"``.

    Raises:
        ValueError: on an unknown layer, a size that is not a positive integer, or a
            ``use_cudnn`` that is not ``"auto"``, True or False.
    """

    layer: str = "lstm"
    batch_size: int = 32
    length: int = 32
    units: int = 32
    features: int = 8
    use_cudnn: str | bool = "auto"

    def __post_init__(self) -> None:
        if self.layer not in LAYER_TYPES:
            raise ValueError(f"layer must be one of {LAYER_TYPES}, got {self.layer!r}")
        for name in ("batch_size", "length", "units", "features"):
            _checks.positive_int(name, getattr(self, name))
        if not (
            self.use_cudnn is True
            or self.use_cudnn is False
            or self.use_cudnn == "auto"
        ):
            raise ValueError(
                f"use_cudnn must be one of {USE_CUDNN_CHOICES}, got {self.use_cudnn!r}"
            )


@dataclasses.dataclass(frozen=True)
class StepTiming:
    """Timed training steps of one :class:`Setting` (:func:`time_settings`).

    Attributes:
        layer: ``"lstm"``, ``"gru"`` or ``"simple_rnn"``.
        batch_size: sequences per step.
        length: time steps per sequence.
        units: width of the recurrent layer.
        features: inputs per time step.
        times: seconds of each timed step, in order.
        device: the device Keras used, e.g. ``"CPU"`` or ``"NVIDIA H100 80GB HBM3"``.
        backend: the Keras backend.
        kernel: ``"cudnn"`` if the layer was eligible and a GPU with cuDNN was visible,
            else ``"generic"`` (:data:`KERNELS`).
    """

    layer: str
    batch_size: int
    length: int
    units: int
    features: int
    times: tuple[float, ...]
    device: str
    backend: str
    kernel: str

    @property
    def seconds_per_step(self) -> float:
        """Median seconds per training step (robust to a stray slow step)."""
        return float(np.median(self.times))

    @property
    def sequences_per_second(self) -> float:
        """Training throughput: ``batch_size / seconds_per_step``."""
        return self.batch_size / self.seconds_per_step


def time_training_steps(
    layer: str = "lstm",
    *,
    batch_size: int,
    length: int,
    units: int,
    features: int = 8,
    repeats: int = 5,
    warmup: int = 2,
    use_cudnn: str | bool = "auto",
    seed: int = 0,
) -> StepTiming:
    """Time ``model.train_on_batch`` for one recurrent layer on the device Keras uses.

    :func:`time_settings` with one :class:`Setting`; see there for the model and the clock.

    Args:
        layer: one of :data:`LAYER_TYPES`.
        batch_size: sequences per step, >= 1.
        length: time steps per sequence, >= 1.
        units: width of the recurrent layer, >= 1.
        features: inputs per time step, >= 1.
        repeats: timed steps, >= 1 (the median is reported).
        warmup: untimed steps first, >= 1 (the first step traces the graph).
        use_cudnn: ``"auto"`` (Keras' default), ``True`` or ``False`` (force the generic
            kernel, to compare it with cuDNN on a GPU).
        seed: seed of the random batch.

    Returns:
        A :class:`StepTiming`.

    Raises:
        ValueError: on an unknown layer, a size or count that is not a positive integer,
            or a ``use_cudnn`` that is not ``"auto"``, True or False.
    """
    setting = Setting(layer, batch_size, length, units, features, use_cudnn)
    return time_settings([setting], repeats=repeats, warmup=warmup, seed=seed)[0]


def time_settings(
    settings: Sequence[Setting], *, repeats: int = 5, warmup: int = 2, seed: int = 0
) -> list[StepTiming]:
    """Time training steps of several settings, interleaved, on the device Keras uses.

    Each setting gets a fresh model, ``(batch, length, features)`` -> recurrent layer
    (last state) -> ``Dense(1)``, trained with Adam (learning rate 1e-3) on the mean
    squared error, and one fixed random batch
    ``(batch_size, length, features)`` with targets ``(batch_size, 1)``. The steps are
    timed as in :func:`median_seconds`: ``warmup`` untimed steps per model, then
    ``repeats`` rounds of one step per model. Each step returns the loss to Python, so a
    step is finished when its clock stops, on a GPU too.

    Args:
        settings: the :class:`Setting` objects to time (at least one).
        repeats: timed steps per setting, >= 1 (their median is reported).
        warmup: untimed steps per setting first, >= 1 (the first step traces the graph).
        seed: seed of the random batches.

    Returns:
        One :class:`StepTiming` per setting, in order.

    Raises:
        ValueError: if ``settings`` is empty or holds something else than a
            :class:`Setting`, or a count is not a positive integer.
    """
    if (
        isinstance(settings, Setting)
        or not isinstance(settings, Sequence)
        or not settings
    ):
        raise ValueError("settings must be a non-empty sequence of Setting objects")
    for setting in settings:
        if not isinstance(setting, Setting):
            raise ValueError(
                f"settings must hold Setting objects, got {type(setting).__name__}"
            )
    repeats = _checks.positive_int("repeats", repeats)
    warmup = _checks.positive_int("warmup", warmup)
    seed = _checks.non_negative_int("seed", seed)

    import keras

    from rnn_utils import backend

    rng = np.random.default_rng(seed)
    models, steps = [], {}
    for index, setting in enumerate(settings):
        model = _build_model(setting)
        shape = (setting.batch_size, setting.length, setting.features)
        x = rng.standard_normal(shape).astype("float32")
        y = rng.standard_normal((setting.batch_size, 1)).astype("float32")
        models.append(model)
        # The loss as a Python float: the step is done when the function returns.
        steps[index] = lambda model=model, x=x, y=y: float(model.train_on_batch(x, y))
    times = _timed_rounds(steps, repeats, warmup)
    device = backend.device()
    gpu = device.kind == "GPU" and device.cudnn_rnn
    return [
        StepTiming(
            layer=setting.layer,
            batch_size=setting.batch_size,
            length=setting.length,
            units=setting.units,
            features=setting.features,
            times=tuple(times[index]),
            device=device.name,
            backend=keras.backend.backend(),
            kernel="cudnn"
            if gpu and cudnn_eligible(model.layers[0]).eligible
            else "generic",
        )
        for index, (setting, model) in enumerate(zip(settings, models, strict=True))
    ]


def _build_model(setting: Setting) -> Any:
    """The compiled model :func:`time_settings` trains for ``setting``."""
    import keras

    if setting.layer == "lstm":
        layer = keras.layers.LSTM(setting.units, use_cudnn=setting.use_cudnn)
    elif setting.layer == "gru":
        layer = keras.layers.GRU(setting.units, use_cudnn=setting.use_cudnn)
    else:
        layer = keras.layers.SimpleRNN(setting.units)
    model = keras.Sequential(
        [keras.Input((setting.length, setting.features)), layer, keras.layers.Dense(1)],
        name=f"{setting.layer}_timing",
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
    return model


__all__ = [
    "KERNELS",
    "LAYER_TYPES",
    "USE_CUDNN_CHOICES",
    "Setting",
    "StepTiming",
    "loglog_slope",
    "median_seconds",
    "time_settings",
    "time_training_steps",
]
