"""Tests of :mod:`rnn_utils.sweeps`, on small records written here."""

from pathlib import Path

import pytest

from rnn_utils import records, sweeps


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "seed_sweep.csv").write_text(
        "notebook,backend,seed,passed,failures,seconds,date\n"
        "07_lstm,tensorflow,0,True,,80,2026-12-03\n"
        "07_lstm,tensorflow,1,False,cell 19: assert x (AssertionError),81,2026-12-03\n"
        "07_lstm,tensorflow,2,True,,79,2026-12-03\n"
        "07_lstm,jax,0,True,,90,2026-12-03\n"
    )
    (tmp_path / "seed_sweep_values.csv").write_text(
        "notebook,backend,seed,key,value\n"
        "07_lstm,tensorflow,2,ch07_accuracy,0.5\n"
        "07_lstm,tensorflow,0,ch07_accuracy,0.25\n"
        "07_lstm,jax,0,ch07_accuracy,1.0\n"
        "07_lstm,tensorflow,0,ch07_units,32\n"
    )
    return tmp_path


def test_summary_counts_the_seeds_whose_asserts_held(folder):
    result = sweeps.summary("07_lstm", folder=folder)
    assert result.seeds == (0, 1, 2)
    assert result.passed == (0, 2)
    assert not result.all_passed
    assert result.describe() == "2 of 3 seeds (0-2, tensorflow; 79-81 s a run)"


def test_summary_of_another_backend(folder):
    result = sweeps.summary("07_lstm", backend="jax", folder=folder)
    assert result.all_passed
    assert result.describe() == "1 of 1 seeds (0, jax; 90 s a run)"


def test_recorded_values_are_sorted_by_seed(folder):
    assert sweeps.recorded_values("07_lstm", "ch07_accuracy", folder=folder) == {
        0: 0.25,
        2: 0.5,
    }


def test_paired_runs_keep_only_runs_that_glued_every_key(folder):
    runs = sweeps.paired_runs("07_lstm", ["ch07_accuracy", "ch07_units"], folder=folder)
    assert runs == {("tensorflow", 0): {"ch07_accuracy": 0.25, "ch07_units": 32.0}}
    one_key = sweeps.paired_runs("07_lstm", ["ch07_accuracy"], folder=folder)
    assert list(one_key) == [("tensorflow", 0), ("tensorflow", 2), ("jax", 0)]
    with pytest.raises(ValueError, match="keys"):
        sweeps.paired_runs("07_lstm", ["ch07_accuracy", "ch07_missing"], folder=folder)


def test_the_real_record_is_package_data():
    folder = sweeps.record_folder()
    assert folder.name == "recorded"
    assert Path(str(folder)).parent == Path(sweeps.__file__).parent
    assert folder.joinpath(sweeps.RUNS_FILE).is_file()
    assert folder.joinpath(sweeps.VALUES_FILE).is_file()


def test_the_sweep_and_the_timing_record_share_one_folder():
    assert sweeps.record_folder is records.record_folder
    assert records.default_record_path() == sweeps.record_folder() / records.RECORD_FILE


@pytest.mark.parametrize("notebook", ["07", "lstm", "07-lstm", None, "07_LSTM"])
def test_bad_notebook_names_are_rejected(folder, notebook):
    with pytest.raises(ValueError, match="notebook"):
        sweeps.summary(notebook, folder=folder)


def test_unrecorded_notebook_and_key_are_errors(folder):
    with pytest.raises(ValueError, match="08_gru"):
        sweeps.summary("08_gru", folder=folder)
    with pytest.raises(ValueError, match="ch07_missing"):
        sweeps.recorded_values("07_lstm", "ch07_missing", folder=folder)


def test_a_missing_record_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="make seeds"):
        sweeps.summary("07_lstm", folder=tmp_path)


def test_record_lists_every_backend_in_book_order(folder):
    result = sweeps.record("07_lstm", folder=folder)
    assert [s.backend for s in result.summaries] == ["tensorflow", "jax"]
    assert not result.all_passed  # seed 1 failed under TensorFlow
    assert result.describe() == (
        "2 of 3 seeds (0-2, tensorflow; 79-81 s a run); 1 of 1 seeds (0, jax; 90 s a run)"
    )


def test_record_passes_only_when_every_backend_passed(folder):
    path = folder / "seed_sweep.csv"
    path.write_text(path.read_text().replace("False,cell 19: assert x", "True,"))
    assert sweeps.record("07_lstm", folder=folder).all_passed


def test_seeds_that_are_not_consecutive_are_listed(folder):
    path = folder / "seed_sweep.csv"
    path.write_text(path.read_text() + "07_lstm,tensorflow,5,True,,80,2026-12-03\n")
    result = sweeps.summary("07_lstm", folder=folder)
    assert result.describe() == "3 of 4 seeds (0, 1, 2, 5, tensorflow; 79-81 s a run)"


def test_record_of_an_unrecorded_notebook_is_an_error(folder):
    with pytest.raises(ValueError, match="no run of 08_gru"):
        sweeps.record("08_gru", folder=folder)


def test_a_summary_without_times_says_none():
    bare = sweeps.SweepSummary("07_lstm", "torch", (0, 1), (0, 1))
    assert bare.describe() == "2 of 2 seeds (0-1, torch)"


def test_recorded_ranges_per_backend_in_book_order(folder):
    assert sweeps.recorded_ranges("07_lstm", "ch07_accuracy", folder=folder) == {
        "tensorflow": (0.25, 0.5, 2),
        "jax": (1.0, 1.0, 1),
    }
    assert sweeps.recorded_ranges("07_lstm", "ch07_missing", folder=folder) == {}


def test_describe_ranges_reads_as_a_phrase(folder):
    phrase = sweeps.describe_ranges("07_lstm", "ch07_accuracy", folder=folder)
    assert phrase == "0.25 to 0.50 (tensorflow, 2 runs); 1.00 (jax, 1 run)"
    assert sweeps.describe_ranges(
        "07_lstm", "ch07_accuracy", digits=0, folder=folder
    ) == ("0 (tensorflow, 2 runs); 1 (jax, 1 run)")
    with pytest.raises(ValueError, match="key"):
        sweeps.describe_ranges("07_lstm", "ch07_missing", folder=folder)
