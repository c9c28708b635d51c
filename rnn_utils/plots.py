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


#: Widest figure, in inches, whose smallest text (``SMALLEST_TEXT_PT``) still reads at
#: about 8 CSS px when a 390 px phone shrinks it to its 342 px text column.
MAX_FIGURE_WIDTH_IN = 5.8
#: Smallest font size, in points, the book's figures use (ticks, legends, annotations).
SMALLEST_TEXT_PT = 10.0
#: Key of a figure output's metadata that records the size of its smallest text in pixels
#: of the figure shown at 1x (``width`` wide); the site test scales it to a phone's screen.
SMALLEST_TEXT_KEY = "smallest_text_px"


def smallest_text_size(fig: mpl.figure.Figure) -> float | None:
    """Smallest font size, in points, of the visible non-empty text in ``fig``.

    Args:
        fig: a matplotlib figure.

    Returns:
        The size in points, or ``None`` when the figure holds no visible text.
    """
    if not isinstance(fig, mpl.figure.Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    sizes = [
        text.get_fontsize()
        for text in fig.findobj(mpl.text.Text)
        if text.get_visible() and text.get_text().strip()
    ]
    return min(sizes) if sizes else None


def _retina_png(fig: mpl.figure.Figure) -> tuple[bytes, dict] | None:
    """A figure as a PNG at twice its dpi, shown at its 1x width, with its smallest text.

    Returns:
        ``(png, metadata)``, or ``None`` for an empty figure. ``metadata`` holds ``width``
        (pixels at 1x) and ``SMALLEST_TEXT_KEY`` (pixels at 1x, ``None`` without text).
    """
    from IPython.core.pylabtools import retina_figure

    shown = retina_figure(fig, bbox_inches="tight")
    if shown is None:  # an empty figure
        return None
    png, size = shown
    # The width alone: a browser keeps the aspect ratio when a phone narrows the image.
    points = smallest_text_size(fig)
    pixels = None if points is None else round(points * fig.dpi / 72, 2)
    metadata = {"width": size["width"], SMALLEST_TEXT_KEY: pixels}
    return png, metadata


def _show_figures_sharp() -> None:
    """In a kernel, show figures as 2x PNGs that carry their smallest text size."""
    import matplotlib_inline.backend_inline  # noqa: F401  (registers its formatter first)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    png_formatter = shell.display_formatter.formatters["image/png"]
    png_formatter.for_type(mpl.figure.Figure, _retina_png)


def apply_book_style() -> None:
    """Set matplotlib defaults for the book: readable sizes, light grid, no top/right spines.

    Text is at least ``SMALLEST_TEXT_PT`` and the default figure ``MAX_FIGURE_WIDTH_IN``
    wide, so that a figure reads on a phone. In a Jupyter kernel it also selects the inline
    backend (even where the environment sets ``MPLBACKEND``, ``Agg`` on many CI machines)
    and shows figures at twice their resolution, sharp on high-density screens.
    """
    if _running_in_kernel():
        if mpl.get_backend() != INLINE_BACKEND:
            plt.switch_backend(INLINE_BACKEND)
        _show_figures_sharp()
    mpl.rcParams.update(
        {
            "figure.figsize": (MAX_FIGURE_WIDTH_IN, 3.4),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 11,
            "axes.labelsize": 10.5,
            "legend.fontsize": SMALLEST_TEXT_PT,
            "legend.frameon": False,
            "xtick.labelsize": SMALLEST_TEXT_PT,
            "ytick.labelsize": SMALLEST_TEXT_PT,
            "font.size": SMALLEST_TEXT_PT,
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
    log_scale = _checks.boolean("log_scale", log_scale)
    with_validation = _checks.boolean("with_validation", with_validation)
    if reference is not None:
        reference = _checks.real("reference", reference)
    reference_label = _checks.string("reference_label", reference_label)
    if ax is None:
        _, ax = plt.subplots()
    _checks.axes("ax", ax)
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
    if title is not None:
        _checks.string("title", title)
    if isinstance(step_labels, str) or not isinstance(step_labels, Sequence | None):
        raise ValueError(f"step_labels must be a sequence, got {step_labels!r}")
    if step_labels is not None and len(step_labels) != time:
        raise ValueError(
            f"step_labels must have one label per step ({time}), got {len(step_labels)}"
        )
    if ax is None:
        width = min(MAX_FIGURE_WIDTH_IN, 1.5 + 0.3 * time)
        _, ax = plt.subplots(figsize=(width, 1.2 + 0.18 * units))
    _checks.axes("ax", ax)
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
    ax.text(x, y, text, ha="center", va="center", alpha=alpha)


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
    _checks.axes("ax", ax)
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
    ax.text((steps - 1) / 2, -0.75, spec["example"], ha="center", va="center")
    ax.set_title(name)
    ax.set_aspect("equal")
    ax.axis("off")


#: Where :func:`plot_sequence_shapes` puts each shape: three rows of at most eight steps,
#: so that the figure fits the text column of a phone.
SHAPE_LAYOUT = (
    ("one-to-many", "many-to-one"),
    ("many-to-many, aligned", "forecasting"),
    ("many-to-many, delayed", "many-to-many, delayed"),
)


def plot_sequence_shapes(
    figsize: tuple[float, float] = (MAX_FIGURE_WIDTH_IN, 7.6),
) -> plt.Figure:
    """Draw the five shapes of :data:`SHAPE_NAMES`, one panel each, in three rows.

    Args:
        figsize: figure size in inches.

    Returns:
        The matplotlib figure.
    """
    if (
        not isinstance(figsize, (tuple, list))
        or len(figsize) != 2
        or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and v > 0
            for v in figsize
        )
    ):
        raise ValueError(
            f"figsize must be (width, height) in inches, both > 0, got {figsize!r}"
        )
    fig, axes = plt.subplot_mosaic(
        [list(row) for row in SHAPE_LAYOUT], figsize=figsize, layout="constrained"
    )
    for name in SHAPE_NAMES:
        draw_sequence_shape(axes[name], name)
    return fig
