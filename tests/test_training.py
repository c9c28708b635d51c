"""Tests of :mod:`rnn_utils.training`: per-batch losses, epochs to a threshold."""

import numpy as np
import pytest

from rnn_utils import memory_tasks, training


def test_epochs_to_threshold():
    assert training.epochs_to_threshold([0.2, 0.1, 0.04, 0.01], 0.05) == 3
    assert training.epochs_to_threshold([0.2, np.nan, 0.1], 0.05) is None
    with pytest.raises(ValueError, match="threshold"):
        training.epochs_to_threshold([0.1], -1.0)


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
    with pytest.raises(TypeError, match="model must be a compiled Keras model"):
        training.per_step_losses("model", train.inputs, train.targets, steps=1)
    with pytest.raises(ValueError, match="targets must contain only finite"):
        training.per_step_losses(
            model, train.inputs, np.full_like(train.targets, np.nan), steps=1
        )
