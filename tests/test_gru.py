"""Tests of rnn_utils.gru: the NumPy GRU against keras.layers.GRU, and parameter counts."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_utils import gru


@pytest.fixture(scope="module")
def keras():
    import rnn_utils

    rnn_utils.setup(verbose=False)
    import keras

    return keras


def _random_gru(keras, features, units, reset_after, seed):
    layer = keras.layers.GRU(units, return_sequences=True, reset_after=reset_after)
    layer.build((None, None, features))
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in layer.get_weights()])
    return layer


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize(
    ("batch", "time", "features", "units"), [(1, 1, 1, 1), (3, 7, 2, 5), (4, 20, 6, 8)]
)
def test_forward_matches_keras(keras, reset_after, batch, time, features, units):
    layer = _random_gru(keras, features, units, reset_after, seed=batch + time + units)
    x = np.random.default_rng(1).normal(size=(batch, time, features)).astype("float32")
    expected = np.asarray(layer(x))
    got = gru.gru_forward(x, *layer.get_weights(), reset_after=reset_after)
    assert got.shape == (batch, time, units)
    assert np.max(np.abs(got - expected)) <= 1e-5


@pytest.mark.parametrize("reset_after", [True, False])
def test_initial_state_and_step_match_keras(keras, reset_after):
    layer = _random_gru(keras, 3, 4, reset_after, seed=7)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    h0 = rng.normal(size=(2, 4)).astype("float32")
    expected = np.asarray(layer(x, initial_state=h0))
    got = gru.gru_forward(x, *layer.get_weights(), reset_after=reset_after, initial_state=h0)
    assert np.max(np.abs(got - expected)) <= 1e-5
    one = gru.gru_step(x[:, 0], h0, *layer.get_weights(), reset_after=reset_after)
    assert np.max(np.abs(one - expected[:, 0])) <= 1e-5


def test_variants_differ_and_gates_are_probabilities(keras):
    layer = _random_gru(keras, 2, 3, True, seed=3)
    kernel, recurrent, bias = layer.get_weights()
    x = np.random.default_rng(4).normal(size=(2, 6, 2)).astype("float32")
    after = gru.gru_forward(x, kernel, recurrent, bias[0] * 0, reset_after=False)
    before = gru.gru_forward(x, kernel, recurrent, np.zeros_like(bias), reset_after=True)
    assert np.max(np.abs(after - before)) > 1e-3  # same weights, zero biases, different outputs
    states, gates = gru.gru_forward(x, kernel, recurrent, bias, return_gates=True)
    assert states.shape == gates["update"].shape == gates["reset"].shape == (2, 6, 3)
    assert np.all((gates["update"] > 0) & (gates["update"] < 1))
    assert np.all((gates["reset"] > 0) & (gates["reset"] < 1))


@pytest.mark.parametrize(("features", "units"), [(1, 1), (2, 16), (8, 5)])
def test_parameter_count_matches_keras(keras, features, units):
    layers = {
        ("simple_rnn", True): keras.layers.SimpleRNN(units),
        ("lstm", True): keras.layers.LSTM(units),
        ("gru", True): keras.layers.GRU(units, reset_after=True),
        ("gru", False): keras.layers.GRU(units, reset_after=False),
    }
    for (cell, reset_after), layer in layers.items():
        layer.build((None, None, features))
        assert gru.parameter_count(cell, features, units, reset_after=reset_after) == (
            layer.count_params()
        )


def test_bad_input():
    kernel = np.zeros((2, 9))
    recurrent = np.zeros((3, 9))
    bias_after = np.zeros((2, 9))
    x = np.zeros((1, 4, 2))
    with pytest.raises(ValueError, match="kernel"):
        gru.gru_forward(x, np.zeros((2, 8)), recurrent, bias_after)
    with pytest.raises(ValueError, match="recurrent_kernel"):
        gru.gru_forward(x, kernel, np.zeros((3, 6)), bias_after)
    with pytest.raises(ValueError, match="bias"):
        gru.gru_forward(x, kernel, recurrent, np.zeros(9), reset_after=True)
    with pytest.raises(ValueError, match="bias"):
        gru.gru_forward(x, kernel, recurrent, bias_after, reset_after=False)
    with pytest.raises(ValueError, match="inputs"):
        gru.gru_forward(np.zeros((4, 2)), kernel, recurrent, bias_after)
    with pytest.raises(ValueError, match="inputs"):
        gru.gru_forward(np.zeros((1, 4, 3)), kernel, recurrent, bias_after)
    with pytest.raises(ValueError, match="time step"):
        gru.gru_forward(np.zeros((1, 0, 2)), kernel, recurrent, bias_after)
    with pytest.raises(ValueError, match="initial_state"):
        gru.gru_forward(x, kernel, recurrent, bias_after, initial_state=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="reset_after"):
        gru.gru_forward(x, kernel, recurrent, bias_after, reset_after="yes")
    with pytest.raises(ValueError, match="h_prev"):
        gru.gru_step(x[:, 0], np.zeros((1, 4)), kernel, recurrent, bias_after)
    with pytest.raises(ValueError, match="finite"):
        gru.gru_forward(np.full((1, 4, 2), np.nan), kernel, recurrent, bias_after)
    with pytest.raises(ValueError, match="cell"):
        gru.parameter_count("transformer", 2, 3)
    with pytest.raises(ValueError, match="units"):
        gru.parameter_count("gru", 2, 0)
    with pytest.raises(ValueError, match="features"):
        gru.parameter_count("lstm", -1, 3)
