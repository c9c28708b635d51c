"""The one call at the top of every notebook: :func:`setup`.

It seeds Python, NumPy and Keras from ``RNN_BOOK_SEED`` (default 0), asks the backend for
deterministic kernels, keeps TensorFlow's known native start-up lines out of the notebook
(:mod:`rnn_utils.native_logs`; every other native line gets through), applies the book's
plot style and prints one line that says what the notebook runs on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import warnings

from rnn_utils import _checks, native_logs

SEED_VARIABLE = "RNN_BOOK_SEED"
"""Environment variable that sets the seed of every notebook."""

NATIVE_LOGS_VARIABLE = "RNN_BOOK_NATIVE_LOGS"
"""Set to ``1`` to keep the backend's known native start-up lines (filtered by default)."""


@dataclasses.dataclass(frozen=True)
class BookEnvironment:
    """What :func:`setup` configured: the seed, the Keras backend and the device."""

    seed: int
    keras_version: str
    backend: str
    backend_version: str
    device: object  # rnn_utils.backend.DeviceInfo, imported lazily with Keras

    def describe(self) -> str:
        """The one line :func:`setup` prints."""
        return (
            f"Keras {self.keras_version} ({self.backend} {self.backend_version}) | "
            f"{self.device.describe()} | seed {self.seed}"
        )


def book_seed() -> int:
    """The seed for this run: ``RNN_BOOK_SEED`` if set, else 0.

    Raises:
        ValueError: if ``RNN_BOOK_SEED`` is not a non-negative integer.
    """
    raw = os.environ.get(SEED_VARIABLE, "0").strip()
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(
            f"{SEED_VARIABLE} must be a non-negative integer, got {raw!r}"
        ) from None
    return _checks.non_negative_int(SEED_VARIABLE, value)


def _stderr_is_native() -> bool:
    """True when Python's ``sys.stderr`` writes to file descriptor 2 (a terminal, a script).

    In a Jupyter kernel ``sys.stderr`` is a stream to the notebook, and file descriptor 2
    carries what native code writes.
    """
    try:
        return sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):
        return False


def _quiet_python_warnings() -> None:
    """Hide warnings that come from library internals, not from the reader's code."""
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings(
        "ignore", category=FutureWarning, module=r"(keras|tensorflow)\b"
    )
    warnings.filterwarnings("ignore", message=r".*np\.object.*", category=FutureWarning)


def setup(seed: int | None = None, *, verbose: bool = True) -> BookEnvironment:
    """Configure a notebook: seed, determinism, quiet logs, plot style; print one line.

    Call it before ``import keras``: it chooses the backend (``KERAS_BACKEND``, default
    ``tensorflow``) and imports it with its known native start-up lines filtered out.

    Args:
        seed: the seed; by default ``RNN_BOOK_SEED`` or 0.
        verbose: print the one-line description of backend, device and seed.

    Returns:
        The :class:`BookEnvironment` that was set up.

    Raises:
        ValueError: if ``seed`` (or ``RNN_BOOK_SEED``) is not a non-negative integer.
    """
    seed = book_seed() if seed is None else _checks.non_negative_int("seed", seed)
    verbose = _checks.boolean("verbose", verbose)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    keep_native_logs = os.environ.get(NATIVE_LOGS_VARIABLE, "0") == "1"
    if keep_native_logs:
        quiet = contextlib.nullcontext()
    elif _stderr_is_native():  # a script: filter the start-up lines only
        quiet = native_logs.NativeLineFilter()
    else:  # a kernel: filter for the session (TensorFlow also logs later, during fit)
        native_logs.filter_for_the_session()
        quiet = contextlib.nullcontext()
    with quiet:
        import keras

        from rnn_utils import backend

        device = backend.device()
        backend.enable_determinism()
        backend.quiet_python_logging()
        # under JAX or PyTorch this imports TensorFlow too, where it is installed, to seed it
        keras.utils.set_random_seed(seed)
    _quiet_python_warnings()

    from rnn_utils import plots

    plots.apply_book_style()
    environment = BookEnvironment(
        seed=seed,
        keras_version=keras.__version__,
        backend=backend.name(),
        backend_version=backend.version(),
        device=device,
    )
    if verbose:
        print(environment.describe())
    return environment
