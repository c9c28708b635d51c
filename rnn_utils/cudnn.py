"""When Keras 3 runs an LSTM or GRU layer on NVIDIA's fused cuDNN kernel, and if not, why not.

:func:`cudnn_eligible` reads a layer's configuration and checks it against the conditions of
Keras 3.15 (``keras/src/layers/rnn/lstm.py``, ``gru.py`` and each backend's ``rnn.py``).
Keras is imported inside the function, so importing this module does not import it before
:func:`rnn_utils.setup` has run.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from rnn_utils import _checks

CUDNN_BACKENDS = {
    "tensorflow": ("LSTM", "GRU"),
    "jax": ("LSTM",),
    "torch": ("LSTM", "GRU"),
}
"""Keras 3.15 backends with a cuDNN path, and the layers that have one there.

JAX has a cuDNN LSTM (``jax.experimental.rnn``) but no cuDNN GRU: its GRU runs a
``lax.scan`` loop. NumPy and OpenVINO have none. ``SimpleRNN`` has none anywhere.
"""


STRICT_FLAG_FALLS_BACK = ("torch",)
"""Backends whose ``LSTM`` accepts ``use_cudnn=True`` (without a mask) where cuDNN cannot run.

Under TensorFlow and JAX that flag makes Keras raise ``ValueError`` instead of using the
generic loop; PyTorch's backend (``keras/src/backend/torch/rnn.py``, Keras 3.15) treats it as
"cuDNN if possible" and otherwise runs its own loop over the time steps. (A GRU differs:
JAX's GRU has no cuDNN path and runs its ``lax.scan`` loop whatever the flag says.)
"""


def strict_flag_runs(device: Any, *, backend: str | None = None) -> bool:
    """Whether ``keras.layers.LSTM(units, use_cudnn=True)``, called without a mask, runs.

    It runs on a GPU with cuDNN (``device.kind == "GPU"`` and ``device.cudnn_rnn``, as
    :func:`rnn_utils.backend.device` reports), and on any device under a backend in
    :data:`STRICT_FLAG_FALLS_BACK`.

    Args:
        device: a :class:`rnn_utils.backend.DeviceInfo`.
        backend: a backend name; by default the one in use.

    Raises:
        ValueError: if ``device`` has no ``kind`` and ``cudnn_rnn``.
    """
    import keras

    if not (hasattr(device, "kind") and hasattr(device, "cudnn_rnn")):
        raise ValueError(
            "device must be a DeviceInfo from rnn_utils.backend.device(), "
            f"got {type(device).__name__}"
        )
    backend = (
        keras.backend.backend()
        if backend is None
        else _checks.string("backend", backend)
    )
    on_cudnn = device.kind == "GPU" and bool(device.cudnn_rnn)
    return on_cudnn or backend in STRICT_FLAG_FALLS_BACK


class CudnnVerdict(NamedTuple):
    """Whether a layer's configuration allows the cuDNN kernel; unpacks as ``(ok, reasons)``.

    Attributes:
        eligible: True when Keras would run the layer with cuDNN on a GPU.
        reasons: one sentence per condition that fails (empty when eligible).
    """

    eligible: bool
    reasons: list[str]


def cudnn_eligible(
    layer: Any, *, backend: str | None = None, mask: object | None = None
) -> CudnnVerdict:
    """Check a recurrent layer's configuration against Keras 3's conditions for cuDNN.

    The conditions (Keras 3.15) for ``keras.layers.LSTM`` and ``keras.layers.GRU``:
    ``use_cudnn`` is ``"auto"`` or ``True``; ``activation`` is tanh; ``recurrent_activation``
    is sigmoid; ``recurrent_dropout`` is 0 (input ``dropout`` is allowed); ``unroll`` is
    False; ``use_bias`` is True; for a GRU, ``reset_after`` is True. The backend must have a
    cuDNN path for the layer (:data:`CUDNN_BACKENDS`). With a ``mask``, TensorFlow needs it
    right-padded with no fully masked sequence; JAX and PyTorch fall back to the generic
    loop whenever a mask is given. ``Bidirectional`` is eligible when both of its layers are.

    The device is *not* checked: an eligible layer runs on cuDNN when a GPU is visible
    (see :func:`rnn_utils.backend.device`), on the generic kernel otherwise.

    Args:
        layer: a Keras layer (``LSTM``, ``GRU``, ``SimpleRNN``, ``Bidirectional``, ...).
        backend: ``"tensorflow"``, ``"jax"``, ``"torch"``, ...; by default the one in use.
        mask: optional boolean array ``(batch, time)``, True for the steps to read.

    Returns:
        A :class:`CudnnVerdict` ``(eligible, reasons)``.

    Raises:
        ValueError: if ``layer`` is not a Keras layer, ``backend`` is not a backend name or
            ``mask`` is not 2-D.
    """
    import keras

    if not isinstance(layer, keras.layers.Layer):
        raise ValueError(f"layer must be a Keras layer, got {type(layer).__name__}")
    backend = (
        keras.backend.backend()
        if backend is None
        else _checks.string("backend", backend)
    )
    if not isinstance(backend, str) or not backend:
        raise ValueError(
            f"backend must be a backend name such as 'tensorflow', got {backend!r}"
        )
    if mask is not None:
        mask = np.asarray(mask)
        if mask.ndim != 2:
            raise ValueError(
                f"mask must have shape (batch, time), got shape {mask.shape}"
            )
        mask = mask.astype(bool)
    reasons = _reasons(layer, backend, mask)
    return CudnnVerdict(not reasons, reasons)


def _reasons(layer: Any, backend: str, mask: np.ndarray | None) -> list[str]:
    """Why ``layer`` stays off cuDNN on ``backend`` with ``mask`` ``(batch, time)``, if it does."""
    import keras

    if isinstance(layer, keras.layers.Bidirectional):
        return [
            f"{side} layer: {reason}"
            for side, inner in (
                ("forward", layer.forward_layer),
                ("backward", layer.backward_layer),
            )
            for reason in _reasons(inner, backend, mask)
        ]
    if isinstance(layer, keras.layers.LSTM):
        kind = "LSTM"
    elif isinstance(layer, keras.layers.GRU):
        kind = "GRU"
    else:
        return [
            f"{type(layer).__name__} has no cuDNN kernel in Keras 3 (only LSTM and GRU)"
        ]
    reasons = []
    if kind not in CUDNN_BACKENDS.get(backend, ()):
        reasons.append(f"the {backend} backend has no cuDNN path for {kind}")
    if layer.use_cudnn is False:
        reasons.append("use_cudnn=False turns the cuDNN kernel off")
    cell = layer.cell
    tanh = (keras.activations.tanh, keras.ops.tanh, *_native_functions(backend, "tanh"))
    sigmoid = (keras.activations.sigmoid, keras.ops.sigmoid)
    if backend != "jax":
        sigmoid += _native_functions(backend, "sigmoid")
    if cell.activation not in tanh:
        reasons.append(f"activation is {_function_name(cell.activation)}, not tanh")
    if cell.recurrent_activation not in sigmoid:
        name = _function_name(cell.recurrent_activation)
        reasons.append(f"recurrent_activation is {name}, not sigmoid")
    if cell.recurrent_dropout:
        reasons.append(f"recurrent_dropout is {cell.recurrent_dropout}, not 0")
    if layer.unroll:
        reasons.append("unroll=True (cuDNN needs the symbolic loop)")
    if not cell.use_bias:
        reasons.append("use_bias=False (cuDNN needs the biases)")
    if kind == "GRU" and not cell.reset_after:
        reasons.append(
            "reset_after=False (cuDNN implements the reset_after=True variant)"
        )
    if mask is not None:
        reasons += _mask_reasons(backend, mask)
    return reasons


def _native_functions(backend: str, name: str) -> tuple[Any, ...]:
    """The backend's own ``tanh`` / ``sigmoid``, which Keras also accepts for cuDNN."""
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            return (getattr(tf, name),)
        if (
            backend == "jax" and name == "tanh"
        ):  # Keras' JAX check accepts jnp.tanh only
            import jax.numpy as jnp

            return (jnp.tanh,)
        if backend == "torch":
            import torch

            return (getattr(torch, name),)
    except ImportError:  # the backend is not installed: its functions cannot be in use
        pass
    return ()


def _mask_reasons(backend: str, mask: np.ndarray) -> list[str]:
    """Why a boolean mask ``(batch, time)`` keeps the layer off cuDNN (none if it does not)."""
    if backend != "tensorflow":
        return [
            f"a mask is given: the {backend} backend runs masked LSTM/GRU with the generic loop"
        ]
    lengths = mask.sum(axis=1)
    right_padded = np.arange(mask.shape[1])[None, :] < lengths[:, None]
    reasons = []
    if not np.array_equal(mask, right_padded):
        reasons.append(
            "the mask is not right-padded (True steps first, then False): TensorFlow's "
            "cuDNN path rejects it (an error in a compiled step); pass use_cudnn=False"
        )
    if np.any(lengths == 0):
        reasons.append(
            "a sequence is fully masked: TensorFlow's cuDNN path rejects it (an error in a "
            "compiled step)"
        )
    return reasons


def _function_name(function: Any) -> str:
    return getattr(function, "__name__", repr(function))


__all__ = ["CUDNN_BACKENDS", "CudnnVerdict", "cudnn_eligible"]
