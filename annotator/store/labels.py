"""The project's label schema, kept as rows so it travels with the project."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from annotator.core.model import now
from annotator.core.schema import LabelSchema
from annotator.store.document_labels import put_label_sets, read_label_sets
from annotator.store.project import Project
from annotator.store.settings import get_setting, put_setting
from annotator.store.sqlite_rows import ATTRIBUTES_KEY, OPTIONS_KEY, schema_from_rows
from annotator.store.tables import labels, relations, spans


def load_schema(project: Project) -> LabelSchema | None:
    """The stored schema, or None for a project that has none yet."""
    with project.reading() as conn:
        rows = conn.execute(
            select(labels.c.layer, labels.c.name, labels.c.colour, labels.c.description).order_by(
                labels.c.position, labels.c.id
            )
        ).all()
        sets = read_label_sets(conn)
    if not rows:
        return None
    return schema_from_rows(rows, get_setting(project, ATTRIBUTES_KEY), get_setting(project, OPTIONS_KEY), sets)


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
    put_label_sets(conn, schema.label_sets)


def stored_labels(conn: Connection) -> set[tuple[str, str]]:
    """The (layer, name) of every label the stored schema has, read inside the caller's transaction."""
    return {(row.layer, row.name) for row in conn.execute(select(labels.c.layer, labels.c.name))}


def label_uses(project: Project) -> dict[tuple[str, str], int]:
    """How many spans (of any state) carry each (layer, label)."""
    query = select(spans.c.layer, spans.c.label, func.count()).group_by(spans.c.layer, spans.c.label)
    with project.reading() as conn:
        return {(layer, label): count for layer, label, count in conn.execute(query)}


def rename_label(conn: Connection, layer: str, old: str, new: str) -> int:
    """Give every span of ``old`` on ``layer`` the label ``new``; returns how many changed."""
    result = conn.execute(
        update(spans)
        .where(spans.c.layer == str(layer), spans.c.label == old)
        .values(label=new, updated=now())
    )
    return result.rowcount


def delete_label_spans(conn: Connection, layer: str, name: str) -> int:
    """Delete every span of ``name`` on ``layer`` and the relations that touch them; returns the spans deleted.

    The foreign keys would cascade, but SQLite enforces them only on a connection that switched them on;
    deleting the relations here does not depend on that.
    """
    doomed = select(spans.c.id).where(spans.c.layer == str(layer), spans.c.label == name)
    conn.execute(
        delete(relations).where(or_(relations.c.head_span_id.in_(doomed), relations.c.tail_span_id.in_(doomed)))
    )
    return conn.execute(delete(spans).where(spans.c.layer == str(layer), spans.c.label == name)).rowcount
