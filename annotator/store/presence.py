"""Presence: who has which document open now (table presence, migration 0009).

Each open window has a row of its own (its ``session``, a random id it made), confirmed by a heartbeat:
one upsert in a tiny transaction of its own, which also forgets rows nobody confirmed for an hour (windows
that were killed). A row not confirmed for ``GONE_AFTER`` counts as gone. Closing a window deletes its row.

A heartbeat must never hold the window up: on SQLite it does not wait for a busy file at all (not the
project's usual seconds; ``wait_ms`` is not used there) and its commit does not wait for the disk (a lost
heartbeat is harmless); on a server it waits ``wait_ms`` (a fraction of a second) at most for a lock. Then
it gives up with ``PresenceBusy``, and the caller skips a beat.

Times: on a server the server's clock stamps and judges every row, so windows on computers whose clocks
disagree still agree who is there; a SQLite file's windows share one computer's clock (or near enough).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import OperationalError

from annotator.core.errors import ProjectError
from annotator.core.model import now
from annotator.store.edits import _utc
from annotator.store.project import BUSY_TIMEOUT_MS, Project
from annotator.store.tables import presence

GONE_AFTER = timedelta(seconds=60)  # a window that has not confirmed for this long is taken to be gone
FORGOTTEN_AFTER = timedelta(hours=1)  # rows this old are deleted by the next heartbeat of anyone
QUICK_MS = 250  # how long a heartbeat waits for a busy server before it skips a beat
# A SQLite file is busy while another writer (say, pre-annotation saving its suggestions) holds it, often for
# longer than a beat could wait on the window's thread: there the beat does not wait at all, whatever
# ``wait_ms`` says. A stall of 250 ms every 10 s was measured while the window pre-annotated.
SQLITE_WAIT_MS = 0


class PresenceBusy(ProjectError):
    """The database was busy (or a row locked) for longer than a heartbeat waits: skip this beat."""


@dataclass(frozen=True)
class Seen:
    annotator: str
    seen: datetime  # when their window last confirmed it, UTC
    age: float  # seconds since then, by the clock that judges (the server's, on a server)


def beat(project: Project, session: str, annotator: str, document_id: int | None, wait_ms: int = QUICK_MS) -> None:
    """Record that window ``session`` of ``annotator`` shows ``document_id`` (None: no document) now."""
    with _quick_write(project, wait_ms) as conn:
        stamp = func.now() if _server(conn) else now()
        values = {"annotator": annotator, "document_id": document_id, "seen": stamp}
        conn.execute(_upsert(conn, {"session": session, **values}, values))
        conn.execute(delete(presence).where(presence.c.seen < _ago(conn, FORGOTTEN_AFTER)))


def leave(project: Project, session: str, wait_ms: int = QUICK_MS) -> None:
    """The window ``session`` closes: its row goes."""
    with _quick_write(project, wait_ms) as conn:
        conn.execute(delete(presence).where(presence.c.session == session))


def present(project: Project, but: str | None = None) -> dict[int, tuple[Seen, ...]]:
    """Per document, who has it open now (confirmed within GONE_AFTER), latest first; ``but``: an annotator
    left out (the window's own). Reading only: a read-only project answers too."""
    with project.reading() as conn:
        return present_in(conn, but)


def present_in(conn: Connection, but: str | None = None) -> dict[int, tuple[Seen, ...]]:
    """present inside a transaction the caller holds."""
    p = presence
    clock = conn.execute(select(func.now())).scalar() if _server(conn) else now()
    clock = _utc(clock)
    query = select(p.c.document_id, p.c.annotator, p.c.seen).where(
        p.c.document_id.is_not(None), p.c.seen >= clock - GONE_AFTER
    )
    if but is not None:
        query = query.where(p.c.annotator != but)
    found: dict[int, dict[str, Seen]] = {}
    for document_id, annotator, seen in conn.execute(query):
        seen = _utc(seen)
        latest = found.setdefault(document_id, {}).get(annotator)
        if latest is None or latest.seen < seen:  # the same person in two windows on one document: once
            found[document_id][annotator] = Seen(annotator, seen, max(0.0, (clock - seen).total_seconds()))
    return {
        document_id: tuple(sorted(people.values(), key=lambda s: (-s.seen.timestamp(), s.annotator)))
        for document_id, people in found.items()
    }


@contextmanager
def _quick_write(project: Project, wait_ms: int) -> Iterator[Connection]:
    """A write transaction that waits ``wait_ms`` at most for a server, not the project's seconds; on
    SQLite it does not wait for a busy file at all (SQLITE_WAIT_MS)."""
    if project.read_only:
        raise project._refused()
    sqlite = project.path is not None
    waited = SQLITE_WAIT_MS if sqlite else int(wait_ms)
    options = {"sqlite_begin": "IMMEDIATE", "sqlite_synchronous": "NORMAL"}
    try:
        with project._translated(), project.engine.connect() as conn:
            raw = conn.connection.dbapi_connection if sqlite else None
            if raw is not None:  # outside any transaction, before BEGIN IMMEDIATE waits for the lock
                raw.execute(f"PRAGMA busy_timeout={SQLITE_WAIT_MS}")
            try:
                with conn.execution_options(**options).begin():
                    if not sqlite:
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait_ms)}")
                        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(wait_ms) * 8}")
                    yield conn
            finally:
                if raw is not None:
                    raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except ProjectError as exc:
        if isinstance(exc.__cause__, OperationalError) and _busy(exc.__cause__):
            raise PresenceBusy(f"{project.name} was busy for over {waited} ms: presence not recorded this time") from exc
        raise
    except OperationalError as exc:  # a server's lock or statement timeout
        if _busy(exc):
            raise PresenceBusy(f"{project.name} was busy for over {waited} ms: presence not recorded this time") from exc
        raise


def _busy(exc: OperationalError) -> bool:
    reason = str(exc.orig or exc).lower()
    return "locked" in reason or "busy" in reason or "timeout" in reason or "canceling statement" in reason


def _server(conn: Connection) -> bool:
    return conn.dialect.name != "sqlite"


def _ago(conn: Connection, span: timedelta):
    return func.now() - span if _server(conn) else now() - span


def _upsert(conn: Connection, row: dict, values: dict):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(presence).values(row).on_conflict_do_update(index_elements=["session"], set_=values)


__all__ = ["GONE_AFTER", "PresenceBusy", "Seen", "beat", "leave", "present", "present_in"]
