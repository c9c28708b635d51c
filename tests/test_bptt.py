"""Tests of the hand-written backpropagation through time in :mod:`rnn_utils.bptt`."""

import numpy as np
import pytest

from rnn_utils import bptt, reference

FD_TOLERANCE = 1e-6  # relative error of BPTT against central differences, float64


def _problem(rng, batch=3, time=6, features=2, units=4, outputs=2, loss="squared_error"):
    """Random float64 weights (with non-zero biases), inputs and targets."""
    weights = bptt.init_weights(features, units, outputs, seed=int(rng.integers(1000)))
    weights["bias"] = rng.normal(0, 0.2, units)
    weights["readout_bias"] = rng.normal(0, 0.2, outputs)
    inputs = rng.normal(size=(batch, time, features))
    if loss == "squared_error":
        targets = rng.normal(size=(batch, time, outputs))
    else:
        targets = rng.integers(0, 2, (batch, time, outputs)).astype(float)
    return weights, inputs, targets


STEP_WEIGHTS = {
    "every-step": lambda time, rng: np.ones(time),
    "last-step": lambda time, rng: np.eye(time)[-1],
    "random": lambda time, rng: rng.uniform(0, 2, time),
}


# --------------------------------------------------------------------------- forward


def test_forward_cache_matches_reference_and_counts_states(rng):
    weights, inputs, _ = _problem(rng, batch=3, time=7, features=2, units=5)
    h0 = rng.uniform(-1, 1, (3, 5))
    cache = bptt.simple_rnn_forward_with_cache(
        inputs, weights["kernel"], weights["recurrent_kernel"], weights["bias"], h0
    )
    expected = reference.simple_rnn_forward(
        inputs, weights["kernel"], weights["recurrent_kernel"], weights["bias"], h0
    )
    np.testing.assert_array_equal(cache.states, expected)
    np.testing.assert_array_equal(cache.initial_state, h0)
    np.testing.assert_array_equal(cache.final_state, expected[:, -1])
    np.testing.assert_array_equal(cache.previous_states[:, 0], h0)
    np.testing.assert_array_equal(cache.previous_states[:, 1:], expected[:, :-1])
    assert cache.stored_values == 3 * 7 * 5
    assert cache.nbytes == 8 * 3 * 7 * 5


def test_forward_cache_default_initial_state_is_zero(rng):
    weights, inputs, _ = _problem(rng)
    cache = bptt.simple_rnn_forward_with_cache(
        inputs, weights["kernel"], weights["recurrent_kernel"], weights["bias"]
    )
    assert np.all(cache.initial_state == 0)
    assert cache.initial_state.shape == (inputs.shape[0], weights["kernel"].shape[1])


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("step_weights", sorted(STEP_WEIGHTS))
@pytest.mark.parametrize("loss", bptt.LOSSES)
@pytest.mark.parametrize(
    ("batch", "time", "features", "units", "outputs"),
    [(1, 1, 1, 1, 1), (2, 5, 3, 4, 2), (3, 9, 2, 6, 1)],
)
def test_gradients_match_finite_differences(
    rng, loss, step_weights, batch, time, features, units, outputs
):
    weights, inputs, targets = _problem(rng, batch, time, features, units, outputs, loss)
    w = STEP_WEIGHTS[step_weights](time, rng)
    result = bptt.loss_and_gradients(weights, inputs, targets, loss=loss, step_weights=w)
    numerical = bptt.finite_difference_gradients(
        lambda p: bptt.loss_value(p, inputs, targets, loss=loss, step_weights=w), weights
    )
    assert bptt.relative_error(result.gradients, numerical) < FD_TOLERANCE
    assert set(result.gradients) == set(bptt.WEIGHT_NAMES)
    for name in bptt.WEIGHT_NAMES:
        assert result.gradients[name].shape == weights[name].shape


