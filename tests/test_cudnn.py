"""Tests of :mod:`rnn_utils.cudnn`: which layer configurations Keras runs on cuDNN."""

import functools
import importlib
import itertools
import types

import numpy as np
import pytest


@pytest.fixture
def cudnn(keras):
    """:mod:`rnn_utils.cudnn`, whose ``cudnn_eligible`` checks TensorFlow's conditions
    unless a test names another backend: the tests run under every backend."""
    from rnn_utils import cudnn

    return types.SimpleNamespace(
        cudnn_eligible=functools.partial(cudnn.cudnn_eligible, backend="tensorflow"),
        strict_flag_runs=cudnn.strict_flag_runs,
    )


@pytest.mark.parametrize("layer_name", ["LSTM", "GRU"])
def test_default_lstm_and_gru_are_eligible(cudnn, keras, layer_name):
    layer = getattr(keras.layers, layer_name)(8)
    eligible, reasons = cudnn.cudnn_eligible(layer)
    assert eligible and reasons == []


@pytest.mark.parametrize("layer_name", ["LSTM", "GRU"])
@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"activation": "relu"}, "activation is relu"),
        (
            {"recurrent_activation": "hard_sigmoid"},
            "recurrent_activation is hard_sigmoid",
        ),
        ({"recurrent_dropout": 0.1}, "recurrent_dropout"),
        ({"unroll": True}, "unroll"),
        ({"use_bias": False}, "use_bias"),
        ({"use_cudnn": False}, "use_cudnn=False"),
    ],
)
def test_each_condition_fails_alone(cudnn, keras, layer_name, kwargs, phrase):
    layer = getattr(keras.layers, layer_name)(8, **kwargs)
    eligible, reasons = cudnn.cudnn_eligible(layer)
    assert not eligible
    assert len(reasons) == 1 and phrase in reasons[0]


def test_input_dropout_and_return_sequences_are_allowed(cudnn, keras):
    layer = keras.layers.LSTM(8, dropout=0.3, return_sequences=True, go_backwards=True)
    assert cudnn.cudnn_eligible(layer).eligible


def test_ops_tanh_and_tf_tanh_count_as_tanh(cudnn, keras):
    import tensorflow as tf

    assert cudnn.cudnn_eligible(
        keras.layers.LSTM(4, activation=keras.ops.tanh)
    ).eligible
    assert cudnn.cudnn_eligible(keras.layers.LSTM(4, activation=tf.tanh)).eligible
    own_tanh = keras.layers.LSTM(4, activation=lambda x: keras.ops.tanh(x))
    assert not cudnn.cudnn_eligible(own_tanh).eligible


def test_gru_needs_reset_after(cudnn, keras):
    eligible, reasons = cudnn.cudnn_eligible(keras.layers.GRU(8, reset_after=False))
    assert not eligible and reasons == [
        "reset_after=False (cuDNN implements the reset_after=True variant)"
    ]


def test_several_failures_are_all_listed(cudnn, keras):
    layer = keras.layers.GRU(8, activation="relu", unroll=True, reset_after=False)
    eligible, reasons = cudnn.cudnn_eligible(layer)
    assert not eligible and len(reasons) == 3


def test_simple_rnn_and_other_layers_have_no_cudnn_kernel(cudnn, keras):
    for layer in (keras.layers.SimpleRNN(4), keras.layers.Dense(3)):
        eligible, reasons = cudnn.cudnn_eligible(layer)
        assert not eligible and "no cuDNN kernel" in reasons[0]


def test_backends(cudnn, keras):
    gru, lstm = keras.layers.GRU(4), keras.layers.LSTM(4)
    assert cudnn.cudnn_eligible(lstm, backend="jax").eligible
    eligible, reasons = cudnn.cudnn_eligible(gru, backend="jax")
    assert not eligible and reasons == ["the jax backend has no cuDNN path for GRU"]
    assert cudnn.cudnn_eligible(gru, backend="torch").eligible
    assert not cudnn.cudnn_eligible(lstm, backend="numpy").eligible


