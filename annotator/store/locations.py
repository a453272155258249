"""What a project location names: a SQLite file or a server URL, and how to show it without its password.

Its own module because both opening a project (store.project) and backing one up (store.backups) need it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from annotator.core.errors import ProjectError


def sqlite_path(location: str) -> Path | None:
    """The SQLite file a location names (a path or a sqlite:/// URL); None for a server database."""
    if "://" not in location:
        return Path(location).expanduser().resolve()
    url = make_url(location)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise ProjectError("an in-memory database cannot hold a project; give a file")
    return Path(url.database).expanduser().resolve()


def hide_password(location: str) -> str:
    """A location fit to show: a server URL without its password."""
    try:
        return make_url(location).render_as_string(hide_password=True)
    except ArgumentError:
        return location
