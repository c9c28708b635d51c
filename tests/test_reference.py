"""Tests of the NumPy SimpleRNN in :mod:`rnn_utils.reference` against Keras."""

import numpy as np
import pytest

from rnn_utils import reference

TOLERANCE = 1e-5


def _weights(rng, features, units, scale=0.6):
    kernel = rng.normal(0, scale, (features, units)).astype(np.float32)
    recurrent_kernel = rng.normal(0, scale, (units, units)).astype(np.float32)
    bias = rng.normal(0, scale, units).astype(np.float32)
    return kernel, recurrent_kernel, bias


def _keras_simple_rnn(keras, weights, inputs, *, return_sequences, initial_state=None, **kwargs):
    layer = keras.layers.SimpleRNN(weights[0].shape[1], return_sequences=return_sequences, **kwargs)
    layer.build(inputs.shape)
    layer.set_weights(list(weights))
    if initial_state is None:
        output = layer(inputs)
    else:
        output = layer(inputs, initial_state=[initial_state])
    return keras.ops.convert_to_numpy(output)


SHAPES = [
    # batch, time, features, units
    (1, 1, 1, 1),
    (2, 1, 3, 4),
    (3, 5, 2, 3),
    (4, 8, 6, 5),
    (1, 12, 4, 16),
]


@pytest.mark.parametrize("with_initial_state", [False, True], ids=["zeros", "h0"])
@pytest.mark.parametrize(("batch", "time", "features", "units"), SHAPES)
def test_simple_rnn_forward_matches_keras_sequences(
    keras, rng, batch, time, features, units, with_initial_state
):
    weights = _weights(rng, features, units)
    inputs = rng.normal(size=(batch, time, features)).astype(np.float32)
    h0 = rng.uniform(-1, 1, (batch, units)).astype(np.float32) if with_initial_state else None

    states = reference.simple_rnn_forward(inputs, *weights, initial_state=h0)
    expected = _keras_simple_rnn(keras, weights, inputs, return_sequences=True, initial_state=h0)

    assert states.shape == (batch, time, units)
    assert states.dtype == np.float32
    np.testing.assert_allclose(states, expected, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize(("batch", "time", "features", "units"), SHAPES)
def test_simple_rnn_forward_last_state_matches_keras_default_output(
    keras, rng, batch, time, features, units
):
    weights = _weights(rng, features, units)
    inputs = rng.normal(size=(batch, time, features)).astype(np.float32)
    states = reference.simple_rnn_forward(inputs, *weights)
    last = _keras_simple_rnn(keras, weights, inputs, return_sequences=False)
    assert last.shape == (batch, units)
    np.testing.assert_allclose(states[:, -1], last, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize(("batch", "features", "units"), [(1, 1, 1), (3, 4, 2), (5, 2, 7)])
def test_simple_rnn_step_matches_one_keras_step(keras, rng, batch, features, units):
    weights = _weights(rng, features, units)
    x_t = rng.normal(size=(batch, features)).astype(np.float32)
    h_prev = rng.uniform(-1, 1, (batch, units)).astype(np.float32)

    h_t = reference.simple_rnn_step(x_t, h_prev, *weights)
    expected = _keras_simple_rnn(
        keras, weights, x_t[:, None, :], return_sequences=False, initial_state=h_prev
    )

    assert h_t.shape == (batch, units)
    assert h_t.dtype == np.float32
    np.testing.assert_allclose(h_t, expected, rtol=0, atol=TOLERANCE)


def test_simple_rnn_steps_chain_to_forward(rng):
    weights = _weights(rng, 3, 4)
    inputs = rng.normal(size=(2, 6, 3))
    h0 = rng.uniform(-1, 1, (2, 4))
    states = reference.simple_rnn_forward(inputs, *weights, initial_state=h0)
    h = h0
    for t in range(inputs.shape[1]):
        h = reference.simple_rnn_step(inputs[:, t], h, *weights)
        np.testing.assert_allclose(states[:, t], h, rtol=1e-12, atol=1e-12)


def test_simple_rnn_step_by_hand():
    kernel = np.array([[1.0, -1.0]])  # 1 feature, 2 units
    recurrent_kernel = np.array([[0.5, 0.0], [0.0, 2.0]])
    bias = np.array([0.1, 0.2])
    x_t = np.array([[2.0]])
    h_prev = np.array([[1.0, -0.5]])
    expected = np.tanh([[2.0 + 0.5 + 0.1, -2.0 - 1.0 + 0.2]])
    result = reference.simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias)
    np.testing.assert_allclose(result, expected, rtol=1e-12)


def test_simple_rnn_forward_starts_from_zeros_by_default(rng):
    weights = _weights(rng, 2, 3)
    inputs = rng.normal(size=(4, 3, 2))
    zeros = np.zeros((4, 3))
    np.testing.assert_array_equal(
        reference.simple_rnn_forward(inputs, *weights),
        reference.simple_rnn_forward(inputs, *weights, initial_state=zeros),
    )
    nonzero = reference.simple_rnn_forward(inputs, *weights, initial_state=zeros + 0.5)
    assert not np.allclose(nonzero[:, 0], reference.simple_rnn_forward(inputs, *weights)[:, 0])


@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_simple_rnn_forward_custom_activation_matches_keras(keras, rng, activation):
    functions = {"relu": lambda z: np.maximum(z, 0), "linear": lambda z: z}
    weights = _weights(rng, 3, 4, scale=0.3)
    inputs = rng.normal(size=(2, 5, 3)).astype(np.float32)
    states = reference.simple_rnn_forward(inputs, *weights, activation=functions[activation])
    expected = _keras_simple_rnn(
        keras, weights, inputs, return_sequences=True, activation=activation
    )
    np.testing.assert_allclose(states, expected, rtol=1e-5, atol=TOLERANCE)


def test_simple_rnn_forward_takes_keras_weights_as_returned(keras, rng):
    """``layer.get_weights()`` can be passed straight in."""
    layer = keras.layers.SimpleRNN(3, return_sequences=True)
    inputs = rng.normal(size=(2, 4, 5)).astype(np.float32)
    expected = keras.ops.convert_to_numpy(layer(inputs))
    states = reference.simple_rnn_forward(inputs, *layer.get_weights())
    np.testing.assert_allclose(states, expected, rtol=0, atol=TOLERANCE)


# --------------------------------------------------------------------------- errors


@pytest.fixture
def good(rng):
    """Consistent arguments: batch 2, time 3, features 4, units 5."""
    kernel, recurrent_kernel, bias = _weights(rng, 4, 5)
    return {
        "inputs": rng.normal(size=(2, 3, 4)),
        "kernel": kernel,
        "recurrent_kernel": recurrent_kernel,
        "bias": bias,
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("kernel", np.zeros(4)),
        ("kernel", np.zeros((4, 5, 1))),
        ("recurrent_kernel", np.zeros((5, 4))),
        ("recurrent_kernel", np.zeros(5)),
        ("bias", np.zeros(4)),
        ("bias", np.zeros((1, 5))),
        ("inputs", np.zeros((2, 4))),
        ("inputs", np.zeros((2, 3, 3))),
        ("inputs", np.zeros((2, 0, 4))),
        ("inputs", np.full((2, 3, 4), np.nan)),
    ],
)
def test_simple_rnn_forward_rejects_bad_shapes(good, name, value):
    arguments = {**good, name: value}
    with pytest.raises(ValueError, match=name):
        reference.simple_rnn_forward(**arguments)


