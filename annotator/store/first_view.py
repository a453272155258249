"""What the window shows first, read with Python's own sqlite3 before SQLAlchemy is imported.

Importing SQLAlchemy takes longer than a bare Qt window takes to appear, so the window's first paint
(the document list and the article left open last time) is read here, over a plain read-only
connection, while the rest of the program is imported after it. Every value equals what the store's
SQLAlchemy reads give (tests/store/test_first_view.py holds the two to that).

Only a project this version can read as it stands qualifies: an existing, writable SQLite file at the
newest schema revision. Anything else (a server, an older or newer file, a read-only one, a file that
is not a project) gives None, and the window opens the usual way, which knows what to say about it.
The connection stays open: its ``PRAGMA data_version`` tells the change watcher whether anyone
committed between this read and the moment the project is open for real.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from annotator.core.annotations import Annotations
from annotator.core.model import DocumentLabel, DocumentSummary, Layer, Relation, State, Status
from annotator.core.schema import LabelSchema
from annotator.core.visibility import View, blind_view, shown_relations, shown_spans
from annotator.store.revisions import SCHEMA_HEAD
from annotator.store.sqlite_files import connect, file_project_name
from annotator.store.sqlite_rows import (
    ATTRIBUTES_KEY,
    DOCUMENT_COLUMNS,
    OPTIONS_KEY,
    SPAN_COLUMNS,
    SPAN_ORDER,
    document_from_text,
    json_value,
    schema_from_rows,
    spans_from_text,
)


@dataclass
class FirstView:
    path: Path
    connection: sqlite3.Connection  # read-only; handed to the change watcher once the project is open
    data_version: int  # the connection's PRAGMA data_version when it read what is below
    annotator: str  # whose statuses the list shows
    schema: LabelSchema
    ids: list[int]  # every document in the list's first order: the annotator's assigned ones first, then by id
    annotations: Annotations | None  # the article to show, None when the project has no documents

    @property
    def name(self) -> str:
        return file_project_name(self.path)

    def rows(self, ids: list[int]) -> list[DocumentSummary]:
        """The document list's rows for these documents, in the order given (one page of the list)."""
        return summaries(self.connection, ids, self.annotator)


def project_file(location: str | None) -> Path | None:
    """The existing, writable SQLite file a location names; None for anything else (see the module)."""
    if not location or "://" in location:
        return None
    path = Path(location).expanduser().resolve()
    if not path.is_file() or not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return None
    return path


def read_first_view(path: Path, annotator: str, document_id: int | None) -> FirstView | None:
    """The list and the article ``document_id`` (the first one if it is gone) for ``annotator``, in one
    read transaction; None when the file is not a project this version reads as it stands."""
    try:
        conn = connect(path, "read", timeout=2.0)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for everything below, and for data_version
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if _revision(conn) != SCHEMA_HEAD:
            raise LookupError("not at this version's schema")
        schema = _schema(conn)
        if schema is None:
            raise LookupError("no schema stored yet")
        ids = [row[0] for row in conn.execute(_IDS, (annotator,))]
        if ids and document_id not in ids:
            document_id = ids[0]
        annotations = _annotations(conn, document_id, annotator, schema) if ids else None
        conn.execute("COMMIT")
    except (sqlite3.Error, LookupError, ValueError, TypeError):  # damaged, not ours, or not as expected
        conn.close()
        return None
    return FirstView(path, conn, version, annotator, schema, ids, annotations)


# The list's first order: the documents assigned to the annotator first, each part in import order.
_IDS = (
    "SELECT id FROM documents ORDER BY NOT EXISTS (SELECT 1 FROM document_assignments a "
    "WHERE a.document_id = documents.id AND a.annotator = ?), id"
)


