"""Compare the glued values of the stored notebooks with those of another git revision.

    python scripts/compare_glue.py                 # working tree against HEAD
    python scripts/compare_glue.py --against main~3 notebooks/07_lstm.ipynb
    python scripts/compare_glue.py --timing 'slope|speedup|epoch_'   # more keys are timings

A refactor of a chapter (new helpers, shorter cells, Keras called directly) must not change
what the chapter measures: every value it glues for the prose should be the same before
and after. Values glued in a cell marked ``rnn_book.ignore_output = "timing"``, and keys that
match ``--timing``, depend on the clock: they are listed apart, not counted. Glued figures are
not compared. Exit status 1 if another value differs, was added or went missing.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "application/papermill.record/"


def glued_values(notebook: dict) -> dict[str, tuple[str, bool]]:
    """Each glued key -> (its text, whether its cell is a timing cell), for a notebook dict."""
    values = {}
    for cell in notebook.get("cells", []):
        timing = (
            cell.get("metadata", {}).get("rnn_book", {}).get("ignore_output")
            == "timing"
        )
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is None:
                continue
            data = output.get("data", {})
            if any(not key.endswith("text/plain") for key in data):
                continue  # a figure (its pixels depend on fonts): not compared here
            text = data.get(PREFIX + "text/plain", "")
            values[name] = ("".join(text) if isinstance(text, list) else text, timing)
    return values


def differences(
    before: dict, after: dict, timing_keys: str | None = None
) -> tuple[list[str], list[str]]:
    """(lines for values that differ, lines for timings that differ) between two notebooks;
    ``timing_keys`` is a regular expression of further keys that are timings."""
    old, new = glued_values(before), glued_values(after)
    clock = re.compile(timing_keys) if timing_keys else None
    changed, timings = [], []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            changed.append(f"{key}: {old[key][0]} -> missing")
        elif key not in old:
            changed.append(f"{key}: new, {new[key][0]}")
        elif old[key][0] != new[key][0]:
            line = f"{key}: {old[key][0]} -> {new[key][0]}"
            is_timing = new[key][1] or (clock is not None and clock.search(key))
            (timings if is_timing else changed).append(line)
    return changed, timings


def _at_revision(revision: str, path: Path) -> dict:
    relative = path.resolve().relative_to(ROOT).as_posix()
    shown = subprocess.run(
        ["git", "show", f"{revision}:{relative}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(shown.stdout) if shown.returncode == 0 else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--against", default="HEAD", help="git revision (default HEAD)")
    parser.add_argument("--timing", help="regular expression of keys that are timings")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    failed = False
    for path in paths:
        changed, timings = differences(
            _at_revision(args.against, path), json.loads(path.read_text()), args.timing
        )
        for line in changed:
            print(f"{path.stem}: {line}")
        for line in timings:
            print(f"{path.stem}: (timing) {line}")
        failed |= bool(changed)
    print(
        "glued values differ"
        if failed
        else "every glued value is the same, timings aside"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
