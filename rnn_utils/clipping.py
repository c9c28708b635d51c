"""Gradient clipping (chapter 6) in NumPy, and the cosine that tells a direction survived.

:func:`clip_by_norm`, :func:`clip_by_value` and :func:`clip_by_global_norm` do what Keras'
``clipnorm``, ``clipvalue`` and ``global_clipnorm`` do to a gradient. The rules are chapter
6's cell (:mod:`rnn_utils.taught.clipping`); this module checks their arguments.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from rnn_utils import _checks
from rnn_utils.taught import clipping as taught


def _vector(name: str, value: object) -> np.ndarray:
    result = _checks.array(name, value, 1, dtype=np.float64)
    if result.size == 0:
        raise ValueError(f"{name} must hold at least one number")
    return result


def check_clipping(gradient: object, threshold: object) -> tuple[np.ndarray, float]:
    """Return a ``(n,)`` float64 gradient and a threshold > 0, or raise ``ValueError``."""
    return _vector("gradient", gradient), _checks.positive_float("threshold", threshold)


def check_global_clipping(
    gradients: object, threshold: object
) -> tuple[list[np.ndarray], float]:
    """Return a non-empty list of finite float64 arrays and a threshold > 0, or raise."""
    if (
        isinstance(gradients, (np.ndarray, str, bytes))
        or not isinstance(gradients, Sequence)
        or not gradients
    ):
        raise ValueError("gradients must be a non-empty list of arrays")
    arrays = [np.asarray(g, dtype=np.float64) for g in gradients]
    for index, array in enumerate(arrays):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"gradients[{index}] must contain only finite numbers")
    return arrays, _checks.positive_float("threshold", threshold)


def _power_of_two_scale(*arrays: np.ndarray) -> float:
    """A power of two near the largest magnitude in ``arrays`` (1 if all are zero).

    Dividing by it is exact, so a norm computed after it is the norm computed before it,
    bit for bit, scaled back: except that entries of 1e200 no longer overflow the sum of
    squares to infinity, and entries of 1e-200 no longer underflow it to zero.
    """
    largest = max(float(np.max(np.abs(a), initial=0.0)) for a in arrays)
    return 1.0 if largest == 0.0 else float(2.0 ** np.frexp(largest)[1])


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of the angle between two non-zero vectors ``(n,)``: 1 means same direction."""
    a, b = _vector("a", a), _vector("b", b)
    _checks.shape_matches("b", b, a.shape)
    a, b = a / _power_of_two_scale(a), b / _power_of_two_scale(b)  # no overflow
    norm_a, norm_b = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if norm_a == 0.0 or norm_b == 0.0:
        raise ValueError("a and b must be non-zero vectors")
    return float(np.dot(a, b) / (norm_a * norm_b))


# The clipping rules chapter 6 teaches, generated from its cell into rnn_utils.taught
# (edit the cell, then `make taught`), here with their arguments checked first and the
# gradient divided by a power of two, so that its norm can neither overflow nor underflow.


@functools.wraps(taught.clip_by_norm)
def clip_by_norm(gradient: object, threshold: object) -> np.ndarray:
    gradient, threshold = check_clipping(gradient, threshold)
    scale = _power_of_two_scale(gradient)
    with np.errstate(over="ignore"):  # threshold / scale may be inf: then nothing clips
        return scale * taught.clip_by_norm(gradient / scale, threshold / scale)


@functools.wraps(taught.clip_by_value)
def clip_by_value(gradient: object, threshold: object) -> np.ndarray:
    return taught.clip_by_value(*check_clipping(gradient, threshold))


@functools.wraps(taught.clip_by_global_norm)
def clip_by_global_norm(gradients: object, threshold: object) -> list[np.ndarray]:
    gradients, threshold = check_global_clipping(gradients, threshold)
    scale = _power_of_two_scale(*gradients)
    with np.errstate(over="ignore"):
        scaled = taught.clip_by_global_norm(
            [g / scale for g in gradients], threshold / scale
        )
    return [scale * g for g in scaled]
