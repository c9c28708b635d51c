"""How far each recorded claim sits from its assert's threshold, per backend.

The seed sweep records the numbers every chapter glues (``rnn_utils/recorded/
seed_sweep_values.csv``). For the asserts whose quantity is glued, :data:`CLAIMS` names the
quantity, the comparison and the threshold as the notebook writes them; this script prints,
for each backend, the recorded range and the margin left between the worst recorded seed
and the threshold. A small margin means ten seeds may not show the tail: widen the
threshold or change the claim.

    .venv/bin/python scripts/threshold_margins.py            # every claim in the table
    .venv/bin/python scripts/threshold_margins.py --tight 0.2  # only margins below 20 %
"""

from __future__ import annotations

import argparse
import csv
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rnn_utils import sweeps

Values = dict[str, float]

BASELINE_ADDING = 1 / 6
CLAIMS: list[tuple[str, str, Callable[[Values], float], str, float]] = [
    # (notebook, what, quantity from the glued values, ">" or "<", threshold)
    (
        "03_sequence_shapes",
        "generator MSE / mean wave's",
        lambda v: v["ch03_one_to_many_ratio"],
        "<",
        0.2,
    ),
    (
        "05_vanishing_exploding_gradients",
        "|rate - 0.8|",
        lambda v: abs(v["ch05_rate_below"] - 0.8),
        "<",
        0.05,
    ),
    (
        "05_vanishing_exploding_gradients",
        "|rate - 1.0|",
        lambda v: abs(v["ch05_rate_near"] - 1.0),
        "<",
        0.05,
    ),
    (
        "05_vanishing_exploding_gradients",
        "|rate - 1.2|",
        lambda v: abs(v["ch05_rate_above"] - 1.2),
        "<",
        0.05,
    ),
    (
        "05_vanishing_exploding_gradients",
        "short MSE",
        lambda v: v["ch05_short_mse"],
        "<",
        BASELINE_ADDING / 2,
    ),
    (
        "05_vanishing_exploding_gradients",
        "long MSE",
        lambda v: v["ch05_long_mse"],
        ">",
        0.8 / 6,
    ),
    ("07_lstm", "trained LSTM rate", lambda v: v["ch07_rate_lstm"], ">", 0.97),
    (
        "07_lstm",
        "trained SimpleRNN rate",
        lambda v: v["ch07_rate_simple_rnn"],
        "<",
        1.0,
    ),
    (
        "07_lstm",
        "LSTM / SimpleRNN gradient at distance 30",
        lambda v: v["ch07_norm_ratio"],
        ">",
        1.0,
    ),
    (
        "07_lstm",
        "LSTM adding MSE",
        lambda v: v["ch07_adding_mse_lstm"],
        "<",
        0.1 * BASELINE_ADDING,
    ),
    (
        "07_lstm",
        "SimpleRNN adding MSE",
        lambda v: v["ch07_adding_mse_simple_rnn"],
        ">",
        0.8 * BASELINE_ADDING,
    ),
    (
        "08_gru",
        "GRU adding MSE",
        lambda v: v["ch08_adding_mse_gru"],
        "<",
        0.1 * BASELINE_ADDING,
    ),
    (
        "08_gru",
        "LSTM adding MSE",
        lambda v: v["ch08_adding_mse_lstm"],
        "<",
        0.1 * BASELINE_ADDING,
    ),
    (
        "08_gru",
        "SimpleRNN adding MSE",
        lambda v: v["ch08_adding_mse_simple_rnn"],
        ">",
        0.6 * BASELINE_ADDING,
    ),
    (
        "11_attention",
        "plain, shortest L",
        lambda v: v["ch11_echo_plain_short"],
        ">",
        0.6,
    ),
    ("11_attention", "plain, longest L", lambda v: v["ch11_echo_plain_long"], "<", 0.1),
    (
        "11_attention",
        "attention - plain, longest L",
        lambda v: v["ch11_echo_attention_long"] - v["ch11_echo_plain_long"],
        ">",
        0.2,
    ),
    (
        "11_attention",
        "peak on the copied step",
        lambda v: v["ch11_on_diagonal"],
        ">",
        0.5,
    ),
    (
        "11_attention",
        "peak within one step",
        lambda v: v["ch11_near_diagonal"],
        ">",
        0.7,
    ),
    (
        "12_linear_recurrences",
        "loop time over scan time, longest T",
        lambda v: v["ch12_scan_speedup"],
        ">",
        2.0,
    ),
    ("12_linear_recurrences", "loop slope", lambda v: v["ch12_loop_slope"], ">", 0.5),
    (
        "12_linear_recurrences",
        "minimal GRU MSE, memory 0.95",
        lambda v: v["ch12_adding_mse_min_gru_3"],
        "<",
        BASELINE_ADDING / 5,
    ),
    (
        "12_linear_recurrences",
        "minimal GRU MSE, memory 0.73",
        lambda v: v["ch12_adding_mse_min_gru_1"],
        "<",
        BASELINE_ADDING / 3,
    ),
    (
        "12_linear_recurrences",
        "LSTM - minimal GRU MSE, memory 0.73",
        lambda v: v["ch12_adding_mse_lstm_1"] - v["ch12_adding_mse_min_gru_1"],
        ">",
        0.0,
    ),
    (
        "12_linear_recurrences",
        "LSTM MSE, memory 0.73",
        lambda v: v["ch12_adding_mse_lstm_1"],
        ">",
        0.8 * BASELINE_ADDING,
    ),
    (
        "12_linear_recurrences",
        "copy accuracy, minimal GRU",
        lambda v: v["ch12_copy_accuracy_min_gru"],
        "<",
        1 / 3,
    ),
    (
        "12_linear_recurrences",
        "copy accuracy, LSTM",
        lambda v: v["ch12_copy_accuracy_lstm"],
        "<",
        1 / 3,
    ),
    (
        "12_linear_recurrences",
        "copy accuracy at the short lag, GRU",
        lambda v: v["ch12_short_accuracy"],
        ">",
        0.75,
    ),
    (
        "13_regularisation",
        "training loss, no remedy",
        lambda v: v["ch13_train_plain"],
        "<",
        0.15,
    ),
    (
        "13_regularisation",
        "test / training loss, no remedy",
        lambda v: v["ch13_test_plain"] / v["ch13_train_plain"],
        ">",
        5.0,
    ),
    *(
        (
            "13_regularisation",
            f"gap with {name} / gap without",
            lambda v, key=key: v[f"ch13_gap_{key}"] / v["ch13_gap_plain"],
            "<",
            0.9,
        )
        for name, key in (
            ("input dropout", "dropout"),
            ("recurrent dropout", "recurrent"),
        )
    ),
    (
        "13_regularisation",
        "gap with weight decay / gap without",
        lambda v: v["ch13_gap_decay"] / v["ch13_gap_plain"],
        "<",
        1.0,
    ),
    (
        "13_regularisation",
        "epochs with early stopping",
        lambda v: v["ch13_early_epochs"],
        "<",
        40.0,
    ),
    (
        "13_regularisation",
        "validation loss at the largest learning rate",
        lambda v: v["ch13_loss_largest_rate"],
        ">",
        2.302585,
    ),
    (
        "13_regularisation",
        "learning-rate spread / next spread",
        lambda v: (
            v["ch13_spread_rate"] / max(v["ch13_spread_clip"], v["ch13_spread_forget"])
        ),
        ">",
        2.0,
    ),
    (
        "14_streams_and_devices",
        "carried MSE / floor",
        lambda v: v["ch14_stream_mse_carried"] / v["ch14_reset_floor"],
        "<",
        0.75,
    ),
    (
        "14_streams_and_devices",
        "wrong-layout MSE / floor",
        lambda v: v["ch14_stream_mse_wrong"] / v["ch14_reset_floor"],
        ">",
        0.8,
    ),
    (
        "14_streams_and_devices",
        "reset MSE / floor",
        lambda v: v["ch14_stream_mse_reset"] / v["ch14_reset_floor"],
        ">",
        0.8,
    ),
    (
        "14_streams_and_devices",
        "one vs several devices, relative",
        lambda v: v["ch14_parallel_difference"],
        "<",
        1e-4,
    ),
    (
        "12_linear_recurrences",
        "retention trained / initial",
        lambda v: v["ch12_retention_trained"] / v["ch12_retention_initial"],
        ">",
        10.0,
    ),
]
"""The asserts checked against the record: quantity, comparison and threshold as written in
the notebook (a quantity the notebook does not glue cannot be listed here)."""


