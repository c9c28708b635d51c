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
        isinstance(gradients, np.ndarray)
        or not isinstance(gradients, Sequence)
        or not gradients
    ):
        raise ValueError("gradients must be a non-empty list of arrays")
    arrays = [np.asarray(g, dtype=np.float64) for g in gradients]
    for index, array in enumerate(arrays):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"gradients[{index}] must contain only finite numbers")
    return arrays, _checks.positive_float("threshold", threshold)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of the angle between two non-zero vectors ``(n,)``: 1 means same direction."""
    a, b = _vector("a", a), _vector("b", b)
    _checks.shape_matches("b", b, a.shape)
    norm_a, norm_b = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if norm_a == 0.0 or norm_b == 0.0:
        raise ValueError("a and b must be non-zero vectors")
    return float(np.dot(a, b) / (norm_a * norm_b))


# The clipping rules chapter 6 teaches, generated from its cell into rnn_utils.taught
# (edit the cell, then `make taught`), here with their arguments checked first.


@functools.wraps(taught.clip_by_norm)
def clip_by_norm(gradient: object, threshold: object) -> np.ndarray:
    return taught.clip_by_norm(*check_clipping(gradient, threshold))


@functools.wraps(taught.clip_by_value)
def clip_by_value(gradient: object, threshold: object) -> np.ndarray:
    return taught.clip_by_value(*check_clipping(gradient, threshold))


@functools.wraps(taught.clip_by_global_norm)
def clip_by_global_norm(gradients: object, threshold: object) -> list[np.ndarray]:
    return taught.clip_by_global_norm(*check_global_clipping(gradients, threshold))
