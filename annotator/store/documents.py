"""Repository functions for documents. Each opens one short transaction and returns core objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, and_, func, insert, select, text

from annotator.core.model import Document, DocumentSummary, Layer, State, Status, now
from annotator.store.project import Project
from annotator.store.tables import document_statuses, documents, spans


@dataclass
class AddResult:
    added: list[Document] = field(default_factory=list)
    duplicates: list[tuple[Document, str]] = field(default_factory=list)  # (skipped, title of the one kept)


def add_documents(project: Project, docs: Iterable[Document]) -> AddResult:
    """Insert documents in one transaction, skipping any whose text is already in the project."""
    result = AddResult()
    batch = list(docs)
    if not batch:
        return result
    with project.writing() as conn:
        hashes = [doc.content_hash for doc in batch]
        existing = _titles_by_hash(conn, hashes)
        rows, kept = [], []
        stamp = now()
        for doc, digest in zip(batch, hashes, strict=True):
            if digest in existing:
                result.duplicates.append((doc, existing[digest]))
                continue
            existing[digest] = doc.title
            kept.append(doc)
            rows.append(document_row(doc, digest, stamp))
        if rows:
            ids = conn.execute(
                insert(documents).returning(documents.c.id, sort_by_parameter_order=True), rows
            ).scalars().all()
            result.added = [_with_id(doc, id_) for doc, id_ in zip(kept, ids, strict=True)]
            index_text(conn, result.added)
    return result


def _titles_by_hash(conn: Connection, hashes: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in chunks(hashes, 500):  # stay under SQLite's bound-parameter limit
        query = select(documents.c.content_hash, documents.c.title).where(documents.c.content_hash.in_(chunk))
        found.update({row.content_hash: row.title for row in conn.execute(query)})
    return found


def document_row(doc: Document, digest: str, stamp) -> dict:
    return {
        "uid": doc.uid,
        "text": doc.text,
        "title": doc.title,
        "date": doc.date,
        "source": doc.source,
        "meta": doc.meta,
        "content_hash": digest,
        "status": str(doc.status),
        "suggested_by": doc.suggested_by,
        "created": stamp,
        "updated": stamp,
    }


def _with_id(doc: Document, id_: int) -> Document:
    return replace(doc, id=id_)


def index_text(conn: Connection, docs: list[Document]) -> None:
    if conn.dialect.name != "sqlite":
        return
    conn.execute(
        text("INSERT INTO documents_fts(rowid, title, text) VALUES (:id, :title, :text)"),
        [{"id": d.id, "title": d.title, "text": d.text} for d in docs],
    )


def get_document(project: Project, document_id: int) -> Document | None:
    with project.reading() as conn:
        row = conn.execute(select(documents).where(documents.c.id == document_id)).one_or_none()
    return None if row is None else to_document(row)


def suggested_by(project: Project, document_id: int) -> str | None:
    with project.reading() as conn:
        return conn.execute(select(documents.c.suggested_by).where(documents.c.id == document_id)).scalar()


def to_document(row) -> Document:
    return Document(
        id=row.id,
        uid=row.uid,
        text=row.text,
        title=row.title,
        date=row.date,
        source=row.source,
        meta=dict(row.meta or {}),
        status=Status(row.status),
        suggested_by=row.suggested_by,
    )


def document_summaries(project: Project, annotator: str | None = None) -> list[DocumentSummary]:
    """Every document with its count of entities a person would see (rejected ones excluded), and
    its status: the annotator's own if one is named, else the latest anyone set."""
    counted = (
        select(spans.c.document_id, func.count().label("n"))
        .where(and_(spans.c.layer == str(Layer.ENTITY), spans.c.state != str(State.REJECTED)))
        .group_by(spans.c.document_id)
        .subquery()
    )
    status = documents.c.status
    query = select(documents.c.id, documents.c.uid, documents.c.title, documents.c.date)
    if annotator is not None:
        mine = (
            select(document_statuses.c.document_id, document_statuses.c.status)
            .where(document_statuses.c.annotator == annotator)
            .subquery()
        )
        status = func.coalesce(mine.c.status, str(Status.NEW))
        query = query.outerjoin(mine, mine.c.document_id == documents.c.id)
    query = (
        query.add_columns(status.label("status"), func.coalesce(counted.c.n, 0).label("n"))
        .outerjoin(counted, counted.c.document_id == documents.c.id)
        .order_by(documents.c.id)
    )
    with project.reading() as conn:
        return [
            DocumentSummary(r.id, r.uid, r.title, r.date, Status(r.status), r.n) for r in conn.execute(query)
        ]


def count_documents(project: Project, only_unsuggested: bool = False) -> int:
    query = select(func.count()).select_from(documents)
    if only_unsuggested:
        query = query.where(documents.c.suggested_by.is_(None))
    with project.reading() as conn:
        return conn.execute(query).scalar_one()


def unsuggested_texts(project: Project, batch_size: int = 200) -> Iterator[list[tuple[int, str]]]:
    """(id, text) of documents no pipeline has pre-annotated yet, a batch per short read."""
    last_id = 0
    while True:
        query = (
            select(documents.c.id, documents.c.text)
            .where(and_(documents.c.suggested_by.is_(None), documents.c.id > last_id))
            .order_by(documents.c.id)
            .limit(batch_size)
        )
        with project.reading() as conn:
            batch = [(row.id, row.text) for row in conn.execute(query)]
        if not batch:
            return
        yield batch
        last_id = batch[-1][0]


def iter_documents(project: Project, batch_size: int = 500) -> Iterator[list[Document]]:
    """All documents in a stable order (by id), a batch per short read: memory stays flat."""
    last_id = 0
    while True:
        query = select(documents).where(documents.c.id > last_id).order_by(documents.c.id).limit(batch_size)
        with project.reading() as conn:
            batch = [to_document(row) for row in conn.execute(query)]
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
