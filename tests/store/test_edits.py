"""Saving actions: each Edit is one transaction, its inverse restores the project exactly, and an
action on something changed elsewhere is refused with nothing half-saved. SQLite and PostgreSQL."""

import pytest

from annotator.core.annotations import Annotations
from annotator.core.model import Document, Layer, Span, State, Status
from annotator.services import annotating
from annotator.services.projects import default_schema
from annotator.store.annotated import load_annotated
from annotator.store.documents import add_documents, document_summaries
from annotator.store.edits import ChangedElsewhere, apply_edit, status_of
from annotator.store.spans import add_spans

TEXT = "Sergey Lavrov said on Tuesday: “Talks go on 😀.”"


def at(words):
    start = TEXT.index(words)
    return start, start + len(words)


def snapshot(project, doc_id):
    document, spans, relations = load_annotated(project, doc_id)
    return (
        sorted((s.uid, s.start, s.end, s.label, str(s.state), s.annotator, str(s.attributes)) for s in spans),
        sorted((r.uid, r.head, r.tail, r.label) for r in relations),
    )


@pytest.fixture
def doc(any_project):
    [added] = add_documents(any_project, [Document(TEXT, title="Talks")]).added
    add_spans(any_project, added.id, [Span(*at("Lavrov"), "PERSON", origin="m@1", state=State.SUGGESTED)])
    return added


def fresh(project, doc):
    return annotating.open_annotations(project, doc.id, "ana", default_schema())


def test_each_action_and_its_undo_round_trip_through_the_database(any_project, doc):
    ann = fresh(any_project, doc)
    person = ann.visible()[0]
    quote = ann.tag(Layer.STATEMENT, "STATEMENT", *at("“Talks go on 😀.”"))
    states = [snapshot(any_project, doc.id)]
    edits = [quote]
    apply_edit(any_project, quote)
    ann.apply(quote)
    states.append(snapshot(any_project, doc.id))
    statement = quote.after[0].uid
    for make in (
        lambda: ann.move(person.uid, "start", -1),
        lambda: ann.set_speaker(statement, person.uid),
        lambda: ann.set_cue(statement, *at("said")),
        lambda: ann.reject(person.uid),  # drops the speaker link too
        lambda: ann.set_status(Status.DONE),
    ):
        edit = make()
        apply_edit(any_project, edit)
        ann.apply(edit)
        edits.append(edit)
        states.append(snapshot(any_project, doc.id))
        assert snapshot(any_project, doc.id) == snapshot_of(ann)
    assert status_of(any_project, doc.id, "ana") == Status.DONE
    assert document_summaries(any_project, "ana")[0].status == Status.DONE
    assert document_summaries(any_project, "bo")[0].status == Status.NEW
    for edit in reversed(edits):
        states.pop()
        apply_edit(any_project, edit.inverse())
        assert snapshot(any_project, doc.id) == states[-1]
    assert status_of(any_project, doc.id, "ana") is None


def snapshot_of(ann: Annotations):
    return (
        sorted((s.uid, s.start, s.end, s.label, str(s.state), s.annotator, str(s.attributes)) for s in ann.spans.values()),
        sorted((r.uid, r.head, r.tail, r.label) for r in ann.relations.values()),
    )


def test_an_action_on_a_span_deleted_elsewhere_is_refused_and_nothing_is_saved(any_project, doc):
    setup = fresh(any_project, doc)
    tag = setup.tag(Layer.ENTITY, "DATE", *at("Tuesday"))
    apply_edit(any_project, tag)
    mine, theirs = fresh(any_project, doc), fresh(any_project, doc)  # two windows on one project
    tuesday = tag.after[0].uid
    apply_edit(any_project, theirs.reject(tuesday))  # the other window deletes it
    before = snapshot(any_project, doc.id)
    relabel = mine.relabel(tuesday, "TIME")
    both = relabel.__class__(
        relabel.document_id,
        relabel.before,
        relabel.after + (Span(*at("Sergey"), "PERSON", origin="ana", document_id=doc.id),),
        annotator="ana",
    )
    with pytest.raises(ChangedElsewhere, match="changed in another window"):
        apply_edit(any_project, both)
    assert snapshot(any_project, doc.id) == before  # not even the new span of the same action


def test_the_latest_status_anyone_set_is_what_the_project_and_export_show(any_project, doc):
    """Without an annotator named (the CLI, stats, an export without --annotator) a document shows the
    newest status anyone set; taking it back shows the one before, and a document nobody has touched
    keeps the status it was imported with. Setting a status does not rewrite the article's row."""
    from sqlalchemy import select

    from annotator.store.documents import get_document, iter_documents
    from annotator.store.stats import project_counts
    from annotator.store.tables import documents

    [imported] = add_documents(any_project, [Document("Another article.", status=Status.DONE)]).added

    def row_stamp():
        with any_project.reading() as conn:
            return conn.execute(select(documents.c.updated).where(documents.c.id == doc.id)).scalar_one()

    before = row_stamp()
    ana, bo = fresh(any_project, doc), annotating.open_annotations(any_project, doc.id, "bo", default_schema())
    first = ann_status(any_project, ana, Status.IN_PROGRESS)
    ann_status(any_project, bo, Status.DONE)
    assert document_summaries(any_project)[0].status == Status.DONE
    assert get_document(any_project, doc.id).status == Status.DONE
    assert project_counts(any_project)["statuses"] == {"done": 2}
    bo_done = bo.set_status(Status.SKIPPED)
    apply_edit(any_project, bo_done)
    assert [d.status for batch in iter_documents(any_project) for d in batch] == [Status.SKIPPED, Status.DONE]
    apply_edit(any_project, bo_done.inverse())
    assert get_document(any_project, doc.id).status == Status.DONE  # bo's done again
    assert get_document(any_project, imported.id).status == Status.DONE  # as imported, untouched
    assert first.changes_status and row_stamp() == before


def ann_status(project, ann, status):
    edit = ann.set_status(status)
    apply_edit(project, edit)
    ann.apply(edit)
    return edit
