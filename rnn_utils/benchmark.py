"""How fast recurrent layers train, and when Keras runs them on NVIDIA's cuDNN kernels.

Three parts:

- :func:`cudnn_eligible` reads a layer's configuration and says whether Keras 3 would hand
  it to the fused cuDNN kernel on a GPU, and if not, why not. The conditions are those of
  Keras 3.15 (``keras/src/layers/rnn/lstm.py``, ``gru.py`` and each backend's ``rnn.py``).
- :func:`time_training_steps` times training steps of a small model built around one
  recurrent layer, on whatever device Keras uses, and returns a :class:`StepTiming`;
  :func:`time_settings` does the same for several :class:`Setting` objects, interleaved.
- :func:`write_records` / :func:`read_records` store such timings in a small CSV file
  (:data:`RECORD_COLUMNS`), which ``scripts/gpu_benchmark.py`` writes on a GPU machine and
  the GPU chapter reads; :func:`speedups` pairs GPU rows with CPU rows of the same setting.

Keras is imported inside the functions, so importing this module does not import it
before :func:`rnn_utils.setup` has run.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import statistics
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from rnn_utils import _checks

LAYER_TYPES = ("lstm", "gru", "simple_rnn")
"""Recurrent layers :func:`time_training_steps` can build."""

CUDNN_BACKENDS = {"tensorflow": ("LSTM", "GRU"), "jax": ("LSTM",), "torch": ("LSTM", "GRU")}
"""Keras 3.15 backends with a cuDNN path, and the layers that have one there.

JAX has a cuDNN LSTM (``jax.experimental.rnn``) but no cuDNN GRU: its GRU runs a
``lax.scan`` loop. NumPy and OpenVINO have none. ``SimpleRNN`` has none anywhere.
"""

USE_CUDNN_CHOICES = ("auto", True, False)
"""Values of the ``use_cudnn`` argument of ``keras.layers.LSTM`` and ``GRU``."""

RECORD_COLUMNS = (
    "device",
    "backend",
    "date",
    "layer",
    "batch",
    "length",
    "units",
    "kernel",
    "seconds_per_step",
)
"""Columns of a recorded-timings CSV file, in this order."""

KERNELS = ("cudnn", "generic")
"""Values of the ``kernel`` column: the fused cuDNN kernel, or Keras' step-by-step loop."""


class CudnnVerdict(NamedTuple):
    """Whether a layer's configuration allows the cuDNN kernel; unpacks as ``(ok, reasons)``.

    Attributes:
        eligible: True when Keras would run the layer with cuDNN on a GPU.
        reasons: one sentence per condition that fails (empty when eligible).
    """

    eligible: bool
    reasons: list[str]


def _native_functions(backend: str, name: str) -> tuple[Any, ...]:
    """The backend's own ``tanh`` / ``sigmoid``, which Keras also accepts for cuDNN."""
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            return (getattr(tf, name),)
        if backend == "jax" and name == "tanh":  # Keras' JAX check accepts jnp.tanh only
            import jax.numpy as jnp

            return (jnp.tanh,)
        if backend == "torch":
            import torch

            return (getattr(torch, name),)
    except ImportError:  # pragma: no cover - the backend is installed when it is in use
        pass
    return ()


def _check_mask(backend: str, mask: object) -> list[str]:
    """Reasons a mask ``(batch, time)`` keeps the layer off cuDNN (none if it does not)."""
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f"mask must have shape (batch, time), got shape {mask.shape}")
    mask = mask.astype(bool)
    if backend != "tensorflow":
        return [
            f"a mask is given: the {backend} backend runs masked LSTM/GRU with the generic loop"
        ]
    lengths = mask.sum(axis=1)
    right_padded = np.arange(mask.shape[1])[None, :] < lengths[:, None]
    reasons = []
    if not np.array_equal(mask, right_padded):
        reasons.append(
            "the mask is not right-padded (True steps first, then False): TensorFlow's "
            "cuDNN path rejects it (an error in a compiled step); pass use_cudnn=False"
        )
    if np.any(lengths == 0):
        reasons.append(
            "a sequence is fully masked: TensorFlow's cuDNN path rejects it (an error in a "
            "compiled step)"
        )
    return reasons


