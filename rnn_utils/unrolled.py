"""A recurrent layer unrolled into a deep feedforward network, for measuring gradients.

Chapter 2 showed that ``T`` steps of a SimpleRNN compute the same function as ``T`` tanh
layers with tied weights. This module measures the *backward* side of that identity:
:func:`dense_stack_gradient_norms` runs a stack of ``tanh`` Dense layers,

    h_l = tanh(h_{l-1} @ kernels[l - 1] + biases[l - 1]),    l = 1 .. depth,

(row vectors, Keras' layout) and returns ``||dL/dh_l||`` for every layer, by the Keras
backend's automatic differentiation (through :func:`rnn_utils.autodiff.loss_gradients`).
Passing the same kernel for every layer gives the tied-weight network that equals a
SimpleRNN with zero inputs; :func:`random_kernels` gives untied layers to contrast with.

Keras is imported inside the functions, so importing :mod:`rnn_utils` does not import it
before :func:`rnn_utils.setup` has run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rnn_utils import _checks, autodiff


def _check_stack(
    kernels: Sequence[np.ndarray], biases: Sequence[np.ndarray] | None
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    if (
        isinstance(kernels, np.ndarray)
        or not isinstance(kernels, Sequence)
        or not kernels
    ):
        raise ValueError("kernels must be a non-empty list of (units, units) arrays")
    checked = [
        _checks.array(f"kernels[{i}]", k, 2, dtype=np.float64)
        for i, k in enumerate(kernels)
    ]
    units = checked[0].shape[0]
    if units == 0:
        raise ValueError("kernels[0] must have at least one unit, got shape (0, 0)")
    for i, kernel in enumerate(checked):
        _checks.shape_matches(f"kernels[{i}]", kernel, (units, units))
    if biases is None:
        bias_list = [np.zeros(units) for _ in checked]
    else:
        if isinstance(biases, np.ndarray) or not isinstance(biases, Sequence):
            raise ValueError(
                "biases must be a list of (units,) arrays, one per kernel, or None"
            )
        if len(biases) != len(checked):
            raise ValueError(
                f"biases must hold one array per kernel ({len(checked)}), got {len(biases)}"
            )
        bias_list = [
            _checks.array(f"biases[{i}]", b, 1, dtype=np.float64)
            for i, b in enumerate(biases)
        ]
        for i, bias in enumerate(bias_list):
            _checks.shape_matches(f"biases[{i}]", bias, (units,))
    return checked, bias_list


def dense_stack_gradient_norms(
    kernels: Sequence[np.ndarray],
    inputs: np.ndarray,
    direction: np.ndarray,
    *,
    biases: Sequence[np.ndarray] | None = None,
    dtype: str | None = None,
) -> np.ndarray:
    """``||dL/dh_l||`` for every layer of a stack of tanh Dense layers, by autodiff.

    The stack computes ``h_0 = inputs`` and ``h_l = tanh(h_{l-1} @ kernels[l-1] + biases[l-1])``
    with one ``keras.layers.Dense(units, activation="tanh")`` called through
    ``stateless_call``, so the weights of each layer are exactly the arrays given: the same
    array for every layer makes the weights tied. The loss is ``L = sum_b <direction, h_depth[b]>``.
    To read ``dL/dh_l`` for an intermediate layer, a zero tensor ``e_l`` is added to each
    layer's output and ``dL/de_l = dL/dh_l`` is taken from autodiff.

    Args:
        kernels: ``depth`` arrays of shape ``(units, units)`` in Keras' layout (the layer
            computes ``h @ kernel``); pass a SimpleRNN's ``recurrent_kernel`` (``U^T``)
            ``depth`` times to unroll it.
        inputs: ``(batch, units)`` the input ``h_0`` of the first layer.
        direction: ``(units,)`` the projection of the last layer's output that is the loss.
        biases: ``depth`` arrays of shape ``(units,)``; zeros by default.
        dtype: ``"float64"`` or ``"float32"``, as in
            :func:`rnn_utils.autodiff.loss_gradients`; by default
            :func:`rnn_utils.autodiff.precise_dtype` (float64 under TensorFlow, float32
            under JAX and PyTorch, whose Keras ops round float64 to float32).

    Returns:
        ``(batch, depth + 1)`` float64: column ``l`` is ``||dL/dh_l||`` for each example;
        column ``depth`` is ``||direction||`` and column 0 belongs to the input.

    Raises:
        ValueError: on kernels that are not square and equal in size, biases or inputs of
            the wrong shape, or a zero direction.
    """
    kernel_list, bias_list = _check_stack(kernels, biases)
    units = kernel_list[0].shape[0]
    inputs = _checks.array("inputs", inputs, 2, dtype=np.float64)
    _checks.shape_matches("inputs", inputs, (None, units))
    if inputs.shape[0] == 0:
        raise ValueError("inputs must hold at least one example, got shape (0, units)")
    direction = _checks.array("direction", direction, 1, dtype=np.float64)
    _checks.shape_matches("direction", direction, (units,))
    if not np.any(direction):
        raise ValueError("direction must not be the zero vector")
    import keras

    dtype = autodiff.precise_dtype() if dtype is None else dtype
    depth, batch = len(kernel_list), inputs.shape[0]
    layer = keras.layers.Dense(units, activation="tanh", dtype=dtype)
    layer.build((None, units))

    def projected_output(tensors: dict[str, Any]) -> Any:
        h = tensors["inputs"]
        for index in range(depth):
            weights = [tensors[f"kernel_{index}"], tensors[f"bias_{index}"]]
            h, _ = layer.stateless_call(weights, [], h)
            h = h + tensors["perturbations"][index]
        target = keras.ops.convert_to_tensor(direction, dtype=dtype)
        return keras.ops.sum(h * target)

    point: dict[str, np.ndarray] = {
        "inputs": inputs,
        "perturbations": np.zeros((depth, batch, units)),
    }
    for index, (kernel, bias) in enumerate(zip(kernel_list, bias_list, strict=True)):
        point[f"kernel_{index}"] = kernel
        point[f"bias_{index}"] = bias
    _, grads = autodiff.loss_gradients(projected_output, point, dtype=dtype)
    norms = np.empty((batch, depth + 1))
    norms[:, 0] = np.linalg.norm(grads["inputs"].astype(np.float64), axis=-1)
    norms[:, 1:] = np.linalg.norm(grads["perturbations"].astype(np.float64), axis=-1).T
    return norms


def random_kernels(
    units: int, depth: int, radius: float, *, seed: int
) -> list[np.ndarray]:
    """``depth`` independent Gaussian ``(units, units)`` matrices of spectral radius ``radius``.

    The untied counterpart of ``[recurrent_kernel] * depth``: every layer has its own
    matrix, drawn from the same distribution and scaled to the same spectral radius.

    Args:
        units: size of each square matrix, >= 1.
        depth: number of matrices, >= 1.
        radius: spectral radius of every matrix, > 0.
        seed: seed of the generator.

    Returns:
        A list of ``depth`` float64 arrays of shape ``(units, units)``.
    """
    units = _checks.positive_int("units", units)
    depth = _checks.positive_int("depth", depth)
    radius = _checks.positive_float("radius", radius)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    kernels = []
    for _ in range(depth):
        matrix = rng.standard_normal((units, units))
        current = float(np.max(np.abs(np.linalg.eigvals(matrix))))
        kernels.append(matrix * (radius / current))
    return kernels
