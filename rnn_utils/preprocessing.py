"""Data into the arrays a Keras model reads: codes, one-hot vectors, windows, splits.

Shapes follow Keras: ``(batch, time)`` for integer codes, ``(batch, time, features)`` for
real values.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from rnn_utils import _checks


@dataclasses.dataclass(frozen=True)
class CharacterCodes:
    """A text encoded as integers.

    Attributes:
        ids: ``(length,)`` int64, the code of each character.
        alphabet: the characters, sorted; ``alphabet[i]`` has code ``i``.
    """

    ids: np.ndarray
    alphabet: str

    def decode(self, ids: np.ndarray) -> str:
        """Turn an array of codes (any shape) back into text, in row-major order."""
        ids = np.asarray(ids)
        if ids.size and (
            not np.issubdtype(ids.dtype, np.integer)
            or ids.min() < 0
            or ids.max() >= len(self.alphabet)
        ):
            raise ValueError(
                f"ids must be integers in [0, {len(self.alphabet)}), got {ids!r}"
            )
        return "".join(self.alphabet[i] for i in ids.ravel())


def encode_characters(text: str) -> CharacterCodes:
    """Encode ``text`` with one integer per distinct character (sorted order)."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r}")
    alphabet = "".join(sorted(set(text)))
    lookup = {char: code for code, char in enumerate(alphabet)}
    return CharacterCodes(np.array([lookup[c] for c in text], dtype=np.int64), alphabet)


def next_step_windows(ids: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a sequence into windows and the windows shifted by one step.

    Args:
        ids: ``(length,)`` integer codes.
        window: steps per window, >= 1 and < ``length``.

    Returns:
        ``(inputs, targets)``, each ``(length // window - (1 if the last target would run
        past the end), window)``: ``targets[i, t] == inputs[i, t + 1]`` within the sequence.
    """
    ids = _checks.array("ids", ids, 1)
    if not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids must be an integer array, got dtype {ids.dtype}")
    window = _checks.positive_int("window", window)
    if window >= len(ids):
        raise ValueError(
            f"window must be shorter than ids (length {len(ids)}), got {window}"
        )
    count = (len(ids) - 1) // window
    inputs = ids[: count * window].reshape(count, window)
    targets = ids[1 : count * window + 1].reshape(count, window)
    return inputs, targets


def one_hot(ids: np.ndarray, depth: int) -> np.ndarray:
    """One-hot encode integer codes.

    Args:
        ids: integer array of any shape ``S`` with values in ``[0, depth)``.
        depth: number of classes, >= 1.

    Returns:
        float32 array of shape ``S + (depth,)``.
    """
    depth = _checks.positive_int("depth", depth)
    ids = np.asarray(ids)
    if not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids must be an integer array, got dtype {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= depth):
        raise ValueError(
            f"ids must lie in [0, {depth}), got values {ids.min()}..{ids.max()}"
        )
    return np.eye(depth, dtype=np.float32)[ids]


def split(
    *arrays: np.ndarray, fractions: tuple[float, float] = (0.7, 0.15)
) -> list[tuple[np.ndarray, ...]]:
    """Split arrays along their first axis into train, validation and test parts, in order.

    Args:
        arrays: arrays with the same first dimension (rows are assumed already shuffled,
            or in time order when the split must respect time).
        fractions: fractions for train and validation; the rest is the test part.

    Returns:
        ``[train, validation, test]``, each a tuple with one slice of every array.
    """
    if not arrays:
        raise ValueError("arrays must contain at least one array")
    rows = len(arrays[0])
    for index, item in enumerate(arrays):
        if len(item) != rows:
            raise ValueError(
                f"arrays must share their first dimension: arrays[0] has {rows} rows, "
                f"arrays[{index}] has {len(item)}"
            )
    train, validation = (_checks.probability("fractions", f) for f in fractions)
    if train <= 0 or validation < 0 or train + validation >= 1:
        raise ValueError(
            f"fractions must be (train > 0, validation >= 0) summing to < 1, got {fractions}"
        )
    first = round(rows * train)
    second = first + round(rows * validation)
    if first == 0 or second >= rows or (validation > 0 and second == first):
        raise ValueError(f"fractions {fractions} leave an empty part for {rows} rows")
    bounds = [(0, first), (first, second), (second, rows)]
    return [tuple(item[a:b] for item in arrays) for a, b in bounds]
