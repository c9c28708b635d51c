"""Tests of the hand-written backpropagation through time in :mod:`rnn_utils.bptt`."""

import numpy as np
import pytest

from rnn_utils import bptt, cells, numpy_training
from rnn_utils.gradient_checks import finite_difference_gradients, relative_error

FD_TOLERANCE = 1e-6  # relative error of BPTT against central differences, float64

STEP_WEIGHTS = {
    "every-step": lambda time, rng: np.ones(time),
    "last-step": lambda time, rng: np.eye(time)[-1],
    "random": lambda time, rng: rng.uniform(0, 2, time),
}


def _readout(states, weights):
    return states @ weights["readout_kernel"] + weights["readout_bias"]


# --------------------------------------------------------------------------- forward


def test_forward_cache_matches_the_cell_and_counts_states(rng, bptt_problem):
    weights, inputs, _ = bptt_problem(batch=3, time=7, features=2, units=5)
    rnn_weights = weights["kernel"], weights["recurrent_kernel"], weights["bias"]

    cache = bptt.simple_rnn_forward_with_cache(inputs, *rnn_weights)
    assert cache.initial_state.shape == (3, 5) and np.all(cache.initial_state == 0)
    np.testing.assert_array_equal(
        cache.states, cells.simple_rnn_forward(inputs, *rnn_weights)
    )

    h0 = rng.uniform(-1, 1, (3, 5))
    cache = bptt.simple_rnn_forward_with_cache(inputs, *rnn_weights, h0)
    h, expected = h0, []
    for t in range(7):
        h = cells.simple_rnn_step(inputs[:, t], h, *rnn_weights)
        expected.append(h)
    expected = np.stack(expected, axis=1)
    np.testing.assert_array_equal(cache.states, expected)
    np.testing.assert_array_equal(cache.initial_state, h0)
    np.testing.assert_array_equal(cache.final_state, expected[:, -1])
    np.testing.assert_array_equal(cache.previous_states[:, 0], h0)
    np.testing.assert_array_equal(cache.previous_states[:, 1:], expected[:, :-1])
    assert cache.stored_values == 3 * 7 * 5
    assert cache.nbytes == 8 * 3 * 7 * 5


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("step_weights", sorted(STEP_WEIGHTS))
@pytest.mark.parametrize("loss", bptt.LOSSES)
@pytest.mark.parametrize(
    ("batch", "time", "features", "units", "outputs"),
    [(1, 1, 1, 1, 1), (2, 5, 3, 4, 2), (3, 9, 2, 6, 1)],
)
def test_gradients_match_finite_differences(
    rng, bptt_problem, loss, step_weights, batch, time, features, units, outputs
):
    weights, inputs, targets = bptt_problem(batch, time, features, units, outputs, loss)
    w = STEP_WEIGHTS[step_weights](time, rng)
    result = bptt.loss_and_gradients(
        weights, inputs, targets, loss=loss, step_weights=w
    )
    numerical = finite_difference_gradients(
        lambda p: bptt.loss_value(p, inputs, targets, loss=loss, step_weights=w),
        weights,
    )
    assert relative_error(result.gradients, numerical) < FD_TOLERANCE
    assert set(result.gradients) == set(bptt.WEIGHT_NAMES)
    for name in bptt.WEIGHT_NAMES:
        assert result.gradients[name].shape == weights[name].shape


def test_gradients_with_initial_state_and_of_inputs_and_h0(rng, bptt_problem):
    weights, inputs, targets = bptt_problem(batch=2, time=5)
    h0 = rng.uniform(-0.8, 0.8, (2, weights["kernel"].shape[1]))
    result = bptt.loss_and_gradients(weights, inputs, targets, initial_state=h0)
    numerical = finite_difference_gradients(
        lambda p: bptt.loss_value(p, inputs, targets, initial_state=h0), weights
    )
    assert relative_error(result.gradients, numerical) < FD_TOLERANCE

    d_inputs = finite_difference_gradients(
        lambda p: bptt.loss_value(weights, p["x"], targets, initial_state=h0),
        {"x": inputs},
    )["x"]
    d_h0 = finite_difference_gradients(
        lambda p: bptt.loss_value(weights, inputs, targets, initial_state=p["h0"]),
        {"h0": h0},
    )["h0"]
    np.testing.assert_allclose(result.rnn.inputs, d_inputs, rtol=0, atol=1e-8)
    np.testing.assert_allclose(result.rnn.initial_state, d_h0, rtol=0, atol=1e-8)


