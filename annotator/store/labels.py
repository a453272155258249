"""The project's label schema, kept as rows so it travels with the project."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from annotator.core.model import Layer
from annotator.core.schema import Label, LabelSchema
from annotator.store.project import Project
from annotator.store.settings import get_setting, put_setting
from annotator.store.tables import labels

ATTRIBUTES_KEY = "schema.attributes"


def load_schema(project: Project) -> LabelSchema | None:
    """The stored schema, or None for a project that has none yet."""
    with project.reading() as conn:
        rows = conn.execute(select(labels).order_by(labels.c.position, labels.c.id)).all()
    if not rows:
        return None
    found = tuple(Label(r.name, Layer(r.layer), r.colour, r.description) for r in rows)
    return LabelSchema(found, dict(get_setting(project, ATTRIBUTES_KEY) or {}))


def save_schema(project: Project, schema: LabelSchema) -> None:
    rows = [
        {"layer": str(l.layer), "name": l.name, "colour": l.colour, "description": l.description, "position": i}
        for i, l in enumerate(schema.labels)
    ]
    with project.writing() as conn:
        conn.execute(delete(labels))
        if rows:
            conn.execute(insert(labels), rows)
        put_setting(conn, ATTRIBUTES_KEY, schema.attributes)
