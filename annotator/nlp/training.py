"""Training spaCy components from reviewed annotations: the base pipeline's entity recogniser fine-tuned,
a statement tagger and a claim classifier added (train_entities, train_statements, train_claims).

The services hand over each document as a ``Gold`` (its text and what people decided); ``Trainer`` parses
them once with the base pipeline and keeps them serialised (a DocBin per batch: compact, read back a batch at
a time each epoch), so memory grows with the text, not with Docs. Long texts go in the same pieces as when
suggesting (suggest.piece_bounds), so the components learn from what they will be given. The base
pipeline's tagger, parser and lemmatizer are never updated: the parse the rules read stays the same.

Nothing here touches a project or the data folder: ``save`` writes a pipeline into the folder it is given.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from thinc.api import Adam

from annotator.core.errors import AnnotatorError, ModelError
from annotator.core.model import Layer

Range = tuple[int, int]
Progress = Callable[[str, int, int], None]  # (stage, done, total)
READ_BATCH = 16  # documents parsed and serialised together
SEED = 0  # the same data and options give the same model


class Cancelled(AnnotatorError):
    """Training was cancelled; nothing was saved."""


@dataclass(frozen=True, slots=True)
class GoldStatement:
    content: Range
    cue: Range | None = None
    source: Range | None = None  # the span the statement's speaker link leads to


@dataclass(slots=True)
class Gold:
    """One document's reviewed annotations, in code points. A layer that is None is not trained on this
    document; ``unknown`` ranges are suggestions nobody reviewed (neither right nor wrong); ``wrong`` are
    rejected suggestions, which the entity recogniser learns from as negatives."""

    text: str
    entities: list[tuple[int, int, str]] | None = None
    entity_unknown: list[Range] = field(default_factory=list)
    entity_wrong: list[tuple[int, int, str]] = field(default_factory=list)
    statements: list[GoldStatement] | None = None
    statement_unknown: list[Range] = field(default_factory=list)
    claims: list[Range] | None = None
    claim_unknown: list[Range] = field(default_factory=list)

    def piece(self, start: int, end: int) -> Gold:
        """The part of this gold inside text[start:end], shifted to start at 0 (ranges cut at its ends)."""
        def inside(r: Range | None) -> Range | None:
            if r is None or r[1] <= start or r[0] >= end:
                return None
            return max(r[0], start) - start, min(r[1], end) - start

        def ranges(items: list[Range]) -> list[Range]:
            return [r for r in map(inside, items) if r is not None]

        def labelled(items: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
            return [(*r, label) for s, e, label in items if (r := inside((s, e))) is not None]

        statements = None
        if self.statements is not None:
            statements = [GoldStatement(c, inside(g.cue), inside(g.source))
                          for g in self.statements if (c := inside(g.content)) is not None]
        return Gold(
            self.text[start:end],
            None if self.entities is None else labelled(self.entities),
            ranges(self.entity_unknown),
            labelled(self.entity_wrong),
            statements,
            ranges(self.statement_unknown),
            None if self.claims is None else ranges(self.claims),
            ranges(self.claim_unknown),
        )

    def has(self, layer: Layer) -> bool:
        layers = {Layer.ENTITY: self.entities, Layer.STATEMENT: self.statements, Layer.CLAIM: self.claims}
        return layers[layer] is not None


def load_base(name_or_path: str, layers: Iterable[Layer]) -> Language:
    """The base pipeline as its config has it (en_core_web_sm keeps its senter disabled: the parser cuts the
    sentences the rules read), checked for what ``layers`` need."""
    try:
        nlp = spacy.load(name_or_path)
    except (OSError, ValueError, ImportError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelError(f"cannot load the base pipeline '{name_or_path}': {first}") from exc
    layers = set(layers)
    if Layer.ENTITY in layers and "ner" not in nlp.pipe_names:
        raise ModelError(f"the base pipeline '{name_or_path}' has no entity recogniser to fine-tune")
    if layers & {Layer.STATEMENT, Layer.CLAIM} and "parser" not in nlp.pipe_names:
        raise ModelError(f"the base pipeline '{name_or_path}' has no parser, which statements and claims read")
    return nlp


class Trainer:
    """Parses the training documents once, then trains one layer after another on the same pipeline."""

    def __init__(self, nlp: Language, cancel=None, progress: Progress | None = None) -> None:
        self.nlp = nlp
        self.cancel = cancel
        self.progress = progress
        self.batches: list[tuple[bytes, list[Gold]]] = []  # serialised Docs and their pieces' gold
        self.counts: dict[Layer, int] = dict.fromkeys(Layer, 0)  # documents per layer
        self.pieces = 0

    def read(self, golds: Iterable[Gold], total: int) -> None:
        """Parse every document (in pieces) and keep it serialised with the gold of each piece."""
        from annotator.nlp.suggest import piece_bounds

        def pieces() -> Iterator[tuple[str, tuple[Gold, bool]]]:
            for gold in golds:
                for layer in Layer:
                    self.counts[layer] += gold.has(layer)
                bounds = list(piece_bounds(gold.text))
                for number, (start, end) in enumerate(bounds):
                    piece = gold.piece(start, end)
                    yield piece.text, (piece, number == len(bounds) - 1)

        done = 0
        self._report("Reading documents", 0, total)
        batch, golds_of_batch = DocBin(store_user_data=False), []
        for doc, (piece, last) in self.nlp.pipe(pieces(), as_tuples=True, batch_size=READ_BATCH):
            self._check()
            _prepare(doc, piece)
            batch.add(doc)
            golds_of_batch.append(piece)
            self.pieces += 1
            if len(golds_of_batch) >= READ_BATCH:
                self.batches.append((batch.to_bytes(), golds_of_batch))
                batch, golds_of_batch = DocBin(store_user_data=False), []
            if last:
                done += 1
                self._report("Reading documents", done, total)
        if golds_of_batch:
            self.batches.append((batch.to_bytes(), golds_of_batch))

    def train(self, layer: Layer, epochs: int, labels: Iterable[str] = ()) -> dict[str, float]:
        """Train one layer's component for ``epochs`` passes over the pieces that have its gold (in a
        shuffled order, the same on every run); returns the last epoch's losses."""
        trainer = _layer_trainer(layer)(self.nlp, list(labels))
        wanted = {i: [j for j, g in enumerate(golds) if g.has(layer)] for i, (_, golds) in enumerate(self.batches)}
        wanted = {i: js for i, js in wanted.items() if js}
        total = sum(len(js) for js in wanted.values())
        if not total:
            raise AnnotatorError(f"no {layer} annotation to train on")
        spacy.util.fix_random_seed(SEED)
        first = next(iter(wanted))
        trainer.prepare(lambda: self._examples(trainer, first, wanted[first]))
        optimizer = Adam(trainer.LEARN_RATE, use_averages=True)
        shuffler = random.Random(SEED)
        losses: dict[str, float] = {}
        for epoch in range(1, epochs + 1):
            stage = f"Training {'entities' if layer == Layer.ENTITY else f'{layer}s'} (epoch {epoch} of {epochs})"
            losses, done, pending = {}, 0, []
            self._report(stage, 0, total)
            order = list(wanted)
            shuffler.shuffle(order)
            for number, index in enumerate(order):
                pending += self._examples(trainer, index, wanted[index])
                shuffler.shuffle(pending)
                done += len(wanted[index])
                while pending and (len(pending) >= trainer.BATCH or number == len(order) - 1):
                    self._check()
                    batch, pending = pending[: trainer.BATCH], pending[trainer.BATCH :]
                    trainer.update(batch, optimizer, losses)
                self._report(stage, done, total)
        trainer.finish(optimizer)
        return losses

    def save(self, folder: Path) -> None:
        """The pipeline as spaCy writes it; the trained components stay disabled (trained.py runs them)."""
        from annotator.nlp.model_meta import STATEMENT_TAGGER
        from annotator.nlp.trained import claim_classifiers

        for name in [STATEMENT_TAGGER, *claim_classifiers(self.nlp)]:
            if name in self.nlp.pipe_names:
                self.nlp.disable_pipe(name)
        self._report("Saving", 0, 1)
        self.nlp.to_disk(folder)
        self._report("Saving", 1, 1)

    def _examples(self, trainer, index: int, pieces: list[int]) -> list:
        data, golds = self.batches[index]
        docs = list(DocBin().from_bytes(data).get_docs(self.nlp.vocab))
        return [example for j in pieces for example in trainer.examples(docs[j], golds[j])]

    def _check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("training was cancelled; nothing was saved")

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


def _prepare(doc: Doc, piece: Gold) -> None:
    """What the statement tagger reads besides the text: the rules' statements, as features (stored with the
    Doc, so each epoch reads them back instead of running the rules again)."""
    if piece.statements is None:
        return
    from annotator.nlp.statements import attributions
    from annotator.nlp.trained import statement_features, write_features

    write_features(doc, statement_features(doc, attributions(doc)))


def _layer_trainer(layer: Layer):
    if layer == Layer.ENTITY:
        from annotator.nlp.train_entities import EntityTrainer

        return EntityTrainer
    if layer == Layer.STATEMENT:
        from annotator.nlp.train_statements import StatementTrainer

        return StatementTrainer
    from annotator.nlp.train_claims import ClaimTrainer

    return ClaimTrainer


def default_epochs(layer: Layer) -> int:
    return _layer_trainer(layer).EPOCHS


def keep_averages(model, averages: dict) -> None:
    """Make the optimizer's running averages of the weights the model's own: they predict better than the
    last step's (spaCy's own training saves them the same way)."""
    for node in model.walk():
        for name in node.param_names:
            key = (node.id, name)
            if key in averages and node.has_param(name):
                node.set_param(name, averages[key])
