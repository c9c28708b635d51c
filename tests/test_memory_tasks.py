"""Tests of rnn_utils.memory_tasks: adding, multiplication, temporal order, delayed echo."""

import numpy as np
import pytest

from rnn_utils import memory_tasks


def test_adding_problem_shapes_and_dtypes():
    batch = memory_tasks.adding_problem(5, 12, seed=0)
    assert batch.inputs.shape == (5, 12, 2)
    assert batch.targets.shape == (5, 1)
    assert batch.marker_positions.shape == (5, 2)
    assert batch.inputs.dtype == np.float32 and batch.targets.dtype == np.float32
    assert batch.length == 12


def test_adding_problem_has_one_marker_in_each_half():
    batch = memory_tasks.adding_problem(200, 30, seed=1)
    markers = batch.inputs[:, :, 1]
    assert np.all(markers.sum(axis=1) == 2)
    first, second = batch.marker_positions.T
    assert np.all(first < 15) and np.all(second >= 15) and np.all(second < 30)
    assert np.all(markers[np.arange(200), first] == 1)


def test_adding_problem_target_is_sum_of_marked_values():
    batch = memory_tasks.adding_problem(50, 9, seed=2)
    marked = (batch.inputs[:, :, 0] * batch.inputs[:, :, 1]).sum(axis=1)
    np.testing.assert_allclose(batch.targets[:, 0], marked, rtol=1e-6)


def test_adding_problem_constant_one_baseline_is_one_sixth():
    batch = memory_tasks.adding_problem(200_000, 4, seed=3)
    mse = float(np.mean((batch.targets - 1.0) ** 2))
    assert mse == pytest.approx(memory_tasks.ADDING_BASELINE_MSE, abs=0.002)
    # Var of a sum of two U[0, 1] values: 2 / 12.
    assert memory_tasks.ADDING_BASELINE_MSE == pytest.approx(1 / 6, rel=1e-15)


def test_adding_problem_is_seeded():
    a = memory_tasks.adding_problem(4, 10, seed=7)
    b = memory_tasks.adding_problem(4, 10, seed=7)
    c = memory_tasks.adding_problem(4, 10, seed=8)
    np.testing.assert_array_equal(a.inputs, b.inputs)
    assert not np.array_equal(a.inputs, c.inputs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_sequences": 0, "length": 10}, "num_sequences"),
        ({"num_sequences": 3, "length": 1}, "length"),
        ({"num_sequences": 3, "length": 0}, "length"),
        ({"num_sequences": 2.5, "length": 10}, "num_sequences"),
    ],
)
@pytest.mark.parametrize(
    "generator", [memory_tasks.adding_problem, memory_tasks.multiplication_problem]
)
def test_marked_pair_problems_reject_bad_arguments(generator, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generator(**kwargs, seed=0)


def test_multiplication_problem_has_the_adding_inputs_and_multiplies():
    adding = memory_tasks.adding_problem(40, 11, seed=5)
    product = memory_tasks.multiplication_problem(40, 11, seed=5)
    np.testing.assert_array_equal(product.inputs, adding.inputs)
    np.testing.assert_array_equal(product.marker_positions, adding.marker_positions)
    rows = np.arange(40)
    first, second = (
        product.inputs[rows, product.marker_positions[:, k], 0] for k in (0, 1)
    )
    np.testing.assert_allclose(product.targets[:, 0], first * second, rtol=1e-6)
    assert product.targets.shape == (40, 1) and product.targets.dtype == np.float32


def test_multiplication_problem_constant_quarter_baseline_is_seven_144ths():
    batch = memory_tasks.multiplication_problem(200_000, 4, seed=3)
    mse = float(np.mean((batch.targets - 0.25) ** 2))
    assert mse == pytest.approx(memory_tasks.MULTIPLICATION_BASELINE_MSE, abs=0.001)
    assert memory_tasks.MULTIPLICATION_BASELINE_MSE == pytest.approx(0.0486, abs=1e-4)


def test_temporal_order_shapes_and_one_hot():
    batch = memory_tasks.temporal_order(6, 40, seed=0)
    assert batch.inputs.shape == (6, 40, len(memory_tasks.TEMPORAL_ORDER_SYMBOLS))
    np.testing.assert_array_equal(batch.inputs.sum(axis=-1), 1.0)
    assert batch.labels.shape == (6,)


def test_temporal_order_labels_match_the_relevant_symbols():
    batch = memory_tasks.temporal_order(300, 50, seed=4)
    symbols = batch.inputs.argmax(axis=-1)
    alphabet = memory_tasks.TEMPORAL_ORDER_SYMBOLS
    assert np.all(symbols[:, 0] == alphabet.index("B"))
    assert np.all(symbols[:, -1] == alphabet.index("E"))
    relevant = np.isin(symbols, [alphabet.index("X"), alphabet.index("Y")])
    assert np.all(relevant.sum(axis=1) == 2)
    rows = np.arange(300)
    first, second = batch.relevant_positions.T
    assert np.all((first >= 5) & (first <= 10) & (second >= 25) & (second <= 30))
    order = [
        alphabet[symbols[b, first[b]]] + alphabet[symbols[b, second[b]]] for b in rows
    ]
    np.testing.assert_array_equal(
        [memory_tasks.TEMPORAL_ORDER_CLASSES.index(o) for o in order], batch.labels
    )
    assert set(batch.labels.tolist()) == {0, 1, 2, 3}


@pytest.mark.parametrize("length", [0, 19])
def test_temporal_order_rejects_short_sequences(length):
    with pytest.raises(ValueError, match="length"):
        memory_tasks.temporal_order(3, length, seed=0)


def test_temporal_order_rejects_empty_batch():
    with pytest.raises(ValueError, match="num_sequences"):
        memory_tasks.temporal_order(0, 30, seed=0)


def test_delayed_echo_shapes_and_targets():
    inputs, targets, step_weights = memory_tasks.delayed_echo(4, 9, 3, seed=1)
    assert inputs.shape == targets.shape == (4, 9, 1)
    assert inputs.dtype == targets.dtype == step_weights.dtype == np.float64
    assert set(np.unique(inputs)) <= {-1.0, 1.0}
    np.testing.assert_array_equal(targets[:, 3:, 0], (inputs[:, :-3, 0] + 1) / 2)
    np.testing.assert_array_equal(targets[:, :3], 0.0)
    np.testing.assert_array_equal(step_weights, [0, 0, 0, 1, 1, 1, 1, 1, 1])


def test_delayed_echo_is_seeded():
    a = memory_tasks.delayed_echo(4, 9, 3, seed=1)
    b = memory_tasks.delayed_echo(4, 9, 3, seed=1)
    c = memory_tasks.delayed_echo(4, 9, 3, seed=2)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    ("batch", "time", "lag", "message"),
    [(2, 3, 3, "time must be greater than lag"), (2, 3, 0, "lag"), (0, 3, 1, "batch")],
)
def test_delayed_echo_rejects_bad_arguments(batch, time, lag, message):
    with pytest.raises(ValueError, match=message):
        memory_tasks.delayed_echo(batch, time, lag, seed=0)


