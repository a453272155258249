"""Comparing annotators with each other: what ``annotator agreement`` and Project ▸ Agreement… report.

``Comparison.add`` takes one document as each annotator left it; ``Comparison.result`` measures, for
every pair of annotators and for all of them together, each layer (entities, statements, claims):

- span F1, exact and overlapping, per label (scoring.span_scores, the first annotator of the pair as
  "gold": F1 is the same either way round). Overall: the pairs' counts summed (micro).
- tokens (core.agreement.tokens), each labelled by the span covering it or O: Cohen's κ for a pair, over
  the documents both annotated; overall Fleiss' κ over the documents all annotated (Cohen's with two
  annotators), and Krippendorff's α over every document, a document someone did not annotate being
  missing data (not O).
- Krippendorff's unitizing α (core.unitizing, uα): the characters of the texts as one continuum, the
  documents laid end to end, each annotator's spans of a label its units, per label and overall. A pair:
  the documents both annotated; overall: the documents all annotated (uα has no missing data).
- attributes of matched spans: spans of the layer that overlap, paired one to one (largest overlap
  first, whatever their labels). Statements: kind and speaker; claims: check-worthiness and claim type.
  A missing value is a value of its own, "(none)". Two speakers are the same when their speaker spans
  overlap or their words are the same (typed or in the text, whatever the case): each statement's value
  is the group its speaker falls in among the pair's speakers (agreement.speaker_groups). Per pair: the share agreed, Cohen's κ and
  α; overall: the pairs' shares pooled, the mean of the pairs' κ, α over the pairs' matched spans pooled.

An annotator annotated a document when they have a status other than new on it or a span in it; the
caller decides (``Annotations.annotated``). A document fewer than two annotators annotated is not
compared. Per document, the disagreement is the observed disagreement of α (the share of pairs of
labels that differ) over the tokens anyone labelled, all layers pooled: most-disagreed first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from annotator.core.agreement import (
    OUTSIDE,
    Coefficient,
    Coincidences,
    Range,
    cohen_kappa,
    fleiss_kappa,
    mean,
    speaker_groups,
    token_labels,
    tokens,
)
from annotator.core.model import Layer, Span
from annotator.core.scoring import Report, matched_pairs, span_scores
from annotator.core.unitizing import Unitizing, UnitizingAlpha
from annotator.core.unitizing import NOTHING as NO_UNITIZING
from annotator.core.vocabulary import CHECKWORTHINESS, CLAIM_TYPE, KIND, SPEAKER

NONE = "(none)"
ATTRIBUTES: dict[Layer, tuple[str, ...]] = {Layer.STATEMENT: (KIND, SPEAKER), Layer.CLAIM: (CHECKWORTHINESS, CLAIM_TYPE)}
NOTHING = Coefficient(None, None, 0)


@dataclass
class Annotations:
    """One document as each annotator left it: their spans (a SPEAKER entity made for a statement's
    speaker is no entity here), and who annotated it."""

    key: int
    title: str
    text: str
    spans: dict[str, list[Span]]  # annotator -> spans
    annotated: frozenset[str]
    speakers: dict[str, Range | str] = field(default_factory=dict)  # statement uid -> its speaker


@dataclass(frozen=True)
class AttributeAgreement:
    matched: int  # matched span pairs
    agreed: int
    kappa: float | None
    alpha: float | None

    def as_dict(self) -> dict:
        share = self.agreed / self.matched if self.matched else None
        return {"matched": self.matched, "agreed": self.agreed, "share": share, "kappa": self.kappa,
                "alpha": self.alpha}


@dataclass(frozen=True)
class LayerAgreement:
    exact: Report
    overlap: Report
    token_kappa: Coefficient  # Cohen's (pairs, two annotators) or Fleiss' (three or more)
    token_alpha: Coefficient
    unitizing: UnitizingAlpha  # Krippendorff's uα over the characters, per label and overall
    attributes: dict[str, AttributeAgreement]


@dataclass(frozen=True)
class PairAgreement:
    first: str
    second: str
    documents: int  # both annotated
    layers: dict[Layer, LayerAgreement]


@dataclass(frozen=True)
class DocumentDisagreement:
    key: int
    title: str
    annotators: tuple[str, ...]
    disagreement: float | None  # None: nobody labelled a token of it
    tokens: int  # tokens someone labelled


@dataclass
class Agreement:
    annotators: tuple[str, ...]
    layers: tuple[Layer, ...]
    documents: int  # compared: two or more annotated
    all_annotated: int  # every annotator annotated (Fleiss' κ's documents)
    overall: dict[Layer, LayerAgreement]
    pairs: list[PairAgreement]
    disagreements: list[DocumentDisagreement]  # most disagreed first

    @property
    def kappa_name(self) -> str:
        return "Fleiss" if len(self.annotators) > 2 else "Cohen"


class _Tallies:
    """Everything one pair (or all annotators together) needs, per layer."""

    def __init__(self, raters: tuple[str, ...]) -> None:
        self.raters = raters
        self.documents = 0
        self.gold: dict[Layer, list] = defaultdict(list)
        self.predicted: dict[Layer, list] = defaultdict(list)
        self.token_pairs: dict[Layer, Counter] = defaultdict(Counter)  # pairs: (a, b) -> tokens
        self.token_sets: dict[Layer, Counter] = defaultdict(Counter)  # overall: sorted labels -> tokens
        self.token_units: dict[Layer, Coincidences] = defaultdict(Coincidences)
        self.unitizing: dict[Layer, Unitizing] = {}  # pairs: documents both annotated; overall: all did
        self.attributes: dict[tuple[Layer, str], Counter] = defaultdict(Counter)  # (a's, b's value) -> spans
        self.attribute_kappas: dict[tuple[Layer, str], list] = defaultdict(list)  # overall: the pairs' κ

    def unitized(self, layer: Layer, length: int, keys: dict[str, list[tuple[int, int, str]]]) -> None:
        """One document's text at the end of the layer's continuum, with these raters' spans on it."""
        if layer not in self.unitizing:
            self.unitizing[layer] = Unitizing(self.raters)
        self.unitizing[layer].add(length, {name: keys[name] for name in self.raters})

    def layer(self, layer: Layer, kappa: Coefficient, spans: bool) -> LayerAgreement:
        attributes = {}
        for name in ATTRIBUTES.get(layer, ()):
            table = self.attributes[layer, name]
            units = Coincidences()
            for (a, b), n in table.items():
                units.add((a, b), n)
            kappa_value = (mean(self.attribute_kappas[layer, name]) if (layer, name) in self.attribute_kappas
                           else cohen_kappa(table).value)
            attributes[name] = AttributeAgreement(sum(table.values()), sum(n for (a, b), n in table.items() if a == b),
                                                  kappa_value, units.alpha().value)
        return LayerAgreement(
            span_scores(self.gold[layer], self.predicted[layer]),
            span_scores(self.gold[layer], self.predicted[layer], overlap=True),
            kappa if spans else NOTHING,
            self.token_units[layer].alpha() if spans else NOTHING,
            self.unitizing[layer].alpha() if spans and layer in self.unitizing else NO_UNITIZING,
            attributes,
        )