def test_gradients_with_initial_state_and_of_inputs_and_h0(rng):
    weights, inputs, targets = _problem(rng, batch=2, time=5)
    h0 = rng.uniform(-0.8, 0.8, (2, weights["kernel"].shape[1]))
    result = bptt.loss_and_gradients(weights, inputs, targets, initial_state=h0)
    numerical = bptt.finite_difference_gradients(
        lambda p: bptt.loss_value(p, inputs, targets, initial_state=h0), weights
    )
    assert bptt.relative_error(result.gradients, numerical) < FD_TOLERANCE

    d_inputs = bptt.finite_difference_gradients(
        lambda p: bptt.loss_value(weights, p["x"], targets, initial_state=h0), {"x": inputs}
    )["x"]
    d_h0 = bptt.finite_difference_gradients(
        lambda p: bptt.loss_value(weights, inputs, targets, initial_state=p["h0"]), {"h0": h0}
    )["h0"]
    np.testing.assert_allclose(result.rnn.inputs, d_inputs, rtol=0, atol=1e-8)
    np.testing.assert_allclose(result.rnn.initial_state, d_h0, rtol=0, atol=1e-8)


@pytest.mark.parametrize("step_weights", sorted(STEP_WEIGHTS))
def test_state_gradients_are_total_derivatives(rng, step_weights):
    """delta_t = dL/dh_t: the direct term of step t plus the loss of the later steps, run
    from h_t as their initial state, differentiated with respect to h_t."""
    weights, inputs, targets = _problem(rng, batch=2, time=6)
    w = STEP_WEIGHTS[step_weights](6, rng)
    result = bptt.loss_and_gradients(weights, inputs, targets, step_weights=w)
    states = result.cache.states
    for t in range(6):

        def loss_through_h(p, t=t):
            h = p["h"]
            outputs = bptt.linear_readout(
                h[:, None], weights["readout_kernel"], weights["readout_bias"]
            )
            own, _ = bptt.readout_loss(outputs, targets[:, t : t + 1], step_weights=w[t : t + 1])
            if t == 5:
                return float(own.sum())
            later = bptt.loss_value(
                weights, inputs[:, t + 1 :], targets[:, t + 1 :], step_weights=w[t + 1 :],
                initial_state=h,
            )  # fmt: skip
            return float(own.sum()) + later

        numerical = bptt.finite_difference_gradients(loss_through_h, {"h": states[:, t]})["h"]
        np.testing.assert_allclose(result.rnn.states[:, t], numerical, rtol=0, atol=1e-8)
    np.testing.assert_allclose(
        result.rnn.preactivations, result.rnn.states * (1 - states**2), rtol=1e-12, atol=0
    )


def test_last_step_loss_gives_the_explicit_jacobian_products(rng):
    weights, inputs, targets = _problem(rng, batch=1, time=3, outputs=1)
    result = bptt.loss_and_gradients(weights, inputs, targets, step_weights=np.eye(3)[-1])
    h = result.cache.states[0]
    outputs, _ = bptt.predict(weights, inputs)
    r = weights["recurrent_kernel"]
    g = weights["readout_kernel"] @ (outputs[0, 2] - targets[0, 2])
    d2 = r @ ((1 - h[2] ** 2) * g)
    d1 = r @ ((1 - h[1] ** 2) * d2)
    np.testing.assert_allclose(result.rnn.states[0], np.stack([d1, d2, g]), rtol=1e-12, atol=1e-15)
    assert np.all(result.step_losses[:2] == 0)


def test_per_step_contributions_sum_to_the_gradients(rng):
    weights, inputs, targets = _problem(rng, batch=2, time=7, features=3, units=4)
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
    assert plain.rnn.kernel_per_step is None and plain.rnn.recurrent_kernel_per_step is None


def test_step_losses_sum_to_the_loss_and_respect_step_weights(rng):
    weights, inputs, targets = _problem(rng, time=5)
    every = bptt.loss_and_gradients(weights, inputs, targets)
    w = np.array([0.0, 1.0, 0.5, 0.0, 2.0])
    weighted = bptt.loss_and_gradients(weights, inputs, targets, step_weights=w)
    assert np.isclose(every.loss, every.step_losses.sum(), rtol=1e-14)
    np.testing.assert_allclose(weighted.step_losses, w * every.step_losses, rtol=1e-14)
    assert np.isclose(bptt.loss_value(weights, inputs, targets, step_weights=w), weighted.loss)


