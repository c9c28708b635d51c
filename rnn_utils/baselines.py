"""Reference numbers a model must beat: the majority class, a context oracle, a threshold.

The exact Bayes filter of chapter 3's switching signal is :mod:`rnn_utils.bayes_filter`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict

import numpy as np

from rnn_utils import _checks


def majority_accuracy(labels: np.ndarray) -> float:
    """Accuracy of always predicting the most frequent label.

    Args:
        labels: ``(examples,)`` integer class labels.
    """
    labels = _checks.array("labels", labels, 1)
    if labels.size == 0:
        raise ValueError("labels must not be empty")
    return float(np.max(np.unique(labels, return_counts=True)[1]) / labels.size)


def context_oracle_accuracy(
    inputs: np.ndarray,
    targets: np.ndarray,
    context: int,
    *,
    from_step: int | None = None,
) -> float:
    """Best accuracy of *any* predictor that sees only the last ``context`` inputs.

    For each step ``t >= from_step`` of each sequence, the predictor's view is
    ``inputs[i, t - context + 1 : t + 1]``. The best such predictor answers, for every view,
    the target that follows it most often in this very data, so its accuracy here is an
    upper bound for every model limited to that view *when scored on the same data* (an MLP
    fed the current character only has ``context = 1``).

    The answers are chosen on the data they are scored on, so this is an optimistic,
    in-sample ceiling: it also profits from the chance imbalances of a finite sample, and
    the same look-up table would usually score a little less on new data. Read it as "no
    model with this view can do better on these sequences", not as the accuracy such a
    model can expect.

    Args:
        inputs: ``(sequences, time)`` integer codes.
        targets: ``(sequences, time)`` integer codes to predict at each step.
        context: number of most recent inputs the predictor sees, >= 1.
        from_step: first step scored; default ``context - 1`` (the first with a full view).
            Must be >= ``context - 1``.

    Returns:
        The accuracy, in [0, 1].
    """
    inputs = _checks.array("inputs", inputs, 2)
    targets = _checks.array("targets", targets, 2)
    if inputs.shape != targets.shape:
        raise ValueError(
            f"inputs and targets must have the same shape, got {inputs.shape} and {targets.shape}"
        )
    context = _checks.positive_int("context", context)
    if context > inputs.shape[1]:
        raise ValueError(
            f"context must be at most the number of steps ({inputs.shape[1]}), got {context}"
        )
    start = (
        context - 1
        if from_step is None
        else _checks.non_negative_int("from_step", from_step)
    )
    if start < context - 1 or start >= inputs.shape[1]:
        raise ValueError(
            f"from_step must lie in [{context - 1}, {inputs.shape[1] - 1}] for context "
            f"{context} and {inputs.shape[1]} steps, got {start}"
        )
    counts: dict[tuple[int, ...], Counter] = defaultdict(Counter)
    for row, target_row in zip(inputs, targets, strict=True):
        for t in range(start, inputs.shape[1]):
            counts[tuple(row[t - context + 1 : t + 1])][int(target_row[t])] += 1
    best = sum(max(counter.values()) for counter in counts.values())
    total = sum(sum(counter.values()) for counter in counts.values())
    return best / total


# ------------------------------------------------------------ the best single threshold


@dataclasses.dataclass(frozen=True)
class ThresholdRule:
    """Predict 1 when a value is above ``threshold`` (or below it, if ``above`` is False).

    Attributes:
        threshold: the cut.
        above: whether values above the cut are predicted as 1.
        accuracy: accuracy of the rule on the data it was fitted to.
    """

    threshold: float
    above: bool
    accuracy: float

    def predict(self, values: np.ndarray) -> np.ndarray:
        """Labels (int64, 0 or 1) for ``values`` of any shape."""
        values = _checks.array("values", values, np.ndim(values), dtype=np.float64)
        hit = values > self.threshold if self.above else values < self.threshold
        return hit.astype(np.int64)


def best_threshold(values: np.ndarray, labels: np.ndarray) -> ThresholdRule:
    """The single threshold on ``values`` that classifies ``labels`` best.

    Every cut between two consecutive distinct sorted values is tried, in both directions,
    so the returned rule is the best one-number classifier on this data.

    Args:
        values: real values of any shape.
        labels: 0/1 labels of the same shape.

    Returns:
        :class:`ThresholdRule` whose ``accuracy`` is its accuracy on ``values``.
    """
    values = _checks.array("values", values, np.ndim(values), dtype=np.float64)
    labels = _checks.array("labels", labels, np.ndim(labels))
    if values.shape != labels.shape:
        raise ValueError(
            f"values and labels must have the same shape, got {values.shape} and {labels.shape}"
        )
    if values.size == 0:
        raise ValueError("values must not be empty")
    if not np.all(np.isfinite(values)):
        raise ValueError("values must contain only finite numbers")
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError("labels must contain only 0 and 1")
    order = np.argsort(values.ravel(), kind="stable")
    sorted_values = values.ravel()[order]
    sorted_labels = labels.ravel()[order].astype(np.int64)
    n = sorted_values.size
    # Cut after position k (k = 0..n): the first k values go to one side.
    ones_below = np.concatenate([[0], np.cumsum(sorted_labels)])
    zeros_below = np.arange(n + 1) - ones_below
    ones_total = ones_below[-1]
    correct_above = zeros_below + (ones_total - ones_below)  # predict 1 above the cut
    correct_below = ones_below + (n - np.arange(n + 1) - (ones_total - ones_below))
    # Only cuts between distinct values (and the two ends) are realisable.
    valid = np.ones(n + 1, bool)
    valid[1:n] = sorted_values[1:] > sorted_values[:-1]
    scores = np.where(valid, np.maximum(correct_above, correct_below), -1)
    k = int(np.argmax(scores))
    if k == 0:
        cut = sorted_values[0] - 1.0
    elif k == n:
        cut = sorted_values[-1] + 1.0
    else:
        cut = 0.5 * (sorted_values[k - 1] + sorted_values[k])
    above = bool(correct_above[k] >= correct_below[k])
    return ThresholdRule(float(cut), above, float(scores[k] / n))
