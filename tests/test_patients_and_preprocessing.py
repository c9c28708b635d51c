"""Tests of the seeded data generators in :mod:`rnn_utils.data`."""

import numpy as np
import pytest

from rnn_utils import patients, preprocessing, text

BAD_COUNTS = [0, -3, 2.5, "4", None, True]
BAD_SEEDS = [-1, 1.5, "0", None, True]


# --------------------------------------------------------------------------- records


def test_patient_records_shapes_dtypes_and_columns():
    records = patients.patient_records(500, seed=0)
    assert patients.PATIENT_FEATURES == (
        "age",
        "systolic_bp",
        "cholesterol",
        "bmi",
        "smoker",
        "exercise_hours",
    )
    assert records.features.shape == (500, len(patients.PATIENT_FEATURES))
    assert records.features.dtype == np.float32
    assert records.labels.shape == (500,)
    assert records.labels.dtype == np.int64
    assert records.risk.shape == (500,)
    assert records.risk.dtype == np.float64


def test_patient_records_feature_values_are_plausible():
    features = patients.patient_records(2000, seed=1).features
    column = {name: features[:, i] for i, name in enumerate(patients.PATIENT_FEATURES)}
    assert np.all((column["age"] >= 20) & (column["age"] <= 90))
    assert set(np.unique(column["smoker"])) == {0.0, 1.0}
    assert 0.15 < column["smoker"].mean() < 0.35
    assert np.all(column["exercise_hours"] > 0)
    assert 180 < column["cholesterol"].mean() < 220
    assert 25 < column["bmi"].mean() < 29
    # Blood pressure rises with age.
    assert np.corrcoef(column["age"], column["systolic_bp"])[0, 1] > 0.3
    assert np.all(np.isfinite(features))


def test_patient_records_labels_are_binary_and_mixed():
    records = patients.patient_records(5000, seed=2)
    assert set(np.unique(records.labels)) == {0, 1}
    assert 0.05 < records.labels.mean() < 0.95


def test_patient_records_labels_follow_the_risk():
    records = patients.patient_records(20000, seed=3)
    assert np.all((records.risk > 0) & (records.risk < 1))
    assert records.labels.mean() == pytest.approx(records.risk.mean(), abs=0.02)
    # Patients with a high risk have the event far more often than those with a low one.
    high = records.labels[records.risk > 0.8].mean()
    low = records.labels[records.risk < 0.2].mean()
    assert high > 0.75
    assert low < 0.25


def test_patient_records_risk_rises_for_smokers_over_fifty():
    records = patients.patient_records(20000, seed=4)
    age = records.features[:, patients.PATIENT_FEATURES.index("age")]
    smoker = records.features[:, patients.PATIENT_FEATURES.index("smoker")] == 1
    older = age > 60
    assert (
        records.risk[older & smoker].mean() > records.risk[older & ~smoker].mean() + 0.2
    )


def test_patient_records_bayes_accuracy():
    records = patients.patient_records(3000, seed=5)
    accuracy = records.bayes_accuracy()
    assert isinstance(accuracy, float)
    assert 0.5 < accuracy < 1.0
    expected = np.mean([max(r, 1 - r) for r in records.risk])
    assert accuracy == pytest.approx(expected, rel=1e-12)


def test_patient_records_bayes_accuracy_on_hand_made_risk():
    records = patients.PatientRecords(
        features=np.zeros((4, 6), np.float32),
        labels=np.zeros(4, np.int64),
        risk=np.array([0.5, 0.9, 0.2, 0.0]),
    )
    assert records.bayes_accuracy() == pytest.approx((0.5 + 0.9 + 0.8 + 1.0) / 4)


def test_patient_records_same_seed_same_arrays():
    first = patients.patient_records(300, seed=11)
    second = patients.patient_records(300, seed=11)
    np.testing.assert_array_equal(first.features, second.features)
    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.risk, second.risk)


def test_patient_records_different_seed_different_arrays():
    first = patients.patient_records(300, seed=11)
    second = patients.patient_records(300, seed=12)
    assert not np.array_equal(first.features, second.features)
    assert not np.array_equal(first.risk, second.risk)