@pytest.mark.parametrize("step_weights", sorted(STEP_WEIGHTS))
def test_state_gradients_are_total_derivatives(rng, bptt_problem, step_weights):
    """delta_t = dL/dh_t: the direct term of step t plus the loss of the later steps, run
    from h_t as their initial state, differentiated with respect to h_t."""
    weights, inputs, targets = bptt_problem(batch=2, time=6)
    w = STEP_WEIGHTS[step_weights](6, rng)
    result = bptt.loss_and_gradients(weights, inputs, targets, step_weights=w)
    states = result.cache.states
    for t in range(6):

        def loss_through_h(p, t=t):
            h = p["h"]
            own, _ = bptt.readout_loss(
                _readout(h[:, None], weights),
                targets[:, t : t + 1],
                step_weights=w[t : t + 1],
            )
            if t == 5:
                return float(own.sum())
            later = bptt.loss_value(
                weights, inputs[:, t + 1 :], targets[:, t + 1 :], step_weights=w[t + 1 :],
                initial_state=h,
            )  # fmt: skip
            return float(own.sum()) + later

        numerical = finite_difference_gradients(loss_through_h, {"h": states[:, t]})[
            "h"
        ]
        np.testing.assert_allclose(
            result.rnn.states[:, t], numerical, rtol=0, atol=1e-8
        )
    np.testing.assert_allclose(
        result.rnn.preactivations,
        result.rnn.states * (1 - states**2),
        rtol=1e-12,
        atol=0,
    )


def test_backward_of_a_linear_function_of_the_states(rng, bptt_problem):
    """simple_rnn_backward on its own: with fixed direct gradients g_t the loss
    L = sum_t <g_t, h_t> has dL/dh_t = g_t directly, and its weight gradients are BPTT's."""
    weights, inputs, _ = bptt_problem(batch=2, time=5, features=3, units=4)
    g = rng.normal(size=(2, 5, 4))
    names = ("kernel", "recurrent_kernel", "bias")
    rnn_weights = {name: weights[name] for name in names}

    def loss(p):
        return float(
            np.sum(g * cells.simple_rnn_forward(inputs, *(p[n] for n in names)))
        )

    cache = bptt.simple_rnn_forward_with_cache(inputs, *rnn_weights.values())
    got = bptt.simple_rnn_gradients(
        cache, weights["kernel"], weights["recurrent_kernel"], g
    )
    numerical = finite_difference_gradients(loss, rnn_weights)
    assert relative_error({n: getattr(got, n) for n in names}, numerical) < FD_TOLERANCE
    d_inputs = finite_difference_gradients(
        lambda p: float(
            np.sum(g * cells.simple_rnn_forward(p["x"], *rnn_weights.values()))
        ),
        {"x": inputs},
    )["x"]
    np.testing.assert_allclose(got.inputs, d_inputs, rtol=0, atol=1e-8)


def test_last_step_loss_gives_the_explicit_jacobian_products(bptt_problem):
    weights, inputs, targets = bptt_problem(batch=1, time=3, outputs=1)
    result = bptt.loss_and_gradients(
        weights, inputs, targets, step_weights=np.eye(3)[-1]
    )
    h = result.cache.states[0]
    outputs, _ = bptt.predict(weights, inputs)
    r = weights["recurrent_kernel"]
    g = weights["readout_kernel"] @ (outputs[0, 2] - targets[0, 2])
    d2 = r @ ((1 - h[2] ** 2) * g)
    d1 = r @ ((1 - h[1] ** 2) * d2)
    np.testing.assert_allclose(
        result.rnn.states[0], np.stack([d1, d2, g]), rtol=1e-12, atol=1e-15
    )
    assert np.all(result.step_losses[:2] == 0)


def test_per_step_contributions_sum_to_the_gradients(bptt_problem):
    weights, inputs, targets = bptt_problem(batch=2, time=7, features=3, units=4)
    result = bptt.loss_and_gradients(weights, inputs, targets, per_step=True)
    rnn = result.rnn
    assert rnn.kernel_per_step.shape == (7, 3, 4)
    assert rnn.recurrent_kernel_per_step.shape == (7, 4, 4)
    assert rnn.bias_per_step.shape == (7, 4)
    np.testing.assert_allclose(rnn.kernel_per_step.sum(axis=0), rnn.kernel, atol=1e-13)
    np.testing.assert_allclose(
        rnn.recurrent_kernel_per_step.sum(axis=0), rnn.recurrent_kernel, atol=1e-13
    )
    np.testing.assert_allclose(rnn.bias_per_step.sum(axis=0), rnn.bias, atol=1e-13)
    # With h_0 = 0 the first step contributes nothing to the recurrent kernel's gradient.
    assert np.all(rnn.recurrent_kernel_per_step[0] == 0)
    # Without per_step the contributions are not computed.
    plain = bptt.loss_and_gradients(weights, inputs, targets)
    assert (
        plain.rnn.kernel_per_step is None
        and plain.rnn.recurrent_kernel_per_step is None
    )
    assert plain.rnn.bias_per_step is None