def cudnn_eligible(
    layer: Any, *, backend: str | None = None, mask: object | None = None
) -> CudnnVerdict:
    """Check a recurrent layer's configuration against Keras 3's conditions for cuDNN.

    The conditions (Keras 3.15) for ``keras.layers.LSTM`` and ``keras.layers.GRU``:
    ``use_cudnn`` is ``"auto"`` or ``True``; ``activation`` is tanh; ``recurrent_activation``
    is sigmoid; ``recurrent_dropout`` is 0 (input ``dropout`` is allowed); ``unroll`` is
    False; ``use_bias`` is True; for a GRU, ``reset_after`` is True. The backend must have a
    cuDNN path for the layer (:data:`CUDNN_BACKENDS`). With a ``mask``, TensorFlow needs it
    right-padded with no fully masked sequence; JAX and PyTorch fall back to the generic
    loop whenever a mask is given. ``Bidirectional`` is eligible when both of its layers are.

    The device is *not* checked: an eligible layer runs on cuDNN when a GPU is visible
    (see :func:`rnn_utils.backend.device`), on the generic kernel otherwise.

    Args:
        layer: a Keras layer (``LSTM``, ``GRU``, ``SimpleRNN``, ``Bidirectional``, ...).
        backend: ``"tensorflow"``, ``"jax"``, ``"torch"``, ...; by default the one in use.
        mask: optional boolean array ``(batch, time)``, True for the steps to read.

    Returns:
        A :class:`CudnnVerdict` ``(eligible, reasons)``.

    Raises:
        ValueError: if ``layer`` is not a Keras layer or ``mask`` is not 2-D.
    """
    import keras

    if not isinstance(layer, keras.layers.Layer):
        raise ValueError(f"layer must be a Keras layer, got {type(layer).__name__}")
    backend = keras.backend.backend() if backend is None else backend
    if not isinstance(backend, str) or not backend:
        raise ValueError(f"backend must be a backend name such as 'tensorflow', got {backend!r}")
    if isinstance(layer, keras.layers.Bidirectional):
        reasons = []
        for side, inner in (("forward", layer.forward_layer), ("backward", layer.backward_layer)):
            reasons += [
                f"{side} layer: {reason}"
                for reason in cudnn_eligible(inner, backend=backend, mask=mask).reasons
            ]
        return CudnnVerdict(not reasons, reasons)

    if isinstance(layer, keras.layers.LSTM):
        kind = "LSTM"
    elif isinstance(layer, keras.layers.GRU):
        kind = "GRU"
    else:
        return CudnnVerdict(
            False, [f"{type(layer).__name__} has no cuDNN kernel in Keras 3 (only LSTM and GRU)"]
        )
    reasons = []
    if kind not in CUDNN_BACKENDS.get(backend, ()):
        reasons.append(f"the {backend} backend has no cuDNN path for {kind}")
    if layer.use_cudnn is False:
        reasons.append("use_cudnn=False turns the cuDNN kernel off")
    cell = layer.cell
    tanh = (keras.activations.tanh, keras.ops.tanh, *_native_functions(backend, "tanh"))
    sigmoid = (keras.activations.sigmoid, keras.ops.sigmoid)
    if backend != "jax":
        sigmoid += _native_functions(backend, "sigmoid")
    if cell.activation not in tanh:
        reasons.append(f"activation is {_function_name(cell.activation)}, not tanh")
    if cell.recurrent_activation not in sigmoid:
        name = _function_name(cell.recurrent_activation)
        reasons.append(f"recurrent_activation is {name}, not sigmoid")
    if cell.recurrent_dropout:
        reasons.append(f"recurrent_dropout is {cell.recurrent_dropout}, not 0")
    if layer.unroll:
        reasons.append("unroll=True (cuDNN needs the symbolic loop)")
    if not cell.use_bias:
        reasons.append("use_bias=False (cuDNN needs the biases)")
    if kind == "GRU" and not cell.reset_after:
        reasons.append("reset_after=False (cuDNN implements the reset_after=True variant)")
    if mask is not None:
        reasons += _check_mask(backend, mask)
    return CudnnVerdict(not reasons, reasons)


