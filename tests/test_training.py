"""Tests of the quiet fit / evaluate / predict wrappers in :mod:`rnn_utils.training`."""

import re

import numpy as np
import pytest

from rnn_utils import memory_tasks, training

# A backend's native log lines (absl format, e.g. "I0000 00:00:... cuda_dnn.cc:...]") can
# reach file descriptor 2 on a GPU machine; they are not output of the wrappers.
NATIVE_LOG_LINE = re.compile(r"^([IWEF]\d{4} |WARNING: All log messages before absl)")


def _python_output(text):
    return "".join(
        line
        for line in text.splitlines(keepends=True)
        if not NATIVE_LOG_LINE.match(line)
    )


@pytest.fixture(scope="module")
def regression():
    """A noiseless linear problem: 64 training rows and 16 validation rows, 3 features."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]]) + 0.3).astype(np.float32)
    return x[:64], y[:64], x[64:], y[64:]


def _model(keras, seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    return model


@pytest.fixture
def model(keras):
    return _model(keras)


def test_fit_quietly_returns_one_value_per_epoch_and_prints_nothing(
    capfd, model, regression
):
    x, y, x_val, y_val = regression
    capfd.readouterr()
    history = training.fit_quietly(
        model, x, y, epochs=3, batch_size=16, validation_data=(x_val, y_val)
    )
    captured = capfd.readouterr()
    assert captured.out == ""
    assert _python_output(captured.err) == ""
    assert isinstance(history, dict)
    assert set(history) == {"loss", "mae", "val_loss", "val_mae"}
    for values in history.values():
        assert len(values) == 3
        assert all(type(v) is float and np.isfinite(v) for v in values)
    assert history["loss"][-1] < history["loss"][0]


def test_fit_quietly_without_validation_has_no_val_metrics(model, regression):
    x, y, _, _ = regression
    history = training.fit_quietly(model, x, y, epochs=2)
    assert set(history) == {"loss", "mae"}
    assert len(history["loss"]) == 2


def test_fit_quietly_is_reproducible(keras, regression):
    x, y, _, _ = regression
    first = training.fit_quietly(_model(keras, seed=5), x, y, epochs=2, batch_size=8)
    second = training.fit_quietly(_model(keras, seed=5), x, y, epochs=2, batch_size=8)
    assert first == second


def test_fit_quietly_passes_callbacks(keras, model, regression):
    x, y, _, _ = regression
    seen = []

    class Recorder(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    training.fit_quietly(model, x, y, epochs=3, callbacks=[Recorder()])
    assert seen == [0, 1, 2]


def test_evaluate_quietly_matches_predictions(capfd, model, regression):
    x, y, x_val, y_val = regression
    training.fit_quietly(model, x, y, epochs=2)
    capfd.readouterr()
    result = training.evaluate_quietly(model, x_val, y_val, batch_size=4)
    predictions = training.predict_quietly(model, x_val, batch_size=4)
    captured = capfd.readouterr()
    assert captured.out == ""
    assert _python_output(captured.err) == ""
    assert set(result) == {"loss", "mae"}
    assert all(type(v) is float for v in result.values())
    assert result["loss"] == pytest.approx(
        np.mean((predictions - y_val) ** 2), rel=1e-5
    )
    assert result["mae"] == pytest.approx(
        np.mean(np.abs(predictions - y_val)), rel=1e-5
    )


def test_predict_quietly_returns_the_model_output_as_numpy(model, regression):
    x, _, _, _ = regression
    predictions = training.predict_quietly(model, x)
    assert isinstance(predictions, np.ndarray)
    assert predictions.shape == (64, 1)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(predictions, x @ kernel + bias, rtol=1e-5, atol=1e-5)


def test_fit_quietly_rejects_mismatched_x_and_y(model, regression):
    x, y, _, _ = regression
    with pytest.raises(
        ValueError, match=r"x and y must have the same batch size, got 64 and 63"
    ):
        training.fit_quietly(model, x, y[:-1], epochs=1)


def test_fit_quietly_rejects_mismatched_validation_data(model, regression):
    x, y, x_val, y_val = regression
    with pytest.raises(ValueError, match="validation_data"):
        training.fit_quietly(model, x, y, epochs=1, validation_data=(x_val, y_val[:-2]))


@pytest.mark.parametrize("epochs", [0, -1, 1.5, None])
def test_fit_quietly_rejects_bad_epochs(model, regression, epochs):
    x, y, _, _ = regression
    with pytest.raises(ValueError, match="epochs"):
        training.fit_quietly(model, x, y, epochs=epochs)


@pytest.mark.parametrize("batch_size", [0, -8, 2.0])
def test_wrappers_reject_bad_batch_size(model, regression, batch_size):
    x, y, _, _ = regression
    with pytest.raises(ValueError, match="batch_size"):
        training.fit_quietly(model, x, y, epochs=1, batch_size=batch_size)
    with pytest.raises(ValueError, match="batch_size"):
        training.evaluate_quietly(model, x, y, batch_size=batch_size)
    with pytest.raises(ValueError, match="batch_size"):
        training.predict_quietly(model, x, batch_size=batch_size)


def test_evaluate_quietly_rejects_mismatched_x_and_y(model, regression):
    x, y, _, _ = regression
    with pytest.raises(ValueError, match="x and y must have the same batch size"):
        training.evaluate_quietly(model, x[:10], y)


def _two_input_model(keras):
    keras.utils.set_random_seed(0)
    left, right = keras.Input(shape=(3,)), keras.Input(shape=(2,))
    joined = keras.layers.Concatenate()([left, right])
    model = keras.Model([left, right], keras.layers.Dense(1)(joined))
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    return model


def test_wrappers_accept_models_with_several_inputs(keras, regression):
    x, y, x_val, y_val = regression
    extra, extra_val = (
        np.zeros((len(x), 2), "float32"),
        np.zeros((len(x_val), 2), "float32"),
    )
    model = _two_input_model(keras)
    history = training.fit_quietly(
        model, [x, extra], y, epochs=2, validation_data=([x_val, extra_val], y_val)
    )
    assert len(history["val_loss"]) == 2
    assert set(training.evaluate_quietly(model, [x_val, extra_val], y_val)) == {"loss"}


def test_fit_quietly_rejects_inputs_of_different_batch_sizes(keras, regression):
    x, y, _, _ = regression
    with pytest.raises(ValueError, match="every array in x"):
        training.fit_quietly(
            _two_input_model(keras), [x, np.zeros((3, 2))], y, epochs=1
        )
    with pytest.raises(ValueError, match="at least one array"):
        training.fit_quietly(_two_input_model(keras), [], y, epochs=1)
    with pytest.raises(ValueError, match="validation_data"):
        training.fit_quietly(
            _two_input_model(keras),
            [x, np.zeros((len(x), 2))],
            y,
            epochs=1,
            validation_data=([x[:4], np.zeros((4, 2))], y[:5]),
        )


def test_recurrent_model_builds_one_layer_or_a_stack(keras):
    one = training.recurrent_model(
        keras.layers.SimpleRNN(3),
        features=2,
        optimizer=keras.optimizers.Adam(),
        length=5,
    )
    assert one.input_shape == (None, 5, 2) and one.output_shape == (None, 1)
    stack = training.recurrent_model(
        [
            keras.layers.GRU(3, return_sequences=True),
            keras.layers.GRU(2, return_sequences=True),
        ],
        features=1,
        head=keras.layers.Dense(1, activation="sigmoid"),
        optimizer=keras.optimizers.Adam(),
        loss="binary_crossentropy",
        metrics=("accuracy",),
    )
    assert stack.output_shape == (None, None, 1) and len(stack.layers) == 3
    with pytest.raises(ValueError, match=r"^optimizer must be a Keras optimizer"):
        training.recurrent_model(
            keras.layers.SimpleRNN(2), features=1, optimizer="adam"
        )
    with pytest.raises(ValueError, match=r"^recurrent must be a Keras layer"):
        training.recurrent_model([], features=1, optimizer=keras.optimizers.Adam())


def test_train_reports_history_test_scores_and_time(keras):

    train_set, test_set = (
        memory_tasks.adding_problem(64, 5, seed=0),
        memory_tasks.adding_problem(16, 5, seed=1),
    )
    x_train, y_train, x_test, y_test = (
        train_set.inputs,
        train_set.targets,
        test_set.inputs,
        test_set.targets,
    )
    keras.utils.set_random_seed(0)
    model = training.recurrent_model(
        keras.layers.SimpleRNN(4),
        features=x_train.shape[-1],
        optimizer=keras.optimizers.Adam(),
    )
    run = training.train(
        model,
        (x_train, y_train),
        (x_test, y_test),
        epochs=2,
        batch_size=16,
        validation_data=(x_test, y_test),
    )
    assert len(run.history["loss"]) == len(run.history["val_loss"]) == 2
    assert np.isclose(run.test["loss"], run.history["val_loss"][-1], rtol=1e-5)
    assert run.seconds_per_epoch > 0
    with pytest.raises(ValueError, match=r"^train_data must be a tuple"):
        training.train(
            model, [x_train, y_train], (x_test, y_test), epochs=1, batch_size=4
        )


def test_per_step_losses(keras):
    train = memory_tasks.adding_problem(64, 6, seed=0)
    model = keras.Sequential(
        [keras.Input((6, 2)), keras.layers.SimpleRNN(4), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    losses = training.per_step_losses(
        model, train.inputs, train.targets, steps=5, batch_size=16
    )
    assert losses.shape == (5,) and np.all(np.isfinite(losses))
    with pytest.raises(ValueError, match="batch_size"):
        training.per_step_losses(
            model, train.inputs, train.targets, steps=1, batch_size=999
        )
