"""Curating on a real SQLite project with three annotators: the agreed version filled in, taking one
annotator's version, accepting, rejecting, each saved at once under the gold annotator with the curator's
name in its origin, and undone by saving the inverse Edit."""

from __future__ import annotations

import pytest

from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Span, Status
from annotator.services.curating import GOLD, ChangedElsewhere, open_curation, save
from annotator.store.annotated import load_annotated
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit, status_of

TEXT = "Sergey Lavrov said on Monday that Russia would not send troops to Kyiv."


def at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@pytest.fixture
def doc_id(project):
    (doc,) = add_documents(project, [Document(TEXT, title="Lavrov")]).added
    answers = {
        "ana": [("Sergey Lavrov", "PERSON"), ("Russia", "GPE"), ("Kyiv", "GPE")],
        "ben": [("Sergey", "PERSON"), ("Russia", "ORG")],
        "cy": [("Lavrov", "PERSON"), ("Russia", "GPE")],
    }
    for who, found in answers.items():
        spans = tuple(Span(*at(words), label, Layer.ENTITY, who, annotator=who) for words, label in found)
        apply_edit(project, Edit(doc.id, after=spans, annotator=who, status_after=Status.DONE))
    return doc.id


def gold_of(project, doc_id):
    _doc, spans, _relations = load_annotated(project, doc_id)
    return sorted((TEXT[s.start:s.end], s.label, str(s.state), s.origin) for s in spans if s.annotator == GOLD)


def test_take_accept_reject_saved_under_the_curator_and_undone(project, doc_id):
    curation = open_curation(project, doc_id, "zoe")
    assert curation.versions.annotators == ("ana", "ben", "cy") and curation.status is None
    texts = [TEXT[i.start:i.end] for i in curation.versions.disagreements]
    assert texts == ["Sergey Lavrov", "Kyiv"]  # Russia: GPE by two of three agrees

    def step(edit):
        save(project, edit)
        curation.apply(edit)
        return edit

    step(curation.fill_agreed())
    assert gold_of(project, doc_id) == [("Russia", "GPE", "accepted", "curated:zoe")]
    assert status_of(project, doc_id, GOLD) == Status.IN_PROGRESS
    lavrov, kyiv = curation.versions.disagreements
    take = step(curation.take(lavrov, "cy"))
    assert ("Lavrov", "PERSON", "accepted", "curated:zoe") in gold_of(project, doc_id)
    assert curation.state_of(lavrov) == "gold = 3"
    again = step(curation.take(lavrov, "ana"))  # changing one's mind replaces the gold there
    assert ("Sergey Lavrov", "PERSON", "accepted", "curated:zoe") in gold_of(project, doc_id)
    assert ("Lavrov", "PERSON", "accepted", "curated:zoe") not in gold_of(project, doc_id)
    step(again.inverse())  # undo: the inverse Edit, saved the same way
    assert ("Lavrov", "PERSON", "accepted", "curated:zoe") in gold_of(project, doc_id)
    step(take.inverse())
    assert curation.state_of(lavrov) == "open" and gold_of(project, doc_id) == [
        ("Russia", "GPE", "accepted", "curated:zoe")]
    step(take)  # redo: the same Edit again
    reject = step(curation.reject(kyiv))
    assert ("Kyiv", "GPE", "rejected", "curated:zoe") in gold_of(project, doc_id)
    step(reject.inverse())
    step(curation.accept(kyiv))
    assert ("Kyiv", "GPE", "accepted", "curated:zoe") in gold_of(project, doc_id)
    step(curation.set_status(Status.DONE))
    assert status_of(project, doc_id, GOLD) == Status.DONE
    # The annotators' own work is untouched, and their statuses are theirs.
    _doc, spans, _ = load_annotated(project, doc_id)
    assert len([s for s in spans if s.annotator != GOLD]) == 7
    assert status_of(project, doc_id, "ana") == Status.DONE

    reopened = open_curation(project, doc_id, "zoe")
    assert reopened.status == Status.DONE and len(reopened.gold.visible()) == 3


def test_a_stale_step_is_refused(project, doc_id):
    first = open_curation(project, doc_id, "zoe")
    edit = first.fill_agreed()
    save(project, edit)
    first.apply(edit)
    second = open_curation(project, doc_id, "yan")
    russia = next(i for i in first.versions.items if TEXT[i.start:i.end] == "Russia")
    save(project, first.take(russia, "ben"))
    with pytest.raises(ChangedElsewhere):  # yan still sees the gold before zoe's step
        save(project, second.reject(next(i for i in second.versions.items if TEXT[i.start:i.end] == "Russia")))
    assert [g[:2] for g in gold_of(project, doc_id)] == [("Russia", "ORG")]
