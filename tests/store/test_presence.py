"""Presence (migration 0009) on SQLite and PostgreSQL: a project an 0008 version left is upgraded to an empty
presence table; each window's heartbeat records who has which document open, others see it, a closed or
silent window is gone; a heartbeat never waits long for a busy database, is no change to the project's
work on a server, and a read-only project (or role) writes none but sees the others'."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, insert, inspect
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url

from annotator.core.model import Document, Span, State, now
from annotator.services import changes
from annotator.services import presence as service
from annotator.store import presence
from annotator.store.documents import add_documents, document_summaries
from annotator.store.project import SCHEMA_HEAD, open_project
from annotator.store.spans import add_spans
from annotator.store.tables import presence as presence_table


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "earlier.annotator.sqlite"
    return request.getfixturevalue("postgres_url")


def as_version_0008_left_it(location) -> None:
    project = open_project(location)
    try:
        add_documents(project, [Document(f"Article {i} about the harbour.", title=f"Article {i}") for i in range(3)])
        with project.writing() as conn:
            conn.execute(sql("DROP TABLE presence"))
            conn.execute(sql("UPDATE alembic_version SET version_num = '0008'"))
    finally:
        project.close()


def test_an_0008_project_is_upgraded_to_an_empty_presence_table(location):
    as_version_0008_left_it(location)
    project = open_project(location)
    try:
        with project.reading() as conn:
            assert conn.execute(sql("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD == "0011"
            found = inspect(conn)
            assert "presence" in found.get_table_names()
            assert "ix_presence_document" in {index["name"] for index in found.get_indexes("presence")}
            assert conn.execute(sql("SELECT count(*) FROM presence")).scalar() == 0
        assert [s.title for s in document_summaries(project)] == ["Article 0", "Article 1", "Article 2"]
        assert presence.present(project) == {}
    finally:
        project.close()


def two_documents(project):
    return add_documents(project, [Document("Sergey Lavrov said talks go on.", title="One"),
                                   Document("Elena Varga opened the bridge.", title="Two")]).added


def test_heartbeats_say_who_has_which_document_open_and_leaving_takes_it_back(any_project):
    one, two = two_documents(any_project)
    presence.beat(any_project, "window-ana", "ana", one.id)
    presence.beat(any_project, "window-ben", "ben", one.id)
    presence.beat(any_project, "window-ben-2", "ben", one.id)  # ben's second window on it: once
    presence.beat(any_project, "window-cy", "cy", None)  # a window showing no document
    seen = presence.present(any_project, but="ana")
    assert {doc: [s.annotator for s in people] for doc, people in seen.items()} == {one.id: ["ben"]}
    [ben] = seen[one.id]
    assert 0 <= ben.age < 30 and ben.seen.tzinfo is not None
    everyone = presence.present(any_project)
    assert sorted(s.annotator for s in everyone[one.id]) == ["ana", "ben"]

    presence.beat(any_project, "window-ana", "ana", two.id)  # ana moved on: one row per window, updated
    assert [s.annotator for s in presence.present(any_project, but="ben")[two.id]] == ["ana"]
    assert one.id not in presence.present(any_project, but="ben")
    presence.leave(any_project, "window-ana")
    assert presence.present(any_project, but="ben") == {}
    with any_project.reading() as conn:
        assert conn.execute(sql("SELECT count(*) FROM presence")).scalar() == 3


def test_a_window_silent_for_a_minute_is_gone_and_an_hour_old_row_is_forgotten(any_project):
    one, _two = two_documents(any_project)
    with any_project.reading() as conn:  # the clock that judges: the server's on a server
        clock = conn.execute(sql("SELECT now()")).scalar() if any_project.path is None else now()
    rows = [
        {"session": "killed", "annotator": "ben", "document_id": one.id, "seen": clock - timedelta(seconds=90)},
        {"session": "long-ago", "annotator": "cy", "document_id": one.id, "seen": clock - timedelta(hours=2)},
    ]
    with any_project.writing() as conn:
        conn.execute(insert(presence_table), rows)
    assert presence.present(any_project) == {}
    presence.beat(any_project, "window-ana", "ana", one.id)  # anyone's heartbeat clears the hour-old rows
    with any_project.reading() as conn:
        assert sorted(conn.execute(sql("SELECT session FROM presence")).scalars()) == ["killed", "window-ana"]


def test_a_deleted_document_takes_its_presence_with_it(any_project):
    one, _two = two_documents(any_project)
    presence.beat(any_project, "window-ben", "ben", one.id)
    with any_project.writing() as conn:
        conn.execute(sql("DELETE FROM documents WHERE id = :id"), {"id": one.id})
    assert presence.present(any_project) == {}


def test_the_heartbeat_is_due_every_fifteen_seconds_or_when_the_document_changes(any_project):
    one, two = two_documents(any_project)
    ticks = [100.0]
    heart = service.Heartbeat(clock=lambda: ticks[0])
    assert heart.beat(any_project, "ana", one.id)
    ticks[0] += 10
    assert not heart.beat(any_project, "ana", one.id)  # confirmed 10 s ago: not due
    assert heart.beat(any_project, "ana", two.id)  # another document: at once
    ticks[0] += service.EVERY
    assert heart.beat(any_project, "ana", two.id)
    assert [s.annotator for s in service.others(any_project, "ben")[two.id]] == ["ana"]
    assert service.others(any_project, "ana") == {}  # one's own name is never listed
    heart.leave(any_project)
    assert service.others(any_project, "ben") == {}


def test_a_heartbeat_is_no_change_to_the_work_on_a_server(postgres_url):
    project = open_project(postgres_url)
    try:
        [doc] = add_documents(project, [Document("Sergey Lavrov said talks go on.", title="One")]).added
        watcher = changes.watch(project)
        presence.beat(project, "window-ben", "ben", doc.id)
        presence.beat(project, "window-ben", "ben", doc.id)
        assert not watcher.changed()
        add_spans(project, doc.id, [Span(0, 13, "PERSON", state=State.ACCEPTED)])
        assert watcher.changed()
        watcher.close()
    finally:
        project.close()


def test_on_sqlite_a_busy_file_makes_a_heartbeat_skip_at_once_not_wait(project):
    import sqlite3

    [doc] = add_documents(project, [Document("Sergey Lavrov said talks go on.", title="One")]).added
    holder = sqlite3.connect(project.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        began = time.monotonic()
        with pytest.raises(presence.PresenceBusy, match="busy"):
            presence.beat(project, "window-ana", "ana", doc.id)
        assert time.monotonic() - began < 2  # the project's own wait is 15 s
        heart = service.Heartbeat()
        began = time.monotonic()
        assert heart.beat(project, "ana", doc.id) is False  # the window skips a beat
        assert time.monotonic() - began < 2
        assert service.others(project, "ben") == {}  # reading still works under a writer
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with project.reading() as conn:  # the connection's usual patience is back
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    assert service.Heartbeat().beat(project, "ana", doc.id)


def test_on_a_server_a_locked_row_makes_a_heartbeat_skip_at_once(postgres_url):
    project = open_project(postgres_url)
    other = create_engine(postgres_url)
    try:
        [doc] = add_documents(project, [Document("Sergey Lavrov said talks go on.", title="One")]).added
        presence.beat(project, "window-ana", "ana", doc.id)
        with other.begin() as conn:  # a stuck transaction of another client holds ana's row
            conn.execute(sql("SELECT * FROM presence WHERE session = 'window-ana' FOR UPDATE"))
            began = time.monotonic()
            with pytest.raises(presence.PresenceBusy):
                presence.beat(project, "window-ana", "ana", doc.id)
            assert time.monotonic() - began < 2
        presence.beat(project, "window-ana", "ana", doc.id)
    finally:
        other.dispose()
        project.close()


def test_a_read_only_project_writes_no_presence_and_sees_the_others(tmp_path):
    path = tmp_path / "shared.annotator.sqlite"
    writer = open_project(path)
    [doc] = add_documents(writer, [Document("Sergey Lavrov said talks go on.", title="One")]).added
    presence.beat(writer, "window-ben", "ben", doc.id)
    reader = open_project(path, read_only=True)
    try:
        heart = service.Heartbeat()
        assert heart.beat(reader, "viewer", doc.id) is False
        heart.leave(reader)
        assert [s.annotator for s in service.others(reader, "viewer")[doc.id]] == ["ben"]
        with writer.reading() as conn:
            assert conn.execute(sql("SELECT annotator FROM presence")).scalars().all() == ["ben"]
    finally:
        reader.close()
        writer.close()


def test_a_read_only_role_writes_no_presence_and_sees_the_others(postgres_url):
    owner = open_project(postgres_url)
    [doc] = add_documents(owner, [Document("Sergey Lavrov said talks go on.", title="One")]).added
    presence.beat(owner, "window-ben", "ben", doc.id)
    name = f"annotator_role_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sql(f'CREATE ROLE "{name}" LOGIN'))
        conn.execute(sql(f'GRANT CONNECT ON DATABASE "{make_url(postgres_url).database}" TO "{name}"'))
        conn.execute(sql(f'GRANT USAGE ON SCHEMA public TO "{name}"'))
        conn.execute(sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{name}"'))
    reader = None
    try:
        reader = open_project(make_url(postgres_url).set(username=name, password=None).render_as_string(False))
        assert reader.read_only
        heart = service.Heartbeat()
        assert heart.beat(reader, "viewer", doc.id) is False
        assert [s.annotator for s in service.others(reader, "viewer")[doc.id]] == ["ben"]
        with owner.reading() as conn:
            assert conn.execute(sql("SELECT annotator FROM presence")).scalars().all() == ["ben"]
    finally:
        if reader is not None:
            reader.close()
        owner.close()
        with admin.connect() as conn:
            conn.execute(sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :n"), {"n": name})
            conn.execute(sql(f'DROP OWNED BY "{name}"'))
            conn.execute(sql(f'DROP ROLE "{name}"'))
        admin.dispose()