def test_backward_accepts_float32(rng):
    weights, inputs, targets = _problem(rng)
    weights32 = {name: value.astype(np.float32) for name, value in weights.items()}
    result64 = bptt.loss_and_gradients(weights, inputs, targets)
    result32 = bptt.loss_and_gradients(
        weights32, inputs.astype(np.float32), targets.astype(np.float32)
    )
    assert result32.gradients["recurrent_kernel"].dtype == np.float32
    assert bptt.relative_error(result32.gradients, result64.gradients) < 1e-5


# --------------------------------------------------------------------------- read-out and loss


def test_readout_loss_values_and_gradients():
    outputs = np.array([[[1.0], [3.0]]])  # batch 1, time 2, outputs 1
    targets = np.array([[[0.0], [1.0]]])
    losses, grads = bptt.readout_loss(outputs, targets)
    np.testing.assert_allclose(losses, [0.5, 2.0])
    np.testing.assert_allclose(grads[0, :, 0], [1.0, 2.0])
    losses, grads = bptt.readout_loss(outputs, targets, loss="sigmoid_cross_entropy")
    np.testing.assert_allclose(losses, [np.log1p(np.e), np.log1p(np.exp(-3.0))])
    np.testing.assert_allclose(grads[0, :, 0], [1 / (1 + np.exp(-1.0)), -1 / (1 + np.exp(3.0))])


def test_cross_entropy_is_finite_for_huge_logits():
    outputs = np.array([[[800.0], [-800.0]]])
    targets = np.array([[[0.0], [1.0]]])
    losses, grads = bptt.readout_loss(outputs, targets, loss="sigmoid_cross_entropy")
    np.testing.assert_allclose(losses, [800.0, 800.0])
    np.testing.assert_allclose(grads[0, :, 0], [1.0, -1.0])


def test_readout_backward_matches_finite_differences(rng):
    states = rng.normal(size=(2, 3, 4))
    kernel, bias = rng.normal(size=(4, 2)), rng.normal(size=2)
    targets = rng.normal(size=(2, 3, 2))

    def loss(p):
        return bptt.readout_loss(bptt.linear_readout(p["h"], p["k"], p["b"]), targets)[0].sum()

    _, output_grads = bptt.readout_loss(bptt.linear_readout(states, kernel, bias), targets)
    d_kernel, d_bias, d_states = bptt.readout_backward(states, kernel, output_grads)
    numerical = bptt.finite_difference_gradients(loss, {"h": states, "k": kernel, "b": bias})
    got = {"h": d_states, "k": d_kernel, "b": d_bias}
    assert bptt.relative_error(got, numerical) < FD_TOLERANCE


# --------------------------------------------------------------------------- helpers


def test_finite_differences_of_a_quadratic_are_exact():
    a = np.array([[1.0, -2.0], [0.5, 3.0]])
    estimate = bptt.finite_difference_gradients(lambda p: float(np.sum(p["a"] ** 2)), {"a": a})
    np.testing.assert_allclose(estimate["a"], 2 * a, rtol=1e-9)


def test_finite_differences_do_not_modify_the_weights():
    weights = {"a": np.array([1.0, 2.0])}
    bptt.finite_difference_gradients(lambda p: float(np.sum(p["a"] ** 3)), weights)
    np.testing.assert_array_equal(weights["a"], [1.0, 2.0])


def test_relative_error():
    a = {"x": np.array([3.0, 4.0])}
    assert bptt.relative_error(a, a) == 0.0
    assert bptt.relative_error({"x": np.zeros(2)}, {"x": np.zeros(2)}) == 0.0
    assert np.isclose(bptt.relative_error(a, {"x": np.array([3.0, 3.0])}), 1 / 5)
    assert bptt.relative_error(a, {"x": np.zeros(2)}) == 1.0


