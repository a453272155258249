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


def downgrade() -> None:
    op.drop_index("ix_spans_uid_document", "spans")
    op.drop_index("ix_document_statuses_annotator", "document_statuses")
    op.drop_table("document_statuses")
