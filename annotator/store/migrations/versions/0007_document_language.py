"""Each document's language (``documents.language``), indexed: the project chooses a pipeline per language.

One English pipeline suggested for every document, and on Hebrew, Hindi, Thai or Armenian text it
suggested nonsense. A document's language is the one its source named (``meta.language`` or
``meta.lang``), else guessed from its script (core.languages); Latin letters get the project's default
language (the ``default_language`` setting, else English). Documents already in the project are given
theirs here, in batches by id; what was suggested before stays as it is.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

from annotator.core.languages import DEFAULT_LANGUAGE, language_of, normalised

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite adds it without copying the table.
    op.add_column("documents", sa.Column("language", sa.String(16), nullable=True))
    op.create_index("ix_documents_language", "documents", ["language"])
    conn = op.get_bind()
    stored = conn.execute(sa.text("SELECT value FROM settings WHERE key = 'default_language'")).scalar()
    if isinstance(stored, str):  # SQLite hands JSON back as its text
        try:
            stored = json.loads(stored)
        except ValueError:
            pass
    default = normalised(stored) or DEFAULT_LANGUAGE
    last = 0
    while True:
        rows = conn.execute(
            sa.text("SELECT id, text, meta FROM documents WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        found = [{"id": row[0], "language": language_of(_meta(row[2]), row[1], default)} for row in rows]
        conn.execute(sa.text("UPDATE documents SET language = :language WHERE id = :id"), found)
        last = rows[-1][0]


def _meta(value) -> dict:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def downgrade() -> None:
    op.drop_index("ix_documents_language", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("language")