def test_step_losses_sum_to_the_loss_and_respect_step_weights(bptt_problem):
    weights, inputs, targets = bptt_problem(time=5)
    every = bptt.loss_and_gradients(weights, inputs, targets)
    w = np.array([0.0, 1.0, 0.5, 0.0, 2.0])
    weighted = bptt.loss_and_gradients(weights, inputs, targets, step_weights=w)
    assert np.isclose(every.loss, every.step_losses.sum(), rtol=1e-14)
    np.testing.assert_allclose(weighted.step_losses, w * every.step_losses, rtol=1e-14)
    assert np.isclose(
        bptt.loss_value(weights, inputs, targets, step_weights=w), weighted.loss
    )


def test_backward_accepts_float32(bptt_problem):
    weights, inputs, targets = bptt_problem()
    weights32 = {name: value.astype(np.float32) for name, value in weights.items()}
    result64 = bptt.loss_and_gradients(weights, inputs, targets)
    result32 = bptt.loss_and_gradients(
        weights32, inputs.astype(np.float32), targets.astype(np.float32)
    )
    assert result32.gradients["recurrent_kernel"].dtype == np.float32
    assert relative_error(result32.gradients, result64.gradients) < 1e-5


# --------------------------------------------------------------------------- read-out and loss


def test_readout_loss_values_and_gradients():
    outputs = np.array([[[1.0], [3.0]]])  # batch 1, time 2, outputs 1
    targets = np.array([[[0.0], [1.0]]])
    losses, grads = bptt.readout_loss(outputs, targets)
    np.testing.assert_allclose(losses, [0.5, 2.0])
    np.testing.assert_allclose(grads[0, :, 0], [1.0, 2.0])
    losses, grads = bptt.readout_loss(outputs, targets, loss="sigmoid_cross_entropy")
    np.testing.assert_allclose(losses, [np.log1p(np.e), np.log1p(np.exp(-3.0))])
    np.testing.assert_allclose(
        grads[0, :, 0], [1 / (1 + np.exp(-1.0)), -1 / (1 + np.exp(3.0))]
    )


def test_cross_entropy_is_finite_for_huge_logits():
    outputs = np.array([[[800.0], [-800.0]]])
    targets = np.array([[[0.0], [1.0]]])
    losses, grads = bptt.readout_loss(outputs, targets, loss="sigmoid_cross_entropy")
    np.testing.assert_allclose(losses, [800.0, 800.0])
    np.testing.assert_allclose(grads[0, :, 0], [1.0, -1.0])


@pytest.mark.parametrize("loss", bptt.LOSSES)
def test_readout_loss_gradients_match_finite_differences(rng, loss):
    outputs = rng.normal(size=(2, 3, 2))
    targets = (
        rng.normal(size=(2, 3, 2))
        if loss == "squared_error"
        else rng.integers(0, 2, (2, 3, 2))
    )
    step_weights = np.array([0.5, 0.0, 2.0])
    _, got = bptt.readout_loss(outputs, targets, loss=loss, step_weights=step_weights)
    numerical = finite_difference_gradients(
        lambda p: bptt.readout_loss(
            p["a"], targets, loss=loss, step_weights=step_weights
        )[0].sum(),
        {"a": outputs},
    )
    assert relative_error({"a": got}, numerical) < FD_TOLERANCE
    assert np.all(got[:, 1] == 0)


