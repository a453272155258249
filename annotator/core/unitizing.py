"""Krippendorff's unitizing alpha (uα): agreement on where units lie on a continuum and what they are.

Here the continuum is the characters of a text (documents laid end to end), and each annotator's spans
of a label are that label's units; the stretches between them are gaps. Per label (category) c, every
pair of annotators is compared segment by segment (unit or gap) wherever two segments overlap:

- two units: the squared differences of their starts and of their ends, (b₁−b₂)² + (e₁−e₂)²;
- a unit inside the other annotator's gap: the unit's length squared;
- anything else (two gaps, a gap inside a unit, partial unit–gap overlap): nothing.

Do(c) = 2 Σ distances / (R (R−1) L²), for R annotators over a continuum of length L. De(c) is the
disagreement of every way the same units could fall on the continuum (Krippendorff 1995, corrected as
in 2004): De(c) = 2/L · Σ_units of c [(N_c−1)(2l³−3l²+l)/3 + l² Σ_gaps g≥l (g−l+1)]
/ (RL(RL−1) − Σ l(l−1)), N_c the number of units of c, the gaps those of every annotator for c. uα(c) = 1 − Do(c)/De(c); the
overall uα is 1 − mean Do / mean De over the labels that have a unit. As in DKPro, when Do = De
the value is 0.0 (and not NaN: a single unit, no agreement beyond chance).

Ported from DKPro Statistics (Apache License 2.0, © 2014 UKP Lab, Technische Universität Darmstadt;
Christian M. Meyer, Christian Stab), ``org.dkpro.statistics.agreement.unitizing.
KrippendorffAlphaUnitizingAgreement``, and checked against its tests reproducing the published examples:
Krippendorff, K. (1995) "On the reliability of unitizing continuous data", Sociological Methodology 25:
47–76; Krippendorff, K. (2004) "Content Analysis: An Introduction to Its Methodology", 2nd ed., Sage
(and "Measuring the reliability of qualitative text analysis data", Quality & Quantity 38, 2004).

Two differences from DKPro, both about input it does not accept: units of one label by one annotator
must not overlap there (DKPro's walk breaks); here they are merged into their union (touching units stay
two). Units are clipped to the continuum and empty ones dropped. Arithmetic is exact (fractions).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import accumulate, combinations

Label = Hashable
Rater = Hashable
# A segment of one annotator's track for one label: (start, length, is a unit); gaps are not units.
Segment = tuple[int, int, bool]


def distance(start1: int, length1: int, unit1: bool, start2: int, length2: int, unit2: bool) -> int:
    """The distance of two overlapping segments of one label, as DKPro's ``measureDistance``."""
    begin_diff = start1 - start2
    length_diff = length1 - length2
    if unit1 and unit2 and -length1 < begin_diff < length2:
        return begin_diff * begin_diff + (begin_diff + length_diff) ** 2
    if unit1 and not unit2 and -length_diff >= begin_diff >= 0:  # 1's unit lies inside 2's gap
        return length1 * length1
    if not unit1 and unit2 and -length_diff <= begin_diff <= 0:  # 2's unit lies inside 1's gap
        return length2 * length2
    return 0


@dataclass(frozen=True)
class UnitizingAlpha:
    value: float | None  # overall uα; None: no unit at all, or fewer than two annotators or characters
    observed: float | None  # Do, the mean over the labels
    expected: float | None  # De, the mean over the labels
    labels: dict = field(default_factory=dict)  # label -> its uα
    length: int = 0  # the continuum: characters compared
    units: int = 0  # units of every label and annotator

    def as_dict(self) -> dict:
        return {"value": self.value, "observed": self.observed, "expected": self.expected,
                "labels": {str(label): value for label, value in self.labels.items()},
                "length": self.length, "units": self.units}


NOTHING = UnitizingAlpha(None, None, None)