class Comparison:
    def __init__(self, annotators: list[str], layers: list[Layer]) -> None:
        if len(set(annotators)) < 2:
            raise ValueError("agreement needs two or more annotators")
        self.annotators = tuple(sorted(set(annotators)))
        self.layers = tuple(layer for layer in Layer if layer in set(layers))
        self.pairs = {pair: _Tallies(pair) for pair in combinations(self.annotators, 2)}
        self.overall = _Tallies(self.annotators)
        self.all_annotated = 0
        self.disagreements: list[DocumentDisagreement] = []

    def add(self, doc: Annotations) -> None:
        present = _present(self.annotators, doc)
        if len(present) < 2:
            return
        everyone = len(present) == len(self.annotators)
        self.overall.documents += 1
        self.all_annotated += everyone
        ranges = tokens(doc.text)
        disagreement = Coincidences()
        for layer in self.layers:
            spans = _layer_spans(doc, present, layer)
            keys = {name: [(s.start, s.end, s.label) for s in found] for name, found in spans.items()}
            labels = {name: token_labels(ranges, keys[name]) for name in present}
            for a, b in combinations(present, 2):
                self._pair((a, b), layer, doc, (spans[a], spans[b]), (labels[a], labels[b]))
                self.pairs[a, b].unitized(layer, len(doc.text), keys)
            if everyone:
                self.overall.unitized(layer, len(doc.text), keys)
            columns = list(zip(*(labels[name] for name in present)))
            for column, n in Counter(columns).items():
                self.overall.token_units[layer].add(column, n)
                if everyone:
                    self.overall.token_sets[layer][tuple(sorted(column))] += n
                if any(label != OUTSIDE for label in column):
                    disagreement.add(column, n)
        for pair in combinations(present, 2):
            self.pairs[pair].documents += 1
        self.disagreements.append(DocumentDisagreement(doc.key, doc.title, tuple(present),
                                                       disagreement.observed_disagreement(), disagreement.units))

    def _pair(self, pair: tuple[str, str], layer: Layer, doc: Annotations, spans, labels) -> None:
        tallies = self.pairs[pair]
        for found, into, pooled in zip(spans, (tallies.gold, tallies.predicted),
                                       (self.overall.gold, self.overall.predicted)):
            into[layer] += [(doc.key, s.start, s.end, s.label) for s in found]
            pooled[layer] += _pooled(pair, doc, found)
        tallies.token_pairs[layer].update(zip(*labels))
        for column, n in Counter(zip(*labels)).items():
            tallies.token_units[layer].add(column, n)
        if layer not in ATTRIBUTES:  # spans are paired only to compare their attributes
            return
        first, second = spans
        # Speakers are grouped per pair: across every annotator, overlaps could chain two people into one.
        said = [doc.speakers[s.uid] for s in (*first, *second) if s.uid in doc.speakers]
        groups = speaker_groups(doc.text, said) if layer == Layer.STATEMENT else {}
        for i, j in matched_pairs([(s.start, s.end) for s in first], [(s.start, s.end) for s in second]):
            for name in ATTRIBUTES[layer]:
                values = (_value(first[i], name, doc, groups), _value(second[j], name, doc, groups))
                tallies.attributes[layer, name][values] += 1
                self.overall.attributes[layer, name][values] += 1

    def result(self) -> Agreement:
        pairs = []
        for (a, b), tallies in self.pairs.items():
            layers = {}
            for layer in self.layers:
                layers[layer] = tallies.layer(layer, cohen_kappa(tallies.token_pairs[layer]), _any(tallies, layer))
                for name, found in layers[layer].attributes.items():
                    self.overall.attribute_kappas[layer, name].append(found.kappa)
            pairs.append(PairAgreement(a, b, tallies.documents, layers))
        overall = {}
        for layer in self.layers:
            if len(self.annotators) == 2:
                kappa = cohen_kappa(next(iter(self.pairs.values())).token_pairs[layer])
            else:
                kappa = fleiss_kappa(self.overall.token_sets[layer])
            overall[layer] = self.overall.layer(layer, kappa, _any(self.overall, layer))
        ranked = sorted(self.disagreements, key=lambda d: (d.disagreement is None, -(d.disagreement or 0.0), d.key))
        return Agreement(self.annotators, self.layers, self.overall.documents, self.all_annotated, overall, pairs,
                         ranked)


