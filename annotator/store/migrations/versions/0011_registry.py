"""The registry: entries (people, organisations, places) with their aliases, and the spans linked to them.

Suggested links are computed, never stored: ``registry_links`` holds what an analyst confirmed. Relations
get an index from their tail span, so a speaker's statements and a statement's claims are found without
reading every relation (the entry list's counts, one entry's statements). New tables and an index only: no
existing row changes, and the same steps serve SQLite and PostgreSQL.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A project whose recorded revision was set back by hand (the tests' "earlier version" projects) may
    # hold these already: an upgrade then adds only what is missing.
    there = sa.inspect(op.get_bind())
    tables = set(there.get_table_names())
    if "ix_relations_tail_label" not in {index["name"] for index in there.get_indexes("relations")}:
        op.create_index("ix_relations_tail_label", "relations", ["tail_span_id", "label"])
    if "registry_entries" not in tables:
        op.create_table(
            "registry_entries",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("uid", sa.String(64), nullable=False, unique=True),
            sa.Column("name", sa.Text, nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("created", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        )
    if "registry_aliases" not in tables:
        op.create_table(
            "registry_aliases",
            sa.Column("entry_id", sa.Integer, sa.ForeignKey("registry_entries.id", ondelete="CASCADE"),
                      primary_key=True),
            sa.Column("alias", sa.Text, primary_key=True),
            sa.Column("key", sa.Text, nullable=False),
        )
        op.create_index("ix_registry_aliases_key", "registry_aliases", ["key"])
    if "registry_links" not in tables:
        op.create_table(
            "registry_links",
            sa.Column("span_id", sa.Integer, sa.ForeignKey("spans.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("entry_id", sa.Integer, sa.ForeignKey("registry_entries.id", ondelete="CASCADE"),
                      nullable=False),
            sa.Column("annotator", sa.Text),
            sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_registry_links_entry", "registry_links", ["entry_id", "span_id"])


def downgrade() -> None:
    op.drop_index("ix_registry_links_entry", "registry_links")
    op.drop_table("registry_links")
    op.drop_index("ix_registry_aliases_key", "registry_aliases")
    op.drop_table("registry_aliases")
    op.drop_table("registry_entries")
    op.drop_index("ix_relations_tail_label", "relations")