def test_init_weights_follow_keras_initialisers():
    weights = numpy_training.init_weights(3, 6, 2, seed=5, recurrent_scale=0.5)
    assert {name: w.shape for name, w in weights.items()} == {
        "kernel": (3, 6),
        "recurrent_kernel": (6, 6),
        "bias": (6,),
        "readout_kernel": (6, 2),
        "readout_bias": (2,),
    }
    assert all(w.dtype == np.float64 for w in weights.values())
    np.testing.assert_allclose(
        np.linalg.svd(weights["recurrent_kernel"])[1], 0.5, rtol=1e-12
    )
    assert np.all(np.abs(weights["kernel"]) <= np.sqrt(6 / 9))
    assert np.all(weights["bias"] == 0) and np.all(weights["readout_bias"] == 0)
    again = numpy_training.init_weights(3, 6, 2, seed=5, recurrent_scale=0.5)
    assert all(np.array_equal(weights[n], again[n]) for n in weights)
    assert (
        numpy_training.init_weights(3, 6, 2, seed=5, dtype=np.float32)["kernel"].dtype
        == np.float32
    )


# --------------------------------------------------------------------------- bad arguments


# (function, argument, how to spoil its good value, start of the message)
BAD_ARGUMENTS = [
    (
        "loss_and_gradients",
        "weights",
        lambda w: {"kernel": w["kernel"]},
        "weights lacks the keys",
    ),
    ("loss_and_gradients", "weights", lambda w: list(w), "weights must be a mapping"),
    (
        "loss_and_gradients",
        "weights",
        lambda w: dict(w, recurrent_kernel=np.ones((3, 3))),
        "recurrent_kernel must have shape",
    ),
    (
        "loss_and_gradients",
        "inputs",
        lambda x: x[0],
        "inputs must be an array of rank 3",
    ),
    ("loss_and_gradients", "inputs", lambda x: x[..., :1], "inputs must have shape"),
    (
        "loss_and_gradients",
        "inputs",
        lambda x: x * np.nan,
        "inputs must contain only finite",
    ),
    ("loss_and_gradients", "targets", lambda y: y[:, :-1], "targets must have shape"),
    ("loss_and_gradients", "loss", lambda _: "hinge", "loss must be one of"),
    (
        "loss_and_gradients",
        "step_weights",
        lambda _: np.ones(2),
        "step_weights must have shape",
    ),
    (
        "loss_and_gradients",
        "step_weights",
        lambda _: -np.ones(6),
        "step_weights must be non-neg",
    ),
    (
        "loss_and_gradients",
        "initial_state",
        lambda _: np.zeros((1, 4)),
        "initial_state must have",
    ),
    (
        "simple_rnn_gradients",
        "cache",
        lambda c: c.states,
        "cache must be a SimpleRNNCache",
    ),
    ("simple_rnn_gradients", "kernel", lambda k: k.T, "kernel must have shape"),
    (
        "simple_rnn_gradients",
        "state_gradients",
        lambda g: g[:, :-1],
        "state_gradients must have",
    ),
    ("simple_rnn_backward", "states", lambda s: s[0], "states must be"),
    ("simple_rnn_backward", "inputs", lambda x: x[:, :-1], "inputs must have shape"),
    (
        "simple_rnn_backward",
        "initial_state",
        lambda h: h[:-1],
        "initial_state must have shape",
    ),
    (
        "simple_rnn_backward",
        "recurrent_kernel",
        lambda u: u[:-1],
        "recurrent_kernel must have shape",
    ),
    (
        "simple_rnn_backward",
        "state_gradients",
        lambda g: g[:, :-1],
        "state_gradients must have shape",
    ),
]


@pytest.mark.parametrize(
    ("function", "name", "spoil", "message"),
    BAD_ARGUMENTS,
    ids=[c[3] for c in BAD_ARGUMENTS],
)
def test_bad_arguments_raise_value_errors_naming_them(
    bptt_problem, function, name, spoil, message
):
    weights, inputs, targets = bptt_problem()  # batch 3, time 6, units 4
    rnn = {key: weights[key] for key in ("kernel", "recurrent_kernel")}
    cache = bptt.simple_rnn_forward_with_cache(inputs, **rnn, bias=weights["bias"])
    good = {
        "loss_and_gradients": {
            "weights": weights,
            "inputs": inputs,
            "targets": targets,
            "loss": "squared_error",
            "step_weights": None,
            "initial_state": None,
        },
        "simple_rnn_gradients": {
            "cache": cache,
            **rnn,
            "state_gradients": np.zeros_like(cache.states),
        },
        "simple_rnn_backward": {
            "inputs": cache.inputs,
            "states": cache.states,
            "initial_state": cache.initial_state,
            "recurrent_kernel": rnn["recurrent_kernel"],
            "state_gradients": np.zeros_like(cache.states),
        },
    }[function]
    with pytest.raises(ValueError, match=f"^{message}"):
        getattr(bptt, function)(**{**good, name: spoil(good[name])})
