"""Read the seed sweep's record: which seeds each notebook's asserts were checked at.

``make seeds`` (``scripts/notebooks.py seeds``) runs notebooks at many seeds and stores two
files in ``rnn_utils/recorded`` (:func:`record_folder`: package data, shared with the timing
record of :mod:`rnn_utils.records`): ``seed_sweep.csv`` (one row per notebook, backend and seed: did
every assert hold?) and ``seed_sweep_values.csv`` (every value the run glued). A chapter that
says "at k of 10 seeds" computes k here, from the record, instead of typing it.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import re
from collections.abc import Sequence
from pathlib import Path

from rnn_utils import _checks
from rnn_utils.records import record_folder

_NOTEBOOK = re.compile(r"^\d\d_[a-z0-9_]+$")
RUNS_FILE = "seed_sweep.csv"
"""One row per notebook, backend and seed: did every assert hold?"""
VALUES_FILE = "seed_sweep_values.csv"
"""One row per notebook, backend, seed and glued key: the value the run glued."""
COLUMNS = {
    RUNS_FILE: {"notebook", "backend", "seed", "passed"},
    VALUES_FILE: {"notebook", "backend", "seed", "key", "value"},
}
"""The columns each record must have (the runs' file has more, which are not read here)."""


@dataclasses.dataclass(frozen=True)
class SweepSummary:
    """Which seeds a notebook was run at and which of those runs had every assert hold."""

    notebook: str
    backend: str
    seeds: tuple[int, ...]
    passed: tuple[int, ...]
    seconds: tuple[float, ...] = ()
    """How long each recorded run took, from a clean kernel (the record's ``seconds``)."""

    @property
    def all_passed(self) -> bool:
        return bool(self.seeds) and self.seeds == self.passed

    def describe(self) -> str:
        """``"10 of 10 seeds (0-9, tensorflow; 38-45 s a run)"``, the phrase the chapters glue."""
        timing = ""
        if self.seconds:
            low, high = min(self.seconds), max(self.seconds)
            span = (
                f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}-{high:.0f}"
            )
            timing = f"; {span} s a run"
        return (
            f"{len(self.passed)} of {len(self.seeds)} seeds "
            f"({_span(self.seeds)}, {self.backend}{timing})"
        )


@dataclasses.dataclass(frozen=True)
class SweepRecord:
    """A notebook's recorded runs under every backend that has any (see :func:`record`)."""

    notebook: str
    summaries: tuple[SweepSummary, ...]

    @property
    def all_passed(self) -> bool:
        return bool(self.summaries) and all(s.all_passed for s in self.summaries)

    def describe(self) -> str:
        """One :meth:`SweepSummary.describe` phrase per backend, joined by semicolons."""
        return "; ".join(s.describe() for s in self.summaries)


BACKENDS = ("tensorflow", "jax", "torch")
"""The Keras backends the book is swept under, in the order the record lists them."""


def _span(seeds: tuple[int, ...]) -> str:
    """``"0-9"`` for a run of consecutive seeds, ``"0"`` for one, ``"0, 3, 4"`` otherwise."""
    if not seeds:
        return "none"
    if len(seeds) == 1:
        return str(seeds[0])
    if seeds == tuple(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]}-{seeds[-1]}"
    return ", ".join(str(seed) for seed in seeds)


def _check_notebook(notebook: str) -> str:
    if not isinstance(notebook, str) or not _NOTEBOOK.match(notebook):
        raise ValueError(f"notebook must be a stem like '07_lstm', got {notebook!r}")
    return notebook


def _rows(name: str, folder: Path | None) -> list[dict[str, str]]:
    if folder is not None and not isinstance(folder, (str, os.PathLike)):
        raise ValueError(f"folder must be a path, got {type(folder).__name__}")
    path = (record_folder() if folder is None else Path(folder)).joinpath(name)
    if not path.is_file():
        raise FileNotFoundError(
            f"no seed sweep record at {path}; run `make seeds` first"
        )
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = sorted(COLUMNS[name] - set(reader.fieldnames or ()))
        if missing:
            raise ValueError(f"{path} lacks the columns {missing}")
        return list(reader)


def summary(
    notebook: str, *, backend: str = "tensorflow", folder: Path | None = None
) -> SweepSummary:
    """The recorded runs of ``notebook`` (a stem such as ``"07_lstm"``) under ``backend``.

    Raises:
        ValueError: if ``notebook`` is not a notebook stem or has no recorded run.
        FileNotFoundError: if the record does not exist.
    """
    _check_notebook(notebook)
    _checks.string("backend", backend)
    runs = [
        row
        for row in _rows(RUNS_FILE, folder)
        if row["notebook"] == notebook and row["backend"] == backend
    ]
    if not runs:
        raise ValueError(
            f"the seed sweep record has no run of {notebook} under {backend}"
        )
    seeds = tuple(sorted(int(row["seed"]) for row in runs))
    passed = tuple(sorted(int(row["seed"]) for row in runs if row["passed"] == "True"))
    seconds = tuple(float(row["seconds"]) for row in runs if row.get("seconds"))
    return SweepSummary(notebook, backend, seeds, passed, seconds)


