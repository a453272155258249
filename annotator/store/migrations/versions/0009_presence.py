"""Presence: which annotator has which document open now (``presence``), one row per open window.

Each window confirms its row every few seconds (a heartbeat) and deletes it when it closes; a row not
confirmed for a minute counts as gone (a killed window). A new table only: no existing row changes, and
the same steps serve SQLite and PostgreSQL.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-15
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("session", sa.String(64), primary_key=True),
        sa.Column("annotator", sa.Text, nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE")),
        sa.Column("seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_presence_document", "presence", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_presence_document", "presence")
    op.drop_table("presence")