def test_copy_problem_layout():
    problem = memory_tasks.copy_problem(5, 12, copy_length=4, seed=0)
    assert problem.inputs.shape == problem.targets.shape == (5, 12 + 2 * 4)
    data = problem.inputs[:, :4]
    assert np.all((data >= 1) & (data <= memory_tasks.COPY_DATA_SYMBOLS))
    assert np.all(problem.inputs[:, 4:15] == memory_tasks.COPY_BLANK)  # lag - 1 blanks
    assert np.all(problem.inputs[:, 15] == memory_tasks.COPY_DELIMITER)
    assert np.all(problem.inputs[:, 16:] == memory_tasks.COPY_BLANK)
    assert np.all(problem.targets[:, :16] == memory_tasks.COPY_BLANK)
    np.testing.assert_array_equal(problem.targets[:, 16:], data)
    assert problem.inputs.max() < memory_tasks.COPY_VOCABULARY
    assert (problem.lag, problem.copy_length) == (12, 4)


def test_copy_problem_is_seeded_and_uses_every_data_symbol():
    first = memory_tasks.copy_problem(200, 5, seed=3)
    again = memory_tasks.copy_problem(200, 5, seed=3)
    other = memory_tasks.copy_problem(200, 5, seed=4)
    np.testing.assert_array_equal(first.inputs, again.inputs)
    assert not np.array_equal(first.inputs, other.inputs)
    assert set(np.unique(first.inputs[:, :10])) == set(range(1, 9))


def test_copy_baseline_is_the_memoryless_cross_entropy():
    # Blank with certainty where the target is blank, uniform over 8 symbols elsewhere.
    problem = memory_tasks.copy_problem(2000, 30, seed=1)
    probabilities = np.zeros((*problem.targets.shape, memory_tasks.COPY_VOCABULARY))
    counted = problem.lag + problem.copy_length
    probabilities[:, :counted, memory_tasks.COPY_BLANK] = 1.0
    probabilities[:, counted:, 1 : memory_tasks.COPY_DATA_SYMBOLS + 1] = 1 / 8
    picked = np.take_along_axis(probabilities, problem.targets[..., None], axis=-1)
    assert -np.log(picked).mean() == pytest.approx(
        memory_tasks.copy_baseline_cross_entropy(30)
    )
    assert memory_tasks.copy_baseline_cross_entropy(100) == pytest.approx(
        10 * np.log(8) / 120
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_sequences": 0, "lag": 5}, "num_sequences"),
        ({"num_sequences": 2, "lag": 0}, "lag"),
        ({"num_sequences": 2, "lag": 5, "copy_length": 0}, "copy_length"),
        ({"num_sequences": 2, "lag": 5, "seed": -1}, "seed"),
    ],
)
def test_copy_problem_rejects_bad_arguments(kwargs, message):
    kwargs.setdefault("seed", 0)
    with pytest.raises(ValueError, match=message):
        memory_tasks.copy_problem(**kwargs)


