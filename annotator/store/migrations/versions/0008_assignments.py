"""Assignments: which annotator is to annotate which document (``document_assignments``).

A project lead deals the new documents out (``annotator assign``, Project ▸ Assign Documents…): each
to one annotator, a share to two or more for measuring agreement. A person's list shows their own first.
A new table only: no existing row changes, and the same steps serve SQLite and PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("annotator", sa.Text, nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.Text, nullable=False),
        sa.UniqueConstraint("document_id", "annotator", name="uq_document_assignments_document_annotator"),
    )
    op.create_index("ix_document_assignments_annotator", "document_assignments", ["annotator"])


def downgrade() -> None:
    op.drop_index("ix_document_assignments_annotator", "document_assignments")
    op.drop_table("document_assignments")
