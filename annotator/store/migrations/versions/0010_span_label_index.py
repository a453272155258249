"""An index of spans by layer, label and state, for counts over the whole project.

Counting spans by label (``annotator stats``, Project ▸ Dashboard) scanned every span and sorted them
all: 2.7 s on the 100,000-document benchmark project (2 million spans). Read from this index, in its
order, the same count takes 0.35 s, and the statements and claims of a project are found without
reading the entities. No row changes; the same step serves SQLite and PostgreSQL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # if_not_exists: a project set back to an earlier revision (as the migration tests do) may have it
    op.create_index("ix_spans_layer_label_state", "spans", ["layer", "label", "state"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_spans_layer_label_state", "spans")
