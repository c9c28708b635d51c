"""Tests of rnn_utils.unrolled: gradient norms through a stack of tanh Dense layers."""

import numpy as np
import pytest

from rnn_utils import bptt, gradients, unrolled


def _hand_norms(kernels, biases, inputs, direction):
    """Backpropagate <direction, h_depth> through h_l = tanh(h_{l-1} @ K_l + b_l) by hand."""
    states = [inputs]
    for kernel, bias in zip(kernels, biases, strict=True):
        states.append(np.tanh(states[-1] @ kernel + bias))
    grad = np.tile(direction, (len(inputs), 1))
    norms = [np.linalg.norm(grad, axis=1)]
    for index in range(len(kernels), 0, -1):
        grad = (grad * (1.0 - states[index] ** 2)) @ kernels[index - 1].T
        norms.append(np.linalg.norm(grad, axis=1))
    return np.stack(norms[::-1], axis=1)


def test_untied_stack_matches_hand_backpropagation(keras, rng, round_off):
    kernels = unrolled.random_kernels(4, 6, 1.3, seed=1)
    biases = [rng.normal(0, 0.1, 4) for _ in kernels]
    inputs = rng.normal(size=(3, 4))
    direction = rng.normal(size=4)
    norms = unrolled.dense_stack_gradient_norms(
        kernels, inputs, direction, biases=biases
    )
    assert norms.shape == (3, 7)
    np.testing.assert_allclose(
        norms, _hand_norms(kernels, biases, inputs, direction), rtol=round_off
    )
    np.testing.assert_allclose(norms[:, -1], np.linalg.norm(direction))


def test_tied_stack_equals_bptt_of_a_simple_rnn_with_zero_inputs(keras, rng, round_off):
    units, depth = 5, 12
    recurrent = gradients.scale_to_spectral_radius(rng.normal(size=(units, units)), 0.9)
    bias = rng.normal(0, 0.1, units)
    h0 = rng.normal(size=(2, units))
    direction = rng.normal(size=units)
    norms = unrolled.dense_stack_gradient_norms(
        [recurrent] * depth, h0, direction, biases=[bias] * depth
    )
    cache = bptt.simple_rnn_forward_with_cache(
        np.zeros((2, depth, 1)), np.zeros((1, units)), recurrent, bias, initial_state=h0
    )
    direct = np.zeros((2, depth, units))
    direct[:, -1] = direction
    grads = bptt.simple_rnn_gradients(cache, np.zeros((1, units)), recurrent, direct)
    expected = np.concatenate(
        [
            np.linalg.norm(grads.initial_state, axis=1)[:, None],
            np.linalg.norm(grads.states, axis=2),
        ],
        axis=1,
    )
    np.testing.assert_allclose(norms, expected, rtol=round_off)


def test_float32_is_close_to_float64(keras, rng):
    kernels = unrolled.random_kernels(3, 4, 0.8, seed=2)
    inputs, direction = rng.normal(size=(2, 3)), rng.normal(size=3)
    exact = unrolled.dense_stack_gradient_norms(
        kernels, inputs, direction, dtype="float64"
    )
    single = unrolled.dense_stack_gradient_norms(
        kernels, inputs, direction, dtype="float32"
    )
    np.testing.assert_allclose(single, exact, rtol=1e-4)


def test_random_kernels_have_the_radius_and_differ():
    kernels = unrolled.random_kernels(6, 3, 0.7, seed=0)
    assert len(kernels) == 3
    for kernel in kernels:
        assert kernel.shape == (6, 6)
        assert gradients.spectral_radius(kernel) == pytest.approx(0.7, rel=1e-10)
    assert not np.allclose(kernels[0], kernels[1])
    again = unrolled.random_kernels(6, 3, 0.7, seed=0)
    np.testing.assert_array_equal(kernels[0], again[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": 0, "depth": 2, "radius": 1.0}, "units"),
        ({"units": 2, "depth": 0, "radius": 1.0}, "depth"),
        ({"units": 2, "depth": 2, "radius": -1.0}, "radius"),
    ],
)
def test_random_kernels_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        unrolled.random_kernels(**kwargs, seed=0)


@pytest.mark.parametrize(
    ("kernels", "inputs", "direction", "biases", "message"),
    [
        ([], np.ones((1, 2)), np.ones(2), None, "kernels"),
        (np.eye(2), np.ones((1, 2)), np.ones(2), None, "kernels"),
        ([np.eye(2), np.eye(3)], np.ones((1, 2)), np.ones(2), None, r"kernels\[1\]"),
        ([np.ones((2, 3))], np.ones((1, 2)), np.ones(2), None, r"kernels\[0\]"),
        ([np.eye(2)], np.ones((1, 3)), np.ones(2), None, "inputs"),
        ([np.eye(2)], np.ones(2), np.ones(2), None, "inputs"),
        ([np.eye(2)], np.ones((1, 2)), np.ones(3), None, "direction"),
        ([np.eye(2)], np.ones((1, 2)), np.zeros(2), None, "zero vector"),
        (
            [np.eye(2)],
            np.ones((1, 2)),
            np.ones(2),
            [np.zeros(2)] * 2,
            "one array per kernel",
        ),
        ([np.eye(2)], np.ones((1, 2)), np.ones(2), [np.zeros(3)], r"biases\[0\]"),
        ([np.eye(2)], np.ones((1, 2)), np.ones(2), np.zeros((1, 2)), "biases"),
    ],
)
def test_dense_stack_rejects_bad_input(
    keras, kernels, inputs, direction, biases, message
):
    with pytest.raises(ValueError, match=message):
        unrolled.dense_stack_gradient_norms(kernels, inputs, direction, biases=biases)