def record(notebook: str, *, folder: Path | None = None) -> SweepRecord:
    """The recorded runs of ``notebook`` under each backend, in the order of :data:`BACKENDS`.

    Raises:
        ValueError: if ``notebook`` is not a notebook stem or has no recorded run.
        FileNotFoundError: if the record does not exist.
    """
    _check_notebook(notebook)
    recorded = {
        row["backend"]
        for row in _rows(RUNS_FILE, folder)
        if row["notebook"] == notebook
    }
    if not recorded:
        raise ValueError(f"the seed sweep record has no run of {notebook}")
    order = [b for b in BACKENDS if b in recorded] + sorted(recorded - set(BACKENDS))
    summaries = tuple(summary(notebook, backend=b, folder=folder) for b in order)
    return SweepRecord(notebook, summaries)


def recorded_values(
    notebook: str, key: str, *, backend: str = "tensorflow", folder: Path | None = None
) -> dict[int, float]:
    """The real number ``notebook`` glued under ``key`` at each recorded seed.

    Raises:
        ValueError: if ``notebook`` is not a notebook stem, or no run glued ``key``.
        FileNotFoundError: if the record does not exist.
    """
    _check_notebook(notebook)
    _checks.string("key", key)
    _checks.string("backend", backend)
    values = {
        int(row["seed"]): float(row["value"])
        for row in _rows(VALUES_FILE, folder)
        if row["notebook"] == notebook
        and row["backend"] == backend
        and row["key"] == key
    }
    if not values:
        raise ValueError(f"no recorded run of {notebook} under {backend} glued {key!r}")
    return dict(sorted(values.items()))


def recorded_ranges(
    notebook: str, key: str, *, folder: Path | None = None
) -> dict[str, tuple[float, float, int]]:
    """``{backend: (lowest, highest, runs)}`` of the number ``notebook`` glued under ``key``.

    Backends in the order of :data:`BACKENDS`; a backend with no recorded run that glued
    ``key`` is left out (an empty dict if none has one).

    Raises:
        ValueError: if ``notebook`` is not a notebook stem or ``key`` is not a string.
        FileNotFoundError: if the record does not exist.
    """
    _check_notebook(notebook)
    _checks.string("key", key)
    found: dict[str, list[float]] = {}
    for row in _rows(VALUES_FILE, folder):
        if row["notebook"] == notebook and row["key"] == key:
            found.setdefault(row["backend"], []).append(float(row["value"]))
    order = [b for b in BACKENDS if b in found] + sorted(set(found) - set(BACKENDS))
    return {b: (min(found[b]), max(found[b]), len(found[b])) for b in order}


def paired_runs(
    notebook: str, keys: Sequence[str], *, folder: Path | None = None
) -> dict[tuple[str, int], dict[str, float]]:
    """The values of several glued numbers, run by run, for comparisons within a run.

    Returns ``{(backend, seed): {key: value}}`` for every recorded run of ``notebook`` that
    glued all of ``keys``, backends in the order of :data:`BACKENDS`, then by seed. A chapter
    that asks "in how many runs was A above B?" counts over the values of this dict.

    Raises:
        ValueError: if ``notebook`` is not a notebook stem, ``keys`` is not a non-empty
            sequence of strings, or no recorded run glued every one of ``keys``.
        FileNotFoundError: if the record does not exist.
    """
    _check_notebook(notebook)
    wanted = _checks.non_empty_strings("keys", keys)
    found: dict[tuple[str, int], dict[str, float]] = {}
    for row in _rows(VALUES_FILE, folder):
        if row["notebook"] == notebook and row["key"] in wanted:
            run = found.setdefault((row["backend"], int(row["seed"])), {})
            run[row["key"]] = float(row["value"])
    complete = {
        run: values for run, values in found.items() if len(values) == len(set(wanted))
    }
    if not complete:
        raise ValueError(f"keys: no recorded run of {notebook} glued all of {wanted}")
    order = {backend: rank for rank, backend in enumerate(BACKENDS)}
    return dict(
        sorted(
            complete.items(),
            key=lambda item: (order.get(item[0][0], len(order)), item[0]),
        )
    )


def describe_ranges(
    notebook: str, key: str, *, digits: int = 2, folder: Path | None = None
) -> str:
    """The recorded range of a glued number per backend, as a phrase for the text.

    For example ``"0.62 (tensorflow, 1 run); 0.40 to 0.88 (torch, 10 runs)"``: one part per
    backend of :func:`recorded_ranges`, the lowest and highest value at ``digits`` decimals
    (one value where they agree).

    Raises:
        ValueError: if ``notebook`` is not a notebook stem, ``key`` is not a string, ``digits``
            is not a non-negative integer, or no recorded run glued ``key``.
        FileNotFoundError: if the record does not exist.
    """
    digits = _checks.non_negative_int("digits", digits)
    ranges = recorded_ranges(notebook, key, folder=folder)
    if not ranges:
        raise ValueError(f"key: no recorded run of {notebook} glued {key!r}")
    parts = []
    for backend, (lowest, highest, runs) in ranges.items():
        low, high = f"{lowest:.{digits}f}", f"{highest:.{digits}f}"
        span = low if low == high else f"{low} to {high}"
        parts.append(f"{span} ({backend}, {runs} run{'s' if runs > 1 else ''})")
    return "; ".join(parts)
