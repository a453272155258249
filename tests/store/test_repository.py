from sqlalchemy import text

from annotator.core.model import Document, Layer, Span, State
from annotator.core.schema import LabelSchema
from annotator.store.annotated import annotated_batches, load_annotated
from annotator.store.documents import add_documents, count_documents, document_summaries, unsuggested_texts
from annotator.store.labels import load_schema, save_schema
from annotator.store.settings import get_setting, set_setting
from annotator.store.spans import add_spans, save_suggestions
from annotator.store.stats import project_counts

EMOJI_TEXT = "Hi 😀 Lavrov said. 🇷🇺 Lavrov again, café Lavrov"


def test_duplicates_are_skipped_within_a_batch_and_against_the_project(any_project):
    first = add_documents(any_project, [Document("Same text.", title="A"), Document("Same text.", title="B")])
    assert [d.title for d in first.added] == ["A"]
    assert [(d.title, kept) for d, kept in first.duplicates] == [("B", "A")]
    second = add_documents(any_project, [Document("Same text.", title="C"), Document("New text.", title="D")])
    assert [d.title for d in second.added] == ["D"]
    assert [(d.title, kept) for d, kept in second.duplicates] == [("C", "A")]
    assert count_documents(any_project) == 2


def test_text_and_spans_are_stored_exactly(any_project):
    doc = add_documents(any_project, [Document(EMOJI_TEXT, title="t", date="2021-01-13", meta={"k": [1, "ü"]})]).added[0]
    start = EMOJI_TEXT.index("Lavrov")
    add_spans(any_project, doc.id, [Span(start, start + 6, "PERSON", origin="me", attributes={"note": "🇷🇺"})])
    stored, spans, relations = load_annotated(any_project, doc.id)
    assert stored.text == EMOJI_TEXT
    assert (stored.title, stored.date, stored.meta) == ("t", "2021-01-13", {"k": [1, "ü"]})
    assert [(s.text_in(stored.text), s.label, s.origin, s.attributes) for s in spans] == [
        ("Lavrov", "PERSON", "me", {"note": "🇷🇺"})
    ]
    assert relations == []


def test_full_text_index_follows_the_documents(project):
    # SQLite only: the FTS5 index is SQLite's; PostgreSQL gets its own search with the search feature.
    add_documents(project, [Document("Sergey Lavrov met Ara Aivazian.", title="Talks"), Document("Wheat prices.")])
    with project.reading() as conn:
        hits = conn.execute(text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'aivazian'")).all()
    assert len(hits) == 1


def test_suggestions_mark_documents_and_counts_ignore_rejected(any_project):
    docs = add_documents(any_project, [Document("Lavrov spoke."), Document("Moscow is big.")]).added
    pending = [batch for batch in unsuggested_texts(any_project)]
    assert [[doc_id for doc_id, _ in batch] for batch in pending] == [[docs[0].id, docs[1].id]]
    suggestion = Span(0, 6, "PERSON", origin="m@1", state=State.SUGGESTED)
    rejected = Span(0, 6, "ORG", origin="m@1", state=State.REJECTED)
    assert save_suggestions(any_project, [(docs[0].id, [suggestion, rejected]), (docs[1].id, [])], "m@1") == (2, 2)
    assert list(unsuggested_texts(any_project)) == []
    assert count_documents(any_project, only_unsuggested=True) == 0
    summaries = {s.id: s.entity_count for s in document_summaries(any_project)}
    assert summaries == {docs[0].id: 1, docs[1].id: 0}
    counts = project_counts(any_project)
    assert counts["pre_annotated"] == 2
    assert counts["layers"]["entity"]["states"] == {"rejected": 1, "suggested": 1}


def test_batches_come_in_a_stable_order_with_their_spans(any_project):
    docs = add_documents(any_project, [Document(f"Document number {i}.") for i in range(7)]).added
    add_spans(any_project, docs[3].id, [Span(0, 8, "X", layer=Layer.CLAIM)])
    batches = list(annotated_batches(any_project, batch_size=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    flat = [doc.id for batch in batches for doc, _, _, _ in batch]
    assert flat == sorted(flat) == [d.id for d in docs]
    assert [len(spans) for batch in batches for _, spans, _, _ in batch] == [0, 0, 0, 1, 0, 0, 0]


def test_deleting_a_document_deletes_its_spans(any_project):
    doc = add_documents(any_project, [Document("Lavrov spoke.")]).added[0]
    add_spans(any_project, doc.id, [Span(0, 6, "PERSON")])
    with any_project.writing() as conn:
        conn.execute(text("DELETE FROM documents WHERE id = :id"), {"id": doc.id})
    with any_project.reading() as conn:
        assert conn.execute(text("SELECT count(*) FROM spans")).scalar() == 0


def test_schema_and_settings_are_kept_in_the_project(any_project):
    assert load_schema(any_project) is None
    schema = LabelSchema.from_dict(
        {"labels": [{"name": "PERSON", "colour": "#ffd6a5"}, {"name": "CLAIM", "layer": "claim"}], "attributes": {"claim": {"x": ["y"]}}}
    )
    save_schema(any_project, schema)
    assert load_schema(any_project) == schema
    set_setting(any_project, "demo.seeded", True)
    assert get_setting(any_project, "demo.seeded") is True
    assert get_setting(any_project, "absent", "fallback") == "fallback"


def test_a_second_run_over_the_same_documents_adds_nothing(any_project):
    # Two pre-annotation runs at once (a window and the CLI) both finish the same documents.
    doc = add_documents(any_project, [Document("Lavrov spoke.")]).added[0]
    suggestion = lambda: Span(0, 6, "PERSON", origin="m@1", state=State.SUGGESTED)  # noqa: E731
    assert save_suggestions(any_project, [(doc.id, [suggestion()])], "m@1") == (1, 1)
    assert save_suggestions(any_project, [(doc.id, [suggestion()])], "m@1") == (0, 0)
    assert project_counts(any_project)["layers"]["entity"]["total"] == 1


def test_suggestions_arriving_after_the_analyst_tagged_never_cover_their_spans(any_project):
    doc = add_documents(any_project, [Document("Sergey Lavrov met Elena Varga in Moscow.")]).added[0]
    add_spans(any_project, doc.id, [Span(0, 13, "PERSON", origin="ana", annotator="ana")])
    suggested = [Span(7, 13, "ORG", origin="m@1", state=State.SUGGESTED), Span(18, 29, "PERSON", origin="m@1", state=State.SUGGESTED)]
    assert save_suggestions(any_project, [(doc.id, suggested)], "m@1") == (1, 1)
    _, spans, _ = load_annotated(any_project, doc.id)
    assert sorted((s.start, s.end, s.label, s.origin) for s in spans) == [(0, 13, "PERSON", "ana"), (18, 29, "PERSON", "m@1")]
