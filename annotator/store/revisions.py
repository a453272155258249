"""The schema revisions this version knows: where the migration scripts are and which one is newest.

Alembic is imported only when a revision other than the newest has to be looked up: a project already
at the newest schema opens without it, a tenth of a second of every start.
"""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration in migrations/versions (tests/store keeps the two in step).
SCHEMA_HEAD = "0011"


def is_known(revision: str) -> bool:
    """Whether this version has a migration script of that revision (False: a newer version wrote it)."""
    if revision == SCHEMA_HEAD:
        return True
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        ScriptDirectory(str(MIGRATIONS)).get_revision(revision)
    except CommandError:
        return False
    return True
