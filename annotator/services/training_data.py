"""Which documents a training run learns from and holds back, and what each of them teaches: the store's
spans and links turned into nlp.training.Gold. See services.training for the choices and why.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, Layer, Relation, Span, State
from annotator.core.vocabulary import CUE, SPEAKER, SPEAKER_LABEL
from annotator.services.evaluating import reviewed_ids
from annotator.services.evaluation import GOLD_STATES
from annotator.store.annotated import annotated_batches, load_annotated
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.services.training import TrainingOptions

REVIEWED, ANNOTATED = "reviewed", "annotated"


class NothingToTrain(AnnotatorError):
    """No document, or no annotation of any layer asked for, to train on."""


@dataclass
class Selection:
    train: list[int] = field(default_factory=list)
    dev: list[int] = field(default_factory=list)
    gold: dict[str, Counter] = field(default_factory=lambda: {"train": Counter(), "dev": Counter()})  # spans
    docs: dict[str, Counter] = field(default_factory=lambda: {"train": Counter(), "dev": Counter()})  # documents
    entity_labels: set[str] = field(default_factory=set)  # of the gold entities to learn from

    def counts(self, part: str, layers: Iterable[Layer]) -> dict[str, int]:
        return {str(layer): self.docs[part][layer] for layer in Layer if layer in set(layers)}


def select(project: Project, options: TrainingOptions) -> Selection:
    """The documents to learn from and to hold back, with how many gold spans of each layer they have."""
    selection = Selection()
    if options.documents == REVIEWED:
        ids = set(reviewed_ids(project))
        if not ids:
            raise NothingToTrain("no reviewed documents: mark documents done first, or train on every annotated "
                                 "document with --documents annotated")
    for batch in annotated_batches(project):
        for document, spans, relations, _statuses in batch:
            if options.documents == REVIEWED and document.id not in ids:
                continue
            gold = _gold_counts(spans)
            if options.documents == ANNOTATED and not gold:
                continue
            part = "dev" if held_back(document.uid, options.dev) else "train"
            (selection.dev if part == "dev" else selection.train).append(document.id)
            selection.gold[part].update(gold)
            if part == "train":
                selection.entity_labels.update(s.label for s in spans if s.layer == Layer.ENTITY
                                               and s.state in GOLD_STATES and _learnable(s))
            selection.docs[part].update(Layer if options.documents == REVIEWED else gold.keys())
    if not selection.train and not selection.dev:
        raise NothingToTrain("no document has an accepted or edited annotation to learn from")
    return selection


def layers_to_train(selection: Selection, options: TrainingOptions) -> dict[Layer, str | None]:
    """Each layer asked for, with why it is not trained (None: it is). A layer asked for by name that has
    nothing to learn from is an error; of "every layer", such a layer is only left out."""
    asked = options.layers if options.layers is not None else frozenset(Layer)
    found: dict[Layer, str | None] = {}
    for layer in Layer:
        if layer not in asked:
            continue
        count = selection.gold["train"][layer]
        found[layer] = None if count else f"no accepted or edited {layer} in the {len(selection.train)} " \
                                          f"document(s) to learn from"
    missing = {layer: why for layer, why in found.items() if why is not None}
    if options.layers is not None and missing:
        layer, why = next(iter(missing.items()))
        raise NothingToTrain(f"cannot train {layer}s: {why}")
    if all(why is not None for why in found.values()):
        raise NothingToTrain("nothing to train: no accepted or edited entity, statement or claim in the "
                             f"{len(selection.train)} document(s) to learn from")
    return found


def held_back(uid: str, share: float) -> bool:
    """Whether a document is in the held-back part: a stable hash of its uid, not a random draw per run."""
    digest = hashlib.sha256(uid.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def _gold_counts(spans: list[Span]) -> Counter:
    return Counter(s.layer for s in spans if s.state in GOLD_STATES and _learnable(s))


def _learnable(span: Span) -> bool:
    """SPEAKER spans are the entity layer's only to be linked from statements: not entities to learn."""
    return not (span.layer == Layer.ENTITY and span.label == SPEAKER_LABEL)


def loaded(project: Project, ids: list[int]) -> Iterator[tuple[Document, list[Span], list[Relation]]]:
    for doc_id in ids:
        loaded = load_annotated(project, doc_id)
        if loaded is not None:  # deleted since it was selected
            yield loaded


def gold_of(document: Document, spans: list[Span], relations: list[Relation], layers: frozenset[Layer],
          documents: str):
    """One document's annotations as training reads them (nlp.training.Gold)."""
    from annotator.nlp.training import Gold, GoldStatement

    gold = Gold(document.text)
    by_uid = {s.uid: s for s in spans if s.state != State.REJECTED}
    for layer in layers:
        chosen = _one_annotator([s for s in spans if s.layer == layer and s.state in GOLD_STATES and _learnable(s)])
        if documents == ANNOTATED and not chosen:
            continue  # this document was not annotated for the layer: it teaches nothing about it
        unknown = [(s.start, s.end) for s in spans if s.layer == layer and s.state == State.SUGGESTED]
        if layer == Layer.ENTITY:
            gold.entities = [(s.start, s.end, s.label) for s in chosen]
            gold.entity_unknown = unknown
            gold.entity_wrong = [(s.start, s.end, s.label) for s in spans
                                 if s.layer == layer and s.state == State.REJECTED and _learnable(s)]
        elif layer == Layer.STATEMENT:
            gold.statements = [GoldStatement((s.start, s.end), _range(s.attributes.get(CUE)),
                                             _source(s, by_uid, relations)) for s in chosen]
            gold.statement_unknown = unknown
        else:
            gold.claims = [(s.start, s.end) for s in chosen]
            gold.claim_unknown = unknown
    return gold


def _one_annotator(spans: list[Span]) -> list[Span]:
    """The spans of the annotator who made the most of them (ties: the first by name)."""
    groups: dict[str, list[Span]] = {}
    for span in spans:
        groups.setdefault(span.annotator or "", []).append(span)
    if len(groups) <= 1:
        return spans
    return max(sorted(groups.items()), key=lambda item: len(item[1]))[1]


def _source(statement: Span, by_uid: dict[str, Span], relations: list[Relation]) -> tuple[int, int] | None:
    for relation in relations:
        if relation.label == SPEAKER and relation.head == statement.uid and relation.tail in by_uid:
            tail = by_uid[relation.tail]
            return tail.start, tail.end
    return None


def _range(value) -> tuple[int, int] | None:
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1]) if value[0] < value[1] else None
    return None
