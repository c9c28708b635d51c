"""Tests of the shared figures in :mod:`rnn_utils.plots`."""

import struct
import types

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_utils import plots

pytestmark = pytest.mark.usefixtures("close_figures")

HISTORIES = {
    "mlp": {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.7]},
    "rnn": {"loss": [0.9, 0.3, 0.1, 0.05], "val_loss": [1.0, 0.5, 0.3, 0.2]},
}


# ---------------------------------------------------------------------------- style


def test_apply_book_style_sets_the_defaults():
    mpl.rcParams["axes.grid"] = False
    mpl.rcParams["axes.spines.right"] = True
    plots.apply_book_style()
    assert mpl.rcParams["axes.grid"] is True
    assert mpl.rcParams["axes.spines.right"] is False
    assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["figure.figsize"][0] == plots.MAX_FIGURE_WIDTH_IN
    assert mpl.rcParams["legend.frameon"] is False
    for key in ("font.size", "legend.fontsize", "xtick.labelsize", "ytick.labelsize"):
        assert mpl.rcParams[key] >= plots.SMALLEST_TEXT_PT


def test_smallest_text_size_reads_the_visible_text():
    fig, ax = plt.subplots()
    assert plots.smallest_text_size(fig) is None or plots.smallest_text_size(fig) > 0
    ax.set_xlabel("time", fontsize=12)
    ax.text(0.5, 0.5, "tiny", fontsize=6)
    ax.text(0.5, 0.2, "hidden", fontsize=3).set_visible(False)
    ax.text(0.5, 0.1, "   ", fontsize=2)  # blank: nothing to read
    fig.canvas.draw()
    assert plots.smallest_text_size(fig) == 6
    with pytest.raises(TypeError, match="fig"):
        plots.smallest_text_size(ax)


def test_figures_are_shown_at_twice_their_resolution_with_their_text_size():
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([0, 1], [0, 1])
    png, metadata = plots._retina_png(fig)
    width, _ = struct.unpack(">II", png[16:24])
    assert metadata["width"] == width // 2  # shown at 1x: sharp on a 2x screen
    assert "height" not in metadata  # a narrow screen keeps the aspect ratio
    points = plots.smallest_text_size(fig)
    assert metadata[plots.SMALLEST_TEXT_KEY] == pytest.approx(
        points * fig.dpi / 72, abs=0.01
    )
    assert plots._retina_png(plt.figure()) is None  # an empty figure shows nothing


# -------------------------------------------------------------------- training curves


def test_plot_training_curves_draws_train_and_validation_lines():
    ax = plots.plot_training_curves(HISTORIES)
    assert isinstance(ax, plt.Axes)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == [
        "mlp (train)",
        "mlp (validation)",
        "rnn (train)",
        "rnn (validation)",
    ]
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines[0].get_ydata(), [1.0, 0.6, 0.4])
    np.testing.assert_array_equal(lines[1].get_ydata(), [1.1, 0.8, 0.7])
    np.testing.assert_array_equal(lines[3].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(lines[3].get_ydata(), [1.0, 0.5, 0.3, 0.2])
    for train, validation in (lines[0:2], lines[2:4]):
        assert train.get_linestyle() == "-"
        assert validation.get_linestyle() == "--"
        assert validation.get_color() == train.get_color()
    assert lines[0].get_color() != lines[2].get_color()
    assert ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == "loss"
    assert ax.get_yscale() == "linear"
    legend = ax.get_legend()
    assert legend is not None
    assert len(legend.get_texts()) == 4


def test_plot_training_curves_without_validation_draws_one_line_per_run():
    ax = plots.plot_training_curves(HISTORIES, with_validation=False)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["mlp", "rnn"]
    np.testing.assert_array_equal(lines[1].get_ydata(), [0.9, 0.3, 0.1, 0.05])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mlp", "rnn"]


def test_plot_training_curves_runs_without_validation_keep_their_plain_label():
    histories = {"a": {"loss": [3.0, 2.0]}, "b": {"loss": [1.0], "val_loss": [1.5]}}
    ax = plots.plot_training_curves(histories)
    assert [line.get_label() for line in ax.get_lines()] == [
        "a",
        "b (train)",
        "b (validation)",
    ]


def test_plot_training_curves_other_metric_and_reference_line():
    ax = plots.plot_training_curves(
        HISTORIES,
        "val_loss",
        reference=0.5,
        reference_label="majority class",
        log_scale=True,
    )
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["mlp", "rnn", "majority class"]
    np.testing.assert_array_equal(lines[1].get_ydata(), [1.0, 0.5, 0.3, 0.2])
    reference = lines[2]
    assert reference.get_linestyle() == "--"
    np.testing.assert_array_equal(reference.get_ydata(), [0.5, 0.5])
    assert ax.get_ylabel() == "val loss"
    assert ax.get_yscale() == "log"
    assert "majority class" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_training_curves_accepts_history_objects_and_a_given_axis():
    _, given = plt.subplots()
    history = types.SimpleNamespace(
        history={"accuracy": [0.5, 0.75], "val_accuracy": [0.4, 0.6]}
    )
    ax = plots.plot_training_curves({"run": history}, "accuracy", ax=given)
    assert ax is given
    lines = ax.get_lines()
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[0].get_ydata(), [0.5, 0.75])
    np.testing.assert_array_equal(lines[1].get_ydata(), [0.4, 0.6])
    assert ax.get_ylabel() == "accuracy"
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize("histories", [{}, [], None, [("a", {"loss": [1]})]])
def test_plot_training_curves_rejects_empty_or_non_mapping(histories):
    with pytest.raises(ValueError, match="histories"):
        plots.plot_training_curves(histories)


