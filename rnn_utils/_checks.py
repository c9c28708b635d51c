"""Argument checks shared by the public functions of :mod:`rnn_utils`.

Each check raises :class:`ValueError` with a message that names the argument and says
what was expected, so that a reader who passes the wrong thing learns what to fix.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np


def positive_int(name: str, value: object) -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= 1, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def non_negative_int(name: str, value: object) -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= 0, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def probability(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` if it lies in [0, 1], else raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not 0.0 <= value <= 1.0
    ):
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
    return float(value)


def positive_float(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` if it is a finite number > 0, else raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def array(
    name: str, value: object, ndim: int, *, dtype: type | None = None
) -> np.ndarray:
    """Return ``value`` as an array of numbers of rank ``ndim``, or raise naming ``name``.

    Booleans, integers and floats are numbers; strings, objects and complex numbers are not.
    With ``dtype`` the result is cast to it; a non-finite float entry is an error.
    """
    expected = f"{name} must be an array of rank {ndim}"
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise ValueError(f"{expected} of numbers, got {type(value).__name__}")
    try:
        result = np.asarray(value) if dtype is None else np.asarray(value, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"{expected}; it could not be converted ({error})") from None
    if result.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} must hold numbers (bool, int or float), got dtype {result.dtype}"
        )
    if result.ndim != ndim:
        raise ValueError(f"{expected}, got shape {result.shape} (rank {result.ndim})")
    if result.dtype.kind == "f" and not np.all(np.isfinite(result)):
        raise ValueError(f"{name} must contain only finite numbers")
    return result


def shape_matches(name: str, value: np.ndarray, expected: Sequence[int | None]) -> None:
    """Raise unless ``value.shape`` matches ``expected`` (``None`` matches any size)."""
    ok = len(value.shape) == len(expected) and all(
        want is None or got == want
        for got, want in zip(value.shape, expected, strict=True)
    )
    if not ok:
        shown = tuple("any" if want is None else want for want in expected)
        raise ValueError(f"{name} must have shape {shown}, got {value.shape}")


def sequence_inputs(value: object, num_features: int) -> np.ndarray:
    """Return ``value`` as inputs ``(batch, time, num_features)`` with ``time >= 1``, or raise."""
    inputs = array("inputs", value, 3)
    shape_matches("inputs", inputs, (None, None, num_features))
    if inputs.shape[1] == 0:
        raise ValueError(
            f"inputs must have at least one time step, got shape {inputs.shape}"
        )
    return inputs


def state(
    name: str, value: object | None, batch: int, units: int, dtype: object
) -> np.ndarray:
    """Return a state ``(batch, units)``: zeros of ``dtype`` if ``value`` is None, else checked."""
    if value is None:
        return np.zeros((batch, units), dtype=dtype)
    result = array(name, value, 2)
    shape_matches(name, result, (batch, units))
    return result


def non_empty_strings(name: str, values: Sequence[str]) -> list[str]:
    """Return ``values`` as a list if it is a non-empty sequence of non-empty strings."""
    if isinstance(values, str) or not isinstance(values, Sequence) or len(values) == 0:
        raise ValueError(
            f"{name} must be a non-empty sequence of strings, got {values!r}"
        )
    for item in values:
        if not isinstance(item, str) or not item:
            raise ValueError(
                f"{name} must contain only non-empty strings, got {item!r}"
            )
    return list(values)


def real(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` if it is a finite real number (not a bool), else raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
    ):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return float(value)


def boolean(name: str, value: object) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (a NumPy bool too), else raise."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def string(name: str, value: object) -> str:
    """Return ``value`` if it is a string, else raise."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {type(value).__name__}")
    return value


def function(name: str, value: object) -> object:
    """Return ``value`` if it can be called, else raise."""
    if not callable(value):
        raise ValueError(f"{name} must be a function, got {type(value).__name__}")
    return value


def axes(name: str, value: object) -> object:
    """Return ``value`` if it is a matplotlib ``Axes``, else raise."""
    import matplotlib.axes

    if not isinstance(value, matplotlib.axes.Axes):
        raise ValueError(
            f"{name} must be a matplotlib Axes, got {type(value).__name__}"
        )
    return value
