"""The gated recurrent unit (GRU) in NumPy, in Keras' weight layout, and parameter counts.

Keras stores a GRU layer of ``units`` cells reading ``features`` inputs as

- ``kernel``: ``(features, 3 * units)``, the input weights of the update gate ``z``, the
  reset gate ``r`` and the candidate state ``h``, side by side in that order;
- ``recurrent_kernel``: ``(units, 3 * units)``, the recurrent weights in the same order;
- ``bias``: ``(2, 3 * units)`` when ``reset_after=True`` (Keras' and cuDNN's default; row 0
  is the input bias, row 1 the recurrent bias) and ``(3 * units,)`` when
  ``reset_after=False``.

The two variants differ in where the reset gate acts on the candidate state:

- ``reset_after=False`` (Cho et al. 2014): ``tanh(x W_h + b_h + (r * h_prev) U_h)``, the
  gate multiplies the previous state *before* the recurrent product;
- ``reset_after=True`` (cuDNN): ``tanh(x W_h + b_h + r * (h_prev U_h + b_rh))``, the gate
  multiplies the recurrent product *after* it, which lets all three recurrent products be
  computed in one matrix multiplication.

Both then mix old and new with the update gate: ``h_t = z * h_prev + (1 - z) * candidate``.
The functions take ``layer.get_weights()`` as they are.
"""

from __future__ import annotations

import numpy as np

from rnn_utils import _checks

