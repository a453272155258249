"""The agreement coefficients on hand-made cases with known answers, and against nltk's AnnotationTask
(a test oracle only: nltk is a dev dependency, never a runtime one)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from nltk.metrics import agreement  # the test oracle (the dev extra), never a runtime dependency
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import (
    OUTSIDE,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    speaker_groups,
    token_labels,
    tokens,
)
from annotator.core.scoring import matched_pairs
from annotator.core.agreement_compare import Annotations, Comparison
from annotator.core.model import Layer, Span



def task(rows: list[list[str | None]]):
    """nltk's AnnotationTask of rows (one per coder, one label per item; None: missing)."""
    return agreement.AnnotationTask(
        [(f"c{c}", i, label) for c, row in enumerate(rows) for i, label in enumerate(row) if label is not None]
    )


def units(rows: list[list[str | None]]) -> list[tuple[str, ...]]:
    return [tuple(label for label in column if label is not None) for column in zip(*rows)]


# --- known answers ------------------------------------------------------------------------------------------


def test_perfect_agreement_is_one():
    rows = [["PER", "O", "ORG", "O"], ["PER", "O", "ORG", "O"], ["PER", "O", "ORG", "O"]]
    assert cohen_kappa(zip(rows[0], rows[1])).value == 1.0
    assert fleiss_kappa(units(rows)).value == 1.0
    assert krippendorff_alpha(units(rows)).value == 1.0


def test_agreement_at_chance_is_zero():
    # Each says x half the time, independently of the other: observed agreement 0.5 is all chance.
    first, second = ["x", "x", "y", "y"], ["x", "y", "x", "y"]
    assert cohen_kappa(zip(first, second)).value == pytest.approx(0.0)
    assert cohen_kappa(zip(first, second)).observed == 0.5


