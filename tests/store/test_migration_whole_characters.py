"""Migrations 0004 and 0005 on a project an earlier version left, on SQLite and PostgreSQL. Spans it
stored with an edge inside a character (a suggestion ending between a flag's two letters, a cue cutting
an emoji from its skin tone) are moved out to whole characters when the project is opened by this
version; every other span stays as it was; the second uid index is gone."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy import text as sql

from annotator.core.model import Document, Layer, Span, State
from annotator.services import exporting
from annotator.store.annotated import annotated_batches
from annotator.store.documents import add_documents
from annotator.store.project import SCHEMA_HEAD, open_project
from annotator.store.spans import add_spans, save_suggestions

FLAGGED = "Benjamin Netanyahu 🇮🇱 said thanks 👍🏽 to Lavrov."
PLAIN = "Sergey Lavrov said the talks would go on."


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "earlier.annotator.sqlite"
    return request.getfixturevalue("postgres_url")


def stored(project) -> dict[str, list[tuple]]:
    found = {}
    for batch in annotated_batches(project):
        for doc, spans, _, _ in batch:
            found[doc.text] = sorted((s.start, s.end, s.label, s.attributes.get("cue")) for s in spans)
    return found


def as_an_earlier_version_left_it(location) -> None:
    project = open_project(location)
    try:
        flagged, plain = add_documents(project, [Document(FLAGGED), Document(PLAIN)]).added
        flag, thumb = FLAGGED.index("🇮🇱"), FLAGGED.index("👍🏽")
        cut = [
            Span(0, flag + 1, "PERSON", origin="model@1", state=State.SUGGESTED),  # "Benjamin Netanyahu 🇮"
            Span(thumb, thumb + 1, "MISC", origin="model@1", state=State.SUGGESTED),  # the thumb without its tone
            Span(0, 8, "PERSON", origin="model@1", state=State.SUGGESTED),  # whole already: stays
            Span(0, len(FLAGGED), "STATEMENT", Layer.STATEMENT, origin="model@1", state=State.SUGGESTED,
                 attributes={"cue": [flag + 1, flag + 7]}),  # its cue starts between the flag's letters
        ]
        save_suggestions(project, [(flagged.id, cut), (plain.id, [Span(0, 13, "PERSON", origin="model@1")])],
                         "model@1")
        with project.writing() as conn:  # the schema it was written with: 0004 changes data, 0005 drops an index, 0006 adds a column
            conn.execute(sql("UPDATE alembic_version SET version_num = '0003'"))
            conn.execute(sql("CREATE INDEX ix_spans_uid_document ON spans (document_id, uid)"))
            conn.execute(sql("DROP TABLE presence"))  # 0009 adds it
            conn.execute(sql("DROP TABLE document_assignments"))  # 0008 adds it
            conn.execute(sql("DROP INDEX ix_documents_language"))  # 0007 adds it
            conn.execute(sql("ALTER TABLE documents DROP COLUMN language"))  # and this
            conn.execute(sql("ALTER TABLE documents DROP COLUMN suggested_layers"))  # 0006 adds it
            conn.execute(sql("DROP INDEX ix_spans_review"))  # and this
    finally:
        project.close()


def test_an_earlier_versions_cut_characters_are_made_whole_on_open_and_exported_whole(location, tmp_path):
    as_an_earlier_version_left_it(location)
    flag, thumb = FLAGGED.index("🇮🇱"), FLAGGED.index("👍🏽")
    project = open_project(location)
    try:
        with project.reading() as conn:
            assert conn.execute(sql("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            assert "ix_spans_uid_document" not in {index["name"] for index in inspect(conn).get_indexes("spans")}
        found = stored(project)
        assert found[FLAGGED] == sorted([
            (0, flag + 2, "PERSON", None),
            (0, 8, "PERSON", None),
            (0, len(FLAGGED), "STATEMENT", [flag, flag + 7]),
            (thumb, thumb + 2, "MISC", None),
        ])
        assert found[PLAIN] == [(0, 13, "PERSON", None)]
        target = tmp_path / "out.jsonl"
        exporting.export(project, target, "jsonl")
        written = target.read_text(encoding="utf-8")
        assert "Benjamin Netanyahu 🇮🇱" in written and '"Benjamin Netanyahu 🇮"' not in written
    finally:
        project.close()
    if not isinstance(location, str):  # SQLite: the file as it was is kept beside it
        assert list(location.parent.glob(f"{location.name}.before-{SCHEMA_HEAD}-*.bak"))


def test_a_span_made_whole_onto_a_persons_same_span_is_kept_once_with_its_links(location):
    """A model's "Benjamin Netanyahu 🇮" moved out is the analyst's "Benjamin Netanyahu 🇮🇱" stored beside it:
    the analyst's stays, once, and the statement whose speaker was the model's span now has the analyst's."""
    flag = FLAGGED.index("🇮🇱")
    project = open_project(location)
    try:
        (doc,) = add_documents(project, [Document(FLAGGED)]).added
        save_suggestions(project, [(doc.id, [Span(0, flag + 1, "PERSON", origin="model@1", state=State.SUGGESTED)])],
                         "model@1")
        add_spans(project, doc.id, [Span(0, flag + 2, "PERSON", state=State.ACCEPTED),
                                    Span(0, len(FLAGGED), "STATEMENT", Layer.STATEMENT, state=State.ACCEPTED)])
        with project.writing() as conn:
            ids = dict(conn.execute(sql("SELECT label || '@' || \"end\", id FROM spans")).all())
            statement, cut = ids[f"STATEMENT@{len(FLAGGED)}"], ids[f"PERSON@{flag + 1}"]
            for uid, head, tail in (("r1", statement, cut), ("r2", statement, ids[f"PERSON@{flag + 2}"])):
                conn.execute(sql("INSERT INTO relations (uid, document_id, head_span_id, tail_span_id, label, "
                                 "attributes) VALUES (:uid, :doc, :head, :tail, 'speaker', '{}')"),
                             {"uid": uid, "doc": doc.id, "head": head, "tail": tail})
            conn.execute(sql("UPDATE alembic_version SET version_num = '0003'"))
            conn.execute(sql("CREATE INDEX ix_spans_uid_document ON spans (document_id, uid)"))
            conn.execute(sql("DROP TABLE presence"))  # 0009 adds it
            conn.execute(sql("DROP TABLE document_assignments"))  # 0008 adds it
            conn.execute(sql("DROP INDEX ix_documents_language"))  # 0007 adds it
            conn.execute(sql("ALTER TABLE documents DROP COLUMN language"))  # and this
            conn.execute(sql("ALTER TABLE documents DROP COLUMN suggested_layers"))  # 0006 adds it
            conn.execute(sql("DROP INDEX ix_spans_review"))  # and this
    finally:
        project.close()
    project = open_project(location)
    try:
        with project.reading() as conn:
            found = conn.execute(sql("SELECT start, \"end\", label, state FROM spans ORDER BY label")).all()
            links = conn.execute(sql(
                "SELECT h.label, t.label, t.state FROM relations r JOIN spans h ON h.id = r.head_span_id "
                "JOIN spans t ON t.id = r.tail_span_id")).all()
        assert [tuple(row) for row in found] == [(0, flag + 2, "PERSON", "accepted"),
                                                 (0, len(FLAGGED), "STATEMENT", "accepted")]
        assert [tuple(row) for row in links] == [("STATEMENT", "PERSON", "accepted")]  # once, not twice
    finally:
        project.close()
