"""Tests of the reference numbers in :mod:`rnn_utils.baselines`."""

import itertools

import numpy as np
import pytest

from rnn_utils import (
    baselines,
    bayes_filter,
    patients,
    preprocessing,
    shape_tasks,
    text,
)

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
    labels = patients.event_timelines(4000, 6, seed=0).labels
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
    codes = preprocessing.encode_characters(text)
    return preprocessing.next_step_windows(codes.ids, window)


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
    corpus = text.character_corpus(["abc", "xbd"], 600, seed=0)
    inputs, targets = _next_char_task(corpus, 16)
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


def test_context_oracle_accuracy_equals_one_when_target_is_a_function_of_the_context(
    rng,
):
    inputs = rng.integers(0, 3, (50, 10))
    targets = np.zeros_like(inputs)
    targets[:, 1:] = (inputs[:, 1:] * 3 + inputs[:, :-1]) % 4
    assert baselines.context_oracle_accuracy(inputs, targets, 2) == 1.0
    assert baselines.context_oracle_accuracy(inputs, targets, 1, from_step=1) < 1.0


def test_context_oracle_more_context_never_hurts(rng):
    inputs = rng.integers(0, 3, (40, 12))
    # Targets depend on the last four inputs, plus some noise.
    targets = (
        inputs + np.roll(inputs, 3, axis=1) + (rng.random(inputs.shape) < 0.1)
    ) % 3
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
        (
            np.zeros((2, 4), int),
            np.zeros((2, 5), int),
            "inputs and targets must have the same",
        ),
        (
            np.zeros((2, 4), int),
            np.zeros((3, 4), int),
            "inputs and targets must have the same",
        ),
    ],
)
def test_context_oracle_rejects_bad_arrays(inputs, targets, name):
    with pytest.raises(ValueError, match=name):
        baselines.context_oracle_accuracy(inputs, targets, 1)


@pytest.mark.parametrize("context", [0, -1, 1.0, None])
def test_context_oracle_rejects_bad_context(context):
    with pytest.raises(ValueError, match="context"):
        baselines.context_oracle_accuracy(
            np.zeros((2, 4), int), np.zeros((2, 4), int), context
        )


@pytest.mark.parametrize(
    ("context", "from_step"), [(1, -1), (1, 1.5), (3, 1), (1, 4), (2, 10)]
)
def test_context_oracle_rejects_bad_from_step(context, from_step):
    with pytest.raises(ValueError, match="from_step"):
        baselines.context_oracle_accuracy(
            np.zeros((2, 4), int), np.zeros((2, 4), int), context, from_step=from_step
        )


def test_context_oracle_rejects_context_longer_than_the_sequences():
    with pytest.raises(ValueError, match="context must be at most"):
        baselines.context_oracle_accuracy(
            np.zeros((2, 3), int), np.zeros((2, 3), int), 4
        )


# ------------------------------------------------ switching signal: filter and smoother


def _brute_force_posterior(x, p, sigma):
    """Enumerate every state path of a short sequence: exact filtered and smoothed P(on)."""
    steps = len(x)
    paths = np.array(np.meshgrid(*[[0, 1]] * steps, indexing="ij")).reshape(steps, -1).T
    prior = np.full(len(paths), 0.5)
    for t in range(1, steps):
        prior *= np.where(paths[:, t] == paths[:, t - 1], 1 - p, p)
    levels = 2 * paths - 1
    log_like = -((x[None, :] - levels) ** 2) / (2 * sigma**2)
    filtered = []
    for t in range(steps):
        weight = prior * np.exp(log_like[:, : t + 1].sum(axis=1))
        # Paths that agree up to t are summed over their futures: the transition
        # probabilities of the future sum to 1, so the weights give P(s_1..s_t, x_1..x_t).
        filtered.append(weight[paths[:, t] == 1].sum() / weight.sum())
    weight = prior * np.exp(log_like.sum(axis=1))
    smoothed = [weight[paths[:, t] == 1].sum() / weight.sum() for t in range(steps)]
    return np.array(filtered), np.array(smoothed)


KWARGS = {"switch_probability": 0.1, "noise_std": 1.0}


@pytest.mark.parametrize(
    ("p", "sigma"), [(0.05, 1.5), (0.3, 0.7), (0.0, 1.0), (1.0, 2.0)]
)
def test_filter_and_smoother_match_enumeration_of_all_paths(rng, p, sigma):
    x = rng.normal(0, 1.5, size=(3, 7, 1))
    filtered = bayes_filter.two_state_posterior(
        x, switch_probability=p, noise_std=sigma
    )
    smoothed = bayes_filter.two_state_smoother(x, switch_probability=p, noise_std=sigma)
    assert filtered.shape == smoothed.shape == (3, 7)
    for row in range(3):
        want_filtered, want_smoothed = _brute_force_posterior(x[row, :, 0], p, sigma)
        np.testing.assert_allclose(filtered[row], want_filtered, atol=1e-10)
        np.testing.assert_allclose(smoothed[row], want_smoothed, atol=1e-10)
    # At the last step the smoother sees the same data as the filter.
    np.testing.assert_allclose(filtered[:, -1], smoothed[:, -1], atol=1e-10)


