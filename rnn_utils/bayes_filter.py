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
        noise_std: a finite number > 0.
    """
    values = _checks.array("observations", observations, 3, dtype=np.float64)
    _checks.shape_matches("observations", values, (None, None, 1))
    if values.shape[1] == 0:
        raise ValueError(
            f"observations must have at least one step, got shape {values.shape}"
        )
    _checks.probability("switch_probability", switch_probability)
    _checks.positive_float("noise_std", noise_std)


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
    x = np.asarray(observations, dtype=np.float64)[..., 0]
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
    return taught.two_state_posterior(
        observations, switch_probability=switch_probability, noise_std=noise_std
    )
