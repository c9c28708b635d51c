"""Bad input, generated: every public callable of rnn_utils fails loudly and by name.

:data:`VALID` holds, for every public function and class of the package, one call that
works. From it the test derives bad calls, one argument at a time, the others valid: the
wrong type (``None`` where no default is ``None``, a string, an arbitrary object), a
non-finite number or array, an array of strings, an array of the wrong rank, a bool or a
negative number where a count or a seed is expected. Each bad call must raise
``ValueError`` or ``TypeError`` whose message names the argument; anything else (another
exception, or a result) fails. A public callable missing from :data:`VALID` and from
:data:`NOT_PROBED` fails :func:`test_every_public_callable_has_a_case`, so a new function
cannot skip the probe.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

import rnn_utils

RNG = np.random.default_rng(0)


def _floats(*shape: int) -> np.ndarray:
    return RNG.normal(size=shape)


def _weights(features: int = 3, units: int = 4, outputs: int = 2) -> dict:
    from rnn_utils import numpy_training

    return numpy_training.init_weights(features, units, outputs, seed=0)


def _cache():
    from rnn_utils import bptt

    w = _weights()
    return bptt.simple_rnn_forward_with_cache(
        _floats(2, 5, 3), w["kernel"], w["recurrent_kernel"], w["bias"]
    )


def _windows():
    from rnn_utils import forecasting

    return forecasting.forecast_windows(np.arange(40.0), 6, 2)


RECORDED_STEP = dict(
    device="CPU",
    backend="jax",
    date="2026-01-01",
    layer="lstm",
    batch_size=4,
    length=8,
    units=8,
    kernel="generic",
    seconds_per_step=0.01,
)
"""The arguments of one valid :class:`rnn_utils.records.RecordedStep`."""


def _recorded_step(**changes):
    from rnn_utils import records

    return records.RecordedStep(**{**RECORDED_STEP, **changes})


def _sweep_folder(tmp: Path) -> Path:
    (tmp / "seed_sweep.csv").write_text(
        "notebook,backend,seed,passed,failures,seconds,date\n"
        "01_x,tensorflow,0,True,,1,2026-01-01\n"
    )
    (tmp / "seed_sweep_values.csv").write_text(
        "notebook,backend,seed,key,value\n01_x,tensorflow,0,ch01_x,0.5\n"
    )
    return tmp


def _keras():
    import keras

    return keras


def _dense_model():
    keras = _keras()
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.SimpleRNN(2)])
    model.add(keras.layers.Dense(1))
    model.compile(optimizer="sgd", loss="mse")
    return model


def _linear_model():
    keras = _keras()
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])


def _axes():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    return ax


def _step_function(ids, state):
    return np.zeros(5), state


LSTM = {"x_t": _floats(2, 3), "h_prev": np.zeros((2, 4)), "c_prev": np.zeros((2, 4))}

# name -> a function returning the keyword arguments of one valid call
VALID: dict[str, Callable[[], dict]] = {
    # ------------------------------------------------------------------ autodiff
    "autodiff.global_gradient_norm": lambda: dict(
        model=_linear_model(),
        inputs=_floats(4, 3),
        targets=_floats(4, 2),
        loss=_keras().losses.MeanSquaredError(),
    ),
    "autodiff.loss_gradients": lambda: dict(
        loss_fn=lambda w: _keras().ops.sum(w["a"] ** 2), weights={"a": _floats(3)}
    ),
    # ------------------------------------------------------------------ baselines
    "baselines.majority_accuracy": lambda: dict(labels=np.array([0, 1, 1])),
    "baselines.context_oracle_accuracy": lambda: dict(
        inputs=np.array([[0, 1, 2, 1]]), targets=np.array([[1, 2, 1, 0]]), context=1
    ),
    "baselines.best_threshold": lambda: dict(
        values=np.array([0.1, 0.5, 0.9]), labels=np.array([0, 1, 1])
    ),
    # ---------------------------------------------------------------- bayes_filter
    "bayes_filter.check_switching_signal": lambda: dict(
        observations=_floats(2, 6, 1), switch_probability=0.1, noise_std=1.0
    ),
    "bayes_filter.two_state_smoother": lambda: dict(
        observations=_floats(2, 6, 1), switch_probability=0.1, noise_std=1.0
    ),
    "bayes_filter.two_state_posterior": lambda: dict(
        observations=_floats(2, 6, 1), switch_probability=0.1, noise_std=1.0
    ),
    # ---------------------------------------------------------------------- bptt
    "bptt.simple_rnn_forward_with_cache": lambda: dict(
        inputs=_floats(2, 5, 3),
        kernel=_weights()["kernel"],
        recurrent_kernel=_weights()["recurrent_kernel"],
        bias=_weights()["bias"],
    ),
    "bptt.check_backward_arguments": lambda: dict(
        cache=_cache(),
        kernel=_weights()["kernel"],
        recurrent_kernel=_weights()["recurrent_kernel"],
        state_gradients=_floats(2, 5, 4),
    ),
    "bptt.simple_rnn_gradients": lambda: dict(
        cache=_cache(),
        kernel=_weights()["kernel"],
        recurrent_kernel=_weights()["recurrent_kernel"],
        state_gradients=_floats(2, 5, 4),
    ),
    "bptt.simple_rnn_backward": lambda: dict(
        inputs=_floats(2, 5, 3),
        states=np.tanh(_floats(2, 5, 4)),
        initial_state=np.zeros((2, 4)),
        recurrent_kernel=_weights()["recurrent_kernel"],
        state_gradients=_floats(2, 5, 4),
    ),
    "bptt.readout_loss": lambda: dict(
        outputs=_floats(2, 5, 2), targets=_floats(2, 5, 2)
    ),
    "bptt.check_step_weights": lambda: dict(step_weights=np.ones(5), time=5),
    "bptt.check_data": lambda: dict(
        weights=_weights(), inputs=_floats(2, 5, 3), targets=_floats(2, 5, 2)
    ),
    "bptt.predict": lambda: dict(weights=_weights(), inputs=_floats(2, 5, 3)),
    "bptt.loss_value": lambda: dict(
        weights=_weights(), inputs=_floats(2, 5, 3), targets=_floats(2, 5, 2)
    ),
    "bptt.loss_and_gradients": lambda: dict(
        weights=_weights(), inputs=_floats(2, 5, 3), targets=_floats(2, 5, 2)
    ),
    # --------------------------------------------------------------------- cells
    "cells.sigmoid": lambda: dict(z=_floats(3)),
    "cells.check_cell_arguments": lambda: dict(
        cell="lstm",
        inputs=_floats(2, 5, 3),
        kernel=_floats(3, 16),
        recurrent_kernel=_floats(4, 16),
        bias=_floats(16),
    ),
    "cells.parameter_count": lambda: dict(cell="gru", features=3, units=4),
    "cells.check_step_arguments": lambda: dict(
        cell="simple_rnn",
        x_t=_floats(2, 3),
        states={"h_prev": np.zeros((2, 4))},
        weights=(_floats(3, 4), _floats(4, 4), _floats(4)),
    ),
    "cells.simple_rnn_step": lambda: dict(
        x_t=_floats(2, 3),
        h_prev=np.zeros((2, 4)),
        kernel=_floats(3, 4),
        recurrent_kernel=_floats(4, 4),
        bias=_floats(4),
    ),
    "cells.lstm_step": lambda: dict(
        **LSTM, kernel=_floats(3, 16), recurrent_kernel=_floats(4, 16), bias=_floats(16)
    ),
    "cells.gru_step": lambda: dict(
        x_t=_floats(2, 3),
        h_prev=np.zeros((2, 4)),
        kernel=_floats(3, 12),
        recurrent_kernel=_floats(4, 12),
        bias=_floats(2, 12),
    ),
    "cells.simple_rnn_forward": lambda: dict(
        inputs=_floats(2, 5, 3),
        kernel=_floats(3, 4),
        recurrent_kernel=_floats(4, 4),
        bias=_floats(4),
    ),
    "cells.lstm_forward": lambda: dict(
        inputs=_floats(2, 5, 3),
        kernel=_floats(3, 16),
        recurrent_kernel=_floats(4, 16),
        bias=_floats(16),
    ),
    "cells.gru_forward": lambda: dict(
        inputs=_floats(2, 5, 3),
        kernel=_floats(3, 12),
        recurrent_kernel=_floats(4, 12),
        bias=_floats(2, 12),
    ),
    # ------------------------------------------------------------------ clipping
    "clipping.check_clipping": lambda: dict(gradient=_floats(4), threshold=1.0),
    "clipping.check_global_clipping": lambda: dict(
        gradients=[_floats(4), _floats(2, 2)], threshold=1.0
    ),
    "clipping.cosine": lambda: dict(a=_floats(4), b=_floats(4)),
    "clipping.clip_by_norm": lambda: dict(gradient=_floats(4), threshold=1.0),
    "clipping.clip_by_value": lambda: dict(gradient=_floats(4), threshold=1.0),
    "clipping.clip_by_global_norm": lambda: dict(
        gradients=[_floats(4), _floats(2, 2)], threshold=1.0
    ),
    # --------------------------------------------------------------------- cudnn
    "cudnn.cudnn_eligible": lambda: dict(layer=_keras().layers.LSTM(4)),
    "cudnn.strict_flag_runs": lambda: dict(device=_device(), backend="jax"),
    # --------------------------------------------------------------- environment
    "environment.setup": lambda: dict(seed=0, verbose=False),
    # --------------------------------------------------------------- forecasting
    "forecasting.forecast_windows": lambda: dict(
        series=np.arange(40.0), window=6, horizon=2
    ),
    "forecasting.chronological_split": lambda: dict(
        windows=_windows(), boundaries=(20, 26)
    ),
    "forecasting.seasonal_naive": lambda: dict(
        series=np.arange(40.0), target_index=np.array([30, 31]), season=12
    ),
    "forecasting.levels_from_changes": lambda: dict(
        series=np.arange(40.0), target_index=np.array([30, 31]), changes=np.ones(2)
    ),
    "forecasting.forecast_errors": lambda: dict(truth=_floats(5), forecast=_floats(5)),
    "forecasting.ForecastWindows.subset": lambda: dict(
        self=_windows(), rows=np.array([0, 1])
    ),
    # ------------------------------------------------------------ gradient_checks
    "gradient_checks.finite_difference_gradients": lambda: dict(
        loss_fn=lambda w: float(np.sum(w["a"] ** 2)), weights={"a": _floats(3)}
    ),
    "gradient_checks.relative_error": lambda: dict(
        a={"w": _floats(3)}, b={"w": _floats(3)}
    ),
    # ---------------------------------------------------------------- gradients
    "gradients.spectral_radius": lambda: dict(matrix=_floats(3, 3)),
    "gradients.largest_singular_value": lambda: dict(matrix=_floats(3, 3)),
    "gradients.scale_to_spectral_radius": lambda: dict(
        matrix=_floats(3, 3), radius=0.9
    ),
    "gradients.state_jacobian_norms": lambda: dict(
        states=np.tanh(_floats(2, 5, 3)), recurrent_kernel=_floats(3, 3)
    ),
    "gradients.input_gradient_norms": lambda: dict(
        layer=_keras().layers.SimpleRNN(3), inputs=_floats(2, 5, 2).astype("float32")
    ),
    "gradients.log_rate": lambda: dict(norms=np.array([1.0, 0.5, 0.25, 0.125])),
    # -------------------------------------------------------------------- layers
    "layers.irnn_layer": lambda: dict(units=4),
    "layers.lstm_forget_bias": lambda: dict(value=3.0),
    "layers.truncated_model": lambda: dict(
        layer=_keras().layers.SimpleRNN(2), length=6, window=2
    ),
    # ---------------------------------------------------------------- linear_rnn
    "linear_rnn.check_recurrence_arguments": lambda: dict(
        a=np.full((2, 5, 3), 0.5), b=_floats(2, 5, 3)
    ),
    "linear_rnn.combine": lambda: dict(
        earlier=(np.full((2, 3), 0.5), _floats(2, 3)),
        later=(np.full((2, 3), 0.5), _floats(2, 3)),
    ),
    "linear_rnn.linear_recurrence_loop": lambda: dict(
        a=np.full((2, 5, 3), 0.5), b=_floats(2, 5, 3)
    ),
    "linear_rnn.linear_recurrence_scan": lambda: dict(
        a=np.full((2, 5, 3), 0.5), b=_floats(2, 5, 3)
    ),
    "linear_rnn.MinGRU": lambda: dict(units=4, gate_bias=-3.0),
    # -------------------------------------------------------------- memory_tasks
    "memory_tasks.adding_problem": lambda: dict(num_sequences=4, length=6, seed=0),
    "memory_tasks.multiplication_problem": lambda: dict(
        num_sequences=4, length=6, seed=0
    ),
    "memory_tasks.temporal_order": lambda: dict(num_sequences=4, length=20, seed=0),
    "memory_tasks.delayed_echo": lambda: dict(batch=2, time=8, lag=2, seed=0),
    "memory_tasks.copy_problem": lambda: dict(num_sequences=2, lag=5, seed=0),
    "memory_tasks.copy_baseline_cross_entropy": lambda: dict(lag=5),
    "memory_tasks.copy_input_only_cross_entropy": lambda: dict(lag=5),
    "memory_tasks.echo_pairs": lambda: dict(num_sequences=2, length=3, seed=0),
    # ------------------------------------------------------------------ streams
    "streams.held_value_stream": lambda: dict(length=20, mean_segment=4.0, seed=0),
    "streams.window_reset_mse": lambda: dict(stream=_held_value_stream(), window=5),
    "streams.stateful_batches": lambda: dict(
        stream=_floats(24, 2), batch_size=2, window=3
    ),
    "streams.consecutive_windows": lambda: dict(stream=_floats(24, 2), window=3),
    # ---------------------------------------------------------------- native_logs
    "native_logs.is_known_noise": lambda: dict(line="I0000 00:00 cuda.cc:1] x"),
    # --------------------------------------------------------------------- ngrams
    "ngrams.ngram_bits_per_char": lambda: dict(
        train_ids=np.array([0, 1, 2, 1, 0, 1]),
        inputs=np.array([[0, 1, 2]]),
        targets=np.array([[1, 2, 1]]),
        vocabulary_size=3,
        order=2,
    ),
    "ngrams.KneserNeyModel": lambda: dict(
        train_ids=np.array([0, 1, 2, 1, 0, 1]), vocabulary_size=3, order=2
    ),
    "ngrams.kneser_ney_bits_per_char": lambda: dict(
        train_ids=np.array([0, 1, 2, 1, 0, 1]),
        inputs=np.array([[0, 1, 2]]),
        targets=np.array([[1, 2, 1]]),
        vocabulary_size=3,
        order=2,
    ),
    # ------------------------------------------------------------- numpy_training
    "numpy_training.Adam": lambda: dict(learning_rate=1e-3),
    "numpy_training.init_weights": lambda: dict(features=3, units=4, outputs=2, seed=0),
    "numpy_training.time_chunks": lambda: dict(time=10, window=3),
    "numpy_training.truncated_loss_and_gradients": lambda: dict(
        weights=_weights(), inputs=_floats(2, 6, 3), targets=_floats(2, 6, 2), window=3
    ),
    "numpy_training.train_on_sequences": lambda: dict(
        weights=_weights(),
        optimizer=_adam(),
        inputs=_floats(2, 6, 3),
        targets=_floats(2, 6, 2),
        window=3,
    ),
    "numpy_training.echo_accuracy": lambda: dict(
        weights=_weights(features=1, outputs=1),
        inputs=np.ones((2, 6, 1)),
        targets=np.ones((2, 6, 1)),
        step_weights=np.ones(6),
    ),
    # ------------------------------------------------------------------- patients
    "patients.patient_records": lambda: dict(num_patients=5, seed=0),
    "patients.event_timelines": lambda: dict(num_patients=5, length=10, seed=0),
    # ---------------------------------------------------------------------- plots
    "plots.plot_training_curves": lambda: dict(
        histories={"a": {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]}}, ax=_axes()
    ),
    "plots.plot_hidden_states": lambda: dict(states=_floats(4, 3), ax=_axes()),
    "plots.draw_sequence_shape": lambda: dict(ax=_axes(), name="many-to-one"),
    "plots.plot_sequence_shapes": lambda: dict(figsize=(5.8, 7.6)),
    "plots.smallest_text_size": lambda: dict(fig=_axes().figure),
    # -------------------------------------------------------------- preprocessing
    "preprocessing.encode_characters": lambda: dict(text="abca"),
    "preprocessing.next_step_windows": lambda: dict(ids=np.arange(10), window=3),
    "preprocessing.one_hot": lambda: dict(ids=np.array([0, 2]), depth=3),
    "preprocessing.CharacterCodes.decode": lambda: dict(
        self=_codes(), ids=np.array([0, 1])
    ),
    # -------------------------------------------------------------------- publish
    "publish.glue": lambda: dict(key="probe_value", value=0.5, digits=2),
    # -------------------------------------------------------------------- records
    "records.RecordedStep": lambda: dict(RECORDED_STEP),
    "records.Speedup": lambda: dict(
        gpu=_recorded_step(device="GPU", kernel="cudnn"), cpu=_recorded_step()
    ),
    "records.check_date": lambda: dict(date="2026-01-01"),
    "records.read_records": lambda: dict(path=None),
    "records.speedups": lambda: dict(
        records=[_recorded_step(device="GPU", kernel="cudnn"), _recorded_step()]
    ),
    # ---------------------------------------------------------------- shape_tasks
    "shape_tasks.damped_waves": lambda: dict(num_waves=3, length=10, seed=0),
    "shape_tasks.decode_words": lambda: dict(codes=[5, 6, 2]),
    "shape_tasks.number_translation": lambda: dict(numbers=[3, 45, 999]),
    "shape_tasks.number_words": lambda: dict(number=42),
    "shape_tasks.switching_signal": lambda: dict(
        num_sequences=2, length=10, switch_probability=0.1, noise_std=1.0, seed=0
    ),
    # --------------------------------------------------------------------- sweeps
    "sweeps.summary": lambda: dict(notebook="01_x", folder=_sweep_folder(_tmp())),
    "sweeps.record": lambda: dict(notebook="01_x", folder=_sweep_folder(_tmp())),
    "sweeps.recorded_values": lambda: dict(
        notebook="01_x", key="ch01_x", folder=_sweep_folder(_tmp())
    ),
    "sweeps.recorded_ranges": lambda: dict(
        notebook="01_x", key="ch01_x", folder=_sweep_folder(_tmp())
    ),
    "sweeps.paired_runs": lambda: dict(
        notebook="01_x", keys=["ch01_x"], folder=_sweep_folder(_tmp())
    ),
    "sweeps.describe_ranges": lambda: dict(
        notebook="01_x", key="ch01_x", folder=_sweep_folder(_tmp())
    ),
    # ----------------------------------------------------------------------- text
    "text.character_corpus": lambda: dict(words=["ab", "cd"], num_words=5, seed=0),
    "text.string_mask": lambda: dict(source="x = 'a'\n"),
    "text.line_position": lambda: dict(text="ab\ncd"),
    "text.stdlib_corpus": lambda: dict(num_chars=200, modules=("textwrap",)),
    "text.softmax_with_temperature": lambda: dict(
        logits=_floats(2, 5), temperature=0.5
    ),
    "text.entropy_bits": lambda: dict(probabilities=np.array([0.5, 0.25, 0.25])),
    "text.sample_with_temperature": lambda: dict(
        logits=_floats(2, 5), temperature=0.5, rng=np.random.default_rng(0)
    ),
    "text.generate": lambda: dict(
        step=_step_function, prompt=np.array([1, 2]), length=3, temperature=1.0, seed=0
    ),
    "text.best_correlated_unit": lambda: dict(
        activations=_floats(20, 3), feature=_floats(20)
    ),
    # --------------------------------------------------------------------- timing
    "timing.Setting": lambda: dict(layer="gru", batch_size=2, length=4, units=3),
    "timing.loglog_slope": lambda: dict(x=[1.0, 2.0, 4.0], y=[1.0, 2.1, 3.9]),
    "timing.median_seconds": lambda: dict(functions={"a": lambda: None}, repeats=2),
    "timing.time_settings": lambda: dict(settings=[_setting()], repeats=1, warmup=1),
    "timing.time_training_steps": lambda: dict(
        layer="gru", batch_size=2, length=3, units=2, features=2, repeats=1, warmup=1
    ),
    # ------------------------------------------------------------------- training
    "training.epochs_to_threshold": lambda: dict(values=[0.2, 0.01], threshold=0.05),
    "training.per_step_losses": lambda: dict(
        model=_dense_model(),
        inputs=_floats(4, 5, 2),
        targets=_floats(4, 1),
        steps=1,
        batch_size=2,
    ),
    # ------------------------------------------------------------------- unrolled
    "unrolled.dense_stack_gradient_norms": lambda: dict(
        kernels=[_floats(3, 3)] * 2, inputs=_floats(2, 3), direction=_floats(3)
    ),
    "unrolled.random_kernels": lambda: dict(units=3, depth=2, radius=0.9, seed=0),
}


def _device():
    from rnn_utils import backend

    return backend.DeviceInfo(kind="CPU", name="CPU", cudnn_rnn=False)


def _adam():
    from rnn_utils import numpy_training

    return numpy_training.Adam(1e-3)


def _codes():
    from rnn_utils import preprocessing

    return preprocessing.encode_characters("abc")


_TEMPORARY = tempfile.TemporaryDirectory(prefix="bad_input_")  # removed at exit


def _tmp() -> Path:
    return Path(tempfile.mkdtemp(dir=_TEMPORARY.name))


def _setting():
    from rnn_utils import timing

    return timing.Setting(layer="gru", batch_size=2, length=3, units=2, features=2)


def _kneser_ney():
    from rnn_utils import ngrams

    return ngrams.KneserNeyModel(np.array([0, 1, 2, 1, 0, 1]), 3, order=2)


VALID.update(
    {
        "baselines.ThresholdRule.predict": lambda: dict(
            self=_threshold_rule(), values=np.array([0.2, 0.8])
        ),
        "ngrams.KneserNeyModel.probabilities": lambda: dict(
            self=_kneser_ney(), contexts=np.array([[0], [1]]), targets=np.array([1, 2])
        ),
        "ngrams.KneserNeyModel.distribution": lambda: dict(
            self=_kneser_ney(), context=[0]
        ),
        "numpy_training.Adam.apply": lambda: dict(
            self=_adam(), weights={"w": np.zeros(3)}, gradients={"w": _floats(3)}
        ),
        "forecasting.sarima_one_step": lambda: dict(
            series=np.sin(np.arange(60) / 2.0),
            train_end=48,
            target_index=np.array([50, 51]),
            order=(1, 0, 0),
            seasonal_order=(0, 0, 0, 12),
        ),
    }
)


def _held_value_stream():
    from rnn_utils import streams

    return streams.held_value_stream(20, mean_segment=4.0, seed=0)


def _threshold_rule():
    from rnn_utils import baselines

    return baselines.best_threshold(np.array([0.1, 0.5, 0.9]), np.array([0, 1, 1]))


NOT_PROBED = {
    # no arguments: nothing a caller can get wrong
    **dict.fromkeys(
        [
            "autodiff.float64_exact",
            "autodiff.precise_dtype",
            "backend.name",
            "backend.version",
            "backend.device",
            "backend.quiet_python_logging",
            "backend.enable_determinism",
            "environment.book_seed",
            "forecasting.monthly_co2",
            "native_logs.NativeLineFilter",
            "native_logs.filter_for_the_session",
            "plots.apply_book_style",
            "records.default_record_path",
            "records.record_folder",
        ],
        "takes no arguments",
    ),
    # records that the package's functions return; a reader reads them, not builds them
    **dict.fromkeys(
        [
            "backend.DeviceInfo",
            "baselines.ThresholdRule",
            "bptt.BPTTResult",
            "bptt.CheckedData",
            "bptt.SimpleRNNCache",
            "bptt.SimpleRNNGradients",
            "cudnn.CudnnVerdict",
            "environment.BookEnvironment",
            "forecasting.ForecastWindows",
            "forecasting.MonthlySeries",
            "forecasting.SarimaForecast",
            "memory_tasks.CopyProblem",
            "memory_tasks.EchoPairs",
            "memory_tasks.MarkedPairProblem",
            "memory_tasks.TemporalOrder",
            "streams.Stream",
            "numpy_training.TrainingStep",
            "numpy_training.TruncatedResult",
            "patients.PatientRecords",
            "patients.Timelines",
            "preprocessing.CharacterCodes",
            "shape_tasks.NumberTranslation",
            "shape_tasks.SwitchingSignal",
            "shape_tasks.Waveforms",
            "sweeps.SweepRecord",
            "sweeps.SweepSummary",
            "text.SourceCorpus",
            "timing.StepTiming",
        ],
        "a record the package returns",
    ),
    "preprocessing.split": "takes *arrays: tests/test_patients_and_preprocessing.py",
}


@pytest.fixture(autouse=True)
def _close_figures():
    """The plotting cases open figures; close them after each call."""
    yield
    plt.close("all")


# ------------------------------------------------------------------ the public callables


def _public_callables() -> list[str]:
    names = []
    for info in pkgutil.iter_modules(rnn_utils.__path__):
        if info.name.startswith("_") or info.name == "taught":
            continue
        module = importlib.import_module(f"rnn_utils.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or not callable(value):
                continue
            home = getattr(value, "__module__", "") or ""
            if not home.startswith("rnn_utils") or inspect.ismodule(value):
                continue
            served = home.startswith(("rnn_utils.taught", "rnn_utils._"))
            if served or home == module.__name__:
                names.append(f"{info.name}.{name}")
    return sorted(set(names))


def _public_methods() -> list[str]:
    """``module.Class.method`` for the public methods, with arguments, of public classes."""
    names = []
    for name in _public_callables():
        value = _resolve(name)
        if not inspect.isclass(value):
            continue
        for attribute, member in vars(value).items():
            if attribute.startswith("_") or not inspect.isfunction(member):
                continue
            if len(inspect.signature(member).parameters) > 1:  # more than self
                names.append(f"{name}.{attribute}")
    return names


def _resolve(name: str) -> Callable:
    module, *path = name.split(".")
    value = importlib.import_module(f"rnn_utils.{module}")
    for part in path:
        value = getattr(value, part)
    return value


def test_every_public_method_has_a_case():
    missing = [n for n in _public_methods() if n not in VALID and n not in NOT_PROBED]
    assert not missing, f"public methods without a bad-input case: {missing}"


def test_what_takes_no_arguments_takes_none():
    for name, reason in NOT_PROBED.items():
        if reason == "takes no arguments":
            assert not inspect.signature(_resolve(name)).parameters, name


def test_every_public_callable_has_a_case():
    missing = [n for n in _public_callables() if n not in VALID and n not in NOT_PROBED]
    assert not missing, f"public callables without a bad-input case: {missing}"
    stale = [n for n in [*VALID, *NOT_PROBED] if n.count(".") == 1]
    stale = [n for n in stale if n not in _public_callables()]
    assert not stale, f"cases for callables that no longer exist: {stale}"


# --------------------------------------------------------------------- the bad values


class _Opaque:
    """An argument of no meaningful type."""

    def __repr__(self) -> str:
        return "<opaque>"


SIGNED_OR_FREE = {"bias", "gate_bias", "value", "digits"}
"""Arguments for which a negative number is a legitimate value."""

ANY_SHAPE = {
    ("cells.sigmoid", "z"),
    ("baselines.ThresholdRule.predict", "values"),
    ("preprocessing.one_hot", "ids"),
    ("preprocessing.CharacterCodes.decode", "ids"),
    ("text.entropy_bits", "probabilities"),
    ("forecasting.levels_from_changes", "changes"),
    ("forecasting.forecast_errors", "truth"),
    ("forecasting.forecast_errors", "forecast"),
}
"""Arguments documented to take an array of any shape: an extra axis is legitimate."""


NAN_PROPAGATES = {("cells.sigmoid", "z")}
"""Elementwise mathematics, where NaN in gives NaN out as IEEE 754 prescribes."""


def _bad_values(
    name: str,
    valid: object,
    optional: bool,
    any_shape: bool = False,
    nan_ok: bool = False,
) -> list[tuple[str, object]]:
    """``(label, value)`` pairs that no function should accept for an argument.

    ``optional``: ``None`` is a documented value (a default, or ``| None`` in the hints).
    """
    bad: list[tuple[str, object]] = [("opaque", _Opaque())]
    if not optional:
        bad.append(("None", None))
    if isinstance(valid, bool):
        bad.append(("string", "yes"))
    elif isinstance(valid, (int, np.integer)):
        bad += [("string", "3"), ("bool", True), ("float", 2.5)]
        if name not in SIGNED_OR_FREE:
            bad.append(("negative", -1))
    elif isinstance(valid, (float, np.floating)):
        bad += [("string", "0.5"), ("nan", float("nan")), ("inf", float("inf"))]
    elif isinstance(valid, np.ndarray):
        bad.append(("strings", np.full(valid.shape, "a")))
        if not any_shape:
            bad.append(("extra axis", valid[None]))
        if valid.dtype.kind == "f" and valid.size and not nan_ok:
            spoiled = valid.copy()
            spoiled.flat[0] = np.nan
            bad.append(("nan entry", spoiled))
    elif isinstance(valid, str):
        bad += [("number", 3)]
    elif isinstance(valid, Mapping):
        bad += [("list", [1, 2])]
    elif isinstance(valid, (list, tuple)):
        bad += [("string", "abc")]
    return bad


def _optional(target: Callable, argument: str) -> bool:
    """Whether ``None`` is a documented value of ``argument``: its default or type hint."""
    try:
        parameter = inspect.signature(target).parameters[argument]
    except (TypeError, ValueError, KeyError):
        return False
    hint = parameter.annotation
    hint = hint if isinstance(hint, str) else getattr(hint, "__name__", str(hint))
    return parameter.default is None or "None" in hint


def _arguments(name: str) -> dict:
    """The valid call's arguments, with every defaulted parameter it leaves out at its default,
    so that those are probed too."""
    arguments = VALID[name]()
    target = _resolve(name)
    if "self" in arguments:
        target = getattr(type(arguments["self"]), name.rsplit(".", 1)[1])
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return arguments
    for parameter in parameters:
        if (
            parameter.name not in arguments
            and parameter.name != "self"
            and parameter.default is not inspect.Parameter.empty
            and parameter.kind is not inspect.Parameter.VAR_KEYWORD
        ):
            arguments[parameter.name] = parameter.default
    return arguments


def _bad_calls() -> list[tuple[str, str, str]]:
    rnn_utils.setup(
        verbose=False
    )  # the factories build Keras layers: Keras after setup
    calls = []
    for name in VALID:
        target = _resolve(name)
        for argument, valid in _arguments(name).items():
            if argument == "self":
                continue
            bad = _bad_values(
                argument,
                valid,
                _optional(target, argument),
                (name, argument) in ANY_SHAPE,
                (name, argument) in NAN_PROPAGATES,
            )
            calls.extend((name, argument, label) for label, _ in bad)
    return calls


BAD_CALLS = _bad_calls()
plt.close("all")  # the figures the factories opened


def _call(name: str, arguments: dict) -> object:
    target = _resolve(name)
    if "self" in arguments:
        instance = arguments.pop("self")
        target = getattr(instance, name.rsplit(".", 1)[1])
    return target(**arguments)


VALID_CALL_NOT_RUN = {"environment.setup": "it would re-seed the whole test session"}


@pytest.mark.parametrize("name", sorted(set(VALID) - set(VALID_CALL_NOT_RUN)))
def test_the_valid_call_works(name, keras):
    _call(name, _arguments(name))


@pytest.mark.parametrize(
    ("name", "argument", "label"), BAD_CALLS, ids=["-".join(c) for c in BAD_CALLS]
)
def test_bad_argument_is_refused_by_name(name, argument, label, keras):
    arguments = _arguments(name)
    target = _resolve(name)
    bad = _bad_values(
        argument,
        arguments[argument],
        _optional(target, argument),
        (name, argument) in ANY_SHAPE,
        (name, argument) in NAN_PROPAGATES,
    )
    arguments[argument] = dict(bad)[label]
    with pytest.raises((ValueError, TypeError)) as raised:
        _call(name, arguments)
    named = re.search(rf"(?<![\w.]){re.escape(argument)}(?![\w(])", str(raised.value))
    assert named, (
        f"{name}({argument}={label}) raised {type(raised.value).__name__} "
        f"without naming {argument!r}: {raised.value}"
    )


# ------------------------------------------------- extreme but valid input: the right answer


def test_clipping_huge_and_tiny_gradients_keeps_their_direction():
    from rnn_utils import clipping

    for size, threshold in ((1e200, 1.0), (1e-200, 1e-250), (1e300, 1e-5)):
        gradient = np.array([3.0, -4.0]) * size
        clipped = clipping.clip_by_norm(gradient, threshold)
        assert np.all(np.isfinite(clipped))
        np.testing.assert_allclose(np.linalg.norm(clipped / threshold), 1.0, rtol=1e-12)
        assert clipping.cosine(gradient, clipped) == pytest.approx(1.0, abs=1e-12)
        joint = clipping.clip_by_global_norm([gradient, gradient[:1]], threshold)
        total = np.sqrt(sum(np.sum((g / threshold) ** 2) for g in joint))
        assert total == pytest.approx(1.0, rel=1e-12)
    assert clipping.cosine(np.array([1e200, 0.0]), np.array([0.0, 1e-200])) == 0.0


def test_bayes_filter_and_smoother_at_extreme_observations_and_noise():
    from rnn_utils import bayes_filter

    observations = np.array([[[1e200], [-1e200], [1e12], [0.5]]])
    for noise_std in (*bayes_filter.NOISE_RANGE, 1.0):
        for function in (
            bayes_filter.two_state_posterior,
            bayes_filter.two_state_smoother,
        ):
            on = function(observations, switch_probability=0.1, noise_std=noise_std)
            assert np.all(np.isfinite(on)) and np.all((on >= 0) & (on <= 1))
            assert on[0, 0] == 1.0 and on[0, 1] == 0.0 and on[0, 2] == 1.0
    with pytest.raises(ValueError, match="noise_std"):
        bayes_filter.two_state_posterior(
            observations, switch_probability=0.1, noise_std=1e-9
        )
    # p = 0 and p = 1 fix every state by the first: overwhelming evidence either way is
    # summed, not normalised step by step into 0/0.
    levels = np.array([[[1.0], [-1.0]]])
    for noise_std in (0.05, 1.0):
        kept = bayes_filter.two_state_posterior(
            levels, switch_probability=0.0, noise_std=noise_std
        )
        np.testing.assert_allclose(kept[0, 1], 0.5)  # +1 then -1: no evidence left
    flips = bayes_filter.two_state_smoother(
        observations, switch_probability=1.0, noise_std=1.0
    )
    np.testing.assert_array_equal(flips[0], [1.0, 0.0, 1.0, 0.0])


def test_softmax_at_extreme_logits_and_temperatures():
    from rnn_utils import text

    logits = np.array([[1e300, -1e300, 0.0], [1.0, 2.0, 3.0]])
    for temperature in (1e-300, 1e-10, 1.0, 1e300):
        probabilities = text.softmax_with_temperature(logits, temperature)
        assert np.all(np.isfinite(probabilities))
        np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0)
    assert text.softmax_with_temperature(logits, 1e-10)[0, 0] == 1.0


def test_values_that_used_to_pass_silently(keras, tmp_path):
    from rnn_utils import (
        autodiff,
        linear_rnn,
        numpy_training,
        records,
        sweeps,
        training,
    )

    with pytest.raises(ValueError, match="gate_bias"):
        linear_rnn.MinGRU(4, gate_bias=float("nan"))
    with pytest.raises(ValueError, match="dtype"):
        numpy_training.init_weights(2, 3, 1, seed=0, dtype=np.int64)
    with pytest.raises(ValueError, match="loss_fn"):
        autodiff.loss_gradients(lambda w: 1.0, {"a": np.ones(2)})
    with pytest.raises(ValueError, match="targets must match the model's output"):
        training.per_step_losses(
            _dense_model(), _floats(4, 5, 2), _floats(4, 3), steps=1
        )
    with pytest.raises(ValueError, match="seconds_per_step"):
        _recorded_step(seconds_per_step=0.0)
    (tmp_path / sweeps.RUNS_FILE).write_text(
        "notebook,backend,seed\n01_x,tensorflow,0\n"
    )
    with pytest.raises(ValueError, match="passed"):
        sweeps.summary("01_x", folder=tmp_path)
    assert records.RecordedStep  # the record's checks run on construction
