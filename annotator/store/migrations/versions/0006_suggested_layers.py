"""Which layers a model has suggested for, per document (``documents.suggested_layers``), and an index
of the suggestions by how unsure their model was (``ix_spans_review``).

Statements and claims are suggested as well as entities now, and an article pre-annotated for entities
by an earlier version still needs its statements and claims. A number of bits (entity 1, statement 2,
claim 4; core.model.layer_bits) says which are done; articles suggested before had entities only.

Review Least Certain First walks every suggestion of the project, least certain first: |score - 0.5|.
Without an index a page of that walk scans every span (0.8-2 s on 4 million); with this partial index,
of suggested spans only, it is a range search (3-4 ms). The expression is spelled exactly as
store/review.py's queries spell it, or the planner would not use it; a test checks that it does.

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
    uncertainty = UNCERTAINTY[op.get_bind().dialect.name]
    # PostgreSQL wants an expression in an index in parentheses of its own; SQLite takes either.
    op.execute(f"CREATE INDEX ix_spans_review ON spans (({uncertainty}), document_id, start, id) WHERE state = 'suggested'")


UNCERTAINTY = {
    "sqlite": "CASE WHEN json_type(attributes, '$.score') IN ('integer', 'real') "
    "THEN abs(json_extract(attributes, '$.score') - 0.5) END",
    "postgresql": "CASE WHEN json_typeof(attributes -> 'score') = 'number' "
    "THEN abs(CAST(attributes ->> 'score' AS double precision) - 0.5) END",
}


def downgrade() -> None:
    op.drop_index("ix_spans_review", "spans")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("suggested_layers")