def test_init_weights_follow_keras_initialisers():
    weights = bptt.init_weights(3, 6, 2, seed=5, recurrent_scale=0.5)
    assert {name: w.shape for name, w in weights.items()} == {
        "kernel": (3, 6),
        "recurrent_kernel": (6, 6),
        "bias": (6,),
        "readout_kernel": (6, 2),
        "readout_bias": (2,),
    }
    assert all(w.dtype == np.float64 for w in weights.values())
    np.testing.assert_allclose(np.linalg.svd(weights["recurrent_kernel"])[1], 0.5, rtol=1e-12)
    assert np.all(np.abs(weights["kernel"]) <= np.sqrt(6 / 9))
    assert np.all(weights["bias"] == 0) and np.all(weights["readout_bias"] == 0)
    again = bptt.init_weights(3, 6, 2, seed=5, recurrent_scale=0.5)
    assert all(np.array_equal(weights[n], again[n]) for n in weights)
    assert bptt.init_weights(3, 6, 2, seed=5, dtype=np.float32)["kernel"].dtype == np.float32


# --------------------------------------------------------------------------- truncation


def test_truncated_gradient_with_a_full_window_is_full_bptt(rng):
    weights, inputs, targets = _problem(rng, time=8)
    full = bptt.loss_and_gradients(weights, inputs, targets)
    for window in (None, 8, 50):
        truncated = bptt.truncated_loss_and_gradients(weights, inputs, targets, window)
        assert bptt.relative_error(truncated.gradients, full.gradients) < 1e-14
        assert truncated.steps_per_update == [8]


def test_truncated_gradient_with_window_one_keeps_only_direct_terms(rng):
    weights, inputs, targets = _problem(rng, time=6)
    full = bptt.loss_and_gradients(weights, inputs, targets)
    truncated = bptt.truncated_loss_and_gradients(weights, inputs, targets, 1)
    # delta_t = dl_t/dh_t only: recompute the sums from the direct gradients.
    states = full.cache.states
    outputs = bptt.linear_readout(states, weights["readout_kernel"], weights["readout_bias"])
    _, output_grads = bptt.readout_loss(outputs, targets)
    direct = output_grads @ weights["readout_kernel"].T
    dz = direct * (1 - states**2)
    np.testing.assert_allclose(
        truncated.gradients["kernel"], np.einsum("btf,btu->fu", inputs, dz), atol=1e-13
    )
    np.testing.assert_allclose(
        truncated.gradients["recurrent_kernel"],
        np.einsum("btv,btu->vu", full.cache.previous_states, dz),
        atol=1e-13,
    )
    assert truncated.steps_per_update == [1] * 6
    assert truncated.largest_cache == inputs.shape[0] * weights["kernel"].shape[1]
    assert np.isclose(truncated.loss, full.loss, rtol=1e-13)
    # The read-out's gradient does not involve the recurrence: it is the same.
    np.testing.assert_allclose(
        truncated.gradients["readout_kernel"], full.gradients["readout_kernel"], atol=1e-13
    )
    assert bptt.relative_error(truncated.gradients, full.gradients) > 1e-3


def test_truncated_chunks_cover_the_sequence_with_a_short_last_chunk(rng):
    weights, inputs, targets = _problem(rng, time=7)
    truncated = bptt.truncated_loss_and_gradients(weights, inputs, targets, 3)
    assert truncated.steps_per_update == [3, 3, 1]
    assert truncated.largest_cache == inputs.shape[0] * 3 * weights["kernel"].shape[1]


# --------------------------------------------------------------------------- training


def test_adam_minimises_a_quadratic_and_can_freeze_weights():
    weights = {"a": np.array([3.0, -2.0]), "b": np.array([1.0])}
    optimizer = bptt.Adam(learning_rate=0.1)
    for _ in range(300):
        optimizer.apply(weights, {"a": 2 * weights["a"]})
    assert np.all(np.abs(weights["a"]) < 0.05)
    assert weights["b"][0] == 1.0
    assert optimizer.iterations == 300


