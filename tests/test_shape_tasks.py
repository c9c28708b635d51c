"""Tests of :mod:`rnn_utils.shape_tasks`: the seeded data of chapter 3."""

import numpy as np
import pytest

from rnn_utils import shape_tasks

BAD_COUNTS = [0, -3, 2.5, "4", None, True]
BAD_SEEDS = [-1, 1.5, "0", None, True]


# ------------------------------------------------------------------------ waveforms


def test_damped_waves_shapes_and_dtypes():
    waves = shape_tasks.damped_waves(50, 40, seed=0)
    assert waves.parameters.shape == (50, len(shape_tasks.WAVE_PARAMETERS))
    assert waves.features.shape == (50, 5)
    assert waves.features.dtype == np.float32
    assert waves.waves.shape == (50, 40)
    assert waves.waves.dtype == np.float32


def test_damped_waves_follow_the_formula_from_their_parameters():
    waves = shape_tasks.damped_waves(20, 30, seed=1)
    t = np.arange(30)
    for (frequency, phase, amplitude, damping), wave in zip(
        waves.parameters, waves.waves, strict=True
    ):
        expected = (
            amplitude * np.exp(-damping * t) * np.sin(2 * np.pi * frequency * t + phase)
        )
        np.testing.assert_allclose(wave, expected, atol=1e-6)


def test_damped_waves_parameters_lie_in_their_ranges_and_features_in_unit_box():
    waves = shape_tasks.damped_waves(2000, 5, seed=2)
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
    a = shape_tasks.damped_waves(10, 8, seed=3)
    b = shape_tasks.damped_waves(10, 8, seed=3)
    c = shape_tasks.damped_waves(10, 8, seed=4)
    np.testing.assert_array_equal(a.waves, b.waves)
    assert not np.array_equal(a.waves, c.waves)


@pytest.mark.parametrize("bad", BAD_COUNTS)
def test_damped_waves_rejects_bad_counts(bad):
    with pytest.raises(ValueError, match="num_waves"):
        shape_tasks.damped_waves(bad, 10, seed=0)
    with pytest.raises(ValueError, match="length"):
        shape_tasks.damped_waves(10, bad, seed=0)


@pytest.mark.parametrize("bad", BAD_SEEDS)
def test_damped_waves_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="seed"):
        shape_tasks.damped_waves(10, 10, seed=bad)


# ---------------------------------------------------------------- switching signal


def test_switching_signal_shapes_levels_and_noise():
    signal = shape_tasks.switching_signal(
        400, 60, switch_probability=0.05, noise_std=0.5, seed=0
    )
    assert signal.observations.shape == (400, 60, 1)
    assert signal.observations.dtype == np.float32
    assert signal.states.shape == (400, 60)
    assert signal.states.dtype == np.int64
    assert set(np.unique(signal.states)) == {0, 1}
    noise = signal.observations[..., 0] - (2 * signal.states - 1)
    assert abs(noise.mean()) < 0.02
    assert noise.std() == pytest.approx(0.5, rel=0.03)


def test_switching_signal_switches_at_the_requested_rate():
    signal = shape_tasks.switching_signal(
        2000, 50, switch_probability=0.1, noise_std=1.0, seed=1
    )
    switches = np.abs(np.diff(signal.states, axis=1))
    assert switches.mean() == pytest.approx(0.1, abs=0.005)
    assert signal.states.mean() == pytest.approx(0.5, abs=0.03)
    never = shape_tasks.switching_signal(
        50, 30, switch_probability=0.0, noise_std=1.0, seed=2
    )
    assert np.all(np.diff(never.states, axis=1) == 0)


def test_switching_signal_is_seeded():
    a = shape_tasks.switching_signal(
        5, 10, switch_probability=0.2, noise_std=1.0, seed=3
    )
    b = shape_tasks.switching_signal(
        5, 10, switch_probability=0.2, noise_std=1.0, seed=3
    )
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
        shape_tasks.switching_signal(5, 10, **arguments)


