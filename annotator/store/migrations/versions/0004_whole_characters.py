"""Whole characters: stored span edges (and cues) that fall inside a character are moved out to it.

Versions before this one could store a model's suggestion that ended between a flag's two letters or
before an emoji's skin tone ("Benjamin Netanyahu 🇮"). The window drew such a span whole, but every
export wrote the half character. Every edge is now on a character boundary when it is stored; this
moves the old ones out the same way an import does (core.checks.whole_characters). Only the texts that
can hold a joined character at all are looked at, so a project of plain news text pays one scan per
article. The project is backed up before any migration runs.

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
PAGE = 500  # documents read at a time: texts of a big project do not all sit in memory

documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("text", sa.Text))
spans = sa.table(
    "spans",
    sa.column("id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("start", sa.Integer),
    sa.column("end", sa.Integer),
    sa.column("label", sa.Text),
    sa.column("attributes", sa.JSON),
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
        sa.select(spans.c.id, spans.c.start, spans.c.end, spans.c.label, spans.c.attributes)
        .where(spans.c.document_id == document_id)
    ).all()
    stored = [Span(row.start, row.end, row.label, attributes=row.attributes or {}) for row in rows]
    whole, _ = whole_characters(stored, text)
    moved = 0
    for row, old, new in zip(rows, stored, whole, strict=True):
        if new is not old:
            conn.execute(
                sa.update(spans).where(spans.c.id == row.id)
                .values(start=new.start, end=new.end, attributes=new.attributes)
            )
            moved += 1
    return moved


def downgrade() -> None:
    pass  # the edges moved out stay whole: the earlier schema holds them as they are
