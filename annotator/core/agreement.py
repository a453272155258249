"""Chance-corrected agreement between annotators: Cohen's κ, Fleiss' κ and Krippendorff's α (nominal).

Each function takes its units either one by one (an iterable) or counted (a mapping from a unit to how
many times it occurs): the characters of an article are counted in runs, not listed one by one.

- ``cohen_kappa``: two annotators, every unit labelled by both: ``(label_a, label_b)``. Chance is each
  annotator's own label shares (Cohen 1960): κ = (Ao − Ae) / (1 − Ae).
- ``fleiss_kappa``: every unit labelled by the same number m ≥ 2 of annotators: the labels given to it.
  Ao is the share of agreeing pairs of labels per unit, averaged; chance is the pooled label shares,
  squared (Fleiss 1971; nltk's ``AnnotationTask.pi``, multi-π).
- ``krippendorff_alpha``: units with any number of labels; a missing label is simply left out, and
  a unit with fewer than two labels cannot be paired and does not count (Krippendorff 2011, nominal
  distance): α = 1 − Do / De over the coincidence of the pairable labels.

Degenerate cases, as nltk treats them: when chance agreement is perfect (everyone used one label, and
agreed) the coefficient is 1.0. None means there was nothing to measure: no unit, or no pairable label.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from math import isclose

from annotator.core.tokens import is_word

Label = Hashable


@dataclass(frozen=True)
class Coefficient:
    """A coefficient with the observed agreement it corrects and how many units it rests on."""

    value: float | None
    observed: float | None  # share of agreeing pairs of labels
    units: int

    def as_dict(self) -> dict:
        return {"value": self.value, "observed": self.observed, "units": self.units}


def _counted(units) -> Iterator[tuple[object, int]]:
    if isinstance(units, Mapping):
        yield from ((unit, weight) for unit, weight in units.items() if weight)
    else:
        yield from ((unit, 1) for unit in units)


def _corrected(observed: float, expected: float) -> float:
    if isclose(expected, 1.0):
        return 1.0  # one label used by everyone: nominal labels cannot then disagree
    return (observed - expected) / (1.0 - expected)


def cohen_kappa(pairs: Iterable[tuple[Label, Label]] | Mapping[tuple[Label, Label], int]) -> Coefficient:
    """Cohen's κ of two annotators from the (a's label, b's label) of each unit."""
    n = agreed = 0
    first: Counter = Counter()
    second: Counter = Counter()
    for (a, b), weight in _counted(pairs):
        n += weight
        agreed += weight * (a == b)
        first[a] += weight
        second[b] += weight
    if not n:
        return Coefficient(None, None, 0)
    observed = agreed / n
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    return Coefficient(_corrected(observed, expected), observed, n)


def fleiss_kappa(units: Iterable[Sequence[Label]] | Mapping[tuple[Label, ...], int]) -> Coefficient:
    """Fleiss' κ from the labels each unit was given, the same number (two or more) for every unit."""
    n = 0
    raters = None
    agreement = 0.0
    totals: Counter = Counter()
    for labels, weight in _counted(units):
        if raters is None:
            raters = len(labels)
            if raters < 2:
                raise ValueError("Fleiss' kappa needs two or more labels per unit")
        elif len(labels) != raters:
            raise ValueError(f"Fleiss' kappa needs as many labels on every unit: {raters} and {len(labels)}")
        counts = Counter(labels)
        agreement += weight * sum(c * (c - 1) for c in counts.values()) / (raters * (raters - 1))
        for label, c in counts.items():
            totals[label] += weight * c
        n += weight
    if not n:
        return Coefficient(None, None, 0)
    observed = agreement / n
    all_labels = n * raters
    expected = sum((count / all_labels) ** 2 for count in totals.values())
    return Coefficient(_corrected(observed, expected), observed, n)