def test_filter_and_smoother_are_stable_for_extreme_values():
    x = np.array([[[50.0], [-60.0], [0.0]]])
    for posterior in (
        bayes_filter.two_state_posterior,
        bayes_filter.two_state_smoother,
    ):
        probability = posterior(x, switch_probability=0.1, noise_std=0.3)
        assert probability.shape == (1, 3)
        assert np.all(np.isfinite(probability))
        assert probability[0, 0] > 0.999 and probability[0, 1] < 0.001


def test_filter_beats_one_observation_and_smoother_beats_filter():
    signal = shape_tasks.switching_signal(
        500, 50, switch_probability=0.05, noise_std=1.5, seed=5
    )
    kwargs = {"switch_probability": 0.05, "noise_std": 1.5}
    filtered = bayes_filter.two_state_posterior(signal.observations, **kwargs)
    smoothed = bayes_filter.two_state_smoother(signal.observations, **kwargs)
    one_step = np.mean((signal.observations[..., 0] > 0) == signal.states)
    filter_accuracy = np.mean((filtered > 0.5) == signal.states)
    smooth_accuracy = np.mean((smoothed > 0.5) == signal.states)
    assert one_step + 0.08 < filter_accuracy < smooth_accuracy


@pytest.mark.parametrize(
    "posterior", [bayes_filter.two_state_posterior, bayes_filter.two_state_smoother]
)
@pytest.mark.parametrize(
    ("observations", "kwargs", "name"),
    [
        (np.zeros((2, 3, 2)), {}, "observations"),
        (np.zeros((2, 3)), {}, "observations"),
        (np.zeros(4), {}, "observations"),
        (np.zeros((2, 0, 1)), {}, "observations"),
        (np.full((2, 3, 1), np.nan), {}, "observations"),
        (np.zeros((2, 3, 1)), {"switch_probability": 2.0}, "switch_probability"),
        (np.zeros((2, 3, 1)), {"noise_std": -1.0}, "noise_std"),
    ],
)
def test_filter_and_smoother_reject_bad_input(posterior, observations, kwargs, name):
    with pytest.raises(ValueError, match=name):
        posterior(observations, **(KWARGS | kwargs))


# --------------------------------------------------------------------- threshold


def test_best_threshold_finds_a_perfect_cut_in_either_direction():
    values = np.array([0.1, 0.4, 0.35, 0.8, 0.9, 0.7])
    labels = np.array([0, 0, 0, 1, 1, 1])
    rule = baselines.best_threshold(values, labels)
    assert rule.above and rule.accuracy == 1.0
    assert 0.4 < rule.threshold < 0.7
    np.testing.assert_array_equal(rule.predict(values), labels)
    flipped = baselines.best_threshold(values, 1 - labels)
    assert not flipped.above and flipped.accuracy == 1.0
    np.testing.assert_array_equal(flipped.predict(values), 1 - labels)


def test_best_threshold_beats_every_other_cut(rng):
    values = rng.normal(size=300)
    labels = (values + rng.normal(scale=1.0, size=300) > 0.3).astype(int)
    rule = baselines.best_threshold(values, labels)
    assert np.mean(rule.predict(values) == labels) == pytest.approx(rule.accuracy)
    for cut in np.linspace(-3, 3, 241):
        for above in (True, False):
            other = baselines.ThresholdRule(float(cut), above, 0.0)
            assert np.mean(other.predict(values) == labels) <= rule.accuracy + 1e-12


def test_best_threshold_handles_ties_and_constant_labels():
    values = np.array([1.0, 1.0, 1.0, 2.0])
    labels = np.array([0, 1, 0, 1])
    rule = baselines.best_threshold(values, labels)
    assert rule.accuracy == 0.75  # the tied values must go to the same side
    assert np.mean(rule.predict(values) == labels) == 0.75
    constant = baselines.best_threshold(np.array([0.5, 0.2, 0.9]), np.array([1, 1, 1]))
    assert constant.accuracy == 1.0
    np.testing.assert_array_equal(
        constant.predict(np.array([0.5, 0.2, 0.9])), [1, 1, 1]
    )


def test_best_threshold_works_on_any_shape():
    values = np.array([[0.1, 0.9], [0.2, 0.8]])
    labels = np.array([[0, 1], [0, 1]])
    rule = baselines.best_threshold(values, labels)
    assert rule.accuracy == 1.0
    assert rule.predict(values).shape == (2, 2)


@pytest.mark.parametrize(
    ("values", "labels", "message"),
    [
        (np.zeros(3), np.zeros(4), "same shape"),
        (np.zeros(0), np.zeros(0), "empty"),
        (np.array([0.0, np.inf]), np.array([0, 1]), "finite"),
        (np.array([0.0, 1.0]), np.array([0, 2]), "0 and 1"),
    ],
)
def test_best_threshold_rejects_bad_input(values, labels, message):
    with pytest.raises(ValueError, match=message):
        baselines.best_threshold(values, labels)
