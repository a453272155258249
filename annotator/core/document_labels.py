"""The rule for setting a document's labels: what one key press on a label does.

A single-choice set holds at most one label per annotator: choosing another replaces it, choosing
the one already set clears it. In a multiple-choice set each label is switched on or off alone.
Other annotators' labels are never touched: each person keeps their own judgement.
"""

from __future__ import annotations

from annotator.core.model import DocumentLabel
from annotator.core.schema import LabelSet


def toggled(
    current: list[DocumentLabel], label_set: LabelSet, label: str, annotator: str
) -> tuple[list[DocumentLabel], list[DocumentLabel]]:
    """(labels removed, labels added) when ``annotator`` chooses ``label`` of ``label_set``."""
    mine = [d for d in current if d.label_set == label_set.name and d.annotator == annotator]
    same = [d for d in mine if d.label == label]
    if same:
        return same, []
    removed = [] if label_set.multiple else mine
    return removed, [DocumentLabel(label_set.name, label, annotator, annotator)]


def cleared(current: list[DocumentLabel], set_name: str, annotator: str) -> list[DocumentLabel]:
    """The labels ``annotator`` set in one label set: what clearing it removes."""
    return [d for d in current if d.label_set == set_name and d.annotator == annotator]


def describe(removed: list[DocumentLabel], added: list[DocumentLabel]) -> str:
    if added:
        return f"Label document {added[0].label_set}: {added[0].label}"
    if removed:
        return f"Clear document label {removed[0].label_set}: " + ", ".join(d.label for d in removed)
    return ""
