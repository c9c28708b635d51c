"""Automatic differentiation, behind one backend-neutral function: :func:`loss_gradients`.

A notebook writes its loss with ``keras.ops`` and Keras layers (``layer.stateless_call``
takes the weights as arguments), and asks for its gradient here. This is the only module
of the book that calls a backend's automatic differentiation:

- TensorFlow (the default, and what CI runs): ``tf.GradientTape``;
- JAX: ``jax.value_and_grad`` (with 64-bit floats switched on for the call when asked);
- PyTorch: ``torch.autograd.grad``.

The backend is the one Keras runs on, ``keras.backend.backend()``. Only TensorFlow keeps
float64 through every Keras op (see :func:`float64_exact`). Keras is imported
inside the functions, so importing :mod:`rnn_utils` does not import it before
:func:`rnn_utils.setup` has run.
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from rnn_utils import _checks

DTYPES = ("float32", "float64")
"""Floating types :func:`loss_gradients` computes in."""

LossFunction = Callable[[dict[str, Any]], Any]


def _check_arguments(
    loss_fn: object, weights: object, dtype: object
) -> tuple[dict[str, np.ndarray], str]:
    if not callable(loss_fn):
        raise ValueError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, got {dtype!r}")
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError("weights must be a non-empty mapping of name -> array")
    arrays = {}
    for name, value in weights.items():
        if not isinstance(name, str):
            raise ValueError(f"weights must be keyed by strings, got key {name!r}")
        array = np.asarray(value)
        if not np.issubdtype(array.dtype, np.number):
            raise ValueError(
                f"weights[{name!r}] must be numeric, got dtype {array.dtype}"
            )
        arrays[name] = _checks.array(
            f"weights[{name!r}]", array.astype(dtype), array.ndim
        )
    return arrays, dtype


def _tensor(loss: Any) -> Any:
    """``loss`` if it is a backend tensor; a Python or NumPy number has no gradient."""
    if isinstance(loss, (numbers.Number, np.ndarray, np.generic)):
        raise ValueError(
            "loss_fn must return a tensor computed from its argument with keras.ops, "
            f"got a {type(loss).__name__}, which has no gradient"
        )
    return loss


def _scalar(loss: Any) -> float:
    import keras

    value = np.asarray(keras.ops.convert_to_numpy(loss))
    if value.size != 1:
        raise ValueError(f"loss_fn must return a scalar, got shape {value.shape}")
    return float(value.reshape(()))


def _scalar_jax(loss_fn: LossFunction) -> LossFunction:
    """``loss_fn`` with its output checked to be a scalar (``jax.grad`` needs one)."""

    def wrapped(tensors: dict[str, Any]) -> Any:
        loss = _tensor(loss_fn(tensors))
        if int(np.prod(np.shape(loss))) != 1:
            raise ValueError(
                f"loss_fn must return a scalar, got shape {np.shape(loss)}"
            )
        return loss.reshape(())

    return wrapped


@contextlib.contextmanager
def _jax_precision(dtype: str) -> Iterator[None]:
    """Switch JAX's 64-bit mode on for the block if ``dtype`` needs it."""
    import jax

    if dtype != "float64" or jax.config.read("jax_enable_x64"):
        yield
        return
    enable = getattr(jax, "enable_x64", None)
    if enable is not None and callable(enable):
        with enable(True):
            yield
    else:  # older JAX
        from jax.experimental import enable_x64

        with enable_x64():
            yield


def float64_exact() -> bool:
    """Whether Keras keeps float64 through all of its ops on the current backend.

    Keras' type promotion (``keras.backend.result_type``) turns 64-bit floats into 32-bit
    ones on every backend except TensorFlow, to match JAX's defaults; ops such as
    ``keras.ops.tanh`` (JAX) or ``keras.ops.matmul`` (PyTorch) then compute in float32 even
    on float64 input. So compare a float64 hand-written gradient with autodiff of Keras
    layers at float64 precision only where this is true (TensorFlow, the book's default),
    and at float32 precision elsewhere.
    """
    import keras

    return keras.backend.result_type("float64", float) == "float64"


def precise_dtype() -> str:
    """The most precise float type every Keras op keeps here: ``"float64"`` where
    :func:`float64_exact` is true (TensorFlow), ``"float32"`` on the other backends."""
    return "float64" if float64_exact() else "float32"