def _function_name(function: Any) -> str:
    return getattr(function, "__name__", repr(function))


@dataclasses.dataclass(frozen=True)
class StepTiming:
    """Timed training steps of one configuration (:func:`time_training_steps`).

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
            else ``"generic"``.
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
        return float(statistics.median(self.times))

    @property
    def sequences_per_second(self) -> float:
        """Training throughput: ``batch_size / seconds_per_step``."""
        return self.batch_size / self.seconds_per_step


def build_model(
    layer: str, *, length: int, units: int, features: int, use_cudnn: str | bool = "auto"
) -> Any:
    """A compiled model: ``(batch, length, features)`` -> recurrent layer -> ``Dense(1)``.

    The recurrent layer returns its last state; the model is trained with Adam on the mean
    squared error. ``use_cudnn`` is passed to LSTM and GRU (ignored for SimpleRNN).
    """
    import keras

    layer = _check_layer(layer)
    length = _checks.positive_int("length", length)
    units = _checks.positive_int("units", units)
    features = _checks.positive_int("features", features)
    use_cudnn = _check_use_cudnn(use_cudnn)
    if layer == "lstm":
        recurrent = keras.layers.LSTM(units, use_cudnn=use_cudnn)
    elif layer == "gru":
        recurrent = keras.layers.GRU(units, use_cudnn=use_cudnn)
    else:
        recurrent = keras.layers.SimpleRNN(units)
    model = keras.Sequential(
        [keras.Input(shape=(length, features)), recurrent, keras.layers.Dense(1)],
        name=f"{layer}_benchmark",
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
    return model


def _check_layer(layer: object) -> str:
    if layer not in LAYER_TYPES:
        raise ValueError(f"layer must be one of {LAYER_TYPES}, got {layer!r}")
    return str(layer)


def _check_use_cudnn(use_cudnn: object) -> str | bool:
    if use_cudnn is True or use_cudnn is False or use_cudnn == "auto":
        return use_cudnn  # type: ignore[return-value]
    raise ValueError(f"use_cudnn must be one of {USE_CUDNN_CHOICES}, got {use_cudnn!r}")


@dataclasses.dataclass(frozen=True)
class Setting:
    """One configuration to time: layer type and sizes (see :func:`time_settings`)."""

    layer: str = "lstm"
    batch_size: int = 32
    length: int = 32
    units: int = 32
    features: int = 8
    use_cudnn: str | bool = "auto"

    def __post_init__(self) -> None:
        _check_layer(self.layer)
        for name in ("batch_size", "length", "units", "features"):
            _checks.positive_int(name, getattr(self, name))
        _check_use_cudnn(self.use_cudnn)


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

    A fresh model (:func:`build_model`) is trained on one fixed random batch
    ``(batch_size, length, features)`` with targets ``(batch_size, 1)``; see
    :func:`time_settings`, which this calls with one :class:`Setting`.

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

    Each setting gets a fresh model (:func:`build_model`) and one fixed random batch
    ``(batch_size, length, features)`` with targets ``(batch_size, 1)``. Every model first
    takes ``warmup`` untimed steps (tracing, compilation, memory allocation). Then come
    ``repeats`` rounds; in each round every model takes one step, timed on its own with
    :func:`time.perf_counter`. Interleaving spreads a burst of load from other programs
    over all settings instead of spoiling one. Each step returns the loss to Python, so a
    step is finished when its clock stops, on a GPU too.

    Args:
        settings: the :class:`Setting` objects to time (at least one).
        repeats: timed steps per setting, >= 1 (their median is reported).
        warmup: untimed steps per setting first, >= 1.
        seed: seed of the random batches.

    Returns:
        One :class:`StepTiming` per setting, in order.

    Raises:
        ValueError: if ``settings`` is empty or holds something else than a
            :class:`Setting`, or a count is not a positive integer.
    """
    if isinstance(settings, Setting) or not isinstance(settings, Sequence) or not settings:
        raise ValueError("settings must be a non-empty sequence of Setting objects")
    for setting in settings:
        if not isinstance(setting, Setting):
            raise ValueError(f"settings must hold Setting objects, got {type(setting).__name__}")
    repeats = _checks.positive_int("repeats", repeats)
    warmup = _checks.positive_int("warmup", warmup)
    seed = _checks.non_negative_int("seed", seed)

    import keras

    from rnn_utils import backend

    rng = np.random.default_rng(seed)
    trials = []
    for setting in settings:
        model = build_model(
            setting.layer,
            length=setting.length,
            units=setting.units,
            features=setting.features,
            use_cudnn=setting.use_cudnn,
        )
        shape = (setting.batch_size, setting.length, setting.features)
        x = rng.standard_normal(shape).astype("float32")
        y = rng.standard_normal((setting.batch_size, 1)).astype("float32")
        for _ in range(warmup):
            model.train_on_batch(x, y)
        trials.append((model, x, y, []))
    for _ in range(repeats):
        for model, x, y, times in trials:
            start = time.perf_counter()
            float(model.train_on_batch(x, y))  # the loss as a Python float: the step is done
            times.append(time.perf_counter() - start)
    device = backend.device()
    gpu = device.kind == "GPU" and device.cudnn_rnn
    return [
        StepTiming(
            layer=setting.layer,
            batch_size=setting.batch_size,
            length=setting.length,
            units=setting.units,
            features=setting.features,
            times=tuple(times),
            device=device.name,
            backend=keras.backend.backend(),
            kernel="cudnn" if gpu and cudnn_eligible(model.layers[0]).eligible else "generic",
        )
        for setting, (model, _, _, times) in zip(settings, trials, strict=True)
    ]


