"""Merging another analyst's work: their project file, or a native JSONL export of it, into this project.

Their annotations (every layer, with states, origins and annotators), the links between them, their
document labels and each person's status come in under their own names, onto the same documents (the
same text); documents the project lacks are added. Nothing already in the project is changed: a span
whose id (or whose layer, offsets, label and annotator) is there is skipped, and so on, so merging the
same work twice adds nothing. Their registry entries come by uid (an entry the project has gains the names
it lacks) with their confirmed links; a span linked here keeps its link. Labels the schema lacks are added
(a project file brings its schema's colours). The whole merge is one transaction: bad input (not a project, a damaged file, a JSONL line
that cannot be read) stops it with the file and line named, and nothing is stored.
"""

from __future__ import annotations

import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.core.errors import AnnotatorError, Problem, ProjectError
from annotator.core.model import Document, Layer, Status
from annotator.core.records import ImportOptions, RegistryRecord
from annotator.core.schema import Choice, Label, LabelSchema, LabelSet, fallback_colour, label_name_problem
from annotator.formats import native
from annotator.formats.jsonl import records
from annotator.services.registry import export_entries, export_links
from annotator.services.schema import schema_of
from annotator.store.document_labels import labels_for_documents
from annotator.store.documents import count_documents, iter_documents
from annotator.store.labels import load_schema, put_schema
from annotator.store.merge import Incoming, Merged, merge_document, read_statuses
from annotator.store.project import Project, open_project
from annotator.store.registry import BroughtIn, bring_in
from annotator.store.spans import relations_for_documents, spans_for_documents
from annotator.store.sqlite_files import copy_database

Progress = Callable[[int, int], None]  # documents done, documents in all (0: not known)
NOBODY = "(nobody named: model suggestions and unnamed annotations)"
SQLITE_MAGIC = b"SQLite format 3\x00"
LABEL_REFUSED = "its label cannot be added to the schema"
BATCH = 200  # documents read from a project file at a time


class MergeError(AnnotatorError):
    """The other's work cannot be merged; nothing was stored."""


class _Cancelled(Exception):
    pass


@dataclass
class Person:
    spans: int = 0
    relations: int = 0
    statuses: int = 0
    labels: int = 0

    @property
    def total(self) -> int:
        return self.spans + self.relations + self.statuses + self.labels


@dataclass
class MergeReport:
    source: str
    kind: str = ""  # "project file" or "JSONL export"
    documents: int = 0  # read from the source
    matched: int = 0  # already in the project (the same text)
    added: int = 0  # new to the project
    people: dict[str, Person] = field(default_factory=dict)  # what came in, per annotator (NOBODY for None)
    skipped: Counter = field(default_factory=Counter)  # (what, why) -> how many
    new_labels: list[str] = field(default_factory=list)  # "layer:NAME" added to the schema
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False
    registry_entries: int = 0  # registry entries added
    registry_aliases: int = 0  # names added to entries the project had
    registry_links: int = 0  # spans linked to their entries

    @property
    def new(self) -> int:
        """Everything stored: documents added and annotations, links, statuses, labels and the registry's."""
        registry = self.registry_entries + self.registry_aliases + self.registry_links
        return self.added + sum(person.total for person in self.people.values()) + registry

    def count_registry(self, done: BroughtIn) -> None:
        self.registry_entries += done.entries
        self.registry_aliases += done.aliases
        self.registry_links += done.links

    def person(self, name: str | None) -> Person:
        return self.people.setdefault(name or NOBODY, Person())

    def summary(self) -> str:
        if self.cancelled:
            return f"Merge of {self.source} cancelled: nothing was stored"
        spans = sum(p.spans for p in self.people.values())
        links = sum(p.relations for p in self.people.values())
        statuses = sum(p.statuses for p in self.people.values())
        labels = sum(p.labels for p in self.people.values())
        return (
            f"Merged {self.source}: {self.new} new ({self.documents} document(s) read, {self.matched} matched, "
            f"{self.added} added; {spans} annotation(s), {links} link(s), {statuses} status(es), "
            f"{labels} document label(s); {sum(self.skipped.values())} skipped)"
            + self._registry_summary()
        )

    def _registry_summary(self) -> str:
        if not (self.registry_entries or self.registry_aliases or self.registry_links):
            return ""
        return (f"; registry: {self.registry_entries} new entr{'y' if self.registry_entries == 1 else 'ies'}, "
                f"{self.registry_aliases} new alias(es), {self.registry_links} link(s)")

    def lines(self) -> list[str]:
        """The whole report, a line each: the summary, what came in per annotator, what was skipped and why."""
        found = [self.summary()]
        if self.cancelled:
            return found
        for name, p in sorted(self.people.items()):
            if p.total:
                found.append(f"{name}: {p.spans} annotation(s), {p.relations} link(s), {p.statuses} status(es), "
                             f"{p.labels} document label(s)")
        found += [f"label added to the schema: {label}" for label in self.new_labels]
        found += [f"skipped: {count} {what}(s): {why}" for (what, why), count in sorted(self.skipped.items())]
        found += [f"warning: {warning}" for warning in self.warnings]
        return found

    def text(self) -> str:
        return "\n".join(self.lines())


