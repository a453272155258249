"""The measures every evaluation uses: span precision/recall/F1 (exact or overlapping), character F1,
accuracy and average precision. Pure Python, so tests, benchmarks and the app score alike.

A span is ``(doc_key, start, end, label)`` with code-point offsets, ``end`` exclusive. Gold and
predicted spans are multisets: a span listed twice must be matched twice.

Where a measure divides by zero (nothing predicted, nothing gold) it is 0.0, as sklearn's
``zero_division=0`` and seqeval do: an empty prediction earns no precision, not a perfect one.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

SpanKey = tuple[Hashable, int, int, str]  # (doc_key, start, end, label)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_positives: int  # matched spans, or characters for character_scores
    predicted: int
    gold: int

    @classmethod
    def of(cls, true_positives: int, predicted: int, gold: int) -> Scores:
        precision = true_positives / predicted if predicted else 0.0
        recall = true_positives / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1, true_positives, predicted, gold)


@dataclass(frozen=True)
class Report:
    overall: Scores  # micro: counts summed over labels
    labels: dict[str, Scores]  # every label in gold or predicted, in sorted order


def span_scores(gold: Iterable[SpanKey], predicted: Iterable[SpanKey], overlap: bool = False) -> Report:
    """Per label and overall. Exact: a predicted span is right when a gold span has the same document,
    range and label. ``overlap``: when it shares at least one character with a gold span of the same
    document and label; each gold span is matched at most once, pairs taken greedily by largest overlap."""
    gold, predicted = list(gold), list(predicted)
    matched = _overlap_matches(gold, predicted) if overlap else _exact_matches(gold, predicted)
    return _report(matched, Counter(s[3] for s in predicted), Counter(s[3] for s in gold))


def character_scores(gold: Iterable[SpanKey], predicted: Iterable[SpanKey]) -> Report:
    """Per label and overall, over characters: a character counts once per label however many spans of
    that label cover it. PolNeAR's "content character F1": partial credit for a span cut short."""
    gold_cover, predicted_cover = _coverage(gold), _coverage(predicted)
    matched: Counter[str] = Counter()
    for key, ranges in predicted_cover.items():
        if key in gold_cover:
            matched[key[1]] += _intersection(ranges, gold_cover[key])
    return _report(matched, _lengths(predicted_cover), _lengths(gold_cover))


def accuracy(pairs: Iterable[tuple[object, object]]) -> float:
    """Share of (gold, predicted) pairs that are equal; 0.0 for no pairs."""
    total = right = 0
    for gold, predicted in pairs:
        total += 1
        right += gold == predicted
    return right / total if total else 0.0


def average_precision(scored: Iterable[tuple[float, bool]]) -> float:
    """Non-interpolated average precision of (score, is_positive), highest score first: the mean, over
    the positives, of the precision at each one's rank; 0.0 when there is no positive.

    Ties are handled as sklearn's ``average_precision_score`` does: items with equal scores form one
    threshold, entered together, so the result does not depend on the input order. Each positive of a
    tied group gets the precision after the whole group: AP = sum over thresholds of
    (recall gained) x (precision there).
    """
    ranked = sorted(((float(s), bool(p)) for s, p in scored), key=lambda item: -item[0])
    positives = sum(p for _, p in ranked)
    if not positives:
        return 0.0
    total = seen = hits = 0.0
    for _score, group in groupby(ranked, key=lambda item: item[0]):
        labels = [p for _, p in group]
        seen += len(labels)
        gained = sum(labels)
        hits += gained
        total += gained * hits / seen
    return total / positives


def as_dict(result) -> dict:
    """A result (Scores, Report, or a dict of them) as plain dicts, lists and numbers, for ``--json``."""
    if dataclasses.is_dataclass(result):
        return dataclasses.asdict(result)
    return {key: as_dict(value) if dataclasses.is_dataclass(value) else value for key, value in result.items()}


# --- matching -----------------------------------------------------------------------------------------


def matched_pairs(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping (i, j) of the two lists, each in one pair at most: largest overlap first, then the
    closer fit (smaller union), then order, as span_scores pairs spans."""
    # Only spans of `second` starting in [a_start - longest, a_end) can share a character with
    # (a_start, a_end): found by bisect on `second` sorted by start, not by trying every pair.
    order = sorted(range(len(second)), key=lambda j: second[j][0])
    starts = [second[j][0] for j in order]
    longest = max((end - start for start, end in second), default=0)
    candidates = []
    for i, (a_start, a_end) in enumerate(first):
        for k in range(bisect_left(starts, a_start - longest), bisect_left(starts, a_end)):
            j = order[k]
            b_start, b_end = second[j]
            shared = min(a_end, b_end) - max(a_start, b_start)
            if shared > 0:
                candidates.append((-shared, max(a_end, b_end) - min(a_start, b_start), i, j))
    candidates.sort()  # (i, j) are unique, so the order found in does not matter
    used_first, used_second, pairs = set(), set(), []
    for _shared, _union, i, j in candidates:
        if i not in used_first and j not in used_second:
            used_first.add(i)
            used_second.add(j)
            pairs.append((i, j))
    return pairs


def _report(matched: Counter, predicted: Counter, gold: Counter) -> Report:
    labels = sorted(set(predicted) | set(gold))
    per_label = {label: Scores.of(matched[label], predicted[label], gold[label]) for label in labels}
    overall = Scores.of(sum(matched.values()), sum(predicted.values()), sum(gold.values()))
    return Report(overall, per_label)


def _exact_matches(gold: list[SpanKey], predicted: list[SpanKey]) -> Counter:
    common = Counter(gold) & Counter(predicted)  # multiset intersection: a duplicate matches once each
    matched: Counter[str] = Counter()
    for span, count in common.items():
        matched[span[3]] += count
    return matched


def _overlap_matches(gold: list[SpanKey], predicted: list[SpanKey]) -> Counter:
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for number, (doc, _start, _end, label) in enumerate(gold):
        by_key[doc, label].append(number)
    pairs = []  # (-overlap, union, gold number, predicted number) of every pair sharing a character
    for p, (doc, start, end, label) in enumerate(predicted):
        for g in by_key.get((doc, label), ()):
            shared = min(end, gold[g][2]) - max(start, gold[g][1])
            if shared > 0:
                pairs.append((-shared, max(end, gold[g][2]) - min(start, gold[g][1]), g, p))
    # Largest overlap first. Of equal overlaps the closer fit (smaller union) first, so an exact match
    # is never taken away by a span that merely contains it, and overlap finds at least what exact
    # finds; then input order, so the result is the same on every run.
    pairs.sort()
    used_gold, used_predicted = set(), set()
    matched: Counter[str] = Counter()
    for _shared, _union, g, p in pairs:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            matched[gold[g][3]] += 1
    return matched


# --- characters as merged ranges (an article's characters need not be listed one by one) --------------


def _coverage(spans: Iterable[SpanKey]) -> dict[tuple, list[tuple[int, int]]]:
    """(doc_key, label) -> sorted, disjoint ranges covering the same characters as the spans."""
    ranges: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for doc, start, end, label in spans:
        if end > start:
            ranges[doc, label].append((start, end))
    return {key: _merged(found) for key, found in ranges.items()}


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _intersection(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Characters in both lists of sorted, disjoint ranges (one walk along both)."""
    i = j = shared = 0
    while i < len(a) and j < len(b):
        shared += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return shared


def _lengths(cover: dict[tuple, list[tuple[int, int]]]) -> Counter:
    lengths: Counter[str] = Counter()
    for (_doc, label), ranges in cover.items():
        lengths[label] += sum(end - start for start, end in ranges)
    return lengths
