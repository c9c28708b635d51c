"""Execute the book's notebooks: in place, for a timing table, or over a range of seeds.

    python scripts/notebooks.py execute notebooks/01_*.ipynb   # refresh stored outputs
    python scripts/notebooks.py bench notebooks/*.ipynb        # time and peak memory
    python scripts/notebooks.py bench --slowest 3 notebooks/08_gru.ipynb  # and its slowest cells
    python scripts/notebooks.py seeds --seeds 0-9 notebooks/07_lstm.ipynb  # every failing assert
    python scripts/notebooks.py record notebooks/04_*.ipynb  # its seed-record cell only

``seeds`` runs each notebook once per seed (``RNN_BOOK_SEED``) on the Keras backend of
``KERAS_BACKEND``, keeps going after a failing cell, prints one line per run with each
failing assert and each line written to stderr, and records the runs in
``rnn_utils/recorded/seed_sweep.csv`` (one row per notebook, seed and backend; a rerun replaces its
row), which the notebooks read to state how many seeds a claim was checked at.

Each notebook runs in a fresh kernel of the current environment (``python3``), from a
clean state, with the working directory set to the notebook's folder. ``bench`` writes
nothing; its peak memory is the kernel's maximum resident set size (Linux ``VmHWM``).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import fcntl
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # the tooling beside this script
from record_files import SWEEP_RUNS as SWEEP_RECORD
from record_files import SWEEP_VALUES

TIMEOUT_PER_CELL_S = 600
SWEEP_FIELDS = ("notebook", "backend", "seed", "passed", "failures", "seconds", "date")
VALUE_FIELDS = ("notebook", "backend", "seed", "key", "value")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DESCRIBES_RECORD = re.compile(r"(_sweep|_by_backend)$")
"""Glue keys whose value a chapter reads from the sweep record itself (the seed-record cell,
ranges across runs): ``seeds`` leaves them out of the values it records, which would
otherwise hold, for each run, a stale picture of the record as it stood then."""
SWEEP_CELL_START = "# The seed sweep's record ("
"""How the text of the cell that reads the record starts (scripts/add_sweep_cell.py writes
it); the cell is found by its metadata, ``is_seed_record_cell``."""


def is_seed_record_cell(cell: nbformat.NotebookNode) -> bool:
    """The cell that reads the seed record (metadata ``rnn_book.seed_record``). A sweep does
    not count its failures: the run cannot check the record that the sweep is rewriting."""
    return cell.cell_type == "code" and bool(
        cell.metadata.get("rnn_book", {}).get("seed_record")
    )


_POINTED = re.compile(r"^\s*-+>\s*\d+\s?(.*)$")  # IPython's "---> 30 assert x" line


def source_digest(notebook: nbformat.NotebookNode) -> str:
    """SHA-256 of the notebook's code, cell by cell: what its stored outputs came from.

    ``execute`` records it in the notebook's metadata (``rnn_book.source_sha256``); the test
    ``tests/test_stored_notebooks.py`` recomputes it, so a code cell edited without
    re-executing the notebook fails the tests even where nbval ignores that cell's output.
    """
    digest = hashlib.sha256()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.strip().encode())
            digest.update(b"\0")
    return digest.hexdigest()


def clean_metadata(notebook: nbformat.NotebookNode) -> None:
    """Drop per-run metadata (timings, widget state) so stored notebooks diff cleanly."""
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    for cell in notebook.cells:
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)


def _peak_memory_mib(pid: int) -> float:
    """Peak resident memory of a live process (Linux ``VmHWM``), in MiB; NaN elsewhere."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # the value is in KiB
    except OSError:
        pass
    return float("nan")


