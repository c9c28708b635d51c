"""Execute the book's notebooks: in place (``execute``) or for a timing table (``bench``).

    python scripts/notebooks.py execute notebooks/01_*.ipynb   # refresh stored outputs
    python scripts/notebooks.py bench notebooks/*.ipynb        # time and peak memory

Each notebook runs in a fresh kernel of the current environment (``python3``), from a
clean state, with the working directory set to the notebook's folder. ``bench`` runs each
one in a child process, so its peak memory (the kernel's maximum resident set size) is
measured on its own, and writes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TIMEOUT_PER_CELL_S = 600


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


def execute(path: Path, *, write: bool) -> float:
    """Run every cell of ``path`` in a fresh kernel; return the wall time in seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT_PER_CELL_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    if write:
        clean_metadata(notebook)
        nbformat.write(notebook, path)
    return elapsed


def bench_one(path: Path) -> tuple[float, float]:
    """Execute ``path`` in a child process; return (wall seconds, peak memory in MiB)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: run the notebook, report its time through the pipe
        os.close(read_fd)
        try:
            seconds = execute(path, write=False)
            os.write(write_fd, f"{seconds}".encode())
            os._exit(0)
        except BaseException as error:  # report any failure to the parent
            os.write(write_fd, f"error: {error}".encode()[:4000])
            os._exit(1)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        message = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        raise RuntimeError(f"{path.name} failed: {message}")
    return float(message), usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["execute", "bench"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    total = 0.0
    if args.mode == "execute":
        for path in args.notebooks:
            print(f"executing {path.name} ...", end=" ", flush=True)
            seconds = execute(path, write=True)
            total += seconds
            print(f"{seconds:6.1f} s", flush=True)
        print(f"all {len(args.notebooks)} notebooks: {total:.1f} s")
        return 0
    rows = []
    for path in args.notebooks:
        seconds, peak_mib = bench_one(path)
        total += seconds
        rows.append((path.name, seconds, peak_mib))
        print(f"  ran {path.name} in {seconds:.1f} s", file=sys.stderr, flush=True)
    width = max(len("notebook"), *(len(name) for name, _, _ in rows))
    print(f"{'notebook':<{width}}  {'wall s':>7}  {'peak MiB':>9}")
    for name, seconds, peak_mib in rows:
        print(f"{name:<{width}}  {seconds:7.1f}  {peak_mib:9.0f}")
    print(f"{'total':<{width}}  {total:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
