"""Tests of :mod:`rnn_utils.benchmark` and of ``scripts/gpu_benchmark.py``'s command line."""

import dataclasses
import importlib
import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gpu_benchmark.py"


@pytest.fixture
def benchmark(keras):
    from rnn_utils import benchmark

    return benchmark


# --- cudnn_eligible -----------------------------------------------------------------------


@pytest.mark.parametrize("layer_name", ["LSTM", "GRU"])
def test_default_lstm_and_gru_are_eligible(benchmark, keras, layer_name):
    layer = getattr(keras.layers, layer_name)(8)
    eligible, reasons = benchmark.cudnn_eligible(layer)
    assert eligible and reasons == []


@pytest.mark.parametrize("layer_name", ["LSTM", "GRU"])
@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"activation": "relu"}, "activation is relu"),
        ({"recurrent_activation": "hard_sigmoid"}, "recurrent_activation is hard_sigmoid"),
        ({"recurrent_dropout": 0.1}, "recurrent_dropout"),
        ({"unroll": True}, "unroll"),
        ({"use_bias": False}, "use_bias"),
        ({"use_cudnn": False}, "use_cudnn=False"),
    ],
)
def test_each_condition_fails_alone(benchmark, keras, layer_name, kwargs, phrase):
    layer = getattr(keras.layers, layer_name)(8, **kwargs)
    eligible, reasons = benchmark.cudnn_eligible(layer)
    assert not eligible
    assert len(reasons) == 1 and phrase in reasons[0]


def test_input_dropout_and_return_sequences_are_allowed(benchmark, keras):
    layer = keras.layers.LSTM(8, dropout=0.3, return_sequences=True, go_backwards=True)
    assert benchmark.cudnn_eligible(layer).eligible


def test_ops_tanh_and_tf_tanh_count_as_tanh(benchmark, keras):
    import tensorflow as tf

    assert benchmark.cudnn_eligible(keras.layers.LSTM(4, activation=keras.ops.tanh)).eligible
    assert benchmark.cudnn_eligible(keras.layers.LSTM(4, activation=tf.tanh)).eligible
    own_tanh = keras.layers.LSTM(4, activation=lambda x: keras.ops.tanh(x))
    assert not benchmark.cudnn_eligible(own_tanh).eligible


def test_gru_needs_reset_after(benchmark, keras):
    eligible, reasons = benchmark.cudnn_eligible(keras.layers.GRU(8, reset_after=False))
    assert not eligible and reasons == [
        "reset_after=False (cuDNN implements the reset_after=True variant)"
    ]


def test_several_failures_are_all_listed(benchmark, keras):
    layer = keras.layers.GRU(8, activation="relu", unroll=True, reset_after=False)
    eligible, reasons = benchmark.cudnn_eligible(layer)
    assert not eligible and len(reasons) == 3


def test_simple_rnn_and_other_layers_have_no_cudnn_kernel(benchmark, keras):
    for layer in (keras.layers.SimpleRNN(4), keras.layers.Dense(3)):
        eligible, reasons = benchmark.cudnn_eligible(layer)
        assert not eligible and "no cuDNN kernel" in reasons[0]


def test_backends(benchmark, keras):
    gru, lstm = keras.layers.GRU(4), keras.layers.LSTM(4)
    assert benchmark.cudnn_eligible(lstm, backend="jax").eligible
    eligible, reasons = benchmark.cudnn_eligible(gru, backend="jax")
    assert not eligible and reasons == ["the jax backend has no cuDNN path for GRU"]
    assert benchmark.cudnn_eligible(gru, backend="torch").eligible
    assert not benchmark.cudnn_eligible(lstm, backend="numpy").eligible


