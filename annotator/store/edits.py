"""Saving an Edit: the spans, links and status of one action, in one short transaction.

The interactive path: the action is on disk (synchronous=FULL) before the window shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, and_, delete, insert, select, update

from annotator.core.edits import Edit
from annotator.core.errors import ProjectError
from annotator.core.model import Relation, Span, Status, now
from annotator.store.document_labels import add_labels, remove_labels
from annotator.store.project import Project
from annotator.store.spans import ids_condition, insert_spans
from annotator.store.tables import document_labels, document_statuses, relations, spans

CHANGED_ELSEWHERE = (
    "This annotation was changed in another window (or by another annotator) since it was shown; "
    "nothing was saved, and the document has been reloaded."
)


class ChangedElsewhere(ProjectError):
    pass


def apply_edit(project: Project, edit: Edit) -> None:
    with project.writing() as conn:
        _apply(conn, edit)


def apply_edits(project: Project, edits: list[Edit]) -> None:
    """Several documents' Edits (one action over the project, or its undo) in one transaction: all or none."""
    with project.writing() as conn:
        for edit in edits:
            _apply(conn, edit)


def _apply(conn: Connection, edit: Edit) -> None:
    doc = edit.document_id
    _check_unchanged(conn, edit.before)
    for relation in edit.removed_relations():
        conn.execute(delete(relations).where(relations.c.uid == relation.uid))
    had = {s.uid for s in edit.before}
    for span in edit.removed_spans():
        _expect(conn.execute(delete(spans).where(and_(spans.c.uid == span.uid, spans.c.document_id == doc))))
    stamp = now()
    for span in edit.after:
        if span.uid in had:
            _expect(conn.execute(_update(span, doc, stamp)))
    insert_spans(conn, doc, [s for s in edit.after if s.uid not in had])
    _insert_relations(conn, doc, edit.added_relations())
    if edit.changes_status:
        _put_status(conn, doc, edit.annotator, edit.status_after, stamp)
    removed, added = edit.removed_labels(), edit.added_labels()
    if remove_labels(conn, doc, removed) != len(removed) or add_labels(conn, doc, added) != len(added):
        raise ChangedElsewhere(CHANGED_ELSEWHERE)


def _check_unchanged(conn: Connection, shown: tuple[Span, ...]) -> None:
    """Refuse the edit when a span it changes or removes was saved by someone else since it was shown: its
    stored ``updated`` stamp is no longer the one the edit started from. Without this, two annotators
    editing one span from their own views would both succeed and the first edit would be lost unseen.
    The rows are locked until the transaction ends (PostgreSQL; SQLite's write transaction holds the file)."""
    seen = {span.uid: span.updated for span in shown if span.updated is not None}
    uids = list(seen)
    for first in range(0, len(uids), 500):  # stay under SQLite's bound-parameter limit
        query = select(spans.c.uid, spans.c.updated).where(spans.c.uid.in_(uids[first : first + 500]))
        for uid, stored in conn.execute(query.with_for_update()):
            if _utc(stored) != _utc(seen[uid]):
                raise ChangedElsewhere(CHANGED_ELSEWHERE)
    # A span gone meanwhile is refused below: its update or delete finds no row.


def _utc(stamp: datetime) -> datetime:
    """The stamp in UTC: SQLite gives back the UTC stamps it was given without their zone (store.presence
    uses this too)."""
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _update(span: Span, doc: int, stamp):
    return (
        update(spans)
        .where(and_(spans.c.uid == span.uid, spans.c.document_id == doc))
        .values(
            start=span.start,
            end=span.end,
            label=span.label,
            layer=str(span.layer),
            attributes=span.attributes,
            origin=span.origin,
            state=str(span.state),
            annotator=span.annotator,
            updated=span.updated or stamp,
        )
    )


def _expect(result) -> None:
    if result.rowcount != 1:
        raise ChangedElsewhere(CHANGED_ELSEWHERE)


def _insert_relations(conn: Connection, doc: int, new: list[Relation]) -> None:
    if not new:
        return
    wanted = {r.head for r in new} | {r.tail for r in new}
    ids = {row.uid: row.id for row in conn.execute(select(spans.c.uid, spans.c.id).where(spans.c.uid.in_(wanted)))}
    if not wanted <= ids.keys():
        raise ChangedElsewhere(CHANGED_ELSEWHERE)
    conn.execute(
        insert(relations),
        [
            {
                "uid": r.uid,
                "document_id": doc,
                "head_span_id": ids[r.head],
                "tail_span_id": ids[r.tail],
                "label": r.label,
                "attributes": r.attributes,
            }
            for r in new
        ],
    )


def _put_status(conn: Connection, doc: int, annotator: str, status: Status | None, stamp) -> None:
    mine = and_(document_statuses.c.document_id == doc, document_statuses.c.annotator == annotator)
    conn.execute(delete(document_statuses).where(mine))
    if status is not None:
        conn.execute(
            insert(document_statuses).values(document_id=doc, annotator=annotator, status=str(status), updated=stamp)
        )
    # The documents row is not touched: the latest status anyone set is read from this table
    # (store.documents.latest_status), and rewriting a row that holds a long article costs its whole length.


def status_of(project: Project, document_id: int, annotator: str) -> Status | None:
    with project.reading() as conn:
        value = conn.execute(
            select(document_statuses.c.status).where(
                and_(document_statuses.c.document_id == document_id, document_statuses.c.annotator == annotator)
            )
        ).scalar()
    return None if value is None else Status(value)


def statuses_for_documents(conn: Connection, document_ids: list[int]) -> dict[int, dict[str, str]]:
    """Every annotator's status of each document, for the export."""
    found: dict[int, dict[str, str]] = {}
    query = select(document_statuses).where(ids_condition(document_statuses.c.document_id, document_ids))
    for row in conn.execute(query.order_by(document_statuses.c.annotator)):
        found.setdefault(row.document_id, {})[row.annotator] = row.status
    return found


def annotator_names(project: Project) -> list[str]:
    """Everyone who has annotated or set a status in the project, in name order."""
    with project.reading() as conn:
        named = conn.execute(select(spans.c.annotator).where(spans.c.annotator.is_not(None)).distinct()).scalars()
        statused = conn.execute(select(document_statuses.c.annotator).distinct()).scalars()
        labelled = conn.execute(select(document_labels.c.annotator).distinct()).scalars()
        return sorted(set(named) | set(statused) | {name for name in labelled if name})
