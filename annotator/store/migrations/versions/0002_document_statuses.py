"""Document status per annotator: each person's new / in progress / done / skipped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_statuses",
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("annotator", sa.Text, primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_document_statuses_annotator", "document_statuses", ["annotator", "status"])
    op.create_index("ix_spans_uid_document", "spans", ["document_id", "uid"])
    _first_release_statuses()


def _first_release_statuses() -> None:
    """The first release kept one status per document, for whoever worked on the project; from here
    each annotator's list shows their own. So each annotator the project knows (the annotators table,
    and everyone named on a span) starts with the document's status, or every done article would show
    as new after the upgrade. Only here: later, documents.status is the status a document came in with."""
    bind = op.get_bind()
    meta = sa.MetaData()
    documents = sa.Table("documents", meta, autoload_with=bind)
    statuses = sa.Table("document_statuses", meta, autoload_with=bind)
    annotators = sa.Table("annotators", meta, autoload_with=bind)
    spans = sa.Table("spans", meta, autoload_with=bind)
    names = {row[0] for row in bind.execute(sa.select(annotators.c.name))}
    named = sa.select(spans.c.annotator).where(spans.c.annotator.is_not(None)).distinct()
    names |= {row[0] for row in bind.execute(named)}
    worked = sa.select(documents.c.id, documents.c.status, documents.c.updated).where(documents.c.status != "new")
    rows = [
        {"document_id": doc_id, "annotator": name, "status": status, "updated": updated}
        for doc_id, status, updated in bind.execute(worked)
        for name in sorted(names)
    ]
    if rows:
        bind.execute(sa.insert(statuses), rows)


def downgrade() -> None:
    op.drop_index("ix_spans_uid_document", "spans")
    op.drop_index("ix_document_statuses_annotator", "document_statuses")
    op.drop_table("document_statuses")