def test_patient_records_single_patient():
    records = patients.patient_records(1, seed=0)
    assert records.features.shape == (1, 6)


@pytest.mark.parametrize("count", BAD_COUNTS)
def test_patient_records_rejects_bad_count(count):
    with pytest.raises(ValueError, match="num_patients"):
        patients.patient_records(count, seed=0)


@pytest.mark.parametrize("seed", BAD_SEEDS)
def test_patient_records_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        patients.patient_records(10, seed=seed)


# ------------------------------------------------------------------------- timelines


def _positions(timelines):
    drug_at = np.argmax(timelines.events == timelines.drug, axis=1)
    symptom_at = np.argmax(timelines.events == timelines.symptom, axis=1)
    return drug_at, symptom_at


def test_event_timelines_shapes_codes_and_names():
    timelines = patients.event_timelines(200, 12, seed=0)
    assert timelines.events.shape == (200, 12)
    assert timelines.events.dtype == np.int64
    assert timelines.labels.shape == (200,)
    assert timelines.labels.dtype == np.int64
    assert timelines.event_names == (*patients.ROUTINE_EVENTS, "drug", "symptom")
    assert timelines.vocabulary_size == len(patients.ROUTINE_EVENTS) + 2
    assert timelines.event_names[timelines.drug] == "drug"
    assert timelines.event_names[timelines.symptom] == "symptom"
    assert timelines.events.min() >= 0
    assert timelines.events.max() < timelines.vocabulary_size


def test_event_timelines_have_exactly_one_drug_and_one_symptom_per_row():
    timelines = patients.event_timelines(1000, 9, seed=1)
    np.testing.assert_array_equal((timelines.events == timelines.drug).sum(axis=1), 1)
    np.testing.assert_array_equal(
        (timelines.events == timelines.symptom).sum(axis=1), 1
    )


def test_event_timelines_label_is_drug_before_symptom():
    timelines = patients.event_timelines(1000, 9, seed=2)
    drug_at, symptom_at = _positions(timelines)
    np.testing.assert_array_equal(
        timelines.labels, (drug_at < symptom_at).astype(np.int64)
    )


def test_event_timelines_minimal_length_two():
    timelines = patients.event_timelines(400, 2, seed=3)
    drug, symptom = timelines.drug, timelines.symptom
    for row, label in zip(timelines.events, timelines.labels, strict=True):
        expected = [drug, symptom] if label == 1 else [symptom, drug]
        assert list(row) == expected
    assert set(np.unique(timelines.labels)) == {0, 1}


def test_event_timelines_classes_are_balanced():
    timelines = patients.event_timelines(20000, 10, seed=4)
    assert timelines.labels.mean() == pytest.approx(0.5, abs=0.02)


def test_event_timelines_positions_are_spread_over_the_whole_timeline():
    length = 8
    timelines = patients.event_timelines(8000, length, seed=5)
    drug_at, symptom_at = _positions(timelines)
    for positions in (drug_at, symptom_at):
        frequencies = np.bincount(positions, minlength=length) / len(positions)
        np.testing.assert_allclose(frequencies, 1 / length, atol=0.02)


def test_event_timelines_bag_of_events_carries_no_label_information():
    """Which events occur (their counts) has the same distribution in both classes."""
    length = 10
    timelines = patients.event_timelines(20000, length, seed=6)
    counts = np.stack(
        [
            (timelines.events == code).sum(axis=1)
            for code in range(timelines.vocabulary_size)
        ],
        axis=1,
    )
    negative, positive = counts[timelines.labels == 0], counts[timelines.labels == 1]
    for code in range(len(patients.ROUTINE_EVENTS)):
        assert negative[:, code].mean() == pytest.approx(
            positive[:, code].mean(), abs=0.05
        )
        # Whole distribution of the count, not only its mean.
        hist_negative = np.bincount(negative[:, code], minlength=length) / len(negative)
        hist_positive = np.bincount(positive[:, code], minlength=length) / len(positive)
        np.testing.assert_allclose(hist_negative, hist_positive, atol=0.02)
    # Routine events are drawn uniformly: each fills a quarter of the other visits.
    expected = (length - 2) / len(patients.ROUTINE_EVENTS)
    np.testing.assert_allclose(
        counts[:, : len(patients.ROUTINE_EVENTS)].mean(axis=0), expected, 0.02
    )


