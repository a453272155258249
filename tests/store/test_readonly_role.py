"""A team on a PostgreSQL server: a reviewer's read-only role opens a project, searches and exports it, and a
change is refused with a clear message and nothing written; opening writes nothing when the schema is current,
and a schema that is behind needs its owner. Connecting through a libpq service file, and sslmode kept.

Each test makes its own database (the postgres_url fixture) and its own roles, with unique names, and drops
them: CI runs a fresh server. Skipped without ANNOTATOR_TEST_POSTGRES_URL, failed where REQUIRE_POSTGRES=1."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from annotator.core.errors import ProjectError, ReadOnlyProjectError
from annotator.core.model import Document, Layer, Span, State, Status
from annotator.services import annotating, exporting, projects, search
from annotator.store.documents import add_documents
from annotator.store.project import SCHEMA_HEAD, open_project
from annotator.store.spans import add_spans

TEXT = "Sergey Lavrov said on Tuesday in Moscow that talks go on."


@pytest.fixture
def owned(postgres_url):
    """A project made by the database's owner, with one article and a span, and a way to make roles in it."""
    project = projects.open_location(postgres_url)
    [doc] = add_documents(project, [Document(TEXT, title="Talks")]).added
    add_spans(project, doc.id, [Span(0, 13, "PERSON", origin="m@1", state=State.SUGGESTED)])
    project.close()
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def role(*grants: str) -> str:
        """A new LOGIN role with these grants in the project's database; its URL."""
        name = f"annotator_role_{uuid.uuid4().hex[:10]}"
        database = make_url(postgres_url).database
        with admin.connect() as conn:
            conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
            made.append(name)
            conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"'))
            conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{name}"'))
            for grant in grants:
                conn.execute(text(grant.format(role=f'"{name}"')))
        return make_url(postgres_url).set(username=name, password=None).render_as_string(hide_password=False)

    yield postgres_url, doc, role
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(:names)"),
            {"names": made},
        )
        for name in made:
            conn.execute(text(f'DROP OWNED BY "{name}"'))  # its grants here and on the database itself
            conn.execute(text(f'DROP ROLE "{name}"'))  # roles are the server's: gone with the test
    admin.dispose()


READER = "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"
WRITER = (
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
)


def _contents(url: str) -> list:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = [
            conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            for table in ("alembic_version", "documents", "spans", "relations", "document_statuses", "settings")
        ]
    engine.dispose()
    return found


def test_a_read_only_role_opens_searches_and_exports_and_a_change_is_refused_with_nothing_written(owned, tmp_path):
    owner_url, doc, role = owned
    viewer = role(READER)
    before = _contents(owner_url)

    project = projects.open_location(viewer)  # what the CLI and the window call
    statements: list[str] = []
    event.listen(project.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        name = make_url(viewer).username
        assert project.read_only == f"role '{name}' may only read it on the server"
        assert project.role == name
        assert [hit.document_id for hit in search.search(project, "Lavrov")] == [doc.id]
        target = tmp_path / "out.jsonl"
        report = exporting.export(project, target, "jsonl")
        assert not report.lost
        [record] = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert record["text"] == TEXT and [e["text"] for e in record["entities"]] == ["Sergey Lavrov"]

        notes = annotating.open_annotations(project, doc.id, "ana", projects.schema_of(project))
        with pytest.raises(ReadOnlyProjectError, match=rf"open read-only \(role '{name}' may only read it on the server\)"):
            annotating.save(project, notes.tag(Layer.ENTITY, "GPE", *_at("Moscow")))
        with pytest.raises(ReadOnlyProjectError, match="read-only"):
            annotating.save(project, notes.set_status(Status.DONE))
    finally:
        project.close()
    assert not [s for s in statements if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "CREATE")]
    assert _contents(owner_url) == before  # nothing written, opening included


