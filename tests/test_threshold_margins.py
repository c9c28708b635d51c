"""scripts/threshold_margins.py: recorded claims against their asserts' thresholds."""

import pytest
from conftest import load_script

MARGINS = load_script("threshold_margins")


@pytest.mark.parametrize(
    ("worst", "op", "threshold", "expected"),
    [
        (0.8, "<", 1.0, 0.2),
        (1.2, ">", 1.0, 0.2),
        (0.95, ">", 1.0, -0.05),
        (0.1, ">", 0.0, 0.1),
    ],
)
def test_margin_is_the_room_left_at_the_worst_seed(worst, op, threshold, expected):
    assert MARGINS.margin(worst, op, threshold) == pytest.approx(expected)


def test_every_claim_in_the_table_reads_a_recorded_run():
    """A renamed glue key must not leave a claim silently unchecked."""
    runs = MARGINS.recorded_runs()
    for notebook, what, quantity, _op, _threshold in MARGINS.CLAIMS:
        computed = []
        for (name, _backend, _seed), values in runs.items():
            if name == notebook:
                try:
                    computed.append(quantity(values))
                except KeyError:
                    continue
        assert computed, f"{notebook}: no recorded run glues what '{what}' reads"
