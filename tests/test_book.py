"""The book builds with Sphinx warnings as errors: broken references, citations and glue fail."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_book_builds_without_warnings(tmp_path):
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(ROOT),
            "--path-output",
            str(tmp_path),
            "--warningiserror",
            "--nitpick",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    html = tmp_path / "_build" / "html"
    for page in [
        "book/intro.html",
        "book/claims.html",
        "notebooks/01_feedforward_limits.html",
        "notebooks/02_recurrent_networks.html",
    ]:
        assert (html / page).is_file(), f"{page} was not built"
    claims = (html / "book" / "claims.html").read_text()
    assert "??" not in claims, "a glued number on the claims page did not resolve"
