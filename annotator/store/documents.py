"""Repository functions for documents. Each opens one short transaction and returns core objects."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, Text, and_, func, insert, or_, select, type_coerce

from annotator.core.languages import DEFAULT_LANGUAGE, language_of, normalised
from annotator.core.model import Document, DocumentSummary, Layer, State, Status, now
from annotator.store.project import Project
from annotator.store.settings import read_setting
from annotator.store.sqlite_rows import document_from_text
from annotator.store.tables import document_labels, document_statuses, documents, spans


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
    with project.writing(bulk=True) as conn:
        hashes = [doc.content_hash for doc in batch]
        existing = _titles_by_hash(conn, hashes)
        rows, kept = [], []
        stamp, default = now(), default_language(conn)
        for doc, digest in zip(batch, hashes, strict=True):
            if digest in existing:
                result.duplicates.append((doc, existing[digest]))
                continue
            existing[digest] = doc.title
            kept.append(doc)
            rows.append(document_row(doc, digest, stamp, default))
        if rows:
            ids = _insert_documents(conn, rows)
            result.added = [_with_id(doc, id_) for doc, id_ in zip(kept, ids, strict=True)]
            index_text(conn, result.added)
    return result


_COLUMNS = ("uid", "text", "title", "date", "source", "meta", "content_hash", "status", "suggested_by", "language",
            "created")
_INSERT_SQL = (
    f"INSERT INTO documents (id, {', '.join(_COLUMNS)}, updated) VALUES (?, {', '.join('?' * len(_COLUMNS))}, ?)"
)


def _insert_documents(conn: Connection, rows: list[dict]) -> list[int]:
    """Insert the rows, returning their ids in order. On SQLite one executemany with the ids given
    (the next ones after the largest: the write lock is ours since BEGIN IMMEDIATE), the values as
    SQLAlchemy's JSON and DateTime types write them: an import of 10,000 articles spent a third of its
    time in SQLAlchemy inserting them one at a time to get their ids back."""
    if conn.dialect.name != "sqlite":
        query = insert(documents).returning(documents.c.id, sort_by_parameter_order=True)
        return conn.execute(query, rows).scalars().all()
    raw = conn.connection.driver_connection
    first = raw.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
    ids = list(range(first, first + len(rows)))
    stamps = _Stamps()  # a batch shares one stamp: formatted once, not twice a row
    raw.executemany(
        _INSERT_SQL,
        [
            (
                id_,
                row["uid"],
                row["text"],
                row["title"],
                row["date"],
                row["source"],
                json.dumps(row["meta"]),
                row["content_hash"],
                row["status"],
                row["suggested_by"],
                row["language"],
                stamps[row["created"]],
                stamps[row["updated"]],
            )
            for id_, row in zip(ids, rows, strict=True)
        ],
    )
    return ids


class _Stamps(dict):
    def __missing__(self, stamp) -> str:
        text = self[stamp] = stamp_text(stamp)
        return text


def stamp_text(stamp) -> str:
    """A datetime as SQLAlchemy's SQLite DateTime stores it."""
    return stamp.strftime("%Y-%m-%d %H:%M:%S.%f")


def _titles_by_hash(conn: Connection, hashes: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    for chunk in chunks(hashes, 500):  # stay under SQLite's bound-parameter limit
        if raw is not None:  # SQLAlchemy renders an IN of 500 values anew each time: most of this lookup
            sql = f"SELECT content_hash, title FROM documents WHERE content_hash IN ({', '.join('?' * len(chunk))})"
            found.update(raw.execute(sql, chunk).fetchall())
            continue
        query = select(documents.c.content_hash, documents.c.title).where(documents.c.content_hash.in_(chunk))
        found.update({row.content_hash: row.title for row in conn.execute(query)})
    return found


DEFAULT_LANGUAGE_SETTING = "default_language"  # the language of documents in Latin letters that name none


def default_language(conn: Connection) -> str:
    """The project's default language: what a document in Latin letters is taken to be written in."""
    return normalised(read_setting(conn, DEFAULT_LANGUAGE_SETTING)) or DEFAULT_LANGUAGE


def document_row(doc: Document, digest: str, stamp, default: str = DEFAULT_LANGUAGE) -> dict:
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
        "suggested_layers": doc.suggested_layers,
        "language": language_of(doc.meta, doc.text, default),
        "created": stamp,
        "updated": stamp,
    }


def _with_id(doc: Document, id_: int) -> Document:
    # What replace(doc, id=id_) gives, a few times quicker (an import stores 10,000 a second).
    return Document(doc.text, doc.title, doc.date, doc.source, doc.meta, doc.status, doc.uid, id_, doc.suggested_by,
                    doc.suggested_layers)


def index_text(conn: Connection, docs: list[Document]) -> None:
    if conn.dialect.name != "sqlite":
        return
    conn.connection.driver_connection.executemany(
        "INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)", [(d.id, d.title, d.text) for d in docs]
    )


