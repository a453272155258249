"""An annotation action as data: what it replaces and what it puts in its place.

Every user action (tag, accept, move a boundary, link a speaker, set a status) is one Edit. The store
applies an Edit in one transaction, and undo applies its inverse, so undo and redo are exact and
always go through the same code as the action itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotator.core.model import DocumentLabel, Relation, Span, Status


@dataclass(frozen=True, slots=True)
class Edit:
    document_id: int
    before: tuple[Span, ...] = ()  # spans as they were (matched by uid)
    after: tuple[Span, ...] = ()  # spans as they become; a uid only in `before` is deleted
    relations_before: tuple[Relation, ...] = ()
    relations_after: tuple[Relation, ...] = ()
    annotator: str = ""
    status_before: Status | None = None  # the annotator's status of the document; None: never set
    status_after: Status | None = None
    description: str = ""
    labels_before: tuple[DocumentLabel, ...] = ()  # the document's labels this action removes
    labels_after: tuple[DocumentLabel, ...] = ()  # and those it sets

    def inverse(self) -> Edit:
        return replace(
            self,
            before=self.after,
            after=self.before,
            relations_before=self.relations_after,
            relations_after=self.relations_before,
            status_before=self.status_after,
            status_after=self.status_before,
            labels_before=self.labels_after,
            labels_after=self.labels_before,
        )

    @property
    def changes_status(self) -> bool:
        return self.status_after != self.status_before

    @property
    def is_empty(self) -> bool:
        return (
            self.before == self.after
            and sorted(r.uid for r in self.relations_before) == sorted(r.uid for r in self.relations_after)
            and not self.changes_status
            and set(self.labels_before) == set(self.labels_after)
        )

    def removed_labels(self) -> list[DocumentLabel]:
        kept = {label.key for label in self.labels_after}
        return [label for label in self.labels_before if label.key not in kept]

    def added_labels(self) -> list[DocumentLabel]:
        had = {label.key for label in self.labels_before}
        return [label for label in self.labels_after if label.key not in had]

    def removed_spans(self) -> list[Span]:
        kept = {s.uid for s in self.after}
        return [s for s in self.before if s.uid not in kept]

    def removed_relations(self) -> list[Relation]:
        kept = {r.uid for r in self.relations_after}
        return [r for r in self.relations_before if r.uid not in kept]

    def added_relations(self) -> list[Relation]:
        had = {r.uid for r in self.relations_before}
        return [r for r in self.relations_after if r.uid not in had]
