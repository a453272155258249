"""Repository functions for spans and relations."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from annotator.core.model import Layer, Relation, Span, State, now
from annotator.store.project import Project
from annotator.store.tables import documents, relations, spans


def add_spans(project: Project, document_id: int, new_spans: Iterable[Span]) -> list[Span]:
    with project.writing() as conn:
        return insert_spans(conn, document_id, list(new_spans))


def save_suggestions(project: Project, results: list[tuple[int, list[Span]]], origin: str) -> tuple[int, int]:
    """Store one batch of a pipeline's entity suggestions and mark those documents as suggested.

    One transaction per batch: a cancelled or killed run keeps every finished batch and
    redoes only the unfinished documents next time. Documents another run (a second window, the CLI)
    has suggested for in the meantime are skipped, so suggestions are never doubled.
    Returns (documents, spans) saved.
    """
    count = 0
    with project.writing() as conn:
        claimed = set(
            conn.execute(
                update(documents)
                .where(documents.c.id.in_([doc_id for doc_id, _ in results]), documents.c.suggested_by.is_(None))
                .values(suggested_by=origin, updated=now())
                .returning(documents.c.id)
            ).scalars()
        )
        people = _entity_ranges(conn, list(claimed))
        for document_id, found in results:
            if document_id in claimed:
                # An analyst may have tagged the article before its suggestions arrived: theirs stand.
                taken = people.get(document_id, [])
                fresh = [s for s in found if not any(s.start < end and start < s.end for start, end in taken)]
                count += len(insert_spans(conn, document_id, fresh))
    return len(claimed), count


def _entity_ranges(conn: Connection, document_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    if not document_ids:
        return {}
    query = select(spans.c.document_id, spans.c.start, spans.c.end).where(
        spans.c.document_id.in_(document_ids), spans.c.layer == str(Layer.ENTITY)
    )
    found: dict[int, list[tuple[int, int]]] = {}
    for row in conn.execute(query):
        found.setdefault(row.document_id, []).append((row.start, row.end))
    return found


def insert_spans(conn: Connection, document_id: int, new_spans: list[Span]) -> list[Span]:
    if not new_spans:
        return []
    stamp = now()
    rows = [
        {
            "uid": s.uid,
            "document_id": document_id,
            "layer": str(s.layer),
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "attributes": s.attributes,
            "origin": s.origin,
            "state": str(s.state),
            "annotator": s.annotator,
            "created": s.created or stamp,
            "updated": s.updated or stamp,
        }
        for s in new_spans
    ]
    ids = conn.execute(insert(spans).returning(spans.c.id, sort_by_parameter_order=True), rows).scalars().all()
    return [
        s.with_changes(id=id_, document_id=document_id, created=row["created"], updated=row["updated"])
        for s, id_, row in zip(new_spans, ids, rows, strict=True)
    ]


def spans_for_documents(conn: Connection, document_ids: list[int]) -> dict[int, list[Span]]:
    found: dict[int, list[Span]] = {}
    if conn.dialect.name == "sqlite":
        # SQLite keeps dates and JSON as text, and SQLAlchemy's per-value converters (a regex per date)
        # and rows cost more than the rest of reading a span: a 20,000-span article would take a tenth
        # of a second longer to open. Read plain tuples and convert them here, to the same values.
        dates: dict[str, datetime] = {}
        for row in _sqlite_rows(conn, _SPANS_SQL, document_ids):
            found.setdefault(row[2], []).append(_span_from_text(row, dates))
        return found
    query = (
        select(spans)
        .where(spans.c.document_id.in_(document_ids))
        .order_by(spans.c.document_id, spans.c.start, spans.c.end, spans.c.id)
    )
    for row in conn.execute(query):
        found.setdefault(row.document_id, []).append(to_span(row))
    return found


def _sqlite_rows(conn: Connection, sql: str, document_ids: list[int]) -> list[tuple]:
    """Plain tuples from SQLite in the connection's transaction (begun here if need be, so what is read
    next through SQLAlchemy belongs to the same snapshot)."""
    if not conn.in_transaction():
        conn.begin()
    raw = conn.connection.driver_connection
    rows: list[tuple] = []
    for chunk in range(0, len(document_ids), 500):  # stay under SQLite's bound-parameter limit
        ids = list(document_ids[chunk : chunk + 500])
        rows += raw.execute(sql.format(marks=", ".join("?" * len(ids))), ids).fetchall()
    return rows


_SPANS_SQL = (
    'SELECT id, uid, document_id, layer, start, "end", label, attributes, origin, state, annotator, created, '
    'updated FROM spans WHERE document_id IN ({marks}) ORDER BY document_id, start, "end", id'
)
_LAYERS = {str(layer): layer for layer in Layer}
_STATES = {str(state): state for state in State}


def _span_from_text(row, dates: dict[str, datetime]) -> Span:
    """A span from a SQLite row read as text: the values SQLAlchemy's JSON and DateTime types would give.
    ``dates`` shares one datetime per distinct stamp (a batch of suggestions has one)."""
    (id_, uid, document_id, layer, start, end, label, attributes, origin, state, annotator, created, updated) = row
    created_at = dates.get(created) if created is not None else None
    if created_at is None and created is not None:
        created_at = dates[created] = datetime.fromisoformat(created)
    updated_at = dates.get(updated) if updated is not None else None
    if updated_at is None and updated is not None:
        updated_at = dates[updated] = datetime.fromisoformat(updated)
    return Span(
        start,
        end,
        label,
        _LAYERS.get(layer) or Layer(layer),
        origin,
        _STATES.get(state) or State(state),
        {} if attributes in (None, "{}", "null") else dict(json.loads(attributes) or {}),
        annotator,
        uid,
        id_,
        document_id,
        created_at,
        updated_at,
    )


def to_span(row) -> Span:
    return Span(
        id=row.id,
        uid=row.uid,
        document_id=row.document_id,
        layer=Layer(row.layer),
        start=row.start,
        end=row.end,
        label=row.label,
        attributes=dict(row.attributes or {}),
        origin=row.origin,
        state=State(row.state),
        annotator=row.annotator,
        created=row.created,
        updated=row.updated,
    )


def relations_for_documents(conn: Connection, document_ids: list[int]) -> dict[int, list[Relation]]:
    head = spans.alias("head")
    tail = spans.alias("tail")
    query = (
        select(relations, head.c.uid.label("head_uid"), tail.c.uid.label("tail_uid"))
        .join(head, head.c.id == relations.c.head_span_id)
        .join(tail, tail.c.id == relations.c.tail_span_id)
        .where(relations.c.document_id.in_(document_ids))
        .order_by(relations.c.document_id, relations.c.id)
    )
    found: dict[int, list[Relation]] = {}
    for row in conn.execute(query):
        found.setdefault(row.document_id, []).append(
            Relation(
                id=row.id,
                uid=row.uid,
                document_id=row.document_id,
                head=row.head_uid,
                tail=row.tail_uid,
                label=row.label,
                attributes=dict(row.attributes or {}),
            )
        )
    return found
