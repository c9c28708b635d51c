"""Character-level text: corpora, sampling with a temperature, probing a model's units.

Chapter 1 reads a corpus of four words; chapter 9 a corpus of Python source.
"""

from __future__ import annotations

import dataclasses
import io
import os
import sys
import sysconfig
import tokenize
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from rnn_utils import _checks


def character_corpus(words: list[str], num_words: int, *, seed: int) -> str:
    """A text of ``num_words`` words drawn uniformly from ``words``, separated by spaces.

    Within a word the next character is fixed by the characters before it, except where
    two words share a beginning (``ne`` in "neuron" and "network"); the first letter after a
    space is random. A model that sees one character at a time
    without memory cannot tell which word it is in.

    Args:
        words: the vocabulary of words; non-empty strings without spaces.
        num_words: number of words in the text, >= 1.
        seed: seed of the generator.

    Returns:
        The text, starting with a word and ending with a space.
    """
    words = _checks.non_empty_strings("words", words)
    if any(" " in word for word in words):
        raise ValueError(f"words must not contain spaces, got {words!r}")
    num_words = _checks.positive_int("num_words", num_words)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    choice = rng.integers(0, len(words), size=num_words)
    return "".join(words[i] + " " for i in choice)


DEFAULT_MODULES = (
    "textwrap",
    "fnmatch",
    "shlex",
    "bisect",
    "heapq",
    "queue",
    "string",
    "glob",
    "calendar",
    "csv",
    "functools",
    "contextlib",
    "dataclasses",
    "argparse",
)
"""Pure-Python standard-library modules that make up the default corpus, in order."""


@dataclasses.dataclass(frozen=True)
class SourceCorpus:
    """A text cut from Python source files, with the string-literal mask of every character.

    Attributes:
        text: the source text, ``num_chars`` characters.
        in_string: ``(num_chars,)`` bool, True for characters inside a string literal
            (quotes included; docstrings are string literals).
        modules: the modules that were read, in order.
        python_version: ``"3.11.7"`` etc.: the files, hence the text, depend on it.
    """

    text: str
    in_string: np.ndarray
    modules: tuple[str, ...]
    python_version: str


def string_mask(source: str) -> np.ndarray:
    """Mark the characters of Python ``source`` that belong to a string literal.

    Uses :mod:`tokenize`, so quotes inside comments and comment characters inside strings
    are handled correctly; f-strings count as string literals on every Python version.

    Args:
        source: complete, tokenizable Python source.

    Returns:
        ``(len(source),)`` bool array.
    """
    if not isinstance(source, str):
        raise ValueError(f"source must be a string, got {type(source).__name__}")
    line_starts = np.cumsum(
        [0] + [len(line) for line in source.splitlines(keepends=True)]
    )
    mask = np.zeros(len(source), dtype=bool)
    fstring_starts = []
    kinds = {tokenize.STRING}
    start_kind = getattr(tokenize, "FSTRING_START", None)  # Python >= 3.12
    end_kind = getattr(tokenize, "FSTRING_END", None)
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            begin = line_starts[token.start[0] - 1] + token.start[1]
            end = line_starts[token.end[0] - 1] + token.end[1]
            if token.type in kinds:
                mask[begin:end] = True
            elif token.type == start_kind:
                fstring_starts.append(begin)
            elif token.type == end_kind and fstring_starts:
                mask[fstring_starts.pop() : end] = True
    except (tokenize.TokenError, SyntaxError) as error:
        raise ValueError(f"source must be complete Python source: {error}") from error
    return mask


