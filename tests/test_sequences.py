"""Tests of :mod:`rnn_utils.sequences`: the data and helpers of chapter 3."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_utils import sequences

BAD_COUNTS = [0, -3, 2.5, "4", None, True]
BAD_SEEDS = [-1, 1.5, "0", None, True]


# ------------------------------------------------------------------------ waveforms


def test_damped_waves_shapes_and_dtypes():
    waves = sequences.damped_waves(50, 40, seed=0)
    assert waves.parameters.shape == (50, len(sequences.WAVE_PARAMETERS))
    assert waves.features.shape == (50, 5)
    assert waves.features.dtype == np.float32
    assert waves.waves.shape == (50, 40)
    assert waves.waves.dtype == np.float32


def test_damped_waves_follow_the_formula_from_their_parameters():
    waves = sequences.damped_waves(20, 30, seed=1)
    t = np.arange(30)
    for (frequency, phase, amplitude, damping), wave in zip(
        waves.parameters, waves.waves, strict=True
    ):
        expected = amplitude * np.exp(-damping * t) * np.sin(2 * np.pi * frequency * t + phase)
        np.testing.assert_allclose(wave, expected, atol=1e-6)


def test_damped_waves_parameters_lie_in_their_ranges_and_features_in_unit_box():
    waves = sequences.damped_waves(2000, 5, seed=2)
    frequency, phase, amplitude, damping = waves.parameters.T
    assert np.all((frequency >= 0.02) & (frequency <= 0.1))
    assert np.all((phase >= 0) & (phase < 2 * np.pi))
    assert np.all((amplitude >= 0.5) & (amplitude <= 1.5))
    assert np.all((damping >= 0) & (damping <= 0.05))
    assert np.all(np.abs(waves.features) <= 1 + 1e-6)
    # The phase enters as a point on the unit circle.
    np.testing.assert_allclose(waves.features[:, 1], np.cos(phase), atol=1e-6)
    np.testing.assert_allclose(waves.features[:, 2], np.sin(phase), atol=1e-6)
    # The features use the whole box, not a corner of it.
    assert np.all(waves.features.min(axis=0) < -0.9)
    assert np.all(waves.features.max(axis=0) > 0.9)


def test_damped_waves_are_seeded():
    a = sequences.damped_waves(10, 8, seed=3)
    b = sequences.damped_waves(10, 8, seed=3)
    c = sequences.damped_waves(10, 8, seed=4)
    np.testing.assert_array_equal(a.waves, b.waves)
    assert not np.array_equal(a.waves, c.waves)


@pytest.mark.parametrize("bad", BAD_COUNTS)
def test_damped_waves_rejects_bad_counts(bad):
    with pytest.raises(ValueError, match="num_waves"):
        sequences.damped_waves(bad, 10, seed=0)
    with pytest.raises(ValueError, match="length"):
        sequences.damped_waves(10, bad, seed=0)


@pytest.mark.parametrize("bad", BAD_SEEDS)
def test_damped_waves_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="seed"):
        sequences.damped_waves(10, 10, seed=bad)


# ---------------------------------------------------------------- switching signal


def test_switching_signal_shapes_levels_and_noise():
    signal = sequences.switching_signal(400, 60, switch_probability=0.05, noise_std=0.5, seed=0)
    assert signal.observations.shape == (400, 60, 1)
    assert signal.observations.dtype == np.float32
    assert signal.states.shape == (400, 60)
    assert signal.states.dtype == np.int64
    assert set(np.unique(signal.states)) == {0, 1}
    noise = signal.observations[..., 0] - (2 * signal.states - 1)
    assert abs(noise.mean()) < 0.02
    assert noise.std() == pytest.approx(0.5, rel=0.03)


def test_switching_signal_switches_at_the_requested_rate():
    signal = sequences.switching_signal(2000, 50, switch_probability=0.1, noise_std=1.0, seed=1)
    switches = np.abs(np.diff(signal.states, axis=1))
    assert switches.mean() == pytest.approx(0.1, abs=0.005)
    assert signal.states.mean() == pytest.approx(0.5, abs=0.03)
    never = sequences.switching_signal(50, 30, switch_probability=0.0, noise_std=1.0, seed=2)
    assert np.all(np.diff(never.states, axis=1) == 0)


def test_switching_signal_is_seeded():
    a = sequences.switching_signal(5, 10, switch_probability=0.2, noise_std=1.0, seed=3)
    b = sequences.switching_signal(5, 10, switch_probability=0.2, noise_std=1.0, seed=3)
    np.testing.assert_array_equal(a.observations, b.observations)
    np.testing.assert_array_equal(a.states, b.states)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"switch_probability": 1.5}, "switch_probability"),
        ({"switch_probability": -0.1}, "switch_probability"),
        ({"noise_std": 0.0}, "noise_std"),
        ({"noise_std": float("nan")}, "noise_std"),
        ({"seed": -1}, "seed"),
    ],
)
def test_switching_signal_rejects_bad_arguments(kwargs, name):
    arguments = {"switch_probability": 0.1, "noise_std": 1.0, "seed": 0} | kwargs
    with pytest.raises(ValueError, match=name):
        sequences.switching_signal(5, 10, **arguments)


def test_switching_signal_rejects_bad_counts():
    with pytest.raises(ValueError, match="num_sequences"):
        sequences.switching_signal(0, 10, switch_probability=0.1, noise_std=1.0, seed=0)
    with pytest.raises(ValueError, match="length"):
        sequences.switching_signal(3, 0, switch_probability=0.1, noise_std=1.0, seed=0)


# ---------------------------------------------------------------------- posterior


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


@pytest.mark.parametrize(("p", "sigma"), [(0.05, 1.5), (0.3, 0.7), (0.0, 1.0), (1.0, 2.0)])
def test_two_state_posterior_matches_enumeration_of_all_paths(rng, p, sigma):
    x = rng.normal(0, 1.5, size=(3, 7))
    filtered = sequences.two_state_posterior(x, switch_probability=p, noise_std=sigma)
    smoothed = sequences.two_state_posterior(x, switch_probability=p, noise_std=sigma, smooth=True)
    assert filtered.shape == smoothed.shape == (3, 7)
    for row in range(3):
        want_filtered, want_smoothed = _brute_force_posterior(x[row], p, sigma)
        np.testing.assert_allclose(filtered[row], want_filtered, atol=1e-10)
        np.testing.assert_allclose(smoothed[row], want_smoothed, atol=1e-10)
    # At the last step the smoother sees the same data as the filter.
    np.testing.assert_allclose(filtered[:, -1], smoothed[:, -1], atol=1e-10)


def test_two_state_posterior_accepts_keras_layout_and_is_stable_for_extreme_values():
    x = np.array([[[50.0], [-60.0], [0.0]]])
    posterior = sequences.two_state_posterior(x, switch_probability=0.1, noise_std=0.3)
    assert posterior.shape == (1, 3)
    assert np.all(np.isfinite(posterior))
    assert posterior[0, 0] > 0.999 and posterior[0, 1] < 0.001


def test_two_state_posterior_is_better_than_one_observation_and_smoothing_better_still():
    signal = sequences.switching_signal(500, 50, switch_probability=0.05, noise_std=1.5, seed=5)
    kwargs = {"switch_probability": 0.05, "noise_std": 1.5}
    filtered = sequences.two_state_posterior(signal.observations, **kwargs)
    smoothed = sequences.two_state_posterior(signal.observations, smooth=True, **kwargs)
    one_step = np.mean((signal.observations[..., 0] > 0) == signal.states)
    filter_accuracy = np.mean((filtered > 0.5) == signal.states)
    smooth_accuracy = np.mean((smoothed > 0.5) == signal.states)
    assert one_step + 0.08 < filter_accuracy < smooth_accuracy


@pytest.mark.parametrize(
    ("observations", "kwargs", "name"),
    [
        (np.zeros((2, 3, 2)), {}, "observations"),
        (np.zeros(4), {}, "observations"),
        (np.zeros((2, 0)), {}, "observations"),
        (np.full((2, 3), np.nan), {}, "observations"),
        (np.zeros((2, 3)), {"switch_probability": 2.0}, "switch_probability"),
        (np.zeros((2, 3)), {"noise_std": -1.0}, "noise_std"),
    ],
)
def test_two_state_posterior_rejects_bad_input(observations, kwargs, name):
    arguments = {"switch_probability": 0.1, "noise_std": 1.0} | kwargs
    with pytest.raises(ValueError, match=name):
        sequences.two_state_posterior(observations, **arguments)


# --------------------------------------------------------------------- threshold


def test_best_threshold_finds_a_perfect_cut_in_either_direction():
    values = np.array([0.1, 0.4, 0.35, 0.8, 0.9, 0.7])
    labels = np.array([0, 0, 0, 1, 1, 1])
    rule = sequences.best_threshold(values, labels)
    assert rule.above and rule.accuracy == 1.0
    assert 0.4 < rule.threshold < 0.7
    np.testing.assert_array_equal(rule.predict(values), labels)
    flipped = sequences.best_threshold(values, 1 - labels)
    assert not flipped.above and flipped.accuracy == 1.0
    np.testing.assert_array_equal(flipped.predict(values), 1 - labels)


def test_best_threshold_beats_every_other_cut(rng):
    values = rng.normal(size=300)
    labels = (values + rng.normal(scale=1.0, size=300) > 0.3).astype(int)
    rule = sequences.best_threshold(values, labels)
    assert np.mean(rule.predict(values) == labels) == pytest.approx(rule.accuracy)
    for cut in np.linspace(-3, 3, 241):
        for above in (True, False):
            other = sequences.ThresholdRule(float(cut), above, 0.0)
            assert np.mean(other.predict(values) == labels) <= rule.accuracy + 1e-12


def test_best_threshold_handles_ties_and_constant_labels():
    values = np.array([1.0, 1.0, 1.0, 2.0])
    labels = np.array([0, 1, 0, 1])
    rule = sequences.best_threshold(values, labels)
    assert rule.accuracy == 0.75  # the tied values must go to the same side
    assert np.mean(rule.predict(values) == labels) == 0.75
    constant = sequences.best_threshold(np.array([0.5, 0.2, 0.9]), np.array([1, 1, 1]))
    assert constant.accuracy == 1.0
    np.testing.assert_array_equal(constant.predict(np.array([0.5, 0.2, 0.9])), [1, 1, 1])


def test_best_threshold_works_on_any_shape():
    values = np.array([[0.1, 0.9], [0.2, 0.8]])
    labels = np.array([[0, 1], [0, 1]])
    rule = sequences.best_threshold(values, labels)
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
        sequences.best_threshold(values, labels)


# ------------------------------------------------------------------- number words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (10, "ten"),
        (15, "fifteen"),
        (19, "nineteen"),
        (20, "twenty"),
        (42, "forty two"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (112, "one hundred twelve"),
        (340, "three hundred forty"),
        (999, "nine hundred ninety nine"),
    ],
)
def test_number_words(number, words):
    assert " ".join(sequences.number_words(number)) == words


def test_every_number_has_distinct_words_of_known_length():
    texts = {" ".join(sequences.number_words(n)) for n in range(sequences.MAX_NUMBER + 1)}
    assert len(texts) == sequences.MAX_NUMBER + 1
    lengths = [len(sequences.number_words(n)) for n in range(sequences.MAX_NUMBER + 1)]
    assert max(lengths) == sequences.MAX_WORDS
    assert min(lengths) == 1


@pytest.mark.parametrize("bad", [-1, 1000, 2.0, "5", None, True])
def test_number_words_rejects_bad_numbers(bad):
    with pytest.raises(ValueError, match="number"):
        sequences.number_words(bad)


def test_number_translation_layout():
    pairs = sequences.number_translation([15, 342, 7, 100])
    end, start, pad = sequences.TARGET_END, sequences.TARGET_START, sequences.TARGET_PAD
    code = {token: i for i, token in enumerate(sequences.TARGET_TOKENS)}
    np.testing.assert_array_equal(pairs.numbers, [15, 342, 7, 100])
    np.testing.assert_array_equal(pairs.source, [[2, 6, 0], [4, 5, 3], [8, 0, 0], [2, 1, 1]])
    np.testing.assert_array_equal(pairs.source_lengths, [2, 3, 1, 3])
    np.testing.assert_array_equal(pairs.targets[0], [code["fifteen"], end, pad, pad, pad])
    np.testing.assert_array_equal(pairs.decoder_inputs[0], [start, code["fifteen"], pad, pad, pad])
    np.testing.assert_array_equal(
        pairs.targets[1], [code["three"], code["hundred"], code["forty"], code["two"], end]
    )
    np.testing.assert_array_equal(pairs.target_lengths, [2, 5, 2, 3])
    # Teacher forcing: decoder inputs are the targets shifted right behind <start>.
    for row in range(4):
        length = pairs.target_lengths[row]
        np.testing.assert_array_equal(
            pairs.decoder_inputs[row, 1:length], pairs.targets[row, : length - 1]
        )
    assert pairs.source.shape == (4, sequences.MAX_DIGITS)
    assert pairs.targets.shape == pairs.decoder_inputs.shape == (4, sequences.MAX_WORDS + 1)
    assert pairs.source.max() < sequences.SOURCE_VOCABULARY_SIZE


def test_decode_words_round_trips_and_stops_at_end():
    pairs = sequences.number_translation(range(0, 1000, 37))
    for number, target in zip(pairs.numbers, pairs.targets, strict=True):
        assert sequences.decode_words(target) == " ".join(sequences.number_words(int(number)))
    assert sequences.decode_words([sequences.TARGET_END, 5]) == ""
    assert sequences.decode_words(np.array([], dtype=int)) == ""


@pytest.mark.parametrize(
    ("codes", "message"),
    [([1.5, 2.0], "integers"), ([0, 99], "lie in"), ([[1, 2]], "rank 1"), ([-1], "lie in")],
)
def test_decode_words_rejects_bad_codes(codes, message):
    with pytest.raises(ValueError, match=message):
        sequences.decode_words(np.array(codes))


def test_number_translation_rejects_bad_numbers():
    with pytest.raises(ValueError, match="at least one"):
        sequences.number_translation([])
    with pytest.raises(ValueError, match="number"):
        sequences.number_translation([5, 1000])
    with pytest.raises(ValueError, match="numbers"):
        sequences.number_translation([5, -2])


# ------------------------------------------------------------------- forecasting


def test_forecast_windows_cut_the_series_correctly():
    series = np.arange(10.0)
    windows = sequences.forecast_windows(series, window=4, horizon=2)
    assert len(windows) == 10 - 4 - 2 + 1
    assert windows.inputs.shape == (5, 4, 1)
    assert windows.targets.shape == (5, 2)
    assert windows.horizon == 2
    np.testing.assert_array_equal(windows.inputs[0, :, 0], [0, 1, 2, 3])
    np.testing.assert_array_equal(windows.targets[0], [4, 5])
    np.testing.assert_array_equal(windows.inputs[-1, :, 0], [4, 5, 6, 7])
    np.testing.assert_array_equal(windows.targets[-1], [8, 9])
    np.testing.assert_array_equal(windows.first_target, np.arange(4, 9))
    np.testing.assert_array_equal(series[windows.first_target], windows.targets[:, 0])


def test_persistence_repeats_the_last_value():
    windows = sequences.forecast_windows(np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0]), 2, 3)
    np.testing.assert_array_equal(windows.persistence(), [[1, 1, 1], [4, 4, 4]])


def test_chronological_split_never_shares_a_target_between_parts():
    series = np.arange(100.0)
    windows = sequences.forecast_windows(series, window=10, horizon=3)
    train, validation, test = sequences.chronological_split(windows, (70, 85))
    last = lambda part: part.first_target + part.horizon - 1  # noqa: E731
    assert last(train).max() < 70
    assert validation.first_target.min() >= 70 and last(validation).max() < 85
    assert test.first_target.min() >= 85 and last(test).max() == 99
    # Only windows straddling a boundary are dropped: horizon - 1 at each of the two.
    assert len(train) + len(validation) + len(test) == len(windows) - 2 * (3 - 1)
    # Inputs may reach back into an earlier period; targets never do.
    assert validation.inputs[0, 0, 0] < 70


@pytest.mark.parametrize(
    ("series", "window", "horizon", "name"),
    [
        (np.arange(10.0), 0, 1, "window"),
        (np.arange(10.0), 3, 0, "horizon"),
        (np.arange(10.0), 8, 3, "window \\+ horizon"),
        (np.zeros((3, 3)), 1, 1, "series"),
        (np.array([1.0, np.nan, 2.0]), 1, 1, "series"),
    ],
)
def test_forecast_windows_rejects_bad_input(series, window, horizon, name):
    with pytest.raises(ValueError, match=name):
        sequences.forecast_windows(series, window, horizon)


@pytest.mark.parametrize(
    ("boundaries", "message"),
    [
        ((50, 40), "increasing"),
        ((0, 40), "boundaries"),
        ((50,), "two indices"),
        ((95, 98), "test part"),
        ((5, 50), "train part"),
    ],
)
def test_chronological_split_rejects_bad_boundaries(boundaries, message):
    windows = sequences.forecast_windows(np.arange(100.0), 10, 3)
    with pytest.raises(ValueError, match=message):
        sequences.chronological_split(windows, boundaries)


def test_chronological_split_rejects_other_objects():
    with pytest.raises(ValueError, match="ForecastWindows"):
        sequences.chronological_split(np.zeros((4, 3)), (1, 2))


# ---------------------------------------------------------------------- diagrams


def test_plot_sequence_shapes_draws_one_labelled_panel_per_shape(close_figures):
    figure = sequences.plot_sequence_shapes()
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == list(sequences.SHAPE_NAMES)
    for ax in figure.axes:
        assert len(ax.patches) >= 6  # boxes for inputs, cells and outputs
        assert len(ax.texts) >= 6


def test_draw_sequence_shape_counts_boxes(close_figures):
    _, ax = plt.subplots()
    sequences.draw_sequence_shape(ax, "many-to-one")
    # 4 inputs + 4 cells + 1 output.
    assert len(ax.patches) == 9


def test_shape_drawing_rejects_bad_arguments(close_figures):
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="name"):
        sequences.draw_sequence_shape(ax, "one-to-one")
    with pytest.raises(ValueError, match="figsize"):
        sequences.plot_sequence_shapes(figsize=(0, 3))
