"""Krippendorff's unitizing alpha (core.unitizing) against the numbers of DKPro Statistics' own tests
(Apache-2.0; org.dkpro.statistics.agreement.unitizing: UnitizingAgreementTest, Krippendorff1995Test,
Krippendorff2004Test), which reproduce the worked examples of Krippendorff (1995: p. 57) and (2004: p. 254)."""

from __future__ import annotations

import pytest

from annotator.core.agreement_compare import Annotations, Comparison
from annotator.core.model import Layer, Span
from annotator.core.unitizing import Unitizing, distance, unitizing_alpha


def study(raters: int, length: int, units, begin: int = 0) -> Unitizing:
    """units: (start, length, rater, label), in DKPro's addUnit order."""
    found = Unitizing(range(raters), begin, length)
    for start, size, rater, label in units:
        found.add_unit(rater, start, start + size, label)
    return found


# --- DKPro's UnitizingAgreementTest ------------------------------------------------------------------------

def test_distance_as_dkpro_measures_it():
    assert distance(0, 1, False, 0, 2, False) == 0
    assert distance(1, 8, True, 0, 2, False) == 0
    assert distance(1, 8, True, 2, 1, True) == 37
    assert distance(1, 8, True, 3, 1, False) == 0
    assert distance(1, 8, True, 4, 1, True) == 25
    assert distance(1, 8, True, 5, 1, False) == 0
    assert distance(1, 8, True, 6, 1, True) == 29
    assert distance(1, 8, True, 7, 4, False) == 0
    assert distance(9, 2, False, 7, 4, False) == 0


