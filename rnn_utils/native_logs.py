"""Keep the backend's known native start-up lines out of a notebook; let every other through.

TensorFlow's C++ code writes its log lines straight to file descriptor 2, past Python and
past ``TF_CPP_MIN_LOG_LEVEL`` ("oneDNN custom operations are on", "Could not find cuda
drivers", ...). A Jupyter kernel forwards what arrives on file descriptor 2 into the
notebook. :class:`NativeLineFilter` points file descriptor 2 at a pipe, reads it on a
thread, drops the lines that :func:`is_known_noise` recognises and writes every other line
to where file descriptor 2 went before, so that a native error (cuDNN, XLA, a failed check)
still reaches the reader.
"""

from __future__ import annotations

import os
import re
import select
import sys
import threading

KNOWN_NOISE = (
    r"WARNING: All log messages before absl::InitializeLog\(\) is called",
    r"oneDNN custom operations are on",
    r"Could not find cuda drivers on your machine",
    r"This TensorFlow binary is optimized to use available CPU instructions",
    r"To enable the following instructions: .* rebuild TensorFlow",
    r"failed call to cuInit",
    r"NodeDef mentions attribute",
    r"Unable to register cu(DNN|FFT|BLAS) factory",
    r"computation placer already registered",
    r"TF-TRT Warning: Could not find TensorRT",
    r"Attempting to register factory for plugin",
    r"successful NUMA node read from SysFS had negative value",
    r"Your kernel may have been built without NUMA support",
    r"Created device /job:localhost/replica:0/task:0/device:GPU",
    r"XLA service 0x[0-9a-f]+ initialized for platform",
    r"StreamExecutor device \(\d+\)",
    r"Loaded cuDNN version \d+",
    r"Compiled cluster using XLA!",
)
"""Messages of start-up and information lines that carry nothing for a reader (regexes)."""

_KNOWN = re.compile("|".join(f"(?:{pattern})" for pattern in KNOWN_NOISE))
_FLUSH_AFTER_S = 0.05  # a line without its newline is passed on after this much quiet


def is_known_noise(line: str) -> bool:
    """True if ``line`` (one line of native stderr, with or without its absl prefix such as
    ``I0000 00:00:1796529293.875670    2593 port.cc:153]``) is a known start-up line."""
    if not isinstance(line, str):
        raise ValueError(f"line must be a string, got {type(line).__name__}")
    return _KNOWN.search(line) is not None


class NativeLineFilter:
    """Filter what native code writes to file descriptor 2 (see the module's docstring).

    Use it as a context manager (:meth:`start` on entry, :meth:`stop` on exit), or start it
    for the rest of the process. :meth:`stop` puts file descriptor 2 back and returns once
    every line written before it has been passed on or dropped.
    """

    def __init__(self) -> None:
        self._saved_fd: int | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> NativeLineFilter:
        if self.running:
            return self
        _flush_python_stderr()
        self._saved_fd = os.dup(2)
        read_fd, write_fd = os.pipe()
        os.dup2(write_fd, 2)
        os.close(write_fd)
        self._thread = threading.Thread(
            target=self._pass_lines_on,
            args=(read_fd, self._saved_fd),
            name="rnn_utils-native-stderr",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if not self.running:
            return
        _flush_python_stderr()
        os.dup2(self._saved_fd, 2)  # drops the last write end: the thread reads to EOF
        self._thread.join()
        os.close(self._saved_fd)
        self._saved_fd = None
        self._thread = None

    def __enter__(self) -> NativeLineFilter:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @staticmethod
    def _pass_lines_on(read_fd: int, out_fd: int) -> None:
        pending = b""
        try:
            while True:
                ready, _, _ = select.select([read_fd], [], [], _FLUSH_AFTER_S)
                if not ready:
                    if pending:  # a partial line, then quiet: pass it on as it is
                        _write_unless_known(out_fd, pending)
                        pending = b""
                    continue
                chunk = os.read(read_fd, 65536)
                if not chunk:
                    break
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    _write_unless_known(out_fd, line + b"\n")
            if pending:
                _write_unless_known(out_fd, pending)
        finally:
            os.close(read_fd)


def _write_unless_known(out_fd: int, data: bytes) -> None:
    if not is_known_noise(data.decode("utf-8", "replace")):
        os.write(out_fd, data)


def _flush_python_stderr() -> None:
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass


_SESSION_FILTER = NativeLineFilter()


def filter_for_the_session() -> None:
    """Start one filter for the rest of the process; calling it again does nothing."""
    _SESSION_FILTER.start()


__all__ = [
    "KNOWN_NOISE",
    "NativeLineFilter",
    "filter_for_the_session",
    "is_known_noise",
]
