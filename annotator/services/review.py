"""Reviewing the models' suggestions: least certain first across the project, and what to show of each.

The window walks the project's unreviewed suggestions of all three layers in the order the store gives
(the model's uncertainty, then the unscored ones in document order), a page at a time, and answers each
through the open document's Annotations as any other action; this module only finds and describes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from annotator.core.annotations import Annotations
from annotator.core.model import Layer, State
from annotator.core.vocabulary import CHECKWORTHINESS, CUE, KIND, SCORE, SPEAKER
from annotator.store.project import Project
from annotator.store.review import Place, suggestions_after

__all__ = ["PAGE", "Place", "Shown", "claims_by_score", "describe", "least_certain", "score_of", "walk"]
PAGE = 500  # a page costs one query; without an index on the score that query scans the spans once
CONTEXT = 160  # characters shown either side of the suggestion's words


def least_certain(
    project: Project,
    after: Place | None = None,
    limit: int = PAGE,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[Place]:
    """The next page of unreviewed suggestions after ``after`` (None: the least certain of all).
    ``progress`` and ``cancel`` are the worker's; one query cannot be cut short, so they go unused."""
    return suggestions_after(project, after, limit)


def walk(project: Project, page: int = PAGE) -> Iterator[Place]:
    """Every unreviewed suggestion in review order, reading a page at a time."""
    after = None
    while True:
        found = least_certain(project, after, page)
        yield from found
        if len(found) < page:
            return
        after = found[-1]


def score_of(span) -> float | None:
    """The model's score of a span, when it gave one as a number."""
    value = span.attributes.get(SCORE)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def claims_by_score(annotations: Annotations, unreviewed_only: bool = False) -> list:
    """The document's claims, the highest score first; those without a score after, in reading order."""
    claims = annotations.visible(Layer.CLAIM)
    if unreviewed_only:
        claims = [c for c in claims if c.state == State.SUGGESTED]
    # visible() is in reading order and sorted() is stable: equal scores keep it.
    return sorted(claims, key=lambda c: (score_of(c) is None, -(score_of(c) or 0.0)))


Range = tuple[int, int]


@dataclass(frozen=True)
class Shown:
    """What the review shows of one suggestion: all of it text from the document, to show as plain text."""

    uid: str
    title: str
    layer: Layer
    label: str
    score: float | None
    before: str  # the text just before the words (a cut at the front marked with …)
    words: str
    after: str
    speaker: str = ""  # a statement's
    cue: str = ""
    kind: str = ""
    checkworthiness: str = ""  # a claim's class
    # Where a statement's speaker and cue are in before + words + after, when they are in it.
    speaker_at: Range | None = None
    cue_at: Range | None = None

    @property
    def context(self) -> str:
        return self.before + self.words + self.after

    @property
    def words_at(self) -> Range:
        return len(self.before), len(self.before) + len(self.words)

    @property
    def facts(self) -> str:
        """One line: layer, label, score, and a statement's speaker and cue or a claim's class."""
        what = self.layer.capitalize()
        parts = [what if self.label.lower() == self.layer else f"{what} {self.label}"]
        if self.score is not None:
            parts.append(f"{'check-worthiness' if self.layer == Layer.CLAIM else 'score'} {self.score:.2f}")
        if self.checkworthiness:
            parts.append(self.checkworthiness)
        if self.layer == Layer.STATEMENT:
            parts.append(f"speaker: {self.speaker or '?'}")
            parts.append(f"cue: {self.cue or '—'}")
            if self.kind:
                parts.append(self.kind)
        return " · ".join(parts)


def describe(annotations: Annotations, uid: str, context: int = CONTEXT) -> Shown | None:
    """The suggestion ``uid`` of the open document as the review shows it; None once someone has
    answered it (here, in another window, or with its statement) or it is gone."""
    span = annotations.spans.get(uid)
    if span is None or span.state != State.SUGGESTED:
        return None
    text = annotations.text
    first, last = max(0, span.start - context), min(len(text), span.end + context)
    if first > 0 and (space := text.find(" ", first, span.start)) >= 0:
        first = space + 1  # whole words at the edges
    if last < len(text) and (space := text.rfind(" ", span.end, last)) >= 0:
        last = space
    before = ("…" if first > 0 else "") + text[first : span.start]
    after = text[span.end : last] + ("…" if last < len(text) else "")
    shift = len(before) - (span.start - first)  # the … in front

    def inside(where) -> Range | None:
        if where is None or not (first <= where[0] and where[1] <= last):
            return None
        return where[0] - first + shift, where[1] - first + shift

    details: dict = {}
    if span.layer == Layer.STATEMENT:
        speaker = annotations.linked(uid, SPEAKER)
        cue = span.attributes.get(CUE)
        cue = tuple(cue) if isinstance(cue, list | tuple) and len(cue) == 2 else None
        details = {
            "speaker": annotations.speaker_words(span),
            "speaker_at": inside((speaker.start, speaker.end) if speaker is not None else None),
            "cue": text[cue[0] : cue[1]] if cue else "",
            "cue_at": inside(cue),
            "kind": str(span.attributes.get(KIND) or ""),
        }
    return Shown(
        uid, annotations.document.title, span.layer, span.label, score_of(span), before, text[span.start : span.end],
        after, checkworthiness=str(span.attributes.get(CHECKWORTHINESS) or ""), **details,
    )
