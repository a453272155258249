"""The project's suggestions still waiting for a person, least certain first, a page at a time.

The order: spans whose model gave a score (``attributes.score`` in [0, 1]: statements, claims) by the
model's uncertainty, ``abs(score - 0.5)``, smallest first; then the spans without one (spaCy's
entities) in document order. Ties go by document, start and id, so the order is total and each page
continues after the last place of the page before (a keyset, not an OFFSET that rereads what it skips).
Nothing but a page of small tuples is ever held.

Speed, measured on 100,000 documents (4 million spans, 1.2 million of them suggested). The scored part
is one query a page; without an index on the uncertainty SQLite scans the spans once for it (0.8-1.1 s
here, so the window reads pages on a worker and asks for the next before it is needed). With the partial
index ``ix_spans_review`` (migration 0006) a page is a range search (3-4 ms); the queries spell the expression exactly
as the index does (literal SQL, no bound values inside it) so the planner matches them. The unscored part
reads windows of documents over ``ix_spans_document_layer_start`` (or the review index, where there is
one), never a sort of the whole table.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Connection, text

from annotator.core.model import Layer
from annotator.store.project import Project

# A score that is not a number (an import's "high") is no score: the span waits among the unscored.
UNCERTAINTY_SQLITE = (
    "CASE WHEN json_type(attributes, '$.score') IN ('integer', 'real') "
    "THEN abs(json_extract(attributes, '$.score') - 0.5) END"
)
UNCERTAINTY_POSTGRES = (
    "CASE WHEN json_typeof(attributes -> 'score') = 'number' "
    "THEN abs(CAST(attributes ->> 'score' AS double precision) - 0.5) END"
)
# Migration 0006 made the index these expressions must match, character for character:
# CREATE INDEX ix_spans_review ON spans (<uncertainty>, document_id, start, id) WHERE state = 'suggested'
WINDOW = 2_000  # documents read at a time for the unscored part (~80,000 spans through the index)


class Place(NamedTuple):
    """Where one suggestion stands in the order; the next page starts after the last of these."""

    uncertainty: float | None  # None: the model gave no score
    document_id: int
    start: int
    id: int
    uid: str
    layer: Layer

    @property
    def score_known(self) -> bool:
        return self.uncertainty is not None


def suggestions_after(project: Project, after: Place | None = None, limit: int = 200) -> list[Place]:
    """The next ``limit`` suggestions after ``after`` (None: from the first)."""
    with project.reading() as conn:
        found: list[Place] = []
        if after is None or after.score_known:
            found = _scored(conn, after, limit)
            if len(found) == limit:
                return found
            after = None  # the scored ones are done: the unscored follow from the first document
        return found + _unscored(conn, after, limit - len(found))


def _uncertainty(conn: Connection) -> str:
    return UNCERTAINTY_POSTGRES if conn.dialect.name == "postgresql" else UNCERTAINTY_SQLITE


def _scored(conn: Connection, after: Place | None, limit: int) -> list[Place]:
    u = _uncertainty(conn)
    columns = f"SELECT {u}, document_id, start, id, uid, layer FROM spans WHERE state = 'suggested'"
    order = f"ORDER BY {u}, document_id, start, id LIMIT :limit"
    if after is None:
        return [_place(row) for row in conn.execute(text(f"{columns} AND {u} >= 0 {order}"), {"limit": limit})]
    values = {"u": after.uncertainty, "d": after.document_id, "s": after.start, "i": after.id, "limit": limit}
    if not _indexed(conn):  # one scan of the spans, whatever the query: make it one query
        since = f"AND ({u} > :u OR ({u} = :u AND (document_id, start, id) > (:d, :s, :i)))"
        return [_place(row) for row in conn.execute(text(f"{columns} {since} {order}"), values)]
    # The rest of the last place's uncertainty, then the greater ones: each query one range of the
    # index (with OR, SQLite searched from the smallest uncertainty up).
    same = f"{columns} AND {u} = :u AND (document_id, start, id) > (:d, :s, :i) {order}"
    found = [_place(row) for row in conn.execute(text(same), values)]
    if len(found) < limit:
        values["limit"] = limit - len(found)
        found += [_place(row) for row in conn.execute(text(f"{columns} AND {u} > :u {order}"), values)]
    return found


def _indexed(conn: Connection) -> bool:
    if conn.dialect.name == "postgresql":
        sql = "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_spans_review'"
    else:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_spans_review'"
    return conn.execute(text(sql)).first() is not None


def _unscored(conn: Connection, after: Place | None, limit: int) -> list[Place]:
    if limit <= 0:
        return []
    u = _uncertainty(conn)
    lowest, last = conn.execute(text("SELECT min(id), max(id) FROM documents")).one()
    if last is None:
        return []
    first = after.document_id if after is not None else lowest
    mark = (after.document_id, after.start, after.id) if after is not None else (0, -1, 0)
    sql = (
        f"SELECT NULL, document_id, start, id, uid, layer FROM spans "
        f"WHERE document_id >= :first AND document_id < :stop AND state = 'suggested' AND {u} IS NULL "
        f"AND (document_id, start, id) > (:d, :s, :i) "
        f"ORDER BY document_id, start, id LIMIT :limit"
    )
    found: list[Place] = []
    while len(found) < limit and first <= last:
        values = {"first": first, "stop": first + WINDOW, "d": mark[0], "s": mark[1], "i": mark[2],
                  "limit": limit - len(found)}
        found += [_place(row) for row in conn.execute(text(sql), values)]
        first += WINDOW
    return found


def _place(row) -> Place:
    uncertainty = None if row[0] is None else float(row[0])
    return Place(uncertainty, row[1], row[2], row[3], row[4], Layer(row[5]))