def pooled_overlap_scores(annotators: list[str], layers: list[Layer],
                          docs: Iterable[Annotations]) -> tuple[int, dict[Layer, Report]]:
    """The documents compared and each layer's overlap span F1 of all annotators together, the same as
    ``Comparison(annotators, layers)`` given ``docs`` reports in ``result().documents`` and
    ``result().overall[layer].overlap``, without the tokens, coefficients and attributes it works out too."""
    if len(set(annotators)) < 2:
        raise ValueError("agreement needs two or more annotators")
    names = tuple(sorted(set(annotators)))
    chosen = tuple(layer for layer in Layer if layer in set(layers))
    gold: dict[Layer, list] = {layer: [] for layer in chosen}
    predicted: dict[Layer, list] = {layer: [] for layer in chosen}
    documents = 0
    for doc in docs:
        present = _present(names, doc)
        if len(present) < 2:
            continue
        documents += 1
        for layer in chosen:
            spans = _layer_spans(doc, present, layer)
            for a, b in combinations(present, 2):
                gold[layer] += _pooled((a, b), doc, spans[a])
                predicted[layer] += _pooled((a, b), doc, spans[b])
    return documents, {layer: span_scores(gold[layer], predicted[layer], overlap=True) for layer in chosen}


def _present(annotators: tuple[str, ...], doc: Annotations) -> list[str]:
    return [name for name in annotators if name in doc.annotated]


def _layer_spans(doc: Annotations, present: list[str], layer: Layer) -> dict[str, list[Span]]:
    return {name: [s for s in doc.spans.get(name, []) if s.layer == layer] for name in present}


def _pooled(pair: tuple[str, str], doc: Annotations, found: list[Span]) -> list:
    """Spans as all annotators' pooled scores take them: each pair's documents are its own, so the pairs'
    counts simply add up."""
    return [((pair, doc.key), s.start, s.end, s.label) for s in found]


def _any(tallies: _Tallies, layer: Layer) -> bool:
    """Whether anyone compared made a span of the layer: without one its coefficients say nothing."""
    return bool(tallies.gold[layer] or tallies.predicted[layer])


def _value(span: Span, name: str, doc: Annotations, groups: dict) -> str:
    if name == SPEAKER:
        speaker = doc.speakers.get(span.uid)
        return NONE if speaker is None else f"speaker {groups[speaker]}"
    value = span.attributes.get(name)
    return NONE if value is None or value == "" else str(value)
