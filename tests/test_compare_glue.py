"""scripts/compare_glue.py: a refactor's glued values against those before it."""

from conftest import load_script

COMPARE = load_script("compare_glue")
PREFIX = "application/papermill.record/"


def _glue(name, text, *, image=False):
    data = {PREFIX + "text/plain": text}
    if image:
        data[PREFIX + "image/png"] = "iVBORw0KGgo="
    return {
        "output_type": "display_data",
        "data": data,
        "metadata": {"scrapbook": {"name": name, "mime_prefix": PREFIX}},
    }


def _notebook(*cells):
    return {
        "cells": [{"cell_type": "code", "metadata": m, "outputs": o} for m, o in cells]
    }


TIMING = {"rnn_book": {"ignore_output": "timing"}}


def test_equal_values_and_changed_timings_pass():
    before = _notebook(
        ({}, [_glue("ch01_accuracy", "0.97")]), (TIMING, [_glue("t", "3.1")])
    )
    after = _notebook(
        ({}, [_glue("ch01_accuracy", "0.97")]), (TIMING, [_glue("t", "2.9")])
    )
    changed, timings = COMPARE.differences(before, after)
    assert changed == [] and timings == ["t: 3.1 -> 2.9"]


def test_a_changed_added_or_missing_value_is_reported():
    before = _notebook(({}, [_glue("a", "1"), _glue("gone", "2")]))
    after = _notebook(({}, [_glue("a", "1.5"), _glue("new", "3")]))
    changed, _ = COMPARE.differences(before, after)
    assert changed == ["a: 1 -> 1.5", "gone: 2 -> missing", "new: new, 3"]


def test_figures_are_skipped_and_keys_can_be_declared_timings():
    before = _notebook(
        ({}, [_glue("fig", "<Figure 1>", image=True), _glue("slope", "1.0")])
    )
    after = _notebook(
        ({}, [_glue("fig", "<Figure 2>", image=True), _glue("slope", "0.9")])
    )
    assert COMPARE.differences(before, after)[0] == ["slope: 1.0 -> 0.9"]
    assert COMPARE.differences(before, after, "slope") == ([], ["slope: 1.0 -> 0.9"])


def test_every_chapter_glues_values_it_can_compare():
    import json
    from pathlib import Path

    for path in sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text())
        assert len(COMPARE.glued_values(notebook)) >= 3, path.name
        assert COMPARE.differences(notebook, notebook) == ([], [])
