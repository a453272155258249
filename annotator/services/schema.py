"""A project's label schema: reading it, changing it, and moving schemas in and out as JSON files.

A schema change touches the annotations too: a renamed label renames its spans, a removed label deletes
its spans (and the links to them). All of it, with the new schema, is one transaction: a failure
leaves the project exactly as it was.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from annotator import paths
from annotator.core.errors import AnnotatorError
from annotator.core.schema import LabelSchema, label_name_problem, label_set_problems
from annotator.store import labels as store
from annotator.store.document_labels import delete_labels_outside, rename_document_label
from annotator.store.project import Project

__all__ = [
    "SchemaChangeReport",
    "change_schema",
    "default_schema",
    "export_schema",
    "import_schema",
    "label_uses",
    "schema_of",
    "validate_schema",
]

DEFAULT_SCHEMA_FILE = "schema/news.json"
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
LabelKey = tuple[str, str]  # (layer, label name)


@dataclass(frozen=True, slots=True)
class SchemaChangeReport:
    renamed: dict[LabelKey, int] = field(default_factory=dict)  # (layer, old name) -> spans renamed
    deleted: dict[LabelKey, int] = field(default_factory=dict)  # (layer, name) -> spans deleted
    unset: dict[LabelKey, int] = field(default_factory=dict)  # (label set, label) -> document labels deleted
    relabelled: dict[LabelKey, int] = field(default_factory=dict)  # (label set, old label) -> document labels renamed

    def summary(self) -> str:
        parts = [f"{layer} label {old} renamed ({count} span(s))" for (layer, old), count in self.renamed.items()]
        parts += [f"{layer} label {name} removed ({count} span(s) deleted)" for (layer, name), count in self.deleted.items()]
        parts += [
            f"document label {name}: {label} renamed ({count} document label(s))"
            for (name, label), count in self.relabelled.items()
        ]
        parts += [
            f"document label {name}: {label} removed (taken off {count} document(s))"
            for (name, label), count in self.unset.items()
        ]
        return "; ".join(parts) or "label schema saved"


def default_schema() -> LabelSchema:
    return LabelSchema.load(paths.resources_dir() / DEFAULT_SCHEMA_FILE)


def schema_of(project: Project) -> LabelSchema:
    """The project's schema as stored (the default one if it has none yet)."""
    return store.load_schema(project) or default_schema()


def label_uses(project: Project) -> dict[LabelKey, int]:
    """How many annotations carry each (layer, label), whatever their state."""
    return store.label_uses(project)


def validate_schema(schema: LabelSchema) -> None:
    """Refuse a schema a project cannot hold; the message names the label and what to do."""
    seen: set[LabelKey] = set()
    for label in schema.labels:
        name = label.name
        problem = label_name_problem(name, label.layer)
        if problem:
            raise AnnotatorError(problem)
        key = (str(label.layer), name)
        if key in seen:
            raise AnnotatorError(f"there are two {label.layer} labels named {name}; label names must differ")
        seen.add(key)
        if not COLOUR.fullmatch(label.colour):
            raise AnnotatorError(
                f"the {label.layer} label {name} has the colour {label.colour!r}; a colour is #rrggbb, e.g. #ffc98b"
            )
    for layer, attributes in schema.attributes.items():
        for attribute, choices in attributes.items():
            if not isinstance(choices, list) or not all(isinstance(c, str) and c.strip() for c in choices):
                raise AnnotatorError(f"the choices of {layer} {attribute} must be a list of non-empty texts")
    problems = label_set_problems(schema.label_sets)
    if problems:
        raise AnnotatorError(problems[0])


def change_schema(
    project: Project,
    new: LabelSchema,
    renames: dict[LabelKey, str],
    label_renames: dict[LabelKey, LabelKey] | None = None,
) -> SchemaChangeReport:
    """Store ``new`` as the project's schema, renaming and deleting spans to match, in one transaction.

    ``renames`` maps (layer, old name) to the new name of the same label. A stored label that the new
    schema lacks, and that was not renamed, loses its spans. A label renamed to the name of another stored
    label takes that label's place: the other's spans are deleted unless it was renamed too.
    ``label_renames`` does the same for document labels: (set, label) as they were -> as they become.
    """
    validate_schema(new)
    renames = {(str(layer), old): name for (layer, old), name in renames.items() if name != old}
    new_keys = {(str(label.layer), label.name) for label in new.labels}
    for (layer, old), name in renames.items():
        if (layer, name) not in new_keys:
            raise AnnotatorError(f"the {layer} label {old} is renamed to {name}, which the new schema does not have")
    targets = {(layer, name) for (layer, _), name in renames.items()}
    kept = set(renames) | (new_keys - targets)
    label_renames = _document_label_renames(new, label_renames or {})
    with project.writing() as conn:
        deleted = {key: store.delete_label_spans(conn, *key) for key in sorted(store.stored_labels(conn) - kept)}
        renamed = _rename(conn, renames)
        relabelled = _rename_document_labels(conn, label_renames)
        store.put_schema(conn, new)
        unset = delete_labels_outside(conn, new.label_sets)
    return SchemaChangeReport(renamed, deleted, unset, relabelled)


def _document_label_renames(new: LabelSchema, renames: dict[LabelKey, LabelKey]) -> dict[LabelKey, LabelKey]:
    renames = {old: name for old, name in renames.items() if name != old}
    labels = {(s.name, c.name) for s in new.label_sets for c in s.choices}
    for (label_set, old), name in renames.items():
        if name not in labels:
            raise AnnotatorError(
                f"the document label {label_set}: {old} is renamed to {name[0]}: {name[1]}, "
                "which the new schema does not have"
            )
    return renames


def _rename_document_labels(conn, renames: dict[LabelKey, LabelKey]) -> dict[LabelKey, int]:
    """Through unique stand-ins first, as spans are, so swapped names do not merge."""
    stand_ins = {key: (key[0], f"renaming-{uuid.uuid4().hex}") for key in renames}
    counts = {key: rename_document_label(conn, key, stand_ins[key]) for key in renames}
    for key, name in renames.items():
        rename_document_label(conn, stand_ins[key], name)
    return counts


def _rename(conn, renames: dict[LabelKey, str]) -> dict[LabelKey, int]:
    """Rename through a unique stand-in first, so swapped names (A -> B, B -> A) do not merge."""
    stand_ins = {key: f"renaming-{uuid.uuid4().hex}" for key in renames}
    counts = {key: store.rename_label(conn, key[0], key[1], stand_ins[key]) for key in renames}
    for (layer, old), name in renames.items():
        store.rename_label(conn, layer, stand_ins[(layer, old)], name)
    return counts


def export_schema(schema: LabelSchema, path: str | Path) -> None:
    """Write ``schema`` as pretty UTF-8 JSON. The file appears only complete: written aside, then renamed."""
    validate_schema(schema)
    path = Path(path)
    text = json.dumps(schema.to_dict(), ensure_ascii=False, indent=2) + "\n"
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot write the label schema: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise AnnotatorError(f"{path}: cannot write the label schema: {exc.strerror or exc}") from exc


def import_schema(path: str | Path) -> LabelSchema:
    """Read a schema file written by export_schema (or by hand); every error names the file."""
    path = Path(path)
    schema = LabelSchema.load(path)
    if not schema.labels:
        raise AnnotatorError(f"{path}: the label schema has no labels (expected a 'labels' list)")
    try:
        validate_schema(schema)
    except AnnotatorError as exc:
        raise AnnotatorError(f"{path}: {exc}") from exc
    return schema
