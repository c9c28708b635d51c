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
    arrays = [
        _checks.array(f"gradients[{i}]", g, np.ndim(g), dtype=np.float64)
        for i, g in enumerate(gradients)
    ]
    return arrays, _checks.positive_float("threshold", threshold)


def _unit_scaled(*arrays: np.ndarray) -> tuple[list[np.ndarray], int]:
    """The arrays times ``2**-e``, exactly, with ``e`` the exponent of their largest entry.

    Their joint norm then lies in [1/2, sqrt(n)): it can neither overflow nor underflow.
    """
    largest = max(float(np.max(np.abs(a), initial=0.0)) for a in arrays)
    exponent = int(np.frexp(largest)[1])
    return [np.ldexp(a, -exponent) for a in arrays], exponent


def _normal_norm(*arrays: np.ndarray) -> bool:
    """Whether the plain norm of the arrays is exact enough: finite, and not underflowed."""
    with np.errstate(over="ignore", under="ignore"):
        squares = sum(float(np.sum(a * a)) for a in arrays)
    tiny = np.finfo(np.float64).tiny
    return np.isfinite(squares) and (
        squares >= tiny or not any(np.any(a) for a in arrays)
    )


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of the angle between two non-zero vectors ``(n,)``: 1 means same direction."""
    a, b = _vector("a", a), _vector("b", b)
    _checks.shape_matches("b", b, a.shape)
    if not (np.any(a) and np.any(b)):
        raise ValueError("a and b must be non-zero vectors")
    (a,), _ = _unit_scaled(a)  # each scaled on its own: the angle is the same
    (b,), _ = _unit_scaled(b)
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


# The clipping rules chapter 6 teaches, generated from its cell into rnn_utils.taught
# (edit the cell, then `make taught`), here with their arguments checked first. Where the
# gradient's squares would overflow (entries near 1e155 and beyond) or underflow, the same
# rule is applied to the gradient scaled by a power of two; a gradient that is not clipped
# comes back unchanged.


@functools.wraps(taught.clip_by_norm)
def clip_by_norm(gradient: object, threshold: object) -> np.ndarray:
    gradient, threshold = check_clipping(gradient, threshold)
    if _normal_norm(gradient):
        return taught.clip_by_norm(gradient, threshold)
    (unit,), exponent = _unit_scaled(gradient)
    norm = float(np.linalg.norm(unit))
    with np.errstate(over="ignore"):  # an overflow to inf still decides right
        clipped = np.ldexp(norm, exponent) > threshold
    return unit * (threshold / norm) if clipped else gradient.copy()


@functools.wraps(taught.clip_by_value)
def clip_by_value(gradient: object, threshold: object) -> np.ndarray:
    return taught.clip_by_value(*check_clipping(gradient, threshold))


@functools.wraps(taught.clip_by_global_norm)
def clip_by_global_norm(gradients: object, threshold: object) -> list[np.ndarray]:
    gradients, threshold = check_global_clipping(gradients, threshold)
    if _normal_norm(*gradients):
        return taught.clip_by_global_norm(gradients, threshold)
    units, exponent = _unit_scaled(*gradients)
    joint = float(np.sqrt(sum(np.sum(u * u) for u in units)))
    with np.errstate(over="ignore"):
        clipped = np.ldexp(joint, exponent) > threshold
    if not clipped:
        return [g.copy() for g in gradients]
    return [u * (threshold / joint) for u in units]
