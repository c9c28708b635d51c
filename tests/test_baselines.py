"""Tests of the reference accuracies in :mod:`rnn_utils.baselines`."""

import itertools

import numpy as np
import pytest

from rnn_utils import baselines, data

# ----------------------------------------------------------------------- majority


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ([0, 0, 1], 2 / 3),
        ([1, 1, 1, 1], 1.0),
        ([2, 0, 1, 2, 2, 1], 0.5),
        ([5], 1.0),
        ([0, 1], 0.5),
        (np.array([3, 3, 7, 7, 7]), 0.6),
    ],
)
def test_majority_accuracy_by_hand(labels, expected):
    result = baselines.majority_accuracy(labels)
    assert isinstance(result, float)
    assert result == pytest.approx(expected)


def test_majority_accuracy_on_generated_labels():
    labels = data.event_timelines(4000, 6, seed=0).labels
    assert baselines.majority_accuracy(labels) == pytest.approx(
        max(labels.mean(), 1 - labels.mean())
    )


@pytest.mark.parametrize("labels", [np.zeros((3, 2)), 1, [[0, 1]]])
def test_majority_accuracy_rejects_wrong_rank(labels):
    with pytest.raises(ValueError, match="labels must be an array of rank 1"):
        baselines.majority_accuracy(labels)


def test_majority_accuracy_rejects_empty_labels():
    with pytest.raises(ValueError, match="labels must not be empty"):
        baselines.majority_accuracy(np.array([], dtype=np.int64))


# ------------------------------------------------------------------ context oracle


def _next_char_task(text, window):
    codes = data.encode_characters(text)
    return data.next_step_windows(codes.ids, window)


def test_context_oracle_deterministic_sequence_is_perfect():
    inputs = np.array([[0, 1, 2, 0, 1, 2], [1, 2, 0, 1, 2, 0]])
    targets = (inputs + 1) % 3
    assert baselines.context_oracle_accuracy(inputs, targets, 1) == 1.0


def test_context_oracle_ambiguous_sequence_gives_exact_fraction():
    # Inputs a b a c, targets b a c a: after "a" comes "b" once and "c" once, so one of
    # the two "a" steps is wrong; "b" and "c" are always followed by "a".
    inputs = np.array([[0, 1, 0, 2]])
    targets = np.array([[1, 0, 2, 0]])
    assert baselines.context_oracle_accuracy(inputs, targets, 1) == pytest.approx(3 / 4)
    # Two inputs of context resolve it: (a, b) -> a, (b, a) -> c, (a, c) -> a.
    assert baselines.context_oracle_accuracy(inputs, targets, 2) == 1.0


def test_context_oracle_counts_across_sequences():
    # View 0 is followed by 1 three times and by 2 once; view 1 by 0 twice, by 2 twice.
    inputs = np.array([[0, 1, 0, 1], [0, 1, 0, 1]])
    targets = np.array([[1, 0, 1, 2], [1, 2, 2, 0]])
    # Best answers: view 0 -> 1 (3 of 4 right), view 1 -> a tie (2 of 4 right).
    assert baselines.context_oracle_accuracy(inputs, targets, 1) == pytest.approx(5 / 8)


def test_context_oracle_words_need_memory():
    # In "abc xbd " the letter after "b" depends on the letter before it. One character of
    # context leaves two coin flips per word (first letter, letter after "b"); two
    # characters leave only the first letter, which nothing can predict.
    text = data.character_corpus(["abc", "xbd"], 600, seed=0)
    inputs, targets = _next_char_task(text, 16)
    one = baselines.context_oracle_accuracy(inputs, targets, 1, from_step=1)
    two = baselines.context_oracle_accuracy(inputs, targets, 2, from_step=1)
    assert one == pytest.approx(1 - 2 * 0.5 / 4, abs=0.03)
    assert two == pytest.approx(1 - 1 * 0.5 / 4, abs=0.03)


def test_context_oracle_explicit_from_step_scores_only_later_steps():
    # Step 0 is unpredictable (targets differ for the same view), later steps are fixed.
    inputs = np.array([[0, 1, 1], [0, 1, 1]])
    targets = np.array([[5, 7, 7], [6, 7, 7]])
    assert baselines.context_oracle_accuracy(inputs, targets, 1) == pytest.approx(5 / 6)
    assert baselines.context_oracle_accuracy(inputs, targets, 1, from_step=1) == 1.0
    assert baselines.context_oracle_accuracy(inputs, targets, 1, from_step=2) == 1.0


def test_context_oracle_accuracy_equals_one_when_target_is_a_function_of_the_context(rng):
    inputs = rng.integers(0, 3, (50, 10))
    targets = np.zeros_like(inputs)
    targets[:, 1:] = (inputs[:, 1:] * 3 + inputs[:, :-1]) % 4
    assert baselines.context_oracle_accuracy(inputs, targets, 2) == 1.0
    assert baselines.context_oracle_accuracy(inputs, targets, 1, from_step=1) < 1.0


def test_context_oracle_more_context_never_hurts(rng):
    inputs = rng.integers(0, 3, (40, 12))
    # Targets depend on the last four inputs, plus some noise.
    targets = (inputs + np.roll(inputs, 3, axis=1) + (rng.random(inputs.shape) < 0.1)) % 3
    accuracies = [
        baselines.context_oracle_accuracy(inputs, targets, context, from_step=5)
        for context in range(1, 7)
    ]
    assert all(0.0 <= a <= 1.0 for a in accuracies)
    assert all(b >= a for a, b in itertools.pairwise(accuracies))
    assert accuracies[-1] > accuracies[0]


def test_context_oracle_is_at_least_the_majority_of_each_step(rng):
    inputs = rng.integers(0, 4, (30, 5))
    targets = rng.integers(0, 2, (30, 5))
    accuracy = baselines.context_oracle_accuracy(inputs, targets, 1)
    assert accuracy >= baselines.majority_accuracy(targets.ravel())


@pytest.mark.parametrize(
    ("inputs", "targets", "name"),
    [
        (np.zeros(4, int), np.zeros(4, int), "inputs"),
        (np.zeros((2, 4), int), np.zeros((2, 4, 1), int), "targets"),
        (np.zeros((2, 4), int), np.zeros((2, 5), int), "inputs and targets must have the same"),
        (np.zeros((2, 4), int), np.zeros((3, 4), int), "inputs and targets must have the same"),
    ],
)
def test_context_oracle_rejects_bad_arrays(inputs, targets, name):
    with pytest.raises(ValueError, match=name):
        baselines.context_oracle_accuracy(inputs, targets, 1)


@pytest.mark.parametrize("context", [0, -1, 1.0, None])
def test_context_oracle_rejects_bad_context(context):
    with pytest.raises(ValueError, match="context"):
        baselines.context_oracle_accuracy(np.zeros((2, 4), int), np.zeros((2, 4), int), context)


@pytest.mark.parametrize(("context", "from_step"), [(1, -1), (1, 1.5), (3, 1), (1, 4), (2, 10)])
def test_context_oracle_rejects_bad_from_step(context, from_step):
    with pytest.raises(ValueError, match="from_step"):
        baselines.context_oracle_accuracy(
            np.zeros((2, 4), int), np.zeros((2, 4), int), context, from_step=from_step
        )


def test_context_oracle_rejects_context_longer_than_the_sequences():
    with pytest.raises(ValueError, match="context must be at most"):
        baselines.context_oracle_accuracy(np.zeros((2, 3), int), np.zeros((2, 3), int), 4)