ONLY_UNDER: dict[tuple[str, str], tuple[str, ...]] = {
    ("12_linear_recurrences", "loop time over scan time, longest T"): (
        "tensorflow",
        "jax",
    ),
}
"""Claims the notebook asserts over the record for some backends only."""


def recorded_runs(path: Path | None = None) -> dict[tuple[str, str, int], Values]:
    """``{(notebook, backend, seed): {key: value}}`` from the record of glued values."""
    path = (
        Path(str(sweeps.record_folder() / sweeps.VALUES_FILE)) if path is None else path
    )
    runs: dict[tuple[str, str, int], Values] = defaultdict(dict)
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                value = float(row["value"])
            except ValueError:  # a glued phrase, not a number
                continue
            runs[row["notebook"], row["backend"], int(row["seed"])][row["key"]] = value
    return runs


def margin(worst: float, op: str, threshold: float) -> float:
    """Room left at the worst seed: a fraction of the threshold, or absolute where it is 0."""
    room = threshold - worst if op == "<" else worst - threshold
    return room / abs(threshold) if threshold else room


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tight",
        type=float,
        default=math.inf,
        help="print only claims whose margin is below this fraction",
    )
    args = parser.parse_args(argv)
    runs = recorded_runs()
    print(
        f"{'notebook':<34} {'claim':<42} {'backend':<10} {'seeds':>5} "
        f"{'recorded range':>22} {'threshold':>12} {'margin':>7}"
    )
    for notebook, what, quantity, op, threshold in CLAIMS:
        by_backend: dict[str, list[float]] = defaultdict(list)
        for (name, backend, _seed), values in sorted(runs.items()):
            if name != notebook:
                continue
            try:
                by_backend[backend].append(quantity(values))
            except (KeyError, ZeroDivisionError):  # not glued at that run
                continue
        if not by_backend:
            print(f"{notebook:<34} {what:<42} {'(not in the record yet)':>40}")
            continue
        for backend, found in sorted(by_backend.items()):
            if backend not in ONLY_UNDER.get((notebook, what), (backend,)):
                continue
            worst = max(found) if op == "<" else min(found)
            room = margin(worst, op, threshold)
            if room >= args.tight:
                continue
            shown = f"{room:>7.0%}" if threshold else f"{room:>+7.3g}"
            print(
                f"{notebook:<34} {what:<42} {backend:<10} {len(found):>5} "
                f"{min(found):>10.4g} - {max(found):<9.4g} {op} {threshold:<9.4g} "
                f"{shown}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
