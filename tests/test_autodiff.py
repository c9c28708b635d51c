"""Tests of :mod:`rnn_utils.autodiff`: the backend's autodiff against hand-written BPTT."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from rnn_utils import autodiff, bptt
from rnn_utils.gradient_checks import relative_error


def _keras_simple_rnn_loss(
    keras, inputs, targets, step_weights, *, dtype, loss, h0=None
):
    """The loss of :mod:`rnn_utils.bptt` written with Keras layers and ``keras.ops``."""
    units = 4
    rnn_layer = keras.layers.SimpleRNN(units, return_sequences=True, dtype=dtype)
    rnn_layer.build((None, None, inputs.shape[2]))
    readout_layer = keras.layers.Dense(targets.shape[2], dtype=dtype)
    readout_layer.build((None, None, units))
    batch = inputs.shape[0]
    inputs = keras.ops.convert_to_tensor(
        inputs, dtype=dtype
    )  # PyTorch's RNN needs tensors
    targets = keras.ops.convert_to_tensor(targets, dtype=dtype)
    step_weights = keras.ops.convert_to_tensor(step_weights, dtype=dtype)
    kwargs = (
        {}
        if h0 is None
        else {"initial_state": [keras.ops.convert_to_tensor(h0, dtype)]}
    )

    def loss_fn(w):
        states, _ = rnn_layer.stateless_call(
            [w["kernel"], w["recurrent_kernel"], w["bias"]],
            rnn_layer.non_trainable_variables,
            inputs,
            **kwargs,
        )
        outputs, _ = readout_layer.stateless_call(
            [w["readout_kernel"], w["readout_bias"]], [], states
        )
        if loss == "squared_error":
            elementwise = 0.5 * (outputs - targets) ** 2
        else:
            elementwise = keras.ops.softplus(outputs) - targets * outputs
        per_step = keras.ops.sum(elementwise, axis=(0, 2)) / batch
        return keras.ops.sum(step_weights * per_step)

    return loss_fn


def _precision():
    """(dtype, tolerance) of the comparison: float64 where Keras keeps it, else float32."""
    return ("float64", 1e-10) if autodiff.float64_exact() else ("float32", 1e-5)


@pytest.mark.parametrize(
    "last_step_only", [False, True], ids=["every-step", "last-step"]
)
@pytest.mark.parametrize("loss", bptt.LOSSES)
def test_autodiff_of_keras_simple_rnn_equals_bptt(
    keras, bptt_problem, loss, last_step_only
):
    dtype, tolerance = _precision()
    weights, inputs, targets = bptt_problem(time=7, loss=loss)
    step_weights = np.eye(7)[-1] if last_step_only else np.ones(7)
    loss_fn = _keras_simple_rnn_loss(
        keras, inputs, targets, step_weights, dtype=dtype, loss=loss
    )
    value, gradients = autodiff.loss_gradients(loss_fn, weights, dtype=dtype)
    expected = bptt.loss_and_gradients(
        weights, inputs, targets, loss=loss, step_weights=step_weights
    )
    assert value == pytest.approx(expected.loss, rel=tolerance)
    assert all(gradients[name].dtype == np.dtype(dtype) for name in gradients)
    assert relative_error(gradients, expected.gradients) < tolerance


def test_autodiff_with_initial_state(keras, rng, bptt_problem):
    dtype, tolerance = _precision()
    weights, inputs, targets = bptt_problem(time=7)
    h0 = rng.uniform(-0.5, 0.5, (3, 4))
    loss_fn = _keras_simple_rnn_loss(
        keras, inputs, targets, np.ones(7), dtype=dtype, loss="squared_error", h0=h0
    )
    _, gradients = autodiff.loss_gradients(loss_fn, weights, dtype=dtype)
    expected = bptt.loss_and_gradients(weights, inputs, targets, initial_state=h0)
    assert relative_error(gradients, expected.gradients) < tolerance


def test_autodiff_in_float32_agrees_to_float32_precision(keras, bptt_problem):
    weights, inputs, targets = bptt_problem(time=7)
    loss_fn = _keras_simple_rnn_loss(
        keras, inputs, targets, np.ones(7), dtype="float32", loss="squared_error"
    )
    value, gradients = autodiff.loss_gradients(loss_fn, weights, dtype="float32")
    expected = bptt.loss_and_gradients(weights, inputs, targets)
    assert all(gradients[name].dtype == np.float32 for name in gradients)
    assert value == pytest.approx(expected.loss, rel=1e-5)
    assert relative_error(gradients, expected.gradients) < 1e-5


def test_autodiff_of_a_simple_function(keras):
    weights = {
        "a": np.array([1.0, -2.0, 3.0]),
        "b": np.array([[0.5, 2.0, 1.0]]),
        "unused": 1.0,
    }

    def loss_fn(w):
        return keras.ops.sum(w["a"] ** 2) + keras.ops.sum(w["a"] * w["b"])

    value, gradients = autodiff.loss_gradients(loss_fn, weights)
    assert value == pytest.approx(14.0 + 0.5 - 4.0 + 3.0)
    np.testing.assert_allclose(gradients["a"], 2 * weights["a"] + weights["b"][0])
    np.testing.assert_allclose(gradients["b"], weights["a"][None, :])
    assert gradients["unused"].shape == () and gradients["unused"] == 0.0


def test_bad_arguments_raise_value_errors(keras):
    def loss_fn(w):
        return keras.ops.sum(w["a"])

    with pytest.raises(ValueError, match="loss_fn must be callable"):
        autodiff.loss_gradients("loss", {"a": np.ones(2)})
    with pytest.raises(ValueError, match="dtype must be one of"):
        autodiff.loss_gradients(loss_fn, {"a": np.ones(2)}, dtype="float16")
    with pytest.raises(ValueError, match="weights must be a non-empty mapping"):
        autodiff.loss_gradients(loss_fn, {})
    with pytest.raises(ValueError, match="must be numeric"):
        autodiff.loss_gradients(loss_fn, {"a": np.array(["x"])})
    with pytest.raises(ValueError, match="keyed by strings"):
        autodiff.loss_gradients(loss_fn, {1: np.ones(2)})
    with pytest.raises(ValueError, match="finite"):
        autodiff.loss_gradients(loss_fn, {"a": np.array([np.nan])})
    with pytest.raises(ValueError, match="must return a scalar"):
        autodiff.loss_gradients(lambda w: w["a"] * 2.0, {"a": np.ones(2)})


def test_float64_exact_matches_what_keras_ops_compute(keras):
    x = keras.ops.convert_to_tensor(np.array([[0.5]]), dtype="float64")
    computed = {
        keras.backend.standardize_dtype(result.dtype)
        for result in (keras.ops.tanh(x), keras.ops.matmul(x, x))
    }
    assert autodiff.float64_exact() == (computed == {"float64"})
    if keras.backend.backend() == "tensorflow":
        assert autodiff.float64_exact()


def test_importing_rnn_utils_does_not_import_keras():
    code = "import sys, rnn_utils; print('keras' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_other_backends_agree_with_bptt(backend):
    """Run the same check under JAX or PyTorch in a fresh process, where installed."""
    pytest.importorskip(backend)
    script = textwrap.dedent(
        f"""
        import numpy as np
        import rnn_utils
        rnn_utils.setup(verbose=False)
        import keras
        assert keras.backend.backend() == "{backend}"
        from rnn_utils import autodiff, bptt
        from rnn_utils.gradient_checks import relative_error
        from tests.conftest import random_bptt_problem
        from tests.test_autodiff import _keras_simple_rnn_loss, _precision
        dtype, tolerance = _precision()
        rng = np.random.default_rng(0)
        weights, inputs, targets = random_bptt_problem(rng, time=7)
        loss_fn = _keras_simple_rnn_loss(
            keras, inputs, targets, np.ones(7), dtype=dtype, loss="squared_error"
        )
        value, gradients = autodiff.loss_gradients(loss_fn, weights, dtype=dtype)
        expected = bptt.loss_and_gradients(weights, inputs, targets)
        error = relative_error(gradients, expected.gradients)
        assert error < tolerance, error
        assert all(g.dtype == np.dtype(dtype) for g in gradients.values())
        # A pure keras.ops function (no tanh) keeps float64 on every backend.
        value, gradients = autodiff.loss_gradients(
            lambda w: keras.ops.sum(w["a"] * w["a"]), {{"a": np.array([1.0, 1e-9])}}
        )
        assert abs(gradients["a"][1] - 2e-9) < 1e-20, gradients
        print("ok", dtype, error)
        """
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=root)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().startswith("ok")


def test_global_gradient_norm_of_a_linear_model_matches_the_formula():
    import keras

    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(6, 3)).astype("float32")
    targets = rng.normal(size=(6, 2)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    kernel, bias = (v.numpy() for v in model.trainable_variables)
    # MSE = mean over rows and outputs of (x W + b - y)^2
    residual = inputs @ kernel + bias - targets
    grad_kernel = 2 * inputs.T @ residual / residual.size
    grad_bias = 2 * residual.sum(axis=0) / residual.size
    expected = np.sqrt(np.sum(grad_kernel**2) + np.sum(grad_bias**2))
    norm = autodiff.global_gradient_norm(
        model, inputs, targets, keras.losses.MeanSquaredError()
    )
    assert norm == pytest.approx(expected, rel=1e-5)
    # the weights are left as they were
    np.testing.assert_array_equal(model.weights[0].numpy(), kernel)


def test_global_gradient_norm_names_what_is_wrong():
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    loss = keras.losses.MeanSquaredError()
    with pytest.raises(ValueError, match="rows"):
        autodiff.global_gradient_norm(model, np.zeros((4, 3)), np.zeros((5, 2)), loss)
    with pytest.raises(ValueError, match="model"):
        autodiff.global_gradient_norm("model", np.zeros((4, 3)), np.zeros((4, 2)), loss)
