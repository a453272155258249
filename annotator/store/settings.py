"""Small per-project values (a key and a JSON value each)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from annotator.store.project import Project
from annotator.store.tables import settings


def get_setting(project: Project, key: str, default: Any = None) -> Any:
    with project.reading() as conn:
        return read_setting(conn, key, default)


def read_setting(conn: Connection, key: str, default: Any = None) -> Any:
    """get_setting inside a transaction the caller already holds."""
    row = conn.execute(select(settings.c.value).where(settings.c.key == key)).one_or_none()
    return default if row is None else row.value


def set_setting(project: Project, key: str, value: Any) -> None:
    with project.writing() as conn:
        put_setting(conn, key, value)


def put_setting(conn: Connection, key: str, value: Any) -> None:
    """set_setting inside a transaction the caller already holds."""
    conn.execute(delete(settings).where(settings.c.key == key))
    conn.execute(insert(settings).values(key=key, value=value))
