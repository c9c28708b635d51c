"""Tests of rnn_utils.remedies: clipping references, IRNN, truncated model, adding runner."""

from __future__ import annotations

import numpy as np
import pytest

import rnn_utils
from rnn_utils import clipping, layers, memory_tasks


@pytest.fixture(scope="module")
def keras():
    rnn_utils.setup(0, verbose=False)
    import keras

    return keras


def test_clip_by_norm_keeps_direction_and_sets_norm():
    g = np.array([3.0, 4.0])
    clipped = clipping.clip_by_norm(g, 1.0)
    assert np.isclose(np.linalg.norm(clipped), 1.0)
    assert np.isclose(clipping.cosine(clipped, g), 1.0)
    assert np.allclose(clipping.clip_by_norm(g, 10.0), g)


def test_clip_by_value_changes_direction():
    g = np.array([0.5, 3.0, -4.0])
    clipped = clipping.clip_by_value(g, 0.5)
    assert np.allclose(clipped, [0.5, 0.5, -0.5])
    assert clipping.cosine(clipped, g) < 0.9


def test_clip_by_global_norm_matches_keras(keras):
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 2)), rng.normal(size=4)]
    ours = clipping.clip_by_global_norm(grads, 0.5)
    joint = np.sqrt(sum(np.sum(a**2) for a in ours))
    assert np.isclose(joint, 0.5)
    assert np.allclose(ours[0] / grads[0], ours[1][0] / grads[1][0])
    untouched = clipping.clip_by_global_norm(grads, 1e3)
    assert all(np.allclose(a, b) for a, b in zip(untouched, grads, strict=True))


def test_keras_clipnorm_and_clipvalue_agree_with_references(keras):
    g = np.array([0.05, 3.0, -4.0], dtype="float32")
    for kwargs, reference in (
        ({"clipnorm": 1.0}, clipping.clip_by_norm(g, 1.0)),
        ({"clipvalue": 0.5}, clipping.clip_by_value(g, 0.5)),
    ):
        variable = keras.Variable(np.zeros(3, dtype="float32"))
        optimizer = keras.optimizers.SGD(learning_rate=1.0, **kwargs)
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g), variable)])
        assert np.allclose(-variable.numpy(), reference, atol=1e-6)


def test_clipping_rejects_bad_input():
    with pytest.raises(ValueError, match="threshold"):
        clipping.clip_by_norm(np.ones(3), 0.0)
    with pytest.raises(ValueError, match="gradient"):
        clipping.clip_by_value(np.ones((2, 2)), 1.0)
    with pytest.raises(ValueError, match="gradients"):
        clipping.clip_by_global_norm([], 1.0)
    with pytest.raises(ValueError, match="non-zero"):
        clipping.cosine(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="b must have shape"):
        clipping.cosine(np.ones(2), np.ones(3))


def test_irnn_layer_is_identity_relu(keras):
    layer = layers.irnn_layer(4, seed=1)
    model = keras.Sequential([keras.Input((None, 2)), layer])
    kernel, recurrent, bias = (np.asarray(w) for w in layer.get_weights())
    assert np.allclose(recurrent, np.eye(4))
    assert np.allclose(bias, 0.0)
    assert kernel.std() < 0.01
    assert layer.activation.__name__ == "relu"
    assert model.output_shape == (None, 4)
    with pytest.raises(ValueError, match="units"):
        layers.irnn_layer(0)


def test_truncated_model_cuts_the_gradient(keras):
    from rnn_utils import autodiff

    model = layers.truncated_model(keras.layers.LSTM(4), length=6, window=2)
    data = memory_tasks.adding_problem(3, 6, seed=0)

    def loss(tensors):
        return keras.ops.sum(model(tensors["x"]))

    _, grads = autodiff.loss_gradients(loss, {"x": data.inputs}, dtype="float32")
    per_step = np.abs(grads["x"]).sum(axis=(0, 2))
    assert np.all(per_step[:4] == 0.0) and np.all(per_step[4:] > 0.0)
    with pytest.raises(ValueError, match="window"):
        layers.truncated_model(keras.layers.SimpleRNN(2), length=4, window=4)
    with pytest.raises(ValueError, match="layer"):
        layers.truncated_model(keras.layers.Dense(2), length=4, window=2)


@pytest.mark.parametrize("value", [1.0, 3.0, -2.5])
def test_lstm_forget_bias_sets_the_forget_block_only(keras, value):
    lstm = keras.layers.LSTM(
        3, unit_forget_bias=False, bias_initializer=layers.lstm_forget_bias(value)
    )
    lstm.build((None, 5, 2))
    bias = lstm.get_weights()[2]  # kernel, recurrent_kernel, bias
    np.testing.assert_allclose(bias, [0] * 3 + [value] * 3 + [0] * 6)


def test_lstm_forget_bias_of_one_is_keras_unit_forget_bias(keras):
    default = keras.layers.LSTM(4)
    default.build((None, 5, 2))
    ours = keras.layers.LSTM(
        4, unit_forget_bias=False, bias_initializer=layers.lstm_forget_bias(1.0)
    )
    ours.build((None, 5, 2))
    np.testing.assert_array_equal(default.get_weights()[2], ours.get_weights()[2])


def test_lstm_forget_bias_refuses_a_shape_that_is_not_an_lstm_bias():
    with pytest.raises(ValueError, match="shape must be"):
        layers.lstm_forget_bias(3.0)((6,))