def test_masks(benchmark, keras):
    lstm = keras.layers.LSTM(4)
    right = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)
    left = right[:, ::-1]
    holes = np.array([[1, 0, 1, 0]], dtype=bool)
    empty = np.array([[1, 1, 0, 0], [0, 0, 0, 0]], dtype=bool)
    assert benchmark.cudnn_eligible(lstm, mask=right).eligible
    for mask in (left, holes):
        eligible, reasons = benchmark.cudnn_eligible(lstm, mask=mask)
        assert not eligible and "not right-padded" in reasons[0]
    eligible, reasons = benchmark.cudnn_eligible(lstm, mask=empty)
    assert not eligible and "fully masked" in reasons[0]
    eligible, reasons = benchmark.cudnn_eligible(lstm, backend="torch", mask=right)
    assert not eligible and "generic loop" in reasons[0]


def test_bidirectional_checks_both_directions(benchmark, keras):
    assert benchmark.cudnn_eligible(keras.layers.Bidirectional(keras.layers.LSTM(4))).eligible
    eligible, reasons = benchmark.cudnn_eligible(
        keras.layers.Bidirectional(keras.layers.GRU(4, unroll=True))
    )
    assert not eligible
    assert [reason.split(":")[0] for reason in reasons] == ["forward layer", "backward layer"]


def test_agrees_with_keras_own_check_on_tensorflow(benchmark, keras):
    """Our verdict matches Keras' private TensorFlow predicate on every combination."""
    tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")

    for activation, recurrent, unroll, bias, reset_after in itertools.product(
        ["tanh", "relu"], ["sigmoid", "hard_sigmoid"], [False, True], [True, False], [True, False]
    ):
        lstm = keras.layers.LSTM(
            3,
            activation=activation,
            recurrent_activation=recurrent,
            unroll=unroll,
            use_bias=bias,
        )
        gru = keras.layers.GRU(
            3,
            activation=activation,
            recurrent_activation=recurrent,
            unroll=unroll,
            use_bias=bias,
            reset_after=reset_after,
        )
        keras_lstm = tf_rnn._do_lstm_arguments_support_cudnn(
            lstm.cell.activation, lstm.cell.recurrent_activation, unroll, bias
        )
        keras_gru = tf_rnn._do_gru_arguments_support_cudnn(
            gru.cell.activation, gru.cell.recurrent_activation, unroll, bias, reset_after
        )
        assert benchmark.cudnn_eligible(lstm, backend="tensorflow").eligible == keras_lstm
        assert benchmark.cudnn_eligible(gru, backend="tensorflow").eligible == keras_gru


def test_cudnn_eligible_rejects_bad_input(benchmark, keras):
    with pytest.raises(ValueError, match="layer must be a Keras layer"):
        benchmark.cudnn_eligible("LSTM")
    with pytest.raises(ValueError, match="backend"):
        benchmark.cudnn_eligible(keras.layers.LSTM(3), backend="")
    with pytest.raises(ValueError, match=r"mask must have shape \(batch, time\)"):
        benchmark.cudnn_eligible(keras.layers.LSTM(3), mask=np.ones(4, dtype=bool))


# --- time_training_steps ------------------------------------------------------------------


@pytest.mark.parametrize("layer", ["lstm", "gru", "simple_rnn"])
def test_time_training_steps_structure(benchmark, layer):
    timing = benchmark.time_training_steps(
        layer, batch_size=3, length=4, units=2, features=2, repeats=3, warmup=1
    )
    assert (timing.layer, timing.batch_size, timing.length, timing.units) == (layer, 3, 4, 2)
    assert len(timing.times) == 3 and all(t > 0 for t in timing.times)
    assert timing.seconds_per_step == pytest.approx(float(np.median(timing.times)))
    assert timing.sequences_per_second == pytest.approx(3 / timing.seconds_per_step)
    assert timing.backend == "tensorflow"
    assert timing.device == "CPU" and timing.kernel == "generic"
    with pytest.raises(dataclasses.FrozenInstanceError):
        timing.units = 5


