"""The dashboard's figures on a real project file: two annotators' statuses on given days, entities,
statements with linked and typed speakers, claims; each figure against counts made by hand, and the
same figures from `annotator stats --json`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import text as sql
from sqlalchemy import update

from annotator.app import main
from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Relation, Span, State, Status
from annotator.core.vocabulary import CHECKWORTHINESS, CLAIM_TYPE, SCORE, SPEAKER, SPEAKER_LABEL, SPEAKER_TEXT
from annotator.services.dashboard import dashboard_figures
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit
from annotator.store.tables import document_statuses

FIRST = "Maria Lopez said prices will fall. The ministry spent 4 million on roads."
SECOND = "The mayor said the bridge will open in May. Taxes rose by 3 percent."
THIRD = "Nobody said anything here."


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def tag(project, doc_id: int, who: str, spans, relations=(), status=Status.DONE) -> None:
    mine = tuple(s.with_changes(annotator=who, origin=who, document_id=doc_id) for s in spans)
    apply_edit(project, Edit(doc_id, after=mine, relations_after=tuple(relations), annotator=who, status_after=status))


def said(text, words, speaker_words=None, typed=None, state=State.ACCEPTED):
    """A statement, with its speaker as an entity in the text (a SPEAKER span and a link) or typed."""
    content = Span(*at(text, words), "STATEMENT", Layer.STATEMENT, state=state,
                   attributes={SPEAKER_TEXT: typed} if typed else {})
    if speaker_words is None:
        return [content], []
    speaker = Span(*at(text, speaker_words), SPEAKER_LABEL, Layer.ENTITY)
    return [content, speaker], [Relation(content.uid, speaker.uid, SPEAKER)]


def claim(text, words, **attributes):
    state = State.SUGGESTED if SCORE in attributes else State.ACCEPTED
    return Span(*at(text, words), "CLAIM", Layer.CLAIM, state=state, attributes=attributes)


def on_day(project, doc_id: int, who: str, day: str) -> None:
    """The annotator set their status of the document on ``day`` (the store stamps now)."""
    stamp = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
    with project.writing() as conn:
        conn.execute(update(document_statuses)
                     .where(document_statuses.c.document_id == doc_id, document_statuses.c.annotator == who)
                     .values(updated=stamp))


@pytest.fixture
def worked(project):
    first, second, third = add_documents(project, [Document(FIRST, title="Prices"), Document(SECOND, title="Bridge"),
                                                   Document(THIRD, title="Nothing")]).added
    spans, links = said(FIRST, "prices will fall", "Maria Lopez")
    tag(project, first.id, "ana", [Span(*at(FIRST, "Maria Lopez"), "PERSON"), *spans,
                                   claim(FIRST, "The ministry spent 4 million on roads.",
                                         **{CHECKWORTHINESS: "check-worthy factual", CLAIM_TYPE: "numerical"})], links)
    spans, _ = said(FIRST, "prices will fall", typed="MARIA   lopez")  # the same speaker, typed otherwise
    tag(project, first.id, "ben", [Span(*at(FIRST, "Maria Lopez"), "PERSON"), *spans,
                                   claim(FIRST, "The ministry spent 4 million on roads.",
                                         **{CHECKWORTHINESS: "Non-factual"})])  # no type: its label
    spans, _ = said(SECOND, "the bridge will open in May", typed="The mayor")
    rejected, _ = said(SECOND, "Taxes rose by 3 percent", typed="The mayor", state=State.REJECTED)
    tag(project, second.id, "ana", [*spans, *rejected, Span(*at(SECOND, "The mayor"), "PERSON"),
                                    claim(SECOND, "Taxes rose by 3 percent.", **{SCORE: 0.3})])  # a model's
    tag(project, second.id, "ben", [], status=Status.SKIPPED)
    no_speaker, _ = said(THIRD, "anything here")
    tag(project, third.id, "ana", no_speaker, status=Status.IN_PROGRESS)
    for doc, who, day in ((first, "ana", "2026-11-01"), (second, "ana", "2026-11-03"), (third, "ana", "2026-11-03"),
                          (first, "ben", "2026-11-02"), (second, "ben", "2026-11-02")):
        on_day(project, doc.id, who, day)
    return project


def test_progress_counts_each_annotators_documents_by_the_day_they_reached_their_status(worked):
    series = dashboard_figures(worked)["progress"]["series"]
    assert {(s["annotator"], s["status"]): s["points"] for s in series} == {
        ("ana", "done"): [["2026-11-01", 1], ["2026-11-03", 2]],
        ("ana", "in_progress"): [["2026-11-03", 1]],
        ("ben", "done"): [["2026-11-02", 1]],
        ("ben", "skipped"): [["2026-11-02", 1]],
    }


def test_labels_count_every_annotators_spans_but_rejected_ones(worked):
    labels = {(row["layer"], row["label"]): row["spans"] for row in dashboard_figures(worked)["labels"]}
    # PERSON: ana and ben on the first, ana on the second; the rejected statement is left out
    assert labels == {("entity", "PERSON"): 3, ("entity", SPEAKER_LABEL): 1, ("statement", "STATEMENT"): 4,
                      ("claim", "CLAIM"): 3}


def test_statements_per_speaker_join_linked_and_typed_names_whatever_their_case_and_spacing(worked):
    speakers = dashboard_figures(worked)["speakers"]
    assert speakers["speakers"] == [{"speaker": "Maria Lopez", "statements": 2},
                                    {"speaker": "The mayor", "statements": 1}]
    assert speakers["without_speaker"] == 1
    assert dashboard_figures(worked, top=1)["speakers"]["other_statements"] == 1


def test_a_speaker_linked_to_a_registry_entry_counts_under_the_entrys_name(worked):
    from annotator.services import registry
    from annotator.store.tables import spans as span_table

    with worked.reading() as conn:
        speaker_ids = [row.id for row in conn.execute(span_table.select().where(span_table.c.label == SPEAKER_LABEL))]
    registry.confirm(worked, speaker_ids, new_name="María López Ortega", kind="PERSON")
    speakers = dashboard_figures(worked)["speakers"]["speakers"]
    # ana's linked statement under the entry; ben's typed "MARIA   lopez" stays as typed
    assert {"speaker": "María López Ortega", "statements": 1} in speakers
    assert {"speaker": "MARIA lopez", "statements": 1} in speakers


def test_claims_by_checkworthiness_class_and_type(worked):
    claims = dashboard_figures(worked)["claims"]
    assert claims["checkworthiness"] == ["check-worthy factual", "unimportant factual", "non-factual"]
    # ben's "Non-factual" is the schema's class; the model's 0.3 falls in the middle class
    assert {(row["checkworthiness"], row["type"]): row["claims"] for row in claims["counts"]} == {
        ("check-worthy factual", "numerical"): 1, ("non-factual", "CLAIM"): 1, ("unimportant factual", "CLAIM"): 1}


def test_agreement_per_label_on_the_documents_both_annotators_worked_on(worked):
    found = dashboard_figures(worked)["agreement"]
    assert found["annotators"] == ["ana", "ben"] and found["shared_documents"] == 2
    f1 = {row["label"]: row["f1"] for row in found["labels"]}
    # PERSON: both marked Maria Lopez on the first, ana alone the mayor on the second (skipped by ben):
    # 2 x 1 matched / (2 + 1) spans; the same for the statements (the third document is ana's alone)
    assert f1["PERSON"] == pytest.approx(2 / 3, abs=1e-4)
    assert f1["STATEMENT"] == pytest.approx(2 / 3, abs=1e-4)


def test_one_annotator_has_no_agreement_and_an_empty_project_no_figures(project):
    (doc,) = add_documents(project, [Document(FIRST)]).added
    tag(project, doc.id, "ana", [Span(*at(FIRST, "Maria Lopez"), "PERSON")])
    found = dashboard_figures(project)["agreement"]
    assert found["labels"] == [] and found["note"]
    with project.writing() as conn:
        conn.execute(sql("DELETE FROM documents"))
    figures = dashboard_figures(project)
    assert figures["labels"] == [] and figures["progress"]["series"] == [] and figures["claims"]["counts"] == []
    assert figures["speakers"]["speakers"] == []


def test_label_counts_read_the_index_not_every_span(worked):
    """2.7 s on the 100,000-document benchmark project when every span was read and sorted; 0.35 s so."""
    with worked.reading() as conn:
        plan = " ".join(str(row) for row in conn.execute(
            sql("EXPLAIN QUERY PLAN SELECT layer, label, count(*) FROM spans WHERE state != 'rejected' "
                "GROUP BY layer, label")))
    assert "COVERING INDEX ix_spans_layer_label_state" in plan


def test_stats_json_carries_the_same_figures(worked, capsys):
    expected = json.loads(json.dumps(dashboard_figures(worked)))
    worked.close()
    assert main(["stats", "--project", str(worked.location), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["dashboard"] == expected