def test_event_timelines_same_seed_same_arrays():
    first = patients.event_timelines(100, 7, seed=9)
    second = patients.event_timelines(100, 7, seed=9)
    np.testing.assert_array_equal(first.events, second.events)
    np.testing.assert_array_equal(first.labels, second.labels)


def test_event_timelines_different_seed_different_arrays():
    first = patients.event_timelines(100, 7, seed=9)
    second = patients.event_timelines(100, 7, seed=10)
    assert not np.array_equal(first.events, second.events)


@pytest.mark.parametrize("count", BAD_COUNTS)
def test_event_timelines_rejects_bad_count(count):
    with pytest.raises(ValueError, match="num_patients"):
        patients.event_timelines(count, 5, seed=0)


@pytest.mark.parametrize("length", [*BAD_COUNTS, 1])
def test_event_timelines_rejects_bad_length(length):
    with pytest.raises(ValueError, match="length"):
        patients.event_timelines(5, length, seed=0)


@pytest.mark.parametrize("seed", BAD_SEEDS)
def test_event_timelines_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        patients.event_timelines(5, 5, seed=seed)


# ------------------------------------------------------------------------ characters

WORDS = ["hello", "help", "world"]


def test_character_corpus_is_made_of_the_given_words():
    corpus = text.character_corpus(WORDS, 200, seed=0)
    assert isinstance(corpus, str)
    assert corpus.endswith(" ")
    assert not corpus.startswith(" ")
    assert "  " not in corpus
    drawn = corpus.split(" ")[:-1]
    assert len(drawn) == 200
    assert set(drawn) == set(WORDS)
    assert set(corpus) <= set("".join(WORDS)) | {" "}


def test_character_corpus_draws_words_uniformly():
    corpus = text.character_corpus(["a", "b", "c", "d"], 8000, seed=1)
    words = corpus.split()
    for word in "abcd":
        assert words.count(word) / len(words) == pytest.approx(0.25, abs=0.025)


def test_character_corpus_single_word_vocabulary():
    assert text.character_corpus(["ab"], 3, seed=0) == "ab ab ab "


def test_character_corpus_accepts_a_tuple_of_words():
    corpus = text.character_corpus(("x", "yz"), 10, seed=0)
    assert len(corpus.split()) == 10


def test_character_corpus_same_seed_same_text():
    assert text.character_corpus(WORDS, 50, seed=3) == text.character_corpus(
        WORDS, 50, seed=3
    )


def test_character_corpus_different_seed_different_text():
    assert text.character_corpus(WORDS, 50, seed=3) != text.character_corpus(
        WORDS, 50, seed=4
    )


@pytest.mark.parametrize("words", [[], "hello", None, ["ok", ""], ["ok", 3]])
def test_character_corpus_rejects_bad_words(words):
    with pytest.raises(ValueError, match="words"):
        text.character_corpus(words, 5, seed=0)


@pytest.mark.parametrize("words", [["two words"], ["ok", "not ok"], [" lead"]])
def test_character_corpus_rejects_words_with_spaces(words):
    with pytest.raises(ValueError, match="words must not contain spaces"):
        text.character_corpus(words, 5, seed=0)


@pytest.mark.parametrize("count", BAD_COUNTS)
def test_character_corpus_rejects_bad_num_words(count):
    with pytest.raises(ValueError, match="num_words"):
        text.character_corpus(WORDS, count, seed=0)


@pytest.mark.parametrize("seed", BAD_SEEDS)
def test_character_corpus_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        text.character_corpus(WORDS, 5, seed=seed)


def test_encode_characters_uses_sorted_alphabet():
    codes = preprocessing.encode_characters("banana bread")
    assert codes.alphabet == " abdenr"
    assert codes.ids.dtype == np.int64
    assert codes.ids.shape == (len("banana bread"),)
    np.testing.assert_array_equal(codes.ids[:6], [2, 1, 5, 1, 5, 1])
    assert codes.ids[6] == 0  # the space sorts first


