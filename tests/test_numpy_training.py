"""Tests of :mod:`rnn_utils.numpy_training`: truncated BPTT, Adam, the training loop, scoring."""

import numpy as np
import pytest

from rnn_utils import bptt, cells, memory_tasks, numpy_training
from rnn_utils.gradient_checks import relative_error
from rnn_utils.numpy_training import Adam

# --------------------------------------------------------------------------- truncation


@pytest.mark.parametrize(
    ("time", "window", "expected"),
    [
        (7, 3, [(0, 3), (3, 6), (6, 7)]),
        (6, 2, [(0, 2), (2, 4), (4, 6)]),
        (5, None, [(0, 5)]),
        (5, 50, [(0, 5)]),
        (1, 1, [(0, 1)]),
    ],
)
def test_time_chunks_cover_the_sequence_in_order(time, window, expected):
    chunks = numpy_training.time_chunks(time, window)
    assert [(chunk.start, chunk.stop) for chunk in chunks] == expected


def test_truncated_gradient_with_a_full_window_is_full_bptt(bptt_problem):
    weights, inputs, targets = bptt_problem(time=8)
    full = bptt.loss_and_gradients(weights, inputs, targets)
    for window in (None, 8, 50):
        truncated = numpy_training.truncated_loss_and_gradients(
            weights, inputs, targets, window
        )
        assert relative_error(truncated.gradients, full.gradients) < 1e-14
        assert truncated.loss == pytest.approx(full.loss, rel=1e-14)
        assert truncated.steps_per_update == [8]
        assert truncated.largest_cache == full.cache.stored_values


def test_truncated_gradient_with_window_one_keeps_only_direct_terms(bptt_problem):
    weights, inputs, targets = bptt_problem(time=6)
    full = bptt.loss_and_gradients(weights, inputs, targets)
    truncated = numpy_training.truncated_loss_and_gradients(weights, inputs, targets, 1)
    # delta_t = dl_t/dh_t only: recompute the sums from the direct gradients.
    states = full.cache.states
    outputs = states @ weights["readout_kernel"] + weights["readout_bias"]
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
    np.testing.assert_allclose(
        truncated.gradients["bias"], dz.sum(axis=(0, 1)), atol=1e-13
    )
    assert truncated.steps_per_update == [1] * 6
    assert truncated.largest_cache == inputs.shape[0] * weights["kernel"].shape[1]
    # The forward pass is not truncated: the loss is the same.
    assert truncated.loss == pytest.approx(full.loss, rel=1e-13)
    # The read-out's gradient does not involve the recurrence: it is the same.
    for name in ("readout_kernel", "readout_bias"):
        np.testing.assert_allclose(
            truncated.gradients[name], full.gradients[name], atol=1e-13
        )
    assert relative_error(truncated.gradients, full.gradients) > 1e-3


def test_truncated_chunks_cover_the_sequence_with_a_short_last_chunk(bptt_problem):
    weights, inputs, targets = bptt_problem(time=7)
    truncated = numpy_training.truncated_loss_and_gradients(weights, inputs, targets, 3)
    assert truncated.steps_per_update == [3, 3, 1]
    assert truncated.largest_cache == inputs.shape[0] * 3 * weights["kernel"].shape[1]
    full = bptt.loss_and_gradients(weights, inputs, targets)
    assert truncated.loss == pytest.approx(full.loss, rel=1e-13)


# --------------------------------------------------------------------------- Adam


def test_adam_minimises_a_quadratic_and_can_freeze_weights():
    weights = {"a": np.array([3.0, -2.0]), "b": np.array([1.0])}
    optimizer = Adam(learning_rate=0.1)
    optimizer.apply(weights, {"a": 2 * weights["a"]})
    # The bias-corrected first step moves each weight by the learning rate, against the sign.
    np.testing.assert_allclose(weights["a"], [2.9, -1.9], rtol=1e-6)
    for _ in range(299):
        optimizer.apply(weights, {"a": 2 * weights["a"]})
    assert np.all(np.abs(weights["a"]) < 0.05)
    assert weights["b"][0] == 1.0
    assert optimizer.iterations == 300


# --------------------------------------------------------------------------- training


def test_train_on_sequences_counts_updates_and_carries_the_state(bptt_problem):
    weights, inputs, targets = bptt_problem(time=10)
    before = {name: value.copy() for name, value in weights.items()}
    step = numpy_training.train_on_sequences(
        weights, Adam(1e-3), inputs, targets, window=4
    )
    assert step.steps_per_update == [4, 4, 2]
    assert len(step.losses) == 3
    assert all(not np.array_equal(weights[n], before[n]) for n in weights)
    # The forward pass is not truncated: the final state is the ordinary one (up to the
    # updates made between chunks, so compare with a run that trains one read-out bias only).
    frozen = {name: value.copy() for name, value in before.items()}
    step = numpy_training.train_on_sequences(
        frozen, Adam(1e-3), inputs, targets, window=4, trainable=("readout_bias",)
    )
    expected = cells.simple_rnn_forward(
        inputs, before["kernel"], before["recurrent_kernel"], before["bias"]
    )[:, -1]
    np.testing.assert_allclose(step.final_state, expected, atol=1e-14)
    for name in ("kernel", "recurrent_kernel", "bias", "readout_kernel"):
        np.testing.assert_array_equal(frozen[name], before[name])
    assert not np.array_equal(frozen["readout_bias"], before["readout_bias"])