def test_time_settings_interleaves_and_keeps_order(benchmark):
    settings = [
        benchmark.Setting("lstm", batch_size=2, length=3, units=2, features=2),
        benchmark.Setting("simple_rnn", batch_size=5, length=2, units=3, features=1),
    ]
    timings = benchmark.time_settings(settings, repeats=2, warmup=1)
    assert [(t.layer, t.batch_size, t.units) for t in timings] == [
        ("lstm", 2, 2),
        ("simple_rnn", 5, 3),
    ]
    assert all(len(t.times) == 2 for t in timings)


def test_time_settings_rejects_bad_input(benchmark):
    with pytest.raises(ValueError, match="non-empty sequence of Setting"):
        benchmark.time_settings([])
    with pytest.raises(ValueError, match="non-empty sequence of Setting"):
        benchmark.time_settings(benchmark.Setting())
    with pytest.raises(ValueError, match="must hold Setting objects"):
        benchmark.time_settings([{"layer": "lstm"}])
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        benchmark.Setting(batch_size=0)
    with pytest.raises(ValueError, match="layer must be one of"):
        benchmark.Setting("rnn")


def test_build_model_shapes(benchmark):
    model = benchmark.build_model("gru", length=5, units=3, features=2, use_cudnn=False)
    assert model.input_shape == (None, 5, 2) and model.output_shape == (None, 1)
    assert model.layers[0].use_cudnn is False


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"layer": "transformer"}, "layer must be one of"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"length": 2.5}, "length must be a positive integer"),
        ({"units": -1}, "units must be a positive integer"),
        ({"repeats": 0}, "repeats must be a positive integer"),
        ({"warmup": 0}, "warmup must be a positive integer"),
        ({"use_cudnn": "yes"}, "use_cudnn must be one of"),
        ({"use_cudnn": 1}, "use_cudnn must be one of"),
    ],
)
def test_time_training_steps_rejects_bad_input(benchmark, kwargs, match):
    arguments = {"layer": "lstm", "batch_size": 2, "length": 3, "units": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        benchmark.time_training_steps(**arguments)


# --- records ------------------------------------------------------------------------------


def _record(benchmark, device="CPU", seconds=0.01, layer="lstm", batch=64, kernel="generic"):
    return benchmark.RecordedStep(
        device, "tensorflow", "2026-01-31", layer, batch, 100, 128, kernel, seconds
    )


def test_records_round_trip(benchmark, tmp_path):
    rows = [_record(benchmark), _record(benchmark, "NVIDIA X", 0.0005, kernel="cudnn")]
    path = benchmark.write_records(tmp_path / "sub" / "timings.csv", rows)
    assert path.read_text().splitlines()[0] == ",".join(benchmark.RECORD_COLUMNS)
    assert benchmark.read_records(path) == rows
    benchmark.write_records(path, [_record(benchmark, batch=1)], append=True)
    assert [r.batch for r in benchmark.read_records(path)] == [64, 64, 1]


def test_missing_or_header_only_file_has_no_records(benchmark, tmp_path):
    assert benchmark.read_records(tmp_path / "absent.csv") == []
    header_only = tmp_path / "empty.csv"
    header_only.write_text(",".join(benchmark.RECORD_COLUMNS) + "\n")
    assert benchmark.read_records(header_only) == []


def test_the_shipped_file_is_valid(benchmark):
    path = benchmark.default_record_path()
    assert path.name == "gpu_benchmark.csv"
    benchmark.read_records(path)  # a missing file gives [], a bad one raises


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a,b\n", "must start with the header"),
        ("{header}\nCPU,tensorflow,2026-01-31,lstm,1,2\n", "line 2: expected 9 values"),
        ("{header}\nCPU,tensorflow,yesterday,lstm,1,2,3,generic,0.1\n", "line 2: date"),
        ("{header}\nCPU,tensorflow,2026-01-31,lstm,0,2,3,generic,0.1\n", "batch must be"),
        ("{header}\nCPU,tensorflow,2026-01-31,lstm,1,2,3,fast,0.1\n", "kernel must be"),
        ("{header}\nCPU,tensorflow,2026-01-31,lstm,1,2,3,generic,-1\n", "seconds_per_step"),
    ],
)
def test_read_records_rejects_bad_files(benchmark, tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_text(text.format(header=",".join(benchmark.RECORD_COLUMNS)))
    with pytest.raises(ValueError, match=match):
        benchmark.read_records(path)


def test_to_record_and_bad_input(benchmark, tmp_path):
    timing = benchmark.StepTiming(
        "gru", 4, 10, 8, 2, (0.2, 0.1, 0.3), "CPU", "tensorflow", "generic"
    )
    record = benchmark.to_record(timing, date="2026-02-01")
    assert (record.layer, record.batch, record.seconds_per_step) == ("gru", 4, 0.2)
    assert len(benchmark.to_record(timing).date) == 10
    with pytest.raises(ValueError, match="date must be an ISO date"):
        benchmark.to_record(timing, date="1 Feb")
    with pytest.raises(ValueError, match="timing must be a StepTiming"):
        benchmark.to_record({"layer": "gru"})
    with pytest.raises(ValueError, match="records must hold RecordedStep rows"):
        benchmark.write_records(tmp_path / "x.csv", [timing])


def test_speedups_pair_matching_rows_only(benchmark):
    rows = [
        _record(benchmark, "CPU", 0.02),
        _record(benchmark, "GPU A", 0.001, kernel="cudnn"),
        _record(benchmark, "GPU A", 0.004, kernel="generic"),
        _record(benchmark, "GPU A", 0.001, batch=1, kernel="cudnn"),  # no CPU row at batch 1
    ]
    pairs = benchmark.speedups(rows)
    assert [round(pair.ratio, 6) for pair in pairs] == [20.0, 5.0]
    assert all(pair.cpu is rows[0] for pair in pairs)
    assert benchmark.speedups([]) == []


def test_loglog_slope(benchmark):
    x = np.array([1.0, 2.0, 4.0, 8.0])
    assert benchmark.loglog_slope(x, 3 * x) == pytest.approx(1.0)
    assert benchmark.loglog_slope(x, 5 + 0 * x) == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="positive"):
        benchmark.loglog_slope([1, 2], [0, 1])
    with pytest.raises(ValueError, match="same length"):
        benchmark.loglog_slope([1, 2], [1, 2, 3])


