"""Storing imported documents with their annotations.

A document whose text is already in the project is not added twice: its imported annotations are
merged into the stored one, and those already there (same layer, offsets and label) are not doubled.
So a dataset annotated elsewhere can come back onto the articles it was made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, insert, select

from annotator.core.model import Relation, Span, new_uid, now
from annotator.core.records import Imported
from annotator.store.document_labels import add_labels
from annotator.store.documents import chunks, document_row, index_text
from annotator.store.project import Project
from annotator.store.spans import insert_spans
from annotator.store.tables import documents, relations, spans

Key = tuple[str, int, int, str, str | None]  # layer, start, end, label, annotator: each person keeps their own


@dataclass
class StoredImport:
    added: int = 0  # new documents
    merged: list[str] = field(default_factory=list)  # titles of stored documents that got annotations
    spans: int = 0
    relations: int = 0
    already_there: int = 0  # spans left out because the same one was stored
    labels: int = 0  # document labels stored


def store_imported(project: Project, items: list[Imported]) -> StoredImport:
    """One transaction for the batch: all of it is stored, or (on an error) none of it."""
    result = StoredImport()
    if not items:
        return result
    stamp = now()
    with project.writing(bulk=True) as conn:
        hashes = [item.document.content_hash for item in items]
        stored = _ids_by_hash(conn, hashes)
        for item, digest in zip(items, hashes, strict=True):
            document_id = stored.get(digest)
            new = document_id is None
            if new:
                document = replace(item.document, uid=new_uid())
                document_id = conn.execute(
                    insert(documents).returning(documents.c.id), document_row(document, digest, stamp)
                ).scalar_one()
                index_text(conn, [replace(document, id=document_id)])
                stored[digest] = document_id
                result.added += 1
            elif item.spans or item.labels:
                result.merged.append(item.document.title or item.document.source or f"document {document_id}")
            _store_annotations(conn, document_id, item, result, new)
    return result


def _store_annotations(conn: Connection, document_id: int, item: Imported, result: StoredImport, new: bool) -> None:
    existing = {} if new else _stored_spans(conn, document_id)
    ids: dict[str, int] = {}  # imported uid -> stored span id
    fresh: list[Span] = []
    for span in item.spans:
        key = (str(span.layer), span.start, span.end, span.label, span.annotator)
        if key in existing:
            ids[span.uid] = existing[key]
            result.already_there += 1
        else:
            fresh.append(span)
    # Span uids are unique across the project: an import gets new ones, whatever the file said.
    renamed = [replace(s, uid=new_uid(), id=None) for s in fresh]
    for old, new in zip(fresh, insert_spans(conn, document_id, renamed), strict=True):
        ids[old.uid] = new.id
        existing[(str(new.layer), new.start, new.end, new.label, new.annotator)] = new.id
    result.spans += len(fresh)
    have = set() if new else _stored_relations(conn, document_id)
    result.relations += _insert_relations(conn, document_id, item.relations, ids, have)
    if item.labels:
        result.labels += add_labels(conn, document_id, item.labels)


def _stored_relations(conn: Connection, document_id: int) -> set[tuple[int, int, str]]:
    query = select(relations.c.head_span_id, relations.c.tail_span_id, relations.c.label).where(
        relations.c.document_id == document_id
    )
    return {(row.head_span_id, row.tail_span_id, row.label) for row in conn.execute(query)}


def _insert_relations(conn: Connection, document_id: int, found: list[Relation], ids: dict[str, int], have: set) -> int:
    rows = []
    for relation in found:
        head, tail = ids.get(relation.head), ids.get(relation.tail)
        if head is None or tail is None or (head, tail, relation.label) in have:
            continue
        have.add((head, tail, relation.label))
        rows.append(
            {
                "uid": new_uid(),
                "document_id": document_id,
                "head_span_id": head,
                "tail_span_id": tail,
                "label": relation.label,
                "attributes": relation.attributes,
            }
        )
    if rows:
        conn.execute(insert(relations), rows)
    return len(rows)


def _stored_spans(conn: Connection, document_id: int) -> dict[Key, int]:
    query = select(spans.c.id, spans.c.layer, spans.c.start, spans.c.end, spans.c.label, spans.c.annotator).where(
        spans.c.document_id == document_id
    )
    return {(row.layer, row.start, row.end, row.label, row.annotator): row.id for row in conn.execute(query)}


def _ids_by_hash(conn: Connection, hashes: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(hashes, 500):  # stay under SQLite's bound-parameter limit
        query = select(documents.c.content_hash, documents.c.id).where(documents.c.content_hash.in_(chunk))
        found.update({row.content_hash: row.id for row in conn.execute(query)})
    return found
