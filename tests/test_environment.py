"""Tests of :func:`rnn_utils.setup`, the seed and the native-stderr silencer."""

import dataclasses
import importlib
import os
import pathlib
import random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import rnn_utils
from rnn_utils import environment

# ------------------------------------------------------------------------------ seed


def test_book_seed_defaults_to_zero(monkeypatch):
    monkeypatch.delenv("RNN_BOOK_SEED", raising=False)
    assert environment.book_seed() == 0


@pytest.mark.parametrize(
    ("raw", "expected"), [("0", 0), ("7", 7), (" 42 ", 42), ("123456", 123456)]
)
def test_book_seed_reads_the_variable(monkeypatch, raw, expected):
    monkeypatch.setenv("RNN_BOOK_SEED", raw)
    seed = environment.book_seed()
    assert type(seed) is int
    assert seed == expected


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "", "3e2"])
def test_book_seed_rejects_non_integers_and_negatives(monkeypatch, raw):
    monkeypatch.setenv("RNN_BOOK_SEED", raw)
    with pytest.raises(
        ValueError, match="RNN_BOOK_SEED must be a non-negative integer"
    ):
        environment.book_seed()


def test_book_seed_is_exported_at_package_level():
    assert rnn_utils.book_seed is environment.book_seed
    assert environment.SEED_VARIABLE == "RNN_BOOK_SEED"


# ----------------------------------------------------------------------------- setup


def test_setup_returns_the_environment(book_environment, keras):
    env = rnn_utils.setup(seed=3, verbose=False)
    assert isinstance(env, rnn_utils.BookEnvironment)
    assert env.seed == 3
    expected = os.environ.get("KERAS_BACKEND", "tensorflow")
    assert env.backend == expected == keras.backend.backend()
    assert env.keras_version == keras.__version__
    module = importlib.import_module(expected)
    assert env.backend_version == module.__version__
    assert env.device.kind in {"CPU", "GPU"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        env.seed = 4


def _draws():
    import keras

    return (
        np.random.random(4),  # noqa: NPY002 - the global state is what setup seeds
        random.random(),
        keras.ops.convert_to_numpy(keras.random.uniform((3,))),
    )


def test_setup_seeds_numpy_python_and_keras(keras):
    rnn_utils.setup(seed=3, verbose=False)
    first = _draws()
    rnn_utils.setup(seed=3, verbose=False)
    second = _draws()
    rnn_utils.setup(seed=4, verbose=False)
    other = _draws()
    np.testing.assert_array_equal(first[0], second[0])
    assert first[1] == second[1]
    np.testing.assert_array_equal(first[2], second[2])
    assert not np.array_equal(first[0], other[0])
    assert first[1] != other[1]
    assert not np.array_equal(first[2], other[2])


def test_setup_reads_the_seed_from_the_environment(monkeypatch, book_environment):
    monkeypatch.setenv("RNN_BOOK_SEED", "11")
    assert rnn_utils.setup(verbose=False).seed == 11
    from_variable = np.random.random(3)  # noqa: NPY002
    rnn_utils.setup(seed=11, verbose=False)
    np.testing.assert_array_equal(np.random.random(3), from_variable)  # noqa: NPY002


def test_setup_verbose_prints_one_line(capsys, book_environment, keras):
    env = rnn_utils.setup(seed=5, verbose=True)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 1
    line = lines[0]
    assert line == env.describe()
    assert f"Keras {keras.__version__}" in line
    assert f"({keras.backend.backend()} " in line
    assert env.device.describe() in line
    assert ("CPU" in line) or ("GPU" in line)
    assert line.endswith("seed 5")


def test_setup_quiet_prints_nothing(capsys, book_environment):
    rnn_utils.setup(seed=1, verbose=False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_setup_applies_the_book_plot_style(book_environment):
    import matplotlib as mpl

    mpl.rcParams["axes.spines.top"] = True
    rnn_utils.setup(seed=0, verbose=False)
    assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["axes.grid"] is True


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_setup_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        rnn_utils.setup(seed=seed, verbose=False)


def test_setup_rejects_bad_seed_variable(monkeypatch):
    monkeypatch.setenv("RNN_BOOK_SEED", "abc")
    with pytest.raises(ValueError, match="RNN_BOOK_SEED"):
        rnn_utils.setup(verbose=False)


def test_setup_keeps_native_stderr_when_asked(capfd, monkeypatch, book_environment):
    monkeypatch.setenv("RNN_BOOK_NATIVE_LOGS", "1")
    rnn_utils.setup(seed=0, verbose=False)
    os.write(2, b"native log line\n")
    assert capfd.readouterr().err == "native log line\n"


def test_book_environment_describe_with_a_stand_in_device():
    class Device:
        def describe(self):
            return "GPU Test (cuDNN LSTM/GRU)"

    env = rnn_utils.BookEnvironment(
        seed=9,
        keras_version="3.0",
        backend="jax",
        backend_version="0.4",
        device=Device(),
    )
    assert env.describe() == "Keras 3.0 (jax 0.4) | GPU Test (cuDNN LSTM/GRU) | seed 9"


# -------------------------------------------------------------------- native stderr
# In a Jupyter kernel sys.stderr is a stream to the notebook and file descriptor 2 carries
# what native code writes; tests/test_native_logs.py checks that path in a real kernel.


def test_setup_in_a_script_filters_start_up_lines_only():
    """A script: TensorFlow's start-up lines are dropped; later native lines all arrive."""
    script = textwrap.dedent(
        """
        import os
        import rnn_utils
        rnn_utils.setup(verbose=False)
        os.write(2, b"native after setup\\n")
        os.write(2, b"I0000 00:00:1.2  7 port.cc:153] oneDNN custom operations are on.\\n")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=pathlib.Path(__file__).resolve().parents[1],
    )
    assert result.stderr == (
        "native after setup\n"
        "I0000 00:00:1.2  7 port.cc:153] oneDNN custom operations are on.\n"
    )