def test_copy_baseline_rejects_bad_arguments():
    with pytest.raises(ValueError, match="lag"):
        memory_tasks.copy_baseline_cross_entropy(0)
    with pytest.raises(ValueError, match="copy_length"):
        memory_tasks.copy_baseline_cross_entropy(5, copy_length=0)


def test_copy_problem_is_int32():
    problem = memory_tasks.copy_problem(3, 5, copy_length=2, seed=0)
    assert problem.inputs.dtype == np.int32 and problem.targets.dtype == np.int32


def test_echo_pairs_layout():
    pairs = memory_tasks.echo_pairs(50, 7, seed=0)
    assert pairs.source.shape == pairs.decoder_inputs.shape == pairs.targets.shape
    assert pairs.source.shape == (50, 7) and pairs.source.dtype == np.int32
    np.testing.assert_array_equal(pairs.targets, pairs.source)
    assert np.all(pairs.decoder_inputs[:, 0] == memory_tasks.ECHO_START)
    np.testing.assert_array_equal(pairs.decoder_inputs[:, 1:], pairs.targets[:, :-1])
    assert set(np.unique(pairs.source)) == set(range(1, memory_tasks.ECHO_SYMBOLS + 1))


def test_echo_pairs_are_seeded():
    first, again = (
        memory_tasks.echo_pairs(20, 5, seed=3),
        memory_tasks.echo_pairs(20, 5, seed=3),
    )
    np.testing.assert_array_equal(first.source, again.source)
    other = memory_tasks.echo_pairs(20, 5, seed=4)
    assert not np.array_equal(first.source, other.source)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_sequences": 0, "length": 5, "seed": 0}, "num_sequences"),
        ({"num_sequences": 2, "length": 0, "seed": 0}, "length"),
        ({"num_sequences": 2, "length": 5, "seed": -1}, "seed"),
    ],
)
def test_echo_pairs_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        memory_tasks.echo_pairs(**kwargs)


def test_echo_test_strings_can_be_kept_out_of_training():
    train = memory_tasks.echo_pairs(2000, 4, seed=4)
    test = memory_tasks.echo_pairs(500, 4, seed=104, disjoint_from=train)
    seen = {row.tobytes() for row in train.source}
    assert not any(row.tobytes() in seen for row in test.source)
    assert test.source.shape == (500, 4) and test.source.dtype == np.int32
    np.testing.assert_array_equal(test.targets, test.source)
    # at lengths where no string repeats, nothing is redrawn: the same strings as without
    long_train = memory_tasks.echo_pairs(200, 12, seed=12)
    np.testing.assert_array_equal(
        memory_tasks.echo_pairs(50, 12, seed=1, disjoint_from=long_train).source,
        memory_tasks.echo_pairs(50, 12, seed=1).source,
    )


def test_echo_pairs_refuses_an_exclusion_it_cannot_meet():
    everything = memory_tasks.EchoPairs(
        source=np.arange(1, 9, dtype=np.int32)[:, None],
        decoder_inputs=np.zeros((8, 1), np.int32),
        targets=np.arange(1, 9, dtype=np.int32)[:, None],
    )
    with pytest.raises(ValueError, match="disjoint_from holds all"):
        memory_tasks.echo_pairs(3, 1, seed=0, disjoint_from=everything)
    with pytest.raises(ValueError, match="disjoint_from must hold strings of 2"):
        memory_tasks.echo_pairs(3, 2, seed=0, disjoint_from=everything)


@pytest.mark.parametrize(("lag", "copy_length"), [(100, 10), (5, 3), (1, 4)])
def test_copy_input_only_cross_entropy_is_the_conditional_entropy(lag, copy_length):
    """The closed form against counting: H(target | current input) on generated data."""
    problem = memory_tasks.copy_problem(20_000, lag, copy_length=copy_length, seed=0)
    x, y = problem.inputs.ravel(), problem.targets.ravel()
    joint = np.zeros((x.max() + 1, y.max() + 1))
    np.add.at(joint, (x, y), 1)
    conditional = joint / joint.sum(axis=1, keepdims=True).clip(min=1)
    counted = -np.mean(np.log(conditional[x, y]))
    expected = memory_tasks.copy_input_only_cross_entropy(lag, copy_length)
    assert abs(counted - expected) < 2e-3
    assert expected >= memory_tasks.copy_baseline_cross_entropy(lag, copy_length)


def test_copy_input_only_cross_entropy_at_lag_100():
    value = memory_tasks.copy_input_only_cross_entropy(100)
    assert abs(value - (99 * np.log(109 / 99) + 10 * np.log(87.2)) / 120) < 1e-12
