"""Tests of :mod:`rnn_utils.text`: corpus, sampling and probing."""

import sys

import numpy as np
import pytest

from rnn_utils import text


def test_string_mask_marks_literals_only():
    source = 'x = "a#b"  # it\'s a "comment"\ny = 1\n'
    mask = text.string_mask(source)
    assert mask.shape == (len(source),)
    assert "".join(c for c, m in zip(source, mask, strict=True) if m) == '"a#b"'


def test_string_mask_covers_docstrings_and_fstrings():
    source = 'def f():\n    """Doc."""\n    return f"{1}"\n'
    marked = "".join(
        c for c, m in zip(source, text.string_mask(source), strict=True) if m
    )
    assert marked == '"""Doc."""f"{1}"'


def test_string_mask_rejects_bad_source():
    with pytest.raises(ValueError, match="source"):
        text.string_mask('x = """never closed\n')
    with pytest.raises(ValueError, match="source"):
        text.string_mask(b"x = 1")


def test_line_position_counts_from_each_newline():
    assert text.line_position("ab\ncde\n\nf").tolist() == [0, 1, 2, 0, 1, 2, 3, 0, 0]
    assert text.line_position("").shape == (0,)
    with pytest.raises(ValueError, match="text"):
        text.line_position(None)


def test_stdlib_corpus_is_a_prefix_of_the_stdlib_files():
    corpus = text.stdlib_corpus(5000)
    assert len(corpus.text) == 5000
    assert corpus.in_string.shape == (5000,)
    assert corpus.text.startswith('"""Text wrapping')  # textwrap's docstring
    assert corpus.in_string[0]
    assert corpus.python_version == ".".join(map(str, sys.version_info[:3]))
    longer = text.stdlib_corpus(8000)
    assert longer.text.startswith(corpus.text)
    assert np.array_equal(longer.in_string[:5000], corpus.in_string)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"num_chars": 0}, "num_chars"),
        ({"num_chars": 10**9}, "num_chars"),
        ({"num_chars": 10, "modules": ["no_such_module_xyz"]}, "modules"),
        ({"num_chars": 10, "modules": []}, "modules"),
    ],
)
def test_stdlib_corpus_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        text.stdlib_corpus(**kwargs)


def test_temperature_sharpens_and_flattens():
    logits = np.array([2.0, 1.0, 0.0, -1.0])
    entropies = [
        text.entropy_bits(text.softmax_with_temperature(logits, t))
        for t in (0.1, 0.5, 1, 2, 100)
    ]
    assert np.all(np.diff(entropies) > 0)
    assert entropies[0] < 0.01
    assert entropies[-1] == pytest.approx(2.0, abs=0.01)
    batch = text.softmax_with_temperature(np.stack([logits, -logits]), 1.0)
    assert batch.shape == (2, 4)
    assert np.allclose(batch.sum(axis=1), 1.0)


def test_softmax_and_entropy_reject_bad_input():
    with pytest.raises(ValueError, match="temperature"):
        text.softmax_with_temperature(np.zeros(3), 0.0)
    with pytest.raises(ValueError, match="logits"):
        text.softmax_with_temperature(np.zeros((2, 2, 2)), 1.0)
    with pytest.raises(ValueError, match="probabilities"):
        text.entropy_bits(np.array([0.5, 0.6]))


def test_sampling_is_seeded_and_follows_the_distribution():
    logits = np.log(np.array([0.7, 0.2, 0.1]))
    draws = text.sample_with_temperature(
        np.tile(logits, (20000, 1)), 1.0, np.random.default_rng(0)
    )
    assert draws.shape == (20000,)
    assert np.allclose(
        np.bincount(draws, minlength=3) / 20000, [0.7, 0.2, 0.1], atol=0.015
    )
    one = text.sample_with_temperature(logits, 1.0, np.random.default_rng(3))
    assert one == text.sample_with_temperature(logits, 1.0, np.random.default_rng(3))
    assert isinstance(one, int)
    with pytest.raises(ValueError, match="rng"):
        text.sample_with_temperature(logits, 1.0, 0)


def _counting_step(vocabulary=5):
    """A fake model whose next character is always the last one plus one (mod V)."""

    def step(ids, state):
        assert ids.shape[0] == 1
        logits = np.full(vocabulary, -50.0)
        logits[(int(ids[0, -1]) + 1) % vocabulary] = 50.0
        return logits, (0 if state is None else state) + ids.shape[1]

    return step


def test_generate_feeds_samples_back():
    sampled = text.generate(
        _counting_step(), np.array([0, 1]), 7, temperature=1.0, seed=0
    )
    assert sampled.tolist() == [2, 3, 4, 0, 1, 2, 3]


def test_generate_rejects_bad_input():
    step = _counting_step()
    with pytest.raises(ValueError, match="prompt"):
        text.generate(step, np.array([], dtype=int), 3, temperature=1.0, seed=0)
    with pytest.raises(ValueError, match="length"):
        text.generate(step, np.array([1]), 0, temperature=1.0, seed=0)
    with pytest.raises(ValueError, match="temperature"):
        text.generate(step, np.array([1]), 3, temperature=-1.0, seed=0)


def test_best_correlated_unit_finds_the_tracking_unit():
    rng = np.random.default_rng(0)
    feature = rng.random(500) < 0.3
    activations = rng.normal(size=(500, 6))
    activations[:, 4] = -2.0 * feature + rng.normal(0, 0.1, 500)
    unit, r = text.best_correlated_unit(activations, feature)
    assert unit == 4
    assert r < -0.95


def test_best_correlated_unit_rejects_bad_input():
    with pytest.raises(ValueError, match="feature"):
        text.best_correlated_unit(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="feature"):
        text.best_correlated_unit(np.zeros((5, 2)), np.ones(5))
    with pytest.raises(ValueError, match="activations"):
        text.best_correlated_unit(np.zeros(5), np.arange(5.0))
