"""Documents together with their spans and relations, read in one short transaction per batch."""

from __future__ import annotations

from collections.abc import Iterator

from annotator.core.model import Document, DocumentLabel, Relation, Span
from annotator.store.document_labels import labels_for_documents
from annotator.store.documents import get_document, iter_documents
from annotator.store.edits import statuses_for_documents
from annotator.store.project import Project
from annotator.store.spans import relations_for_documents, spans_for_documents

Annotated = tuple[Document, list[Span], list[Relation]]
Exported = tuple[Document, list[Span], list[Relation], dict[str, str]]
Labelled = tuple[Document, list[Span], list[Relation], dict[str, str], list[DocumentLabel]]


def load_annotated(project: Project, document_id: int) -> Annotated | None:
    document = get_document(project, document_id)
    if document is None:
        return None
    with project.reading() as conn:
        spans = spans_for_documents(conn, [document_id]).get(document_id, [])
        relations = relations_for_documents(conn, [document_id]).get(document_id, [])
    return document, spans, relations


def annotated_batches(project: Project, batch_size: int = 500) -> Iterator[list[Exported]]:
    """Every document with its annotations and each annotator's status, in id order, a batch at a
    time: memory stays flat. For writing out: spans come without their created/updated stamps."""
    for batch in labelled_batches(project, batch_size):
        yield [item[:4] for item in batch]


def labelled_batches(project: Project, batch_size: int = 500) -> Iterator[list[Labelled]]:
    """annotated_batches, each document with its document labels as well."""
    for docs in iter_documents(project, batch_size):
        ids = [doc.id for doc in docs]
        with project.reading() as conn:
            spans = spans_for_documents(conn, ids, stamps=False)  # no format writes them
            relations = relations_for_documents(conn, ids)
            statuses = statuses_for_documents(conn, ids)
            labels = labels_for_documents(conn, ids)
        yield [
            (doc, spans.get(doc.id, []), relations.get(doc.id, []), statuses.get(doc.id, {}), labels.get(doc.id, []))
            for doc in docs
        ]