def test_one_long_unit_against_three_short_ones():
    # r0: -11111111-
    # r1: --1-1-1---
    found = study(2, 10, [(1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A")])
    assert float(found.observed("A")) == pytest.approx(0.9100, abs=0.0001)
    assert float(found.expected("A")) == pytest.approx(0.5351, abs=0.0001)
    assert found.label_alpha("A") == pytest.approx(-0.7003, abs=0.0001)


def test_a_single_unit_is_no_agreement_beyond_chance():
    assert study(3, 20, [(0, 1, 0, "X")]).alpha().value == 0.0


def test_no_unit_at_all_has_no_value():
    assert study(3, 20, []).alpha().value is None  # DKPro: NaN


# --- DKPro's Krippendorff2004Test: Krippendorff (2004: p. 254) ----------------------------------------------

def test_distances_of_krippendorff_2004():
    assert distance(2, 3, False, 2, 2, True) + distance(5, 6, True, 4, 7, False) == 40
    assert distance(3, 2, False, 3, 2, True) + distance(5, 6, True, 5, 6, False) == 40
    assert [distance(5, 6, True, start, size, True) for start, size in [(4, 2), (5, 2), (6, 2), (7, 2), (6, 4), (5, 6)]] \
        == [26, 16, 10, 8, 2, 0]
    assert distance(225, 70, True, 220, 80, True) == 50
    assert distance(370, 30, True, 355, 20, True) == 850
    assert distance(400, 50, False, 400, 20, True) == 400


def krippendorff_2004() -> Unitizing:
    return study(2, 300, [(225, 70, 0, "c"), (370, 30, 0, "c"), (220, 80, 1, "c"), (355, 20, 1, "c"),
                          (400, 20, 1, "c"), (180, 60, 0, "k"), (300, 50, 0, "k"), (180, 60, 1, "k"),
                          (300, 50, 1, "k")], begin=150)


def test_krippendorff_2004_overall():
    assert krippendorff_2004().alpha().value == pytest.approx(0.8591, abs=0.0005)


def test_krippendorff_2004_per_category():
    found = krippendorff_2004()
    assert float(found.observed("c")) == pytest.approx(0.0144, abs=0.0001)
    assert float(found.expected("c")) == pytest.approx(0.0532, abs=0.0001)
    assert found.label_alpha("c") == pytest.approx(0.7286, abs=0.0001)
    assert float(found.observed("k")) == 0.0
    assert float(found.expected("k")) == pytest.approx(0.0490, abs=0.0001)
    assert found.label_alpha("k") == 1.0
    assert found.alpha().labels == {"c": pytest.approx(0.7286, abs=0.0001), "k": 1.0}


# --- DKPro's Krippendorff1995Test: Krippendorff (1995: p. 57) -----------------------------------------------

def krippendorff_1995(stretch: float) -> Unitizing:
    # A Bertha:  0 0|1 1 1 1 1 1 1 1|0 0 0 0|1 1 1 1 1 1|0 0 0 0
    #   Bill:    0 0 0 0|1 1 1 1|0 0 0 0 0 0 0|1 1|0 0 0 0 0 0 0
    # B John:    1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1|0 0 0 0 0 0
    #   Jill:    1 1|1|1|1|1|1 1 1|1|0 0 0 0 0 0 0 0 0 0 0 0 0 0
    # C Gerret:  0 0|1 1 1 1 1 1|0 0|1 1|0 0|1 1 1 1|0 0|1 1|0 0
    #   Gill:    1 1|0 0|1 1 1 1|0 0|1 1 1 1|0 0|1 1|0 0|1 1|0 0
    # D Heather: 1 1|1 1 1 1 1 1 1 1|1 1 1 1|1 1 1 1 1 1|1 1 1 1
    #   Hill:    1 1 1 1|1 1 1 1|1 1 1 1 1 1 1|1 1|1 1 1 1 1 1 1
    units = [
        (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
        (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"), (5, 1, 1, "B"),
        (6, 3, 1, "B"), (9, 1, 1, "B"),
        (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"), (4, 4, 1, "C"),
        (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
        (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"), (0, 4, 1, "D"),
        (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
    ]
    return study(2, int(24 * stretch), [(int(s * stretch), int(n * stretch), r, c) for s, n, r, c in units])


def test_krippendorff_1995_observed():
    found = krippendorff_1995(1)
    for label, value in {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}.items():
        assert float(found.observed(label)) == pytest.approx(value, abs=0.00001), label


def test_krippendorff_1995_expected_and_alpha():
    found = krippendorff_1995(1200000 // 24)
    for label, value in {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}.items():
        assert float(found.expected(label)) == pytest.approx(value, abs=0.005), label
    for label, value in {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}.items():
        assert found.label_alpha(label) == pytest.approx(value, abs=0.02), label


@pytest.mark.parametrize("stretch, expected, alpha", [
    (12 / 24, 0.05494, 0.494), (120 / 24, 0.08234, 0.663), (1200 / 24, 0.08600, 0.677),
    (12000 / 24, 0.08638, 0.678), (120000 / 24, 0.08642, 0.679),
])
def test_krippendorff_1995_varying_lengths(stretch, expected, alpha):
    found = krippendorff_1995(stretch)
    assert float(found.observed("C")) == pytest.approx(0.02777, abs=0.00001)
    tolerance = 0.00001 if stretch == 12 / 24 else 0.005
    assert float(found.expected("C")) == pytest.approx(expected, abs=tolerance)
    assert found.label_alpha("C") == pytest.approx(alpha, abs=0.02)


# --- simple cases ------------------------------------------------------------------------------------------

def test_perfect_agreement_is_one():
    units = [(r, s, e, label) for r in ("ana", "ben", "cy") for s, e, label in [(2, 5, "A"), (7, 12, "B"), (12, 14, "A")]]
    found = unitizing_alpha(20, ["ana", "ben", "cy"], units)
    assert found.value == 1.0 and found.labels == {"A": 1.0, "B": 1.0} and found.observed == 0.0


def test_overlapping_units_of_one_annotator_are_merged():
    merged = unitizing_alpha(20, ["a", "b"], [("a", 2, 6, "X"), ("a", 4, 9, "X"), ("b", 2, 9, "X")])
    assert merged.value == 1.0


def test_documents_are_laid_end_to_end():
    found = Unitizing(["a", "b"])
    found.add(10, {"a": [(2, 5, "X")], "b": [(2, 5, "X")]})
    found.add(10, {"a": [(0, 4, "X")], "b": [(1, 4, "X")]})
    alone = unitizing_alpha(20, ["a", "b"], [("a", 2, 5, "X"), ("b", 2, 5, "X"), ("a", 10, 14, "X"),
                                             ("b", 11, 14, "X")])
    assert found.length == 20 and found.alpha() == alone


def test_the_comparison_reports_unitizing_alpha_per_layer_and_label():
    text = "Maria Lopez said prices will fall. The mayor said the bridge will open."

    def span(words: str, label: str = "PER") -> Span:
        start = text.index(words)
        return Span(start, start + len(words), label, Layer.ENTITY)

    ana = [span("Maria Lopez"), span("The mayor", "ROLE")]
    ben = [span("Maria Lopez"), span("mayor", "ROLE")]
    comparison = Comparison(["ana", "ben"], [Layer.ENTITY])
    comparison.add(Annotations(1, "t", text, {"ana": ana, "ben": ben}, frozenset({"ana", "ben"})))
    result = comparison.result()
    found = result.pairs[0].layers[Layer.ENTITY].unitizing
    assert found.labels["PER"] == 1.0 and found.labels["ROLE"] < 1.0
    assert found.length == len(text) and result.overall[Layer.ENTITY].unitizing == found
