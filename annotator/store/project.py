"""Open a project: one database, a SQLite file or a SQLAlchemy URL, migrated to this version.

Every SQLite connection gets WAL, foreign keys, a busy timeout of seconds and synchronous=FULL,
so an action the user saw survives a power cut and a second instance waits instead of failing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from annotator.core.errors import ProjectError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration in migrations/versions (tests/store keeps the two in step). A project already
# there opens without importing Alembic at all, a tenth of a second of every start.
SCHEMA_HEAD = "0003"
BUSY_TIMEOUT_MS = 15_000


@dataclass
class Project:
    engine: Engine
    location: str  # what the user named: a file path or a URL
    path: Path | None  # the SQLite file, when there is one

    @property
    def name(self) -> str:
        if self.path is None:
            return _hide_password(self.location)
        return self.path.name.removesuffix(".annotator.sqlite").removesuffix(".sqlite")

    @property
    def safe_location(self) -> str:
        """Where the project is, fit to write down: a server URL loses its password (the driver finds
        it again in ~/.pgpass or PGPASSWORD)."""
        if self.path is not None:
            return str(self.path)
        return make_url(self.location)._replace(password=None).render_as_string(hide_password=False)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self._translated(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self, bulk: bool = False) -> Iterator[Connection]:
        """One short write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE),
        so two instances queue on the busy timeout instead of failing mid-transaction.

        ``bulk``: a batch of an import or a pre-annotation run, which can be run again. Its commit
        does not wait for the disk (synchronous=NORMAL: with WAL the file stays whole after a power
        cut, and at worst the last batches are redone); an analyst's action always waits (FULL)."""
        options = {"sqlite_begin": "IMMEDIATE", "sqlite_synchronous": "NORMAL" if bulk else "FULL"}
        with self._translated(), self.engine.execution_options(**options).begin() as conn:
            yield conn

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Database failures a user can act on become one-line ProjectErrors."""
        try:
            yield
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            if "locked" in reason or "busy" in reason:
                raise ProjectError(
                    f"{self.name} is busy: another program has held it for over {BUSY_TIMEOUT_MS / 1000:g} s; "
                    "the step that was waiting was not saved (work finished before it was), try again"
                ) from exc
            raise ProjectError(f"{self.name}: the database failed: {reason}") from exc

    def close(self) -> None:
        self.engine.dispose()


def open_project(location: str | Path, create: bool = True) -> Project:
    location = str(location)
    path = _sqlite_path(location)
    if path is not None:
        if path.is_dir():
            raise ProjectError(f"{path} is a folder, not a project file")
        if not path.exists():
            if not create:
                raise ProjectError(f"{path}: no such project (import articles into it first, or check --project)")
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private_file(path)
        else:
            _check_sqlite_file(path)
        url = f"sqlite:///{path}"
    else:
        url = location
    where = path or _hide_password(location)
    try:
        engine = _engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ProjectError(f"{where} is not a database this Annotator can open: {_first_line(exc)}") from exc
    try:
        _migrate(engine, path)
    except DatabaseError as exc:
        engine.dispose()
        raise ProjectError(f"{where} cannot be opened as an Annotator project: {_first_line(exc.orig or exc)}") from exc
    except Exception:
        engine.dispose()
        raise
    return Project(engine, location, path)


def _hide_password(location: str) -> str:
    try:
        return make_url(location).render_as_string(hide_password=True)
    except ArgumentError:
        return location


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _sqlite_path(location: str) -> Path | None:
    if "://" not in location:
        return Path(location).expanduser().resolve()
    url = make_url(location)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise ProjectError("an in-memory database cannot hold a project; give a file")
    return Path(url.database).expanduser().resolve()


def _check_sqlite_file(path: Path) -> None:
    """Look at an existing file read-only before opening it for real: opening it would switch it to
    WAL, and a file that is not ours must be left exactly as it was."""
    if path.stat().st_size == 0:
        return  # created by us a moment before a crash, or touched by the user: becomes a project
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path} cannot be opened as an Annotator project: {exc}") from None
    if tables and "alembic_version" not in tables:
        raise ProjectError(f"{path}: this database is not an Annotator project; nothing was changed")


def _create_private_file(path: Path) -> None:
    # Projects hold unpublished work: readable by their owner only.
    path.touch(mode=0o600, exist_ok=True)


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # We issue BEGIN ourselves (below): pysqlite's own transaction handling skips DDL
        # and cannot take the write lock up front.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            f"busy_timeout={BUSY_TIMEOUT_MS}",
            "synchronous=FULL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        options = conn.get_execution_options()
        # Each transaction says how durable its commit must be (outside a transaction, as SQLite wants).
        synchronous = options.get("sqlite_synchronous", "FULL")
        conn.exec_driver_sql(f"PRAGMA synchronous={'NORMAL' if synchronous == 'NORMAL' else 'FULL'}")
        conn.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")

    return engine


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _revision(engine: Engine) -> str | None:
    """The project's schema revision, if it has exactly one; None for anything else."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return found[0] if len(found) == 1 else None


def _migrate(engine: Engine, path: Path | None) -> None:
    if _revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    if current is None and tables - {"alembic_version"}:
        raise ProjectError(f"{path or engine.url}: this database is not an Annotator project; nothing was changed")
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError:
            raise ProjectError(
                f"{path or engine.url} was written by a newer version of Annotator (schema {current}); "
                "install that version to open it. The file was not changed."
            ) from None
    if current in script.get_heads():
        return
    if current is not None and path is not None:
        backup(path, path.with_name(f"{path.name}.before-{script.get_current_head()}-{_stamp()}.bak"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def backup(source: Path, target: Path) -> Path:
    """A consistent, private, self-contained copy of a live SQLite file (the backup API sees committed
    WAL pages too), written aside and renamed into place."""
    from annotator.store.backups import copy_database  # it builds on this module

    target.parent.mkdir(parents=True, exist_ok=True)
    return copy_database(source, target)
