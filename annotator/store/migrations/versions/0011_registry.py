"""The registry: entries (people, organisations, places) with their aliases, and the spans linked to them.

Suggested links are computed, never stored: ``registry_links`` holds what an analyst confirmed. Relations
get an index from their tail span, so a speaker's statements and a statement's claims are found without
reading every relation (the entry list's counts, one entry's statements). New tables and an index only: no
existing row changes, and the same steps serve SQLite and PostgreSQL, but for the triggers below.

``registry_entries.mentions`` counts an entry's links, kept by triggers on ``registry_links``: a link
also goes when its span does (a cascade no Python sees), and counting 700,000 links for the entry list
took longer than the whole list may.

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
            sa.Column("mentions", sa.Integer, nullable=False, server_default="0"),
        )
    elif "mentions" not in {column["name"] for column in there.get_columns("registry_entries")}:
        op.add_column("registry_entries", sa.Column("mentions", sa.Integer, nullable=False, server_default="0"))
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
    _count_mentions(op.get_bind().dialect.name)


def _count_mentions(dialect: str) -> None:
    """Triggers keeping ``registry_entries.mentions`` (made anew, so an upgrade run twice makes them once),
    then the count of the links there are already. A link moved to another entry counts there."""
    if dialect == "postgresql":
        op.execute("""
            CREATE OR REPLACE FUNCTION registry_links_count() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('DELETE', 'UPDATE') THEN
                    UPDATE registry_entries SET mentions = mentions - 1 WHERE id = OLD.entry_id;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    UPDATE registry_entries SET mentions = mentions + 1 WHERE id = NEW.entry_id;
                END IF;
                RETURN NULL;
            END $$""")
        op.execute("DROP TRIGGER IF EXISTS registry_links_count ON registry_links")
        op.execute("CREATE TRIGGER registry_links_count AFTER INSERT OR DELETE OR UPDATE OF entry_id ON registry_links "
                   "FOR EACH ROW EXECUTE FUNCTION registry_links_count()")
    else:
        for name, body in _SQLITE_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("UPDATE registry_entries SET mentions = "
               "(SELECT count(*) FROM registry_links WHERE registry_links.entry_id = registry_entries.id)")


# SQLite fires these for links deleted by a cascade too (a span's, an entry's).
_SQLITE_TRIGGERS = {
    "registry_links_added": "AFTER INSERT ON registry_links BEGIN "
                            "UPDATE registry_entries SET mentions = mentions + 1 WHERE id = NEW.entry_id; END",
    "registry_links_removed": "AFTER DELETE ON registry_links BEGIN "
                              "UPDATE registry_entries SET mentions = mentions - 1 WHERE id = OLD.entry_id; END",
    "registry_links_moved": "AFTER UPDATE OF entry_id ON registry_links WHEN OLD.entry_id != NEW.entry_id BEGIN "
                            "UPDATE registry_entries SET mentions = mentions - 1 WHERE id = OLD.entry_id; "
                            "UPDATE registry_entries SET mentions = mentions + 1 WHERE id = NEW.entry_id; END",
}


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS registry_links_count ON registry_links")
        op.execute("DROP FUNCTION IF EXISTS registry_links_count()")
    op.drop_index("ix_registry_links_entry", "registry_links")
    op.drop_table("registry_links")
    op.drop_index("ix_registry_aliases_key", "registry_aliases")
    op.drop_table("registry_aliases")
    op.drop_table("registry_entries")
    op.drop_index("ix_relations_tail_label", "relations")
