"""Measuring how gradients travel back through time (chapters 5-8).

Two measurements, one exact and one generic:

- :func:`state_jacobian_norms` — for the NumPy SimpleRNN, the spectral norm of
  ``dh_T/dh_t``, the product of per-step Jacobians ``diag(1 - h_s^2) U``, for every ``t``;
- :func:`input_gradient_norms` — for any Keras recurrent layer (SimpleRNN, LSTM, GRU), the
  norm of ``dL/dx_t`` for ``L`` a fixed projection of the final state: how strongly the
  input at step ``t`` still moves the output at the end. It uses the backend's autodiff
  through :func:`rnn_utils.autodiff.loss_gradients`, so it runs on every Keras backend.

and the helpers to set up and read them: :func:`scale_to_spectral_radius`,
:func:`spectral_radius`, :func:`largest_singular_value` and :func:`log_rate`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnn_utils import _checks, autodiff


def _square(name: str, matrix: object) -> np.ndarray:
    matrix = _checks.array(name, matrix, 2, dtype=np.float64)
    if matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ValueError(
            f"{name} must be a non-empty square matrix, got shape {matrix.shape}"
        )
    return matrix


def spectral_radius(matrix: np.ndarray) -> float:
    """The largest absolute eigenvalue of a ``(units, units)`` matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(_square("matrix", matrix)))))


def largest_singular_value(matrix: np.ndarray) -> float:
    """The largest singular value (spectral norm) of a ``(units, units)`` matrix.

    It bounds the spectral radius from above; the two are equal for normal matrices
    (orthogonal, symmetric), which is why the distinction is easy to miss.
    """
    return float(np.linalg.norm(_square("matrix", matrix), ord=2))


def scale_to_spectral_radius(matrix: np.ndarray, radius: float) -> np.ndarray:
    """``matrix`` multiplied by the scalar that makes its spectral radius ``radius``.

    Args:
        matrix: ``(units, units)`` with a non-zero spectral radius.
        radius: the target spectral radius, > 0.

    Returns:
        A ``(units, units)`` float64 array.
    """
    radius = _checks.positive_float("radius", radius)
    current = spectral_radius(matrix)
    if current == 0.0:
        raise ValueError(
            "matrix must have a non-zero spectral radius (it is nilpotent)"
        )
    return np.asarray(matrix, dtype=np.float64) * (radius / current)


def state_jacobian_norms(
    states: np.ndarray, recurrent_kernel: np.ndarray
) -> np.ndarray:
    """Spectral norms of ``dh_T/dh_t`` for a tanh SimpleRNN, for every step ``t``.

    With Keras' layout ``h_s = tanh(x_s K + h_{s-1} R + b)`` (row vectors, ``R`` the
    ``recurrent_kernel``), a perturbation ``e`` of ``h_{s-1}`` moves ``h_s`` by
    ``(e R) * (1 - h_s^2)``. Chaining these from ``t + 1`` to ``T`` gives the Jacobian whose
    largest singular value is returned.

    Args:
        states: ``(batch, time, units)`` the states ``h_1 .. h_T`` of the forward pass
            (e.g. ``rnn_utils.cells.simple_rnn_forward(...)``).
        recurrent_kernel: ``(units, units)``, Keras' ``recurrent_kernel``.

    Returns:
        ``(batch, time)`` float64: entry ``[b, t]`` is ``||dh_T/dh_t||_2`` for example ``b``,
        so ``[:, -1]`` is 1 (the identity) and ``[:, T - 1 - d]`` is the norm at distance
        ``d``.
    """
    states = _checks.array("states", states, 3, dtype=np.float64)
    recurrent_kernel = _square("recurrent_kernel", recurrent_kernel)
    batch, time, units = states.shape
    _checks.shape_matches("recurrent_kernel", recurrent_kernel, (units, units))
    if time == 0 or batch == 0:
        raise ValueError(
            f"states must have at least one example and one step, got {states.shape}"
        )
    norms = np.empty((batch, time))
    # product[b] maps a perturbation of h_t (row vector) to the change of h_T.
    product = np.broadcast_to(np.eye(units), (batch, units, units)).copy()
    norms[:, -1] = 1.0
    for t in range(time - 1, 0, -1):
        step = recurrent_kernel[None, :, :] * (1.0 - states[:, t, None, :] ** 2)
        product = step @ product
        norms[:, t - 1] = np.linalg.norm(product, ord=2, axis=(1, 2))
    return norms


