"""Tests of the NumPy cells in :mod:`rnn_utils.cells` against Keras' SimpleRNN, LSTM and GRU."""

import numpy as np
import pytest

from rnn_utils import cells

TOLERANCE = 1e-5  # float32 NumPy against float32 Keras

# (cell, reset_after): every cell and both GRU variants; reset_after matters for the GRU only.
VARIANTS = [("simple_rnn", True), ("lstm", True), ("gru", True), ("gru", False)]
VARIANT_IDS = ["simple_rnn", "lstm", "gru-reset_after", "gru-reset_before"]

LAYERS = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
BLOCKS = {"simple_rnn": 1, "lstm": 4, "gru": 3}
FORWARD = {
    "simple_rnn": cells.simple_rnn_forward,
    "lstm": cells.lstm_forward,
    "gru": cells.gru_forward,
}
INTERNALS = {
    "simple_rnn": set(),
    "lstm": {"input", "forget", "candidate", "output", "cell"},
    "gru": {"update", "reset", "candidate"},
}

SHAPES = [
    # batch, time, features, units
    (1, 1, 1, 1),
    (3, 5, 2, 3),
    (2, 20, 4, 16),
]


def _keras_layer(keras, cell, reset_after, features, units, rng, **kwargs):
    """A built Keras layer with every weight, biases included, drawn from N(0, 0.5^2)."""
    options = {"reset_after": reset_after} if cell == "gru" else {}
    layer = getattr(keras.layers, LAYERS[cell])(
        units, return_sequences=True, **options, **kwargs
    )
    layer.build((None, None, features))
    layer.set_weights(
        [rng.normal(0, 0.5, w.shape).astype(np.float32) for w in layer.get_weights()]
    )
    return layer


def _weights(cell, features, units, rng, *, reset_after=True):
    """Random float64 weights in Keras' layout: kernel, recurrent_kernel, bias."""
    width = BLOCKS[cell] * units
    bias_shape = (2, width) if cell == "gru" and reset_after else (width,)
    return (
        rng.normal(0, 0.6, (features, width)),
        rng.normal(0, 0.6, (units, width)),
        rng.normal(0, 0.6, bias_shape),
    )


def _run(cell, inputs, kernel, recurrent_kernel, bias):
    """``(states, gates)`` of any cell's forward pass; the SimpleRNN has no gates."""
    result = FORWARD[cell](inputs, kernel, recurrent_kernel, bias)
    return (result, {}) if cell == "simple_rnn" else result


# --------------------------------------------------------------------------- against Keras