def line_position(text: str) -> np.ndarray:
    """The column of every character: how many characters precede it on its line.

    A newline character ends its line, so it gets the column after the line's last
    character, and the character after it gets column 0.

    Args:
        text: any string.

    Returns:
        ``(len(text),)`` int64.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    position = np.arange(len(text), dtype=np.int64)
    newline = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) == ord("\n")
    line_start = np.zeros(len(text), dtype=np.int64)
    line_start[1:] = np.where(newline[:-1], position[1:], 0)
    return position - np.maximum.accumulate(line_start)


def stdlib_corpus(
    num_chars: int, modules: Sequence[str] = DEFAULT_MODULES
) -> SourceCorpus:
    """The first ``num_chars`` characters of the given standard-library modules' source.

    The files ``<stdlib>/<module>.py`` are read from the running interpreter's installation
    (``sysconfig.get_paths()["stdlib"]``) and joined in the given order, each followed by a
    blank line. Nothing is downloaded. The text is the same on every machine with the same
    Python version, and differs (slightly) between versions.

    Args:
        num_chars: characters to keep, >= 1, at most the length of the joined files.
        modules: names of single-file, pure-Python standard-library modules.

    Returns:
        :class:`SourceCorpus`.
    """
    num_chars = _checks.positive_int("num_chars", num_chars)
    modules = tuple(_checks.non_empty_strings("modules", modules))
    root = sysconfig.get_paths()["stdlib"]
    texts, masks = [], []
    for name in modules:
        path = os.path.join(root, *name.split(".")) + ".py"
        if not os.path.isfile(path):
            raise ValueError(
                f"modules must name single-file stdlib modules; no file {path}"
            )
        with open(path, encoding="utf-8") as handle:
            source = handle.read().replace("\r\n", "\n") + "\n\n"
        texts.append(source)
        masks.append(string_mask(source))
    text = "".join(texts)
    if num_chars > len(text):
        raise ValueError(
            f"num_chars must be at most {len(text)} for these modules, got {num_chars}"
        )
    version = ".".join(str(v) for v in sys.version_info[:3])
    return SourceCorpus(
        text[:num_chars], np.concatenate(masks)[:num_chars], modules, version
    )


def softmax_with_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    """The distribution ``softmax(logits / temperature)`` along the last axis.

    Temperature 1 is the model's own distribution; below 1 it sharpens towards the most
    likely character, above 1 it flattens towards uniform.

    Args:
        logits: ``(vocabulary,)`` or ``(batch, vocabulary)`` unnormalised log-probabilities.
        temperature: > 0.

    Returns:
        float64 probabilities of the shape of ``logits``, summing to 1 along the last axis.
    """
    temperature = _checks.positive_float("temperature", temperature)
    return _softmax(_checked_logits(logits), temperature)


def _checked_logits(logits: object) -> np.ndarray:
    """``logits`` as float64 ``(vocabulary,)`` or ``(batch, vocabulary)``, finite, or raise."""
    logits = _checks.array("logits", logits, np.ndim(logits), dtype=np.float64)
    if logits.ndim not in (1, 2) or logits.shape[-1] == 0:
        raise ValueError(
            f"logits must have shape (vocabulary,) or (batch, vocabulary), got {logits.shape}"
        )
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must contain only finite numbers")
    return logits


def _softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    """:func:`softmax_with_temperature` on checked arguments."""
    with np.errstate(over="ignore"):  # a tiny temperature: shift first, -inf is fine
        scaled = logits / temperature
        if not np.all(np.isfinite(scaled)):
            scaled = (logits - logits.max(axis=-1, keepdims=True)) / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)
    weights = np.exp(scaled)
    return weights / weights.sum(axis=-1, keepdims=True)


def entropy_bits(probabilities: np.ndarray) -> np.ndarray | float:
    """Entropy in bits along the last axis: ``-Σ p log2 p`` (with ``0 log 0 = 0``).

    Args:
        probabilities: ``(..., vocabulary)``, non-negative, each row summing to 1.

    Returns:
        A float for one distribution, else an array of the leading shape.
    """
    p = _checks.array(
        "probabilities", probabilities, np.ndim(probabilities), dtype=np.float64
    )
    if p.ndim == 0 or p.shape[-1] == 0:
        raise ValueError(
            f"probabilities must have a vocabulary axis, got shape {p.shape}"
        )
    if np.any(p < 0) or not np.allclose(p.sum(axis=-1), 1.0, atol=1e-6):
        raise ValueError(
            "probabilities must be non-negative and sum to 1 along the last axis"
        )
    terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    result = terms.sum(axis=-1)
    return float(result) if result.ndim == 0 else result


def sample_with_temperature(
    logits: np.ndarray, temperature: float, rng: np.random.Generator
) -> np.ndarray | int:
    """Draw codes from ``softmax(logits / temperature)``.

    Args:
        logits: ``(vocabulary,)`` or ``(batch, vocabulary)``.
        temperature: > 0.
        rng: a seeded ``numpy.random.Generator``.

    Returns:
        An int for ``(vocabulary,)`` logits, else ``(batch,)`` int64 codes.
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy.random.Generator, got {type(rng).__name__}"
        )
    return _draw(softmax_with_temperature(logits, temperature), rng)