def test_switching_signal_rejects_bad_counts():
    with pytest.raises(ValueError, match="num_sequences"):
        shape_tasks.switching_signal(
            0, 10, switch_probability=0.1, noise_std=1.0, seed=0
        )
    with pytest.raises(ValueError, match="length"):
        shape_tasks.switching_signal(
            3, 0, switch_probability=0.1, noise_std=1.0, seed=0
        )


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
    assert " ".join(shape_tasks.number_words(number)) == words


def test_every_number_has_distinct_words_of_known_length():
    texts = {
        " ".join(shape_tasks.number_words(n)) for n in range(shape_tasks.MAX_NUMBER + 1)
    }
    assert len(texts) == shape_tasks.MAX_NUMBER + 1
    lengths = [
        len(shape_tasks.number_words(n)) for n in range(shape_tasks.MAX_NUMBER + 1)
    ]
    assert max(lengths) == shape_tasks.MAX_WORDS
    assert min(lengths) == 1


@pytest.mark.parametrize("bad", [-1, 1000, 2.0, "5", None, True])
def test_number_words_rejects_bad_numbers(bad):
    with pytest.raises(ValueError, match="number"):
        shape_tasks.number_words(bad)


def test_number_translation_layout():
    pairs = shape_tasks.number_translation([15, 342, 7, 100])
    end, start, pad = (
        shape_tasks.TARGET_END,
        shape_tasks.TARGET_START,
        shape_tasks.TARGET_PAD,
    )
    code = {token: i for i, token in enumerate(shape_tasks.TARGET_TOKENS)}
    np.testing.assert_array_equal(pairs.numbers, [15, 342, 7, 100])
    np.testing.assert_array_equal(
        pairs.source, [[2, 6, 0], [4, 5, 3], [8, 0, 0], [2, 1, 1]]
    )
    np.testing.assert_array_equal(pairs.source_lengths, [2, 3, 1, 3])
    np.testing.assert_array_equal(
        pairs.targets[0], [code["fifteen"], end, pad, pad, pad]
    )
    np.testing.assert_array_equal(
        pairs.decoder_inputs[0], [start, code["fifteen"], pad, pad, pad]
    )
    np.testing.assert_array_equal(
        pairs.targets[1],
        [code["three"], code["hundred"], code["forty"], code["two"], end],
    )
    np.testing.assert_array_equal(pairs.target_lengths, [2, 5, 2, 3])
    # Teacher forcing: decoder inputs are the targets shifted right behind <start>.
    for row in range(4):
        length = pairs.target_lengths[row]
        np.testing.assert_array_equal(
            pairs.decoder_inputs[row, 1:length], pairs.targets[row, : length - 1]
        )
    assert pairs.source.shape == (4, shape_tasks.MAX_DIGITS)
    assert (
        pairs.targets.shape
        == pairs.decoder_inputs.shape
        == (4, shape_tasks.MAX_WORDS + 1)
    )
    assert pairs.source.max() < shape_tasks.SOURCE_VOCABULARY_SIZE


def test_decode_words_round_trips_and_stops_at_end():
    pairs = shape_tasks.number_translation(range(0, 1000, 37))
    for number, target in zip(pairs.numbers, pairs.targets, strict=True):
        assert shape_tasks.decode_words(target) == " ".join(
            shape_tasks.number_words(int(number))
        )
    assert shape_tasks.decode_words([shape_tasks.TARGET_END, 5]) == ""
    assert shape_tasks.decode_words(np.array([], dtype=int)) == ""


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ([1.5, 2.0], "integers"),
        ([0, 99], "lie in"),
        ([[1, 2]], "rank 1"),
        ([-1], "lie in"),
    ],
)
def test_decode_words_rejects_bad_codes(codes, message):
    with pytest.raises(ValueError, match=message):
        shape_tasks.decode_words(np.array(codes))


def test_number_translation_rejects_bad_numbers():
    with pytest.raises(ValueError, match="at least one"):
        shape_tasks.number_translation([])
    with pytest.raises(ValueError, match="number"):
        shape_tasks.number_translation([5, 1000])
    with pytest.raises(ValueError, match="numbers"):
        shape_tasks.number_translation([5, -2])
