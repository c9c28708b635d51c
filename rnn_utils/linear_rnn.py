"""Linear recurrences computed in parallel (chapter 12), as the chapter writes them.

A diagonal linear recurrence ``h_t = a_t * h_{t-1} + b_t`` (elementwise, ``h_0 = 0``) can be
computed one step after another (:func:`linear_recurrence_loop`, ``T`` sequential steps) or
with a parallel prefix scan (:func:`linear_recurrence_scan`, about ``2 log2 T`` sequential
rounds), because two consecutive steps compose into one step of the same form
(:func:`combine`). :class:`MinGRU` is the minimal GRU of Feng et al. (2024): its gates read
only the input, so its state is such a recurrence.

Importing this module imports Keras (like :mod:`rnn_utils.backend`); the notebooks import it
after :func:`rnn_utils.setup`. The four definitions are the chapter's cells, generated into
:mod:`rnn_utils.taught.linear_rnn`; this module holds their argument check and loads them.
"""

from __future__ import annotations

import functools
import math
import numbers
from typing import Any

import numpy as np

from rnn_utils import _checks
from rnn_utils.taught import linear_rnn as taught


def check_recurrence_arguments(a: Any, b: Any) -> None:
    """Raise ValueError unless ``a`` and ``b`` are ``(batch, time, units)`` of one shape.

    Works on static shapes, so it also runs while Keras traces a graph (unknown sizes,
    ``None``, are not compared).
    """
    shapes = {}
    for name, value in (("a", a), ("b", b)):
        if isinstance(value, (np.ndarray, list, tuple)):  # NumPy: numbers, all finite
            value = _checks.array(name, value, np.ndim(value))  # shape: below
        elif "float" not in str(getattr(value, "dtype", "")):  # a tensor, maybe traced
            raise ValueError(
                f"{name} must be a float array or tensor, got {type(value).__name__}"
                f" of dtype {getattr(value, 'dtype', None)}"
            )
        shapes[name] = tuple(getattr(value, "shape", ()))
        if len(shapes[name]) != 3:
            raise ValueError(
                f"{name} must have shape (batch, time, units), got {type(value).__name__}"
                f" of shape {shapes[name]}"
            )
    if any(
        size_a is not None and size_b is not None and size_a != size_b
        for size_a, size_b in zip(shapes["a"], shapes["b"], strict=True)
    ):
        raise ValueError(
            f"a and b must have the same shape, got {shapes['a']} and {shapes['b']}"
        )
    if shapes["b"][1] == 0:
        raise ValueError("a and b must have at least one time step, got 0")


# Chapter 12's recurrences, generated from its cells into rnn_utils.taught (edit the cells,
# then `make taught`); the two that take (a, b) check them first.


@functools.wraps(taught.combine)
def combine(earlier: Any, later: Any) -> Any:
    for name, pair in (("earlier", earlier), ("later", later)):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"{name} must be a pair (a, b), got {type(pair).__name__}")
        for part, value in zip("ab", pair, strict=True):
            if isinstance(value, (np.ndarray, list, tuple, float, int)):
                _checks.array(f"{name}'s {part}", value, np.ndim(value))
    return taught.combine(earlier, later)


class MinGRU(taught.MinGRU):
    __doc__ = taught.MinGRU.__doc__

    def __init__(
        self,
        units: int,
        *,
        gate_bias: float = -3.0,
        return_sequences: bool = True,
        **kwargs: Any,
    ) -> None:
        units = _checks.positive_int("units", units)
        if isinstance(gate_bias, bool) or not isinstance(gate_bias, numbers.Real):
            raise ValueError(f"gate_bias must be a real number, got {gate_bias!r}")
        if not math.isfinite(gate_bias):
            raise ValueError(f"gate_bias must be finite, got {gate_bias!r}")
        super().__init__(
            units,
            gate_bias=float(gate_bias),
            return_sequences=_checks.boolean("return_sequences", return_sequences),
            **kwargs,
        )


@functools.wraps(taught.linear_recurrence_loop)
def linear_recurrence_loop(a: Any, b: Any) -> Any:
    check_recurrence_arguments(a, b)
    return taught.linear_recurrence_loop(a, b)


@functools.wraps(taught.linear_recurrence_scan)
def linear_recurrence_scan(a: Any, b: Any) -> Any:
    check_recurrence_arguments(a, b)
    return taught.linear_recurrence_scan(a, b)
