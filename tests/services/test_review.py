"""The order of Review Least Certain First: the model's uncertainty across the project, then the unscored
suggestions in document order, read a page at a time from a real SQLite project."""

import sqlite3

import pytest
from sqlalchemy import event

from annotator.core.annotations import Annotations
from annotator.core.model import Document, Layer, Span, State
from annotator.core.suggestions import Attribution, Found, Suggesters
from annotator.services import review
from annotator.services.annotating import open_annotations, save
from annotator.services.schema import schema_of
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans, save_found

FIRST = "Maria Lopez said: “Prices will fall next year.” Unemployment fell to 3%. It rained all week."
SECOND = "The mayor claimed that the bridge will open in May. Rome is far."
SUGGESTERS = Suggesters("en_test@1", "statement-rules@1", "claim-rules@1")


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def stocked(any_project):
    """The same query on both backends (PostgreSQL when a server is given)."""
    return stock(any_project)


def stock(project):
    """Two articles with suggestions of every layer: scores 0.7 and 0.52 (statements), 0.95 and 0.3 (claims),
    and entities without a score."""
    first, second = add_documents(project, [Document(FIRST, title="Prices"), Document(SECOND, title="Bridge")]).added
    lopez = at(FIRST, "Maria Lopez")
    found_first = Found(
        entities=[(*lopez, "PERSON")],
        attributions=[Attribution(at(FIRST, "“Prices will fall next year.”"), at(FIRST, "said"), lopez, lopez,
                                  "direct", 0.7)],
        claims=[(*at(FIRST, "Unemployment fell to 3%."), 0.95), (*at(FIRST, "It rained all week."), 0.3)],
    )
    mayor = at(SECOND, "The mayor")
    found_second = Found(
        entities=[(*at(SECOND, "Rome"), "GPE")],
        attributions=[Attribution(at(SECOND, "the bridge will open in May"), at(SECOND, "claimed"), mayor, mayor,
                                  "indirect", 0.52)],
    )
    save_found(project, [(first.id, found_first), (second.id, found_second)], SUGGESTERS, set(Layer), "en_test@1")
    return project, first.id, second.id


def words_of(project, places):
    texts = {1: FIRST, 2: SECOND}
    found = []
    for place in places:
        annotations = open_annotations(project, place.document_id, "ana", schema_of(project))
        span = annotations.spans[place.uid]
        found.append(texts[place.document_id][span.start : span.end])
    return found


def test_least_certain_first_across_documents_then_the_unscored_in_document_order(stocked):
    project, _, _ = stocked
    places = review.least_certain(project)
    assert words_of(project, places) == [
        "the bridge will open in May",  # 0.52: the model was least sure
        "“Prices will fall next year.”",  # 0.7 (0.2 from the middle; 0.3 is as far, and comes later in the text)
        "It rained all week.",  # 0.3
        "Unemployment fell to 3%.",  # 0.95
        "Maria Lopez",  # no score: in document order
        "The mayor",
        "Rome",
    ]
    assert [p.layer for p in places[:4]] == [Layer.STATEMENT, Layer.STATEMENT, Layer.CLAIM, Layer.CLAIM]
    assert places[0].uncertainty == pytest.approx(0.02) and places[4].uncertainty is None


def test_pages_continue_where_the_last_one_ended(stocked):
    project, _, _ = stocked
    whole = review.least_certain(project)
    assert list(review.walk(project, page=2)) == whole  # a page ending among the scored and among the unscored
    assert list(review.walk(project, page=4)) == whole  # a page ending just where the unscored begin
    assert review.least_certain(project, whole[-1]) == []


def test_answered_suggestions_leave_the_order(stocked):
    project, first, _ = stocked
    annotations = open_annotations(project, first, "ana", schema_of(project))
    statement = annotations.visible(Layer.STATEMENT)[0]
    save(project, annotations.accept(statement.uid))  # its speaker, Maria Lopez, with it
    claim = next(c for c in annotations.visible(Layer.CLAIM) if c.attributes["score"] == 0.3)
    save(project, annotations.reject(claim.uid))
    assert words_of(project, review.least_certain(project)) == [
        "the bridge will open in May", "Unemployment fell to 3%.", "The mayor", "Rome"
    ]


def test_a_score_that_is_not_a_number_counts_as_none(stocked):
    project, first, _ = stocked
    start, end = at(FIRST, "fell")
    add_spans(project, first, [Span(start, end, "DATE", origin="import:x", state=State.SUGGESTED,
                                    attributes={"score": "high"})])
    places = review.least_certain(project)
    assert [p.uncertainty for p in places].count(None) == 4
    assert words_of(project, places)[4:6] == ["Maria Lopez", "fell"]


def test_describe_gives_the_words_their_context_speaker_and_cue(stocked):
    project, first, second = stocked
    annotations = open_annotations(project, second, "ana", schema_of(project))
    statement = annotations.visible(Layer.STATEMENT)[0]
    shown = review.describe(annotations, statement.uid, context=10)
    assert (shown.title, shown.words, shown.speaker, shown.cue, shown.kind) == (
        "Bridge", "the bridge will open in May", "The mayor", "claimed", "indirect"
    )
    assert (shown.before, shown.after) == ("…that ", ". Rome is…")  # cut between words
    assert shown.speaker_at is None and shown.cue_at is None  # both outside so narrow a context
    wide = review.describe(annotations, statement.uid)
    assert wide.context[slice(*wide.speaker_at)] == "The mayor" and wide.context[slice(*wide.cue_at)] == "claimed"
    assert wide.context[slice(*wide.words_at)] == "the bridge will open in May"
    assert shown.facts == "Statement · score 0.52 · speaker: The mayor · cue: claimed · indirect"
    save(project, annotations.accept(statement.uid))
    again = open_annotations(project, second, "ana", schema_of(project))
    assert review.describe(again, statement.uid) is None  # answered: nothing to show

    claims = open_annotations(project, first, "ana", schema_of(project))
    top = review.claims_by_score(claims)[0]
    assert review.describe(claims, top.uid).facts == "Claim · check-worthiness 0.95 · check-worthy factual"


def test_claims_by_score_puts_the_highest_first_and_the_unscored_last(stocked):
    project, first, _ = stocked
    annotations = open_annotations(project, first, "ana", schema_of(project))
    start, end = at(FIRST, "Maria Lopez said")
    person = Span(start, end, "CLAIM", Layer.CLAIM, origin="ana", document_id=first)
    annotations = Annotations(annotations.document, [*annotations.spans.values(), person], [], "ana")
    ordered = [FIRST[c.start : c.end] for c in review.claims_by_score(annotations)]
    assert ordered == ["Unemployment fell to 3%.", "It rained all week.", "Maria Lopez said"]
    assert len(review.claims_by_score(annotations, unreviewed_only=True)) == 2


def test_with_an_index_on_the_uncertainty_every_page_is_a_search(project):
    """The queries spell the uncertainty as migration 0006's index does, so the index serves them."""
    stock(project)
    asked = []

    @event.listens_for(project.engine, "before_cursor_execute")
    def remember(_conn, _cursor, statement, parameters, _context, _many):
        if "state = 'suggested'" in statement and "documents" not in statement:
            asked.append((statement, parameters))

    whole = list(review.walk(project, page=2))
    assert len(whole) == 7 and len(asked) >= 4
    with sqlite3.connect(project.path) as raw:
        for statement, parameters in asked:
            plan = " ".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "USING INDEX ix_spans_review" in plan and "SCAN" not in plan, (statement, plan)