def test_encode_characters_round_trips_through_decode():
    corpus = text.character_corpus(WORDS, 30, seed=7)
    codes = preprocessing.encode_characters(corpus)
    assert codes.decode(codes.ids) == corpus
    assert codes.decode(codes.ids.reshape(-1, 1)) == corpus
    assert codes.decode([0, 0]) == codes.alphabet[0] * 2


def test_encode_characters_single_character():
    codes = preprocessing.encode_characters("zzz")
    assert codes.alphabet == "z"
    np.testing.assert_array_equal(codes.ids, [0, 0, 0])


@pytest.mark.parametrize("text", ["", None, 42, b"bytes", ["a", "b"]])
def test_encode_characters_rejects_non_strings_and_empty(text):
    with pytest.raises(ValueError, match="text"):
        preprocessing.encode_characters(text)


# ----------------------------------------------------------------------- windows


def test_next_step_windows_targets_are_inputs_shifted_by_one():
    ids = np.arange(10) * 3
    inputs, targets = preprocessing.next_step_windows(ids, 3)
    np.testing.assert_array_equal(inputs, [[0, 3, 6], [9, 12, 15], [18, 21, 24]])
    np.testing.assert_array_equal(targets, [[3, 6, 9], [12, 15, 18], [21, 24, 27]])


@pytest.mark.parametrize(
    ("length", "window", "count"), [(9, 3, 2), (10, 3, 3), (10, 9, 1), (11, 5, 2)]
)
def test_next_step_windows_count(length, window, count):
    ids = np.random.default_rng(length).integers(0, 5, length)
    inputs, targets = preprocessing.next_step_windows(ids, window)
    assert inputs.shape == targets.shape == (count, window)
    flat_inputs, flat_targets = inputs.ravel(), targets.ravel()
    np.testing.assert_array_equal(flat_inputs, ids[: count * window])
    np.testing.assert_array_equal(flat_targets, ids[1 : count * window + 1])
    np.testing.assert_array_equal(inputs[:, 1:], targets[:, :-1])


def test_next_step_windows_keeps_dtype():
    ids = preprocessing.encode_characters("abcabcabc").ids
    inputs, targets = preprocessing.next_step_windows(ids, 2)
    assert inputs.dtype == targets.dtype == np.int64


@pytest.mark.parametrize("ids", [np.zeros((3, 4), int), 5, np.zeros((2, 2, 2), int)])
def test_next_step_windows_rejects_wrong_rank(ids):
    with pytest.raises(ValueError, match="ids"):
        preprocessing.next_step_windows(ids, 2)


@pytest.mark.parametrize("window", [0, -1, 2.0, None])
def test_next_step_windows_rejects_bad_window(window):
    with pytest.raises(ValueError, match="window"):
        preprocessing.next_step_windows(np.arange(10), window)


@pytest.mark.parametrize("window", [10, 11])
def test_next_step_windows_rejects_window_not_shorter_than_ids(window):
    with pytest.raises(ValueError, match="window must be shorter than ids"):
        preprocessing.next_step_windows(np.arange(10), window)


# ------------------------------------------------------------------------ one_hot


def test_one_hot_values_shape_and_dtype():
    ids = np.array([[0, 2], [1, 2], [3, 0]])
    encoded = preprocessing.one_hot(ids, 4)
    assert encoded.shape == (3, 2, 4)
    assert encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded.sum(axis=-1), 1.0)
    np.testing.assert_array_equal(encoded.argmax(axis=-1), ids)
    np.testing.assert_array_equal(encoded[0, 1], [0, 0, 1, 0])


def test_one_hot_scalar_and_empty():
    np.testing.assert_array_equal(preprocessing.one_hot(1, 3), [0, 1, 0])
    empty = preprocessing.one_hot(np.zeros((0,), dtype=np.int64), 5)
    assert empty.shape == (0, 5)