class Unitizing:
    """One continuum and each annotator's units on it, for uα. ``add`` lays a document at its end."""

    def __init__(self, raters: Sequence[Rater], begin: int = 0, length: int = 0) -> None:
        self.raters = tuple(raters)
        self.begin = begin
        self.length = length
        self.units: dict[Label, dict[Rater, list[tuple[int, int]]]] = {}  # label -> rater -> [(start, end)]

    def add_unit(self, rater: Rater, start: int, end: int, label: Label) -> None:
        """A unit at absolute positions start..end (end excluded) of the continuum."""
        if rater not in self.raters:
            raise ValueError(f"unknown annotator {rater!r}")
        self.units.setdefault(label, {}).setdefault(rater, []).append((start, end))

    def add(self, length: int, spans: dict[Rater, Iterable[tuple[int, int, Label]]]) -> None:
        """A document of ``length`` characters at the end of the continuum, with each annotator's
        (start, end, label) spans in it."""
        offset = self.begin + self.length
        for rater, found in spans.items():
            for start, end, label in found:
                start, end = max(0, start), min(length, end)
                if end > start:
                    self.add_unit(rater, offset + start, offset + end, label)
        self.length += length

    def _track(self, label: Label, rater: Rater) -> list[Segment]:
        """The rater's units of the label (overlapping ones merged) and the gaps between, in order,
        covering the continuum."""
        lo, hi = self.begin, self.begin + self.length
        merged: list[list[int]] = []
        for start, end in sorted(self.units.get(label, {}).get(rater, ())):
            start, end = max(lo, start), min(hi, end)
            if end <= start:
                continue
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        track: list[Segment] = []
        at = lo
        for start, end in merged:
            if start > at:
                track.append((at, start - at, False))
            track.append((start, end - start, True))
            at = end
        if at < hi:
            track.append((at, hi - at, False))
        return track

    def _tracks(self, label: Label) -> list[list[Segment]]:
        """Every annotator's track of the label, in the order of ``raters``."""
        return [self._track(label, rater) for rater in self.raters]

    def observed(self, label: Label, tracks: list[list[Segment]] | None = None) -> Fraction:
        """Do of the label: every pair of annotators' overlapping segments, their distances summed.
        ``tracks``: the label's ``_tracks``, when the caller already built them."""
        r, length = len(self.raters), self.length
        tracks = self._tracks(label) if tracks is None else tracks
        total = 0
        for first, second in combinations(tracks, 2):
            i = j = 0
            while i < len(first) and j < len(second):
                total += distance(*first[i], *second[j])
                end1, end2 = first[i][0] + first[i][1], second[j][0] + second[j][1]
                i += end1 <= end2
                j += end2 <= end1
        return Fraction(2 * total, r * (r - 1) * length * length)

    def expected(self, label: Label, tracks: list[list[Segment]] | None = None) -> Fraction:
        """De of the label: how far apart its units would be, wherever they fell on the continuum.
        ``tracks``: the label's ``_tracks``, when the caller already built them."""
        r, length = len(self.raters), self.length
        tracks = self._tracks(label) if tracks is None else tracks
        lengths = [size for track in tracks for _, size, unit in track if unit]
        gaps = sorted(size for track in tracks for _, size, unit in track if not unit)
        suffix = list(accumulate(reversed(gaps), initial=0))[::-1]  # suffix[i] = sum(gaps[i:])
        count = len(lengths)
        squared = sum(size * (size - 1) for size in lengths)
        total = 0
        for size in lengths:
            within = (count - 1) * (2 * size**3 - 3 * size**2 + size) // 3  # l(l-1)(2l-1) is divisible by 6
            i = bisect_left(gaps, size)  # the gaps at least as long as the unit
            fits = suffix[i] - (len(gaps) - i) * (size - 1)  # Σ (g - l + 1)
            total += within + size * size * fits
        denominator = length * (r * length * (r * length - 1) - squared)
        return Fraction(2 * total, denominator) if denominator else Fraction(0)

    def label_alpha(self, label: Label) -> float | None:
        if len(self.raters) < 2 or not self.length:
            return None
        tracks = self._tracks(label)
        return _alpha(self.observed(label, tracks), self.expected(label, tracks))

    def alpha(self) -> UnitizingAlpha:
        """uα overall and per label (the labels that have a unit), as DKPro defines them."""
        labels = sorted((label for label, by in self.units.items() if any(by.values())), key=str)
        units = sum(len(found) for by in self.units.values() for found in by.values())
        if len(self.raters) < 2 or not self.length or not labels:
            return UnitizingAlpha(None, None, None, {}, self.length, units)
        observed, expected = {}, {}
        for label in labels:
            tracks = self._tracks(label)  # built once for both
            observed[label], expected[label] = self.observed(label, tracks), self.expected(label, tracks)
        mean_observed = sum(observed.values()) / len(labels)
        mean_expected = sum(expected.values()) / len(labels)
        return UnitizingAlpha(_alpha(mean_observed, mean_expected), float(mean_observed), float(mean_expected),
                              {label: _alpha(observed[label], expected[label]) for label in labels},
                              self.length, units)


def _alpha(observed: Fraction, expected: Fraction) -> float | None:
    if observed == expected:
        return 0.0  # DKPro: no agreement beyond chance (also when both are 0)
    if expected == 0:
        return None  # disagreement where none could be expected (DKPro: -infinity)
    return float(1 - observed / expected)


def unitizing_alpha(length: int, raters: Sequence[Rater], units: Iterable[tuple[Rater, int, int, Label]],
                    begin: int = 0) -> UnitizingAlpha:
    """uα of one continuum begin..begin+length from each (annotator, start, end, label) unit."""
    study = Unitizing(raters, begin, length)
    for rater, start, end, label in units:
        study.add_unit(rater, start, end, label)
    return study.alpha()
