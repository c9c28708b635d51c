"""Where the book's records live in the repository, and how the book's tooling writes them.

The records are package data of ``rnn_utils`` (``rnn_utils/recorded``), so that a chapter
run from an installed wheel reads them; the package only reads them
(:mod:`rnn_utils.records`, :mod:`rnn_utils.sweeps`). Writing is the tooling's job:
``scripts/gpu_benchmark.py`` writes the timing record with :func:`write_records`, and
``scripts/notebooks.py seeds`` the seed sweep's record, into this checkout's files.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
from collections.abc import Iterable
from pathlib import Path

from rnn_utils import records, sweeps
from rnn_utils.records import RECORD_COLUMNS, RecordedStep
from rnn_utils.timing import StepTiming

ROOT = Path(__file__).resolve().parents[1]
RECORD_FOLDER = ROOT / "rnn_utils" / records.RECORD_PACKAGE_FOLDER
"""The records in this checkout (what the wheel ships as ``rnn_utils/recorded``)."""
GPU_RECORD = RECORD_FOLDER / records.RECORD_FILE
SWEEP_RUNS = RECORD_FOLDER / sweeps.RUNS_FILE
SWEEP_VALUES = RECORD_FOLDER / sweeps.VALUES_FILE


def to_record(timing: StepTiming, *, date: str | None = None) -> RecordedStep:
    """A :class:`~rnn_utils.timing.StepTiming` as a row of the timing record.

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
        date=records.check_date(date),
        layer=timing.layer,
        batch_size=timing.batch_size,
        length=timing.length,
        units=timing.units,
        kernel=timing.kernel,
        seconds_per_step=timing.seconds_per_step,
    )


def write_records(
    rows: Iterable[RecordedStep],
    path: str | Path = GPU_RECORD,
    *,
    append: bool = False,
) -> Path:
    """Write timing rows to a CSV file with the header :data:`~rnn_utils.records.RECORD_COLUMNS`.

    Args:
        rows: the :class:`~rnn_utils.records.RecordedStep` rows.
        path: the file; this checkout's timing record by default. Its folder is created
            if needed.
        append: keep the rows of an existing file and add these after them (the file's
            header must be the record's); otherwise the file is replaced.

    Returns:
        The path written.

    Raises:
        ValueError: if ``rows`` holds something else than a ``RecordedStep``, or ``path``
            is not a file path.
    """
    if not isinstance(path, (str, Path)) or not str(path):
        raise ValueError(f"path must be a file path, got {path!r}")
    path = Path(path)
    rows = list(rows)
    for row in rows:
        if not isinstance(row, RecordedStep):
            raise ValueError(
                f"rows must hold RecordedStep rows, got {type(row).__name__}"
            )
    existing = records.read_records(path) if append and path.exists() else []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RECORD_COLUMNS)
        for row in [*existing, *rows]:
            values = dataclasses.asdict(row)
            values["seconds_per_step"] = f"{row.seconds_per_step:.6g}"
            writer.writerow([values[column] for column in RECORD_COLUMNS])
    return path
