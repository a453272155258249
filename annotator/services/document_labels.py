"""Document labels: checking imported ones against the schema, and counting them.

An imported label of a set or label the schema lacks is added to the schema when the import may add
labels (as unknown span labels are), otherwise reported and left out, never stored unknown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from annotator.core.errors import Problem
from annotator.core.model import DocumentLabel
from annotator.core.records import Imported
from annotator.core.schema import Choice, LabelSet, label_name_problem
from annotator.store.document_labels import document_label_counts
from annotator.store.labels import save_schema
from annotator.store.project import Project

DOCUMENT = "document"  # the layer name reports give document labels


def checked_labels(importer, item: Imported) -> list[DocumentLabel]:
    """``item``'s labels that the schema has (or that were added to it); each other one is reported.
    ``importer`` is the running annotated import: its schema, report and whether it may add labels."""
    kept, unknown = [], Counter()
    for label in item.labels:
        label_set = importer.schema.label_set(label.label_set)
        if label_set is not None and label.label in label_set.labels:
            kept.append(label)
            continue
        if not importer.add_labels:
            unknown[(label.label_set, label.label)] += 1
            continue
        refused = label_name_problem(label.label_set, "label set") or label_name_problem(label.label, DOCUMENT)
        if refused:
            _problem(importer, item, f"{refused}; not added to the schema, the document label is left out")
            continue
        _add(importer, label.label_set, label.label, _several(item.labels, label.label_set))
        kept.append(label)
    for (name, label), count in sorted(unknown.items()):
        importer.report.unknown_labels.add((f"{DOCUMENT} {name}", label))
        _problem(
            importer,
            item,
            f"document label '{label}' of the set '{name}' is not in the project's schema; {count} left out "
            "(add it in Project > Label Schema, or import with --add-labels)",
        )
    return _one_each(importer, item, kept)


def _problem(importer, item: Imported, message: str) -> None:
    importer.report.problems.append(Problem.at(item.path, item.line, message))


def _several(labels: list[DocumentLabel], set_name: str) -> bool:
    """Whether one annotator gave this document more than one label of the set: it is multiple choice."""
    per_person = Counter(d.annotator for d in labels if d.label_set == set_name)
    return any(n > 1 for n in per_person.values())


def _add(importer, set_name: str, label: str, multiple: bool) -> None:
    schema = importer.schema
    found = schema.label_set(set_name)
    if found is None:
        sets = (*schema.label_sets, LabelSet(set_name, (Choice(label),), multiple))
    else:
        grown = replace(found, choices=(*found.choices, Choice(label)), multiple=found.multiple or multiple)
        sets = tuple(grown if s.name == set_name else s for s in schema.label_sets)
    importer.schema = replace(schema, label_sets=sets)
    importer.report.new_labels.append(f"{DOCUMENT}:{set_name}:{label}")
    save_schema(importer.project, importer.schema)  # before the labels that use it


def _one_each(importer, item: Imported, labels: list[DocumentLabel]) -> list[DocumentLabel]:
    """A single-choice set keeps one label per annotator (the first the file gave)."""
    kept, taken = [], set()
    for label in labels:
        label_set = importer.schema.label_set(label.label_set)
        if label_set is not None and not label_set.multiple:
            if (label.label_set, label.annotator) in taken:
                _problem(
                    importer,
                    item,
                    f"document label '{label.label}': the set '{label.label_set}' takes one label per annotator "
                    "(single choice in the schema); left out",
                )
                continue
            taken.add((label.label_set, label.annotator))
        kept.append(label)
    return kept


def label_counts(project: Project) -> dict[tuple[str, str], int]:
    """How many documents carry each (label set, label)."""
    with project.reading() as conn:
        return document_label_counts(conn)