@pytest.mark.parametrize("history", [[1.0, 0.5], 3, "loss"])
def test_plot_training_curves_rejects_bad_history(history):
    with pytest.raises(ValueError, match="histories must map a label"):
        plots.plot_training_curves({"run": history})


def test_plot_training_curves_rejects_unknown_metric():
    with pytest.raises(
        ValueError, match=r"metric 'accuracy' not recorded.*'loss', 'val_loss'"
    ):
        plots.plot_training_curves(HISTORIES, "accuracy")


# ---------------------------------------------------------------------- hidden states


def test_plot_hidden_states_draws_one_heat_map(rng):
    states = rng.uniform(-0.8, 0.5, (7, 4))
    ax = plots.plot_hidden_states(states, title="Hidden states")
    images = ax.get_images()
    assert len(images) == 1
    np.testing.assert_array_equal(images[0].get_array(), states.T)
    limit = np.abs(states).max()
    assert images[0].get_clim() == pytest.approx((-limit, limit))
    assert ax.get_xlabel() == "time step"
    assert ax.get_ylabel() == "hidden unit"
    assert ax.get_title() == "Hidden states"
    # The figure holds the heat map and its colour bar.
    assert len(ax.figure.axes) == 2
    assert ax.figure.axes[1].get_ylabel() == "activation"


def test_plot_hidden_states_step_labels_and_given_axis(rng):
    _, given = plt.subplots()
    ax = plots.plot_hidden_states(
        rng.normal(size=(5, 3)), ax=given, step_labels=list("hello")
    )
    assert ax is given
    assert [t.get_text() for t in ax.get_xticklabels()] == list("hello")
    np.testing.assert_array_equal(ax.get_xticks(), np.arange(5))
    assert ax.get_title() == ""


def test_plot_hidden_states_all_zero_states():
    ax = plots.plot_hidden_states(np.zeros((3, 2)))
    low, high = ax.get_images()[0].get_clim()
    assert low < 0 < high


@pytest.mark.parametrize(
    "states", [np.zeros(5), np.zeros((2, 3, 4)), np.full((2, 2), np.nan)]
)
def test_plot_hidden_states_rejects_bad_states(states):
    with pytest.raises(ValueError, match="states"):
        plots.plot_hidden_states(states)


@pytest.mark.parametrize("labels", [["a"], list("abcdef"), []])
def test_plot_hidden_states_rejects_wrong_number_of_step_labels(labels):
    with pytest.raises(
        ValueError, match=r"step_labels must have one label per step \(4\)"
    ):
        plots.plot_hidden_states(np.zeros((4, 2)), step_labels=labels)


@pytest.mark.parametrize("shape", [(0, 3), (4, 0)])
def test_plot_hidden_states_rejects_empty_states_naming_the_argument(shape):
    with pytest.raises(ValueError, match="states"):
        plots.plot_hidden_states(np.zeros(shape))


def test_book_style_selects_inline_backend_in_a_kernel(monkeypatch):
    import matplotlib as mpl

    from rnn_utils import plots

    assert not plots._running_in_kernel()  # pytest is not a Jupyter kernel
    monkeypatch.setattr(plots, "_running_in_kernel", lambda: True)
    try:
        plots.apply_book_style()
        assert mpl.get_backend() == plots.INLINE_BACKEND
    finally:
        plt.switch_backend("Agg")


# ------------------------------------------------------------- sequence shapes


def test_plot_sequence_shapes_draws_one_labelled_panel_per_shape():
    figure = plots.plot_sequence_shapes()
    titles = [ax.get_title() for ax in figure.axes]
    assert sorted(titles) == sorted(plots.SHAPE_NAMES)
    width, _ = figure.get_size_inches()
    assert width <= plots.MAX_FIGURE_WIDTH_IN
    assert plots.smallest_text_size(figure) >= plots.SMALLEST_TEXT_PT
    for ax in figure.axes:
        assert len(ax.patches) >= 6  # boxes for inputs, cells and outputs
        assert len(ax.texts) >= 6


def test_draw_sequence_shape_counts_boxes():
    _, ax = plt.subplots()
    plots.draw_sequence_shape(ax, "many-to-one")
    # 4 inputs + 4 cells + 1 output.
    assert len(ax.patches) == 9


def test_shape_drawing_rejects_bad_arguments():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="name"):
        plots.draw_sequence_shape(ax, "one-to-one")
    with pytest.raises(ValueError, match="figsize"):
        plots.plot_sequence_shapes(figsize=(0, 3))
