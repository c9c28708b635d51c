"""Read the timing record of the GPU chapter, shipped with the package, and compare its rows.

``scripts/gpu_benchmark.py`` times training steps on a GPU machine (:mod:`rnn_utils.timing`)
and writes them, one :class:`RecordedStep` per row, to ``rnn_utils/recorded/gpu_benchmark.csv``
(the book's tooling in ``scripts/`` writes; this package only reads). The GPU chapter reads
them with :func:`read_records` and compares GPU with CPU rows with :func:`speedups`.
:func:`record_folder`, the package data that holds the record, also holds the seed sweep's
record (:mod:`rnn_utils.sweeps`).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
from collections.abc import Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from rnn_utils import _checks
from rnn_utils.timing import KERNELS, LAYER_TYPES

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


RECORD_PACKAGE_FOLDER = "recorded"
"""The folder of package data, inside ``rnn_utils``, that holds the book's records."""


def record_folder() -> Traversable:
    """The records shipped with the package (``rnn_utils/recorded``), wherever it is installed."""
    return resources.files("rnn_utils").joinpath(RECORD_PACKAGE_FOLDER)


def default_record_path() -> Traversable:
    """The book's timing record, ``gpu_benchmark.csv`` in :func:`record_folder`."""
    return record_folder().joinpath(RECORD_FILE)


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

    def __post_init__(self) -> None:
        for name in ("device", "backend"):
            if not _checks.string(name, getattr(self, name)):
                raise ValueError(f"{name} must not be empty")
        check_date(self.date)
        if self.layer not in LAYER_TYPES:
            raise ValueError(f"layer must be one of {LAYER_TYPES}, got {self.layer!r}")
        if self.kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {KERNELS}, got {self.kernel!r}")
        for name in ("batch_size", "length", "units"):
            _checks.positive_int(name, getattr(self, name))
        _checks.positive_float("seconds_per_step", self.seconds_per_step)

    @property
    def is_gpu(self) -> bool:
        """True unless the row was measured on the CPU."""
        return self.device != "CPU"


def check_date(date: object) -> str:
    """``date`` as a string if it is an ISO date ``YYYY-MM-DD``, else a ValueError."""
    if not isinstance(date, (str, datetime.date)):
        raise ValueError(f"date must be an ISO date like 2026-01-31, got {date!r}")
    try:
        datetime.date.fromisoformat(str(date))
    except ValueError:
        raise ValueError(
            f"date must be an ISO date like 2026-01-31, got {date!r}"
        ) from None
    return str(date)


def _check_path(path: object) -> Path | Traversable:
    if isinstance(path, Traversable) and not isinstance(path, Path):
        return path
    if not isinstance(path, (str, Path)) or not str(path):
        raise ValueError(f"path must be a file path, got {path!r}")
    return Path(path)


def read_records(path: str | Path | Traversable | None = None) -> list[RecordedStep]:
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
        if not path.is_file():
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


def _parse_row(path: object, line: int, row: list[str]) -> RecordedStep:
    """Line ``line`` of the file ``path`` as a :class:`RecordedStep`, or a ValueError."""
    if len(row) != len(RECORD_COLUMNS):
        raise ValueError(
            f"{path}, line {line}: expected {len(RECORD_COLUMNS)} values, got {len(row)}"
        )
    values = dict(zip(RECORD_COLUMNS, (cell.strip() for cell in row), strict=True))
    try:
        return RecordedStep(
            device=values["device"],
            backend=values["backend"],
            date=values["date"],
            layer=values["layer"],
            batch_size=int(values["batch_size"]),
            length=int(values["length"]),
            units=int(values["units"]),
            kernel=values["kernel"],
            seconds_per_step=float(values["seconds_per_step"]),
        )
    except ValueError as error:  # the value's name and the problem, or int()'s message
        raise ValueError(f"{path}, line {line}: {error}") from None


@dataclasses.dataclass(frozen=True)
class Speedup:
    """A GPU row against the CPU row of the same backend, layer and sizes."""

    gpu: RecordedStep
    cpu: RecordedStep

    def __post_init__(self) -> None:
        for name in ("gpu", "cpu"):
            if not isinstance(getattr(self, name), RecordedStep):
                raise ValueError(
                    f"{name} must be a RecordedStep, got {type(getattr(self, name)).__name__}"
                )

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
    if isinstance(records, (str, bytes)) or not isinstance(records, Sequence):
        raise ValueError(
            f"records must be a list of RecordedStep rows, got {type(records).__name__}"
        )
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
    "check_date",
    "default_record_path",
    "read_records",
    "record_folder",
    "speedups",
]