def test_cohen_textbook_table():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 (Wikipedia's example): κ = 0.4.
    table = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    found = cohen_kappa(table)
    assert found.value == pytest.approx(0.4)
    assert found.units == 50


def test_fleiss_textbook_example():
    # Fleiss (1971) as Wikipedia works it: 10 subjects, 14 raters, 5 categories: κ = 0.210.
    counts = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
              [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    subjects = [tuple(str(k) for k, n in enumerate(row) for _ in range(n)) for row in counts]
    assert fleiss_kappa(subjects).value == pytest.approx(0.210, abs=5e-4)


def test_krippendorff_missing_data_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units, gaps;
    # nominal α = 0.743. A unit with one value (the last) cannot be paired and does not count.
    rows = [
        ["1", "2", "3", "3", "2", "1", "4", "1", "2", None, None, None],
        ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", None, "3"],
        [None, "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", None],
        ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", None],
    ]
    found = krippendorff_alpha(units(rows))
    assert found.value == pytest.approx(0.743, abs=5e-4)
    assert found.units == 11
    assert found.value == pytest.approx(task(rows).alpha())


def test_missing_is_not_outside():
    # One annotator did not annotate the second half: missing, so α sees only the agreeing half.
    rows = [["A", "O", "A", "O"], ["A", "O", None, None]]
    assert krippendorff_alpha(units(rows)).value == 1.0
    assert krippendorff_alpha(units([["A", "O", "A", "O"], ["A", "O", "O", "O"]])).value < 1.0


def test_nothing_to_measure_is_none():
    assert cohen_kappa([]).value is None
    assert fleiss_kappa([]).value is None
    assert krippendorff_alpha([("A",), ("B",)]).value is None  # no unit has two values


def test_fleiss_needs_as_many_labels_per_unit():
    with pytest.raises(ValueError):
        fleiss_kappa([("A", "B"), ("A", "B", "A")])


def test_counted_units_equal_listed_units():
    listed = [("A", "A"), ("A", "B"), ("A", "A"), ("B", "B")]
    assert krippendorff_alpha(Counter(listed)) == krippendorff_alpha(listed)
    assert cohen_kappa(Counter(listed)) == cohen_kappa(listed)


# --- property checks against nltk ---------------------------------------------------------------------------

LABELS = st.sampled_from(["O", "PER", "ORG", "LOC"])


@st.composite
def complete(draw, coders: int | None = None):
    n_coders = coders or draw(st.integers(2, 5))
    n_items = draw(st.integers(2, 30))
    return [[draw(LABELS) for _ in range(n_items)] for _ in range(n_coders)]


@settings(max_examples=150, deadline=None)
@given(complete(coders=2))
def test_cohen_equals_nltk_kappa(rows):
    assert cohen_kappa(zip(*rows)).value == pytest.approx(task(rows).kappa_pairwise("c0", "c1"))


@settings(max_examples=150, deadline=None)
@given(complete())
def test_fleiss_equals_nltk_multi_pi(rows):
    # Fleiss' κ is Scott's π for many coders: nltk's pi() (multi-π), with every coder on every item.
    assert fleiss_kappa(units(rows)).value == pytest.approx(task(rows).pi())


@settings(max_examples=150, deadline=None)
@given(complete())
def test_mean_pairwise_cohen_equals_nltk_kappa(rows):
    pairs = [cohen_kappa(zip(rows[a], rows[b])).value for a, b in combinations(range(len(rows)), 2)]
    assert sum(pairs) / len(pairs) == pytest.approx(task(rows).kappa())


@settings(max_examples=200, deadline=None)
@given(complete(), st.data())
def test_alpha_equals_nltk_alpha_with_missing_data(rows, data):
    gaps = data.draw(st.lists(st.booleans(), min_size=len(rows) * len(rows[0]), max_size=len(rows) * len(rows[0])))
    holed = [[None if gaps[c * len(row) + i] else label for i, label in enumerate(row)] for c, row in enumerate(rows)]
    pairable = [u for u in units(holed) if len(u) >= 2]
    if not pairable:
        assert krippendorff_alpha(units(holed)).value is None
        return
    assert krippendorff_alpha(units(holed)).value == pytest.approx(task(holed).alpha())


# --- units -------------------------------------------------------------------------------------------------


def test_tokens_are_word_runs_and_single_other_characters():
    text = "Dr. O’Neil said: “no”."
    assert [text[s:e] for s, e in tokens(text)] == ["Dr", ".", "O", "’", "Neil", "said", ":", "“", "no", "”", "."]


def test_token_labels_take_the_span_sharing_most():
    text = "Maria Lopez met the mayor of Rome"
    ranges = tokens(text)
    spans = [(0, 11, "PER"), (16, 33, "PER"), (29, 33, "LOC")]
    labels = token_labels(ranges, spans)
    assert labels == ["PER", "PER", OUTSIDE, "PER", "PER", "PER", "LOC"]
    assert token_labels(ranges, [(2, 4, "PER")]) == ["PER"] + [OUTSIDE] * 6  # a part of a token labels it


def test_matched_pairs_one_to_one_largest_overlap_first():
    assert matched_pairs([(0, 10), (20, 30)], [(5, 25), (0, 9)]) == [(0, 1), (1, 0)]


def test_speaker_groups_by_overlap_or_same_words():
    text = "The Minister said so. the minister agreed."
    groups = speaker_groups(text, [(0, 12), (4, 12), (22, 34), "Someone Else", "someone  else"])
    assert groups[(0, 12)] == groups[(4, 12)] == groups[(22, 34)]
    assert groups["Someone Else"] == groups["someone  else"] != groups[(0, 12)]


# --- the comparison -----------------------------------------------------------------------------------------

TEXT = "Maria Lopez said prices will fall. The mayor said the bridge will open."


def span(words: str, layer=Layer.ENTITY, label="PER", **attributes) -> Span:
    start = TEXT.index(words)
    return Span(start, start + len(words), label, layer, attributes=attributes)


def test_identical_annotators_agree_perfectly():
    mine = [span("Maria Lopez"), span("prices will fall", Layer.STATEMENT, "STATEMENT", kind="indirect")]
    theirs = [s.with_changes(uid=s.uid + "x") for s in mine]
    comparison = Comparison(["ana", "ben"], list(Layer))
    comparison.add(Annotations(1, "t", TEXT, {"ana": mine, "ben": theirs}, frozenset({"ana", "ben"})))
    result = comparison.result()
    entity = result.pairs[0].layers[Layer.ENTITY]
    assert entity.exact.overall.f1 == 1.0 and entity.token_kappa.value == 1.0 and entity.unitizing.value == 1.0
    assert result.overall[Layer.STATEMENT].attributes["kind"].agreed == 1
    assert result.overall[Layer.CLAIM].token_kappa.value is None  # nobody made a claim: nothing to agree on
    assert result.disagreements[0].disagreement == 0.0


def test_a_document_someone_did_not_annotate_is_missing():
    comparison = Comparison(["ana", "ben", "cy"], [Layer.ENTITY])
    comparison.add(Annotations(1, "t", TEXT, {"ana": [span("Maria Lopez")], "ben": [span("Maria Lopez")]},
                               frozenset({"ana", "ben"})))
    result = comparison.result()
    assert result.documents == 1 and result.all_annotated == 0
    assert result.overall[Layer.ENTITY].token_alpha.value == 1.0  # cy's silence is not "no entity"
    assert [p.documents for p in result.pairs] == [1, 0, 0]
