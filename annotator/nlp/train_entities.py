"""Fine-tuning the base pipeline's entity recogniser on the analysts' entities.

- Gold: accepted and edited entity spans (SPEAKER spans belong to statements and are left out). Each
  project label the recogniser lacks is added to it.
- Rejected suggestions are negatives: spaCy's ``incorrect_spans_key`` tells the recogniser that exactly this
  span with this label is wrong, without saying what is right there.
- Suggestions nobody reviewed are missing, neither entity nor not.
- Forgetting: everything else is "no entity", which would teach the recogniser to drop the labels the
  project does not use (a project annotating people and places would lose DATE and MONEY). So the base
  recogniser's own entities of labels the analysts never use are kept as gold where they touch nothing an
  analyst decided (rehearsal with the base model's predictions on the same texts), and training is short
  (EPOCHS passes at a modest learning rate). Only the recogniser changes: its tok2vec is its own in
  en_core_web_sm, so the parse stays as it was.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from annotator.core.vocabulary import SPEAKER_LABEL
from annotator.nlp.training import Gold, keep_averages

NEGATIVES = "incorrect_spans"  # the span group rejected suggestions go in


class EntityTrainer:
    EPOCHS = 5
    LEARN_RATE = 0.001
    BATCH = 8  # pieces of text (at most 10,000 characters each) per update
    DROPOUT = 0.1
    component = "ner"

    def __init__(self, nlp: Language, labels: list[str]) -> None:
        self.nlp = nlp
        self.labels = set(labels) - {SPEAKER_LABEL}  # the project's: the base's others are rehearsed

    def prepare(self, get_examples) -> None:
        ner = self.nlp.get_pipe("ner")
        for label in sorted(self.labels):
            ner.add_label(label)
        # The recogniser reads negatives from the span group its transition system names; a loaded
        # pipeline names none, so it is set for the time of training (and put back in finish).
        ner.cfg["incorrect_spans_key"] = NEGATIVES
        ner.moves.cfg["neg_key"] = NEGATIVES

    def examples(self, doc: Doc, gold: Gold) -> list[Example]:
        if gold.entities is None:
            return []
        words, spaces = [t.text for t in doc], [bool(t.whitespace_) for t in doc]
        predicted = Doc(self.nlp.vocab, words=words, spaces=spaces)  # no entities: the recogniser starts afresh
        reference = Doc(self.nlp.vocab, words=words, spaces=spaces)
        entities = _spans(reference, [e for e in gold.entities if e[2] != SPEAKER_LABEL])
        unknown = _spans(reference, [(s, e, "") for s, e in gold.entity_unknown])
        wrong = _spans(reference, [w for w in gold.entity_wrong if w[2] != SPEAKER_LABEL])
        decided = entities + unknown + wrong
        known = self.labels | {s.label_ for s in entities + wrong}
        kept = [Span(reference, e.start, e.end, e.label_) for e in doc.ents
                if e.label_ not in known and not any(_touch(e, d) for d in decided)]
        entities = _without_overlaps(entities + kept)
        missing = [u for u in _without_overlaps(unknown) if not any(_touch(u, e) for e in entities)]
        reference.set_ents(entities, missing=missing, default="outside")
        reference.spans[NEGATIVES] = wrong
        return [Example(predicted, reference)]

    def update(self, batch: list[Example], optimizer, losses: dict) -> None:
        self.nlp.get_pipe("ner").update(batch, sgd=optimizer, drop=self.DROPOUT, losses=losses)

    def finish(self, optimizer) -> None:
        ner = self.nlp.get_pipe("ner")
        keep_averages(ner.model, optimizer.averages)
        ner.cfg["incorrect_spans_key"] = None
        ner.moves.cfg["neg_key"] = None


def _spans(doc: Doc, ranges) -> list[Span]:
    found = []
    for start, end, label in ranges:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            found.append(span)
    return found


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Longest first; a span that overlaps one already kept is left out (the recogniser tags no nesting)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(_touch(span, k) for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _touch(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
