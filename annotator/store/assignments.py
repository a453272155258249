"""Assignments: which annotator is to annotate which document (table document_assignments, migration 0008).

Dealing documents out reads what is assigned and writes the new assignments in one write transaction
(on SQLite the write lock is taken at BEGIN): two people assigning at once never deal a document twice.
What to deal is decided by the caller (services.assigning), given a ``Dealing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, delete, exists, func, insert, select, tuple_

from annotator.core.model import Status, now
from annotator.store.documents import chunks, latest_status
from annotator.store.project import Project
from annotator.store.tables import document_assignments, document_statuses, documents, spans

ANY_STATUS = "any"  # the status filter that selects every document
OPEN = "open"  # not done or skipped (as the document list's "Not done yet")


@dataclass
class Dealing:
    """What the store knows when documents are dealt out, read in the write transaction."""

    selected: list[int]  # the documents the status filter selects, by id
    assigned: dict[int, set[str]]  # who has each selected document already (only assigned ones)
    started: set[int]  # selected documents someone assigned to them has started (a status or a span)
    load: dict[str, int] = field(default_factory=dict)  # every annotator's assignments in the whole project


Pair = tuple[int, str]  # (document id, annotator)


def selected_ids(conn: Connection, status: str | None) -> list[int]:
    """Documents whose latest status (the newest anyone set) is ``status``; "open": not done or skipped;
    None or "any": all."""
    query = select(documents.c.id)
    column = latest_status()
    if status == OPEN:
        query = query.where(column.not_in([str(Status.DONE), str(Status.SKIPPED)]))
    elif status not in (None, ANY_STATUS):
        query = query.where(column == status)
    return sorted(conn.execute(query).scalars())


def _assigned(conn: Connection, ids: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    query = select(document_assignments.c.document_id, document_assignments.c.annotator)
    for chunk in chunks(ids, 500):
        for document_id, annotator in conn.execute(query.where(document_assignments.c.document_id.in_(chunk))):
            found.setdefault(document_id, set()).add(annotator)
    return found


def _started(conn: Connection, ids: list[int]) -> set[int]:
    """Of these documents, those an assignee has begun: a status of their own other than new, or a span
    they made or reviewed."""
    a = document_assignments
    by_status = exists().where(
        and_(
            document_statuses.c.document_id == a.c.document_id,
            document_statuses.c.annotator == a.c.annotator,
            document_statuses.c.status != str(Status.NEW),
        )
    )
    by_span = exists().where(and_(spans.c.document_id == a.c.document_id, spans.c.annotator == a.c.annotator))
    found: set[int] = set()
    for chunk in chunks(ids, 500):
        query = select(a.c.document_id).where(a.c.document_id.in_(chunk), by_status | by_span).distinct()
        found.update(conn.execute(query).scalars())
    return found


def _load(conn: Connection) -> dict[str, int]:
    a = document_assignments
    return dict(conn.execute(select(a.c.annotator, func.count()).group_by(a.c.annotator)).all())


def deal(
    project: Project,
    status: str | None,
    decide: Callable[[Dealing], tuple[Iterable[Pair], Iterable[Pair]]],
    by: str,
) -> Dealing:
    """In one write transaction: read the ``Dealing`` for the documents ``status`` selects, ask ``decide``
    for (assignments to remove, assignments to add) and store them, stamped now and ``by``. Returns the
    Dealing as it was read."""
    with project.writing() as conn:
        ids = selected_ids(conn, status)
        assigned = _assigned(conn, ids)
        dealing = Dealing(ids, assigned, _started(conn, list(assigned)), _load(conn))
        removed, added = decide(dealing)
        removed, added = list(removed), list(added)
        a = document_assignments
        for chunk in chunks(removed, 400):
            conn.execute(delete(a).where(tuple_(a.c.document_id, a.c.annotator).in_(chunk)))
        stamp = now()
        rows = [{"document_id": d, "annotator": n, "assigned_at": stamp, "assigned_by": by} for d, n in added]
        if rows:
            conn.execute(insert(a), rows)
    return dealing


def assignees(project: Project, document_ids: list[int] | None = None) -> dict[int, tuple[str, ...]]:
    """Who has each document (all documents, or these), names sorted; unassigned documents left out."""
    with project.reading() as conn:
        return assignees_in(conn, document_ids)


def assignees_in(conn: Connection, document_ids: list[int] | None = None) -> dict[int, tuple[str, ...]]:
    """assignees inside a transaction the caller holds."""
    a = document_assignments
    query = select(a.c.document_id, a.c.annotator)
    found: dict[int, set[str]] = {}
    if document_ids is None:
        parts = [query]
    else:
        parts = [query.where(a.c.document_id.in_(chunk)) for chunk in chunks(list(document_ids), 500)]
    for part in parts:
        for document_id, annotator in conn.execute(part):
            found.setdefault(document_id, set()).add(annotator)
    return {document_id: tuple(sorted(names)) for document_id, names in found.items()}


def assigned_ids(project: Project, annotator: str) -> set[int]:
    """The documents assigned to ``annotator``."""
    a = document_assignments
    with project.reading() as conn:
        return set(conn.execute(select(a.c.document_id).where(a.c.annotator == annotator)).scalars())


def has_assignments(project: Project) -> bool:
    with project.reading() as conn:
        return conn.execute(select(document_assignments.c.id).limit(1)).first() is not None


def assignment_counts(project: Project) -> dict[str, tuple[int, int]]:
    """Per annotator, (documents assigned to them, of those the ones they marked done), by name."""
    a, s = document_assignments, document_statuses
    done = and_(s.c.document_id == a.c.document_id, s.c.annotator == a.c.annotator, s.c.status == str(Status.DONE))
    query = (
        select(a.c.annotator, func.count(), func.count(s.c.document_id))
        .select_from(a.outerjoin(s, done))
        .group_by(a.c.annotator)
        .order_by(a.c.annotator)
    )
    with project.reading() as conn:
        return {name: (assigned, finished) for name, assigned, finished in conn.execute(query)}


def known_assignees(project: Project) -> list[str]:
    """Everyone who has had documents assigned, by name."""
    a = document_assignments
    with project.reading() as conn:
        return sorted(conn.execute(select(a.c.annotator).distinct()).scalars())
