"""Run chapters the way a reader does: each notebook alone, in a fresh environment, from the wheel.

    python scripts/reader_run.py notebooks/*.ipynb               # every chapter (make test-reader)
    python scripts/reader_run.py --pin tensorflow==2.18.0 --pin keras==3.8.0 notebooks/07_lstm.ipynb

1. Build the wheel of ``rnn_utils`` (``pip wheel --no-deps``) and check what it holds: the
   package and the records the chapters read, none of the book's tooling.
2. Make a virtual environment outside the repository with the wheel's declared dependencies
   (the extra of ``KERAS_BACKEND``: ``tensorflow`` by default, or ``jax``), at the versions of
   ``requirements.txt`` except those given with ``--pin``, and ``ipykernel`` to run a
   notebook at all. ``rnn_utils`` itself is removed again.
3. For each notebook: copy it alone into an empty folder, remove ``rnn_utils`` from the
   environment, and run it from a clean kernel of that environment with
   ``RNN_BOOK_INSTALL`` pointing at the wheel, so that its first cell installs the package
   as it would on Colab.
4. A run fails on an error in any cell, on any line on stderr, or if the install cell did
   not install the wheel and print exactly one line.

Prints one line per notebook with its time, and the time the environment took.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # the tooling beside this script
import notebooks as runner

ROOT = Path(__file__).resolve().parents[1]
KERNEL_NAME = "rnn-book-reader"
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==\S+$")


def build_wheel(folder: Path) -> Path:
    """``pip wheel`` of this checkout into ``folder``; returns the wheel's path."""
    shutil.rmtree(folder, ignore_errors=True)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(folder),
            ".",
        ]
    )
    (wheel,) = folder.glob("rnn_utils-*.whl")
    return wheel


def wheel_problems(wheel: Path) -> list[str]:
    """What is wrong with the wheel's contents (empty: nothing)."""
    names = zipfile.ZipFile(wheel).namelist()
    problems = [
        f"the wheel holds {name}, which is not the package"
        for name in names
        if not name.startswith(("rnn_utils/", "rnn_utils-"))
    ]
    if "rnn_utils/taught/cells.py" not in names:
        problems.append(
            "the wheel lacks rnn_utils/taught (the code the chapters teach)"
        )
    for record in ("gpu_benchmark.csv", "seed_sweep.csv", "seed_sweep_values.csv"):
        if f"rnn_utils/recorded/{record}" not in names:
            problems.append(f"the wheel lacks rnn_utils/recorded/{record}")
    return problems


def constraints(pinned: list[str]) -> str:
    """``requirements.txt``'s exact pins as pip constraints, less the packages in ``pinned``."""
    pinned_names = {_name(spec) for spec in pinned}
    lines = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        spec = line.split("#", 1)[0].strip()
        if _PIN.match(spec) and _name(spec) not in pinned_names:
            lines.append(spec)
    return "\n".join(lines) + "\n"


def _name(spec: str) -> str:
    return re.split(r"[\[=<>!~ ]", spec, maxsplit=1)[0].lower().replace("_", "-")


def make_environment(venv: Path, wheel: Path, backend: str, pinned: list[str]) -> Path:
    """A virtual environment with the wheel's dependencies and ipykernel; returns its python."""
    if not (venv / "bin" / "python").exists():
        _run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    constraint_file = venv / "constraints.txt"
    constraint_file.write_text(constraints(pinned))
    extra = {"tensorflow": "[tensorflow]", "jax": "[jax]"}.get(backend, "")
    # --no-compile: the kernel compiles what it imports; byte-compiling all of TensorFlow and JAX
    # up front would lengthen every set-up
    install = [str(python), "-m", "pip", "install", "--quiet", "--no-compile"]
    _run(
        [*install, f"{wheel}{extra}", "ipykernel", *pinned, "-c", str(constraint_file)]
    )
    kernel = venv / "kernels" / KERNEL_NAME
    kernel.mkdir(parents=True, exist_ok=True)
    (kernel / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    str(python),
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "RNN book, reader's environment",
                "language": "python",
            }
        )
    )
    return python


def installed_versions(python: Path, names: tuple[str, ...]) -> str:
    script = (
        "from importlib.metadata import version\n"
        f"print(', '.join(f'{{n}} {{version(n)}}' for n in {names!r}))"
    )
    return _run([str(python), "-c", script]).stdout.strip()


def reader_environment(wheel: Path, venv: Path) -> dict[str, str]:
    """The kernel's environment: this one's, without the repository and with the wheel."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTEST_CURRENT_TEST", "VIRTUAL_ENV")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["RNN_BOOK_INSTALL"] = str(wheel)
    return env


def run_alone(
    path: Path, python: Path, venv: Path, wheel: Path
) -> tuple[float, list[str]]:
    """Run the notebook copied alone into an empty folder; (seconds, failures)."""
    _run([str(python), "-m", "pip", "uninstall", "--quiet", "--yes", "rnn_utils"])
    folder = Path(tempfile.mkdtemp(prefix=f"{path.stem}-", dir=venv))
    copy = folder / path.name
    shutil.copyfile(path, copy)
    seconds, _, _, notebook = runner.execute(
        copy,
        write=False,
        allow_errors=True,
        kernel_dirs=[str(venv / "kernels")],
        kernel_name=KERNEL_NAME,
        env=reader_environment(wheel, venv),
    )
    failures = runner.cell_failures(notebook)
    install = next(c for c in notebook.cells if c.cell_type == "code")
    printed = "".join(o.get("text", "") for o in install.outputs).splitlines()
    if printed != [f"Installed rnn_utils from {wheel}"]:
        failures.append(f"the install cell printed {printed!r}")
    return seconds, failures


def _run(command: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="NAME==VERSION",
        help="install this version instead of requirements.txt's (repeatable)",
    )
    parser.add_argument(
        "--venv",
        type=Path,
        help="the environment's folder (kept; reused if it exists); default: a temporary one",
    )
    args = parser.parse_args(argv)
    bad_pins = [spec for spec in args.pin if not _PIN.match(spec)]
    if bad_pins:
        parser.error(f"--pin must look like keras==3.8.0, got {', '.join(bad_pins)}")
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    venv = args.venv or Path(tempfile.mkdtemp(prefix="rnn-book-reader-"))
    venv = venv.resolve()
    start = time.perf_counter()
    try:
        wheel = build_wheel(venv / "dist")
        problems = wheel_problems(wheel)
        if problems:
            print("\n".join(problems))
            return 1
        python = make_environment(venv, wheel, backend, args.pin)
        versions = installed_versions(python, ("keras", backend, "numpy"))
        print(
            f"{wheel.name}, {versions}: environment ready in "
            f"{time.perf_counter() - start:.0f} s",
            flush=True,
        )
        failed = 0
        for path in args.notebooks:
            seconds, failures = run_alone(path, python, venv, wheel)
            failed += bool(failures)
            verdict = "ok" if not failures else "FAILED " + " | ".join(failures)
            print(
                f"{path.name} alone, {backend}: {seconds:6.1f} s  {verdict}", flush=True
            )
        total = time.perf_counter() - start
        print(
            f"{failed} of {len(args.notebooks)} notebooks failed ({total:.0f} s in all)"
        )
        return 1 if failed else 0
    finally:
        if args.venv is None:
            shutil.rmtree(venv, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