def test_a_change_the_server_refuses_anyway_says_which_role_and_why(owned):
    """A role that may write some tables but not the spans (it opens read-write: it can set statuses):
    the server's "permission denied" becomes the app's own error, and the action is not half-saved."""
    owner_url, doc, role = owned
    url = role(READER, "GRANT INSERT, DELETE ON document_statuses TO {role}")
    before = _contents(owner_url)
    project = projects.open_location(url)
    try:
        assert project.read_only == ""
        name = make_url(url).username
        notes = annotating.open_annotations(project, doc.id, "ana", projects.schema_of(project))
        with pytest.raises(ReadOnlyProjectError) as refused:
            annotating.save(project, notes.tag(Layer.ENTITY, "GPE", *_at("Moscow")))
        assert str(refused.value) == (
            f"{project.name} is read-only for role '{name}' on the server: changes are not allowed "
            "(permission denied for table spans); this change was not saved"
        )
        assert _contents(owner_url) == before
        annotating.save(project, notes.set_status(Status.DONE))  # what it may do, it does
    finally:
        project.close()


def test_a_schema_behind_is_not_upgraded_by_a_role_that_cannot_and_says_who_can(owned):
    owner_url, _doc, role = owned
    viewer, writer = role(READER), role(*WRITER)
    from alembic.script import ScriptDirectory

    from annotator.store.revisions import MIGRATIONS

    older = ScriptDirectory(str(MIGRATIONS)).get_revision(SCHEMA_HEAD).down_revision
    engine = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": older})
    engine.dispose()
    before = _contents(owner_url)
    for url, why in ((viewer, "may only read it"), (writer, "may not")):
        with pytest.raises(ProjectError, match=rf"needs upgrading from schema {older} to this version's "
                                               rf"{SCHEMA_HEAD}, which only the owner of its tables may do: "
                                               rf"role '{make_url(url).username}' {why}.*Nothing was changed"):
            open_project(url)
        assert _contents(owner_url) == before


def test_an_annotators_role_writes_and_opening_a_current_project_writes_nothing(owned):
    owner_url, doc, role = owned
    url = role(*WRITER)
    project = projects.open_location(url)
    try:
        assert project.read_only == ""
        notes = annotating.open_annotations(project, doc.id, "ana", projects.schema_of(project))
        annotating.save(project, notes.tag(Layer.ENTITY, "GPE", *_at("Moscow")))
        assert len(annotating.open_annotations(project, doc.id, "ana", projects.schema_of(project)).spans) == 2
    finally:
        project.close()


def test_a_libpq_service_file_names_the_server_and_sslmode_in_the_url_reaches_the_connection(owned, tmp_path, monkeypatch):
    """``postgresql+psycopg:///?service=annotator``: host, port, database and role come from the service file
    (PGSERVICEFILE, else ~/.pg_service.conf); a password would come from ~/.pgpass. Nothing is in the URL."""
    owner_url, doc, role = owned
    url = make_url(role(READER))
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[annotator]\nhost={url.host}\nport={url.port or 5432}\ndbname={url.database}\nuser={url.username}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    for location in ("postgresql+psycopg:///?service=annotator", "postgresql+psycopg:///?service=annotator&sslmode=disable"):
        project = projects.open_location(location)
        try:
            assert project.role == url.username and project.read_only  # the service file's role, a reader
            assert [hit.document_id for hit in search.search(project, "Moscow")] == [doc.id]
            with project.reading() as conn:
                info = conn.connection.dbapi_connection.info
                assert info.dbname == url.database and info.user == url.username
                if "sslmode" in location:
                    assert info.get_parameters()["sslmode"] == "disable"
            assert project.safe_location == location  # what the settings keep: no password in it
        finally:
            project.close()


def test_sslmode_in_a_server_url_is_passed_to_the_connection(postgres_url):
    for mode in ("disable", "allow"):  # not "prefer": libpq leaves its default out of the dsn
        location = make_url(postgres_url).update_query_dict({"sslmode": mode}).render_as_string(hide_password=False)
        project = open_project(location)
        try:
            with project.reading() as conn:
                info = conn.connection.dbapi_connection.info
                assert f"sslmode={mode}" in info.dsn
            assert f"sslmode={mode}" in project.safe_location
        finally:
            project.close()


def _at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)