@pytest.mark.parametrize("initial_state", [np.zeros((3, 5)), np.zeros((2, 4)), np.zeros(5)])
def test_simple_rnn_forward_rejects_bad_initial_state(good, initial_state):
    with pytest.raises(ValueError, match="initial_state"):
        reference.simple_rnn_forward(**good, initial_state=initial_state)


@pytest.mark.parametrize(
    ("name", "x_t", "h_prev"),
    [
        ("x_t", np.zeros((2, 3, 4)), np.zeros((2, 5))),
        ("x_t", np.zeros((2, 3)), np.zeros((2, 5))),
        ("h_prev", np.zeros((2, 4)), np.zeros((3, 5))),
        ("h_prev", np.zeros((2, 4)), np.zeros((2, 4))),
        ("h_prev", np.zeros((2, 4)), np.zeros(5)),
    ],
)
def test_simple_rnn_step_rejects_bad_shapes(good, name, x_t, h_prev):
    with pytest.raises(ValueError, match=name):
        reference.simple_rnn_step(
            x_t, h_prev, good["kernel"], good["recurrent_kernel"], good["bias"]
        )


def test_simple_rnn_step_rejects_bad_weights(good):
    with pytest.raises(ValueError, match="recurrent_kernel"):
        reference.simple_rnn_step(
            np.zeros((2, 4)), np.zeros((2, 5)), good["kernel"], np.zeros((4, 4)), good["bias"]
        )
