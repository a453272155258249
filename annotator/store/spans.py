"""Repository functions for spans and relations."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby
from operator import attrgetter

from sqlalchemy import Connection, delete, insert, select, update

from annotator.core.model import Layer, Relation, Span, State, layer_bits, now
from annotator.core.suggestions import Found, Suggesters, to_store
from annotator.store.documents import stamp_text
from annotator.store.project import Project
from annotator.store.sqlite_rows import SPAN_COLUMNS, SPAN_ORDER, spans_from_text
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
    entity = layer_bits({Layer.ENTITY})
    with project.writing(bulk=True) as conn:
        claimed = set(
            conn.execute(
                update(documents)
                .where(documents.c.id.in_([doc_id for doc_id, _ in results]),
                       documents.c.suggested_layers.op("&")(entity) == 0)
                .values(suggested_by=origin, suggested_layers=documents.c.suggested_layers.op("|")(entity),
                        updated=now())
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


def forget_suggestions(project: Project, document_id: int, layers: Iterable[Layer]) -> int:
    """Before a document is suggested for again: its pending suggestions of ``layers`` go, whichever model
    made them (accepted, edited and rejected spans stay, whoever made them), and those layers count as not
    yet suggested. Returns the spans removed; their links go with them."""
    layers = set(layers)
    with project.writing() as conn:
        removed = conn.execute(
            delete(spans).where(
                spans.c.document_id == document_id,
                spans.c.state == str(State.SUGGESTED),
                spans.c.layer.in_([str(layer) for layer in layers]),
            )
        ).rowcount
        conn.execute(
            update(documents)
            .where(documents.c.id == document_id)
            .values(suggested_layers=documents.c.suggested_layers.op("&")(~layer_bits(layers) & 0xFFFF), updated=now())
        )
    return removed


def suggestion_origins(project: Project, document_id: int) -> list[str]:
    """The origins of a document's pending suggestions (a pipeline's ``name@version``, the rules'), else of
    the pipeline that last suggested for it; empty if none has."""
    with project.reading() as conn:
        found = conn.execute(
            select(spans.c.origin).distinct()
            .where(spans.c.document_id == document_id, spans.c.state == str(State.SUGGESTED))
            .order_by(spans.c.origin)
        ).scalars().all()
        if not found:
            last = conn.execute(select(documents.c.suggested_by).where(documents.c.id == document_id)).scalar()
            found = [last] if last else []
    return [origin for origin in found if origin]


def save_found(
    project: Project, results: list[tuple[int, Found]], suggesters: Suggesters, layers: set[Layer], origin: str
) -> tuple[int, dict[Layer, int]]:
    """Store one batch of what the suggesters found for ``layers`` and mark those layers as suggested.

    One transaction per batch, as save_suggestions. Each document gets only the layers it still lacks
    (an article pre-annotated for entities by an earlier version gets its statements and claims), and
    a layer another run has suggested for in the meantime is skipped, so nothing is doubled.
    Returns the documents and the spans saved of each layer.
    """
    wanted, stamp, count = layer_bits(layers), now(), dict.fromkeys(Layer, 0)
    with project.writing(bulk=True) as conn:
        ids = [doc_id for doc_id, _ in results]
        had = dict(conn.execute(select(documents.c.id, documents.c.suggested_layers).where(documents.c.id.in_(ids))).all())
        claimed: dict[int, set[Layer]] = {}
        for doc_id in ids:
            missing = wanted & ~had.get(doc_id, wanted)
            if not missing:
                continue
            done = conn.execute(
                update(documents)
                .where(documents.c.id == doc_id, documents.c.suggested_layers.op("&")(missing) == 0)
                .values(suggested_by=origin, suggested_layers=documents.c.suggested_layers.op("|")(missing),
                        updated=stamp)
            )
            if done.rowcount:
                claimed[doc_id] = {layer for layer in layers if layer_bits({layer}) & missing}
        stored = spans_for_documents(conn, list(claimed), stamps=False) if claimed else {}
        for doc_id, found in results:
            if doc_id not in claimed:
                continue
            new, links = to_store(found, suggesters, stored.get(doc_id, []), claimed[doc_id])
            for span in insert_spans(conn, doc_id, new):
                count[span.layer] += 1
            insert_relations(conn, doc_id, links)
    return len(claimed), count


def insert_relations(conn: Connection, document_id: int, new: list[Relation]) -> None:
    """Links between spans inserted in this transaction (by their uids)."""
    if not new:
        return
    wanted = {r.head for r in new} | {r.tail for r in new}
    ids = dict(conn.execute(select(spans.c.uid, spans.c.id).where(spans.c.uid.in_(wanted))).all())
    conn.execute(
        insert(relations),
        [
            {"uid": r.uid, "document_id": document_id, "head_span_id": ids[r.head], "tail_span_id": ids[r.tail],
             "label": r.label, "attributes": r.attributes}
            for r in new
        ],
    )


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
    ids = _insert_span_rows(conn, rows)
    return [
        s.with_changes(id=id_, document_id=document_id, created=row["created"], updated=row["updated"])
        for s, id_, row in zip(new_spans, ids, rows, strict=True)
    ]


_SPAN_COLUMNS = (
    "uid",
    "document_id",
    "layer",
    "start",
    "end",
    "label",
    "attributes",
    "origin",
    "state",
    "annotator",
    "created",
    "updated",
)
_QUOTED_SPAN_COLUMNS = ", ".join(f'"{c}"' for c in _SPAN_COLUMNS)
_INSERT_SPANS_SQL = f"INSERT INTO spans (id, {_QUOTED_SPAN_COLUMNS}) VALUES (?, {', '.join('?' * len(_SPAN_COLUMNS))})"


def _insert_span_rows(conn: Connection, rows: list[dict]) -> list[int]:
    """Insert the rows, returning their ids in order: on SQLite one executemany with the ids given (the
    write transaction began IMMEDIATE, so the next ids are ours), values as SQLAlchemy writes them;
    SQLAlchemy's INSERT..RETURNING went row by row (6% of a pre-annotation run)."""
    if conn.dialect.name != "sqlite" or not conn.in_transaction():
        query = insert(spans).returning(spans.c.id, sort_by_parameter_order=True)
        return conn.execute(query, rows).scalars().all()
    raw = conn.connection.driver_connection
    first = raw.execute("SELECT coalesce(max(id), 0) + 1 FROM spans").fetchone()[0]
    ids = list(range(first, first + len(rows)))
    raw.executemany(
        _INSERT_SPANS_SQL,
        [
            (
                id_,
                row["uid"],
                row["document_id"],
                row["layer"],
                row["start"],
                row["end"],
                row["label"],
                json.dumps(row["attributes"]),
                row["origin"],
                row["state"],
                row["annotator"],
                stamp_text(row["created"]),
                stamp_text(row["updated"]),
            )
            for id_, row in zip(ids, rows, strict=True)
        ],
    )
    return ids