@pytest.mark.parametrize("depth", [0, -2, 3.0, None])
def test_one_hot_rejects_bad_depth(depth):
    with pytest.raises(ValueError, match="depth"):
        preprocessing.one_hot(np.array([0, 1]), depth)


@pytest.mark.parametrize("ids", [np.array([0.0, 1.0]), np.array([True, False]), ["a"]])
def test_one_hot_rejects_non_integer_ids(ids):
    with pytest.raises(ValueError, match="ids must be an integer array"):
        preprocessing.one_hot(ids, 3)


@pytest.mark.parametrize("ids", [[0, 3], [-1, 0], [[5]]])
def test_one_hot_rejects_ids_out_of_range(ids):
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 3\)"):
        preprocessing.one_hot(np.array(ids), 3)


# -------------------------------------------------------------------------- split


def test_split_default_fractions_preserve_order_and_partition():
    rows = np.arange(100)
    train, validation, test = preprocessing.split(rows)
    assert [len(part[0]) for part in (train, validation, test)] == [70, 15, 15]
    np.testing.assert_array_equal(
        np.concatenate([train[0], validation[0], test[0]]), rows
    )


def test_split_keeps_several_arrays_aligned():
    x = np.arange(40).reshape(20, 2)
    y = np.arange(20) * 10
    parts = preprocessing.split(x, y, fractions=(0.5, 0.25))
    assert [part[0].shape for part in parts] == [(10, 2), (5, 2), (5, 2)]
    for part_x, part_y in parts:
        np.testing.assert_array_equal(part_x[:, 0] // 2 * 10, part_y)
    np.testing.assert_array_equal(np.concatenate([p[0] for p in parts]), x)
    np.testing.assert_array_equal(np.concatenate([p[1] for p in parts]), y)


def test_split_accepts_lists_and_zero_validation():
    train, validation, test = preprocessing.split(list(range(10)), fractions=(0.6, 0.0))
    assert train == (list(range(6)),)
    assert validation == ([],)
    assert test == (list(range(6, 10)),)


@pytest.mark.parametrize(
    ("rows", "fractions", "sizes"),
    [
        (10, (0.7, 0.1), [7, 1, 2]),
        (50, (0.6, 0.3), [30, 15, 5]),
        (100, (0.3, 0.15), [30, 15, 55]),
    ],
)
def test_split_sizes_are_not_lost_to_floating_point(rows, fractions, sizes):
    parts = preprocessing.split(np.arange(rows), fractions=fractions)
    assert [len(part[0]) for part in parts] == sizes


def test_split_rejects_no_arrays():
    with pytest.raises(ValueError, match="arrays"):
        preprocessing.split()


def test_split_rejects_mismatched_first_dimensions():
    with pytest.raises(ValueError, match=r"arrays\[1\] has 9"):
        preprocessing.split(np.zeros(10), np.zeros(9))


@pytest.mark.parametrize(
    "fractions",
    [(1.5, 0.1), (0.5, -0.1), (0.0, 0.5), (0.6, 0.4), (0.9, 0.5), ("a", 0.1)],
)
def test_split_rejects_bad_fractions(fractions):
    with pytest.raises(ValueError, match="fractions"):
        preprocessing.split(np.zeros(100), fractions=fractions)


@pytest.mark.parametrize(
    ("rows", "fractions"), [(3, (0.1, 0.1)), (1, (0.5, 0.2)), (4, (0.1, 0.5))]
)
def test_split_rejects_fractions_that_leave_an_empty_part(rows, fractions):
    with pytest.raises(ValueError, match="leave an empty part"):
        preprocessing.split(np.zeros(rows), fractions=fractions)


def test_decode_rejects_codes_outside_the_alphabet():
    codes = preprocessing.encode_characters("abc")
    with pytest.raises(ValueError, match="ids"):
        codes.decode(np.array([0, -1]))
    with pytest.raises(ValueError, match="ids"):
        codes.decode(np.array([3]))


def test_next_step_windows_rejects_float_ids():
    with pytest.raises(ValueError, match="ids must be an integer array"):
        preprocessing.next_step_windows(np.arange(10.0), 3)