def _revision(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else row[0]


def _setting(conn: sqlite3.Connection, key: str):
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else json_value(row[0])


def _schema(conn: sqlite3.Connection) -> LabelSchema | None:
    labels = conn.execute("SELECT layer, name, colour, description FROM labels ORDER BY position, id").fetchall()
    sets = [
        (name, json_value(choices), multiple, description)
        for name, choices, multiple, description in conn.execute(
            "SELECT name, labels, multiple, description FROM label_sets ORDER BY position, id"
        )
    ]
    return schema_from_rows(labels, _setting(conn, ATTRIBUTES_KEY), _setting(conn, OPTIONS_KEY), sets)


# The status a document shows everyone: the newest any annotator set, else the one it came in with.
_LATEST_STATUS = (
    "coalesce((SELECT s.status FROM document_statuses s WHERE s.document_id = documents.id "
    "ORDER BY s.updated DESC, s.annotator LIMIT 1), documents.status)"
)


def _annotations(conn: sqlite3.Connection, document_id: int, annotator: str, schema: LabelSchema) -> Annotations:
    columns = DOCUMENT_COLUMNS.replace("status", _LATEST_STATUS)
    document = document_from_text(conn.execute(f"SELECT {columns} FROM documents WHERE id = ?", (document_id,)).fetchone())
    rows = conn.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE document_id = ?", (document_id,)).fetchall()
    rows.sort(key=SPAN_ORDER)
    relations = [
        Relation(head, tail, label, dict(json_value(attributes) or {}), uid, id_, document_id)
        for id_, uid, head, tail, label, attributes in conn.execute(
            "SELECT r.id, r.uid, h.uid, t.uid, r.label, r.attributes FROM relations r "
            "JOIN spans h ON h.id = r.head_span_id JOIN spans t ON t.id = r.tail_span_id "
            "WHERE r.document_id = ? ORDER BY r.id",
            (document_id,),
        )
    ]
    mine = conn.execute(
        "SELECT status FROM document_statuses WHERE document_id = ? AND annotator = ?", (document_id, annotator)
    ).fetchone()
    labels = [
        DocumentLabel(label_set, label, who or None, origin)
        for label_set, label, who, origin in conn.execute(
            "SELECT label_set, label, annotator, origin FROM document_labels WHERE document_id = ? "
            "ORDER BY created, label_set, label",
            (document_id,),
        )
    ]
    status = None if mine is None else Status(mine[0])
    spans = spans_from_text(rows)
    if _setting(conn, "blind") and annotator not in (_setting(conn, "curators") or []):
        # A blind project: even the first paint shows this annotator only their own work and the suggestions.
        spans = shown_spans(blind_view(View()), annotator, spans)
        relations = shown_relations(relations, spans)
    return Annotations(document, spans, relations, annotator, status, schema.nested_entities, labels)


def summaries(conn: sqlite3.Connection, ids: list[int], annotator: str) -> list[DocumentSummary]:
    """As store.documents.summaries_of for one annotator: their own status (new until they set one),
    the entities a person would see (rejected suggestions left out) and the document labels' names."""
    found: dict[int, DocumentSummary] = {}
    for first in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        chunk = list(ids[first : first + 500])
        marks = ", ".join("?" * len(chunk))
        counts = dict(
            conn.execute(
                f"SELECT document_id, count(*) FROM spans WHERE document_id IN ({marks}) AND layer = ? "
                "AND state != ? GROUP BY document_id",
                [*chunk, str(Layer.ENTITY), str(State.REJECTED)],
            )
        )
        names: dict[int, set[str]] = {}
        for document_id, label in conn.execute(
            f"SELECT DISTINCT document_id, label FROM document_labels WHERE document_id IN ({marks})", chunk
        ):
            names.setdefault(document_id, set()).add(label)
        held: dict[int, set[str]] = {}
        for document_id, name in conn.execute(
            f"SELECT document_id, annotator FROM document_assignments WHERE document_id IN ({marks})", chunk
        ):
            held.setdefault(document_id, set()).add(name)
        for id_, uid, title, date, status in conn.execute(
            "SELECT d.id, d.uid, d.title, d.date, coalesce(s.status, ?) FROM documents d "
            "LEFT JOIN document_statuses s ON s.document_id = d.id AND s.annotator = ? "
            f"WHERE d.id IN ({marks})",
            [str(Status.NEW), annotator, *chunk],
        ):
            found[id_] = DocumentSummary(
                id_, uid, title, date, Status(status), counts.get(id_, 0), tuple(sorted(names.get(id_, ()))),
                tuple(sorted(held.get(id_, set()) - {annotator})), annotator in held.get(id_, ()),
            )
    return [found[i] for i in ids if i in found]

