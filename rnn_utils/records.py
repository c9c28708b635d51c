"""Store measured timings as rows of a CSV file in the book's data folder, and read them back.

``scripts/gpu_benchmark.py`` times training steps on a GPU machine (:mod:`rnn_utils.timing`),
turns each :class:`~rnn_utils.timing.StepTiming` into a :class:`RecordedStep`
(:func:`to_record`) and writes them with :func:`write_records` to
``book/data/gpu_benchmark.csv`` (:func:`default_record_path`); the GPU chapter reads them
with :func:`read_records` and compares GPU with CPU rows with :func:`speedups`.
:func:`record_folder`, the book's data folder, also holds the seed sweep's record
(:mod:`rnn_utils.sweeps`).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from pathlib import Path

from rnn_utils import _checks
from rnn_utils.timing import KERNELS, LAYER_TYPES, StepTiming

RECORD_FILE = "gpu_benchmark.csv"
"""Name of the timing record in :func:`record_folder`."""

RECORD_COLUMNS = (
    "device",
    "backend",
    "date",
    "layer",
    "batch_size",
    "length",
    "units",
    "kernel",
    "seconds_per_step",
)
"""Columns of a timing record, in this order (the fields of :class:`RecordedStep`)."""


def record_folder() -> Path:
    """``book/data`` in the repository this package was installed from."""
    return Path(__file__).resolve().parent.parent / "book" / "data"


def default_record_path() -> Path:
    """The book's timing record, ``book/data/gpu_benchmark.csv``."""
    return record_folder() / RECORD_FILE


@dataclasses.dataclass(frozen=True)
class RecordedStep:
    """One row of a timing record (:data:`RECORD_COLUMNS`).

    Attributes:
        device: ``"CPU"`` or the GPU's name.
        backend: the Keras backend.
        date: the day of the measurement, ``YYYY-MM-DD``.
        layer: ``"lstm"``, ``"gru"`` or ``"simple_rnn"``.
        batch_size: sequences per step.
        length: time steps per sequence.
        units: width of the recurrent layer.
        kernel: ``"cudnn"`` or ``"generic"``.
        seconds_per_step: median seconds per training step.
    """

    device: str
    backend: str
    date: str
    layer: str
    batch_size: int
    length: int
    units: int
    kernel: str
    seconds_per_step: float

    @property
    def is_gpu(self) -> bool:
        """True unless the row was measured on the CPU."""
        return self.device != "CPU"


def to_record(timing: StepTiming, *, date: str | None = None) -> RecordedStep:
    """A :class:`~rnn_utils.timing.StepTiming` as a row of the record.

    Args:
        timing: what :func:`rnn_utils.timing.time_training_steps` returned.
        date: ISO date ``YYYY-MM-DD``; today (UTC) by default.

    Raises:
        ValueError: if ``timing`` is not a ``StepTiming`` or ``date`` is not an ISO date.
    """
    if not isinstance(timing, StepTiming):
        raise ValueError(f"timing must be a StepTiming, got {type(timing).__name__}")
    if date is None:
        date = datetime.datetime.now(datetime.UTC).date().isoformat()
    return RecordedStep(
        device=timing.device,
        backend=timing.backend,
        date=_check_date(date),
        layer=timing.layer,
        batch_size=timing.batch_size,
        length=timing.length,
        units=timing.units,
        kernel=timing.kernel,
        seconds_per_step=timing.seconds_per_step,
    )


def _check_date(date: object) -> str:
    try:
        datetime.date.fromisoformat(str(date))
    except ValueError:
        raise ValueError(
            f"date must be an ISO date like 2026-01-31, got {date!r}"
        ) from None
    return str(date)


def _check_path(path: object) -> Path:
    if not isinstance(path, (str, Path)) or not str(path):
        raise ValueError(f"path must be a file path, got {path!r}")
    return Path(path)