def loss_gradients(
    loss_fn: LossFunction, weights: Mapping[str, np.ndarray], *, dtype: str = "float64"
) -> tuple[float, dict[str, np.ndarray]]:
    """The value of a scalar loss and its gradient with respect to every weight, by autodiff.

    Args:
        loss_fn: maps ``{name: tensor}`` to a scalar tensor. Write it with ``keras.ops`` and
            Keras layers' ``stateless_call``, so that it runs on every backend; it receives
            backend tensors of type ``dtype`` with the shapes of ``weights``.
        weights: ``{name: array}`` the point at which to differentiate.
        dtype: ``"float64"`` (the default) or ``"float32"``: the type of the tensors
            ``loss_fn`` receives and of the gradients returned. Where
            :func:`float64_exact` is true, a float64 loss agrees with a float64 hand-written
            gradient to rounding level (~1e-15 relative).

    Returns:
        ``(loss, gradients)``: the loss as a float and ``{name: dloss/dname}`` as NumPy
        arrays of type ``dtype`` with the shapes of ``weights``.

    Raises:
        ValueError: on a bad argument, a non-scalar loss, or a backend this module does not
            know.
    """
    arrays, dtype = _check_arguments(loss_fn, weights, dtype)
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tensors = {name: tf.convert_to_tensor(value) for name, value in arrays.items()}
        with tf.GradientTape() as tape:
            tape.watch(list(tensors.values()))
            loss = _tensor(loss_fn(tensors))
        value = _scalar(loss)
        gradients = tape.gradient(
            loss, tensors, unconnected_gradients=tf.UnconnectedGradients.ZERO
        )
    elif backend == "jax":
        import jax

        with _jax_precision(dtype):
            tensors = {name: jax.numpy.asarray(value) for name, value in arrays.items()}
            loss, gradients = jax.value_and_grad(_scalar_jax(loss_fn))(tensors)
            value = _scalar(loss)
            gradients = {
                name: np.asarray(gradient) for name, gradient in gradients.items()
            }
    elif backend == "torch":
        import torch

        tensors = {
            name: keras.ops.convert_to_tensor(value)
            .detach()
            .clone()
            .requires_grad_(True)
            for name, value in arrays.items()
        }
        loss = _tensor(loss_fn(tensors))
        value = _scalar(loss.detach())
        grads = torch.autograd.grad(loss, list(tensors.values()), allow_unused=True)
        gradients = {
            name: torch.zeros_like(tensor) if grad is None else grad
            for (name, tensor), grad in zip(tensors.items(), grads, strict=True)
        }
        gradients = {
            name: grad.detach().cpu().numpy() for name, grad in gradients.items()
        }
    else:
        raise ValueError(
            f"loss_gradients supports the tensorflow, jax and torch backends, got {backend!r}"
        )
    result = {
        name: np.asarray(keras.ops.convert_to_numpy(gradients[name])).astype(dtype)
        for name in arrays
    }
    for name, gradient in result.items():
        if gradient.shape != arrays[name].shape:  # pragma: no cover - a backend bug
            raise ValueError(f"gradient of {name!r} has shape {gradient.shape}")
    return value, result


def global_gradient_norm(
    model: Any, inputs: object, targets: object, loss: Any
) -> float:
    """The global L2 norm of a Keras model's loss gradient at its current weights.

    This is the quantity that clipping by global norm (Pascanu et al. 2013; Keras'
    ``global_clipnorm``) compares with its threshold: the square root of the sum of the
    squared gradients of every trainable weight. (Keras' ``clipnorm`` clips each weight's
    gradient by its own norm instead.) The model runs in inference mode (no dropout) on
    the whole of ``inputs`` at once, through ``model.stateless_call``, so its weights are
    left as they are.

    Args:
        model: a built ``keras.Model`` (``Sequential`` included) with trainable weights.
        inputs: what the model takes, e.g. ``(batch, time, features)``.
        targets: what ``loss`` compares the outputs with, with ``batch`` rows.
        loss: ``loss(targets, outputs)`` returning a scalar tensor, e.g.
            ``keras.losses.SparseCategoricalCrossentropy()``.

    Returns:
        The norm, a float >= 0.

    Raises:
        ValueError: if ``model`` is not a built Keras model with trainable weights,
            ``inputs`` or ``targets`` are not arrays of numbers with the same number of rows,
            or ``loss`` is not callable.
    """
    import keras

    if not isinstance(model, keras.Model) or not model.built:
        raise ValueError(
            f"model must be a built keras.Model, got {type(model).__name__}"
        )
    if not model.trainable_variables:
        raise ValueError("model must have trainable weights")
    inputs = _checks.array("inputs", inputs, max(np.ndim(inputs), 1))
    targets = _checks.array("targets", targets, max(np.ndim(targets), 1))
    if len(inputs) != len(targets):
        raise ValueError(
            "inputs and targets must have the same number of rows, got shapes "
            f"{inputs.shape} and {targets.shape}"
        )
    _checks.function("loss", loss)
    variables = model.trainable_variables
    names = [f"weight_{index}" for index in range(len(variables))]
    weights = {
        name: variable.numpy() for name, variable in zip(names, variables, strict=True)
    }
    frozen = [variable.value for variable in model.non_trainable_variables]

    def loss_fn(tensors: dict[str, Any]) -> Any:
        trainable = [tensors[name] for name in names]
        outputs, _ = model.stateless_call(trainable, frozen, inputs, training=False)
        return loss(targets, outputs)

    _, gradients = loss_gradients(loss_fn, weights, dtype="float32")
    return float(
        np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in gradients.values()))
    )
