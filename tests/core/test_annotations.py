"""The rules that turn an analyst's key press into an Edit, and the Edit's exact inverse."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from annotator.core.annotations import Annotations, Refused
from annotator.core.graphemes import end_of, is_boundary, start_of
from annotator.core.model import Document, Layer, Relation, Span, State, Status
from annotator.core.tokens import move_edge, snap
from annotator.core.vocabulary import SPEAKER, SPEAKER_LABEL

TEXT = "Sergey Lavrov told the Foreign Ministry in Moscow on Tuesday: “Talks go on 😀.”"
MODEL = "en_test@1"


def at(words):
    start = TEXT.index(words)
    return start, start + len(words)


def annotations(*spans, nested=False, status=None):
    return Annotations(Document(TEXT, id=1), list(spans), [], "ana", status, nested)


def suggestion(words, label):
    return Span(*at(words), label, origin=MODEL, state=State.SUGGESTED, document_id=1)


def applied(ann, edit):
    ann.apply(edit)
    return {(TEXT[s.start:s.end], s.label, s.state) for s in ann.visible()}


def test_a_half_selected_word_snaps_to_the_whole_word_and_spaces_are_dropped():
    start, _ = at("Lavrov")
    assert snap(TEXT, start + 2, start + 4) == at("Lavrov")
    assert snap(TEXT, start - 1, start + 6) == at("Lavrov")  # the space before is not part of it
    assert snap(TEXT, 6, 7) == (7, 7)  # only a space: nothing to label


def test_boundaries_move_by_one_token_and_never_empty_a_span():
    lavrov = at("Lavrov")
    assert move_edge(TEXT, *lavrov, "start", -1) == at("Sergey Lavrov")
    assert move_edge(TEXT, *lavrov, "end", 1) == at("Lavrov told")
    assert move_edge(TEXT, *lavrov, "end", -1) == lavrov  # would be empty
    assert move_edge(TEXT, *at("Moscow"), "end", 1) == at("Moscow on")


def test_tagging_is_marked_as_the_annotators_and_starts_the_document():
    ann = annotations()
    edit = ann.tag(Layer.ENTITY, "DATE", *at("Tuesday"))
    assert edit.status_before is None and edit.status_after == Status.IN_PROGRESS
    [span] = edit.after
    assert (span.origin, span.annotator, span.state) == ("ana", "ana", State.ACCEPTED)


def test_selecting_over_a_suggestion_redraws_it_as_edited():
    ann = annotations(suggestion("Foreign Ministry", "ORG"))
    edit = ann.tag(Layer.ENTITY, "ORG", *at("the Foreign Ministry"))
    assert applied(ann, edit) == {("the Foreign Ministry", "ORG", State.EDITED)}
    assert ann.visible()[0].origin == MODEL  # who made it first is kept


def test_crossing_entities_are_refused_nesting_only_where_the_schema_allows():
    outer = Span(*at("the Foreign Ministry in Moscow"), "ORG", origin="ana", document_id=1)
    plain = annotations(outer)
    with pytest.raises(Refused, match="does not nest entities"):
        plain.tag(Layer.ENTITY, "GPE", *at("Moscow"))
    crossing = plain.tag(Layer.ENTITY, "GPE", *at("Moscow on"))  # crossing: the span is redrawn
    assert applied(plain, crossing) == {("Moscow on", "GPE", State.ACCEPTED)}
    nested = annotations(outer, nested=True)
    assert applied(nested, nested.tag(Layer.ENTITY, "GPE", *at("Moscow"))) == {
        ("the Foreign Ministry in Moscow", "ORG", State.ACCEPTED),
        ("Moscow", "GPE", State.ACCEPTED),
    }


def test_rejecting_keeps_a_models_span_as_rejected_and_deletes_a_persons():
    mine = Span(*at("Tuesday"), "DATE", origin="ana", document_id=1)
    ann = annotations(suggestion("Moscow", "GPE"), mine)
    ann.apply(ann.reject(ann.visible()[0].uid))
    assert [s.state for s in ann.spans.values() if s.label == "GPE"] == [State.REJECTED]
    ann.apply(ann.reject(mine.uid))
    assert mine.uid not in ann.spans


def test_every_edit_is_undone_exactly_by_its_inverse():
    person = suggestion("Lavrov", "PERSON")
    quote = Span(*at("“Talks go on 😀.”"), "STATEMENT", Layer.STATEMENT, origin="ana", document_id=1)
    ann = annotations(person, quote, status=Status.NEW)
    before = (dict(ann.spans), dict(ann.relations), ann.status)
    for make in (
        lambda: ann.tag(Layer.ENTITY, "DATE", *at("Tuesday")),
        lambda: ann.accept_all(),
        lambda: ann.move(person.uid, "start", -1),
        lambda: ann.set_speaker(quote.uid, person.uid),
        lambda: ann.set_speaker_text(quote.uid, "the press service"),
        lambda: ann.set_cue(quote.uid, *at("told")),
        lambda: ann.reject(person.uid),
        lambda: ann.set_status(Status.DONE),
    ):
        edit = make()
        ann.apply(edit)
        ann.apply(edit.inverse())
        assert (dict(ann.spans), dict(ann.relations), ann.status) == before
        ann.apply(edit)  # and go on from the changed state
        before = (dict(ann.spans), dict(ann.relations), ann.status)


def test_a_speaker_in_the_text_replaces_a_typed_one_and_deleting_the_entity_drops_the_link():
    person = Span(*at("Sergey Lavrov"), "PERSON", origin="ana", document_id=1)
    quote = Span(*at("“Talks go on 😀.”"), "STATEMENT", Layer.STATEMENT, origin="ana", document_id=1)
    ann = annotations(person, quote)
    ann.apply(ann.set_speaker_text(quote.uid, "the ministry's press service"))
    assert ann.speaker_words(ann.spans[quote.uid]) == "the ministry's press service"
    ann.apply(ann.set_speaker(quote.uid, person.uid))
    assert ann.speaker_words(ann.spans[quote.uid]) == "Sergey Lavrov"
    assert "speaker_text" not in ann.spans[quote.uid].attributes
    removal = ann.reject(person.uid)
    assert [r.label for r in removal.relations_before] == [SPEAKER] and removal.relations_after == ()


@given(st.text(alphabet=st.sampled_from("ab 😀\u0301-.\n"), max_size=30), st.integers(0, 30), st.integers(0, 30))
@example(" \u0301 a", 0, 4)  # past the accent on a space lies the next space
@example(" \u0301 ", 0, 3)
def test_snapping_always_gives_a_range_inside_the_text_covering_the_selection_words(text, a, b):
    start, end = snap(text, min(a, len(text)), min(b, len(text)))
    assert 0 <= start <= end <= len(text)
    if start < end:  # no blank at either edge; a space that carries an accent is a character of its own
        assert not text[start : end_of(text, start + 1)].isspace()
        assert not text[start_of(text, end - 1) : end].isspace()
        assert is_boundary(text, start) and is_boundary(text, end)


def test_a_statement_may_sit_inside_another_and_the_same_one_is_not_marked_twice():
    ann = annotations()
    outer = ann.tag(Layer.STATEMENT, "STATEMENT", *at("Sergey Lavrov told the Foreign Ministry in Moscow on Tuesday: “Talks go on 😀.”"))
    ann.apply(outer)
    inner = ann.tag(Layer.STATEMENT, "STATEMENT", *at("“Talks go on 😀.”"))
    ann.apply(inner)
    assert len(ann.visible(Layer.STATEMENT)) == 2
    assert ann.tag(Layer.STATEMENT, "STATEMENT", *at("“Talks go on 😀.”")) is None


def suggested_statement(speaker_label):
    """A suggested statement with its suggested speaker, as pre-annotation stores them."""
    statement = Span(*at("“Talks go on 😀.”"), "STATEMENT", Layer.STATEMENT, "statement-rules@1", State.SUGGESTED,
                     {"cue": list(at("told")), "kind": "direct"}, document_id=1)
    speaker = Span(*at("Sergey Lavrov"), speaker_label, origin="statement-rules@1", state=State.SUGGESTED,
                   document_id=1)
    link = Relation(statement.uid, speaker.uid, SPEAKER, document_id=1)
    return Annotations(Document(TEXT, id=1), [statement, speaker], [link], "ana", None, False), statement, speaker


def test_accepting_a_suggested_statement_accepts_its_speaker_and_keeps_its_cue():
    ann, statement, speaker = suggested_statement("PERSON")
    edit = ann.accept(statement.uid)
    ann.apply(edit)
    assert ann.spans[statement.uid].state == ann.spans[speaker.uid].state == State.ACCEPTED
    assert ann.spans[statement.uid].attributes["cue"] == list(at("told"))
    assert ann.linked(statement.uid, SPEAKER).uid == speaker.uid
    ann.apply(edit.inverse())  # one undo takes both back
    assert ann.spans[statement.uid].state == ann.spans[speaker.uid].state == State.SUGGESTED


def test_rejecting_a_suggested_statement_rejects_the_speaker_span_made_for_it_alone():
    ann, statement, speaker = suggested_statement(SPEAKER_LABEL)
    ann.apply(ann.reject(statement.uid))
    assert ann.spans[statement.uid].state == ann.spans[speaker.uid].state == State.REJECTED
    ann, statement, entity = suggested_statement("PERSON")  # an entity the recogniser found stays
    ann.apply(ann.reject(statement.uid))
    assert (ann.spans[statement.uid].state, ann.spans[entity.uid].state) == (State.REJECTED, State.SUGGESTED)
