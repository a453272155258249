"""Tokens for token-based exports, cut wherever a span edge falls inside one.

A tokenizer and a person do not always agree where words end: "TASS" tagged inside "/TASS/." is
one token to spaCy and a word to the analyst. A token-based format (Prodigy, CoNLL, spaCy's
DocBin) can only hold a span that starts and ends on token edges, so the exporter cuts the
tokens at the span edges instead of moving or dropping the span.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.model import Span


def split_at_edges(tokens: list[tuple[int, int]], edges: Iterable[int]) -> list[tuple[int, int]]:
    """``tokens`` (in order, not overlapping) with each one cut at every edge that falls inside it.

    One walk through the tokens and the sorted edges: linear in both, for any length of text."""
    cuts = sorted(set(edges))
    if not cuts:
        return tokens
    result: list[tuple[int, int]] = []
    at = 0
    for start, end in tokens:
        while at < len(cuts) and cuts[at] <= start:
            at += 1
        piece_start = start
        while at < len(cuts) and cuts[at] < end:
            result.append((piece_start, cuts[at]))
            piece_start = cuts[at]
            at += 1
        result.append((piece_start, end))
    return result


def span_edges(spans: Iterable[Span]) -> list[int]:
    """The start and end of every span, and of every statement's cue."""
    edges: list[int] = []
    for span in spans:
        edges += (span.start, span.end)
        cue = span.attributes.get("cue") if span.attributes else None
        if isinstance(cue, list | tuple) and len(cue) == 2 and all(isinstance(x, int) for x in cue):
            edges += cue
    return edges