def input_gradient_norms(
    layer: Any, inputs: np.ndarray, *, seed: int = 0
) -> np.ndarray:
    """``||dL/dx_t||`` for every step ``t``, with ``L`` a fixed projection of the last output.

    ``L = sum_b <v, y_b>`` where ``y_b`` is what ``layer`` returns for example ``b`` at the
    last step and ``v`` is a random unit vector drawn from ``seed``. Each example's
    gradient depends only on its own inputs, so one autodiff call gives all of them.

    Args:
        layer: a callable Keras layer or model mapping ``(batch, time, features)`` to
            ``(batch, units)`` or, with ``return_sequences=True``, ``(batch, time, units)``
            (then the last step is used). A recurrent layer returning its states as well
            (``return_state=True``) is not accepted.
        inputs: ``(batch, time, features)`` the sequences to differentiate at.
        seed: seed of the projection vector ``v``.

    Returns:
        ``(batch, time)`` float64 norms over the feature axis.
    """
    inputs = _checks.array("inputs", inputs, 3, dtype=np.float32)
    if not callable(layer):
        raise ValueError(
            f"layer must be a callable Keras layer or model, got {type(layer)}"
        )
    import keras

    probe = np.asarray(keras.ops.convert_to_numpy(layer(inputs[:1])))
    if probe.ndim not in (2, 3):
        raise ValueError(
            f"layer must return (batch, units) or (batch, time, units), got shape {probe.shape}"
        )
    seed = _checks.non_negative_int("seed", seed)
    direction = np.random.default_rng(seed).standard_normal(probe.shape[-1])
    # A backend tensor, not a NumPy array: under PyTorch, ``tensor * ndarray`` would ask
    # NumPy to convert a tensor that requires grad.
    direction = keras.ops.convert_to_tensor(
        (direction / np.linalg.norm(direction)).astype(np.float32)
    )

    def projected_last_output(tensors: dict[str, Any]) -> Any:
        outputs = layer(tensors["inputs"])
        last = outputs[:, -1, :] if len(outputs.shape) == 3 else outputs
        return keras.ops.sum(last * direction)

    _, gradients = autodiff.loss_gradients(
        projected_last_output, {"inputs": inputs}, dtype="float32"
    )
    return np.linalg.norm(gradients["inputs"].astype(np.float64), axis=-1)


def log_rate(norms: np.ndarray, distances: np.ndarray | None = None) -> float:
    """The per-step factor ``r`` of a fit ``norm ≈ C r^distance`` (least squares in log space).

    Args:
        norms: ``(n,)`` positive norms, e.g. the mean over a batch of
            :func:`state_jacobian_norms` ordered by distance.
        distances: ``(n,)`` the distance of each norm; by default ``0, 1, .., n - 1``.

    Returns:
        ``r = exp(slope)``: below 1 the gradient vanishes geometrically, above 1 it explodes.
    """
    norms = _checks.array("norms", norms, 1, dtype=np.float64)
    if norms.size < 2:
        raise ValueError(
            f"norms must hold at least two values to fit a rate, got {norms.size}"
        )
    if np.any(norms <= 0):
        raise ValueError("norms must be positive (take the log of each)")
    if distances is None:
        distances = np.arange(norms.size, dtype=np.float64)
    distances = _checks.array("distances", distances, 1, dtype=np.float64)
    _checks.shape_matches("distances", distances, norms.shape)
    if np.ptp(distances) == 0:
        raise ValueError("distances must not all be equal")
    slope = np.polyfit(distances, np.log(norms), 1)[0]
    return float(np.exp(slope))
