"""Check a gradient computed by hand: central finite differences and a relative error."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from rnn_utils import _checks


def finite_difference_gradients(
    loss_fn: Callable[[dict[str, np.ndarray]], float],
    weights: Mapping[str, np.ndarray],
    *,
    epsilon: float = 1e-5,
) -> dict[str, np.ndarray]:
    """Central finite differences ``(L(w + eps) - L(w - eps)) / (2 eps)``, one weight at a time.

    Use float64 weights: in float32 the rounding error of ``L`` swamps the difference.

    Args:
        loss_fn: maps a weight dictionary to the scalar loss.
        weights: ``{name: array}``; not modified.
        epsilon: the step, > 0.

    Returns:
        ``{name: array}`` of the same shapes: the estimated gradient.
    """
    _checks.function("loss_fn", loss_fn)
    epsilon = _checks.positive_float("epsilon", epsilon)
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError("weights must be a non-empty mapping of name -> array")
    work = {name: np.array(value, dtype=np.float64) for name, value in weights.items()}
    estimates = {}
    for name, value in work.items():
        estimate = np.empty_like(value)
        flat, flat_estimate = value.reshape(-1), estimate.reshape(-1)
        for i in range(flat.size):
            saved = flat[i]
            flat[i] = saved + epsilon
            plus = float(loss_fn(work))
            flat[i] = saved - epsilon
            minus = float(loss_fn(work))
            flat[i] = saved
            flat_estimate[i] = (plus - minus) / (2.0 * epsilon)
        estimates[name] = estimate
    return estimates


def relative_error(a: Mapping[str, np.ndarray], b: Mapping[str, np.ndarray]) -> float:
    """``||a - b|| / max(||a||, ||b||)`` over all arrays of two gradient dictionaries.

    Args:
        a, b: ``{name: array}`` with the same keys and shapes.

    Returns:
        The relative error (0 when both are zero).
    """
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, Mapping):
            raise ValueError(
                f"{name} must map names to arrays, got {type(value).__name__}"
            )
    if set(a) != set(b):
        raise ValueError(
            f"a and b must have the same keys, got {sorted(a)} and {sorted(b)}"
        )
    for name in a:
        if np.shape(a[name]) != np.shape(b[name]):
            raise ValueError(
                f"a[{name!r}] and b[{name!r}] must have the same shape, "
                f"got {np.shape(a[name])} and {np.shape(b[name])}"
            )
    names = sorted(a)
    flat_a, flat_b = (
        np.concatenate(
            [
                np.ravel(
                    _checks.array(f"{which}[{n!r}]", d[n], np.ndim(d[n]), dtype=float)
                )
                for n in names
            ]
        )
        for which, d in (("a", a), ("b", b))
    )
    scale = max(float(np.linalg.norm(flat_a)), float(np.linalg.norm(flat_b)))
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(flat_a - flat_b) / scale)
