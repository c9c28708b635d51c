"""One click from the site to a running notebook: launch buttons and a self-installing cell.

The repository's address is set once, in ``_config.yml``. Every notebook's first code cell
installs ``rnn_utils`` from that address, at the book's version, when the kernel lacks it
(a bare Colab or Binder kernel, or a notebook downloaded on its own) and does nothing when
it is present, so that a reader who downloads one notebook gets a working notebook.
"""

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def _version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_address_is_set_once_with_launch_buttons():
    config = _config()
    url = config["repository"]["url"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), url
    assert config["html"]["use_repository_button"] is True
    buttons = config["launch_buttons"]
    assert buttons["colab_url"] == "https://colab.research.google.com"
    assert buttons["binderhub_url"] == "https://mybinder.org"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_first_cell_installs_the_helpers_only_when_missing(path):
    cells = json.loads(path.read_text())["cells"]
    first = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    url = _config()["repository"]["url"]
    lines = first.splitlines()
    assert lines[:3] == [
        "try:",
        "    import rnn_utils",
        "except ModuleNotFoundError:  # a bare kernel: install the book's helpers",
    ]
    assert f'    source = "git+{url}@v{_version()}"' in lines, (
        "the book's address, version"
    )
    assert '    %pip install --quiet "rnn_utils @ {source}"' in lines
    assert "env = rnn_utils.setup()" in first


@pytest.mark.slow
def test_notebook_pages_have_launch_and_repository_buttons(built_book):
    url = _config()["repository"]["url"]
    page = (built_book / "notebooks" / "07_lstm.html").read_text()
    assert "https://colab.research.google.com/github/" in page, "no Colab button"
    assert "https://mybinder.org/v2/gh/" in page, "no Binder button"
    assert f'href="{url}"' in page, "no repository button"
