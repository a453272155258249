"""Alembic environment: always run by annotator.store.project with an open connection."""

from alembic import context

connection = context.config.attributes["connection"]
# Batch mode lets later migrations alter SQLite tables (copy-and-move), and is a no-op elsewhere.
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
