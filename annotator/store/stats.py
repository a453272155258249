"""Counts over a whole project, done by the database (no rows are loaded)."""

from __future__ import annotations

from sqlalchemy import String, and_, case, cast, distinct, func, select

from annotator.core.vocabulary import CHECKWORTHINESS, CLAIM_TYPE, SCORE, SPEAKER, SPEAKER_TEXT
from annotator.store.annotated import Exported
from annotator.store.documents import get_document, latest_status
from annotator.store.edits import statuses_for_documents
from annotator.store.project import Project
from annotator.store.spans import relations_for_documents, spans_for_documents
from annotator.store.tables import document_statuses, documents, registry_entries, registry_links, relations, spans


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


# --- the dashboard's figures (services/dashboard.py) ------------------------------------------------------
# Each is one grouped query: the rows returned are few (a row per label, speaker or day), however many
# spans the project holds. Counts by layer and label read ix_spans_layer_label_state, not the spans.

_SHOWN = spans.c.state != "rejected"  # a rejected suggestion is kept only so that it is not suggested again


def label_totals(project: Project) -> list[tuple[str, str, int]]:
    """(layer, label, spans) of every label in use, rejected suggestions left out."""
    query = (
        select(spans.c.layer, spans.c.label, func.count())
        .where(_SHOWN)
        .group_by(spans.c.layer, spans.c.label)
    )
    with project.reading() as conn:
        return [tuple(row) for row in conn.execute(query)]


def status_days(project: Project) -> list[tuple[str, str, str, int]]:
    """(annotator, status, day, documents): how many documents each annotator set to each status on each
    day, counting the day they last set it (document_statuses keeps one row per annotator and document:
    a status set earlier and changed since is not counted on its old day). Status "new" is left out:
    it is where every document starts, so it is no progress."""
    day = func.substr(cast(document_statuses.c.updated, String), 1, 10)  # ISO text on SQLite and PostgreSQL
    query = (
        select(document_statuses.c.annotator, document_statuses.c.status, day, func.count())
        .where(document_statuses.c.status != "new")
        .group_by(document_statuses.c.annotator, document_statuses.c.status, day)
        .order_by(day)
    )
    with project.reading() as conn:
        return [tuple(row) for row in conn.execute(query)]


def speaker_totals(project: Project) -> list[tuple[str | None, int]]:
    """(speaker as written, statements): a statement's speaker is the words of the span its speaker
    relation leads to, else the name typed for it (speaker_text); None where it has neither. A name may
    come twice (once linked, once typed): the caller adds them up. A speaker linked to a registry entry
    is counted under the entry's name."""
    statement, who = spans.alias("statement"), spans.alias("who")
    shown = and_(statement.c.layer == "statement", statement.c.state != "rejected")
    linked = select(relations.c.head_span_id).where(relations.c.label == SPEAKER)
    # A speaker linked to a registry entry counts under the entry's name: "Lavrov" and "Sergey Lavrov" are one.
    words = func.coalesce(registry_entries.c.name,
                          func.substr(documents.c.text, who.c.start + 1, who.c.end - who.c.start))  # 1-based
    # From the relations to the statements, not the other way: relations have no index by head, and a
    # join from each statement scanned them all (80 s for 50,000 statements); NOT IN builds one index.
    by_link = (
        select(words, func.count())
        .select_from(
            relations.join(statement, statement.c.id == relations.c.head_span_id)
            .join(who, who.c.id == relations.c.tail_span_id)
            .join(documents, documents.c.id == who.c.document_id)
            .outerjoin(registry_links, registry_links.c.span_id == who.c.id)
            .outerjoin(registry_entries, registry_entries.c.id == registry_links.c.entry_id)
        )
        .where(relations.c.label == SPEAKER, shown)
        .group_by(words)
    )
    typed = statement.c.attributes[SPEAKER_TEXT].as_string()
    by_name = select(typed, func.count()).where(shown, statement.c.id.not_in(linked)).group_by(typed)
    with project.reading() as conn:
        return [tuple(row) for query in (by_link, by_name) for row in conn.execute(query)]


def claim_totals(project: Project) -> list[tuple[str | None, str | None, str, int | None, int]]:
    """(check-worthiness, claim type, label, score band, claims). The band (0: score 0.5 and up, 1: from
    0.25, 2: below) lets a claim a model scored but nobody classed still be counted in a class."""
    worth = spans.c.attributes[CHECKWORTHINESS].as_string()
    kind = spans.c.attributes[CLAIM_TYPE].as_string()
    score = spans.c.attributes[SCORE].as_float()
    band = case((score >= 0.5, 0), (score >= 0.25, 1), (score.is_not(None), 2))
    query = (
        select(worth, kind, spans.c.label, band, func.count())
        .where(spans.c.layer == "claim", _SHOWN)
        .group_by(worth, kind, spans.c.label, band)
    )
    with project.reading() as conn:
        return [tuple(row) for row in conn.execute(query)]


def shared_documents(project: Project, leave_out: str, limit: int) -> tuple[int, list[int], list[str]]:
    """Documents two or more annotators (not ``leave_out``, the curated gold) gave a status other than
    new: (how many, the ``limit`` most recently worked on, by id, and those annotators' names)."""
    who = document_statuses.c.annotator
    worked = and_(document_statuses.c.status != "new", who != leave_out)
    shared = (
        select(document_statuses.c.document_id, func.max(document_statuses.c.updated).label("last"))
        .where(worked)
        .group_by(document_statuses.c.document_id)
        .having(func.count(distinct(who)) >= 2)
        .subquery()
    )
    with project.reading() as conn:
        total = conn.execute(select(func.count()).select_from(shared)).scalar_one()
        ids = list(conn.execute(
            select(shared.c.document_id).order_by(shared.c.last.desc(), shared.c.document_id).limit(limit)
        ).scalars())
        names = sorted(conn.execute(
            select(who).where(worked, document_statuses.c.document_id.in_(ids)).distinct()
        ).scalars()) if ids else []
    return total, sorted(ids), names


def documents_with_annotations(project: Project, ids: list[int]) -> list[Exported]:
    """The documents ``ids`` with their spans, relations and each annotator's status (as annotated_batches)."""
    found = [doc for doc in (get_document(project, i) for i in ids) if doc is not None]
    with project.reading() as conn:
        by_id = spans_for_documents(conn, ids, stamps=False)
        links = relations_for_documents(conn, ids)
        statuses = statuses_for_documents(conn, ids)
    return [(doc, by_id.get(doc.id, []), links.get(doc.id, []), statuses.get(doc.id, {})) for doc in found]
