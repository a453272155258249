import hashlib
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from annotator.core.errors import ProjectError
from annotator.core.model import Document
from annotator.store.documents import add_documents, document_summaries
from annotator.store.project import SCHEMA_HEAD, backup, open_project
from annotator.store.tables import metadata


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_connection_gets_the_safety_pragmas(project):
    with project.reading() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 5000  # seconds, not milliseconds of luck


def test_an_analysts_action_is_committed_with_synchronous_full_and_a_bulk_import_is_not(project):
    """Durability is decided per transaction: what counts is the level in force when the transaction
    that saves the analyst's action commits, read on that very connection at that moment."""
    from sqlalchemy import event

    from annotator.core.model import Layer
    from annotator.services import annotating, projects

    commits: list[tuple[int, int, int]] = []  # synchronous, documents and spans, as each transaction commits

    def commit(conn) -> None:
        dbapi = conn.connection.dbapi_connection
        level = dbapi.execute("PRAGMA synchronous").fetchone()[0]
        counts = [dbapi.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("documents", "spans")]
        commits.append((level, *counts))

    event.listen(project.engine, "commit", commit)
    add_documents(project, [Document("Sergey Lavrov spoke in Moscow.", title="One")])  # an import batch
    imported = commits[-1]
    notes = annotating.open_annotations(project, 1, "ana", projects.schema_of(project))
    annotating.save(project, notes.tag(Layer.ENTITY, "PERSON", 0, 13))  # the analyst tags "Sergey Lavrov"
    saved = commits[-1]

    assert imported == (1, 1, 0)  # NORMAL, as the batch writing the article commits: it can be imported again
    assert saved == (2, 1, 1)  # FULL, as the analyst's span commits: they saw it, it survives a power cut
    with project.reading() as conn:  # and a reading connection afterwards is back at FULL
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_new_project_file_is_private_and_migrated(tmp_path):
    path = tmp_path / "sub" / "new.annotator.sqlite"
    project = open_project(path)
    project.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)


FIXTURE_0001 = Path(__file__).parent.parent / "fixtures" / "project-0001.sqlite"


def test_a_project_from_the_first_release_is_upgraded_with_everything_kept_and_a_backup(tmp_path):
    path = tmp_path / "old.annotator.sqlite"
    shutil.copyfile(FIXTURE_0001, path)
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT uid, text FROM documents ORDER BY id").fetchall()
        spans_before = conn.execute("SELECT uid, label, state, attributes FROM spans ORDER BY id").fetchall()
    project = open_project(path)
    try:
        with project.reading() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
            assert conn.exec_driver_sql("SELECT uid, text FROM documents ORDER BY id").fetchall() == before
            assert conn.exec_driver_sql("SELECT uid, label, state, attributes FROM spans ORDER BY id").fetchall() == spans_before
            assert conn.exec_driver_sql("SELECT count(*) FROM document_statuses").scalar() == 0
    finally:
        project.close()
    backups = list(tmp_path.glob(f"old.annotator.sqlite.before-{SCHEMA_HEAD}-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT uid, text FROM documents ORDER BY id").fetchall() == before


def test_tables_match_what_the_migrations_create(project):
    def ours(name, kind, _parent):  # the FTS5 index and its shadow tables are SQLite's own
        return not (kind == "table" and name.startswith("documents_fts"))

    with project.reading() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"include_name": ours}), metadata)
    assert differences == []


def test_data_survives_closing_and_reopening(tmp_path):
    path = tmp_path / "p.annotator.sqlite"
    project = open_project(path)
    add_documents(project, [Document("Sergey Lavrov spoke 😀.", title="One")])
    project.close()
    again = open_project(path)
    assert [s.title for s in document_summaries(again)] == ["One"]
    again.close()


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "future.annotator.sqlite"
    open_project(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = _digest(path)
    with pytest.raises(ProjectError, match="newer version of Annotator.*not changed"):
        open_project(path)
    assert _digest(path) == before


def test_a_foreign_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    before = _digest(path)
    with pytest.raises(ProjectError, match="not an Annotator project"):
        open_project(path)
    assert _digest(path) == before


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(ProjectError, match="cannot be opened as an Annotator project"):
        open_project(path)
    assert path.read_text().startswith("these are my notes")


def test_missing_project_is_not_created_when_asked_not_to(tmp_path):
    with pytest.raises(ProjectError, match="no such project"):
        open_project(tmp_path / "absent.annotator.sqlite", create=False)
    assert not (tmp_path / "absent.annotator.sqlite").exists()


def test_backup_copies_committed_work_from_a_live_wal_database(project, tmp_path):
    add_documents(project, [Document("Text in the write-ahead log.", title="WAL")])
    copy = backup(project.path, tmp_path / "copy.sqlite")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT title FROM documents").fetchall() == [("WAL",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_project_held_by_another_writer_gives_a_clear_error_and_keeps_its_data(tmp_path, monkeypatch):
    import annotator.store.project as store_project

    monkeypatch.setattr(store_project, "BUSY_TIMEOUT_MS", 300)  # the real wait is seconds
    path = tmp_path / "busy.annotator.sqlite"
    project = open_project(path)
    add_documents(project, [Document("Kept.", title="kept")])
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(ProjectError, match="is busy: another program has held it.*the step that was waiting was not saved"):
            add_documents(project, [Document("New.", title="new")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [s.title for s in document_summaries(project)] == ["kept"]
    project.close()


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("foo://bar", "is not a database this Annotator can open"),
        ("postgresql+psycopg://user:secret@127.0.0.1:1/nothing", "cannot be opened as an Annotator project"),
    ],
)
def test_unusable_database_urls_give_one_line_without_the_password(location, message):
    with pytest.raises(ProjectError, match=message) as error:
        open_project(location)
    assert "secret" not in str(error.value) and "\n" not in str(error.value)


def test_schema_head_is_the_newest_migration():
    """A project at SCHEMA_HEAD opens without Alembic: the constant must name the newest script, or a
    project one migration behind would be taken as up to date and never upgraded."""
    from alembic.script import ScriptDirectory

    from annotator.store.project import MIGRATIONS, SCHEMA_HEAD

    assert ScriptDirectory(str(MIGRATIONS)).get_heads() == [SCHEMA_HEAD]


def test_an_up_to_date_project_opens_without_importing_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "p.annotator.sqlite"
    open_project(path).close()  # created and migrated (Alembic runs here)
    script = (
        "import sys\n"
        "from annotator.store.project import open_project\n"
        f"open_project({str(path)!r}, create=False).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
