"""Merging another analyst's work into a project: rows added beside what is there, never over it.

One document at a time, inside a transaction the caller holds (services.merging holds one for the whole
merge, so a failure leaves the project as it was). A document is found by its text (content hash) or
added. Spans keep their uids, origins, states and annotators: one whose uid the project has, or whose
layer, offsets, label and annotator one of its spans has, is skipped (so merging twice adds nothing).
Links are remapped to the merged spans' row ids; a link whose head was already there is left out, since
the project's annotations are never changed. Statuses and document labels are each person's own: one the
project holds already is kept as it is.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, insert, select

from annotator.core.model import Document, DocumentLabel, Relation, Span, Status, new_uid, now
from annotator.core.records import RegistryRecord
from annotator.store.document_labels import label_keys
from annotator.store.documents import default_language, document_row, index_text
from annotator.store.registry import BroughtIn, bring_in
from annotator.store.spans import ids_condition, insert_spans
from annotator.store.tables import document_labels, document_statuses, documents, relations, spans

# Why something was not merged (the report groups by these).
ALREADY_THERE = "already in the project"
YOURS = "the project's own annotator's (your work here is never changed by a merge)"
HEAD_THERE = "its statement or claim was already in the project (the links of annotations already there are kept as they are)"
TAIL_MISSING = "the annotation it links to was not merged"
STATUS_DIFFERS = "the project holds another status of theirs for this document, kept as it is"
SINGLE_CHOICE = "the label set takes one label per annotator, and they have another one on this document here"


@dataclass
class Incoming:
    """One document of the other analyst's work. Relations' head and tail are uids of ``spans``."""

    document: Document
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    statuses: dict[str, tuple[str, datetime | None]] = field(default_factory=dict)  # annotator -> status, when set
    labels: list[DocumentLabel] = field(default_factory=list)
    entities: dict[str, str] = field(default_factory=dict)  # span uid -> registry entry uid
    registry: tuple[RegistryRecord, ...] = ()  # the registry entries ``entities`` names


@dataclass
class Merged:
    document_id: int
    added: bool  # a document the project lacked
    spans: list[Span] = field(default_factory=list)  # stored
    relations: list[tuple[Relation, str | None]] = field(default_factory=list)  # stored, with their head's annotator
    statuses: list[str] = field(default_factory=list)  # whose statuses were stored
    labels: list[DocumentLabel] = field(default_factory=list)  # stored
    skipped: list[tuple[str, str | None, str]] = field(default_factory=list)  # (what, whose, why)
    registry: BroughtIn = field(default_factory=BroughtIn)  # entries, aliases and links stored
    registry_notes: list[str] = field(default_factory=list)  # links here that differ from theirs, kept


def read_statuses(conn: Connection, document_ids: list[int]) -> dict[int, dict[str, tuple[str, datetime | None]]]:
    """Every annotator's status of each document with when they set it."""
    found: dict[int, dict[str, tuple[str, datetime | None]]] = {}
    query = select(document_statuses).where(ids_condition(document_statuses.c.document_id, document_ids))
    for row in conn.execute(query):
        found.setdefault(row.document_id, {})[row.annotator] = (row.status, row.updated)
    return found


def merge_document(conn: Connection, item: Incoming, mine: str | None = None,
                   single_choice: Collection[str] = ()) -> Merged:
    """Store ``item`` beside what the project has. ``mine``: the project's own annotator, whose spans,
    statuses and labels in the other's work are skipped (their own here stay exactly as they are).
    ``single_choice``: the names of the schema's label sets that take one label per annotator."""
    doc = item.document
    digest = doc.content_hash
    document_id = conn.execute(select(documents.c.id).where(documents.c.content_hash == digest)).scalar()
    merged = Merged(document_id or 0, added=document_id is None)
    if document_id is None:
        merged.document_id = _add_document(conn, item)
    _merge_spans(conn, item, merged, mine)
    _merge_statuses(conn, item, merged, mine)
    _merge_labels(conn, item, merged, mine, single_choice)
    return merged


def _add_document(conn: Connection, item: Incoming) -> int:
    doc = item.document
    uid_taken = conn.execute(select(documents.c.id).where(documents.c.uid == doc.uid)).scalar() is not None
    status = str(Status.NEW) if item.statuses else str(doc.status)  # each person's status comes in as theirs
    row = document_row(doc, doc.content_hash, now(), default_language(conn))
    row.update(uid=new_uid() if uid_taken else doc.uid, status=status)
    document_id = conn.execute(insert(documents).values(**row)).inserted_primary_key[0]
    index_text(conn, [Document(doc.text, doc.title, id=document_id)])
    return document_id