class Coincidences:
    """Krippendorff's coincidence matrix (nominal), filled a unit at a time."""

    def __init__(self) -> None:
        self.matrix: Counter = Counter()  # (c, k) -> coincidences of c and k in units
        self.units = 0

    def add(self, labels: Sequence[Label], weight: int = 1) -> None:
        """One unit's labels (the missing ones left out); fewer than two are not pairable and ignored."""
        m = len(labels)
        if m < 2 or not weight:
            return
        counts = Counter(labels)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    self.matrix[c, k] += weight * pairs / (m - 1)
        self.units += weight

    def observed_disagreement(self) -> float | None:
        """Do: the share of pairable labels that a label of the same unit differs from."""
        n = sum(self.matrix.values())
        if not n:
            return None
        return sum(v for (c, k), v in self.matrix.items() if c != k) / n

    def alpha(self) -> Coefficient:
        n = sum(self.matrix.values())
        if not n:
            return Coefficient(None, None, 0)
        margins: Counter = Counter()
        for (c, _k), v in self.matrix.items():
            margins[c] += v
        observed = self.observed_disagreement() or 0.0
        # De: the disagreement of two labels drawn without replacement from all pairable labels.
        same = sum(nc * (nc - 1) for nc in margins.values())
        expected = (n * (n - 1) - same) / (n * (n - 1)) if n > 1 else 0.0
        if isclose(expected, 0.0):
            return Coefficient(1.0, 1.0 - observed, self.units)
        return Coefficient(1.0 - observed / expected, 1.0 - observed, self.units)


def krippendorff_alpha(units: Iterable[Sequence[Label]] | Mapping[tuple[Label, ...], int]) -> Coefficient:
    """Krippendorff's α (nominal) from the labels each unit was given, missing ones left out."""
    coincidences = Coincidences()
    for labels, weight in _counted(units):
        coincidences.add(labels, weight)
    return coincidences.alpha()


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None; None if none is."""
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


# --- units: tokens and characters labelled by the spans covering them ----------------------------------

Range = tuple[int, int]
OUTSIDE = "O"  # the label of a token or character no span of the layer covers


def tokens(text: str) -> list[Range]:
    """The tokens of a text as core.tokens sees them: a run of word characters (letters, digits,
    combining marks, joiners), or a single other character that is not white space."""
    found: list[Range] = []
    i, length = 0, len(text)
    while i < length:
        char = text[i]
        if char.isspace():
            i += 1
        elif is_word(char):
            start = i
            while i < length and is_word(text[i]):
                i += 1
            found.append((start, i))
        else:
            found.append((i, i + 1))
            i += 1
    return found


def token_labels(ranges: Sequence[Range], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """Each token's label: that of the span sharing most characters with it (of equal ones the shorter
    span, then the first label by name), or OUTSIDE when no span touches it."""
    starts = [start for start, _ in ranges]
    best: dict[int, tuple[int, int, str]] = {}  # token -> (-shared, span length, label)
    for start, end, label in spans:
        i = max(0, bisect_right(starts, start) - 1)
        while i < len(ranges) and ranges[i][0] < end:
            shared = min(end, ranges[i][1]) - max(start, ranges[i][0])
            if shared > 0:
                candidate = (-shared, end - start, label)
                if i not in best or candidate < best[i]:
                    best[i] = candidate
            i += 1
    return [best[i][2] if i in best else OUTSIDE for i in range(len(ranges))]


def speaker_groups(text: str, speakers: Iterable[Range | str]) -> dict[Range | str, int]:
    """Speakers grouped as one person: ranges that overlap, or the same words whatever their case and
    spacing (a range's words or a typed name). Each speaker -> the number of its group."""
    found = list(dict.fromkeys(speakers))
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_words: dict[str, int] = {}
    for i, speaker in enumerate(found):
        said = speaker if isinstance(speaker, str) else text[speaker[0] : speaker[1]]
        words = " ".join(said.split()).casefold()
        if words in by_words:
            parent[root(i)] = root(by_words[words])
        else:
            by_words[words] = i
        if not isinstance(speaker, str):
            for j in range(i):
                other = found[j]
                if not isinstance(other, str) and speaker[0] < other[1] and other[0] < speaker[1]:
                    parent[root(i)] = root(j)
    return {speaker: root(i) for i, speaker in enumerate(found)}
