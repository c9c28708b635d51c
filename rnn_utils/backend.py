"""Everything that depends on which Keras backend runs, behind small functions.

The notebooks stay backend-neutral (``keras.layers``, ``keras.ops``); what only one backend
can do (turn on deterministic kernels, name the GPU) lives here. Importing this module
imports Keras, and therefore the backend: :func:`rnn_utils.setup` does that for you with
the native log lines silenced.
"""

from __future__ import annotations

import dataclasses

import keras


@dataclasses.dataclass(frozen=True)
class DeviceInfo:
    """The device Keras computes on.

    Attributes:
        kind: ``"GPU"`` or ``"CPU"``.
        name: the GPU's name, or ``"CPU"``.
        cudnn_rnn: whether ``keras.layers.LSTM`` (and ``GRU``) can dispatch to cuDNN.
        cudnn_layers: the layers with a cuDNN path on this backend, for the setup line:
            ``"LSTM/GRU"``, or ``"LSTM"`` under JAX (see :data:`rnn_utils.cudnn.CUDNN_BACKENDS`).
    """

    kind: str
    name: str
    cudnn_rnn: bool
    cudnn_layers: str = "LSTM/GRU"

    def describe(self) -> str:
        """One phrase for the setup line, e.g. ``"GPU NVIDIA H100 (cuDNN LSTM/GRU)"``."""
        if self.kind == "CPU":
            return "CPU (no GPU visible)"
        kernel = (
            f"cuDNN {self.cudnn_layers}" if self.cudnn_rnn else "no cuDNN RNN kernels"
        )
        return f"GPU {self.name} ({kernel})"


def name() -> str:
    """The Keras backend in use: ``"tensorflow"``, ``"jax"`` or ``"torch"``."""
    return keras.backend.backend()


def version() -> str:
    """The version of the backend library (TensorFlow, JAX or PyTorch)."""
    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.__version__
    if backend == "jax":
        import jax

        return jax.__version__
    if backend == "torch":
        import torch

        return torch.__version__
    return "unknown"


def device() -> DeviceInfo:
    """Find the device Keras will use; the first GPU if one is visible."""
    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        if gpus:
            details = tf.config.experimental.get_device_details(gpus[0])
            return DeviceInfo("GPU", details.get("device_name", gpus[0].name), True)
    elif backend == "jax":
        import jax

        gpus = [d for d in jax.devices() if d.platform == "gpu"]
        if gpus:
            return DeviceInfo("GPU", gpus[0].device_kind, True, cudnn_layers="LSTM")
    elif backend == "torch":
        import torch

        if torch.cuda.is_available():
            return DeviceInfo(
                "GPU",
                torch.cuda.get_device_name(0),
                torch.backends.cudnn.is_available(),
            )
    return DeviceInfo("CPU", "CPU", False)


def quiet_python_logging() -> None:
    """Keep the backend's Python-level log messages (e.g. TensorFlow's retracing notices) out."""
    import logging

    if name() == "tensorflow":
        import tensorflow as tf

        tf.get_logger().setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)


def enable_determinism() -> None:
    """Ask the backend for deterministic kernels, so a re-run gives the same numbers."""
    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    elif backend == "torch":
        import torch

        torch.use_deterministic_algorithms(True, warn_only=True)