@dataclasses.dataclass(frozen=True)
class RecordedStep:
    """One row of a recorded-timings file (:data:`RECORD_COLUMNS`)."""

    device: str
    backend: str
    date: str
    layer: str
    batch: int
    length: int
    units: int
    kernel: str
    seconds_per_step: float

    @property
    def is_gpu(self) -> bool:
        """True unless the row was measured on the CPU."""
        return self.device != "CPU"


def default_record_path() -> Path:
    """``book/data/gpu_benchmark.csv`` in the repository this package was installed from."""
    return Path(__file__).resolve().parent.parent / "book" / "data" / "gpu_benchmark.csv"


def to_record(timing: StepTiming, *, date: str | None = None) -> RecordedStep:
    """A :class:`StepTiming` as a row; ``date`` defaults to today (UTC, ``YYYY-MM-DD``)."""
    if not isinstance(timing, StepTiming):
        raise ValueError(f"timing must be a StepTiming, got {type(timing).__name__}")
    if date is None:
        date = datetime.datetime.now(datetime.UTC).date().isoformat()
    return RecordedStep(
        device=timing.device,
        backend=timing.backend,
        date=_check_date(date),
        layer=timing.layer,
        batch=timing.batch_size,
        length=timing.length,
        units=timing.units,
        kernel=timing.kernel,
        seconds_per_step=timing.seconds_per_step,
    )


def _check_date(date: object) -> str:
    try:
        datetime.date.fromisoformat(str(date))
    except ValueError:
        raise ValueError(f"date must be an ISO date like 2026-01-31, got {date!r}") from None
    return str(date)


def write_records(
    path: str | Path, records: Iterable[RecordedStep], *, append: bool = False
) -> Path:
    """Write rows to a CSV file with the header :data:`RECORD_COLUMNS`.

    With ``append=True`` and an existing file, the rows are added after its rows (its
    header must be :data:`RECORD_COLUMNS`). Returns the path.
    """
    path = Path(path)
    records = list(records)
    for record in records:
        if not isinstance(record, RecordedStep):
            raise ValueError(f"records must hold RecordedStep rows, got {type(record).__name__}")
    existing = read_records(path) if append and path.exists() else []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RECORD_COLUMNS)
        for record in [*existing, *records]:
            row = dataclasses.asdict(record)
            row["seconds_per_step"] = f"{record.seconds_per_step:.6g}"
            writer.writerow([row[column] for column in RECORD_COLUMNS])
    return path