def _draw(p: np.ndarray, rng: np.random.Generator) -> np.ndarray | int:
    """One code per row of the distribution(s) ``p``, drawn with ``rng``."""
    if p.ndim == 1:
        return int(rng.choice(p.shape[0], p=p))
    cumulative = np.cumsum(p, axis=1)
    draws = rng.random((p.shape[0], 1))
    return np.minimum((draws > cumulative).sum(axis=1), p.shape[1] - 1).astype(np.int64)


StepFunction = Callable[[np.ndarray, Any], tuple[np.ndarray, Any]]
"""``step(ids, state) -> (logits, state)``: ``ids`` ``(1, steps)`` int codes, ``state``
the recurrent state (``None`` at the start); ``logits`` ``(vocabulary,)`` for the step
after the last of ``ids``."""


def generate(
    step: StepFunction,
    prompt: np.ndarray,
    length: int,
    *,
    temperature: float,
    seed: int,
) -> np.ndarray:
    """Sample ``length`` codes after ``prompt``, feeding each sampled code back in.

    The prompt is read in one call of ``step``; then each sampled code is fed alone, with
    the state carried over, so generating costs one short call per character.

    Args:
        step: see :data:`StepFunction`.
        prompt: ``(steps,)`` codes to start from, at least one.
        length: codes to sample, >= 1.
        temperature: sampling temperature, > 0.
        seed: seed of the sampling generator.

    Returns:
        ``(length,)`` int64 sampled codes (the prompt not included).
    """
    _checks.function("step", step)
    prompt = _checks.array("prompt", prompt, 1)
    if prompt.size == 0 or not np.issubdtype(prompt.dtype, np.integer):
        raise ValueError(
            f"prompt must be a non-empty array of integer codes, got {prompt!r}"
        )
    length = _checks.positive_int("length", length)
    temperature = _checks.positive_float("temperature", temperature)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    logits, state = step(prompt[None, :].astype(np.int64), None)
    sampled = np.empty(length, dtype=np.int64)
    for i in range(length):
        # temperature and rng were checked above; the step's logits are new each time
        sampled[i] = _draw(_softmax(_checked_logits(logits), temperature), rng)
        logits, state = step(sampled[None, i : i + 1], state)
    return sampled


def best_correlated_unit(
    activations: np.ndarray, feature: np.ndarray
) -> tuple[int, float]:
    """The unit whose activation has the largest absolute Pearson correlation with a feature.

    Args:
        activations: ``(steps, units)`` hidden activations (flatten ``(windows, time,
            units)`` first).
        feature: ``(steps,)`` numbers or booleans, e.g. "inside a string".

    Returns:
        ``(unit, r)``: the unit's index and its (signed) correlation.
    """
    activations = _checks.array("activations", activations, 2, dtype=np.float64)
    feature = _checks.array("feature", feature, 1, dtype=np.float64)
    if len(feature) != len(activations) or len(feature) < 2:
        raise ValueError(
            f"feature must have one value per row of activations ({len(activations)}, >= 2), "
            f"got {len(feature)}"
        )
    if feature.std() == 0:
        raise ValueError("feature must vary, got a constant")
    a = activations - activations.mean(axis=0)
    f = feature - feature.mean()
    spread = np.sqrt((a**2).sum(axis=0) * (f**2).sum())
    r = np.divide(a.T @ f, spread, out=np.zeros(a.shape[1]), where=spread > 0)
    unit = int(np.argmax(np.abs(r)))
    return unit, float(r[unit])