def _merge_spans(conn: Connection, item: Incoming, merged: Merged, mine: str | None) -> None:
    document_id = merged.document_id
    have = {
        (row.layer, row.start, row.end, row.label, row.annotator): row.id
        for row in conn.execute(
            select(spans.c.id, spans.c.layer, spans.c.start, spans.c.end, spans.c.label, spans.c.annotator).where(
                spans.c.document_id == document_id
            )
        )
    }
    wanted = [span.uid for span in item.spans]
    taken: dict[str, tuple[int, int]] = {}  # uid -> (document id, span id) of the project's spans with it
    for first in range(0, len(wanted), 500):
        query = select(spans.c.uid, spans.c.document_id, spans.c.id).where(spans.c.uid.in_(wanted[first : first + 500]))
        taken.update({row.uid: (row.document_id, row.id) for row in conn.execute(query)})
    ids: dict[str, int] = {}  # the other's span uid -> the span id here (new or already there)
    owners: dict[str, str | None] = {}
    new: list[Span] = []
    for span in item.spans:
        owners[span.uid] = span.annotator
        key = (str(span.layer), span.start, span.end, span.label, span.annotator)
        if mine is not None and span.annotator == mine:
            merged.skipped.append((f"{span.layer} span", span.annotator, YOURS))
            continue
        there = taken.get(span.uid)
        if there is not None or key in have:
            if there is not None and there[0] == document_id:
                ids[span.uid] = there[1]
            elif key in have:
                ids[span.uid] = have[key]
            merged.skipped.append((f"{span.layer} span", span.annotator, ALREADY_THERE))
            continue
        have[key] = -1
        taken[span.uid] = (document_id, -1)
        new.append(span)
    stored = insert_spans(conn, document_id, new)
    merged.spans = stored
    fresh = {span.uid for span in stored}
    ids.update({span.uid: span.id for span in stored})
    if item.entities or item.registry:
        _merge_registry(conn, item, merged, ids)
    if not item.relations:
        return
    known = {
        (row.head_span_id, row.tail_span_id, row.label): row.uid
        for row in conn.execute(
            select(relations.c.head_span_id, relations.c.tail_span_id, relations.c.label, relations.c.uid).where(
                relations.c.document_id == document_id
            )
        )
    }
    uids = [relation.uid for relation in item.relations]
    used = set(conn.execute(select(relations.c.uid).where(relations.c.uid.in_(uids))).scalars()) if uids else set()
    rows = []
    for relation in item.relations:
        whose = owners.get(relation.head)
        what = f"{relation.label} link"
        head, tail = ids.get(relation.head), ids.get(relation.tail)
        if relation.uid in used or (head is not None and tail is not None and (head, tail, relation.label) in known):
            merged.skipped.append((what, whose, ALREADY_THERE))
            continue
        if relation.head not in fresh:
            merged.skipped.append((what, whose, YOURS if mine is not None and whose == mine else HEAD_THERE))
            continue
        if tail is None:
            merged.skipped.append((what, whose, TAIL_MISSING))
            continue
        known[(head, tail, relation.label)] = relation.uid
        used.add(relation.uid)
        rows.append({"uid": relation.uid, "document_id": document_id, "head_span_id": head, "tail_span_id": tail,
                     "label": relation.label, "attributes": relation.attributes})
        merged.relations.append((relation, whose))
    if rows:
        conn.execute(insert(relations), rows)


def _merge_registry(conn: Connection, item: Incoming, merged: Merged, ids: dict[str, int]) -> None:
    """Their entries (by uid) and their links of the spans merged or already here; a span linked here
    keeps its link."""
    links = {ids[uid]: entry for uid, entry in item.entities.items() if uid in ids}
    merged.registry = bring_in(conn, item.registry, links)
    words = {ids[span.uid]: item.document.text[span.start : span.end] for span in item.spans if span.uid in ids}
    merged.registry_notes += [
        f"'{item.document.title or item.document.source}': '{words.get(span_id, '')}' is linked to '{here}' in "
        f"the project, theirs to '{theirs}'; the project's link is kept"
        for span_id, here, theirs in merged.registry.differing
    ]
    merged.registry_notes += [
        f"'{item.document.title or item.document.source}': '{words.get(span_id, '')}' names registry entry {uid}, "
        "which they did not describe; left unlinked"
        for span_id, uid in merged.registry.unknown
    ]


def _merge_statuses(conn: Connection, item: Incoming, merged: Merged, mine: str | None) -> None:
    if not item.statuses:
        return
    document_id = merged.document_id
    have = dict(
        conn.execute(
            select(document_statuses.c.annotator, document_statuses.c.status).where(
                document_statuses.c.document_id == document_id
            )
        ).all()
    )
    stamp, rows = now(), []
    for annotator, (status, updated) in sorted(item.statuses.items()):
        if mine is not None and annotator == mine:
            merged.skipped.append(("status", annotator, YOURS))
        elif annotator in have:
            merged.skipped.append(("status", annotator, ALREADY_THERE if have[annotator] == status else STATUS_DIFFERS))
        else:
            rows.append({"document_id": document_id, "annotator": annotator, "status": str(Status(status)),
                         "updated": updated or stamp})
            merged.statuses.append(annotator)
    if rows:
        conn.execute(insert(document_statuses), rows)


def _merge_labels(conn: Connection, item: Incoming, merged: Merged, mine: str | None,
                  single_choice: Collection[str]) -> None:
    if not item.labels:
        return
    document_id = merged.document_id
    have = label_keys(conn, document_id)
    stamp, rows = now(), []
    for label in item.labels:
        person = label.annotator or ""
        if mine is not None and label.annotator == mine:
            merged.skipped.append(("document label", label.annotator, YOURS))
            continue
        if (label.label_set, label.label, person) in have:
            merged.skipped.append(("document label", label.annotator, ALREADY_THERE))
            continue
        if label.label_set in single_choice and any(s == label.label_set and a == person for s, _l, a in have):
            merged.skipped.append(("document label", label.annotator, SINGLE_CHOICE))
            continue
        have.add((label.label_set, label.label, person))
        rows.append({"document_id": document_id, "label_set": label.label_set, "label": label.label,
                     "annotator": person, "origin": label.origin, "created": stamp})
        merged.labels.append(label)
    if rows:
        conn.execute(insert(document_labels), rows)
