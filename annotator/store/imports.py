"""Storing imported documents with their annotations.

A document whose text is already in the project is not added twice: its imported annotations are
merged into the stored one, and those already there (same layer, offsets and label) are not doubled.
So a dataset annotated elsewhere can come back onto the articles it was made from.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, insert, select

from annotator.core.errors import Problem
from annotator.core.languages import language_of
from annotator.core.model import Relation, new_uid, now
from annotator.core.records import Imported
from annotator.store.document_labels import add_labels
from annotator.store.documents import chunks, default_language, stamp_text
from annotator.store.project import Project
from annotator.store.registry import bring_in
from annotator.store.tables import documents, relations, spans

Key = tuple[str, int, int, str, str | None]  # layer, start, end, label, annotator: each person keeps their own
_DOCUMENT_COLUMNS = ("id", "uid", "text", "title", "date", "source", "meta", "content_hash", "status", "suggested_by",
                     "suggested_layers", "language", "created", "updated")
_SPAN_COLUMNS = ("id", "uid", "document_id", "layer", "start", "end", "label", "attributes", "origin", "state",
                 "annotator", "created", "updated")


@dataclass
class StoredImport:
    added: int = 0  # new documents
    merged: list[str] = field(default_factory=list)  # titles of stored documents that got annotations
    spans: int = 0
    relations: int = 0
    already_there: int = 0  # spans left out because the same one was stored
    there_before: int = 0  # of those, on documents stored before this batch (another file's, say)
    added_before: int = 0  # new spans on documents stored before this batch
    labels: int = 0  # document labels stored
    registry_entries: int = 0  # registry entries added (native JSONL names them)
    registry_aliases: int = 0  # names added to entries the project had
    registry_links: int = 0  # spans linked to their entries
    registry_problems: list[Problem] = field(default_factory=list)  # links left as they were, and why


def store_imported(project: Project, items: list[Imported]) -> StoredImport:
    """One transaction for the batch: all of it is stored, or (on an error) none of it.

    The batch's documents go in with one executemany, then all their spans with another: a
    statement per document and Span objects made twice over were most of a 5,000-article import."""
    result = StoredImport()
    if not items:
        return result
    with project.writing(bulk=True) as conn:
        _Batch(conn, result).store(items)
    return result


class _Batch:
    """The rows of one batch, made as plain tuples with their ids. On SQLite those are the ids the
    rows get (the write lock is ours since BEGIN IMMEDIATE, so the ids after the largest are free);
    elsewhere they stand in, above every stored id so never taken for one, until the database has
    numbered the rows."""

    def __init__(self, conn: Connection, result: StoredImport) -> None:
        self.conn = conn
        self.result = result
        self.sqlite = conn.dialect.name == "sqlite"
        self.stamp = stamp_text(now()) if self.sqlite else now()
        self.default_language = default_language(conn)
        # A span's uid is this batch's random prefix and its row number: unique, and no call a span.
        self.uid_prefix = os.urandom(10).hex()
        self.document_rows: list[tuple] = []
        self.span_rows: list[tuple] = []
        self.first_span = self._first_free(spans)
        self.keys: dict[int, dict[Key, int]] = {}  # document id -> key -> span id
        self.relations: dict[int, set[tuple[int, int, str]]] = {}  # those stored, per document with relations
        self.links: list[tuple[int, Relation, dict[str, int]]] = []
        self.new_ids: set[int] = set()
        self.labelled: list[tuple[int, list]] = []  # document id -> its labels (few documents have any)
        self.entities: list[tuple[Imported, dict[str, int]]] = []  # an item with registry links, its span ids

    def store(self, items: list[Imported]) -> None:
        hashes = [item.document.content_hash for item in items]
        stored = _ids_by_hash(self.conn, hashes)
        next_id = self._first_free(documents)
        for item, digest in zip(items, hashes, strict=True):
            document_id = stored.get(digest)
            if document_id is None:  # a second copy in the same batch merges into the first, as into a stored one
                document_id = stored[digest] = next_id
                next_id += 1
                self.document_rows.append(self._document_row(document_id, item, digest))
                self.keys[document_id] = {}
                self.new_ids.add(document_id)
                self.result.added += 1
            elif item.spans or item.labels:
                self.result.merged.append(item.document.title or item.document.source or f"document {document_id}")
            self._annotations(document_id, item)
            if item.labels:
                self.labelled.append((document_id, item.labels))
        real = self._insert_documents()
        span_ids = self._insert_spans(real)
        self._insert_relations(real, span_ids)
        if self.entities:
            self._insert_registry(span_ids)
        for document_id, labels in self.labelled:
            self.result.labels += add_labels(self.conn, real.get(document_id, document_id), labels)

    def _document_row(self, document_id: int, item: Imported, digest: str) -> tuple:
        doc = item.document
        meta = json.dumps(doc.meta) if self.sqlite else doc.meta
        return (document_id, new_uid(), doc.text, doc.title, doc.date, doc.source, meta, digest, str(doc.status),
                doc.suggested_by, doc.suggested_layers, language_of(doc.meta, doc.text, self.default_language),
                self.stamp, self.stamp)

    def _annotations(self, document_id: int, item: Imported) -> None:
        keys = self.keys.get(document_id)
        if keys is None:  # a document stored before this batch
            keys = self.keys[document_id] = _stored_spans(self.conn, document_id)
        if not keys and not item.relations and not item.entities and self._all_new(document_id, item.spans, keys):
            return
        ids: dict[str, int] = {}  # imported uid -> span id, for relations and registry links (most have none)
        linked = bool(item.relations or item.entities)
        rows, stamp, sqlite, prefix, there = self.span_rows, self.stamp, self.sqlite, self.uid_prefix, 0
        next_id = self.first_span + len(rows)
        for span in item.spans:
            key = (str(span.layer), span.start, span.end, span.label, span.annotator)
            known = keys.get(key)
            if known is not None:
                if linked:
                    ids[span.uid] = known
                there += 1
                continue
            attributes = span.attributes
            if sqlite:
                attributes = json.dumps(attributes) if attributes else "{}"
            keys[key] = next_id
            if linked:
                ids[span.uid] = next_id
            # Span uids are unique across the project: an import gets new ones, whatever the file said.
            rows.append((next_id, f"{prefix}{next_id:012x}", document_id, key[0], span.start, span.end, span.label,
                         attributes, span.origin, str(span.state), span.annotator, stamp, stamp))
            next_id += 1
        self.result.already_there += there
        if document_id not in self.new_ids:
            self.result.there_before += there
            self.result.added_before += len(item.spans) - there
        self.result.spans += len(item.spans) - there
        if item.entities:
            self.entities.append((item, ids))
        if item.relations:
            if document_id not in self.relations:
                new = document_id in self.new_ids
                self.relations[document_id] = set() if new else _stored_relations(self.conn, document_id)
            self.links.extend((document_id, relation, ids) for relation in item.relations)

    def _all_new(self, document_id: int, spans: list, keys: dict[Key, int]) -> bool:
        """The spans of a document with none yet, in one pass each for their keys and their rows (most
        of an import); False, with nothing done, if the file gave one span twice."""
        first = self.first_span + len(self.span_rows)
        numbers = range(first, first + len(spans))
        keys.update(zip([(s.layer, s.start, s.end, s.label, s.annotator) for s in spans], numbers))
        if len(keys) < len(spans):
            keys.clear()
            return False
        prefix, stamp, dumps = self.uid_prefix, self.stamp, json.dumps if self.sqlite else None
        self.span_rows += [
            (number, f"{prefix}{number:012x}", document_id, str(s.layer), s.start, s.end, s.label,
             s.attributes if dumps is None else dumps(s.attributes) if s.attributes else "{}",
             s.origin, str(s.state), s.annotator, stamp, stamp)
            for number, s in zip(numbers, spans)
        ]
        self.result.spans += len(spans)
        if document_id not in self.new_ids:
            self.result.added_before += len(spans)
        return True

    def _first_free(self, table) -> int:
        return (self.conn.execute(select(func.max(table.c.id))).scalar_one_or_none() or 0) + 1

    def _insert_documents(self) -> dict[int, int]:
        """Stand-in id -> the id the database gave (empty on SQLite: there they are the same)."""
        rows = self.document_rows
        if not rows:
            return {}
        if self.sqlite:
            raw = self.conn.connection.driver_connection
            raw.executemany(_sql("documents", _DOCUMENT_COLUMNS), rows)
            raw.executemany("INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)",
                            [(row[0], row[3], row[2]) for row in rows])
            return {}
        query = insert(documents).returning(documents.c.id, sort_by_parameter_order=True)
        given = self.conn.execute(query, [dict(zip(_DOCUMENT_COLUMNS[1:], row[1:], strict=True)) for row in rows])
        return {row[0]: id_ for row, id_ in zip(rows, given.scalars().all(), strict=True)}

    def _insert_spans(self, real: dict[int, int]) -> list[int]:
        """The ids the database gave the batch's new span rows, in order."""
        rows = self.span_rows
        if not rows:
            return []
        if self.sqlite:
            self.conn.connection.driver_connection.executemany(_sql("spans", _SPAN_COLUMNS), rows)
            return [row[0] for row in rows]
        query = insert(spans).returning(spans.c.id, sort_by_parameter_order=True)
        named = [dict(zip(_SPAN_COLUMNS[1:], (row[1], real.get(row[2], row[2]), *row[3:]), strict=True))
                 for row in rows]
        return self.conn.execute(query, named).scalars().all()

    def _insert_relations(self, real: dict[int, int], span_ids: list[int]) -> None:
        first, rows = self.first_span, []
        for document_id, relation, ids in self.links:
            head, tail = ids.get(relation.head), ids.get(relation.tail)
            if head is None or tail is None:
                continue
            head, tail = (span_ids[i - first] if i >= first else i for i in (head, tail))
            have = self.relations[document_id]
            if (head, tail, relation.label) in have:
                continue
            have.add((head, tail, relation.label))
            rows.append({"uid": new_uid(), "document_id": real.get(document_id, document_id), "head_span_id": head,
                         "tail_span_id": tail, "label": relation.label, "attributes": relation.attributes})
        if rows:
            self.conn.execute(insert(relations), rows)
        self.result.relations += len(rows)


    def _insert_registry(self, span_ids: list[int]) -> None:
        """The registry entries the items name and their spans' links, after the spans have their ids."""
        first, links, places, records = self.first_span, {}, {}, []
        for item, ids in self.entities:
            records += item.registry
            spans_ = {span.uid: span for span in item.spans}
            for uid, entry in item.entities.items():
                number = ids.get(uid)
                if number is None:  # the span was left out (outside the text, unknown label...)
                    continue
                span_id = span_ids[number - first] if number >= first else number
                links[span_id] = entry
                span = spans_[uid]
                places[span_id] = (item, f"{span.label} '{item.document.text[span.start : span.end]}' at "
                                         f"{span.start}-{span.end}")
        done = bring_in(self.conn, records, links)
        self.result.registry_entries += done.entries
        self.result.registry_aliases += done.aliases
        self.result.registry_links += done.links
        for span_id, here, theirs in done.differing:
            item, what = places[span_id]
            self.result.registry_problems.append(Problem.note(
                item.path, item.line, f"{what} is linked to the registry entry '{here}' in the project; the file "
                f"links it to '{theirs}': the project's link is kept"))
        for span_id, uid in done.unknown:
            item, what = places[span_id]
            self.result.registry_problems.append(Problem.at(
                item.path, item.line, f"{what}: registry entry {uid} is neither in the line's 'registry' nor in "
                "the project; the span is imported without its link"))


def _sql(table: str, columns: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{column}"' for column in columns)
    return f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})"


def _stored_relations(conn: Connection, document_id: int) -> set[tuple[int, int, str]]:
    query = select(relations.c.head_span_id, relations.c.tail_span_id, relations.c.label).where(
        relations.c.document_id == document_id
    )
    return {(row.head_span_id, row.tail_span_id, row.label) for row in conn.execute(query)}


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
