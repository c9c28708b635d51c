"""Tests of rnn_utils.linear_rnn: the loop, the scan and the minimal GRU of chapter 12."""

import importlib

import numpy as np
import pytest


@pytest.fixture(scope="module")
def linear_rnn(keras):
    """The module, imported after rnn_utils.setup() (it imports Keras)."""
    return importlib.import_module("rnn_utils.linear_rnn")


def _random_recurrence(batch=3, time=37, units=5, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 1.0, size=(batch, time, units)).astype("float32")
    b = rng.normal(size=(batch, time, units)).astype("float32")
    return a, b


def _reference(a, b):
    h = np.zeros_like(b[:, 0])
    states = []
    for t in range(b.shape[1]):
        h = a[:, t] * h + b[:, t]
        states.append(h)
    return np.stack(states, axis=1)


@pytest.mark.parametrize(
    "function", ["linear_recurrence_loop", "linear_recurrence_scan"]
)
def test_both_computations_match_the_definition(function, keras, linear_rnn):
    a, b = _random_recurrence()
    h = keras.ops.convert_to_numpy(getattr(linear_rnn, function)(a, b))
    np.testing.assert_allclose(h, _reference(a, b), rtol=1e-5, atol=1e-5)


def test_combine_is_associative(linear_rnn):
    rng = np.random.default_rng(1)
    x, y, z = [(rng.normal(size=4), rng.normal(size=4)) for _ in range(3)]
    left = linear_rnn.combine(linear_rnn.combine(x, y), z)
    right = linear_rnn.combine(x, linear_rnn.combine(y, z))
    for first, second in zip(left, right, strict=True):
        np.testing.assert_allclose(first, second, rtol=1e-12)


def test_combine_of_two_steps_is_the_two_steps_applied_in_turn(linear_rnn):
    rng = np.random.default_rng(2)
    a1, b1, a2, b2, h = rng.normal(size=(5, 3))
    a, b = linear_rnn.combine((a1, b1), (a2, b2))
    np.testing.assert_allclose(a * h + b, a2 * (a1 * h + b1) + b2, rtol=1e-12)


@pytest.mark.parametrize(
    ("a_shape", "b_shape", "message"),
    [
        ((2, 5), (2, 5), "a must have shape"),
        ((2, 5, 3), (2, 5), "b must have shape"),
        ((2, 5, 3), (2, 6, 3), "same shape"),
        ((2, 0, 3), (2, 0, 3), "at least one time step"),
    ],
)
def test_bad_shapes_are_rejected(a_shape, b_shape, message, linear_rnn):
    a, b = np.zeros(a_shape, "float32"), np.zeros(b_shape, "float32")
    for function in (
        linear_rnn.linear_recurrence_loop,
        linear_rnn.linear_recurrence_scan,
    ):
        with pytest.raises(ValueError, match=message):
            function(a, b)


def test_min_gru_is_its_recurrence(keras, linear_rnn):
    layer = linear_rnn.MinGRU(4)
    x = np.random.default_rng(3).normal(size=(2, 9, 3)).astype("float32")
    h = keras.ops.convert_to_numpy(layer(x))
    z = keras.ops.convert_to_numpy(layer.update_gate(x))
    c = keras.ops.convert_to_numpy(layer.candidate(x))
    np.testing.assert_allclose(h, _reference(1 - z, z * c), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(layer.decay(x)), 1 - z, rtol=1e-6
    )


def test_min_gru_shapes_and_initial_decay(keras, linear_rnn):
    x = np.zeros((2, 6, 3), "float32")
    last = linear_rnn.MinGRU(5, return_sequences=False, gate_bias=-3.0)
    assert tuple(last(x).shape) == (2, 5)
    assert last.compute_output_shape((None, 6, 3)) == (None, 5)
    sequence = linear_rnn.MinGRU(5)
    assert tuple(sequence(x).shape) == (2, 6, 5)
    decay = keras.ops.convert_to_numpy(last.decay(x))  # zero input: the bias alone
    np.testing.assert_allclose(decay, 1 - 1 / (1 + np.exp(3.0)), rtol=1e-6)


def test_min_gru_trains_in_a_model_and_round_trips_its_config(keras, linear_rnn):
    model = keras.Sequential(
        [
            keras.Input((8, 2)),
            linear_rnn.MinGRU(4, return_sequences=False),
            keras.layers.Dense(1),
        ]
    )
    model.compile("adam", "mse")
    x = np.random.default_rng(4).normal(size=(16, 8, 2)).astype("float32")
    model.fit(x, x[:, -1, :1], epochs=1, batch_size=8, verbose=0)
    config = model.layers[0].get_config()
    clone = linear_rnn.MinGRU.from_config(config)
    assert (clone.units, clone.gate_bias, clone.return_sequences) == (4, -3.0, False)


@pytest.mark.parametrize("units", [0, -2, 2.5, True])
def test_min_gru_rejects_bad_units(units, linear_rnn):
    with pytest.raises(ValueError, match="units"):
        linear_rnn.MinGRU(units)
