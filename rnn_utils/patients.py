"""Synthetic patients for chapters 1 and 2: records without order, timelines with it.

Every generator takes a ``seed`` and returns the same arrays for the same arguments.
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
