"""Counts over a whole project, done by the database (no rows are loaded)."""

from __future__ import annotations

from sqlalchemy import func, select

from annotator.store.documents import latest_status
from annotator.store.project import Project
from annotator.store.tables import documents, relations, spans


def project_counts(project: Project) -> dict:
    with project.reading() as conn:
        n_documents = conn.execute(select(func.count()).select_from(documents)).scalar_one()
        latest = latest_status().label("status")
        statuses = dict(conn.execute(select(latest, func.count()).group_by(latest)).all())
        suggested = conn.execute(
            select(func.count()).select_from(documents).where(documents.c.suggested_by.is_not(None))
        ).scalar_one()
        by_label = conn.execute(
            select(spans.c.layer, spans.c.label, spans.c.state, func.count())
            .group_by(spans.c.layer, spans.c.label, spans.c.state)
            .order_by(spans.c.layer, spans.c.label, spans.c.state)
        ).all()
        n_relations = conn.execute(select(func.count()).select_from(relations)).scalar_one()
    layers: dict[str, dict] = {}
    for layer, label, state, n in by_label:
        entry = layers.setdefault(layer, {"total": 0, "labels": {}, "states": {}})
        entry["total"] += n
        entry["labels"][label] = entry["labels"].get(label, 0) + n
        entry["states"][state] = entry["states"].get(state, 0) + n
    return {
        "documents": n_documents,
        "pre_annotated": suggested,
        "statuses": statuses,
        "layers": layers,
        "relations": n_relations,
    }
