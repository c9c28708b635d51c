"""Seeded generators of the book's synthetic data sets, returning NumPy arrays.

Every generator takes a ``seed`` and returns the same arrays for the same arguments, so a
notebook's data is fixed by ``RNN_BOOK_SEED``. Shapes follow Keras: ``(batch, time)`` for
integer-coded sequences, ``(batch, time, features)`` for real-valued ones.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from rnn_utils import _checks, cells

# --------------------------------------------------------------------------- records


PATIENT_FEATURES = (
    "age",
    "systolic_bp",
    "cholesterol",
    "bmi",
    "smoker",
    "exercise_hours",
)
"""Column names of :attr:`PatientRecords.features`, in order."""


@dataclasses.dataclass(frozen=True)
class PatientRecords:
    """Synthetic patient records: one row per patient, order carries no information.

    Attributes:
        features: ``(patients, 6)`` float32, columns named by :data:`PATIENT_FEATURES`.
        labels: ``(patients,)`` int64, 1 if the patient had an adverse event.
        risk: ``(patients,)`` float64, the true probability of the event that ``labels``
            was drawn from; ``max(risk, 1 - risk)`` averaged is the best accuracy any
            classifier can expect (the Bayes rate).
    """

    features: np.ndarray
    labels: np.ndarray
    risk: np.ndarray

    def bayes_accuracy(self) -> float:
        """Expected accuracy of the best possible classifier on these records."""
        return float(np.mean(np.maximum(self.risk, 1.0 - self.risk)))


def patient_records(num_patients: int, *, seed: int) -> PatientRecords:
    """Draw ``num_patients`` independent synthetic patient records.

    The event's log-odds are a smooth, partly non-linear function of the features (risk
    rises with age, blood pressure and cholesterol, sharply for smokers over 50, and falls
    with exercise), so a small MLP can approach the Bayes rate but a linear model cannot
    quite reach it.

    Args:
        num_patients: number of records (rows), >= 1.
        seed: seed of the generator.

    Returns:
        :class:`PatientRecords` with ``features`` of shape ``(num_patients, 6)``.
    """
    num_patients = _checks.positive_int("num_patients", num_patients)
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    age = rng.uniform(20, 90, num_patients)
    systolic_bp = rng.normal(125 + 0.4 * (age - 50), 15)
    cholesterol = rng.normal(200, 35, num_patients)
    bmi = rng.normal(27, 4.5, num_patients)
    smoker = (rng.random(num_patients) < 0.25).astype(float)
    exercise_hours = rng.gamma(2.0, 1.5, num_patients)
    log_odds = (
        0.06 * (age - 55)
        + 0.035 * (systolic_bp - 130)
        + 0.015 * (cholesterol - 200)
        + 0.08 * (bmi - 27)
        + 2.5 * smoker * (age > 50)
        - 0.35 * (exercise_hours - 3)
        - 0.5
    )
    risk = cells.sigmoid(2.0 * log_odds)
    labels = (rng.random(num_patients) < risk).astype(np.int64)
    features = np.stack(
        [age, systolic_bp, cholesterol, bmi, smoker, exercise_hours], axis=1
    )
    return PatientRecords(features.astype(np.float32), labels, risk)


# ------------------------------------------------------------------------- timelines


@dataclasses.dataclass(frozen=True)
class Timelines:
    """Patient timelines in which only the *order* of two events decides the label.

    Attributes:
        events: ``(patients, time)`` int64 event codes in ``[0, vocabulary_size)``.
        labels: ``(patients,)`` int64, 1 if event A (``drug``) came before event B
            (``symptom``).
        event_names: name of each code; the last two are ``"drug"`` and ``"symptom"``.
    """

    events: np.ndarray
    labels: np.ndarray
    event_names: tuple[str, ...]

    @property
    def vocabulary_size(self) -> int:
        """Number of distinct event codes."""
        return len(self.event_names)

    @property
    def drug(self) -> int:
        """Code of event A."""
        return len(self.event_names) - 2

    @property
    def symptom(self) -> int:
        """Code of event B."""
        return len(self.event_names) - 1


ROUTINE_EVENTS = ("checkup", "blood_test", "x_ray", "vaccination")
"""Background events of a timeline; they carry no information about the label."""


def event_timelines(num_patients: int, length: int, *, seed: int) -> Timelines:
    """Draw timelines of ``length`` visits; each holds one drug start and one symptom.

    Every other visit is a routine event drawn uniformly. The drug and symptom positions are
    two distinct uniform positions, so both orders are equally likely and *which* events a
    timeline contains is independent of the label: only their order tells.

    Args:
        num_patients: number of timelines, >= 1.
        length: visits per timeline, >= 2.
        seed: seed of the generator.

    Returns:
        :class:`Timelines` with ``events`` of shape ``(num_patients, length)``.
    """
    num_patients = _checks.positive_int("num_patients", num_patients)
    length = _checks.positive_int("length", length)
    if length < 2:
        raise ValueError(
            f"length must be at least 2 (one drug, one symptom), got {length}"
        )
    rng = np.random.default_rng(_checks.non_negative_int("seed", seed))
    names = (*ROUTINE_EVENTS, "drug", "symptom")
    events = rng.integers(0, len(ROUTINE_EVENTS), size=(num_patients, length))
    positions = np.argsort(rng.random((num_patients, length)), axis=1)[:, :2]
    rows = np.arange(num_patients)
    drug_at, symptom_at = positions[:, 0], positions[:, 1]
    events[rows, drug_at] = len(names) - 2
    events[rows, symptom_at] = len(names) - 1
    labels = (drug_at < symptom_at).astype(np.int64)
    return Timelines(events.astype(np.int64), labels, names)


# ------------------------------------------------------------------------- characters


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
