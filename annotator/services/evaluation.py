"""Comparing suggestions with reviewed annotations, and the result: plain values, no project, no spaCy.

``Comparison.add`` takes one document's stored spans (the gold: those a person accepted or edited) and
the spans the suggesters would store for it; ``Comparison.result`` scores everything added.

Speaker and cue accuracy are over gold statements that an overlapping predicted statement matched (one
to one, largest overlap first, as ``scoring.span_scores`` pairs them) and that have a gold speaker (or
cue): the statement finder is scored by P/R/F1, these say how good the speaker and cue finders are on
what it found.

Claim average precision ranks every predicted claim by its score; one is positive when it overlaps a
gold claim. Gold claims no predicted claim overlaps are positives ranked after every prediction, so a
missed claim lowers the AP instead of vanishing from it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from annotator.core.model import Layer, Relation, Span, State
from annotator.core.scoring import (
    Report, Scores, as_dict, average_precision, character_scores, matched_pairs, span_scores,
)
from annotator.core.vocabulary import CUE, SCORE, SPEAKER, SPEAKER_LABEL, SPEAKER_TEXT

GOLD_STATES = frozenset({State.ACCEPTED, State.EDITED})
MISSED = float("-inf")  # the score of a gold claim nothing predicted: below every score in [0, 1]
Range = tuple[int, int]


@dataclass(frozen=True)
class Share:
    right: int
    total: int

    @property
    def value(self) -> float | None:
        """None when there was nothing to count: no share is better than a made-up 0."""
        return self.right / self.total if self.total else None

    def as_dict(self) -> dict:
        return {"value": self.value, "right": self.right, "total": self.total}


@dataclass(frozen=True)
class LayerScores:
    exact: Report
    overlap: Report


@dataclass
class Evaluation:
    origin: str  # the pipeline evaluated
    layers: frozenset[Layer]
    documents: int
    scores: dict[Layer, LayerScores]
    content: Report | None = None  # statements' content, character by character
    speaker: Share | None = None
    cue: Share | None = None
    claim_ap: float | None = None  # None: no positive to rank
    claims_ranked: int = 0  # predicted claims, plus the gold claims none of them found
    claims_missed: int = 0  # of those, the gold claims none found
    cancelled: bool = False
    not_evaluated: str = ""  # layers left out, and why

    def table(self) -> str:
        """Plain text for a terminal: a row per layer and label, then the statement and claim measures."""
        rows = []
        for layer in Layer:
            if layer not in self.scores:
                continue
            scores = self.scores[layer]
            rows.append((str(layer), "(all)", scores.exact.overall, scores.overlap.overall))
            rows += [(str(layer), label, exact, scores.overlap.labels[label])
                     for label, exact in scores.exact.labels.items()]
        width = max([len("label")] + [len(label) for _, label, _, _ in rows])
        measures = f"{'P':>6}{'R':>7}{'F1':>7}"
        lines = [
            self.heading(),
            "",
            f"{'':<10} {'':<{width}}  {'exact':^20}  {'overlap':^20}".rstrip(),
            f"{'layer':<10} {'label':<{width}}  {measures}  {measures}  {'gold':>6} {'predicted':>9}",
        ]
        for layer, label, exact, overlap in rows:
            lines.append(f"{layer:<10} {label:<{width}}  {_measures(exact)}  {_measures(overlap)}"
                         f"  {exact.gold:>6} {exact.predicted:>9}")
        lines.append("")
        if Layer.STATEMENT in self.scores:
            content = "n/a" if self.content is None else f"{self.content.overall.f1:.3f}"
            lines.append(f"Statements: speaker accuracy {_share(self.speaker)}, cue accuracy {_share(self.cue)}, "
                         f"content character F1 {content}")
        if Layer.CLAIM in self.scores:
            ap = "n/a" if self.claim_ap is None else f"{self.claim_ap:.3f}"
            suggested = self.claims_ranked - self.claims_missed
            lines.append(f"Claims: average precision {ap} ({suggested} suggested, ranked by score, then "
                         f"{self.claims_missed} gold claim(s) not suggested)")
        lines.append(f"Documents: {self.documents}")
        if self.not_evaluated:
            lines.append(self.not_evaluated.capitalize())
        return "\n".join(lines)

    def heading(self) -> str:
        what = f"{self.origin} on {self.documents} reviewed document(s); nothing was stored"
        return f"Evaluated {what}" + (" (cancelled: scores of the documents finished)" if self.cancelled else "")

    def as_dict(self) -> dict:
        """Plain dicts, lists and numbers, for ``--json``."""
        layers: dict[str, dict] = {}
        for layer, scores in self.scores.items():
            entry = {
                "exact": as_dict(scores.exact.overall),
                "overlap": as_dict(scores.overlap.overall),
                "labels": {label: {"exact": as_dict(exact), "overlap": as_dict(scores.overlap.labels[label])}
                           for label, exact in scores.exact.labels.items()},
            }
            if layer == Layer.STATEMENT:
                entry["content_characters"] = None if self.content is None else as_dict(self.content)
                entry["speaker_accuracy"] = _share_dict(self.speaker)
                entry["cue_accuracy"] = _share_dict(self.cue)
            if layer == Layer.CLAIM:
                entry["average_precision"] = {"value": self.claim_ap, "ranked": self.claims_ranked,
                                              "missed": self.claims_missed}
            layers[str(layer)] = entry
        return {"model": self.origin, "documents": self.documents, "cancelled": self.cancelled,
                "not_evaluated": self.not_evaluated, "layers": layers}


def _measures(scores: Scores) -> str:
    return f"{scores.precision:>6.3f}{scores.recall:>7.3f}{scores.f1:>7.3f}"


def _share(share: Share | None) -> str:
    if share is None or share.value is None:
        return "n/a"
    return f"{share.value:.3f} ({share.right} of {share.total})"


def _share_dict(share: Share | None) -> dict | None:
    return None if share is None else share.as_dict()


@dataclass
class Comparison:
    """Everything needed to score ``layers``, gathered one document at a time."""

    layers: frozenset[Layer]
    documents: int = 0
    gold: dict[Layer, list] = field(default_factory=lambda: {layer: [] for layer in Layer})
    predicted: dict[Layer, list] = field(default_factory=lambda: {layer: [] for layer in Layer})
    speakers: list[bool] = field(default_factory=list)  # per matched gold statement with a speaker: right?
    cues: list[bool] = field(default_factory=list)
    ranked: list[tuple[float, bool]] = field(default_factory=list)  # (score, positive) of the claim ranking

    def add(self, key: Hashable, text: str, stored: list[Span], stored_relations: list[Relation],
            predicted: list[Span], predicted_relations: list[Relation]) -> None:
        self.documents += 1
        gold = [s for s in _distinct(stored) if s.state in GOLD_STATES and self._scored(s)]
        predicted = [s for s in predicted if self._scored(s)]
        for spans, into in ((gold, self.gold), (predicted, self.predicted)):
            for span in spans:
                into[span.layer].append((key, span.start, span.end, span.label))
        if Layer.STATEMENT in self.layers:
            self._statements(text, gold, stored, stored_relations, predicted, predicted_relations)
        if Layer.CLAIM in self.layers:
            self._claims(gold, predicted)

    def _scored(self, span: Span) -> bool:
        # A SPEAKER span belongs to a statement: without statements no suggester makes one, so the entity
        # scores would count the analyst's speakers as missed entities.
        if span.layer == Layer.ENTITY and span.label == SPEAKER_LABEL:
            return Layer.STATEMENT in self.layers
        return span.layer in self.layers

    def _statements(self, text: str, gold: list[Span], stored: list[Span], stored_relations: list[Relation],
                    predicted: list[Span], predicted_relations: list[Relation]) -> None:
        stored_by_uid = {s.uid: s for s in stored if s.state != State.REJECTED}
        predicted_by_uid = {s.uid: s for s in predicted}
        golds = [s for s in gold if s.layer == Layer.STATEMENT]
        guesses = [s for s in predicted if s.layer == Layer.STATEMENT]
        for g, p in _pairs(golds, guesses):
            truth = _speaker_of(g, stored_by_uid, stored_relations)
            if truth is not None:
                guess = _speaker_of(p, predicted_by_uid, predicted_relations)
                self.speakers.append(guess is not None and _same_speaker(text, truth, guess))
            cue = _range(g.attributes.get(CUE))
            if cue is not None:
                guessed = _range(p.attributes.get(CUE))
                self.cues.append(guessed is not None and _overlaps(cue, guessed))

    def _claims(self, gold: list[Span], predicted: list[Span]) -> None:
        golds = [(s.start, s.end) for s in gold if s.layer == Layer.CLAIM]
        found = set()
        for span in predicted:
            if span.layer != Layer.CLAIM:
                continue
            hits = {g for g in golds if _overlaps(g, (span.start, span.end))}
            found |= hits
            self.ranked.append((_score(span), bool(hits)))
        self.ranked += [(MISSED, True) for g in golds if g not in found]

    def result(self, origin: str, cancelled: bool = False, not_evaluated: str = "") -> Evaluation:
        scores = {
            layer: LayerScores(span_scores(self.gold[layer], self.predicted[layer]),
                               span_scores(self.gold[layer], self.predicted[layer], overlap=True))
            for layer in Layer if layer in self.layers
        }
        evaluation = Evaluation(origin, self.layers, self.documents, scores, cancelled=cancelled,
                                not_evaluated=not_evaluated)
        if Layer.STATEMENT in self.layers:
            evaluation.content = character_scores(self.gold[Layer.STATEMENT], self.predicted[Layer.STATEMENT])
            evaluation.speaker = Share(sum(self.speakers), len(self.speakers))
            evaluation.cue = Share(sum(self.cues), len(self.cues))
        if Layer.CLAIM in self.layers:
            positives = any(positive for _, positive in self.ranked)
            evaluation.claim_ap = average_precision(self.ranked) if positives else None
            evaluation.claims_ranked = len(self.ranked)
            evaluation.claims_missed = sum(score == MISSED for score, _ in self.ranked)
        return evaluation


def _distinct(spans: list[Span]) -> list[Span]:
    """One span per layer, range and label: two imports of the same annotation are one gold span."""
    seen: dict[tuple, Span] = {}
    for span in spans:
        seen.setdefault((span.layer, span.start, span.end, span.label, span.state in GOLD_STATES), span)
    return list(seen.values())


def _pairs(gold: list[Span], predicted: list[Span]) -> list[tuple[Span, Span]]:
    """Overlapping (gold, predicted) pairs, each span in one pair at most (whatever their labels)."""
    ranges = [(s.start, s.end) for s in gold], [(s.start, s.end) for s in predicted]
    return [(gold[i], predicted[j]) for i, j in matched_pairs(*ranges)]


def _speaker_of(statement: Span, spans: dict[str, Span], relations: list[Relation]) -> Range | str | None:
    """The range of the span the statement's SPEAKER link leads to; else the speaker typed in; else None."""
    for relation in relations:
        if relation.label == SPEAKER and relation.head == statement.uid and relation.tail in spans:
            tail = spans[relation.tail]
            return (tail.start, tail.end)
    typed = statement.attributes.get(SPEAKER_TEXT)
    return typed.strip() if isinstance(typed, str) and typed.strip() else None


def _same_speaker(text: str, truth: Range | str, guess: Range | str) -> bool:
    """Overlapping ranges, or the same words whatever their case ("the Ministry" and "the ministry")."""
    if isinstance(truth, tuple) and isinstance(guess, tuple) and _overlaps(truth, guess):
        return True
    return _words(text, truth) == _words(text, guess)


def _words(text: str, speaker: Range | str) -> str:
    said = speaker if isinstance(speaker, str) else text[speaker[0]:speaker[1]]
    return " ".join(said.split()).casefold()


def _range(value) -> Range | None:
    """A [start, end] attribute as a range; None when it is missing or malformed (an imported file's)."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1]) if value[0] < value[1] else None
    return None


def _overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score(span: Span) -> float:
    value = span.attributes.get(SCORE)
    return float(value) if isinstance(value, (int, float)) else 0.0