# --- scripts/gpu_benchmark.py -------------------------------------------------------------


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("gpu_benchmark_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_defaults(script, keras):
    args = script.parse_args([])
    assert args.layers == ["lstm", "gru"] and args.kernels == ["auto", "generic"]
    assert args.output.endswith("book/data/gpu_benchmark.csv") and not args.append


def test_script_parses_options(script, keras):
    args = script.parse_args(
        ["--layers", "gru", "--batches", "1", "8", "--units", "64", "--append", "--output", "t.csv"]
    )
    assert (args.layers, args.batches, args.units, args.append) == (["gru"], [1, 8], [64], True)


@pytest.mark.parametrize(
    "argv", [["--batches", "0"], ["--layers", "transformer"], ["--repeats", "x"], ["--help"]]
)
def test_script_rejects_bad_arguments_and_helps(script, keras, argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        script.parse_args(argv)
    assert exit_info.value.code == (0 if argv == ["--help"] else 2)


def test_script_writes_a_file(script, keras, tmp_path, benchmark):
    output = tmp_path / "rows.csv"
    argv = ["--layers", "gru", "--batches", "2", "--lengths", "3", "--units", "2"]
    argv += ["--features", "2", "--repeats", "1", "--warmup", "1", "--output", str(output)]
    assert script.main(argv) == 0
    rows = benchmark.read_records(output)
    assert len(rows) == 1 and rows[0].kernel == "generic" and rows[0].device == "CPU"
