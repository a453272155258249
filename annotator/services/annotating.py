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
from annotator.store.annotated import load_annotated
from annotator.store.document_labels import document_labels_of
from annotator.store.edits import ChangedElsewhere, apply_edit, status_of
from annotator.store.project import Project

__all__ = ["ChangedElsewhere", "open_annotations", "save", "default_annotator"]
log = logging.getLogger(__name__)


def open_annotations(project: Project, document_id: int, annotator: str, schema: LabelSchema) -> Annotations | None:
    found = load_annotated(project, document_id)
    if found is None:
        return None
    document, spans, relations = found
    status = status_of(project, document_id, annotator)
    labels = document_labels_of(project, document_id)
    return Annotations(document, spans, relations, annotator, status, schema.nested_entities, labels)


def save(project: Project, edit: Edit) -> None:
    """Write one action (or its undo) in one transaction; raises ChangedElsewhere on a conflict."""
    apply_edit(project, edit)
    log.debug("saved: %s (document %s)", edit.description, edit.document_id)
