"""Linear recurrences computed in parallel (chapter 11), written in the chapter verbatim.

A diagonal linear recurrence ``h_t = a_t * h_{t-1} + b_t`` (elementwise, ``h_0 = 0``) can be
computed one step after another (:func:`linear_recurrence_loop`, ``T`` sequential steps) or
with a parallel prefix scan (:func:`linear_recurrence_scan`, about ``2 log2 T`` sequential
rounds), because two consecutive steps compose into one step of the same form
(:func:`combine`). :class:`MinGRU` is the minimal GRU of Feng et al. (2024): its gates read
only the input, so its state is such a recurrence.

Importing this module imports Keras (like :mod:`rnn_utils.backend`); the notebooks import it
after :func:`rnn_utils.setup`. ``tests/test_chapter_code.py`` keeps these definitions equal
to the chapter's.
"""

from __future__ import annotations

from typing import Any

import keras


def check_recurrence_arguments(a: Any, b: Any) -> None:
    """Raise ValueError unless ``a`` and ``b`` are ``(batch, time, units)`` of one shape.

    Works on static shapes, so it also runs while Keras traces a graph (unknown sizes,
    ``None``, are not compared).
    """
    shapes = {}
    for name, value in (("a", a), ("b", b)):
        shapes[name] = tuple(getattr(value, "shape", ()))
        if len(shapes[name]) != 3:
            raise ValueError(
                f"{name} must have shape (batch, time, units), got {type(value).__name__}"
                f" of shape {shapes[name]}"
            )
    if any(
        size_a is not None and size_b is not None and size_a != size_b
        for size_a, size_b in zip(shapes["a"], shapes["b"], strict=True)
    ):
        raise ValueError(
            f"a and b must have the same shape, got {shapes['a']} and {shapes['b']}"
        )
    if shapes["b"][1] == 0:
        raise ValueError("a and b must have at least one time step, got 0")


def linear_recurrence_loop(a, b):
    """h_t = a_t * h_{t-1} + b_t from h_0 = 0, one step after another.

    a, b: (batch, time, units) tensors. Returns h: (batch, time, units).
    """
    check_recurrence_arguments(a, b)
    a, b = keras.ops.convert_to_tensor(a), keras.ops.convert_to_tensor(b)
    h = keras.ops.zeros_like(b[:, 0])
    states = []
    for t in range(keras.ops.shape(b)[1]):
        h = a[:, t] * h + b[:, t]
        states.append(h)
    return keras.ops.stack(states, axis=1)


def combine(earlier, later):
    """Compose h -> a1*h + b1, then h -> a2*h + b2, into one step: an associative op."""
    a1, b1 = earlier
    a2, b2 = later
    return a1 * a2, a2 * b1 + b2


def linear_recurrence_scan(a, b):
    """The same h as linear_recurrence_loop, by a parallel prefix scan over time.

    a, b: (batch, time, units) tensors. Returns h: (batch, time, units).
    """
    check_recurrence_arguments(a, b)
    _, h = keras.ops.associative_scan(combine, (a, b), axis=1)
    # Under TensorFlow, in a traced graph, the scan's result loses its static shape.
    return keras.ops.reshape(h, keras.ops.shape(b))


class MinGRU(keras.layers.Layer):
    """The minimal GRU (Feng et al., 2024): gate and candidate read x_t alone.

    z_t = sigmoid(W_z x_t + b_z), c_t = W_c x_t + b_c,
    h_t = (1 - z_t) * h_{t-1} + z_t * c_t: a linear recurrence in h, computed by a scan.
    Reads (batch, time, features); returns (batch, time, units), or the last step
    (batch, units) with return_sequences=False. gate_bias sets the initial decay
    1 - sigmoid(gate_bias) (0.95 for the default -3): a long memory from the start.
    """

    def __init__(self, units, *, gate_bias=-3.0, return_sequences=True, **kwargs):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise ValueError(f"units must be a positive integer, got {units!r}")
        self.units = units
        self.gate_bias = float(gate_bias)
        self.return_sequences = bool(return_sequences)
        self.update_gate = keras.layers.Dense(
            units,
            activation="sigmoid",
            bias_initializer=keras.initializers.Constant(gate_bias),
        )
        self.candidate = keras.layers.Dense(units)

    def build(self, input_shape):
        self.update_gate.build(input_shape)
        self.candidate.build(input_shape)

    def decay(self, inputs):
        """a_t = 1 - z_t, (batch, time, units): the diagonal of dh_t/dh_{t-1}."""
        return 1.0 - self.update_gate(inputs)

    def call(self, inputs):
        z = self.update_gate(inputs)
        h = linear_recurrence_scan(1.0 - z, z * self.candidate(inputs))
        return h if self.return_sequences else h[:, -1]

    def compute_output_shape(self, input_shape):
        if self.return_sequences:
            return (*input_shape[:-1], self.units)
        return (input_shape[0], self.units)

    def get_config(self):
        config = super().get_config()
        config.update(
            units=self.units,
            gate_bias=self.gate_bias,
            return_sequences=self.return_sequences,
        )
        return config