def test_train_on_sequences_counts_updates_and_carries_the_state(rng):
    weights, inputs, targets = _problem(rng, time=10)
    before = {name: value.copy() for name, value in weights.items()}
    step = bptt.train_on_sequences(weights, bptt.Adam(1e-3), inputs, targets, window=4)
    assert step.steps_per_update == [4, 4, 2]
    assert len(step.losses) == 3
    assert all(not np.array_equal(weights[n], before[n]) for n in weights)
    # The forward pass is not truncated: the final state is the ordinary one (up to the
    # updates made between chunks, so compare with a run of the frozen read-out only).
    frozen = {name: value.copy() for name, value in before.items()}
    step = bptt.train_on_sequences(
        frozen, bptt.Adam(1e-3), inputs, targets, window=4, trainable=("readout_bias",)
    )
    expected = reference.simple_rnn_forward(
        inputs, before["kernel"], before["recurrent_kernel"], before["bias"]
    )[:, -1]
    np.testing.assert_allclose(step.final_state, expected, atol=1e-14)
    for name in ("kernel", "recurrent_kernel", "bias", "readout_kernel"):
        np.testing.assert_array_equal(frozen[name], before[name])
    assert not np.array_equal(frozen["readout_bias"], before["readout_bias"])


def test_full_bptt_learns_a_short_echo():
    weights = bptt.init_weights(1, 8, 1, seed=0)
    optimizer = bptt.Adam(1e-2)
    for step in range(150):
        inputs, targets, scored = bptt.delayed_echo(16, 12, 2, seed=step + 1)
        bptt.train_on_sequences(
            weights,
            optimizer,
            inputs,
            targets,
            loss="sigmoid_cross_entropy",
            step_weights=scored,
        )
    assert bptt.echo_accuracy(weights, *bptt.delayed_echo(64, 50, 2, seed=999)) > 0.95


# --------------------------------------------------------------------------- echo task


def test_delayed_echo_shapes_and_targets():
    inputs, targets, step_weights = bptt.delayed_echo(4, 9, 3, seed=1)
    assert inputs.shape == targets.shape == (4, 9, 1)
    assert set(np.unique(inputs)) <= {-1.0, 1.0}
    np.testing.assert_array_equal(targets[:, 3:, 0], (inputs[:, :-3, 0] + 1) / 2)
    np.testing.assert_array_equal(step_weights, [0, 0, 0, 1, 1, 1, 1, 1, 1])
    again = bptt.delayed_echo(4, 9, 3, seed=1)
    np.testing.assert_array_equal(inputs, again[0])


def test_echo_accuracy_scores_only_weighted_steps():
    weights = bptt.init_weights(1, 3, 1, seed=0)
    weights["readout_kernel"][:] = 0.0
    weights["readout_bias"][:] = -1.0  # always predicts bit 0
    inputs, targets, step_weights = bptt.delayed_echo(8, 20, 4, seed=3)
    expected = np.mean(targets[:, 4:] == 0)
    assert bptt.echo_accuracy(weights, inputs, targets, step_weights) == pytest.approx(expected)


# --------------------------------------------------------------------------- bad input


def test_bad_input_raises_value_errors_naming_the_argument(rng):
    weights, inputs, targets = _problem(rng)
    with pytest.raises(ValueError, match="weights must have the keys"):
        bptt.loss_and_gradients({"kernel": weights["kernel"]}, inputs, targets)
    with pytest.raises(ValueError, match="weights must be a mapping"):
        bptt.loss_and_gradients([1, 2], inputs, targets)
    bad = dict(weights, recurrent_kernel=np.ones((3, 3)))
    with pytest.raises(ValueError, match="recurrent_kernel must have shape"):
        bptt.loss_and_gradients(bad, inputs, targets)
    with pytest.raises(ValueError, match="inputs must be an array of rank 3"):
        bptt.loss_and_gradients(weights, inputs[0], targets)
    with pytest.raises(ValueError, match="inputs must have shape"):
        bptt.loss_and_gradients(weights, inputs[..., :1], targets)
    with pytest.raises(ValueError, match="targets must have shape"):
        bptt.loss_and_gradients(weights, inputs, targets[:, :-1])
    with pytest.raises(ValueError, match="loss must be one of"):
        bptt.loss_and_gradients(weights, inputs, targets, loss="hinge")
    with pytest.raises(ValueError, match="step_weights must have shape"):
        bptt.loss_and_gradients(weights, inputs, targets, step_weights=np.ones(2))
    with pytest.raises(ValueError, match="step_weights must be non-negative"):
        bptt.loss_and_gradients(weights, inputs, targets, step_weights=-np.ones(6))
    with pytest.raises(ValueError, match="initial_state must have shape"):
        bptt.loss_and_gradients(weights, inputs, targets, initial_state=np.zeros((1, 4)))
    with pytest.raises(ValueError, match="inputs must contain only finite numbers"):
        bptt.loss_and_gradients(weights, np.full_like(inputs, np.nan), targets)
    with pytest.raises(ValueError, match="window must be a positive integer"):
        bptt.truncated_loss_and_gradients(weights, inputs, targets, 0)


