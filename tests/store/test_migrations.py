"""A project of the first release (schema 0001) full of work is upgraded to this version with all of it.

The project is built at migration 0001 by Alembic itself, then filled as the first release filled it:
its default label schema and settings (taken from tests/fixtures/project-0001.sqlite), articles that are
done, in progress and new, entities (accepted, suggested, rejected), a statement with its cue and its
speaker, a claim linked to that statement, an annotator. Opening it upgrades it; every row of every
table of the first schema must come through unchanged, and the app must show the same work: the links,
the statuses, the search hits and the native export. On SQLite and, given a server, on PostgreSQL.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, insert, select

from annotator.core.vocabulary import SPEAKER, STATEMENT_OF
from annotator.core.model import Layer, Status
from annotator.services import annotating, exporting, projects, search
from annotator.store.documents import document_summaries
from annotator.store.project import SCHEMA_HEAD
from annotator.store.revisions import MIGRATIONS

FIXTURE_0001 = Path(__file__).parent.parent / "fixtures" / "project-0001.sqlite"
FIRST_SCHEMA = ("documents", "spans", "relations", "labels", "annotators", "settings")
TEXT = "Sergey Lavrov said on Tuesday that “talks will go on 😀 until 2027.” Wheat prices rose 12% in Moscow."
WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def at(words: str) -> list[int]:
    return [TEXT.index(words), TEXT.index(words) + len(words)]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """The location of an empty database, and an engine on it to build the old project with."""
    if request.param == "sqlite":
        location = str(tmp_path / "first-release.annotator.sqlite")
        url = f"sqlite:///{location}"
    else:
        location = url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    yield location, engine
    engine.dispose()


def build_first_release_project(engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    meta = MetaData()
    meta.reflect(engine, only=list(FIRST_SCHEMA))
    t = meta.tables
    with sqlite3.connect(FIXTURE_0001) as fixture:
        label_rows = fixture.execute("SELECT layer, name, colour, description, position FROM labels").fetchall()
        setting_rows = fixture.execute("SELECT key, value FROM settings").fetchall()
    documents = [
        (1, TEXT, "Lavrov on talks", "done"),
        (2, "Elena Varga opened the bridge in Riverton on Monday.", "Bridge", "in_progress"),
        (3, "A quiet day in Riverton: the market opened late.", "Quiet day", "new"),
    ]

    def span(id_, doc, layer, words, label, state="accepted", origin="ana", attributes=None, source=TEXT):
        start = source.index(words)
        return {
            "id": id_, "uid": f"span-{id_}", "document_id": doc, "layer": layer, "start": start,
            "end": start + len(words), "label": label, "attributes": attributes or {}, "origin": origin,
            "state": state, "annotator": None if "@" in origin else origin, "created": WHEN, "updated": WHEN,
        }  # fmt: skip

    second = documents[1][1]
    with engine.begin() as conn:
        conn.execute(insert(t["labels"]), [dict(zip(("layer", "name", "colour", "description", "position"), r,
                                                    strict=True)) for r in label_rows])
        conn.execute(insert(t["settings"]), [{"key": k, "value": json.loads(v)} for k, v in setting_rows])
        conn.execute(insert(t["settings"]), [{"key": "backups.keep_days", "value": 30}])
        conn.execute(insert(t["annotators"]), [{"id": 1, "name": "ana"}])
        conn.execute(insert(t["documents"]), [
            {"id": i, "uid": f"doc-{i}", "text": body, "title": title, "date": "2026-11-20", "source": f"{i}.txt",
             "meta": {"outlet": "Demo News", "tags": ["diplomacy", i]}, "content_hash": f"hash-{i}",
             "status": status, "suggested_by": "en_core_web_sm@3.8.0" if i < 3 else None,
             "created": WHEN, "updated": WHEN}
            for i, body, title, status in documents
        ])  # fmt: skip
        conn.execute(insert(t["spans"]), [
            span(1, 1, "entity", "Sergey Lavrov", "PERSON"),
            span(2, 1, "entity", "Moscow", "GPE", "suggested", "en_core_web_sm@3.8.0"),
            span(3, 1, "entity", "Tuesday", "PERSON", "rejected", "en_core_web_sm@3.8.0"),
            span(4, 1, "statement", "talks will go on 😀 until 2027.", "STATEMENT",
                 attributes={"kind": "direct", "cue": at("said")}),
            span(5, 1, "claim", "Wheat prices rose 12%", "CLAIM",
                 attributes={"checkworthiness": "check-worthy factual", "claim_type": "numerical",
                             "note": "check against the statistics office"}),
            span(6, 2, "entity", "Elena Varga", "PERSON", source=second),
            span(7, 2, "statement", "opened the bridge", "STATEMENT",
                 attributes={"kind": "indirect", "speaker_text": "the city council"}, source=second),
        ])  # fmt: skip
        conn.execute(insert(t["relations"]), [
            {"id": 1, "uid": "rel-speaker", "document_id": 1, "head_span_id": 4, "tail_span_id": 1,
             "label": SPEAKER, "attributes": {}},
            {"id": 2, "uid": "rel-statement", "document_id": 1, "head_span_id": 5, "tail_span_id": 4,
             "label": STATEMENT_OF, "attributes": {"confidence": "high"}},
        ])  # fmt: skip
        if engine.dialect.name == "sqlite":  # the first release kept its full-text index itself
            conn.exec_driver_sql(
                "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents"
            )


def every_row(engine, added: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of the first release's tables, without the columns later migrations ``added``."""
    meta = MetaData()
    meta.reflect(engine, only=list(FIRST_SCHEMA))
    with engine.connect() as conn:
        return {
            name: [tuple(row) for row in conn.execute(
                select(*(c for c in table.columns if c.name not in added)).order_by(*table.primary_key.columns))]
            for name, table in meta.tables.items()
        }


