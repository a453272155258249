"""Which layers a model has suggested for, per document: ``documents.suggested_layers``.

Statements and claims are suggested as well as entities now, and an article pre-annotated for entities
by an earlier version still needs its statements and claims. A number of bits (entity 1, statement 2,
claim 4; core.model.layer_bits) says which are done; articles suggested before had entities only.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite adds it without copying the table (a large project's documents stay put).
    op.add_column("documents", sa.Column("suggested_layers", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE documents SET suggested_layers = 1 WHERE suggested_by IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("suggested_layers")
