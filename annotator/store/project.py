"""Open a project: one database, a SQLite file or a SQLAlchemy URL, migrated to this version.

Every SQLite connection gets WAL, foreign keys, a busy timeout of seconds and synchronous=FULL,
so an action the user saw survives a power cut and a second instance waits instead of failing.

An existing SQLite file is checked first (PRAGMA quick_check): a damaged one is refused with a
DamagedProjectError, untouched. A file or folder that is not writable opens read-only (SQLite's
``mode=ro``): it can be read, searched and exported, and every change is refused with a clear message.

On a PostgreSQL server the role decides: a role that may write none of the project's tables (a reviewer's)
opens it read-only; a change the server refuses anyway (permission denied) is refused the same way. Opening
writes nothing when the schema is current; one that is behind needs its owner to upgrade it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, NoSuchModuleError, OperationalError

from annotator.core.errors import DamagedProjectError, ProjectError, ReadOnlyProjectError
from annotator.store.locations import hide_password as _hide_password
from annotator.store.locations import sqlite_path as _sqlite_path
from annotator.store.revisions import MIGRATIONS, SCHEMA_HEAD
from annotator.store.sqlite_files import connect as _connect_file
from annotator.store.sqlite_files import copy_database, file_project_name, page_problem, quick_check

__all__ = ["MIGRATIONS", "SCHEMA_HEAD", "Project", "open_project", "check_pages", "backup", "read_only_reason"]
BUSY_TIMEOUT_MS = 15_000
ASKED_READ_ONLY = "opened read-only as asked"
PERMISSION_DENIED = "42501"  # PostgreSQL's SQLSTATE insufficient_privilege (psycopg.errors.InsufficientPrivilege)


@dataclass
class Project:
    engine: Engine
    location: str  # what the user named: a file path or a URL
    path: Path | None  # the SQLite file, when there is one
    read_only: str = ""  # why the project is read-only ("" when it is not), fit to show
    role: str = ""  # the role it is opened as, on a server ("" for a file)

    @property
    def name(self) -> str:
        if self.path is None:
            return _hide_password(self.location)
        return file_project_name(self.path)

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
        if self.read_only:
            raise self._refused()
        options = {"sqlite_begin": "IMMEDIATE", "sqlite_synchronous": "NORMAL" if bulk else "FULL"}
        with self._translated(), self.engine.execution_options(**options).begin() as conn:
            yield conn

    def _refused(self) -> ReadOnlyProjectError:
        why = self.read_only or "the database refused to be written"
        return ReadOnlyProjectError(
            f"{self.name} is open read-only ({why}): reading, searching and exporting work, "
            "but this change was not saved"
        )

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Database failures a user can act on become one-line ProjectErrors."""
        try:
            yield
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            if "readonly database" in reason:  # made read-only while open
                raise self._refused() from exc
            if "locked" in reason or "busy" in reason:
                raise ProjectError(
                    f"{self.name} is busy: another program has held it for over {BUSY_TIMEOUT_MS / 1000:g} s; "
                    "the step that was waiting was not saved (work finished before it was), try again"
                ) from exc
            raise ProjectError(f"{self.name}: the database failed: {reason}") from exc
        except DBAPIError as exc:
            if _denied(exc):  # a role the server does not let write this (its grants were narrower than needed)
                raise ReadOnlyProjectError(
                    f"{self.name} is read-only for role '{self.role}' on the server: changes are not allowed "
                    f"({_first_line(exc.orig)}); this change was not saved"
                ) from exc
            raise

    def close(self) -> None:
        self.engine.dispose()


def open_project(location: str | Path, create: bool = True, read_only: bool = False, check: bool = True) -> Project:
    """``read_only``: open it for reading only, as asked. A SQLite file or folder that is not writable
    opens read-only anyway (``Project.read_only`` says why). ``check``: run quick_check first (it reads
    every page, ~0.1 s for 10,000 articles); False leaves that to a later ``check_pages`` (the window
    runs it on a thread while its modules import)."""
    location = str(location)
    path = _sqlite_path(location)
    why = ASKED_READ_ONLY if read_only else ""
    if path is not None:
        if path.is_dir():
            raise ProjectError(f"{path} is a folder, not a project file")
        if not path.exists():
            if not create or why:
                raise ProjectError(f"{path}: no such project (import articles into it first, or check --project)")
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private_file(path)
        else:
            why = why or read_only_reason(path)
            _check_sqlite_file(path, read_only=bool(why), check=check)
        url = _read_only_url(path) if why else f"sqlite:///{path}"
    else:
        url = location
    where = path or _hide_password(location)
    try:
        engine = _engine(url, read_only=bool(why))
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ProjectError(f"{where} is not a database this Annotator can open: {_first_line(exc)}") from exc
    role = ""
    try:
        if path is None and engine.dialect.name == "postgresql":
            role, only_reads = _server_access(engine)
            why = why or only_reads
        if why:
            _check_read_only_revision(engine, where, role)
        else:
            _migrate(engine, path)
    except DatabaseError as exc:
        engine.dispose()
        if _denied(exc):
            raise _upgrade_denied(engine, where, role, exc) from exc
        raise ProjectError(f"{where} cannot be opened as an Annotator project: {_first_line(exc.orig or exc)}") from exc
    except Exception:
        engine.dispose()
        raise
    return Project(engine, location, path, read_only=why, role=role)


