"""Recurrent layers, models and initialisers that Keras does not ship (chapters 6 and 12).

:func:`irnn_layer` is the IRNN of Le, Jaitly & Hinton (2015); :func:`truncated_model` cuts
the gradient ``window`` steps before the end (truncated BPTT for a loss at the last step);
:func:`lstm_forget_bias` starts an LSTM's forget gates at a chosen bias.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rnn_utils import _checks


def irnn_layer(units: int, *, input_stddev: float = 1e-3, seed: int = 0) -> Any:
    """An IRNN (Le, Jaitly & Hinton 2015): ReLU SimpleRNN, identity recurrent matrix.

    ``h_t = relu(x_t W + h_{t-1} U + b)`` with ``U = I``, ``b = 0`` and ``W`` drawn from
    N(0, ``input_stddev``^2). At initialisation the state is simply accumulated, and the
    Jacobian ``dh_t/dh_{t-1}`` is the identity on the active units: it neither shrinks nor
    grows a gradient.

    Args:
        units: hidden units, >= 1.
        input_stddev: standard deviation of the input weights, > 0.
        seed: seed of the input weights' initialiser.

    Returns:
        A ``keras.layers.SimpleRNN`` mapping ``(batch, time, features)`` to ``(batch, units)``.
    """
    import keras

    units = _checks.positive_int("units", units)
    input_stddev = _checks.positive_float("input_stddev", input_stddev)
    seed = _checks.non_negative_int("seed", seed)
    return keras.layers.SimpleRNN(
        units,
        activation="relu",
        kernel_initializer=keras.initializers.RandomNormal(
            stddev=input_stddev, seed=seed
        ),
        recurrent_initializer=keras.initializers.Identity(),
        bias_initializer="zeros",
        name="irnn",
    )


def truncated_model(layer: Any, *, length: int, window: int, features: int = 2) -> Any:
    """``Input -> layer -> Dense(1)``, uncompiled; the gradient reaches ``window`` steps back.

    The layer (``return_state=True`` is set on it) first reads steps ``0 .. length-window-1``;
    its final state goes through ``stop_gradient`` and is the initial state for the last
    ``window`` steps, read by the *same* layer (shared weights). The forward pass is exactly
    the untruncated one; the backward pass is truncated BPTT with window ``window`` for a
    loss at the last step.

    Args:
        layer: a ``keras.layers.SimpleRNN``, ``GRU`` or ``LSTM``, not yet built.
        length: steps per sequence (fixed), >= 2.
        window: steps the gradient flows back through, ``1 <= window < length``.
        features: inputs per step.

    Returns:
        A ``keras.Model``, to compile as any other, mapping ``(batch, length, features)``
        to ``(batch, 1)``.
    """
    import keras

    length = _checks.positive_int("length", length)
    window = _checks.positive_int("window", window)
    features = _checks.positive_int("features", features)
    if window >= length:
        raise ValueError(f"window must be smaller than length ({length}), got {window}")
    if not isinstance(
        layer, (keras.layers.SimpleRNN, keras.layers.GRU, keras.layers.LSTM)
    ):
        raise ValueError(
            f"layer must be a keras.layers.SimpleRNN, GRU or LSTM, got {type(layer).__name__}"
        )
    layer.return_state = True
    split = length - window
    inputs = keras.Input((length, features))
    early = keras.layers.Lambda(lambda x: x[:, :split], name="early_steps")(inputs)
    late = keras.layers.Lambda(lambda x: x[:, split:], name="last_window")(inputs)
    _, *states = layer(early)
    states = [
        keras.layers.Lambda(keras.ops.stop_gradient, name=f"truncate_{i}")(state)
        for i, state in enumerate(states)
    ]
    output, *_ = layer(late, initial_state=states)
    return keras.Model(inputs, keras.layers.Dense(1)(output))


def lstm_forget_bias(value: float) -> Callable[..., Any]:
    """A bias initialiser for ``keras.layers.LSTM`` with every forget gate at ``value``.

    Keras orders an LSTM's bias in four blocks of ``units``: input gate, forget gate, cell
    candidate, output gate. This sets the forget block to ``value`` and the others to 0, so
    that the cell keeps ``sigmoid(value)`` of itself per step at initialisation: 0.73 at 1
    (what ``unit_forget_bias=True``, Keras' default, gives) and 0.95 at 3, about 20 steps of
    memory. Pass it with ``unit_forget_bias=False``: with ``True`` Keras builds the bias
    itself, calling the initialiser for the input block (``(units,)``) and the last two
    (``(2 * units,)``) and putting ones in the forget block, so this initialiser would be
    called on shapes it was not written for.

    Args:
        value: the forget gates' bias, a finite real number.

    Returns:
        ``initializer(shape, dtype=None)`` for ``bias_initializer=``; it raises
        ``ValueError`` unless ``shape`` is ``(4 * units,)``.
    """
    import keras

    value = _checks.real("value", value)

    def initializer(shape: tuple[int, ...], dtype: Any = None) -> Any:
        if len(shape) != 1 or shape[0] == 0 or shape[0] % 4 != 0:
            raise ValueError(
                f"shape must be (4 * units,) for an LSTM's bias, got {shape}"
            )
        units = shape[0] // 4
        blocks = [0.0] * units + [value] * units + [0.0] * (2 * units)
        return keras.ops.convert_to_tensor(blocks, dtype=dtype or "float32")

    return initializer
