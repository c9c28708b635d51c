"""Tests of :mod:`rnn_utils.gradient_checks`: central finite differences, relative error."""

import numpy as np
import pytest

from rnn_utils.gradient_checks import finite_difference_gradients, relative_error


def test_finite_differences_of_a_quadratic_are_exact():
    a = np.array([[1.0, -2.0], [0.5, 3.0]])
    estimate = finite_difference_gradients(
        lambda p: float(np.sum(p["a"] ** 2)), {"a": a}
    )
    np.testing.assert_allclose(estimate["a"], 2 * a, rtol=1e-9)


def test_finite_differences_of_several_arrays_have_their_shapes(rng):
    weights = {
        "w": rng.normal(size=(3, 2)),
        "b": rng.normal(size=2),
        "s": np.array(0.5),
    }

    def loss(p):
        return float(
            np.sum(np.sin(p["w"])) + np.sum(p["b"] ** 3) + p["s"] * np.sum(p["b"])
        )

    estimate = finite_difference_gradients(loss, weights)
    assert {name: value.shape for name, value in estimate.items()} == {
        "w": (3, 2),
        "b": (2,),
        "s": (),
    }
    expected = {
        "w": np.cos(weights["w"]),
        "b": 3 * weights["b"] ** 2 + weights["s"],
        "s": np.sum(weights["b"]),
    }
    assert relative_error(estimate, expected) < 1e-9


def test_finite_differences_do_not_modify_the_weights_and_work_in_float64():
    weights = {"a": np.array([1.0, 2.0], dtype=np.float32)}
    estimate = finite_difference_gradients(
        lambda p: float(np.sum(p["a"] ** 3)), weights
    )
    np.testing.assert_array_equal(weights["a"], [1.0, 2.0])
    assert weights["a"].dtype == np.float32
    assert estimate["a"].dtype == np.float64
    np.testing.assert_allclose(estimate["a"], [3.0, 12.0], rtol=1e-9)


def test_relative_error():
    a = {"x": np.array([3.0, 4.0])}
    assert relative_error(a, a) == 0.0
    assert relative_error({"x": np.zeros(2)}, {"x": np.zeros(2)}) == 0.0
    assert relative_error(a, {"x": np.array([3.0, 3.0])}) == pytest.approx(1 / 5)
    assert relative_error(a, {"x": np.zeros(2)}) == 1.0
    # One norm over all arrays, whatever the order of the keys.
    two = {"x": np.array([3.0]), "y": np.array([4.0])}
    assert relative_error(
        two, {"y": np.array([4.0]), "x": np.array([0.0])}
    ) == pytest.approx(3 / 5)


def _zero(weights):
    return 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: finite_difference_gradients(_zero, {"a": np.ones(1)}, epsilon=0),
            "epsilon",
        ),
        (lambda: finite_difference_gradients(_zero, {}), "weights must be a non-empty"),
        (
            lambda: relative_error({"a": np.ones(1)}, {"b": np.ones(1)}),
            "a and b must have",
        ),
        (
            lambda: relative_error({"a": np.ones(1)}, {"a": np.ones(2)}),
            r"a\['a'\] and b\['a'\]",
        ),
    ],
    ids=["epsilon", "empty-weights", "keys", "shapes"],
)
def test_bad_arguments_raise_value_errors_naming_them(call, message):
    with pytest.raises(ValueError, match=f"^{message}"):
        call()
