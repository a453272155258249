"""Label all identical mentions in one document: one Edit, relabelling, accepting and adding."""

from annotator.core.annotations import Annotations
from annotator.core.model import Document, Layer, Span, State, Status

TEXT = (
    "Nagorno-Karabakh talks: Nagorno-Karabakh Republic officials met in Nagorno-Karabakh. "
    "Nagorno-Karabakhians? No. Nagorno-Karabakh again, and Nagorno-Karabakh."
)
MODEL = "en_test@1"


def places(words):
    found, at = [], TEXT.find(words)
    while at >= 0:
        found.append((at, at + len(words)))
        at = TEXT.find(words, at + 1)
    return found


def annotations(*spans, nested=False):
    return Annotations(Document(TEXT, id=1), list(spans), [], "ana", Status.NEW, nested)


def labels(ann):
    return sorted((s.start, TEXT[s.start : s.end], s.label, s.state) for s in ann.visible(Layer.ENTITY))


def test_every_other_mention_gets_the_label_in_one_edit_and_its_inverse_restores_all():
    first, second, third, _inside_longer, fourth, fifth = places("Nagorno-Karabakh")
    current = Span(*first, "GPE", origin="ana", state=State.ACCEPTED, document_id=1)
    wrong = Span(*third, "ORG", origin=MODEL, state=State.SUGGESTED, document_id=1)
    same = Span(*fourth, "GPE", origin=MODEL, state=State.SUGGESTED, document_id=1)
    republic = Span(second[0], second[1] + len(" Republic"), "ORG", origin="ana", document_id=1)
    ann = annotations(current, wrong, same, republic)
    before = labels(ann)

    edit = ann.label_mentions("Nagorno-Karabakh", "GPE", first=current.uid)

    assert edit.description == "Label 3 mentions of “Nagorno-Karabakh” GPE"
    assert edit.status_after == Status.IN_PROGRESS
    changed = {(s.start, s.label, s.state) for s in edit.after}
    assert changed == {
        (third[0], "GPE", State.EDITED),  # the model's ORG, relabelled
        (fourth[0], "GPE", State.ACCEPTED),  # the model's GPE, accepted
        (fifth[0], "GPE", State.ACCEPTED),  # none there: a new one
    }
    ann.apply(edit)
    gpe = [(start, state) for start, _w, label, state in labels(ann) if label == "GPE"]
    assert [start for start, _ in gpe] == [first[0], third[0], fourth[0], fifth[0]]  # not inside the Republic
    assert ("Nagorno-Karabakh Republic", "ORG") in {(w, label) for _s, w, label, _st in labels(ann)}
    ann.apply(edit.inverse())
    assert labels(ann) == before


def test_the_current_span_leads_and_nothing_to_do_gives_none():
    spans = [Span(a, b, "GPE", origin="ana", document_id=1) for a, b in places("Nagorno-Karabakh")]
    ann = annotations(*spans[:1])
    edit = ann.label_mentions("Nagorno-Karabakh", "LOC", first=spans[0].uid)
    assert edit.after[0].uid == spans[0].uid and edit.after[0].label == "LOC"
    ann.apply(edit)
    assert ann.label_mentions("Nagorno-Karabakh", "LOC") is None


def test_nested_entities_let_a_mention_inside_another_entity_be_labelled():
    first, second, *_ = places("Nagorno-Karabakh")
    republic = Span(second[0], second[1] + len(" Republic"), "ORG", origin="ana", document_id=1)
    ann = annotations(republic, nested=True)
    edit = ann.label_mentions("Nagorno-Karabakh", "GPE")
    assert second[0] in {s.start for s in edit.after}
    assert len(edit.after) == 5
