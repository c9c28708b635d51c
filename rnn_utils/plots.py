"""Figures the chapters share: the book's style, training curves, hidden-state heat maps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from rnn_utils import _checks

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _running_in_kernel() -> bool:
    """True inside a Jupyter kernel (an IPython shell that talks to a notebook)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def apply_book_style() -> None:
    """Set matplotlib defaults for the book: readable sizes, light grid, no top/right spines.

    In a Jupyter kernel it also selects the inline backend, so that figures appear in the
    notebook even where the environment sets ``MPLBACKEND`` (``Agg`` on many CI machines).
    """
    if _running_in_kernel() and mpl.get_backend() != INLINE_BACKEND:
        plt.switch_backend(INLINE_BACKEND)
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
        }
    )


def _history_values(history: object, metric: str) -> np.ndarray:
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping):
        raise ValueError(
            "histories must map a label to a keras History or a dict of metric lists, "
            f"got {type(history).__name__}"
        )
    if metric not in logs:
        raise ValueError(f"metric {metric!r} not recorded; available: {sorted(logs)}")
    return np.asarray(logs[metric], dtype=float)


def plot_training_curves(
    histories: Mapping[str, object],
    metric: str = "loss",
    *,
    ax: plt.Axes | None = None,
    log_scale: bool = False,
    with_validation: bool = True,
    reference: float | None = None,
    reference_label: str = "baseline",
) -> plt.Axes:
    """Plot one metric per epoch for several training runs on one axis.

    Args:
        histories: label -> ``keras.callbacks.History`` (or its ``.history`` dict).
        metric: key to plot, e.g. ``"loss"``, ``"val_accuracy"``.
        ax: axis to draw on; a new figure if ``None``.
        log_scale: logarithmic y axis (for losses spanning decades).
        with_validation: also draw ``val_<metric>``, dashed in the same colour, where a
            history recorded it.
        reference: draw a dashed horizontal line at this value (a baseline).
        reference_label: legend entry of that line.

    Returns:
        The axis.
    """
    if not isinstance(histories, Mapping) or not histories:
        raise ValueError("histories must be a non-empty mapping of label -> history")
    if ax is None:
        _, ax = plt.subplots()
    for label, history in histories.items():
        values = _history_values(history, metric)
        (line,) = ax.plot(np.arange(1, len(values) + 1), values, label=f"{label} (train)")
        logs = getattr(history, "history", history)
        if with_validation and f"val_{metric}" in logs:
            val_values = _history_values(history, f"val_{metric}")
            ax.plot(
                np.arange(1, len(val_values) + 1),
                val_values,
                color=line.get_color(),
                linestyle="--",
                label=f"{label} (validation)",
            )
        else:
            line.set_label(label)
    if reference is not None:
        ax.axhline(reference, color="0.4", linestyle="--", linewidth=1, label=reference_label)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.replace("_", " "))
    ax.legend()
    return ax


def plot_hidden_states(
    states: np.ndarray,
    *,
    ax: plt.Axes | None = None,
    step_labels: Sequence[str] | None = None,
    title: str | None = None,
) -> plt.Axes:
    """Draw a hidden-state trajectory as a heat map: one row per unit, one column per step.

    Args:
        states: ``(time, units)`` hidden states of one sequence.
        ax: axis to draw on; a new figure if ``None``.
        step_labels: ``time`` labels for the x axis (e.g. the input characters).
        title: axis title.

    Returns:
        The axis (the colour bar is attached to its figure).
    """
    states = _checks.array("states", states, 2)
    if states.size == 0:
        raise ValueError(f"states must not be empty, got shape {states.shape}")
    time, units = states.shape
    if step_labels is not None and len(step_labels) != time:
        raise ValueError(
            f"step_labels must have one label per step ({time}), got {len(step_labels)}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(min(12.0, 1.5 + 0.3 * time), 1.2 + 0.18 * units))
    limit = max(float(np.max(np.abs(states))), 1e-12)
    image = ax.imshow(
        states.T, aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest"
    )
    ax.figure.colorbar(image, ax=ax, label="activation", pad=0.01)
    ax.grid(False)
    ax.set_xlabel("time step")
    ax.set_ylabel("hidden unit")
    if step_labels is not None:
        ax.set_xticks(np.arange(time), labels=list(step_labels))
    if title:
        ax.set_title(title)
    return ax
