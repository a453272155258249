"""Reading documents for display: the list, and one document with its annotations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from annotator.core.model import ASSIGNED_TO_ME, NO_LABEL, Document, DocumentSummary, ListQuery, Relation, Span
from annotator.store.annotated import load_annotated
from annotator.store.assignments import assigned_ids, assignees
from annotator.store.document_labels import label_names_of, labelled_ids
from annotator.store.documents import (
    document_ids,
    document_summaries,
    document_titles,
    entity_counts,
    suggested_by,
    suggested_layers as stored_layers,
    summaries_of,
)
from annotator.store.project import Project
from annotator.store.search import matching_ids


@dataclass(frozen=True)
class AnnotatedDocument:
    document: Document
    spans: list[Span]
    relations: list[Relation]


def list_documents(project: Project, annotator: str | None = None) -> list[DocumentSummary]:
    """The document list, with the annotator's own status of each document when one is named."""
    return document_summaries(project, annotator)


def list_ids(project: Project, query: ListQuery = ListQuery(), annotator: str | None = None) -> list[int]:
    """The ids of the documents the list shows, in its order. The list then loads the rows it shows
    (list_rows), so a project of 100,000 documents opens without reading them all. In import order the
    documents assigned to ``annotator`` come first; status ASSIGNED_TO_ME shows only those."""
    only_mine = query.status == ASSIGNED_TO_ME
    ids = _listed_ids(project, replace(query, status=None) if only_mine else query, annotator)
    if annotator is None:
        return ids
    mine = assigned_ids(project, annotator)
    if only_mine:
        return [i for i in ids if i in mine]
    if mine and query.order is None:
        return [i for i in ids if i in mine] + [i for i in ids if i not in mine]
    return ids


def _listed_ids(project: Project, query: ListQuery, annotator: str | None) -> list[int]:
    words = query.words.strip()
    if not words and query.order is None:
        ids = document_ids(project, annotator, query.status)
        keeps = _label_keeps(project, query.label)
        return ids if keeps is None else [i for i in ids if keeps(i)]
    rows = document_titles(project, annotator, query.status)
    keeps = _label_keeps(project, query.label)
    if keeps is not None:
        rows = [r for r in rows if keeps(r[0])]
    if words:
        needle = words.casefold()
        in_text = matching_ids(project, words)
        rows = [r for r in rows if r[0] in in_text or needle in (r[1] or "").casefold()]
    if query.order is not None:
        rows = _ordered(project, rows, query.order, query.descending)
    return [r[0] for r in rows]


def _label_keeps(project: Project, label: tuple[str, str] | None) -> Callable[[int], bool] | None:
    """Whether the label filter keeps a document id; None when there is no label filter."""
    if label is None:
        return None
    if label == NO_LABEL:
        labelled = labelled_ids(project)
        return lambda document_id: document_id not in labelled
    return labelled_ids(project, *label).__contains__


SORT_KEYS = {
    "title": lambda row: row[1] or "",
    "date": lambda row: row[2] or "",
    "status": lambda row: row[3].replace("_", " "),
}


def _ordered(project: Project, rows: list, order: str, descending: bool) -> list:
    """Sorted by a column, equal ones in import order (also when descending)."""
    if order == "entities":
        counts = entity_counts(project)
        return sorted(rows, key=lambda row: counts.get(row[0], 0), reverse=descending)
    if order == "labels":  # going up: labelled documents first, by their labels; unlabelled ones last
        names = label_names_of(project)
        return sorted(rows, key=lambda row: (row[0] not in names, names.get(row[0], ())), reverse=descending)
    return sorted(rows, key=SORT_KEYS[order], reverse=descending)


def list_rows(project: Project, ids: list[int], annotator: str | None = None) -> list[DocumentSummary]:
    """The list's rows for these documents (a page of it), in the order given, with who else has each."""
    rows = summaries_of(project, ids, annotator)
    held = assignees(project, ids)
    if not held:
        return rows
    return [
        replace(row, others=tuple(n for n in names if n != annotator), mine=annotator in names)
        for row, names in ((row, held.get(row.id, ())) for row in rows)
    ]


def is_suggested(project: Project, document_id: int) -> bool:
    """Whether a pipeline has pre-annotated the document (a primary-key lookup, no text loaded)."""
    return suggested_by(project, document_id) is not None


def suggested_layers(project: Project, document_id: int) -> int:
    """The layers suggested for the document so far (core.model.layer_bits; a primary-key lookup)."""
    return stored_layers(project, document_id)


def load_document(project: Project, document_id: int) -> AnnotatedDocument | None:
    found = load_annotated(project, document_id)
    return None if found is None else AnnotatedDocument(*found)