def write_records(
    records: Iterable[RecordedStep],
    path: str | Path | None = None,
    *,
    append: bool = False,
) -> Path:
    """Write rows to a CSV file with the header :data:`RECORD_COLUMNS`.

    Args:
        records: the :class:`RecordedStep` rows.
        path: the file; the book's record (:func:`default_record_path`) by default. Its
            folder is created if needed.
        append: keep the rows of an existing file and add these after them (the file's
            header must be :data:`RECORD_COLUMNS`); otherwise the file is replaced.

    Returns:
        The path written.

    Raises:
        ValueError: if ``records`` holds something else than a :class:`RecordedStep`, or
            ``path`` is not a file path.
    """
    path = default_record_path() if path is None else _check_path(path)
    records = list(records)
    for record in records:
        if not isinstance(record, RecordedStep):
            raise ValueError(
                f"records must hold RecordedStep rows, got {type(record).__name__}"
            )
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


def read_records(path: str | Path | None = None) -> list[RecordedStep]:
    """Read a timing record; an empty or header-only file gives ``[]``.

    Args:
        path: the file to read, which must exist; by default the book's record
            (:func:`default_record_path`), which gives ``[]`` while nothing was recorded.

    Returns:
        The rows, in the order of the file.

    Raises:
        FileNotFoundError: if ``path`` is given and no such file exists.
        ValueError: if ``path`` is not a file path, the header is not
            :data:`RECORD_COLUMNS`, or a row has a bad value (the message names the line).
    """
    if path is None:
        path = default_record_path()
        if not path.exists():
            return []
    else:
        path = _check_path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no timing record at {path}")
    with path.open(newline="") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    if tuple(cell.strip() for cell in rows[0]) != RECORD_COLUMNS:
        raise ValueError(
            f"{path} must start with the header {','.join(RECORD_COLUMNS)}"
        )
    return [_parse_row(path, line, row) for line, row in enumerate(rows[1:], start=2)]


def _parse_row(path: Path, line: int, row: list[str]) -> RecordedStep:
    """Line ``line`` of the file ``path`` as a :class:`RecordedStep`, or a ValueError."""
    if len(row) != len(RECORD_COLUMNS):
        raise ValueError(
            f"{path}, line {line}: expected {len(RECORD_COLUMNS)} values, got {len(row)}"
        )
    values = dict(zip(RECORD_COLUMNS, (cell.strip() for cell in row), strict=True))
    try:
        if values["layer"] not in LAYER_TYPES:
            raise ValueError(
                f"layer must be one of {LAYER_TYPES}, got {values['layer']!r}"
            )
        if values["kernel"] not in KERNELS:
            raise ValueError(
                f"kernel must be one of {KERNELS}, got {values['kernel']!r}"
            )
        if not values["device"] or not values["backend"]:
            raise ValueError("device and backend must not be empty")
        return RecordedStep(
            device=values["device"],
            backend=values["backend"],
            date=_check_date(values["date"]),
            layer=values["layer"],
            batch_size=_checks.positive_int("batch_size", int(values["batch_size"])),
            length=_checks.positive_int("length", int(values["length"])),
            units=_checks.positive_int("units", int(values["units"])),
            kernel=values["kernel"],
            seconds_per_step=_checks.positive_float(
                "seconds_per_step", float(values["seconds_per_step"])
            ),
        )
    except ValueError as error:
        raise ValueError(f"{path}, line {line}: {error}") from None


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
    """Pair every GPU row with a CPU row of the same backend, layer, batch_size, length, units.

    Where several CPU rows match, the latest (last in the file) is used. Rows on
    different backends are never compared.

    Raises:
        ValueError: if ``records`` holds something else than a :class:`RecordedStep`.
    """
    cpu_rows: dict[tuple, RecordedStep] = {}
    for record in records:
        if not isinstance(record, RecordedStep):
            raise ValueError(
                f"records must hold RecordedStep rows, got {type(record).__name__}"
            )
        if not record.is_gpu:
            cpu_rows[_setting(record)] = record
    return [
        Speedup(record, cpu_rows[_setting(record)])
        for record in records
        if record.is_gpu and _setting(record) in cpu_rows
    ]


def _setting(record: RecordedStep) -> tuple:
    return (
        record.backend,
        record.layer,
        record.batch_size,
        record.length,
        record.units,
    )


__all__ = [
    "RECORD_COLUMNS",
    "RECORD_FILE",
    "RecordedStep",
    "Speedup",
    "default_record_path",
    "read_records",
    "record_folder",
    "speedups",
    "to_record",
    "write_records",
]
