"""Tests of :mod:`rnn_utils.ngrams`: the add-α and Kneser–Ney n-gram baselines."""

from collections import Counter

import numpy as np
import pytest

from rnn_utils import ngrams


def test_unigram_bits_match_a_hand_count():
    train = np.array([0, 0, 0, 1])  # add-one counts 4, 2, 1 out of 7
    targets = np.array([0, 1, 2])
    bits = ngrams.ngram_bits_per_char(train, targets, targets, 3, order=1)
    expected = -np.mean(np.log2([4 / 7, 2 / 7, 1 / 7]))
    assert bits == pytest.approx(expected)


def test_bigram_bits_match_a_hand_count():
    train = np.array([0, 1, 0, 1, 0])  # pairs 0->1 twice, 1->0 twice
    bits = ngrams.ngram_bits_per_char(
        train, np.array([0, 1]), np.array([1, 1]), 2, order=2
    )
    expected = -np.mean(np.log2([3 / 4, 1 / 4]))
    assert bits == pytest.approx(expected)


def test_bigram_beats_unigram_on_predictable_text():
    train = np.tile([0, 1, 2, 3], 100)
    inputs, targets = np.tile([0, 1, 2, 3], 10), np.tile([1, 2, 3, 0], 10)
    uni = ngrams.ngram_bits_per_char(train, inputs, targets, 4, order=1)
    bi = ngrams.ngram_bits_per_char(train, inputs, targets, 4, order=2)
    assert uni == pytest.approx(2.0, abs=0.01)
    assert bi < 0.1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"order": 3}, "order"),
        ({"alpha": 0.0}, "alpha"),
        ({"targets": np.array([0, 5])}, "targets"),
        ({"targets": np.array([0])}, "inputs and targets"),
        ({"train_ids": np.array([0.5, 1.0])}, "train_ids"),
    ],
)
def test_ngram_bits_rejects_bad_input(kwargs, match):
    args = {
        "train_ids": np.array([0, 1, 2]),
        "inputs": np.array([0, 1]),
        "targets": np.array([1, 2]),
        "vocabulary_size": 3,
        "order": 2,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        ngrams.ngram_bits_per_char(**args)


def _brute_force_kneser_ney(train, vocabulary_size, order, discount, context, target):
    """Interpolated Kneser-Ney by direct counting over tuples, for tiny texts."""

    def level_counts(k):
        grams = [tuple(train[i : i + k]) for i in range(len(train) - k + 1)]
        if k == order:
            return Counter(grams)
        before = {}
        for i in range(1, len(train) - k + 1):
            before.setdefault(tuple(train[i : i + k]), set()).add(train[i - 1])
        return {gram: len(chars) for gram, chars in before.items()}

    context = list(context)[max(0, len(context) - order + 1) :] if order > 1 else []
    probability = 1.0 / vocabulary_size
    for k in range(1, len(context) + 2):
        history = tuple(context[len(context) - k + 1 :]) if k > 1 else ()
        counts = level_counts(k)
        following = {g: c for g, c in counts.items() if g[:-1] == history}
        total = sum(following.values())
        if total:
            count = following.get((*history, target), 0)
            probability = (
                max(count - discount, 0) + discount * len(following) * probability
            ) / total
    return probability


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_matches_a_brute_force_count(order):
    train = np.random.default_rng(order).integers(0, 4, 60).tolist()
    model = ngrams.KneserNeyModel(np.array(train), 5, order=order, discount=0.7)
    for context in ([], [1], [2, 3], [0, 1, 2], [4, 4, 4], [3, 1, 0, 2, 2]):
        expected = [
            _brute_force_kneser_ney(train, 5, order, 0.7, context, c) for c in range(5)
        ]
        assert model.distribution(context) == pytest.approx(expected, rel=1e-12)


def test_kneser_ney_distributions_sum_to_one_over_the_vocabulary():
    train = np.array([0, 1, 2, 0, 1, 3, 0, 1, 2, 2, 1, 0])
    model = ngrams.KneserNeyModel(train, 6, order=3)  # codes 4 and 5 never occur
    for context in ([], [0], [0, 1], [1, 0, 1], [5, 5], [4]):
        distribution = model.distribution(context)
        assert distribution.shape == (6,)
        assert distribution.sum() == pytest.approx(1.0, abs=1e-12)
        assert np.all(distribution > 0)  # unseen codes too


def test_kneser_ney_beats_the_bigram_on_a_repetitive_text():
    period = [
        0,
        1,
        2,
        1,
        3,
        1,
        2,
        0,
        3,
        2,
    ]  # after "1" three different characters follow
    train = np.tile(period, 50)
    windows = np.tile(period, 11)[:101]
    inputs, targets = windows[None, :-1], windows[None, 1:]
    bigram = ngrams.ngram_bits_per_char(train, inputs, targets, 4, order=2)
    kneser_ney = ngrams.kneser_ney_bits_per_char(train, inputs, targets, 4, order=5)
    assert bigram > 0.5
    assert kneser_ney < 0.2 < bigram - 0.3


def test_kneser_ney_bits_are_the_mean_surprise_within_each_window():
    train = np.random.default_rng(0).integers(0, 5, 300)
    inputs = np.array([[1, 2, 3, 4, 0], [0, 0, 1, 1, 2]])
    targets = np.array([[2, 3, 4, 0, 1], [0, 1, 1, 2, 2]])
    model = ngrams.KneserNeyModel(train, 5, order=3)
    surprise = [
        -np.log2(
            model.probabilities(
                inputs[i : i + 1, max(0, t - 1) : t + 1], targets[i, t : t + 1]
            )
        )
        for i in range(2)
        for t in range(5)
    ]
    bits = ngrams.kneser_ney_bits_per_char(train, inputs, targets, 5, order=3)
    assert bits == pytest.approx(float(np.mean(surprise)))
    # Order 1 ignores the context: the same number whatever the inputs.
    unigram = ngrams.kneser_ney_bits_per_char(train, inputs, targets, 5, order=1)
    assert unigram == pytest.approx(
        ngrams.kneser_ney_bits_per_char(
            train, np.zeros_like(inputs), targets, 5, order=1
        )
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"order": 0}, "order"),
        ({"order": 40}, "order"),
        ({"discount": 0.0}, "discount"),
        ({"discount": 1.5}, "discount"),
        ({"vocabulary_size": 0}, "vocabulary_size"),
        ({"train_ids": np.array([0, 1])}, "train_ids"),
        ({"train_ids": np.array([0, 1, 7, 1])}, "train_ids"),
        ({"targets": np.array([[1, 9]])}, "targets"),
        ({"targets": np.array([[1]])}, "inputs and targets"),
        ({"inputs": np.array([0, 1])}, "inputs"),
    ],
)
def test_kneser_ney_rejects_bad_input(kwargs, match):
    args = {
        "train_ids": np.array([0, 1, 2, 0, 1, 2]),
        "inputs": np.array([[0, 1]]),
        "targets": np.array([[1, 2]]),
        "vocabulary_size": 3,
        "order": 3,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        ngrams.kneser_ney_bits_per_char(**args)


def test_kneser_ney_probabilities_reject_mismatched_rows():
    model = ngrams.KneserNeyModel(np.array([0, 1, 2, 0, 1]), 3, order=2)
    with pytest.raises(ValueError, match="contexts"):
        model.probabilities(np.zeros((2, 1), dtype=int), np.array([0]))
    with pytest.raises(ValueError, match="targets"):
        model.probabilities(np.zeros((1, 1), dtype=int), np.array([3]))
