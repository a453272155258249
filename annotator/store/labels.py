"""The project's label schema, kept as rows so it travels with the project."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from annotator.core.model import Layer
from annotator.core.schema import Label, LabelSchema
from annotator.store.project import Project
from annotator.store.settings import get_setting, put_setting
from annotator.store.tables import labels

ATTRIBUTES_KEY = "schema.attributes"
OPTIONS_KEY = "schema.options"


def load_schema(project: Project) -> LabelSchema | None:
    """The stored schema, or None for a project that has none yet."""
    with project.reading() as conn:
        rows = conn.execute(select(labels).order_by(labels.c.position, labels.c.id)).all()
    if not rows:
        return None
    found = tuple(Label(r.name, Layer(r.layer), r.colour, r.description) for r in rows)
    options = get_setting(project, OPTIONS_KEY) or {}
    return LabelSchema(
        found,
        dict(get_setting(project, ATTRIBUTES_KEY) or {}),
        bool(options.get("nested_entities", False)),
        str(options.get("name", "")),
    )


def save_schema(project: Project, schema: LabelSchema) -> None:
    with project.writing() as conn:
        put_schema(conn, schema)


def put_schema(conn: Connection, schema: LabelSchema) -> None:
    """save_schema inside a transaction the caller already holds."""
    rows = [
        {"layer": str(l.layer), "name": l.name, "colour": l.colour, "description": l.description, "position": i}
        for i, l in enumerate(schema.labels)
    ]
    conn.execute(delete(labels))
    if rows:
        conn.execute(insert(labels), rows)
    put_setting(conn, ATTRIBUTES_KEY, schema.attributes)
    put_setting(conn, OPTIONS_KEY, {"nested_entities": schema.nested_entities, "name": schema.name})