def read_records(path: str | Path) -> list[RecordedStep]:
    """Read a recorded-timings file; a missing or header-only file gives ``[]``.

    Raises:
        ValueError: if the header is not :data:`RECORD_COLUMNS` or a row has a bad value
            (the message names the line).
    """
    path = Path(path)
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return []
    if tuple(cell.strip() for cell in rows[0]) != RECORD_COLUMNS:
        raise ValueError(f"{path} must start with the header {','.join(RECORD_COLUMNS)}")
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(RECORD_COLUMNS):
            raise ValueError(
                f"{path}, line {line}: expected {len(RECORD_COLUMNS)} values, got {len(row)}"
            )
        values = dict(zip(RECORD_COLUMNS, (cell.strip() for cell in row), strict=True))
        try:
            record = RecordedStep(
                device=values["device"],
                backend=values["backend"],
                date=_check_date(values["date"]),
                layer=_check_layer(values["layer"]),
                batch=_checks.positive_int("batch", int(values["batch"])),
                length=_checks.positive_int("length", int(values["length"])),
                units=_checks.positive_int("units", int(values["units"])),
                kernel=values["kernel"],
                seconds_per_step=_checks.positive_float(
                    "seconds_per_step", float(values["seconds_per_step"])
                ),
            )
            if record.kernel not in KERNELS:
                raise ValueError(f"kernel must be one of {KERNELS}, got {record.kernel!r}")
            if not record.device or not record.backend:
                raise ValueError("device and backend must not be empty")
        except ValueError as error:
            raise ValueError(f"{path}, line {line}: {error}") from None
        records.append(record)
    return records


@dataclasses.dataclass(frozen=True)
class Speedup:
    """A GPU row against the CPU row of the same backend, layer and sizes."""

    gpu: RecordedStep
    cpu: RecordedStep

    @property
    def ratio(self) -> float:
        """CPU seconds per step / GPU seconds per step (> 1: the GPU is faster)."""
        return self.cpu.seconds_per_step / self.gpu.seconds_per_step


def speedups(records: Sequence[RecordedStep]) -> list[Speedup]:
    """Pair every GPU row with a CPU row of the same backend, layer, batch, length, units.

    Where several CPU rows match, the latest (last in the file) is used. Rows on
    different backends are never compared.
    """
    cpu_rows: dict[tuple, RecordedStep] = {}
    for record in records:
        if not isinstance(record, RecordedStep):
            raise ValueError(f"records must hold RecordedStep rows, got {type(record).__name__}")
        if not record.is_gpu:
            cpu_rows[_setting(record)] = record
    return [
        Speedup(record, cpu_rows[_setting(record)])
        for record in records
        if record.is_gpu and _setting(record) in cpu_rows
    ]


def _setting(record: RecordedStep) -> tuple:
    return (record.backend, record.layer, record.batch, record.length, record.units)


def loglog_slope(x: Sequence[float], y: Sequence[float]) -> float:
    """Least-squares slope of ``log y`` against ``log x`` (1: y grows in proportion to x)."""
    x = _checks.array("x", x, 1, dtype=float)
    y = _checks.array("y", y, 1, dtype=float)
    if len(x) != len(y) or len(x) < 2:
        raise ValueError(f"x and y must have the same length >= 2, got {len(x)} and {len(y)}")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be positive for a log-log slope")
    if np.ptp(x) == 0:
        raise ValueError("x must hold at least two different values")
    slope, _ = np.polyfit(np.log(x), np.log(y), 1)
    return float(slope)


__all__ = [
    "CUDNN_BACKENDS",
    "KERNELS",
    "LAYER_TYPES",
    "RECORD_COLUMNS",
    "CudnnVerdict",
    "RecordedStep",
    "Setting",
    "Speedup",
    "StepTiming",
    "build_model",
    "cudnn_eligible",
    "default_record_path",
    "loglog_slope",
    "read_records",
    "speedups",
    "time_settings",
    "time_training_steps",
    "to_record",
    "write_records",
]
