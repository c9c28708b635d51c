"""Tests of the parts of ``scripts/reader_run.py`` that need no environment: pins, the wheel."""

import zipfile
from pathlib import Path

import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reader_run():
    return load_script("reader_run")


def test_constraints_are_the_exact_pins_less_those_overridden(reader_run):
    lines = reader_run.constraints(["keras==3.14.0", "TensorFlow==2.18.0"]).split()
    assert any(line.startswith("numpy==") for line in lines)
    assert not any(
        line.lower().startswith(("keras==", "tensorflow==")) for line in lines
    )
    assert not any(line.startswith("-e") or "#" in line for line in lines)
    assert all("==" in line for line in lines)


def _wheel(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "")
    return path


RECORDS = [
    "rnn_utils/recorded/gpu_benchmark.csv",
    "rnn_utils/recorded/seed_sweep.csv",
    "rnn_utils/recorded/seed_sweep_values.csv",
]


TAUGHT = "rnn_utils/taught/cells.py"


def test_a_wheel_with_the_package_and_its_records_passes(reader_run, tmp_path):
    names = [
        "rnn_utils/__init__.py",
        TAUGHT,
        *RECORDS,
        "rnn_utils-0.1.0.dist-info/METADATA",
    ]
    assert reader_run.wheel_problems(_wheel(tmp_path / "ok.whl", names)) == []


def test_a_wheel_with_tooling_or_without_records_fails(reader_run, tmp_path):
    names = ["rnn_utils/__init__.py", "scripts/notebooks.py", *RECORDS[1:]]
    problems = reader_run.wheel_problems(_wheel(tmp_path / "bad.whl", names))
    assert problems == [
        "the wheel holds scripts/notebooks.py, which is not the package",
        "the wheel lacks rnn_utils/taught (the code the chapters teach)",
        "the wheel lacks rnn_utils/recorded/gpu_benchmark.csv",
    ]


def test_bad_pins_are_refused(reader_run, capsys):
    with pytest.raises(SystemExit) as exit_info:
        reader_run.main(["--pin", "keras>=3", "notebooks/02_recurrent_networks.ipynb"])
    assert exit_info.value.code == 2
    assert "--pin must look like keras==3.8.0" in capsys.readouterr().err


def test_the_reader_kernel_does_not_see_the_repository(
    reader_run, monkeypatch, tmp_path
):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "x")
    env = reader_run.reader_environment(tmp_path / "w.whl", tmp_path / "venv")
    assert "PYTHONPATH" not in env and "PYTEST_CURRENT_TEST" not in env
    assert env["RNN_BOOK_INSTALL"] == str(tmp_path / "w.whl")
    assert env["PATH"].startswith(str(tmp_path / "venv" / "bin"))