def execute(
    path: Path,
    *,
    write: bool,
    allow_errors: bool = False,
    kernel_dirs: list[str] | None = None,
    kernel_name: str = "python3",
    env: dict[str, str] | None = None,
) -> tuple[float, float, list[float], nbformat.NotebookNode]:
    """Run every cell of ``path`` in a fresh kernel.

    With ``allow_errors`` a failing cell leaves its error in its outputs and the run goes on.
    ``kernel_dirs`` and ``kernel_name`` choose another kernel (another environment's Python:
    ``scripts/reader_run.py``), started with the environment ``env`` (default: this one's).

    Returns:
        (wall seconds, peak memory of the kernel in MiB, wall seconds of each cell, the
        executed notebook).
    """
    notebook = nbformat.read(path, as_version=4)
    # IPC transport (local socket files, at an absolute path because the kernel starts in
    # the notebook's folder): no "running over TCP without encryption" warning.
    with tempfile.TemporaryDirectory(prefix="rnn-book-kernel-") as sockets:
        specs = KernelSpecManager(kernel_dirs=kernel_dirs) if kernel_dirs else None
        kernel_manager = KernelManager(
            kernel_name=kernel_name,
            transport="ipc",
            ip=os.path.join(sockets, "kernel"),
            **({"kernel_spec_manager": specs} if specs else {}),
        )
        client = NotebookClient(
            notebook,
            km=kernel_manager,
            timeout=TIMEOUT_PER_CELL_S,
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(path.parent)}},
        )
        start = time.perf_counter()
        # The kernel's own stderr carries only its start/stop notices; cell errors and
        # warnings still reach the notebook through the messaging protocol.
        try:
            with client.setup_kernel(
                stderr=subprocess.DEVNULL, **({"env": env} if env is not None else {})
            ):
                cell_seconds = []
                for index, cell in enumerate(notebook.cells):
                    cell_start = time.perf_counter()
                    client.execute_cell(cell, index)
                    cell_seconds.append(time.perf_counter() - cell_start)
                elapsed = time.perf_counter() - start
                peak_mib = _peak_memory_mib(kernel_manager.provisioner.pid)
        finally:
            # nbclient leaves a kernel manager it was handed running; a sweep of many runs
            # in one process would keep every kernel alive.
            if kernel_manager.has_kernel:
                kernel_manager.shutdown_kernel(now=True)
    if write:
        clean_metadata(notebook)
        notebook.metadata.setdefault("rnn_book", {})["source_sha256"] = source_digest(
            notebook
        )
        nbformat.write(notebook, path)
    return elapsed, peak_mib, cell_seconds, notebook


def refresh_record_cell(path: Path) -> float:
    """Re-run only the seed-record cell of ``path`` and store its outputs; returns seconds.

    After a sweep only that cell's output changes (it reads the record), so this writes what
    ``execute`` would, without training again: the cell runs in a fresh kernel after
    ``import rnn_utils``. A notebook where another cell also reads the record
    (``rnn_utils.sweeps``) is refused: re-execute that one.
    """
    notebook = nbformat.read(path, as_version=4)
    record_cells = [cell for cell in notebook.cells if is_seed_record_cell(cell)]
    readers = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        and not is_seed_record_cell(cell)
        and "rnn_utils.sweeps" in cell.source
    ]
    if len(record_cells) != 1:
        raise ValueError(
            f"{path.name}: expected one seed-record cell, found {len(record_cells)}"
        )
    if readers:
        raise ValueError(
            f"{path.name}: cells {readers} read the record too; run execute instead"
        )
    probe = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import rnn_utils"), record_cells[0].copy()],
        metadata=notebook.metadata,
    )
    with tempfile.TemporaryDirectory(prefix="rnn-book-record-") as folder:
        probe_path = Path(folder) / path.name
        nbformat.write(probe, probe_path)
        seconds, _, _, ran = execute(probe_path, write=False)
    record_cells[0].outputs = ran.cells[1].outputs
    nbformat.write(notebook, path)
    return seconds


def cell_failures(notebook: nbformat.NotebookNode) -> list[str]:
    """One line per cell that raised or wrote to stderr (a warning, a log line).

    ``cell N: <failing line> (<error>)`` for an error, ``cell N: stderr: <first line>`` for
    anything on stderr: a clean run of the book prints nothing there, on any backend.
    """
    failures = []
    for index, cell in enumerate(notebook.cells):
        if is_seed_record_cell(cell):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines = [line for line in output.get("text", "").splitlines() if line]
                first = lines[0].strip() if lines else ""
                failures.append(f"cell {index}: stderr: {first[:160]}")
                continue
            if output.get("output_type") != "error":
                continue
            traceback = [_ANSI.sub("", line) for line in output.get("traceback", [])]
            pointed = [
                match.group(1).strip()
                for frame in traceback
                for line in frame.splitlines()
                if (match := _POINTED.match(line))
            ]
            where = pointed[-1] if pointed else "?"
            error = output.get("ename", "Error")
            if output.get("evalue"):
                error += f": {output['evalue']}"
            failures.append(f"cell {index}: {where} ({error})")
    return failures


def glued_values(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Every value the notebook glued for the prose, as its stored text, by key."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = data.get("application/papermill.record/text/plain")
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if text is not None and key:
                values[key] = text
    return values


def parse_seeds(text: str) -> list[int]:
    """``"0-9"`` -> [0, ..., 9]; ``"1,4,7"`` -> [1, 4, 7]; ranges and lists combine."""
    seeds: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"--seeds must look like 0-9 or 1,4,7, got {text!r}")
        seeds.extend(range(int(first), int(last or first) + 1))
    return seeds