def test_masks(cudnn, keras):
    lstm = keras.layers.LSTM(4)
    right = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)
    left = right[:, ::-1]
    holes = np.array([[1, 0, 1, 0]], dtype=bool)
    empty = np.array([[1, 1, 0, 0], [0, 0, 0, 0]], dtype=bool)
    assert cudnn.cudnn_eligible(lstm, mask=right).eligible
    for mask in (left, holes):
        eligible, reasons = cudnn.cudnn_eligible(lstm, mask=mask)
        assert not eligible and "not right-padded" in reasons[0]
    eligible, reasons = cudnn.cudnn_eligible(lstm, mask=empty)
    assert not eligible and "fully masked" in reasons[0]
    eligible, reasons = cudnn.cudnn_eligible(lstm, backend="torch", mask=right)
    assert not eligible and "generic loop" in reasons[0]


def test_bidirectional_checks_both_directions(cudnn, keras):
    assert cudnn.cudnn_eligible(
        keras.layers.Bidirectional(keras.layers.LSTM(4))
    ).eligible
    eligible, reasons = cudnn.cudnn_eligible(
        keras.layers.Bidirectional(keras.layers.GRU(4, unroll=True))
    )
    assert not eligible
    assert [reason.split(":")[0] for reason in reasons] == [
        "forward layer",
        "backward layer",
    ]


def test_agrees_with_keras_own_check_on_tensorflow(cudnn, keras):
    """Our verdict matches Keras' private TensorFlow predicate on every combination."""
    tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")

    for activation, recurrent, unroll, bias, reset_after in itertools.product(
        ["tanh", "relu"],
        ["sigmoid", "hard_sigmoid"],
        [False, True],
        [True, False],
        [True, False],
    ):
        lstm = keras.layers.LSTM(
            3,
            activation=activation,
            recurrent_activation=recurrent,
            unroll=unroll,
            use_bias=bias,
        )
        gru = keras.layers.GRU(
            3,
            activation=activation,
            recurrent_activation=recurrent,
            unroll=unroll,
            use_bias=bias,
            reset_after=reset_after,
        )
        keras_lstm = tf_rnn._do_lstm_arguments_support_cudnn(
            lstm.cell.activation, lstm.cell.recurrent_activation, unroll, bias
        )
        keras_gru = tf_rnn._do_gru_arguments_support_cudnn(
            gru.cell.activation,
            gru.cell.recurrent_activation,
            unroll,
            bias,
            reset_after,
        )
        assert cudnn.cudnn_eligible(lstm, backend="tensorflow").eligible == keras_lstm
        assert cudnn.cudnn_eligible(gru, backend="tensorflow").eligible == keras_gru


def test_cudnn_eligible_rejects_bad_input(cudnn, keras):
    with pytest.raises(ValueError, match="layer must be a Keras layer"):
        cudnn.cudnn_eligible("LSTM")
    with pytest.raises(ValueError, match="backend"):
        cudnn.cudnn_eligible(keras.layers.LSTM(3), backend="")
    with pytest.raises(ValueError, match=r"mask must have shape \(batch, time\)"):
        cudnn.cudnn_eligible(keras.layers.LSTM(3), mask=np.ones(4, dtype=bool))


def test_strict_flag_runs_where_keras_lets_it(cudnn, keras):
    """On this machine's device and backend, the prediction matches what Keras does."""
    from rnn_utils import backend

    device = backend.device()
    try:
        keras.layers.LSTM(4, use_cudnn=True)(np.zeros((2, 5, 3), dtype="float32"))
        ran = True
    except ValueError:
        ran = False
    assert cudnn.strict_flag_runs(device) == ran


def test_strict_flag_by_backend_and_device(cudnn, keras):
    from rnn_utils.backend import DeviceInfo

    cpu = DeviceInfo("CPU", "CPU", False)
    gpu = DeviceInfo("GPU", "NVIDIA H200", True)
    gpu_without_cudnn = DeviceInfo("GPU", "Some GPU", False)
    for name in ("tensorflow", "jax"):
        assert not cudnn.strict_flag_runs(cpu, backend=name)
        assert not cudnn.strict_flag_runs(gpu_without_cudnn, backend=name)
        assert cudnn.strict_flag_runs(gpu, backend=name)
    assert cudnn.strict_flag_runs(cpu, backend="torch")
    with pytest.raises(ValueError, match="device must be a DeviceInfo"):
        cudnn.strict_flag_runs("GPU")
