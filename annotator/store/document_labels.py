"""Document labels (each annotator's labels of a whole document) and the schema's label sets, as rows."""

from __future__ import annotations

from sqlalchemy import Connection, and_, delete, func, insert, select, tuple_, update

from annotator.core.model import DocumentLabel, now
from annotator.core.schema import LabelSet
from annotator.store.documents import label_names
from annotator.store.project import Project
from annotator.store.spans import ids_condition
from annotator.store.tables import document_labels, label_sets


def _annotator(name: str | None) -> str:
    return name or ""  # '' in the table: part of the key, which cannot be NULL


def _label(row) -> DocumentLabel:
    return DocumentLabel(row.label_set, row.label, row.annotator or None, row.origin)


# ------------------------------------------------------------------ the schema's label sets


def read_label_sets(conn: Connection) -> list[tuple]:
    """The label sets' rows, (name, labels, multiple, description) by position, for schema_from_rows."""
    query = select(label_sets.c.name, label_sets.c.labels, label_sets.c.multiple, label_sets.c.description)
    return list(conn.execute(query.order_by(label_sets.c.position, label_sets.c.id)).all())


def put_label_sets(conn: Connection, sets: tuple[LabelSet, ...]) -> None:
    conn.execute(delete(label_sets))
    rows = [
        {
            "name": s.name,
            "multiple": s.multiple,
            "labels": [{"name": c.name, "key": c.key} for c in s.choices],
            "description": s.description,
            "position": i,
        }
        for i, s in enumerate(sets)
    ]
    if rows:
        conn.execute(insert(label_sets), rows)


def delete_labels_outside(conn: Connection, sets: tuple[LabelSet, ...]) -> dict[tuple[str, str], int]:
    """Delete the document labels whose set or label the schema no longer has; counts per (set, label)."""
    kept = {(s.name, c.name) for s in sets for c in s.choices}
    counts = conn.execute(
        select(document_labels.c.label_set, document_labels.c.label, func.count()).group_by(
            document_labels.c.label_set, document_labels.c.label
        )
    ).all()
    gone = {(name, label): n for name, label, n in counts if (name, label) not in kept}
    for name, label in gone:
        conn.execute(
            delete(document_labels).where(
                and_(document_labels.c.label_set == name, document_labels.c.label == label)
            )
        )
    return gone


def rename_document_label(conn: Connection, old: tuple[str, str], new: tuple[str, str]) -> int:
    """Give every document label ``old`` (set, label) the name ``new``; how many were renamed. A document
    that one annotator gave both keeps the label once."""
    table, other = document_labels, document_labels.alias("other")
    both = (
        select(other.c.document_id)
        .where(
            other.c.document_id == table.c.document_id,
            other.c.annotator == table.c.annotator,
            other.c.label_set == new[0],
            other.c.label == new[1],
        )
        .exists()
    )
    mine = and_(table.c.label_set == old[0], table.c.label == old[1])
    merged = conn.execute(delete(table).where(mine, both)).rowcount
    renamed = conn.execute(update(table).where(mine).values(label_set=new[0], label=new[1])).rowcount
    return merged + renamed


# ------------------------------------------------------------------ a document's labels


def labels_for_documents(conn: Connection, document_ids: list[int]) -> dict[int, list[DocumentLabel]]:
    """Each document's labels, in the order they were set (then by name, for a stable export)."""
    found: dict[int, list[DocumentLabel]] = {}
    query = select(document_labels).where(ids_condition(document_labels.c.document_id, document_ids))
    order = (document_labels.c.created, document_labels.c.label_set, document_labels.c.label)
    for row in conn.execute(query.order_by(*order)):
        found.setdefault(row.document_id, []).append(_label(row))
    return found


def label_names_of(project: Project) -> dict[int, tuple[str, ...]]:
    """``label_names`` of every document, for sorting the list."""
    with project.reading() as conn:
        return label_names(conn)


def labelled_ids(project: Project, label_set: str | None = None, label: str | None = None) -> set[int]:
    """The documents someone gave this label of this set; without a label, those with any label at all."""
    query = select(document_labels.c.document_id).distinct()
    if label_set is not None and label is not None:
        query = query.where(document_labels.c.label_set == label_set, document_labels.c.label == label)
    with project.reading() as conn:
        return set(conn.execute(query).scalars())


def document_labels_of(project: Project, document_id: int) -> list[DocumentLabel]:
    with project.reading() as conn:
        return labels_for_documents(conn, [document_id]).get(document_id, [])


def label_keys(conn: Connection, document_id: int) -> set[tuple[str, str, str]]:
    """(label set, label, annotator) of every label the document has."""
    query = select(document_labels.c.label_set, document_labels.c.label, document_labels.c.annotator)
    return {tuple(row) for row in conn.execute(query.where(document_labels.c.document_id == document_id))}


def add_labels(conn: Connection, document_id: int, labels: list[DocumentLabel]) -> int:
    """Store labels a document does not have yet (the same set, label and annotator is not doubled);
    returns how many were new."""
    have = label_keys(conn, document_id)
    stamp, rows = now(), []
    for label in labels:
        key = (label.label_set, label.label, _annotator(label.annotator))
        if key in have:
            continue
        have.add(key)
        rows.append(
            {
                "document_id": document_id,
                "label_set": label.label_set,
                "label": label.label,
                "annotator": key[2],
                "origin": label.origin,
                "created": stamp,
            }
        )
    if rows:
        conn.execute(insert(document_labels), rows)
    return len(rows)


def remove_labels(conn: Connection, document_id: int, labels: list[DocumentLabel]) -> int:
    if not labels:
        return 0
    keys = [(label.label_set, label.label, _annotator(label.annotator)) for label in labels]
    where = and_(
        document_labels.c.document_id == document_id,
        tuple_(document_labels.c.label_set, document_labels.c.label, document_labels.c.annotator).in_(keys),
    )
    return conn.execute(delete(document_labels).where(where)).rowcount


def document_label_counts(conn: Connection) -> dict[tuple[str, str], int]:
    """How many documents carry each (set, label), by anyone."""
    query = select(
        document_labels.c.label_set, document_labels.c.label, func.count(func.distinct(document_labels.c.document_id))
    ).group_by(document_labels.c.label_set, document_labels.c.label)
    return {(name, label): n for name, label, n in conn.execute(query)}
