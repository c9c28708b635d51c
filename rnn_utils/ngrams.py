"""Count-based baselines for character-level language models: add-α and Kneser–Ney n-grams."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from rnn_utils import _checks


def _codes(
    name: str, ids: object, vocabulary_size: int, ndim: int | None = None
) -> np.ndarray:
    result = np.asarray(ids)
    if ndim is not None and result.ndim != ndim:
        raise ValueError(
            f"{name} must be an array of rank {ndim}, got shape {result.shape}"
        )
    if result.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.issubdtype(result.dtype, np.integer):
        raise ValueError(f"{name} must be integer codes, got dtype {result.dtype}")
    if result.min() < 0 or result.max() >= vocabulary_size:
        raise ValueError(
            f"{name} must lie in [0, {vocabulary_size}), got values {result.min()}..{result.max()}"
        )
    return result.astype(np.int64)


def ngram_bits_per_char(
    train_ids: np.ndarray,
    inputs: np.ndarray,
    targets: np.ndarray,
    vocabulary_size: int,
    *,
    order: int,
    alpha: float = 1.0,
) -> float:
    """Cross-entropy, in bits per character, of a smoothed unigram or bigram model.

    The probabilities are counted exactly on ``train_ids`` with add-α (Laplace for α = 1)
    smoothing, so a character never seen in training still gets a probability > 0:

    - order 1: ``P(c) = (n(c) + α) / (N + α V)``;
    - order 2: ``P(c | b) = (n(b, c) + α) / (n(b, ·) + α V)``, ``b`` the previous character.

    The model is scored on every target, given the input at the same position (the previous
    character), which is how a next-character network is scored on the same windows.

    Args:
        train_ids: ``(length,)`` codes of the training text.
        inputs: codes of the previous characters, any shape (e.g. ``(windows, time)``).
        targets: codes to predict, the shape of ``inputs``.
        vocabulary_size: number of codes ``V``.
        order: 1 (unigram, ignores ``inputs``) or 2 (bigram).
        alpha: pseudo-count added to every count, > 0.

    Returns:
        The mean of ``-log2 P(target | input)``.
    """
    vocabulary_size = _checks.positive_int("vocabulary_size", vocabulary_size)
    train_ids = _codes("train_ids", train_ids, vocabulary_size, ndim=1)
    inputs = _codes("inputs", inputs, vocabulary_size)
    targets = _codes("targets", targets, vocabulary_size)
    if inputs.shape != targets.shape:
        raise ValueError(
            f"inputs and targets must have the same shape, got {inputs.shape} and {targets.shape}"
        )
    if isinstance(order, bool) or order not in (1, 2):
        raise ValueError(f"order must be 1 (unigram) or 2 (bigram), got {order!r}")
    alpha = _checks.positive_float("alpha", alpha)
    if order == 1:
        counts = np.bincount(train_ids, minlength=vocabulary_size) + alpha
        probability = counts[targets] / counts.sum()
    else:
        if len(train_ids) < 2:
            raise ValueError(
                "train_ids must hold at least two characters for a bigram model"
            )
        pairs = np.zeros((vocabulary_size, vocabulary_size))
        np.add.at(pairs, (train_ids[:-1], train_ids[1:]), 1.0)
        pairs += alpha
        probability = pairs[inputs, targets] / pairs.sum(axis=1)[inputs]
    return float(-np.mean(np.log2(probability)))


@dataclasses.dataclass(frozen=True)
class _KneserNeyLevel:
    """The counts of one n-gram length ``k``, as sorted integer keys (base-``V`` numbers).

    ``keys[i]`` encodes a k-gram and ``counts[i]`` its count (raw for the top level,
    continuation counts below it); ``contexts[j]`` encodes a (k-1)-gram that starts at least
    one of them, ``totals[j]`` the sum of their counts and ``types[j]`` how many there are.
    """

    keys: np.ndarray
    counts: np.ndarray
    contexts: np.ndarray
    totals: np.ndarray
    types: np.ndarray


def _lookup(
    sorted_keys: np.ndarray, values: np.ndarray, queries: np.ndarray
) -> np.ndarray:
    """``values`` at the positions of ``queries`` in ``sorted_keys``, 0 where absent."""
    if sorted_keys.size == 0:
        return np.zeros(queries.shape, dtype=values.dtype)
    index = np.minimum(np.searchsorted(sorted_keys, queries), sorted_keys.size - 1)
    return np.where(sorted_keys[index] == queries, values[index], 0)


class KneserNeyModel:
    """Interpolated Kneser–Ney character n-gram model, counted exactly on a training text.

    The probability of a character ``c`` after a context ``h`` of ``k - 1`` characters is
    built up from the empty context (Kneser & Ney 1995; Chen & Goodman 1999, interpolated
    form, one absolute discount ``D``)::

        P_k(c | h) = max(n_k(h c) - D, 0) / n_k(h ·)  +  D N_k(h ·) / n_k(h ·) · P_{k-1}(c | h')

    where ``h'`` is ``h`` without its first character, ``n_k(h ·)`` the sum of the counts
    of the k-grams that start with ``h`` and ``N_k(h ·)`` how many distinct ones there are.
    At the highest order ``n_k`` is the raw count; at every lower order it is the
    *continuation count*, the number of distinct characters seen before the k-gram, which
    rates a character by how many contexts it follows rather than how often it occurs. A
    context never seen in training passes its whole weight to the next lower order, and the
    recursion starts from the uniform distribution ``P_0(c) = 1 / V``, so every code of the
    vocabulary, seen in training or not, gets a probability > 0 and every distribution
    sums to 1.

    Args:
        train_ids: ``(length,)`` codes of the training text, at least ``order`` of them.
        vocabulary_size: number of codes ``V``; every code lies in ``[0, V)``.
        order: n-gram length ``n`` >= 1 (5: the next character from the four before it).
            ``V ** order`` must be below ``2 ** 62`` (the n-grams are stored as integers).
        discount: the absolute discount ``D``, in (0, 1].
    """

    def __init__(
        self,
        train_ids: np.ndarray,
        vocabulary_size: int,
        *,
        order: int = 5,
        discount: float = 0.75,
    ) -> None:
        self.vocabulary_size = _checks.positive_int("vocabulary_size", vocabulary_size)
        self.order = _checks.positive_int("order", order)
        if self.vocabulary_size**self.order >= 2**62:
            raise ValueError(
                f"order must keep vocabulary_size ** order below 2 ** 62, got order {order} "
                f"with vocabulary_size {vocabulary_size}"
            )
        self.discount = _checks.positive_float("discount", discount)
        if self.discount > 1:
            raise ValueError(f"discount must lie in (0, 1], got {discount!r}")
        train_ids = _codes("train_ids", train_ids, self.vocabulary_size, ndim=1)
        if train_ids.size < self.order:
            raise ValueError(
                f"train_ids must hold at least order = {self.order} codes, got {train_ids.size}"
            )
        v = self.vocabulary_size
        # keys[k]: the distinct k-grams of the training text (k = 1 .. order), and the
        # raw count of each.
        distinct, raw = {}, {}
        for k in range(1, self.order + 1):
            windows = np.lib.stride_tricks.sliding_window_view(train_ids, k)
            keys = windows @ (v ** np.arange(k - 1, -1, -1, dtype=np.int64))
            distinct[k], raw[k] = np.unique(keys, return_counts=True)
        levels = []
        for k in range(1, self.order + 1):
            if k == self.order:
                keys, counts = distinct[k], raw[k]
            else:  # continuation count: distinct characters before each k-gram
                keys, counts = np.unique(distinct[k + 1] % v**k, return_counts=True)
            contexts, position = np.unique(keys // v, return_inverse=True)
            totals = np.bincount(position, weights=counts).astype(np.int64)
            types = np.bincount(position).astype(np.int64)
            levels.append(
                _KneserNeyLevel(keys, counts.astype(np.int64), contexts, totals, types)
            )
        self._levels = tuple(levels)

    def probabilities(self, contexts: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """``P(targets[i] | contexts[i])`` for every row ``i``.

        Args:
            contexts: ``(rows, m)`` codes, the ``m`` characters before each target, oldest
                first, with ``0 <= m``. Only the last ``order - 1`` are used; with fewer,
                the recursion stops at order ``m + 1``.
            targets: ``(rows,)`` codes.

        Returns:
            ``(rows,)`` float64 probabilities, all > 0.
        """
        contexts = _checks.array("contexts", contexts, 2)
        targets = _checks.array("targets", targets, 1)
        if len(contexts) != len(targets):
            raise ValueError(
                f"contexts must have one row per target ({len(targets)}), got {len(contexts)}"
            )
        if targets.size == 0:
            raise ValueError("targets must not be empty")
        targets = _codes("targets", targets, self.vocabulary_size)
        if contexts.shape[1]:
            contexts = _codes("contexts", contexts, self.vocabulary_size)
        contexts = contexts[:, max(0, contexts.shape[1] - self.order + 1) :].astype(
            np.int64
        )
        v = self.vocabulary_size
        probability = np.full(len(targets), 1.0 / v)
        for k in range(1, contexts.shape[1] + 2):
            level = self._levels[k - 1]
            history = contexts[:, contexts.shape[1] - k + 1 :]
            context_key = history @ (v ** np.arange(k - 2, -1, -1, dtype=np.int64))
            count = _lookup(level.keys, level.counts, context_key * v + targets)
            total = _lookup(level.contexts, level.totals, context_key)
            types = _lookup(level.contexts, level.types, context_key)
            seen = total > 0
            safe_total = np.where(seen, total, 1)
            interpolated = (
                np.maximum(count - self.discount, 0.0)
                + self.discount * types * probability
            ) / safe_total
            probability = np.where(seen, interpolated, probability)
        return probability

    def distribution(self, context: Sequence[int]) -> np.ndarray:
        """``P(c | context)`` for every code ``c``: ``(V,)`` float64, summing to 1.

        Args:
            context: the characters before the one to predict, oldest first (may be empty).
        """
        context = _checks.array("context", context, 1)
        if context.size and context.dtype.kind not in "iu":
            raise ValueError(
                f"context must hold integer codes, got dtype {context.dtype}"
            )
        context = context.astype(np.int64).reshape(1, -1)
        rows = np.repeat(context, self.vocabulary_size, axis=0)
        return self.probabilities(rows, np.arange(self.vocabulary_size))


def kneser_ney_bits_per_char(
    train_ids: np.ndarray,
    inputs: np.ndarray,
    targets: np.ndarray,
    vocabulary_size: int,
    *,
    order: int = 5,
    discount: float = 0.75,
) -> float:
    """Cross-entropy, in bits per character, of an interpolated Kneser–Ney n-gram model.

    The model (:class:`KneserNeyModel`) is counted on ``train_ids`` and scored on windows the
    way a next-character network reads them: ``targets[i, t]`` is predicted from the inputs
    of its own window up to and including ``inputs[i, t]``, at most the last ``order - 1``
    of them. The first ``order - 2`` steps of a window therefore have a shorter context, as
    a network whose state starts from zero at every window does.

    Args:
        train_ids: ``(length,)`` codes of the training text.
        inputs: ``(windows, time)`` codes; ``inputs[i, t]`` is the character before
            ``targets[i, t]``.
        targets: ``(windows, time)`` codes to predict.
        vocabulary_size: number of codes ``V``.
        order: n-gram length >= 1.
        discount: absolute discount in (0, 1].

    Returns:
        The mean of ``-log2 P(target | context)`` over all targets.
    """
    model = KneserNeyModel(train_ids, vocabulary_size, order=order, discount=discount)
    inputs = _codes("inputs", inputs, model.vocabulary_size, ndim=2)
    targets = _codes("targets", targets, model.vocabulary_size, ndim=2)
    if inputs.shape != targets.shape:
        raise ValueError(
            f"inputs and targets must have the same shape, got {inputs.shape} and {targets.shape}"
        )
    width = model.order - 1  # context characters of a full-length view
    log_probability = np.empty(targets.shape)
    if width == 0:
        empty = np.zeros((targets.size, 0), dtype=np.int64)
        return float(-np.mean(np.log2(model.probabilities(empty, targets.ravel()))))
    for t in range(min(width - 1, inputs.shape[1])):  # early steps: a shorter context
        log_probability[:, t] = np.log2(
            model.probabilities(inputs[:, : t + 1], targets[:, t])
        )
    if inputs.shape[1] >= width:
        views = np.lib.stride_tricks.sliding_window_view(inputs, width, axis=1)
        rest = targets[:, width - 1 :]
        log_probability[:, width - 1 :] = np.log2(
            model.probabilities(views.reshape(-1, width), rest.ravel())
        ).reshape(rest.shape)
    return float(-np.mean(log_probability))
