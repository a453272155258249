"""core.curation on hand-made versions of three annotators: items, what agrees under each policy, the
disagreements, and the curator's steps as Edits."""

from __future__ import annotations

from annotator.core.curation import GOLD, MAJORITY, UNANIMOUS, Curation, agreed_spans, needed, versions
from annotator.core.model import Document, Layer, Relation, Span, State, Status
from annotator.core.vocabulary import CHECKWORTHINESS, KIND, SPEAKER

TEXT = "Maria Lopez said prices will fall. The ministry spent 4 million on roads in Rome."


def at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def span(who, words, label="PERSON", layer=Layer.ENTITY, **attributes):
    return Span(*at(words), label, layer, origin=who, annotator=who, attributes=attributes, document_id=1)


def three():
    """ana, ben, cy: all three mark Maria Lopez; ana and ben Rome, cy nothing there; the ministry as ORG by
    ana, GPE by ben and cy; a statement all overlap on, cy's kind differs; a claim only ana made."""
    spans, relations = [], []
    for who in ("ana", "ben", "cy"):
        spans.append(span(who, "Maria Lopez"))
        spans.append(span(who, "The ministry", "ORG" if who == "ana" else "GPE"))
        if who != "cy":
            spans.append(span(who, "Rome", "GPE"))
        words = "said prices will fall" if who == "cy" else "prices will fall"
        statement = span(who, words, "STATEMENT", Layer.STATEMENT, kind="direct" if who == "cy" else "indirect")
        spans.append(statement)
        speaker = next(s for s in spans if s.annotator == who and s.label == "PERSON")
        relations.append(Relation(statement.uid, speaker.uid, SPEAKER))
    spans.append(span("ana", "The ministry spent 4 million on roads", "CLAIM", Layer.CLAIM,
                      checkworthiness="check-worthy factual"))
    spans.append(Span(0, 5, "PERSON", annotator="cy", state=State.SUGGESTED))  # a suggestion: nobody's answer
    return Document(TEXT, title="Prices", id=1), spans, relations


def items_by_text(found):
    return {(item.layer, TEXT[item.start:item.end]): item for item in found.items}


def test_needed_by_policy():
    assert [needed(UNANIMOUS, 3), needed(MAJORITY, 3), needed(MAJORITY, 4), needed(2, 3)] == [3, 2, 3, 2]


def test_unanimous_majority_and_threshold():
    doc, spans, relations = three()
    statuses = {"ana": "done", "ben": "done", "cy": "in_progress", GOLD: "in_progress"}
    found = versions(doc, spans, relations, statuses, UNANIMOUS)
    assert found.annotators == ("ana", "ben", "cy")  # gold is never a version
    items = items_by_text(found)
    assert len(found.items) == 5
    assert items[Layer.ENTITY, "Maria Lopez"].agreed and items[Layer.ENTITY, "Maria Lopez"].support == 3
    assert not items[Layer.ENTITY, "Rome"].agreed  # cy marked nothing there
    assert not items[Layer.ENTITY, "The ministry"].agreed
    assert items[Layer.ENTITY, "The ministry"].proposal.label == "GPE"  # what most said
    statement = items[Layer.STATEMENT, "said prices will fall"]
    assert set(statement.members) == {"ana", "ben", "cy"} and not statement.agreed
    assert statement.proposal.attributes[KIND] == "indirect" and statement.support == 2
    assert len(found.disagreements) == 4

    found = versions(doc, spans, relations, statuses, MAJORITY)
    items = items_by_text(found)
    agreed = {key for key, item in items.items() if item.agreed}
    assert agreed == {(Layer.ENTITY, "Maria Lopez"), (Layer.ENTITY, "Rome"), (Layer.ENTITY, "The ministry"),
                      (Layer.STATEMENT, "said prices will fall")}
    assert [(i.layer, TEXT[i.start:i.end]) for i in found.disagreements] == [
        (Layer.CLAIM, "The ministry spent 4 million on roads")]
    gold, links = agreed_spans(found)
    assert {(TEXT[s.start:s.end], s.label) for s in gold} == {
        ("Maria Lopez", "PERSON"), ("The ministry", "GPE"), ("Rome", "GPE"), ("prices will fall", "STATEMENT")}
    assert all(s.annotator == GOLD and s.origin == "agreed:majority" for s in gold)
    statement_gold = next(s for s in gold if s.layer == Layer.STATEMENT)
    person = next(s for s in gold if s.label == "PERSON")
    assert [(r.head, r.tail, r.label) for r in links] == [(statement_gold.uid, person.uid, SPEAKER)]

    found = versions(doc, spans, relations, statuses, 1)  # a threshold of one: anything anyone marked
    assert not found.disagreements
    assert items_by_text(found)[Layer.CLAIM, "The ministry spent 4 million on roads"].agreed


def test_steps_take_accept_reject_and_undo():
    doc, spans, relations = three()
    found = versions(doc, spans, relations, {}, MAJORITY)
    curation = Curation(found, [], [], None, "zoe")
    fill = curation.fill_agreed()
    assert fill.annotator == GOLD and fill.status_after == Status.IN_PROGRESS and len(fill.after) == 4
    curation.apply(fill)
    ministry = items_by_text(found)[Layer.ENTITY, "The ministry"]
    assert curation.state_of(ministry) == "gold = 2, 3"
    take = curation.take(ministry, "ana")
    curation.apply(take)
    assert [(s.label, s.origin) for s in curation.gold.visible(Layer.ENTITY) if s.start == ministry.start] == [
        ("ORG", "curated:zoe")]
    assert curation.state_of(ministry) == "gold = 1"
    curation.apply(take.inverse())
    assert curation.state_of(ministry) == "gold = 2, 3"
    claim = found.disagreements[0]
    assert curation.state_of(claim) == "open"
    curation.apply(curation.accept(claim))
    assert curation.current_gold(claim).attributes[CHECKWORTHINESS] == "check-worthy factual"
    curation.apply(curation.reject(claim))
    assert curation.state_of(claim) == "rejected" and curation.current_gold(claim) is None
    assert curation.accept(claim) is None  # settled: accept leaves it alone
    rome = items_by_text(found)[Layer.ENTITY, "Rome"]
    edit = curation.take(rome, "cy")  # cy marked nothing: the place is rejected
    assert [s.state for s in edit.after] == [State.REJECTED]
    statement = items_by_text(found)[Layer.STATEMENT, "said prices will fall"]
    edit = curation.take(statement, "cy")
    assert {r.label for r in edit.relations_before} == {SPEAKER} and len(edit.relations_after) == 1
    curation.apply(edit)
    assert curation.state_of(statement) == "gold = 3"
    person = items_by_text(found)[Layer.ENTITY, "Maria Lopez"]
    moved = curation.move(person, "end", -1)
    assert doc.text[moved.after[0].start:moved.after[0].end] == "Maria"
    assert moved.after[0].state == State.ACCEPTED and moved.after[0].origin == "curated:zoe"
    relabelled = curation.relabel(person, "ORG")
    assert relabelled.after[0].label == "ORG" and relabelled.annotator == GOLD
