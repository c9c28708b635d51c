"""Figures of the book: its style, training curves, hidden-state heat maps, sequence shapes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch

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
        (line,) = ax.plot(
            np.arange(1, len(values) + 1), values, label=f"{label} (train)"
        )
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
        ax.axhline(
            reference, color="0.4", linestyle="--", linewidth=1, label=reference_label
        )
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
        states.T,
        aspect="auto",
        cmap="RdBu_r",
        vmin=-limit,
        vmax=limit,
        interpolation="nearest",
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


# ------------------------------------------------ the sequence shapes of chapter 3

SHAPE_NAMES = (
    "one-to-many",
    "many-to-one",
    "many-to-many, aligned",
    "many-to-many, delayed",
    "forecasting",
)
"""The five sequence shapes of chapter 3, in the order :func:`plot_sequence_shapes` draws them."""

_SHAPES: dict[str, dict] = {
    "one-to-many": {
        "inputs": {0: "$v$"},
        "faint_inputs": (1, 2, 3),
        "outputs": {t: f"$y_{t + 1}$" for t in range(4)},
        "steps": 4,
        "example": "parameters → waveform\n(captioning)",
    },
    "many-to-one": {
        "inputs": {t: f"$x_{t + 1}$" for t in range(4)},
        "outputs": {3: "$y$"},
        "steps": 4,
        "example": "rows of a digit → class\n(document classification)",
    },
    "many-to-many, aligned": {
        "inputs": {t: f"$x_{t + 1}$" for t in range(4)},
        "outputs": {t: f"$y_{t + 1}$" for t in range(4)},
        "steps": 4,
        "example": "signal → state per step\n(frame-by-frame video)",
    },
    "many-to-many, delayed": {
        "inputs": {
            0: "$x_1$",
            1: "$x_2$",
            2: "$x_3$",
            3: "start",
            4: "$y_1$",
            5: "$y_2$",
        },
        "outputs": {3: "$y_1$", 4: "$y_2$", 5: "end"},
        "steps": 6,
        "decoder_from": 3,
        "example": "digits → words\n(translation)",
    },
    "forecasting": {
        "inputs": {t: f"$x_{{t-{3 - t}}}$" if t < 3 else "$x_t$" for t in range(4)},
        "outputs": {3: "$x_{t+h}$"},
        "steps": 4,
        "example": "past sunspots → year $t+h$\n(forecast, horizon $h$)",
    },
}


def _box(
    ax: plt.Axes,
    x: float,
    y: float,
    text: str,
    face: str,
    edge: str = "0.2",
    alpha: float = 1.0,
) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x - 0.32, y - 0.22),
            0.64,
            0.44,
            boxstyle="round,pad=0.02",
            facecolor=face,
            edgecolor=edge,
            alpha=alpha,
            linewidth=1.0,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=9, alpha=alpha)


def _arrow(
    ax: plt.Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    alpha: float = 1.0,
    **kw: object,
) -> None:
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "->",
            "color": "0.25",
            "lw": 1.0,
            "alpha": alpha,
            **kw,
        },
    )


def draw_sequence_shape(ax: plt.Axes, name: str) -> None:
    """Draw one shape of :data:`SHAPE_NAMES` on ``ax`` as an unrolled network.

    Inputs are drawn at the bottom, recurrent cells (one per step, the same weights) in the
    middle with the state passed to the right, outputs at the top. Faint inputs are the
    repeated vector of the one-to-many model (``RepeatVector``); in the delayed shape the
    decoder's cells are coloured differently and each output is fed back as the next input.

    Args:
        ax: a matplotlib axis.
        name: one of :data:`SHAPE_NAMES`.
    """
    if name not in _SHAPES:
        raise ValueError(f"name must be one of {SHAPE_NAMES}, got {name!r}")
    spec = _SHAPES[name]
    steps = spec["steps"]
    decoder_from = spec.get("decoder_from", steps)
    for t in range(steps):
        decoder = t >= decoder_from
        _box(
            ax,
            t,
            1.0,
            "$h$" if not decoder else "$s$",
            "#f4b183" if decoder else "#9dc3e6",
        )
        if t > 0:
            _arrow(ax, (t - 0.66, 1.0), (t - 0.34, 1.0))
        if t in spec["inputs"]:
            _box(ax, t, 0.0, spec["inputs"][t], "#e2f0d9")
            _arrow(ax, (t, 0.24), (t, 0.76))
        elif t in spec.get("faint_inputs", ()):
            _box(ax, t, 0.0, spec["inputs"][0], "#e2f0d9", alpha=0.35)
            _arrow(ax, (t, 0.24), (t, 0.76), alpha=0.35)
        if t in spec["outputs"]:
            _box(ax, t, 2.0, spec["outputs"][t], "#fff2cc")
            _arrow(ax, (t, 1.24), (t, 1.76))
    if decoder_from < steps:
        for t in range(
            decoder_from + 1, steps
        ):  # each output is the next decoder input
            ax.annotate(
                "",
                xy=(t - 0.2, 0.24),
                xytext=(t - 1 + 0.34, 2.0),
                arrowprops={
                    "arrowstyle": "->",
                    "color": "#c55a11",
                    "lw": 0.9,
                    "linestyle": "--",
                    "connectionstyle": "arc3,rad=-0.25",
                },
            )
    ax.set_xlim(-0.6, steps - 0.4)
    ax.set_ylim(-1.15, 2.5)
    ax.text(
        (steps - 1) / 2, -0.75, spec["example"], ha="center", va="center", fontsize=8
    )
    ax.set_title(name)
    ax.set_aspect("equal")
    ax.axis("off")


def plot_sequence_shapes(figsize: tuple[float, float] = (16.0, 3.4)) -> plt.Figure:
    """Draw the five shapes of :data:`SHAPE_NAMES` side by side, one panel each.

    Args:
        figsize: figure size in inches.

    Returns:
        The matplotlib figure.
    """
    if len(figsize) != 2 or not all(
        isinstance(v, int | float) and v > 0 for v in figsize
    ):
        raise ValueError(
            f"figsize must be (width, height) in inches, both > 0, got {figsize!r}"
        )
    widths = [_SHAPES[name]["steps"] for name in SHAPE_NAMES]
    fig, axes = plt.subplots(
        1, len(SHAPE_NAMES), figsize=figsize, gridspec_kw={"width_ratios": widths}
    )
    for ax, name in zip(axes, SHAPE_NAMES, strict=True):
        draw_sequence_shape(ax, name)
    return fig
