"""Reference numbers a model must beat: majority class and best look-up-table predictors."""

from __future__ import annotations

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
    inputs: np.ndarray, targets: np.ndarray, context: int, *, from_step: int | None = None
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
    start = context - 1 if from_step is None else _checks.non_negative_int("from_step", from_step)
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
