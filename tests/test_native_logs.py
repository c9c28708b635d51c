"""Tests of :mod:`rnn_utils.native_logs`: known start-up lines go, every other line arrives."""

import os
import pathlib
import subprocess
import sys
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient

from rnn_utils import native_logs

ROOT = pathlib.Path(__file__).resolve().parents[1]
ONEDNN = (
    "I0000 00:00:1796529293.875670    2593 port.cc:153] oneDNN custom operations are on. "
    "You may see slightly different numerical results"
)


@pytest.mark.parametrize(
    "line",
    [
        ONEDNN,
        "WARNING: All log messages before absl::InitializeLog() is called are written to "
        "STDERR",
        "I0000 00:00:1.8    2593 cudart_stub.cc:31] Could not find cuda drivers on your "
        "machine, GPU will not be used.",
        "E0000 00:00:1.0    2593 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA "
        "error: Failed call to cuInit: UNKNOWN ERROR (303)",
        "To enable the following instructions: AVX2 FMA, in other operations, rebuild "
        "TensorFlow with the appropriate compiler flags.",
    ],
)
def test_known_start_up_lines_are_noise(line):
    assert native_logs.is_known_noise(line)


@pytest.mark.parametrize(
    "line",
    [
        "F0000 00:00:1.0  7 cuda_dnn.cc:535] Check failed: cudnnSetRNNDescriptor_v8(...)",
        "E0000 00:00:1.0  7 cuda_dnn.cc:1937] Could not create cudnn handle: "
        "CUDNN_STATUS_INTERNAL_ERROR",
        "Segmentation fault (core dumped)",
        "Traceback (most recent call last):",
        "",
    ],
)
def test_errors_are_not_noise(line):
    assert not native_logs.is_known_noise(line)


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=ROOT,
    )


def test_filter_drops_known_lines_and_passes_the_rest_in_order():
    result = _run(
        f"""
        import os
        from rnn_utils.native_logs import NativeLineFilter
        os.write(2, b"before\\n")
        with NativeLineFilter():
            os.write(2, b"kept 1\\n{ONEDNN}\\nkept 2\\n")
            os.write(2, b"a partial line")
        os.write(2, b"\\nafter\\n")
        """
    )
    assert result.stderr == "before\nkept 1\nkept 2\na partial line\nafter\n"


def test_filter_passes_a_partial_line_on_while_running():
    """A line without its newline (a crash message cut short) is not held back."""
    result = _run(
        """
        import os, time
        from rnn_utils.native_logs import NativeLineFilter
        native_filter = NativeLineFilter().start()
        os.write(2, b"no newline")
        time.sleep(0.5)
        os.write(1, b"stdout after the wait\\n")
        os._exit(0)  # no stop(): only what the thread already passed on arrives
        """
    )
    assert result.stderr == "no newline"


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_filter_restores_fd_2_and_leaks_no_file_descriptors():
    before_identity = os.fstat(2).st_ino
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        with native_logs.NativeLineFilter() as native_filter:
            assert native_filter.running
        assert not native_filter.running
    assert os.fstat(2).st_ino == before_identity
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_native_line_written_after_setup_reaches_the_notebook(monkeypatch):
    """In a real kernel: setup(), then a native write to fd 2 and a known start-up line."""
    # ipykernel forwards file descriptor 2 to the notebook unless it runs under pytest
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import rnn_utils\nenv = rnn_utils.setup()"),
            nbformat.v4.new_code_cell(
                "import os, time\n"
                f"os.write(2, b'{ONEDNN}\\n')\n"
                "os.write(2, b'native error after setup\\n')\n"
                "time.sleep(1)"
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    setup_outputs, write_outputs = (cell.outputs for cell in notebook.cells)
    assert [o.name for o in setup_outputs] == ["stdout"]
    assert setup_outputs[0].text.startswith("Keras ")
    stderr = "".join(o.text for o in write_outputs if o.get("name") == "stderr")
    assert stderr == "native error after setup\n"
