"""Curating a document: its annotators' versions side by side and one gold version saved step by step.

core.curation defines the items, what agrees, and the Edits of each step; here they are read from and
saved to the project. Gold is stored as spans under the annotator ``GOLD`` (origin ``curated:<curator>``)
and its status, so no table or migration is needed: a merge, an export or a backup carries it like any
annotator's work. Each step is one Edit in one transaction; undo saves its inverse.
"""

from __future__ import annotations

from annotator.core.curation import (
    GOLD,
    MAJORITY,
    UNANIMOUS,
    Curation,
    Item,
    Policy,
    Versions,
    describe_policy,
    was_curated,
    gold_or_agreed,
    needed,
    versions,
)
from annotator.core.edits import Edit
from annotator.core.model import Relation, Span, Status
from annotator.core.schema import LabelSchema
from annotator.store.annotated import load_annotated
from annotator.store.edits import ChangedElsewhere, apply_edit, statuses_for_documents
from annotator.store.project import Project

__all__ = [
    "GOLD", "MAJORITY", "UNANIMOUS", "ChangedElsewhere", "Curation", "Item", "Policy", "Versions", "curated_record",
    "describe_policy", "needed", "open_curation", "save",
]


def open_curation(project: Project, document_id: int, curator: str, schema: LabelSchema | None = None,
                  policy: Policy = MAJORITY) -> Curation | None:
    """The document's versions (everyone who annotated it but GOLD) and its gold; None if it is gone."""
    found = load_annotated(project, document_id)
    if found is None:
        return None
    document, spans, relations = found
    with project.reading() as conn:
        statuses = statuses_for_documents(conn, [document_id]).get(document_id, {})
    gold_uids = {s.uid for s in spans if s.annotator == GOLD}
    gold = [s for s in spans if s.uid in gold_uids]
    gold_links = [r for r in relations if r.head in gold_uids and r.tail in gold_uids]
    status = Status(statuses[GOLD]) if GOLD in statuses else None
    nested = bool(schema.nested_entities) if schema is not None else False
    return Curation(versions(document, spans, relations, statuses, policy), gold, gold_links, status, curator, nested)


def save(project: Project, edit: Edit) -> None:
    """One curation step (or its undo) in one transaction; ChangedElsewhere when the gold changed meanwhile."""
    apply_edit(project, edit)


def curated_record(document, spans: list[Span], relations: list[Relation], statuses: dict[str, str],
                   policy: Policy = MAJORITY) -> tuple[list[Span], list[Relation]]:
    """The spans and links ``export --curated`` writes of one document: its gold where it was curated, its
    agreed version (``policy``, majority by default) where nobody curated it."""
    # Where it was curated, the gold is written and the versions are never read: worked out only where not.
    found = Versions(document, (), {}, {}, policy=policy) if was_curated(spans, statuses) else versions(
        document, spans, relations, statuses, policy)
    return gold_or_agreed(found, spans, relations, statuses)