@pytest.mark.parametrize(("batch", "time", "features", "units"), SHAPES)
@pytest.mark.parametrize(("cell", "reset_after"), VARIANTS, ids=VARIANT_IDS)
def test_forward_matches_keras(
    keras, rng, cell, reset_after, batch, time, features, units
):
    layer = _keras_layer(keras, cell, reset_after, features, units, rng)
    inputs = rng.normal(size=(batch, time, features)).astype(np.float32)
    expected = keras.ops.convert_to_numpy(layer(inputs))

    states, _ = _run(cell, inputs, *layer.get_weights())

    assert states.shape == (batch, time, units)
    assert states.dtype == np.float32
    np.testing.assert_allclose(states, expected, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize(("cell", "reset_after"), VARIANTS, ids=VARIANT_IDS)
def test_forward_takes_keras_default_weights_as_returned(keras, rng, cell, reset_after):
    """``layer.get_weights()`` of a freshly initialised layer goes straight in."""
    options = {"reset_after": reset_after} if cell == "gru" else {}
    layer = getattr(keras.layers, LAYERS[cell])(6, **options)
    inputs = rng.normal(size=(3, 10, 5)).astype(np.float32)
    expected = keras.ops.convert_to_numpy(layer(inputs))  # the last output only
    states, _ = _run(cell, inputs, *layer.get_weights())
    np.testing.assert_allclose(states[:, -1], expected, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize(("batch", "time", "features", "units"), SHAPES)
def test_lstm_cell_state_matches_keras_state(keras, rng, batch, time, features, units):
    layer = _keras_layer(keras, "lstm", True, features, units, rng, return_state=True)
    inputs = rng.normal(size=(batch, time, features)).astype(np.float32)
    outputs, h, c = (keras.ops.convert_to_numpy(a) for a in layer(inputs))

    states, gates = cells.lstm_forward(inputs, *layer.get_weights())

    np.testing.assert_allclose(states, outputs, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(states[:, -1], h, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(gates["cell"][:, -1], c, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize(("features", "units"), [(1, 1), (2, 16), (8, 5)])
@pytest.mark.parametrize(("cell", "reset_after"), VARIANTS, ids=VARIANT_IDS)
def test_parameter_count_matches_keras(keras, rng, cell, reset_after, features, units):
    layer = _keras_layer(keras, cell, reset_after, features, units, rng)
    count = cells.parameter_count(cell, features, units, reset_after=reset_after)
    assert count == layer.count_params()
    assert count == sum(w.size for w in layer.get_weights())


# --------------------------------------------------------------------------- NumPy only


def _step_loop(cell, inputs, kernel, recurrent_kernel, bias):
    """The chapters' loop written out: each cell's step from a zero state."""
    batch, units = inputs.shape[0], recurrent_kernel.shape[0]
    h = c = np.zeros((batch, units))
    steps = []
    for t in range(inputs.shape[1]):
        if cell == "simple_rnn":
            h = cells.simple_rnn_step(inputs[:, t], h, kernel, recurrent_kernel, bias)
            internals = {}
        elif cell == "lstm":
            h, internals = cells.lstm_step(
                inputs[:, t], h, c, kernel, recurrent_kernel, bias
            )
            c = internals["cell"]
        else:
            h, internals = cells.gru_step(
                inputs[:, t], h, kernel, recurrent_kernel, bias
            )
        steps.append((h, internals))
    return steps


@pytest.mark.parametrize(("cell", "reset_after"), VARIANTS, ids=VARIANT_IDS)
def test_step_by_step_loop_equals_forward(rng, cell, reset_after):
    weights = _weights(cell, 3, 4, rng, reset_after=reset_after)
    inputs = rng.normal(size=(2, 6, 3))
    steps = _step_loop(cell, inputs, *weights)
    states, gates = _run(cell, inputs, *weights)
    for t, (h, internals) in enumerate(steps):
        np.testing.assert_array_equal(states[:, t], h)
        assert set(internals) == set(gates)
        for name, value in internals.items():
            np.testing.assert_array_equal(gates[name][:, t], value)


@pytest.mark.parametrize(("cell", "reset_after"), VARIANTS, ids=VARIANT_IDS)
def test_forward_shapes_and_gates(rng, cell, reset_after):
    weights = _weights(cell, 3, 5, rng, reset_after=reset_after)
    states, gates = _run(cell, rng.normal(size=(4, 7, 3)), *weights)
    assert states.shape == (4, 7, 5)
    assert set(gates) == INTERNALS[cell]
    for name, value in gates.items():
        assert value.shape == (4, 7, 5), name


def test_simple_rnn_step_by_hand():
    kernel = np.array([[1.0, -1.0]])  # 1 feature, 2 units
    recurrent_kernel = np.array([[0.5, 0.0], [0.0, 2.0]])
    bias = np.array([0.1, 0.2])
    h_t = cells.simple_rnn_step(
        np.array([[2.0]]), np.array([[1.0, -0.5]]), kernel, recurrent_kernel, bias
    )
    np.testing.assert_allclose(
        h_t, np.tanh([[2.0 + 0.5 + 0.1, -2.0 - 1.0 + 0.2]]), rtol=1e-12
    )


def test_lstm_gates_are_in_range_and_rebuild_the_cell(rng):
    weights = _weights("lstm", 3, 5, rng)
    states, gates = cells.lstm_forward(rng.normal(size=(4, 7, 3)), *weights)
    for name in ("input", "forget", "output"):
        assert np.all((gates[name] > 0) & (gates[name] < 1)), name
    assert np.all(np.abs(gates["candidate"]) < 1)
    cell = gates["cell"]
    previous = np.concatenate([np.zeros((4, 1, 5)), cell[:, :-1]], axis=1)
    np.testing.assert_allclose(
        cell,
        gates["forget"] * previous + gates["input"] * gates["candidate"],
        atol=1e-12,
    )
    np.testing.assert_allclose(states, gates["output"] * np.tanh(cell), atol=1e-12)


@pytest.mark.parametrize(
    "reset_after", [True, False], ids=["reset_after", "reset_before"]
)
def test_gru_gates_are_in_range_and_interpolate_the_state(rng, reset_after):
    weights = _weights("gru", 3, 5, rng, reset_after=reset_after)
    states, gates = cells.gru_forward(rng.normal(size=(4, 7, 3)), *weights)
    z, r, candidate = (gates[k] for k in ("update", "reset", "candidate"))
    assert np.all((z > 0) & (z < 1)) and np.all((r > 0) & (r < 1))
    assert np.all(np.abs(candidate) < 1)
    previous = np.concatenate([np.zeros((4, 1, 5)), states[:, :-1]], axis=1)
    np.testing.assert_allclose(states, z * previous + (1 - z) * candidate, atol=1e-12)


def test_closed_input_gate_and_open_forget_gate_keep_the_cell():
    """The input gate opens on the first step only (x = 1, then 0); with f = 1 the cell
    keeps what was written then for the remaining 39 steps."""
    units = 3
    kernel = np.zeros((1, 4 * units))
    kernel[0, :units] = 100.0  # input gate: z_i = 100 x - 50
    bias = np.concatenate(
        [np.full(units, -50.0), np.full(units, 50.0), [0.5, -1.0, 2.0], np.zeros(units)]
    )
    inputs = np.zeros((1, 40, 1))
    inputs[0, 0, 0] = 1.0
    _, gates = cells.lstm_forward(inputs, kernel, np.zeros((units, 4 * units)), bias)
    np.testing.assert_allclose(gates["cell"][0], np.tanh([[0.5, -1.0, 2.0]] * 40))


def test_sigmoid_is_stable_for_huge_inputs():
    z = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    with np.errstate(all="raise"):
        values = cells.sigmoid(z)
    np.testing.assert_allclose(values[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-12)
    assert values[0] == 0.0 and values[-1] == 1.0


# --------------------------------------------------------------------------- bad arguments


def _arguments(cell, rng):
    """Consistent arguments for ``cell``: batch 2, time 4, features 3, units 2."""
    kernel, recurrent_kernel, bias = _weights(cell, 3, 2, rng)
    inputs = rng.normal(size=(2, 4, 3))
    return {
        "inputs": inputs,
        "kernel": kernel,
        "recurrent_kernel": recurrent_kernel,
        "bias": bias,
    }


@pytest.mark.parametrize(
    ("cell", "name", "value"),
    [
        ("lstm", "cell", "transformer"),
        ("simple_rnn", "kernel", np.zeros(3)),
        ("lstm", "kernel", np.zeros((3, 7))),  # not four blocks
        ("lstm", "recurrent_kernel", np.zeros((2, 4))),
        ("gru", "recurrent_kernel", np.zeros((3, 6))),
        ("simple_rnn", "bias", np.zeros((1, 2))),
        ("lstm", "bias", np.zeros(4)),
        ("gru", "bias", np.zeros((3, 6))),
        ("gru", "inputs", np.zeros((4, 3))),
        ("lstm", "inputs", np.zeros((2, 4, 2))),
        ("simple_rnn", "inputs", np.zeros((2, 0, 3))),
        ("gru", "inputs", np.full((2, 4, 3), np.nan)),
        ("gru", "features", 0),
        ("lstm", "units", 1.5),
        ("gru", "reset_after", "yes"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(rng, cell, name, value):
    if name in ("features", "units", "reset_after"):
        with pytest.raises(ValueError, match=f"^{name} must"):
            cells.parameter_count(cell, **{"features": 3, "units": 2, name: value})
        return
    arguments = {"cell": cell, **_arguments(cell, rng), name: value}
    with pytest.raises(ValueError, match=f"^{name} must"):
        cells.check_cell_arguments(**arguments)
    if name != "cell":
        with pytest.raises(ValueError, match=f"^{name} must"):
            FORWARD[cell](**{k: v for k, v in arguments.items() if k != "cell"})