def test_bad_backward_and_helper_arguments_raise(rng):
    weights, inputs, targets = _problem(rng)
    cache = bptt.simple_rnn_forward_with_cache(
        inputs, weights["kernel"], weights["recurrent_kernel"], weights["bias"]
    )
    grads = np.zeros_like(cache.states)
    with pytest.raises(ValueError, match="cache must be a SimpleRNNCache"):
        bptt.simple_rnn_backward(
            cache.states, weights["kernel"], weights["recurrent_kernel"], grads
        )
    with pytest.raises(ValueError, match="state_gradients must have shape"):
        bptt.simple_rnn_backward(
            cache, weights["kernel"], weights["recurrent_kernel"], grads[:, :-1]
        )
    with pytest.raises(ValueError, match="kernel must have shape"):
        bptt.simple_rnn_backward(cache, weights["kernel"].T, weights["recurrent_kernel"], grads)
    with pytest.raises(ValueError, match="epsilon must be a finite number > 0"):
        bptt.finite_difference_gradients(lambda p: 0.0, weights, epsilon=0)
    with pytest.raises(ValueError, match="weights must be a non-empty mapping"):
        bptt.finite_difference_gradients(lambda p: 0.0, {})
    with pytest.raises(ValueError, match="same keys"):
        bptt.relative_error({"a": np.ones(1)}, {"b": np.ones(1)})
    with pytest.raises(ValueError, match="same shape"):
        bptt.relative_error({"a": np.ones(1)}, {"a": np.ones(2)})
    with pytest.raises(ValueError, match="units must be a positive integer"):
        bptt.init_weights(1, 0, 1, seed=0)
    with pytest.raises(ValueError, match="recurrent_scale must be a finite number > 0"):
        bptt.init_weights(1, 2, 1, seed=0, recurrent_scale=-1.0)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        bptt.Adam(learning_rate=0)
    with pytest.raises(ValueError, match="beta_1 must lie in"):
        bptt.Adam(beta_1=1.0)
    with pytest.raises(ValueError, match="gradients must name weights"):
        bptt.Adam().apply({"a": np.ones(1)}, {"b": np.ones(1)})
    with pytest.raises(ValueError, match=r"gradients\['a'\] must have shape"):
        bptt.Adam().apply({"a": np.ones(1)}, {"a": np.ones(2)})
    with pytest.raises(ValueError, match="optimizer must be"):
        bptt.train_on_sequences(weights, "adam", inputs, targets)
    with pytest.raises(ValueError, match="trainable must be"):
        bptt.train_on_sequences(weights, bptt.Adam(), inputs, targets, trainable=("gates",))
    with pytest.raises(ValueError, match="weights must be a dict"):
        bptt.train_on_sequences(tuple(weights.items()), bptt.Adam(), inputs, targets)
    with pytest.raises(ValueError, match="time must be greater than lag"):
        bptt.delayed_echo(2, 3, 3, seed=0)
    with pytest.raises(ValueError, match="lag must be a positive integer"):
        bptt.delayed_echo(2, 3, 0, seed=0)
    echo = bptt.delayed_echo(2, 5, 1, seed=0)
    with pytest.raises(ValueError, match="score at least one step"):
        bptt.echo_accuracy(bptt.init_weights(1, 2, 1, seed=0), echo[0], echo[1], np.zeros(5))