def ids_condition(column, document_ids: list[int]):
    """``column IN ids``, or a range when the ids are a run (an export's batch): one index range scan,
    and no 500 bound parameters to compile."""
    ids = sorted(set(document_ids))
    if ids and ids[-1] - ids[0] + 1 == len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(ids)


def spans_for_documents(conn: Connection, document_ids: list[int], stamps: bool = True) -> dict[int, list[Span]]:
    """Each document's spans, by start, end and id. ``stamps=False`` leaves out when each was created
    and updated (no export format writes them; reading them is a fifth of an export's reading)."""
    found: dict[int, list[Span]] = {}
    if conn.dialect.name == "sqlite":
        # SQLite keeps dates and JSON as text, and SQLAlchemy's per-value converters (a regex per date)
        # and rows cost more than the rest of reading a span: a 20,000-span article would take a tenth
        # of a second longer to open. Read plain tuples and convert them here, to the same values.
        ids = sorted(set(document_ids))
        sql = _SPANS_SQL if stamps else _SPANS_SQL.replace("created, updated", "NULL, NULL")
        if ids and ids[-1] - ids[0] + 1 == len(ids):  # a run of ids (an export's batch): one range scan
            rows = _sqlite_rows(conn, sql.replace("IN ({marks})", "BETWEEN ? AND ?"), [ids[0], ids[-1]], chunk=2)
        else:
            rows = _sqlite_rows(conn, sql, ids)
        rows.sort(key=SPAN_ORDER)  # by document, start, end, id: quicker here than in SQLite's temporary tree
        for document_id, group in groupby(spans_from_text(rows), key=_DOCUMENT_ID):
            found.setdefault(document_id, []).extend(group)
        return found
    query = (
        select(spans)
        .where(spans.c.document_id.in_(document_ids))
        .order_by(spans.c.document_id, spans.c.start, spans.c.end, spans.c.id)
    )
    for row in conn.execute(query):
        found.setdefault(row.document_id, []).append(to_span(row))
    return found


def _sqlite_rows(conn: Connection, sql: str, parameters: list[int], chunk: int = 500) -> list[tuple]:
    """Plain tuples from SQLite in the connection's transaction (begun here if need be, so what is read
    next through SQLAlchemy belongs to the same snapshot), ``chunk`` parameters a query."""
    if not conn.in_transaction():
        conn.begin()
    raw = conn.connection.driver_connection
    rows: list[tuple] = []
    for first in range(0, len(parameters), chunk):  # stay under SQLite's bound-parameter limit
        values = list(parameters[first : first + chunk])
        rows += raw.execute(sql.format(marks=", ".join("?" * len(values))), values).fetchall()
    return rows


_SPANS_SQL = f"SELECT {SPAN_COLUMNS} FROM spans WHERE document_id IN ({{marks}})"
_DOCUMENT_ID = attrgetter("document_id")


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
        .where(ids_condition(relations.c.document_id, document_ids))
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