def test_a_first_release_project_full_of_work_is_upgraded_with_all_of_it(empty_database, tmp_path):
    location, engine = empty_database
    build_first_release_project(engine)
    before = every_row(engine)
    assert len(before["spans"]) == 7 and len(before["relations"]) == 2 and len(before["labels"]) == 20
    engine.dispose()

    project = projects.open_location(location, create=False)  # the upgrade
    try:
        with project.reading() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
        assert every_row(project.engine, added=("suggested_layers", "language")) == before
        with project.reading() as conn:  # 0006: what was pre-annotated before had its entities suggested
            layers = conn.exec_driver_sql("SELECT suggested_by IS NOT NULL, suggested_layers FROM documents").all()
        assert {tuple(row) for row in layers} == {(True, 1), (False, 0)}
        with project.reading() as conn:  # 0008: the assignments table, with nobody assigned anything yet
            assert conn.exec_driver_sql("SELECT count(*) FROM document_assignments").scalar() == 0
        with project.reading() as conn:  # 0009: the presence table, with nobody in it
            assert conn.exec_driver_sql("SELECT count(*) FROM presence").scalar() == 0

        summaries = document_summaries(project)
        assert [(s.title, s.status) for s in summaries] == [
            ("Lavrov on talks", Status.DONE),
            ("Bridge", Status.IN_PROGRESS),
            ("Quiet day", Status.NEW),
        ]
        assert [s.entity_count for s in summaries] == [2, 1, 0]  # the rejected suggestion is not counted

        schema = projects.schema_of(project)
        assert schema.name == "News (default)" and "CLAIM" in [label.name for label in schema.labels_of(Layer.CLAIM)]
        notes = annotating.open_annotations(project, 1, "ana", schema)
        statement = notes.spans["span-4"]
        assert notes.linked(statement.uid, SPEAKER).uid == "span-1"
        assert notes.linked("span-5", STATEMENT_OF).uid == "span-4"
        assert statement.attributes == {"kind": "direct", "cue": at("said")}
        assert notes.speaker_words(statement) == "Sergey Lavrov"
        bridge = annotating.open_annotations(project, 2, "ana", schema)
        assert bridge.speaker_words(bridge.spans["span-7"]) == "the city council"

        assert [hit.title for hit in search.search(project, "Riverton")] == ["Bridge", "Quiet day"]

        out = tmp_path / "upgraded.jsonl"
        exporting.export(project, out)
        first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        assert first["status"] == "done" and first["meta"]["outlet"] == "Demo News"
        [exported_statement] = first["statements"]
        assert exported_statement["speaker"] == {"id": "span-1", "text": "Sergey Lavrov"}
        assert exported_statement["cue"] == {"start": at("said")[0], "end": at("said")[1], "text": "said"}
        [claim] = first["claims"]
        assert claim["statement"] == "span-4" and claim["note"] == "check against the statistics office"

        # And the upgraded project takes new work: a status of the analyst's own, a new link.
        annotating.save(project, notes.set_status(Status.IN_PROGRESS))
        annotating.save(project, notes.set_speaker(statement.uid, "span-2"))
        again = annotating.open_annotations(project, 1, "ana", schema)
        assert again.status == Status.IN_PROGRESS and again.linked(statement.uid, SPEAKER).uid == "span-2"
    finally:
        project.close()


def test_a_first_release_done_article_stays_done_in_the_annotators_own_list(empty_database):
    location, engine = empty_database
    build_first_release_project(engine)
    engine.dispose()
    project = projects.open_location(location, create=False)
    try:
        assert document_summaries(project, annotator="ana")[0].status == Status.DONE
    finally:
        project.close()
