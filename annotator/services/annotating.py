"""Annotating one document: load it for editing, save each action the moment it is made.

The GUI asks core.annotations.Annotations for an Edit, saves it here, then shows it; undo saves the
inverse the same way. There is no Save button because there is nothing left unsaved.
"""

from __future__ import annotations

import logging

from annotator.core.annotations import Annotations
from annotator.core.edits import Edit
from annotator.core.model import default_annotator
from annotator.core.schema import LabelSchema
from annotator.core.visibility import View
from annotator.services import visibility
from annotator.store.annotated import load_annotated
from annotator.store.document_labels import document_labels_of
from annotator.store.edits import ChangedElsewhere, apply_edit, apply_edits, status_of
from annotator.store.project import Project

__all__ = [
    "ChangedElsewhere", "label_mentions_in_project", "open_annotations", "save", "save_all", "default_annotator"
]
log = logging.getLogger(__name__)


def open_annotations(
    project: Project, document_id: int, annotator: str, schema: LabelSchema, view: View | None = None
) -> Annotations | None:
    """The document as ``annotator`` edits it, with the spans ``view`` shows (None: everyone's). In a
    blind project someone who is not a curator gets their own work and the suggestions, whatever the
    view: the others' spans are not loaded at all (services.visibility)."""
    found = load_annotated(project, document_id)
    if found is None:
        return None
    document, spans, relations = found
    shown = visibility.effective_view(project, annotator, view)
    if shown != View():
        spans = visibility.shown_spans(shown, annotator, spans)
        relations = visibility.shown_relations(relations, spans)
    status = status_of(project, document_id, annotator)
    labels = document_labels_of(project, document_id)
    return Annotations(document, spans, relations, annotator, status, schema.nested_entities, labels)


def save(project: Project, edit: Edit) -> None:
    """Write one action (or its undo) in one transaction; raises ChangedElsewhere on a conflict."""
    apply_edit(project, edit)
    log.debug("saved: %s (document %s)", edit.description, edit.document_id)


def save_all(project: Project, edits: list[Edit]) -> None:
    """Write one action over several documents (or its undo) in one transaction: every document or none."""
    apply_edits(project, edits)
    log.debug("saved: %s (%d documents)", edits[0].description if edits else "nothing", len(edits))


def label_mentions_in_project(
    project: Project,
    words: str,
    label: str,
    annotator: str,
    schema: LabelSchema,
    shown: Annotations | None = None,
    first: str | None = None,
    view: View | None = None,
) -> list[Edit]:
    """The Edits (one per document, none saved yet) that give every whole-token mention of ``words`` in
    the project the entity ``label``, as Annotations.label_mentions does in one document. ``shown``:
    the open document's annotations, used as they are (its Edit comes first); ``first``: the uid that
    leads its Edit; ``view``: whose spans the other documents are read with (open_annotations). Only
    documents whose text can hold the words are read."""
    from annotator.core.find import terms
    from annotator.store.documents import document_ids
    from annotator.store.search import matching_ids

    # The full-text index narrows the documents down (it finds at least every one holding the words);
    # words it cannot search for (punctuation only) mean reading every document.
    candidates = matching_ids(project, words) if terms(words) else set(document_ids(project))
    edits = []
    if shown is not None:
        edit = shown.label_mentions(words, label, first)
        if edit is not None:
            edits.append(edit)
        candidates.discard(shown.document.id)
    for document_id in sorted(candidates):
        annotations = open_annotations(project, document_id, annotator, schema, view)
        edit = annotations.label_mentions(words, label) if annotations is not None else None
        if edit is not None:
            edits.append(edit)
    return edits
