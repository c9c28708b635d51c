"""Tests of :mod:`rnn_utils.records` and of the tooling that writes them (``scripts/``)."""

from pathlib import Path

import pytest
from conftest import load_script

from rnn_utils import records, timing


@pytest.fixture(scope="module")
def record_files():
    return load_script("record_files")


def _record(device="CPU", seconds=0.01, layer="lstm", batch_size=64, kernel="generic"):
    return records.RecordedStep(
        device, "tensorflow", "2026-01-31", layer, batch_size, 100, 128, kernel, seconds
    )


def test_records_round_trip(tmp_path, record_files):
    rows = [_record(), _record("NVIDIA X", 0.0005, kernel="cudnn")]
    path = record_files.write_records(rows, tmp_path / "sub" / "timings.csv")
    assert path.read_text().splitlines()[0] == ",".join(records.RECORD_COLUMNS)
    assert records.read_records(path) == rows
    record_files.write_records([_record(batch_size=1)], path, append=True)
    assert [r.batch_size for r in records.read_records(path)] == [64, 64, 1]
    record_files.write_records(
        [_record(batch_size=2)], path
    )  # without append: replaced
    assert [r.batch_size for r in records.read_records(path)] == [2]


def test_the_columns_are_the_fields_of_a_row():
    assert records.RECORD_COLUMNS == tuple(records.RecordedStep.__dataclass_fields__)


def test_a_named_file_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"absent\.csv"):
        records.read_records(tmp_path / "absent.csv")
    with pytest.raises(FileNotFoundError, match=r"typo\.csv"):
        records.read_records(str(tmp_path / "typo.csv"))


def test_the_default_record_may_be_absent_or_header_only(
    tmp_path, monkeypatch, record_files
):
    monkeypatch.setattr(records, "record_folder", lambda: tmp_path)
    assert records.default_record_path() == tmp_path / "gpu_benchmark.csv"
    assert records.read_records() == []
    record_files.write_records([], tmp_path / "gpu_benchmark.csv")  # a header only
    assert (tmp_path / "gpu_benchmark.csv").read_text().startswith("device,")
    assert records.read_records() == []
    record_files.write_records([_record()], tmp_path / "gpu_benchmark.csv", append=True)
    assert records.read_records() == [_record()]


def test_the_shipped_record_is_package_data_of_this_checkout(record_files):
    path = records.default_record_path()
    assert path.name == "gpu_benchmark.csv" and path.is_file()
    assert Path(str(path)) == record_files.GPU_RECORD  # the tooling writes what is read
    assert records.read_records(path) == records.read_records()  # a bad file raises


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a,b\n", "must start with the header"),
        (
            "device,backend,date,layer,batch,length,units,kernel,seconds_per_step\n",
            "header",
        ),
        ("{header}\nCPU,tensorflow,2026-01-31,lstm,1,2\n", "line 2: expected 9 values"),
        ("{header}\nCPU,tensorflow,yesterday,lstm,1,2,3,generic,0.1\n", "line 2: date"),
        (
            "{header}\nCPU,tensorflow,2026-01-31,rnn,1,2,3,generic,0.1\n",
            "layer must be",
        ),
        (
            "{header}\nCPU,tensorflow,2026-01-31,lstm,0,2,3,generic,0.1\n",
            "batch_size must be",
        ),
        ("{header}\nCPU,tensorflow,2026-01-31,lstm,1,2,3,fast,0.1\n", "kernel must be"),
        (
            "{header}\nCPU,tensorflow,2026-01-31,lstm,1,2,3,generic,-1\n",
            "seconds_per_step",
        ),
        (
            "{header}\n,tensorflow,2026-01-31,lstm,1,2,3,generic,0.1\n",
            "must not be empty",
        ),
    ],
)
def test_read_records_rejects_bad_files(tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_text(text.format(header=",".join(records.RECORD_COLUMNS)))
    with pytest.raises(ValueError, match=match):
        records.read_records(path)


def test_to_record_and_bad_input(tmp_path, record_files):
    measured = timing.StepTiming(
        "gru", 4, 10, 8, 2, (0.2, 0.1, 0.3), "CPU", "tensorflow", "generic"
    )
    record = record_files.to_record(measured, date="2026-02-01")
    assert (record.layer, record.batch_size, record.seconds_per_step) == ("gru", 4, 0.2)
    assert len(record_files.to_record(measured).date) == 10
    with pytest.raises(ValueError, match="date must be an ISO date"):
        record_files.to_record(measured, date="1 Feb")
    with pytest.raises(ValueError, match="timing must be a StepTiming"):
        record_files.to_record({"layer": "gru"})
    with pytest.raises(ValueError, match="rows must hold RecordedStep rows"):
        record_files.write_records([measured], tmp_path / "x.csv")
    with pytest.raises(ValueError, match="path must be a file path"):
        records.read_records(3)


def test_speedups_pair_matching_rows_only():
    rows = [
        _record("CPU", 0.02),
        _record("GPU A", 0.001, kernel="cudnn"),
        _record("GPU A", 0.004, kernel="generic"),
        _record(
            "GPU A", 0.001, batch_size=1, kernel="cudnn"
        ),  # no CPU row at batch size 1
    ]
    pairs = records.speedups(rows)
    assert [round(pair.ratio, 6) for pair in pairs] == [20.0, 5.0]
    assert all(pair.cpu is rows[0] for pair in pairs)
    assert records.speedups([]) == []


# --- scripts/gpu_benchmark.py -------------------------------------------------------------


@pytest.fixture(scope="module")
def script():
    return load_script("gpu_benchmark")


def test_script_defaults(script, record_files):
    args = script.parse_args([])
    assert args.layers == ["lstm", "gru"] and args.kernels == ["auto", "generic"]
    assert args.output == str(record_files.GPU_RECORD) and not args.append


def test_script_parses_options(script):
    args = script.parse_args(
        ["--layers", "gru", "--batch-sizes", "1", "8", "--units", "64", "--append"]
    )
    assert (args.layers, args.batch_sizes, args.units, args.append) == (
        ["gru"],
        [1, 8],
        [64],
        True,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--batch-sizes", "0"],
        ["--layers", "transformer"],
        ["--repeats", "x"],
        ["--help"],
    ],
)
def test_script_rejects_bad_arguments_and_helps(script, argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        script.parse_args(argv)
    assert exit_info.value.code == (0 if argv == ["--help"] else 2)


def test_script_writes_a_file(script, keras, tmp_path):
    output = tmp_path / "rows.csv"
    argv = ["--layers", "gru", "--batch-sizes", "2", "--lengths", "3", "--units", "2"]
    argv += [
        "--features",
        "2",
        "--repeats",
        "1",
        "--warmup",
        "1",
        "--output",
        str(output),
    ]
    assert script.main(argv) == 0
    rows = records.read_records(output)
    assert len(rows) == 1 and rows[0].kernel == "generic" and rows[0].device == "CPU"
    assert (rows[0].layer, rows[0].batch_size, rows[0].length) == ("gru", 2, 3)