def latest_status():
    """The latest status anyone set: the newest of the annotators' own, else the one the document came in
    with. It is not kept in the documents row, because SQLite rewrites a row whose size changes whole,
    text and all: on a 200,000-word article that made the first action in it 4-10 ms slower."""
    newest = (
        select(document_statuses.c.status)
        .where(document_statuses.c.document_id == documents.c.id)
        .order_by(document_statuses.c.updated.desc(), document_statuses.c.annotator)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(newest, documents.c.status)


def _document_columns(names) -> list:
    return [latest_status().label("status") if name == "status" else documents.c[name] for name in names]


def get_document(project: Project, document_id: int) -> Document | None:
    columns = _document_columns(c.name for c in documents.c)
    with project.reading() as conn:
        row = conn.execute(select(*columns).where(documents.c.id == document_id)).one_or_none()
    return None if row is None else to_document(row)


def suggested_layers(project: Project, document_id: int) -> int:
    with project.reading() as conn:
        found = conn.execute(select(documents.c.suggested_layers).where(documents.c.id == document_id)).scalar()
    return found or 0


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
        suggested_layers=getattr(row, "suggested_layers", 0) or 0,
    )


def label_names(conn: Connection, document_ids: list[int] | None = None) -> dict[int, tuple[str, ...]]:
    """The names of the labels anyone set on each document (all documents, or these, at most a chunk),
    each once, sorted: what the document list shows."""
    query = select(document_labels.c.document_id, document_labels.c.label).distinct()
    if document_ids is not None:
        query = query.where(document_labels.c.document_id.in_(document_ids))
    found: dict[int, set[str]] = {}
    for document_id, label in conn.execute(query):
        found.setdefault(document_id, set()).add(label)
    return {document_id: tuple(sorted(names)) for document_id, names in found.items()}


def document_summaries(project: Project, annotator: str | None = None) -> list[DocumentSummary]:
    """Every document with its count of entities a person would see (rejected ones excluded), and
    its status: the annotator's own if one is named, else the latest anyone set."""
    counted = (
        select(spans.c.document_id, func.count().label("n"))
        .where(and_(spans.c.layer == str(Layer.ENTITY), spans.c.state != str(State.REJECTED)))
        .group_by(spans.c.document_id)
        .subquery()
    )
    status = latest_status()
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
        names = label_names(conn)
        return [
            DocumentSummary(r.id, r.uid, r.title, r.date, Status(r.status), r.n, names.get(r.id, ()))
            for r in conn.execute(query)
        ]


def _status_column(annotator: str | None):
    """The status a list shows: the annotator's own (new until they set one), else the latest anyone set,
    and the outer join that brings the annotator's own."""
    if annotator is None:
        return latest_status(), None
    mine = (
        select(document_statuses.c.document_id, document_statuses.c.status)
        .where(document_statuses.c.annotator == annotator)
        .subquery()
    )
    return func.coalesce(mine.c.status, str(Status.NEW)), mine


def _with_status(query, annotator: str | None, status: str | None):
    column, mine = _status_column(annotator)
    if mine is not None:
        query = query.outerjoin(mine, mine.c.document_id == documents.c.id)
    if status == "open":
        query = query.where(column.not_in([str(Status.DONE), str(Status.SKIPPED)]))
    elif status is not None:
        query = query.where(column == status)
    return query, column


def document_ids(project: Project, annotator: str | None = None, status: str | None = None) -> list[int]:
    """Ids of every document (with this status, if given; "open": not done or skipped) in import order.
    Cheap for 100,000 documents: ids come from an index, no row of text is read."""
    query, _column = _with_status(select(documents.c.id), annotator if status else None, status)
    with project.reading() as conn:
        return sorted(conn.execute(query).scalars())


def document_titles(
    project: Project, annotator: str | None = None, status: str | None = None
) -> list[tuple[int, str, str | None, str]]:
    """(id, title, date, status) of every document (with this status, if given), in import order: what
    the list filters by title and sorts by. Reads every row: for filtering and sorting, not for opening."""
    query, column = _with_status(select(documents.c.id), annotator, status)
    query = query.add_columns(documents.c.title, documents.c.date, column).order_by(documents.c.id)
    with project.reading() as conn:
        return [(r[0], r[1], r[2], str(r[3])) for r in conn.execute(query)]


def entity_counts(project: Project, document_ids: list[int] | None = None) -> dict[int, int]:
    """How many entities a person would see (rejected suggestions excluded) in each document (all, or
    these); documents without any are left out."""
    shown = and_(spans.c.layer == str(Layer.ENTITY), spans.c.state != str(State.REJECTED))
    query = select(spans.c.document_id, func.count()).group_by(spans.c.document_id)
    found: dict[int, int] = {}
    with project.reading() as conn:
        if document_ids is None:
            return {row[0]: row[1] for row in conn.execute(query.where(shown))}
        for chunk in chunks(list(document_ids), 500):
            found.update((row[0], row[1]) for row in conn.execute(query.where(shown, spans.c.document_id.in_(chunk))))
    return found


