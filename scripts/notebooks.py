"""Execute the book's notebooks: in place (``execute``) or for a timing table (``bench``).

    python scripts/notebooks.py execute notebooks/01_*.ipynb   # refresh stored outputs
    python scripts/notebooks.py bench notebooks/*.ipynb        # time and peak memory
    python scripts/notebooks.py bench --slowest 3 notebooks/08_gru.ipynb  # and its slowest cells

Each notebook runs in a fresh kernel of the current environment (``python3``), from a
clean state, with the working directory set to the notebook's folder. ``bench`` writes
nothing; its peak memory is the kernel's maximum resident set size (Linux ``VmHWM``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
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


def execute(path: Path, *, write: bool) -> tuple[float, float, list[float]]:
    """Run every cell of ``path`` in a fresh kernel.

    Returns:
        (wall seconds, peak memory of the kernel in MiB, wall seconds of each cell).
    """
    notebook = nbformat.read(path, as_version=4)
    # IPC transport (local socket files, at an absolute path because the kernel starts in
    # the notebook's folder): no "running over TCP without encryption" warning.
    with tempfile.TemporaryDirectory(prefix="rnn-book-kernel-") as sockets:
        kernel_manager = KernelManager(
            kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel")
        )
        client = NotebookClient(
            notebook,
            km=kernel_manager,
            timeout=TIMEOUT_PER_CELL_S,
            resources={"metadata": {"path": str(path.parent)}},
        )
        start = time.perf_counter()
        # The kernel's own stderr carries only its start/stop notices; cell errors and
        # warnings still reach the notebook through the messaging protocol.
        with client.setup_kernel(stderr=subprocess.DEVNULL):
            cell_seconds = []
            for index, cell in enumerate(notebook.cells):
                cell_start = time.perf_counter()
                client.execute_cell(cell, index)
                cell_seconds.append(time.perf_counter() - cell_start)
            elapsed = time.perf_counter() - start
            peak_mib = _peak_memory_mib(kernel_manager.provisioner.pid)
    if write:
        clean_metadata(notebook)
        nbformat.write(notebook, path)
    return elapsed, peak_mib, cell_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["execute", "bench"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--slowest",
        type=int,
        default=0,
        metavar="N",
        help="bench: also list each notebook's N slowest cells (index from 0, seconds)",
    )
    args = parser.parse_args(argv)
    if args.slowest < 0:
        parser.error(f"--slowest must be >= 0, got {args.slowest}")
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    total = 0.0
    if args.mode == "execute":
        for path in args.notebooks:
            print(f"executing {path.name} ...", end=" ", flush=True)
            seconds, _, _ = execute(path, write=True)
            total += seconds
            print(f"{seconds:6.1f} s", flush=True)
        print(f"all {len(args.notebooks)} notebooks: {total:.1f} s")
        return 0
    rows = []
    for path in args.notebooks:
        seconds, peak_mib, cell_seconds = execute(path, write=False)
        total += seconds
        rows.append((path.name, seconds, peak_mib))
        print(f"  ran {path.name} in {seconds:.1f} s", file=sys.stderr, flush=True)
        slowest = sorted(range(len(cell_seconds)), key=cell_seconds.__getitem__, reverse=True)
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
