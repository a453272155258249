"""What the suggesters found in one document, and the spans and links that are stored for it.

The suggesters (annotator.nlp) give plain offsets; the rules here decide what becomes a span: a
suggestion never lands on a place where the document already has a span of its layer (whatever its
state, so what an analyst rejected is not suggested again), and a statement's speaker is the entity
that names it, or else a SPEAKER span of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.model import Layer, Relation, Span, State
from annotator.core.vocabulary import (
    CHECKWORTHINESS,
    CHECKWORTHINESS_CLASSES,
    CUE,
    KIND,
    SCORE,
    SPEAKER,
    SPEAKER_LABEL,
    checkworthiness_class,
)

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Attribution:
    """One statement a suggester found: code-point offsets in the document's text."""

    content: Range
    cue: Range | None
    source: Range | None  # the words in the sentence ("he", "the ministry")
    speaker: Range | None  # who that is: a pronoun's person further back, else the source
    kind: str  # vocabulary.DIRECT when the content is a quotation, else INDIRECT
    score: float  # how sure the suggester is, in [0, 1]


@dataclass(slots=True)
class Found:
    """Everything suggested for one document, before it is checked against what is stored."""

    entities: list[tuple[int, int, str]] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[tuple[int, int, float]] = field(default_factory=list)  # (start, end, check-worthiness)

    def moved(self, place: Callable[[int, int], Range]) -> Found:
        """The same with every range put where ``place(start, end)`` says: a piece of a long text back in its
        whole, edges widened to whole characters."""
        def move(r: Range | None) -> Range | None:
            return None if r is None else place(*r)

        return Found(
            [(*place(s, e), label) for s, e, label in self.entities],
            [Attribution(move(a.content), move(a.cue), move(a.source), move(a.speaker), a.kind, a.score)
             for a in self.attributions],
            [(*place(s, e), score) for s, e, score in self.claims],
        )

    def extend(self, other: Found) -> None:
        self.entities += other.entities
        self.attributions += other.attributions
        self.claims += other.claims


@dataclass(frozen=True)
class Suggesters:
    """Who suggests each layer (recorded as the spans' origin) and the labels the project gives them."""

    entity_origin: str
    statement_origin: str = ""
    claim_origin: str = ""
    statement_label: str = "STATEMENT"
    claim_label: str = "CLAIM"
    checkworthiness: tuple[str, ...] = CHECKWORTHINESS_CLASSES  # the schema's classes, most worthy first


def to_store(found: Found, suggesters: Suggesters, stored: list[Span], layers: set[Layer]) -> tuple[list[Span], list[Relation]]:
    """The spans and links to store for one document of ``layers``, given its ``stored`` spans."""
    taken = {layer: [(s.start, s.end) for s in stored if s.layer == layer] for layer in Layer}
    new: list[Span] = []
    if Layer.ENTITY in layers:
        for start, end, label in found.entities:
            if not _hits(taken[Layer.ENTITY], start, end):
                new.append(Span(start, end, label, Layer.ENTITY, suggesters.entity_origin, State.SUGGESTED))
    relations: list[Relation] = []
    if Layer.STATEMENT in layers:
        speakers = [s for s in stored if s.layer == Layer.ENTITY and s.state != State.REJECTED] + new
        refused = {(s.start, s.end) for s in stored if s.layer == Layer.ENTITY and s.state == State.REJECTED}
        made: list[Range] = []
        for attribution in sorted(found.attributions, key=lambda a: a.content):
            start, end = attribution.content
            if _hits(taken[Layer.STATEMENT], start, end) or _hits(made, start, end):
                continue
            made.append((start, end))
            statement = Span(start, end, suggesters.statement_label, Layer.STATEMENT, suggesters.statement_origin,
                             State.SUGGESTED, _statement_attributes(attribution))
            new.append(statement)
            speaker = _speaker(attribution, speakers, refused, suggesters.statement_origin)
            if speaker is None:
                continue
            if speaker not in speakers:
                speakers.append(speaker)
                new.append(speaker)
            relations.append(Relation(statement.uid, speaker.uid, SPEAKER))
    if Layer.CLAIM in layers:
        for start, end, score in found.claims:
            if _hits(taken[Layer.CLAIM], start, end):
                continue
            attributes = {SCORE: round(score, 3)}
            if suggesters.checkworthiness:
                attributes[CHECKWORTHINESS] = checkworthiness_class(score, suggesters.checkworthiness)
            new.append(Span(start, end, suggesters.claim_label, Layer.CLAIM, suggesters.claim_origin,
                            State.SUGGESTED, attributes))
    return new, relations


def _statement_attributes(attribution: Attribution) -> dict:
    attributes: dict = {KIND: attribution.kind, SCORE: round(attribution.score, 3)}
    if attribution.cue is not None:
        attributes[CUE] = list(attribution.cue)
    return attributes


def _speaker(attribution: Attribution, entities: list[Span], refused: set[Range], origin: str) -> Span | None:
    """The entity that names the speaker, or a new SPEAKER span over the speaker's words.

    An entity names the speaker when it covers the phrase's last word, the head of an English noun
    phrase: "the Armenian Foreign Ministry" said it, but in "the Armenian Foreign Ministry's press
    service" the ministry's name is only a modifier, and the press service gets a span of its own.
    """
    where = attribution.speaker or attribution.source
    if where is None:
        return None
    start, end = where
    naming = [e for e in entities if e.start < end and start < e.end and e.end >= end and e.start >= start]
    naming = naming or [e for e in entities if e.start <= start and end <= e.end]
    if naming:
        return max(naming, key=lambda e: (e.end - e.start, e.label != SPEAKER_LABEL))
    if where in refused:
        return None  # the analyst rejected this speaker span once
    return Span(start, end, SPEAKER_LABEL, Layer.ENTITY, origin, State.SUGGESTED)


def _hits(ranges: list[Range], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in ranges)
