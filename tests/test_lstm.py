"""Tests of the NumPy LSTM in :mod:`rnn_utils.lstm` against ``keras.layers.LSTM``."""

import numpy as np
import pytest

from rnn_utils import lstm

TOLERANCE = 1e-5

SHAPES = [
    # batch, time, features, units
    (1, 1, 1, 1),
    (2, 1, 3, 4),
    (3, 5, 2, 3),
    (4, 8, 6, 5),
    (2, 20, 4, 16),
]


def _weights(rng, features, units, scale=0.5):
    kernel = rng.normal(0, scale, (features, 4 * units)).astype(np.float32)
    recurrent_kernel = rng.normal(0, scale, (units, 4 * units)).astype(np.float32)
    bias = rng.normal(0, scale, 4 * units).astype(np.float32)
    return kernel, recurrent_kernel, bias


def _keras_lstm(keras, weights, inputs, initial_state=None):
    """Keras' outputs ``(batch, time, units)`` and final states ``h_T``, ``c_T``."""
    units = weights[1].shape[0]
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    layer.build(inputs.shape)
    layer.set_weights(list(weights))
    if initial_state is None:
        outputs, h, c = layer(inputs)
    else:
        outputs, h, c = layer(inputs, initial_state=list(initial_state))
    return tuple(keras.ops.convert_to_numpy(a) for a in (outputs, h, c))


@pytest.mark.parametrize("with_initial_state", [False, True], ids=["zeros", "h0c0"])
@pytest.mark.parametrize(("batch", "time", "features", "units"), SHAPES)
def test_lstm_forward_matches_keras(keras, rng, batch, time, features, units, with_initial_state):
    weights = _weights(rng, features, units)
    inputs = rng.normal(size=(batch, time, features)).astype(np.float32)
    state = None
    if with_initial_state:
        state = tuple(rng.uniform(-1, 1, (batch, units)).astype(np.float32) for _ in range(2))

    result = lstm.lstm_forward(inputs, *weights, initial_state=state)
    outputs, h, c = _keras_lstm(keras, weights, inputs, state)

    assert result.outputs.shape == (batch, time, units)
    assert result.cells.shape == (batch, time, units)
    assert result.outputs.dtype == np.float32
    assert result.gates is None
    np.testing.assert_allclose(result.outputs, outputs, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(result.final_h, h, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(result.final_c, c, rtol=0, atol=TOLERANCE)
    np.testing.assert_array_equal(result.final_h, result.outputs[:, -1])
    np.testing.assert_array_equal(result.final_c, result.cells[:, -1])


def test_lstm_forward_matches_keras_default_initialisation(keras, rng):
    layer = keras.layers.LSTM(8)
    inputs = rng.normal(size=(3, 10, 5)).astype(np.float32)
    expected = keras.ops.convert_to_numpy(layer(inputs))
    result = lstm.lstm_forward(inputs, *layer.get_weights())
    np.testing.assert_allclose(result.final_h, expected, rtol=0, atol=TOLERANCE)


def test_lstm_step_chains_to_forward(rng):
    weights = _weights(rng, 3, 4)
    inputs = rng.normal(size=(2, 6, 3)).astype(np.float32)
    h = c = np.zeros((2, 4), dtype=np.float32)
    for t in range(inputs.shape[1]):
        h, c = lstm.lstm_step(inputs[:, t], h, c, *weights)
    result = lstm.lstm_forward(inputs, *weights)
    np.testing.assert_allclose(h, result.final_h, rtol=0, atol=1e-7)
    np.testing.assert_allclose(c, result.final_c, rtol=0, atol=1e-7)


def test_gates_are_in_range_and_rebuild_the_cell(rng):
    weights = _weights(rng, 3, 5, scale=1.0)
    inputs = rng.normal(size=(4, 7, 3))
    result = lstm.lstm_forward(inputs, *weights, return_gates=True)
    gates = result.gates
    for name in ("input", "forget", "output"):
        values = getattr(gates, name)
        assert values.shape == (4, 7, 5)
        assert np.all((values > 0) & (values < 1)), name
    assert np.all(np.abs(gates.candidate) < 1)
    previous = np.concatenate([np.zeros((4, 1, 5)), result.cells[:, :-1]], axis=1)
    np.testing.assert_allclose(
        result.cells, gates.forget * previous + gates.input * gates.candidate, atol=1e-12
    )
    np.testing.assert_allclose(result.outputs, gates.output * np.tanh(result.cells), atol=1e-12)


def test_forget_gate_one_input_gate_zero_keeps_the_cell():
    """With f = 1 and i = 0 (huge biases, no weights) the cell is carried unchanged."""
    units, features = 3, 2
    kernel = np.zeros((features, 4 * units))
    recurrent_kernel = np.zeros((units, 4 * units))
    bias = np.concatenate(
        [np.full(units, -50.0), np.full(units, 50.0), np.zeros(units), np.zeros(units)]
    )
    c0 = np.array([[0.5, -1.0, 2.0]])
    result = lstm.lstm_forward(
        np.ones((1, 40, features)), kernel, recurrent_kernel, bias, initial_state=(c0 * 0, c0)
    )
    np.testing.assert_allclose(result.final_c, c0, atol=1e-12)


def test_split_gates_orders_blocks_like_keras():
    bias = np.arange(8.0)
    blocks = lstm.split_gates(bias, 2)
    assert list(blocks) == list(lstm.GATE_NAMES)
    np.testing.assert_array_equal(blocks["forget"], [2.0, 3.0])
    np.testing.assert_array_equal(lstm.split_gates(np.zeros((3, 8)), 2)["output"].shape, (3, 2))


def test_keras_unit_forget_bias_sets_only_the_forget_block(keras):
    layer = keras.layers.LSTM(4)
    layer.build((None, 5, 2))
    blocks = lstm.split_gates(layer.get_weights()[2], 4)
    np.testing.assert_array_equal(blocks["forget"], np.ones(4))
    for name in ("input", "candidate", "output"):
        np.testing.assert_array_equal(blocks[name], np.zeros(4))


def test_sigmoid_is_stable_and_correct():
    z = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    with np.errstate(all="raise"):
        values = lstm.sigmoid(z)
    np.testing.assert_allclose(values[1:4], 1 / (1 + np.exp(-z[1:4])))
    assert values[0] == 0.0 and values[-1] == 1.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda w, x: (w[0][:, :7], w[1], w[2], x), "kernel"),
        (lambda w, x: (w[0], w[1][:, :4], w[2], x), "recurrent_kernel"),
        (lambda w, x: (w[0], w[1], w[2][:4], x), "bias"),
        (lambda w, x: (w[0], w[1], w[2], x[0]), "inputs"),
        (lambda w, x: (w[0], w[1], w[2], x[..., :1]), "inputs"),
        (lambda w, x: (w[0], w[1], w[2], x[:, :0]), "inputs"),
        (lambda w, x: (w[0][0], w[1], w[2], x), "kernel"),
        (lambda w, x: (w[0], w[1], w[2], np.full_like(x, np.nan)), "inputs"),
    ],
)
def test_lstm_forward_rejects_bad_input(rng, change, message):
    weights = _weights(rng, 3, 2)
    inputs = rng.normal(size=(2, 4, 3))
    kernel, recurrent_kernel, bias, bad_inputs = change(weights, inputs)
    with pytest.raises(ValueError, match=message):
        lstm.lstm_forward(bad_inputs, kernel, recurrent_kernel, bias)


