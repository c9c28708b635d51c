"""Tests of rnn_utils.gradients: Jacobian norms, input-gradient norms, rates."""

import numpy as np
import pytest

from rnn_utils import cells, gradients


def test_scale_to_spectral_radius(rng):
    matrix = rng.standard_normal((6, 6))
    for radius in (0.5, 1.0, 1.7):
        scaled = gradients.scale_to_spectral_radius(matrix, radius)
        assert gradients.spectral_radius(scaled) == pytest.approx(radius, rel=1e-10)


def test_largest_singular_value_bounds_the_spectral_radius(rng):
    matrix = rng.standard_normal((5, 5))
    assert gradients.largest_singular_value(matrix) >= gradients.spectral_radius(matrix)
    orthogonal = np.linalg.qr(matrix)[0]
    assert gradients.largest_singular_value(orthogonal) == pytest.approx(1.0)
    assert gradients.spectral_radius(orthogonal) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [(np.ones((2, 3)), "square"), (np.ones(3), "rank 2"), (np.zeros((0, 0)), "square")],
)
def test_matrix_checks(matrix, message):
    with pytest.raises(ValueError, match=message):
        gradients.spectral_radius(matrix)


def test_scaling_rejects_bad_radius_and_nilpotent_matrix():
    with pytest.raises(ValueError, match="radius"):
        gradients.scale_to_spectral_radius(np.eye(2), 0.0)
    with pytest.raises(ValueError, match="nilpotent"):
        gradients.scale_to_spectral_radius(np.array([[0.0, 1.0], [0.0, 0.0]]), 1.0)


def _forward(x, kernel, recurrent, bias):
    return cells.simple_rnn_forward(x, kernel, recurrent, bias)


def test_state_jacobian_norms_match_finite_differences(rng):
    batch, time, features, units = 2, 7, 3, 4
    x = rng.standard_normal((batch, time, features))
    kernel = rng.standard_normal((features, units)) * 0.5
    recurrent = rng.standard_normal((units, units)) * 0.5
    bias = rng.standard_normal(units) * 0.1
    states = _forward(x, kernel, recurrent, bias)
    norms = gradients.state_jacobian_norms(states, recurrent)
    assert norms.shape == (batch, time)
    np.testing.assert_allclose(norms[:, -1], 1.0)
    # Numerical Jacobian of h_T with respect to h_t, by restarting the recurrence at step t.
    t, eps = 2, 1e-6
    for b in range(batch):
        jacobian = np.empty((units, units))
        for i in range(units):
            deltas = []
            for sign in (1, -1):
                h = states[b, t].copy()
                h[i] += sign * eps
                for s in range(t + 1, time):
                    h = np.tanh(x[b, s] @ kernel + h @ recurrent + bias)
                deltas.append(h)
            jacobian[i] = (deltas[0] - deltas[1]) / (2 * eps)
        assert norms[b, t] == pytest.approx(np.linalg.norm(jacobian, ord=2), rel=1e-6)


def test_state_jacobian_norms_of_linear_regime_follow_the_radius():
    units, time, radius = 8, 30, 0.8
    recurrent = (
        radius
        * np.linalg.qr(np.random.default_rng(0).standard_normal((units, units)))[0]
    )
    states = np.zeros((1, time, units))  # tanh' = 1 at h = 0: the linear case
    norms = gradients.state_jacobian_norms(states, recurrent)[0]
    distances = np.arange(time)[::-1]
    np.testing.assert_allclose(norms, radius**distances, rtol=1e-9)
    assert gradients.log_rate(norms[::-1]) == pytest.approx(radius, rel=1e-9)


def test_state_jacobian_norms_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="recurrent_kernel"):
        gradients.state_jacobian_norms(np.zeros((1, 3, 4)), np.eye(3))
    with pytest.raises(ValueError, match="states"):
        gradients.state_jacobian_norms(np.zeros((3, 4)), np.eye(4))


def test_log_rate_recovers_a_geometric_factor():
    distances = np.array([0.0, 2.0, 5.0, 9.0])
    assert gradients.log_rate(3.0 * 1.3**distances, distances) == pytest.approx(1.3)


@pytest.mark.parametrize(
    ("norms", "distances", "message"),
    [
        ([1.0], None, "at least two"),
        ([1.0, 0.0], None, "positive"),
        ([1.0, 2.0], [1.0, 1.0], "equal"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], "distances"),
    ],
)
def test_log_rate_rejects_bad_input(norms, distances, message):
    with pytest.raises(ValueError, match=message):
        gradients.log_rate(
            np.array(norms), None if distances is None else np.array(distances)
        )


def test_input_gradient_norms_of_simple_rnn_match_the_chain_rule(keras, rng):
    features, units, time = 3, 5, 6
    layer = keras.layers.SimpleRNN(units)
    x = rng.standard_normal((4, time, features)).astype(np.float32)
    layer(x)
    kernel, recurrent, bias = layer.get_weights()
    norms = gradients.input_gradient_norms(layer, x, seed=3)
    assert norms.shape == (4, time)
    direction = np.random.default_rng(3).standard_normal(units)
    direction /= np.linalg.norm(direction)
    states = _forward(x.astype(np.float64), kernel, recurrent, bias)
    # dL/dh_T = v; dL/dx_T = (v * (1 - h_T^2)) @ kernel^T
    last = (direction * (1 - states[:, -1] ** 2)) @ kernel.T
    np.testing.assert_allclose(norms[:, -1], np.linalg.norm(last, axis=1), rtol=1e-4)


def test_input_gradient_norms_use_last_step_of_sequences(keras, rng):
    x = rng.standard_normal((2, 5, 3)).astype(np.float32)
    layer = keras.layers.LSTM(4, return_sequences=True)
    layer(x)
    last_only = keras.layers.LSTM(4)
    last_only(x)
    last_only.set_weights(layer.get_weights())
    np.testing.assert_allclose(
        gradients.input_gradient_norms(layer, x),
        gradients.input_gradient_norms(last_only, x),
        rtol=1e-5,
    )


def test_input_gradient_norms_reject_bad_input(keras):
    with pytest.raises(ValueError, match="inputs"):
        gradients.input_gradient_norms(keras.layers.SimpleRNN(2), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="layer"):
        gradients.input_gradient_norms("not a layer", np.zeros((1, 3, 2)))