def summaries_of(project: Project, ids: list[int], annotator: str | None = None) -> list[DocumentSummary]:
    """The list's rows for these documents, in the order given (one page of a long list)."""
    found: dict[int, DocumentSummary] = {}
    counts = entity_counts(project, ids)
    with project.reading() as conn:
        for chunk in chunks(list(ids), 500):
            query, column = _with_status(
                select(documents.c.id, documents.c.uid, documents.c.title, documents.c.date), annotator, None
            )
            query = query.add_columns(column.label("status")).where(documents.c.id.in_(chunk))
            names = label_names(conn, chunk)
            for r in conn.execute(query):
                found[r.id] = DocumentSummary(
                    r.id, r.uid, r.title, r.date, Status(r.status), counts.get(r.id, 0), names.get(r.id, ())
                )
    return [found[i] for i in ids if i in found]


def count_documents(project: Project, only_unsuggested: bool = False, layers: int = 1,
                    languages: Collection[str] | None = None) -> int:
    """All documents, or (only_unsuggested) those still missing suggestions of some of ``layers``
    (core.model.layer_bits; entities alone by default); of ``languages`` only, if given."""
    query = select(func.count()).select_from(documents)
    if only_unsuggested:
        query = query.where(missing_layers(layers))
    with project.reading() as conn:
        if languages is not None:
            query = query.where(in_languages(languages, default_language(conn)))
        return conn.execute(query).scalar_one()


def in_languages(languages: Collection[str], default: str):
    """A condition: the document is in one of ``languages`` (one stored without a language, by a version
    that wrote none, counts as the project's ``default``)."""
    condition = documents.c.language.in_(list(languages))
    return or_(condition, documents.c.language.is_(None)) if default in languages else condition


def language_counts(project: Project, only_unsuggested: bool = False, layers: int = 1) -> dict[str, int]:
    """How many documents of each language the project holds (or, only_unsuggested, still miss some of
    ``layers``), most first."""
    query = select(documents.c.language, func.count()).group_by(documents.c.language)
    if only_unsuggested:
        query = query.where(missing_layers(layers))
    found: dict[str, int] = {}
    with project.reading() as conn:
        default = default_language(conn)
        for language, count in conn.execute(query):
            found[language or default] = found.get(language or default, 0) + count
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def document_language(project: Project, document_id: int) -> str | None:
    """A document's language (None: no such document)."""
    with project.reading() as conn:
        row = conn.execute(select(documents.c.language).where(documents.c.id == document_id)).one_or_none()
        return None if row is None else row.language or default_language(conn)


def missing_layers(layers: int):
    """A condition: the document has not had suggestions of all of ``layers``."""
    return documents.c.suggested_layers.op("&")(layers) != layers


def unsuggested_texts(project: Project, batch_size: int = 200, layers: int = 1,
                      languages: Collection[str] | None = None) -> Iterator[list[tuple[int, str]]]:
    """(id, text) of documents still missing suggestions of some of ``layers`` (of ``languages`` only, if
    given), a batch per short read."""
    last_id = 0
    if languages is not None:
        with project.reading() as conn:
            only = in_languages(languages, default_language(conn))
    while True:
        query = (
            select(documents.c.id, documents.c.text)
            .where(and_(missing_layers(layers), documents.c.id > last_id))
            .order_by(documents.c.id)
            .limit(batch_size)
        )
        if languages is not None:
            query = query.where(only)
        with project.reading() as conn:
            batch = [(row.id, row.text) for row in conn.execute(query)]
        if not batch:
            return
        yield batch
        last_id = batch[-1][0]


_DOCUMENT_COLUMNS = ("id", "uid", "text", "title", "date", "source", "meta", "status", "suggested_by",
                     "suggested_layers")


def iter_documents(project: Project, batch_size: int = 500) -> Iterator[list[Document]]:
    """All documents in a stable order (by id), a batch per short read: memory stays flat."""
    last_id = 0
    sqlite = project.engine.dialect.name == "sqlite"
    columns = _document_columns(_DOCUMENT_COLUMNS)
    if sqlite:  # JSON as text, read as plain tuples (as store.spans reads spans): an export reads them all
        columns = [type_coerce(c, Text()) if c.name == "meta" else c for c in columns]
    while True:
        query = select(*columns).where(documents.c.id > last_id).order_by(documents.c.id).limit(batch_size)
        with project.reading() as conn:
            if sqlite:
                batch = [document_from_text(row) for row in conn.execute(query)]
            else:
                batch = [to_document(row) for row in conn.execute(query)]
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
