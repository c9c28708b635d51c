"""Tests of :mod:`rnn_utils.backend` (imported lazily, after :func:`rnn_utils.setup`)."""

import dataclasses
import importlib
import os

import pytest


@pytest.fixture
def backend(keras):
    from rnn_utils import backend

    return backend


def test_device_info_describes_cpu(backend):
    info = backend.DeviceInfo("CPU", "CPU", False)
    assert info.describe() == "CPU (no GPU visible)"


def test_device_info_describes_gpu_with_cudnn(backend):
    info = backend.DeviceInfo("GPU", "NVIDIA H100 80GB HBM3", True)
    assert info.describe() == "GPU NVIDIA H100 80GB HBM3 (cuDNN LSTM/GRU)"


def test_device_info_describes_gpu_without_cudnn(backend):
    info = backend.DeviceInfo("GPU", "Some GPU", False)
    assert info.describe() == "GPU Some GPU (no cuDNN RNN kernels)"


def test_device_info_is_frozen(backend):
    info = backend.DeviceInfo("CPU", "CPU", False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.kind = "GPU"


def test_name_and_version_report_the_backend_in_use(backend, keras):
    expected = os.environ.get("KERAS_BACKEND", "tensorflow")
    assert backend.name() == expected == keras.backend.backend()
    assert backend.version() == importlib.import_module(expected).__version__


def _gpu_visible(name: str) -> bool:
    """Whether the backend ``name`` sees a GPU, asked in the backend's own words."""
    if name == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    if name == "jax":
        import jax

        return any(d.platform == "gpu" for d in jax.devices())
    import torch

    return torch.cuda.is_available()


def test_device_matches_what_the_backend_sees(backend):
    info = backend.device()
    assert isinstance(info, backend.DeviceInfo)
    if _gpu_visible(backend.name()):
        assert info.kind == "GPU"
        assert info.name and info.name != "CPU"
        assert info.describe().startswith(f"GPU {info.name}")
    else:
        assert info == backend.DeviceInfo("CPU", "CPU", False)
        assert info.describe().startswith("CPU")


def test_unknown_backend_falls_back_to_cpu_and_unknown_version(backend, monkeypatch):
    monkeypatch.setattr(backend, "name", lambda: "numpy")
    assert backend.version() == "unknown"
    assert backend.device() == backend.DeviceInfo("CPU", "CPU", False)
    backend.enable_determinism()  # a no-op for a backend it does not know


def test_quiet_python_logging_raises_the_log_levels(backend):
    import logging

    logging.getLogger("absl").setLevel(logging.DEBUG)
    if backend.name() == "tensorflow":
        import tensorflow as tf

        tf.get_logger().setLevel(logging.INFO)
    backend.quiet_python_logging()
    assert logging.getLogger("absl").level == logging.ERROR
    if backend.name() == "tensorflow":
        assert tf.get_logger().level == logging.ERROR


def test_enable_determinism_keeps_results_reproducible(backend, keras):
    """Twice the same seeded computation gives bit-identical numbers."""
    backend.enable_determinism()

    def run():
        keras.utils.set_random_seed(21)
        x = keras.random.normal((64, 16))
        w = keras.random.normal((16, 8))
        return keras.ops.convert_to_numpy(keras.ops.sum(keras.ops.tanh(x @ w), axis=0))

    first, second = run(), run()
    assert first.shape == (8,)
    assert (first == second).all()


def test_device_info_names_the_cudnn_layers_of_the_backend(backend):
    info = backend.DeviceInfo("GPU", "NVIDIA H200", True, cudnn_layers="LSTM")
    assert info.describe() == "GPU NVIDIA H200 (cuDNN LSTM)"