CELL_TYPES = ("simple_rnn", "lstm", "gru")
"""Cell names accepted by :func:`parameter_count`."""


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # Written with tanh so that large negative inputs do not overflow np.exp.
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_gru_weights(
    kernel: object, recurrent_kernel: object, bias: object, reset_after: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    reset_after = _check_bool("reset_after", reset_after)
    kernel = _checks.array("kernel", kernel, 2)
    if kernel.shape[1] == 0 or kernel.shape[1] % 3 != 0:
        raise ValueError(
            f"kernel must have shape (features, 3 * units) with units >= 1, got {kernel.shape}"
        )
    units = kernel.shape[1] // 3
    recurrent_kernel = _checks.array("recurrent_kernel", recurrent_kernel, 2)
    _checks.shape_matches("recurrent_kernel", recurrent_kernel, (units, 3 * units))
    if reset_after:
        bias = _checks.array("bias", bias, 2)
        _checks.shape_matches("bias", bias, (2, 3 * units))
    else:
        bias = _checks.array("bias", bias, 1)
        _checks.shape_matches("bias", bias, (3 * units,))
    return kernel, recurrent_kernel, bias


def _step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    reset_after: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One step on checked arrays; returns ``(h_t, z_t, r_t)``."""
    units = recurrent_kernel.shape[0]
    input_bias = bias[0] if reset_after else bias
    x_part = x_t @ kernel + input_bias  # (batch, 3 * units): z, r, h blocks
    x_z, x_r, x_h = x_part[:, :units], x_part[:, units : 2 * units], x_part[:, 2 * units :]
    u_zr, u_h = recurrent_kernel[:, : 2 * units], recurrent_kernel[:, 2 * units :]
    if reset_after:
        h_part = h_prev @ recurrent_kernel + bias[1]
        h_z, h_r, h_h = h_part[:, :units], h_part[:, units : 2 * units], h_part[:, 2 * units :]
        z = _sigmoid(x_z + h_z)
        r = _sigmoid(x_r + h_r)
        candidate = np.tanh(x_h + r * h_h)
    else:
        h_zr = h_prev @ u_zr
        z = _sigmoid(x_z + h_zr[:, :units])
        r = _sigmoid(x_r + h_zr[:, units:])
        candidate = np.tanh(x_h + (r * h_prev) @ u_h)
    h_t = z * h_prev + (1.0 - z) * candidate
    return h_t, z, r


def gru_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    *,
    reset_after: bool = True,
) -> np.ndarray:
    """One step of a GRU, with Keras' weights.

    Args:
        x_t: ``(batch, features)`` inputs at this step.
        h_prev: ``(batch, units)`` state after the previous step.
        kernel: ``(features, 3 * units)``, blocks z, r, h.
        recurrent_kernel: ``(units, 3 * units)``, blocks z, r, h.
        bias: ``(2, 3 * units)`` (input bias, recurrent bias) if ``reset_after``, else
            ``(3 * units,)``.
        reset_after: where the reset gate acts; see the module docstring.

    Returns:
        ``(batch, units)`` the new state ``h_t``.

    Raises:
        ValueError: if an array has the wrong rank or shape, or ``reset_after`` is not a bool.
    """
    kernel, recurrent_kernel, bias = _check_gru_weights(kernel, recurrent_kernel, bias, reset_after)
    x_t = _checks.array("x_t", x_t, 2)
    h_prev = _checks.array("h_prev", h_prev, 2)
    _checks.shape_matches("x_t", x_t, (None, kernel.shape[0]))
    _checks.shape_matches("h_prev", h_prev, (x_t.shape[0], recurrent_kernel.shape[0]))
    return _step(x_t, h_prev, kernel, recurrent_kernel, bias, bool(reset_after))[0]


def gru_forward(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    *,
    reset_after: bool = True,
    initial_state: np.ndarray | None = None,
    return_gates: bool = False,
) -> np.ndarray | tuple[np.ndarray, dict[str, np.ndarray]]:
    """Run a GRU over whole sequences and return every state.

    Args:
        inputs: ``(batch, time, features)``, at least one step.
        kernel: ``(features, 3 * units)``, blocks z, r, h (Keras' ``kernel``).
        recurrent_kernel: ``(units, 3 * units)``.
        bias: ``(2, 3 * units)`` if ``reset_after`` else ``(3 * units,)``.
        reset_after: ``True`` for Keras' default (cuDNN) formulation, ``False`` for the
            formulation of Cho et al. (2014).
        initial_state: ``(batch, units)``; zeros by default, as in Keras.
        return_gates: also return the gate activations.

    Returns:
        ``(batch, time, units)`` states; ``states[:, -1]`` is what
        ``keras.layers.GRU(return_sequences=False)`` returns. With ``return_gates``, a pair
        ``(states, {"update": z, "reset": r})`` with gates of shape ``(batch, time, units)``.

    Raises:
        ValueError: on arrays of the wrong rank or shape, an empty sequence, or a
            ``reset_after`` / ``return_gates`` that is not a bool.
    """
    kernel, recurrent_kernel, bias = _check_gru_weights(kernel, recurrent_kernel, bias, reset_after)
    return_gates = _check_bool("return_gates", return_gates)
    inputs = _checks.sequence_inputs(inputs, kernel.shape[0])
    batch, time, _ = inputs.shape
    dtype = np.result_type(inputs, kernel)
    h = _checks.state("initial_state", initial_state, batch, recurrent_kernel.shape[0], dtype)
    states, updates, resets = [], [], []
    for t in range(time):
        h, z, r = _step(inputs[:, t], h, kernel, recurrent_kernel, bias, bool(reset_after))
        states.append(h)
        updates.append(z)
        resets.append(r)
    states_array = np.stack(states, axis=1)
    if return_gates:
        return states_array, {"update": np.stack(updates, 1), "reset": np.stack(resets, 1)}
    return states_array


def parameter_count(cell: str, features: int, units: int, *, reset_after: bool = True) -> int:
    """Trainable parameters of one recurrent layer, from its formula.

    With ``f`` input features and ``u`` units:

    - ``"simple_rnn"``: ``u (f + u + 1)`` — one block of input weights, recurrent weights
      and bias;
    - ``"lstm"``: ``4 u (f + u + 1)`` — four such blocks (input, forget, candidate, output);
    - ``"gru"``: ``3 u (f + u + 1)`` with ``reset_after=False``, and ``3 u (f + u + 2)`` with
      ``reset_after=True``, which keeps a second (recurrent) bias per block.

    Args:
        cell: one of :data:`CELL_TYPES`.
        features: input features ``f``, >= 1.
        units: units ``u``, >= 1.
        reset_after: GRU variant (ignored for the other cells).

    Returns:
        The count, equal to Keras' ``layer.count_params()``.

    Raises:
        ValueError: on an unknown cell, non-positive sizes or a non-bool ``reset_after``.
    """
    if cell not in CELL_TYPES:
        raise ValueError(f"cell must be one of {CELL_TYPES}, got {cell!r}")
    f = _checks.positive_int("features", features)
    u = _checks.positive_int("units", units)
    reset_after = _check_bool("reset_after", reset_after)
    if cell == "simple_rnn":
        return u * (f + u + 1)
    if cell == "lstm":
        return 4 * u * (f + u + 1)
    return 3 * u * (f + u + (2 if reset_after else 1))
