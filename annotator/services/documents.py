"""Reading documents for display: the list, and one document with its annotations."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Document, DocumentSummary, Relation, Span
from annotator.store.annotated import load_annotated
from annotator.store.documents import document_summaries, suggested_by
from annotator.store.project import Project


@dataclass(frozen=True)
class AnnotatedDocument:
    document: Document
    spans: list[Span]
    relations: list[Relation]


def list_documents(project: Project, annotator: str | None = None) -> list[DocumentSummary]:
    """The document list, with the annotator's own status of each document when one is named."""
    return document_summaries(project, annotator)


def is_suggested(project: Project, document_id: int) -> bool:
    """Whether a pipeline has pre-annotated the document (a primary-key lookup, no text loaded)."""
    return suggested_by(project, document_id) is not None


def load_document(project: Project, document_id: int) -> AnnotatedDocument | None:
    found = load_annotated(project, document_id)
    return None if found is None else AnnotatedDocument(*found)
