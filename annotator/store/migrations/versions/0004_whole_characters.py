"""Whole characters: stored span edges (and cues) that fall inside a character are moved out to it.

Versions before this one could store a model's suggestion that ended between a flag's two letters or
before an emoji's skin tone ("Benjamin Netanyahu 🇮"). The window drew such a span whole, but every
export wrote the half character. Every edge is now on a character boundary when it is stored; this
moves the old ones out the same way an import does (core.checks.whole_characters). A span moved out
may become one stored beside it (a model's cut "Netanyahu 🇮" and the analyst's whole one): it is kept
once, the analyst's, and the relations of the other lead to it. Only the texts that can hold a joined
character at all are looked at, so a project of plain news text pays one scan per article. The project
is backed up before any migration runs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import logging

import sqlalchemy as sa
from alembic import op

from annotator.core.checks import whole_characters
from annotator.core.graphemes import may_split
from annotator.core.model import Span

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)
_RANK = {"rejected": 1, "suggested": 2}  # which of two spans that became one stays: the lowest
PAGE = 500  # documents read at a time: texts of a big project do not all sit in memory

documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("text", sa.Text))
spans = sa.table(
    "spans",
    sa.column("id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("start", sa.Integer),
    sa.column("end", sa.Integer),
    sa.column("layer", sa.Text),
    sa.column("label", sa.Text),
    sa.column("annotator", sa.Text),
    sa.column("state", sa.Text),
    sa.column("attributes", sa.JSON),
)
relations = sa.table(
    "relations",
    sa.column("id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("head_span_id", sa.Integer),
    sa.column("tail_span_id", sa.Integer),
    sa.column("label", sa.Text),
)


def upgrade() -> None:
    conn = op.get_bind()
    moved, after = 0, 0
    while True:
        page = conn.execute(
            sa.select(documents.c.id, documents.c.text).where(documents.c.id > after).order_by(documents.c.id)
            .limit(PAGE)
        ).all()
        if not page:
            break
        after = page[-1].id
        for document_id, text in page:
            if may_split(text):
                moved += _whole(conn, document_id, text)
    if moved:
        log.info("migration 0004: %d span(s) moved out to whole characters", moved)


def _whole(conn, document_id: int, text: str) -> int:
    rows = conn.execute(
        sa.select(spans.c.id, spans.c.layer, spans.c.start, spans.c.end, spans.c.label, spans.c.annotator,
                  spans.c.state, spans.c.attributes)
        .where(spans.c.document_id == document_id)
    ).all()
    stored = [Span(row.start, row.end, row.label, attributes=row.attributes or {}) for row in rows]
    whole, _ = whole_characters(stored, text)
    moved = {row.id for row, old, new in zip(rows, stored, whole, strict=True) if new is not old}
    if not moved:
        return 0
    keys: dict[tuple, list] = {}
    for row, span in zip(rows, whole, strict=True):
        keys.setdefault((row.layer, span.start, span.end, row.label, row.annotator), []).append((row, span))
    for same in keys.values():
        if not any(row.id in moved for row, _ in same):
            continue  # nothing of this migration's doing
        # Moved out, a span may now be one that was stored beside it (a person's whole "Netanyahu 🇮🇱" and
        # a model's cut one): one stays, a person's accepted or edited one before a rejected one before a
        # model's suggestion, an unmoved one before a moved one; the others' links go to it.
        same.sort(key=lambda pair: (_RANK.get(pair[0].state, 0), pair[0].id in moved, pair[0].id))
        (keeper, span), others = same[0], [row.id for row, _ in same[1:]]
        if keeper.id in moved:
            conn.execute(sa.update(spans).where(spans.c.id == keeper.id)
                         .values(start=span.start, end=span.end, attributes=span.attributes))
        if others:
            _relink(conn, document_id, others, keeper.id)
            conn.execute(sa.delete(spans).where(spans.c.id.in_(others)))
    return len(moved)


def _relink(conn, document_id: int, gone: list[int], kept: int) -> None:
    """The relations of spans about to go lead to the span kept instead; one that would then double
    another, or lead from the span to itself, goes."""
    for column in (relations.c.head_span_id, relations.c.tail_span_id):
        conn.execute(sa.update(relations).where(column.in_(gone)).values({column.name: kept}))
    seen, doubles = set(), []
    for row in conn.execute(
        sa.select(relations.c.id, relations.c.head_span_id, relations.c.tail_span_id, relations.c.label)
        .where(relations.c.document_id == document_id).order_by(relations.c.id)
    ):
        key = (row.head_span_id, row.tail_span_id, row.label)
        if key in seen or row.head_span_id == row.tail_span_id:
            doubles.append(row.id)
        seen.add(key)
    if doubles:
        conn.execute(sa.delete(relations).where(relations.c.id.in_(doubles)))


def downgrade() -> None:
    pass  # the edges moved out stay whole: the earlier schema holds them as they are