def merge(
    project: Project,
    other: str | Path,
    mine: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> MergeReport:
    """Merge ``other`` (a project file, or a native JSONL export) into ``project``. ``mine``: the project's
    own annotator, whose annotations, statuses and labels in the other's work are skipped (theirs here
    stay exactly as they are; without it they too come in where the project lacks them)."""
    path = Path(other)
    report = MergeReport(str(path))
    kind = _kind(path, project)
    report.kind = "project file" if kind == "project" else "JSONL export"
    source = _ProjectSource(path) if kind == "project" else _JsonlSource(path, report)
    try:
        schema = _Schema(schema_of(project), source.schema())
        total = source.total()
        try:
            with project.writing(bulk=True) as conn:
                for batch in source.batches():
                    for item in batch:
                        if cancel is not None and cancel.is_set():
                            raise _Cancelled
                        item, refused = schema.checked(item, report)
                        merged = merge_document(conn, item, mine, schema.single_choice())
                        _count(report, merged, refused)
                        if progress is not None:
                            progress(report.documents, total)
                report.count_registry(bring_in(conn, source.entries(), {}))  # the entries nothing links
                if schema.changed:
                    put_schema(conn, schema.schema)  # with the annotations that use the labels, or not at all
        except _Cancelled:
            return MergeReport(str(path), report.kind, cancelled=True)
    finally:
        source.close()
    return report


def _kind(path: Path, project: Project) -> str:
    if not path.exists():
        raise MergeError(f"{path}: no such file")
    if path.is_dir():
        raise MergeError(f"{path} is a folder: merge a project file (.annotator.sqlite) or a native JSONL export")
    if project.path is not None and path.resolve() == project.path.resolve():
        raise MergeError(f"{path} is the open project itself: choose another analyst's project file or export")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "project"
    if not head.strip():
        raise MergeError(f"{path} is empty: there is no work in it to merge")
    if not native.sniff(path):
        raise MergeError(
            f"{path} is neither an Annotator project file nor a native JSONL export (format {native.FORMAT}, "
            "File > Export JSONL); nothing was merged"
        )
    return "jsonl"


def _count(report: MergeReport, merged: Merged, refused: list[tuple[str, str | None, str]]) -> None:
    report.documents += 1
    if merged.added:
        report.added += 1
    else:
        report.matched += 1
    for span in merged.spans:
        report.person(span.annotator).spans += 1
    for _relation, whose in merged.relations:
        report.person(whose).relations += 1
    for name in merged.statuses:
        report.person(name).statuses += 1
    for label in merged.labels:
        report.person(label.annotator).labels += 1
    for what, _whose, why in (*refused, *merged.skipped):
        report.skipped[(what, why)] += 1
    report.count_registry(merged.registry)
    report.warnings += merged.registry_notes


class _Schema:
    """The project's schema, grown by the labels of the other's work it lacks (with their colours from the
    other's schema when it travelled with their project file)."""

    def __init__(self, schema: LabelSchema, theirs: LabelSchema | None) -> None:
        self.schema = schema
        self.theirs = theirs
        self.changed = False
        self.added: list[str] = []

    def single_choice(self) -> set[str]:
        return {s.name for s in self.schema.label_sets if not s.multiple}

    def checked(self, item: Incoming, report: MergeReport) -> tuple[Incoming, list[tuple[str, str | None, str]]]:
        """The item without what cannot be merged (a label the schema cannot take), adding the labels it
        lacks; and what was left out."""
        refused: list[tuple[str, str | None, str]] = []
        spans = []
        for span in item.spans:
            if not self.schema.has_label(span.label, span.layer):
                problem = label_name_problem(span.label, span.layer)
                if problem:
                    refused.append((f"{span.layer} span", span.annotator, f"{LABEL_REFUSED} ({problem})"))
                    continue
                self._add_label(span.label, span.layer, report)
            spans.append(span)
        labels = []
        for label in item.labels:
            found = self.schema.label_set(label.label_set)
            if found is None or label.label not in found.labels:
                problem = label_name_problem(label.label_set, "label set") or label_name_problem(label.label, "document")
                if problem:
                    refused.append(("document label", label.annotator, f"{LABEL_REFUSED} ({problem})"))
                    continue
                self._add_choice(label.label_set, label.label, item, report)
            labels.append(label)
        kept = {span.uid for span in spans}
        relations = [r for r in item.relations if r.head in kept and r.tail in kept]
        return replace(item, spans=spans, labels=labels, relations=relations), refused

    def _add_label(self, name: str, layer: Layer, report: MergeReport) -> None:
        colour = self.theirs.colour_for(name, layer) if self.theirs is not None else fallback_colour(name)
        description = next((l.description for l in (self.theirs.labels if self.theirs else ())
                            if l.name == name and l.layer == layer), "")
        self.schema = replace(self.schema, labels=(*self.schema.labels, Label(name, layer, colour, description)))
        self.changed = True
        report.new_labels.append(f"{layer}:{name}")

    def _add_choice(self, set_name: str, label: str, item: Incoming, report: MergeReport) -> None:
        theirs = self.theirs.label_set(set_name) if self.theirs is not None else None
        several = any(n > 1 for n in Counter(d.annotator for d in item.labels if d.label_set == set_name).values())
        multiple = theirs.multiple if theirs is not None else several
        found = self.schema.label_set(set_name)
        if found is None:
            sets = (*self.schema.label_sets, LabelSet(set_name, (Choice(label),), multiple,
                                                      theirs.description if theirs is not None else ""))
        else:  # keys are left to the analyst: the other's could be taken here
            grown = replace(found, choices=(*found.choices, Choice(label)), multiple=found.multiple or several)
            sets = tuple(grown if s.name == set_name else s for s in self.schema.label_sets)
        self.schema = replace(self.schema, label_sets=sets)
        self.changed = True
        report.new_labels.append(f"document:{set_name}:{label}")


class _ProjectSource:
    """Another project file, opened read-only (it is never changed, and must be at this version's schema)."""

    def __init__(self, path: Path) -> None:
        self.folder: tempfile.TemporaryDirectory | None = None
        self.registry: tuple[RegistryRecord, ...] | None = None
        try:
            self.other = open_project(path, create=False, read_only=True)
        except ProjectError as exc:
            if "older version" not in str(exc):
                raise MergeError(f"not merged: {exc}") from None
            self.other = self._upgraded_copy(path)

    def _upgraded_copy(self, path: Path) -> Project:
        """A project written by an older version: a private copy of it, upgraded (theirs stays as it is)."""
        self.folder = tempfile.TemporaryDirectory(prefix="annotator-merge-")
        copy = Path(self.folder.name) / path.name
        try:
            copy_database(path, copy, mode="read")
            return open_project(copy, create=False)
        except AnnotatorError as exc:
            self.folder.cleanup()
            raise MergeError(f"not merged: {path}: {exc}") from None

    def schema(self) -> LabelSchema | None:
        return load_schema(self.other)

    def total(self) -> int:
        return count_documents(self.other)

    def entries(self) -> tuple[RegistryRecord, ...]:
        """Every entry of their registry, with its aliases."""
        if self.registry is None:
            self.registry = export_entries(self.other)
        return self.registry

    def batches(self) -> Iterator[list[Incoming]]:
        by_uid = {entry.uid: entry for entry in self.entries()}
        for docs in iter_documents(self.other, BATCH):
            ids = [doc.id for doc in docs]
            with self.other.reading() as conn:
                spans = spans_for_documents(conn, ids)
                relations = relations_for_documents(conn, ids)
                statuses = read_statuses(conn, ids)
                labels = labels_for_documents(conn, ids)
            links = export_links(self.other, ids) if by_uid else {}  # span id -> entry uid
            batch = []
            for doc in docs:
                found = spans.get(doc.id, [])
                entities = {span.uid: links[span.id] for span in found if span.id in links}
                named = tuple(by_uid[uid] for uid in sorted(set(entities.values())) if uid in by_uid)
                batch.append(Incoming(doc, found, relations.get(doc.id, []), statuses.get(doc.id, {}),
                                      labels.get(doc.id, []), entities, named))
            yield batch

    def close(self) -> None:
        self.other.close()
        if self.folder is not None:
            self.folder.cleanup()


class _JsonlSource:
    """A native JSONL export (annotator/1), read with the importer's own reader; any line it cannot read
    whole stops the merge, naming the file and line."""

    def __init__(self, path: Path, report: MergeReport) -> None:
        self.path = path
        self.report = report
        self.extra: dict[int, tuple[str | None, dict]] = {}  # line -> (document id, statuses)
        for number, value in records(path):
            if isinstance(value, Problem):
                raise MergeError(f"{value}; nothing was merged")
            uid, statuses = value.get("id"), value.get("statuses") or {}
            if not isinstance(statuses, dict) or not all(
                isinstance(k, str) and k and v in set(Status) for k, v in statuses.items()
            ):
                raise MergeError(f"{path}:{number}: expected 'statuses' to map annotators to "
                                 f"{', '.join(Status)}; nothing was merged")
            self.extra[number] = (uid if isinstance(uid, str) and uid else None, statuses)

    def schema(self) -> LabelSchema | None:
        return None

    def total(self) -> int:
        return len(self.extra)

    def entries(self) -> tuple[RegistryRecord, ...]:
        return ()  # each line names its own, with its links

    def batches(self) -> Iterator[list[Incoming]]:
        batch: list[Incoming] = []
        for item in native.read(self.path, ImportOptions()):
            if isinstance(item, Problem):
                if not item.warning:
                    raise MergeError(f"{item}; nothing was merged")
                self.report.warnings.append(str(item))
                continue
            uid, statuses = self.extra.get(item.line or 0, (None, {}))
            doc: Document = item.document
            if uid is not None:
                doc = replace(doc, uid=uid)
            batch.append(Incoming(doc, item.spans, item.relations, {k: (v, None) for k, v in statuses.items()},
                                  item.labels, item.entities, item.registry))
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def close(self) -> None:
        pass