def test_full_bptt_learns_a_short_echo():
    weights = numpy_training.init_weights(1, 8, 1, seed=0)
    optimizer = Adam(1e-2)
    for step in range(150):
        inputs, targets, scored = memory_tasks.delayed_echo(16, 12, 2, seed=step + 1)
        numpy_training.train_on_sequences(
            weights,
            optimizer,
            inputs,
            targets,
            loss="sigmoid_cross_entropy",
            step_weights=scored,
        )
    test_set = memory_tasks.delayed_echo(64, 50, 2, seed=999)
    assert numpy_training.echo_accuracy(weights, *test_set) > 0.95


def test_echo_accuracy_scores_only_weighted_steps():
    weights = numpy_training.init_weights(1, 3, 1, seed=0)
    weights["readout_kernel"][:] = 0.0
    weights["readout_bias"][:] = -1.0  # always predicts bit 0
    inputs, targets, step_weights = memory_tasks.delayed_echo(8, 20, 4, seed=3)
    expected = np.mean(targets[:, 4:] == 0)
    assert numpy_training.echo_accuracy(
        weights, inputs, targets, step_weights
    ) == pytest.approx(expected)


# --------------------------------------------------------------------------- bad arguments


def _train(p, **changes):
    arguments = {"weights": p["weights"], "optimizer": Adam(), **changes}
    return numpy_training.train_on_sequences(
        inputs=p["inputs"], targets=p["targets"], **arguments
    )


BAD_CALLS = {
    # start of the message -> a call on {"weights", "inputs", "targets"} (batch 3, time 6)
    "time must be a positive integer": lambda p: numpy_training.time_chunks(0, 1),
    "window must be a positive integer": lambda p: (
        numpy_training.truncated_loss_and_gradients(
            p["weights"], p["inputs"], p["targets"], 0
        )
    ),
    "learning_rate must be a finite number > 0": lambda p: Adam(learning_rate=0),
    "beta_1 must lie in": lambda p: Adam(beta_1=1.0),
    "gradients must name weights": lambda p: Adam().apply(
        {"a": np.ones(1)}, {"b": np.ones(1)}
    ),
    r"gradients\['a'\] must have shape": lambda p: Adam().apply(
        {"a": np.ones(1)}, {"a": np.ones(2)}
    ),
    "optimizer must be": lambda p: _train(p, optimizer="adam"),
    "trainable must be": lambda p: _train(p, trainable=("gates",)),
    "weights must be a dict": lambda p: _train(p, weights=tuple(p["weights"].items())),
    "step_weights must score at least one step": lambda p: numpy_training.echo_accuracy(
        p["weights"], p["inputs"], p["targets"], np.zeros(6)
    ),
}


@pytest.mark.parametrize("message", list(BAD_CALLS))
def test_bad_arguments_raise_value_errors_naming_them(bptt_problem, message):
    weights, inputs, targets = bptt_problem(outputs=1)
    with pytest.raises(ValueError, match=f"^{message}"):
        BAD_CALLS[message]({"weights": weights, "inputs": inputs, "targets": targets})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("units", 0, "units must be a positive integer"),
        ("recurrent_scale", -1.0, "recurrent_scale must be a finite number"),
    ],
)
def test_init_weights_rejects_bad_sizes(name, value, message):
    good = {"features": 1, "units": 2, "outputs": 1, "seed": 0, "recurrent_scale": 1.0}
    with pytest.raises(ValueError, match=f"^{message}"):
        numpy_training.init_weights(**{**good, name: value})


# ----------------------------------------------------------------- checked once, at the door


@pytest.mark.parametrize(
    "run",
    [
        lambda w, x, y, window: numpy_training.truncated_loss_and_gradients(
            w, x, y, window
        ),
        lambda w, x, y, window: numpy_training.train_on_sequences(
            w, Adam(), x, y, window=window
        ),
    ],
    ids=["truncated_loss_and_gradients", "train_on_sequences"],
)
def test_arguments_are_checked_once_however_many_chunks(bptt_problem, monkeypatch, run):
    """The loops check their arguments at the door, not again for every chunk."""
    calls = []
    original = numpy_training._checks.array

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    counts = {}
    for window in (None, 1):
        weights, inputs, targets = bptt_problem(time=12)
        calls.clear()
        monkeypatch.setattr(numpy_training._checks, "array", counting)
        run(weights, inputs, targets, window)
        monkeypatch.undo()
        counts[window] = len(calls)
    assert counts[1] == counts[None] > 0, counts