def _denied(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == PERMISSION_DENIED


def _server_access(engine: Engine) -> tuple[str, str]:
    """The role a server project is opened as, and why it must be opened read-only ("" when it need not):
    a role that may insert, update or delete in none of the project's tables, such as a reviewer's
    (GRANT SELECT only). Only reads: has_table_privilege asks the server's catalogue."""
    with engine.connect() as conn:
        role = conn.exec_driver_sql("SELECT current_user").scalar() or ""
        if not inspect(conn).has_table("alembic_version"):
            return role, ""  # a new database: creating the project needs writing, which says whether it may
        writable = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> 'alembic_version' "
            "AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE') "
            "OR has_table_privilege(c.oid, 'DELETE'))"
        ).scalar()
    return role, "" if writable else f"role '{role}' may only read it on the server"


def _upgrade_denied(engine: Engine, where, role: str, exc: DBAPIError) -> ProjectError:
    """Creating or upgrading a server project's tables was refused: only their owner may (nothing was
    changed: PostgreSQL rolls the whole migration back)."""
    try:
        current = _revision(engine)
    except DatabaseError:
        current = None
    finally:
        engine.dispose()
    denied = _first_line(exc.orig or exc)
    if current is None:
        return ProjectError(
            f"{where}: role '{role}' may not create a project's tables in this database ({denied}); "
            "ask its owner to create the project (open it once), then grant this role its tables. Nothing was changed."
        )
    return ProjectError(
        f"{where} needs upgrading from schema {current} to this version's {SCHEMA_HEAD}, which only the owner of "
        f"its tables may do: role '{role}' may not ({denied}). Ask the owner to open it once with this version of "
        "Annotator. Nothing was changed."
    )


def read_only_reason(path: Path) -> str:
    """Why an existing project file must be opened read-only, or "". A file or folder without write
    permission counts even when this user could write it anyway (the superuser can): someone made it
    read-only on purpose. The folder counts because SQLite writes its -wal and -shm files beside it."""
    if not _writable(path):
        return f"{path.name} is not writable"
    if not _writable(path.parent):
        return f"its folder {path.parent} is not writable"
    return ""


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _read_only_url(path: Path) -> str:
    """SQLite's read-only URI."""
    query = "mode=ro&immutable=1" if _nobody_writes(path) else "mode=ro"
    return f"sqlite:///file:{quote(str(path))}?{query}&uri=true"


def _nobody_writes(path: Path) -> bool:
    """In a folder nobody can write, with no -wal beside the file, nobody can be writing it either: it
    is opened immutable, so SQLite needs no -shm file there (which it could not make)."""
    return not _writable(path.parent) and not Path(f"{path}-wal").exists()


def check_pages(project: Project) -> None:
    """Raise DamagedProjectError when the project file's pages fail quick_check (committed pages in
    the write-ahead log included). A server database is left to its server."""
    if project.path is None:
        return
    problem = page_problem(project.path, "ro" if _nobody_writes(project.path) else "read")
    if problem is not None:
        raise DamagedProjectError(project.path, problem)


def _check_read_only_revision(engine: Engine, where, role: str = "") -> None:
    """A read-only project cannot be migrated: it must already be at this version's schema."""
    current = _revision(engine)
    if current is None:
        raise ProjectError(f"{where}: this database is not an Annotator project; nothing was changed")
    if current != SCHEMA_HEAD:
        from annotator.store.revisions import is_known

        newer = not is_known(current)
        if role and not newer:
            raise ProjectError(
                f"{where} needs upgrading from schema {current} to this version's {SCHEMA_HEAD}, which only the "
                f"owner of its tables may do: role '{role}' may only read it. Ask the owner to open it once with "
                "this version of Annotator. Nothing was changed."
            )
        raise ProjectError(
            f"{where} is read-only and was written by {'a newer' if newer else 'an older'} version of Annotator "
            f"(schema {current}); "
            + ("install that version to open it" if newer else "opening it upgrades it, which needs writing: "
               "make it writable, or open a writable copy")
            + ". The file was not changed."
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _check_sqlite_file(path: Path, read_only: bool = False, check: bool = True) -> None:
    """Look at an existing file read-only before opening it for real: opening it would switch it to
    WAL, and a file that is not ours must be left exactly as it was. A project whose pages fail
    quick_check (``check``), or whose table of tables is unreadable, is refused (DamagedProjectError)
    before anything reads or writes it."""
    if path.stat().st_size == 0:
        if read_only:
            raise ProjectError(f"{path} is empty and read-only: there is no project in it to read")
        return  # created by us a moment before a crash, or touched by the user: becomes a project
    try:
        conn = _connect_file(path, "ro" if _nobody_writes(path) else "read")
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            problem = quick_check(conn) if check and "alembic_version" in tables else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc):  # a SQLite file, damaged where it lists its tables
            raise DamagedProjectError(path, str(exc)) from None
        raise ProjectError(f"{path} cannot be opened as an Annotator project: {exc}") from None
    if tables and "alembic_version" not in tables:
        raise ProjectError(f"{path}: this database is not an Annotator project; nothing was changed")
    if problem is not None:
        raise DamagedProjectError(path, problem)


def _create_private_file(path: Path) -> None:
    # Projects hold unpublished work: readable by their owner only.
    path.touch(mode=0o600, exist_ok=True)


def _engine(url: str, read_only: bool = False) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    # A read-only connection cannot switch the journal mode (it is whatever the writer left).
    pragmas = ("foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=FULL")
    pragmas = pragmas if read_only else ("journal_mode=WAL", *pragmas)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # We issue BEGIN ourselves (below): pysqlite's own transaction handling skips DDL
        # and cannot take the write lock up front.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in pragmas:
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
    WAL pages too), written aside and renamed into place; refused for a damaged one."""
    return copy_database(source, target)