def test_lstm_forward_rejects_bad_initial_state_and_flag(rng):
    weights = _weights(rng, 3, 2)
    inputs = rng.normal(size=(2, 4, 3))
    with pytest.raises(ValueError, match="initial_state"):
        lstm.lstm_forward(inputs, *weights, initial_state=np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"initial_state\[1\]"):
        lstm.lstm_forward(inputs, *weights, initial_state=(np.zeros((2, 2)), np.zeros((3, 2))))
    with pytest.raises(ValueError, match="return_gates"):
        lstm.lstm_forward(inputs, *weights, return_gates=1)


def test_lstm_step_rejects_bad_shapes(rng):
    weights = _weights(rng, 3, 2)
    x, h, c = np.zeros((2, 3)), np.zeros((2, 2)), np.zeros((2, 2))
    with pytest.raises(ValueError, match="x_t"):
        lstm.lstm_step(np.zeros((2, 4)), h, c, *weights)
    with pytest.raises(ValueError, match="h_prev"):
        lstm.lstm_step(x, np.zeros((3, 2)), c, *weights)
    with pytest.raises(ValueError, match="c_prev"):
        lstm.lstm_step(x, h, np.zeros(2), *weights)


def test_split_gates_rejects_wrong_width():
    with pytest.raises(ValueError, match="4 \\* units"):
        lstm.split_gates(np.zeros(7), 2)
    with pytest.raises(ValueError, match="units"):
        lstm.split_gates(np.zeros(8), 0)
