"""The exact Bayes filter and smoother of chapter 3's switching signal.

They are the best causal and the best bidirectional tagger: the bounds a recurrent tagger
is measured against in chapters 3 and 8.
"""

from __future__ import annotations

import functools

import numpy as np

from rnn_utils import _checks
from rnn_utils.taught import bayes_filter as taught


def check_switching_signal(
    observations: np.ndarray, switch_probability: float, noise_std: float
) -> None:
    """Raise ValueError unless the arguments describe a switching signal's observations.

    Args:
        observations: ``(batch, time, 1)`` finite numbers, ``time >= 1``.
        switch_probability: a probability in [0, 1].
        noise_std: a number in :data:`NOISE_RANGE`.
    """
    values = _checks.array("observations", observations, 3, dtype=np.float64)
    _checks.shape_matches("observations", values, (None, None, 1))
    if values.shape[1] == 0:
        raise ValueError(
            f"observations must have at least one step, got shape {values.shape}"
        )
    _checks.probability("switch_probability", switch_probability)
    noise_std = _checks.positive_float("noise_std", noise_std)
    if not NOISE_RANGE[0] <= noise_std <= NOISE_RANGE[1]:
        raise ValueError(f"noise_std must lie in {NOISE_RANGE}, got {noise_std!r}")


NOISE_RANGE = (1e-3, 1e3)
"""Noise levels the filter is computed for: a thousandth to a thousand times the distance
from the levels -1 and +1 to their midpoint."""

LARGEST_OBSERVATION = 1e9
"""Observations are clipped to +-this. Beyond it the likelihood ratio of the two levels is
already 0 or infinite in float64 for every noise in :data:`NOISE_RANGE` (exp(-2 |x| /
sigma^2) underflows), while the squares (x -+ 1)^2 the filter compares still differ
accurately; at 1e16 they would round to the same number."""


def _clipped(observations: np.ndarray) -> np.ndarray:
    values = np.asarray(observations, dtype=np.float64)
    return np.clip(values, -LARGEST_OBSERVATION, LARGEST_OBSERVATION)


def _without_switching_noise(
    x: np.ndarray, switch_probability: float, noise_std: float, *, smooth: bool
) -> np.ndarray:
    """P(on) where the state never switches (p = 0) or always does (p = 1), in closed form.

    Then the state at every step is fixed by the first one, so each observation adds its
    log-likelihood ratio ``2 x_t / sigma^2`` (with the sign of the step's parity when
    p = 1) to one running sum: no belief is normalised, so none can underflow to 0/0, as the
    step-by-step recursion does after overwhelming evidence. ``x``: ``(batch, time)``.
    """
    signs = (-1.0) ** np.arange(x.shape[1]) if switch_probability == 1 else 1.0
    evidence = signs * 2.0 * x / noise_std**2  # for "the first state was on"
    if smooth:
        log_odds = evidence.sum(axis=1, keepdims=True) * signs
    else:
        log_odds = np.cumsum(evidence, axis=1) * signs
    return 0.5 * (1.0 + np.tanh(0.5 * log_odds)) * np.ones_like(x)


def two_state_smoother(
    observations: np.ndarray, *, switch_probability: float, noise_std: float
) -> np.ndarray:
    """P(state on | x_1..x_T) for the switching signal: the forward–backward algorithm.

    The filter :func:`two_state_posterior` sees the past and present only; the smoother also
    sees the steps after ``t``, so thresholded at 1/2 it is the best possible tagger that
    reads the whole sequence (a bidirectional one), and the filter the best causal one.

    Args:
        observations: ``(batch, time, 1)``, the level -1 (off) or +1 (on) plus noise.
        switch_probability: chance ``p`` that the state flips between two steps.
        noise_std: standard deviation ``sigma`` of the Gaussian noise.

    Returns:
        ``(batch, time)`` float64, the probability that the state is on at each step.
    """
    on = two_state_posterior(  # also checks the arguments
        observations, switch_probability=switch_probability, noise_std=noise_std
    )
    x = _clipped(observations)[..., 0]
    if switch_probability in (0, 1):
        return _without_switching_noise(x, switch_probability, noise_std, smooth=True)
    p = switch_probability
    transition = np.array([[1 - p, p], [p, 1 - p]])
    squared = (x[..., None] - np.array([-1.0, 1.0])) ** 2  # (batch, time, 2)
    likelihood = np.exp((squared.min(-1)[..., None] - squared) / (2 * noise_std**2))
    forward = np.stack([1.0 - on, on], axis=-1)  # (batch, time, 2), filtered
    backward = np.ones((len(x), 2))  # P(x_{t+1}..x_T | state_t), up to a factor
    smoothed = np.empty(on.shape)
    for t in range(x.shape[1] - 1, -1, -1):
        joint = forward[:, t] * backward
        smoothed[:, t] = joint[:, 1] / joint.sum(axis=1)
        backward = (likelihood[:, t] * backward) @ transition.T
        backward /= backward.sum(axis=1, keepdims=True)
    return smoothed


# Chapter 3's Bayes filter, generated from its cell into rnn_utils.taught (edit the cell,
# then `make taught`), here with its arguments checked first.


@functools.wraps(taught.two_state_posterior)
def two_state_posterior(
    observations: np.ndarray, *, switch_probability: float, noise_std: float
) -> np.ndarray:
    check_switching_signal(observations, switch_probability, noise_std)
    x = _clipped(observations)
    if switch_probability in (0, 1):  # the recursion's beliefs could reach 0/0
        return _without_switching_noise(
            x[..., 0], switch_probability, noise_std, smooth=False
        )
    return taught.two_state_posterior(
        x, switch_probability=switch_probability, noise_std=noise_std
    )
