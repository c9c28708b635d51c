"""One click from the site to a running notebook: launch buttons and a self-installing cell.

The repository's address and the version are set once, in ``pyproject.toml``.
``scripts/install_cell.py`` writes them into every notebook's first code cell, which installs
``rnn_utils`` from that address, at that version, when the kernel lacks it (a bare Colab or
Binder kernel, or a notebook downloaded on its own) and does nothing when it is present.
``_config.yml`` repeats the address for the site's buttons; these tests hold them together.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


install_cell = load_script("install_cell")


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def test_the_address_is_set_once_with_launch_buttons():
    url, version = install_cell.book_address()
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), url
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    config = _config()
    assert config["repository"]["url"] == url, "_config.yml and pyproject.toml disagree"
    assert config["sphinx"]["config"]["html_theme_options"]["repository_url"] == url
    assert config["html"]["use_repository_button"] is True
    buttons = config["launch_buttons"]
    assert buttons["colab_url"] == "https://colab.research.google.com"
    assert buttons["binderhub_url"] == "https://mybinder.org"


def test_the_package_reports_the_version_of_pyproject():
    import rnn_utils

    assert rnn_utils.__version__ == install_cell.book_address()[1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_first_cell_installs_the_helpers_only_when_missing(path):
    cells = [
        c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"
    ]
    first, second = cells[0], cells[1]
    url, version = install_cell.book_address()
    source = "".join(first["source"])
    assert source == install_cell.install_cell_source(url, version), (
        "run `python scripts/install_cell.py`"
    )
    assert f'BOOK = "git+{url}@v{version}"' in source
    assert first["metadata"].get("tags") == ["hide-input"], "the install cell is folded"
    assert first["outputs"] == [], (
        "where rnn_utils is installed the cell prints nothing"
    )
    shown = "".join(second["source"])
    assert shown.startswith("import rnn_utils\n\nenv = rnn_utils.setup()")


def test_the_install_cell_script_finds_nothing_to_do():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "install_cell.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_the_install_cell_honours_the_install_variable(tmp_path):
    """Run the cell's code in a fresh interpreter that lacks rnn_utils, with pip replaced."""
    fake_pip = tmp_path / "pip_log.py"
    fake_pip.write_text(
        "import sys; open(sys.argv[1], 'w').write(' '.join(sys.argv[2:]))"
    )
    source = install_cell.install_cell_source(*install_cell.book_address())
    log = tmp_path / "pip.log"
    code = source.replace(
        '[sys.executable, "-m", "pip", "install", "--quiet", source]',
        f"[sys.executable, {str(fake_pip)!r}, {str(log)!r}, source]",
    )
    assert code != source
    script = "import sys\nsys.modules['rnn_utils'] = None\n" + code.replace(
        'importlib.util.find_spec("rnn_utils") is None', "True"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={
            "RNN_BOOK_INSTALL": "/wheels/rnn_utils-0.1.0-py3-none-any.whl",
            "PATH": "",
        },
    )
    assert log.read_text() == "/wheels/rnn_utils-0.1.0-py3-none-any.whl"
    assert result.stdout == (
        "Installed rnn_utils from /wheels/rnn_utils-0.1.0-py3-none-any.whl\n"
    )


@pytest.mark.slow
def test_notebook_pages_have_launch_and_repository_buttons(built_book):
    url = _config()["repository"]["url"]
    page = (built_book / "notebooks" / "07_lstm.html").read_text()
    assert "https://colab.research.google.com/github/" in page, "no Colab button"
    assert "https://mybinder.org/v2/gh/" in page, "no Binder button"
    assert f'href="{url}"' in page, "no repository button"
