"""Has anything been committed to the project since we last looked? Asked every few seconds, so cheap.

SQLite answers with ``PRAGMA data_version`` on a connection of the watcher's own: the number changes
whenever any other connection (another window, another program, a worker thread of this one)
commits, and costs no read of any table. A server database has no such number; there the watcher
compares a small fingerprint of the tables (counts, highest ids, latest update times) instead.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import func, select

from annotator.core.errors import ProjectError
from annotator.store.project import Project
from annotator.store.tables import document_labels, document_statuses, documents, relations, spans


class ChangeWatcher:
    def __init__(self, project: Project, since: tuple[sqlite3.Connection, int] | None = None) -> None:
        """``since``: a read-only connection to the project's file and the data_version it had when
        something was read through it; commits after that read count as changes. The watcher owns it."""
        self._project = project
        self._conn = None  # SQLite: a raw connection kept for the watcher alone (it never writes)
        if since is not None:
            self._conn, self._last = since
        else:
            self._last = self._read()

    def changed(self) -> bool:
        """True when something was committed since the last call (or since the watcher was made).
        Read this before loading what it guards: a commit that lands in between is seen next time."""
        version = self._read()
        if version == self._last:
            return False
        self._last = version
        return True

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _read(self) -> Any:
        try:
            return self._version()
        except sqlite3.Error as exc:  # the watcher's own SQLite connection speaks the driver's errors
            self.close()  # a fresh connection next time
            raise ProjectError(f"{self._project.name}: the database failed: {exc}") from exc

    def _version(self) -> Any:
        if self._project.path is not None:
            if self._conn is None:
                self._conn = self._project.engine.raw_connection()
            cursor = self._conn.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                return cursor.fetchone()[0]
            finally:
                cursor.close()
        parts = [
            (documents, func.count()),
            (documents, func.max(documents.c.id)),
            (documents, func.max(documents.c.updated)),
            (spans, func.count()),
            (spans, func.max(spans.c.id)),
            (spans, func.max(spans.c.updated)),
            (relations, func.count()),
            (relations, func.max(relations.c.id)),
            (document_statuses, func.count()),
            (document_statuses, func.max(document_statuses.c.updated)),
            (document_labels, func.count()),
            (document_labels, func.max(document_labels.c.created)),
        ]
        query = select(*(select(value).select_from(table).scalar_subquery() for table, value in parts))
        with self._project.reading() as conn:
            return tuple(conn.execute(query).one())