def update_sweep_record(
    rows: list[dict[str, str]],
    record: Path = SWEEP_RECORD,
    fields: tuple[str, ...] = SWEEP_FIELDS,
) -> None:
    """Merge ``rows`` into the CSV ``record``: every row of a (notebook, backend, seed) run
    that is in ``rows`` is replaced, so a key that a rerun no longer glues does not survive."""

    def run(row: dict[str, str]) -> tuple[str, str, str]:
        return row["notebook"], row["backend"], row["seed"]

    reruns = {run(row) for row in rows}
    record.parent.mkdir(parents=True, exist_ok=True)
    # Two sweeps may run side by side (PyTorch runs use about one core each): the read,
    # merge and write happen under one exclusive lock, so neither drops the other's rows.
    lock_path = Path(tempfile.gettempdir()) / f"rnn_book_{record.name}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        kept = []
        if record.exists():
            with record.open(newline="") as handle:
                kept = [row for row in csv.DictReader(handle) if run(row) not in reruns]
        ordered = sorted(
            kept + rows,
            key=lambda r: (
                r["notebook"],
                r["backend"],
                int(r["seed"]),
                r.get("key", ""),
            ),
        )
        with record.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(ordered)


def sweep(paths: list[Path], seeds: list[int], *, record: bool) -> int:
    """Run each notebook at each seed; print and (optionally) record every failing assert."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    failed_runs = 0
    for path in paths:
        rows, values = [], []
        for seed in seeds:
            os.environ["RNN_BOOK_SEED"] = str(seed)
            seconds, _, _, notebook = execute(path, write=False, allow_errors=True)
            failures = cell_failures(notebook)
            failed_runs += bool(failures)
            verdict = "ok" if not failures else "FAILED " + " | ".join(failures)
            line = (
                f"{path.name} seed {seed:>3} {backend:<10} {seconds:6.1f} s  {verdict}"
            )
            print(line, flush=True)
            rows.append(
                {
                    "notebook": path.stem,
                    "backend": backend,
                    "seed": str(seed),
                    "passed": str(not failures),
                    "failures": " | ".join(failures),
                    "seconds": f"{seconds:.0f}",
                    "date": datetime.date.today().isoformat(),
                }
            )
            values.extend(
                {
                    "notebook": path.stem,
                    "backend": backend,
                    "seed": str(seed),
                    "key": k,
                    "value": v,
                }
                for k, v in sorted(glued_values(notebook).items())
                if not _DESCRIBES_RECORD.search(k)  # read from the record, not a result
            )
        if record:
            update_sweep_record(rows)
            update_sweep_record(values, SWEEP_VALUES, VALUE_FIELDS)
    print(f"{failed_runs} of {len(paths) * len(seeds)} runs had a failing cell")
    return 1 if failed_runs else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["execute", "bench", "seeds", "record"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--slowest",
        type=int,
        default=0,
        metavar="N",
        help="bench: also list each notebook's N slowest cells (index from 0, seconds)",
    )
    parser.add_argument(
        "--seeds",
        default="0-9",
        help="seeds: which seeds, e.g. 0-9 or 1,4,7 (default 0-9)",
    )
    parser.add_argument(
        "--no-record",
        action="store_true",
        help="seeds: do not update rnn_utils/recorded/seed_sweep.csv",
    )
    args = parser.parse_args(argv)
    if args.slowest < 0:
        parser.error(f"--slowest must be >= 0, got {args.slowest}")
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    total = 0.0
    if args.mode == "seeds":
        try:
            seeds = parse_seeds(args.seeds)
        except ValueError as error:
            parser.error(str(error))
        return sweep(args.notebooks, seeds, record=not args.no_record)
    if args.mode == "record":
        for path in args.notebooks:
            try:
                seconds = refresh_record_cell(path)
            except ValueError as error:
                print(f"error: {error}", file=sys.stderr)
                return 2
            print(
                f"{path.name}: seed-record cell refreshed ({seconds:.1f} s)", flush=True
            )
        return 0
    if args.mode == "execute":
        for path in args.notebooks:
            print(f"executing {path.name} ...", end=" ", flush=True)
            seconds, _, _, _ = execute(path, write=True)
            total += seconds
            print(f"{seconds:6.1f} s", flush=True)
        print(f"all {len(args.notebooks)} notebooks: {total:.1f} s")
        return 0
    rows = []
    for path in args.notebooks:
        seconds, peak_mib, cell_seconds, _ = execute(path, write=False)
        total += seconds
        rows.append((path.name, seconds, peak_mib))
        print(f"  ran {path.name} in {seconds:.1f} s", file=sys.stderr, flush=True)
        slowest = sorted(
            range(len(cell_seconds)), key=cell_seconds.__getitem__, reverse=True
        )
        for index in slowest[: args.slowest]:
            print(f"    cell {index:>3}: {cell_seconds[index]:6.1f} s", file=sys.stderr)
    width = max(len("notebook"), *(len(name) for name, _, _ in rows))
    print(f"{'notebook':<{width}}  {'wall s':>7}  {'peak MiB':>9}")
    for name, seconds, peak_mib in rows:
        print(f"{name:<{width}}  {seconds:7.1f}  {peak_mib:9.0f}")
    print(f"{'total':<{width}}  {total:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
