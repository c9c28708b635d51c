"""Mark the cells whose outputs nbval must not compare, with the reason, in one place.

    python scripts/mark_outputs.py            # apply the marks below to notebooks/*.ipynb
    python scripts/mark_outputs.py --check    # exit 1 if a notebook's marks differ

A mark is the tag ``nbval-ignore-output`` plus ``rnn_book.ignore_output = REASON`` in the
cell's metadata (see tests/test_stored_notebooks.py for the reasons). Cells are found by the
start of their source, so the marks survive inserted or reordered cells; a start that
matches no cell, or several, is an error. Everything not listed here is compared exactly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TAG = "nbval-ignore-output"

# notebook stem -> [(start of the cell's source, reason)]
MARKS: dict[str, list[tuple[str, str]]] = {
    "01_feedforward_limits": [
        ("mlp_accuracy = training.evaluate_quietly", "trained"),
        ("def binary_classifier", "trained"),
        ("longer = data.event_timelines", "trained"),
        ("def next_character_model", "trained"),
    ],
    "02_recurrent_networks": [
        ("numpy_sequence = simple_rnn_forward", "round-off"),
        ("num_visits = 20", "trained"),
        ("def drug_seen", "trained"),
        ("long_inputs = rng.normal", "round-off"),
        ("keras_unrolled = keras.layers.SimpleRNN", "round-off"),
        ("lower, upper = stack.layers", "round-off"),
    ],
    "03_sequence_shapes": [
        ("wave_steps = 40", "trained"),
        ("reader.compile(", "trained"),
        ("rule = baselines.best_threshold", "trained"),
        ("encoder = keras.Model(digits_in", "trained"),
        ("short_numbers = sequences.number_translation", "trained"),
        ("lengths = [50, 30, 12]", "round-off"),
        ("forecaster = keras.Sequential(", "trained"),
    ],
    "04_backpropagation_through_time": [
        ("def keras_loss", "round-off"),
        ("def numpy_loss", "round-off"),
        ("last_step = np.zeros", "round-off"),
        ("keras_model = training.recurrent_model(", "timing"),
        ("window = 10", "timing"),
        ("truncation_window, train_steps", "trained"),
    ],
    "05_vanishing_exploding_gradients": [
        ("depth = 100", "round-off"),
        ("explode_length, explode_steps", "trained"),
        ("def train_adding", "trained"),
        ("short_input_norms", "trained"),
    ],
    "06_remedies": [
        ("def exploding_run", "trained"),
        ("def reach(layer)", "round-off"),
        ("optimizers = keras.optimizers", "trained"),
    ],
    "07_lstm": [
        ("rng = np.random.default_rng(SEED)", "round-off"),
        ("adding_train = tasks.adding_problem", "trained"),
        ("trained_norms, trained_rates", "trained"),
        ("order_train = tasks.temporal_order", "trained"),
        ("product_train = tasks.multiplication_problem", "trained"),
        ("trained_lstm = adding_models", "trained"),
        ("sample = 0\nsteps = np.arange(ADDING_LENGTH)", "figure"),
    ],
    "08_gru": [
        ("check_inputs = np.random.default_rng", "round-off"),
        ("adding_mse = {name: adding_runs", "trained"),
        ("for name in cells:", "timing"),
        ("SWITCH_PROBABILITY, NOISE_STD", "trained"),
        ("bidirectional_model, bidirectional_accuracy", "trained"),
        ("PHI, NOISE", "trained"),
    ],
    "09_applications": [
        ("errors = {name: forecasting.forecast_errors", "trained"),
        ("# int32 codes: JAX, without 64-bit mode", "trained"),
        ("val_logits = training.predict_quietly", "trained"),
        ("state_input = keras.Input", "sample"),
        ("for temperature, sample in samples.items()", "sample"),
        ("hidden_model = keras.Model", "trained"),
    ],
    "11_beyond_lstm": [
        ("echo_models, echo_accuracy", "trained"),
        ("attention_model = echo_models", "trained"),
        ("rng = np.random.default_rng(SEED)\nlongest", "round-off"),
        ("scan_seconds, loop_seconds", "timing"),
        ("adding_train = tasks.adding_problem", "trained"),
        ("copy_train = tasks.copy_problem", "trained"),
        ("trained_decays = keras.ops", "trained"),
    ],
    "10_gpu": [
        ("settings = [", "timing"),
        ("seconds = {", "timing"),
        ("fig, (left, right) = plt.subplots(1, 2", "timing"),
        ("length_seconds = np.array", "timing"),
        ("fig, ax = plt.subplots()", "timing"),
    ],
}


def marked_cells(notebook: nbformat.NotebookNode, stem: str) -> dict[int, str]:
    """Index of each marked code cell -> its reason; ValueError for a start that is not unique."""
    marks = {}
    for start, reason in MARKS.get(stem, []):
        found = [
            index
            for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and cell.source.lstrip().startswith(start)
        ]
        if len(found) != 1:
            raise ValueError(
                f"{stem}: {len(found)} code cells start with {start!r}, expected 1"
            )
        marks[found[0]] = reason
    return marks


def apply_marks(notebook: nbformat.NotebookNode, stem: str) -> bool:
    """Set the tag and reason on the listed cells, remove them elsewhere; True if changed."""
    marks = marked_cells(notebook, stem)
    changed = False
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        tags = [t for t in cell.metadata.get("tags", []) if t != TAG]
        book = {
            k: v
            for k, v in cell.metadata.get("rnn_book", {}).items()
            if k != "ignore_output"
        }
        if index in marks:
            tags.append(TAG)
            book["ignore_output"] = marks[index]
        before = (cell.metadata.get("tags", []), cell.metadata.get("rnn_book", {}))
        for key, value in (("tags", tags), ("rnn_book", book)):
            if value:
                cell.metadata[key] = value
            else:
                cell.metadata.pop(key, None)
        changed |= before != (
            cell.metadata.get("tags", []),
            cell.metadata.get("rnn_book", {}),
        )
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report notebooks to change"
    )
    args = parser.parse_args(argv)
    stale = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        if apply_marks(notebook, path.stem):
            stale.append(path.name)
            if not args.check:
                nbformat.write(notebook, path)
    verb = "differ" if args.check else "updated"
    print(f"{verb}: {', '.join(stale) if stale else 'none'}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
