"""Document labels in formats that know only a label's name (doccano's ``cats``, Prodigy's option ids,
spaCy's ``doc.cats``): how a name is written and which of the schema's label sets it belongs to.

A name that only one label set has is written bare, as those tools expect; a name two sets share is
written ``set:label``. Reading finds the set by the same rule; a name no set has goes to ``DEFAULT_SET``
(the import then adds it to the schema or reports it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from annotator.core.model import DocumentLabel

DEFAULT_SET = "category"


def _pairs(label_sets: Iterable[Any]) -> list[tuple[str, str]]:
    return [(s.name, label) for s in label_sets for label in s.labels]


def written_name(label: DocumentLabel, label_sets: Iterable[Any]) -> str:
    pairs = _pairs(label_sets)
    shared = Counter(name for _, name in pairs)
    if shared[label.label] > 1 or (pairs and (label.label_set, label.label) not in pairs):
        return f"{label.label_set}:{label.label}"
    return label.label


def read_name(name: str, label_sets: Iterable[Any], annotator: str | None, origin: str) -> DocumentLabel:
    pairs = _pairs(label_sets)
    owners = [s for s, label in pairs if label == name]
    if len(owners) == 1:
        return DocumentLabel(owners[0], name, annotator, origin)
    head, sep, tail = name.partition(":")
    if sep and head and tail and ((head, tail) in pairs or not owners):
        return DocumentLabel(head, tail, annotator, origin)
    return DocumentLabel(owners[0] if owners else DEFAULT_SET, name, annotator, origin)


def names_of(labels: Iterable[DocumentLabel], label_sets: Iterable[Any]) -> list[str]:
    """The written names of these labels, each once, in order."""
    label_sets = list(label_sets)
    return list(dict.fromkeys(written_name(d, label_sets) for d in labels))


def annotators_note(labels: list[DocumentLabel]) -> str:
    """A note when a format with one answer per document gets several people's labels."""
    people = {d.annotator for d in labels}
    if len(people) > 1:
        return f"document labels of {len(people)} annotators are written together (the format has one set per document)"
    return ""
