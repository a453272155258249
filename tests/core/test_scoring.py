"""The evaluation measures on small cases worked out by hand (the numbers are derived in the comments),
plus properties any correct measure has. Neither sklearn nor nltk is installed here, so no oracle:
the tie rule of average_precision is sklearn's, checked on a case worked through as sklearn does."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.scoring import (
    Report,
    Scores,
    accuracy,
    as_dict,
    average_precision,
    character_scores,
    matched_pairs,
    span_scores,
)

GOLD = [("a", 0, 5, "PER"), ("a", 10, 15, "ORG"), ("b", 0, 3, "PER")]
PREDICTED = [
    ("a", 0, 5, "PER"),  # right
    ("a", 10, 15, "PER"),  # the range of a gold ORG, with the wrong label
    ("b", 0, 4, "PER"),  # one character too long
]


def test_exact_spans_need_the_same_range_and_label():
    report = span_scores(GOLD, PREDICTED)
    # PER: 1 right of 3 predicted and 2 gold: P = 1/3, R = 1/2, F1 = 2PR/(P+R) = (1/3)/(5/6) = 0.4
    assert report.labels["PER"] == Scores(pytest.approx(1 / 3), 0.5, pytest.approx(0.4), 1, 3, 2)
    # ORG: nothing predicted: P = 0 by convention, R = 0/1, F1 = 0
    assert report.labels["ORG"] == Scores(0.0, 0.0, 0.0, 0, 0, 1)
    # Overall (micro): 1 right of 3 predicted and 3 gold: 1/3 each
    assert report.overall == Scores(pytest.approx(1 / 3), pytest.approx(1 / 3), pytest.approx(1 / 3), 1, 3, 3)
    assert list(report.labels) == ["ORG", "PER"]


def test_overlapping_spans_count_when_they_share_a_character_with_a_gold_span_of_their_label():
    report = span_scores(GOLD, PREDICTED, overlap=True)
    # PER: (a 0-5) and (b 0-4) overlap PER gold; (a 10-15) overlaps only an ORG: 2 of 3 right, both
    # gold found: P = 2/3, R = 1, F1 = 2(2/3)/(5/3) = 0.8
    assert report.labels["PER"] == Scores(pytest.approx(2 / 3), 1.0, pytest.approx(0.8), 2, 3, 2)
    assert report.overall.true_positives == 2
    # Touching is not overlapping: end is exclusive.
    assert span_scores([("a", 0, 5, "X")], [("a", 5, 9, "X")], overlap=True).overall.true_positives == 0


def test_each_gold_span_is_matched_once_greedily_by_largest_overlap():
    gold = [("d", 0, 10, "X")]
    predicted = [("d", 0, 3, "X"), ("d", 2, 10, "X")]
    # Both overlap the one gold span (3 and 8 characters); it goes to the larger, the other is wrong:
    # P = 1/2, R = 1/1.
    report = span_scores(gold, predicted, overlap=True)
    assert (report.overall.true_positives, report.overall.precision, report.overall.recall) == (1, 0.5, 1.0)

    # Greedy, not the best matching: (5-14) overlaps gold (0-10) by 5 and gold (12-20) by 2; (8-11)
    # overlaps only (0-10), by 2. Largest first pairs (5-14) with (0-10), after which (8-11) has
    # nothing left: 1 match, where pairing (5-14) with (12-20) would have made 2.
    gold = [("d", 0, 10, "X"), ("d", 12, 20, "X")]
    predicted = [("d", 5, 14, "X"), ("d", 8, 11, "X")]
    assert span_scores(gold, predicted, overlap=True).overall.true_positives == 1


def test_spans_are_multisets_and_documents_are_kept_apart():
    # The same gold span listed twice needs two predictions; one prediction matches once.
    twice = [("a", 0, 5, "X"), ("a", 0, 5, "X")]
    assert span_scores(twice, twice[:1]).overall == Scores(1.0, 0.5, pytest.approx(2 / 3), 1, 1, 2)
    assert span_scores([("a", 0, 5, "X")], [("b", 0, 5, "X")], overlap=True).overall.true_positives == 0


def test_character_scores_count_covered_characters_once_per_label():
    gold = [("d", 0, 10, "C"), ("d", 5, 15, "C")]  # overlapping gold covers 0-15: 15 characters
    predicted = [("d", 10, 20, "C"), ("e", 0, 10, "C")]  # 10 + 10 characters, the second elsewhere
    report = character_scores(gold, predicted)
    # Shared: 10-15 of document d = 5 characters. P = 5/20, R = 5/15, F1 = 2(1/4)(1/3)/(7/12) = 2/7
    assert report.labels["C"] == Scores(0.25, pytest.approx(1 / 3), pytest.approx(2 / 7), 5, 20, 15)
    # Another label over the same characters is not the same content.
    assert character_scores(gold, [("d", 0, 15, "D")]).overall.true_positives == 0


def test_accuracy():
    assert accuracy([(1, 1), (0, 1), (1, 1), (0, 0)]) == 0.75  # 3 of 4 agree
    assert accuracy([]) == 0.0


def test_average_precision_is_the_mean_precision_at_each_positive():
    # Ranked: + - + -. Precision at the 1st positive 1/1, at the 2nd 2/3: AP = (1 + 2/3)/2 = 5/6
    scored = [(0.9, True), (0.8, False), (0.7, True), (0.6, False)]
    assert average_precision(scored) == pytest.approx(5 / 6)
    assert average_precision(reversed(scored)) == pytest.approx(5 / 6)
    assert average_precision([(0.3, False)]) == 0.0  # no positive: nothing to find


def test_tied_scores_are_one_threshold_as_in_sklearn():
    # 0.5 (+, -) then 0.1 (+). The tie enters at once: precision 1/2 at recall 1/2; then 2/3 at
    # recall 1. AP = 1/2 * 1/2 + 1/2 * 2/3 = 7/12 (sklearn's average_precision_score gives the same),
    # whichever of the tied pair comes first.
    assert average_precision([(0.5, True), (0.5, False), (0.1, True)]) == pytest.approx(7 / 12)
    assert average_precision([(0.5, False), (0.5, True), (0.1, True)]) == pytest.approx(7 / 12)
    # All tied: one threshold with precision = the share of positives (the random baseline).
    assert average_precision([(1, True), (1, False), (1, False), (1, False)]) == 0.25


def test_results_become_plain_dicts():
    report = span_scores(GOLD, PREDICTED)
    plain = as_dict(report)
    assert plain["overall"] == {
        "precision": pytest.approx(1 / 3), "recall": pytest.approx(1 / 3), "f1": pytest.approx(1 / 3),
        "true_positives": 1, "predicted": 3, "gold": 3,
    }
    assert set(plain["labels"]) == {"ORG", "PER"} and plain["labels"]["ORG"]["gold"] == 1
    assert as_dict({"exact": report, "ap": 0.5})["exact"] == plain
    assert isinstance(report, Report)


# --- properties ---------------------------------------------------------------------------------------

spans = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]), st.integers(0, 40), st.integers(1, 15), st.sampled_from(["X", "Y", "Z"])
    ).map(lambda s: (s[0], s[1], s[1] + s[2], s[3])),
    min_size=1,
    max_size=12,
)


@given(spans)
def test_a_perfect_prediction_scores_one_and_an_empty_one_recalls_nothing(gold):
    for report in (span_scores(gold, gold), span_scores(gold, gold, overlap=True), character_scores(gold, gold)):
        assert (report.overall.precision, report.overall.recall, report.overall.f1) == (1.0, 1.0, 1.0)
    for report in (span_scores(gold, []), span_scores(gold, [], overlap=True), character_scores(gold, [])):
        assert (report.overall.recall, report.overall.f1, report.overall.true_positives) == (0.0, 0.0, 0)


@given(spans, spans)
def test_overlap_finds_at_least_what_exact_finds_and_all_stays_in_range(gold, predicted):
    exact, overlap = span_scores(gold, predicted), span_scores(gold, predicted, overlap=True)
    assert exact.overall.true_positives <= overlap.overall.true_positives <= min(len(gold), len(predicted))
    for report in (exact, overlap, character_scores(gold, predicted)):
        for s in [report.overall, *report.labels.values()]:
            assert 0 <= s.precision <= 1 and 0 <= s.recall <= 1 and 0 <= s.f1 <= 1


@given(st.lists(st.booleans(), min_size=1, max_size=30).filter(any), st.randoms())
def test_average_precision_of_a_perfect_ranking_is_one_and_order_does_not_matter(labels, rng: random.Random):
    perfect = [(1.0 if positive else 0.0, positive) for positive in labels]
    assert average_precision(perfect) == 1.0
    scored = [(rng.choice([0.1, 0.2, 0.3]), positive) for positive in labels]
    shuffled = scored[:]
    rng.shuffle(shuffled)
    assert average_precision(shuffled) == pytest.approx(average_precision(scored))
    # All tied: the share of positives, what a random ranking is worth on average.
    assert average_precision([(0.5, p) for p in labels]) == pytest.approx(sum(labels) / len(labels))


def _all_pairs_matched(first, second):
    """matched_pairs as it was first written: every range of `first` tried against every one of `second`."""
    candidates = sorted(
        (-(min(a_end, b_end) - max(a_start, b_start)), max(a_end, b_end) - min(a_start, b_start), i, j)
        for i, (a_start, a_end) in enumerate(first)
        for j, (b_start, b_end) in enumerate(second)
        if min(a_end, b_end) - max(a_start, b_start) > 0
    )
    used_first, used_second, pairs = set(), set(), []
    for _shared, _union, i, j in candidates:
        if i not in used_first and j not in used_second:
            used_first.add(i)
            used_second.add(j)
            pairs.append((i, j))
    return pairs


ranges = st.lists(
    st.tuples(st.integers(-5, 60), st.integers(-3, 40)).map(lambda r: (r[0], r[0] + r[1])), max_size=25
)


@given(ranges, ranges)
def test_matched_pairs_searching_by_start_pairs_as_trying_every_pair_does(first, second):
    assert matched_pairs(first, second) == _all_pairs_matched(first, second)
    assert matched_pairs(first, first) == _all_pairs_matched(first, first)
