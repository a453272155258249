"""Export a project. The file appears only when it is complete: written aside, then renamed."""

from __future__ import annotations

import itertools
import json
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path

from annotator.core.collecting import cycle_collection_paused
from annotator.core.errors import AnnotatorError, Problem
from annotator.core.model import Document, Layer, Relation, Span, State, Status
from annotator.core.records import ExportOptions, Record, within_dates
from annotator.services import curating
from annotator.services.export_targets import folder_output, output, refuse_unsafe_target
from annotator.services.registry import export_entries, export_links, has_links
from annotator.services.formats import EXPORT_FORMATS, FORMATS, NATIVE, Format
from annotator.services.schema import schema_of
from annotator.store.annotated import labelled_batches
from annotator.store.documents import count_documents
from annotator.store.edits import annotator_names
from annotator.store.project import Project

Progress = Callable[[int], None]  # documents gone through so far (written or filtered out)


@dataclass(frozen=True)
class ExportFilter:
    """Which documents and annotations go out. The defaults: everything a person would see."""

    statuses: frozenset[str] = frozenset()  # empty: any status
    annotator: str | None = None  # only this person's annotations, and their status of each document
    layers: frozenset[Layer] = frozenset(Layer)
    since: str | None = None  # the articles' dates, ISO days, both ends included
    until: str | None = None
    # Model suggestions nobody has reviewed yet. None: in if the format marks them as unreviewed,
    # out if it does not (there they would look like checked labels); True: always; False: never.
    suggestions: bool | None = None
    # The curated version only (services.curating): each document's gold, or its agreed version (majority)
    # where nobody curated it.
    curated: bool = False
    # With ``annotator``: the model's unreviewed suggestions go too (what that person saw in a blind project).
    shared_suggestions: bool = False
    by: str | None = None  # who exports (None: the login name): a blind project narrows it (blind_filter)

    def for_format(self, form: Format) -> ExportFilter:
        """This filter with ``suggestions`` decided for ``form``."""
        if self.suggestions is not None:
            return self
        return replace(self, suggestions=form.marks_suggestions)

    def status_of(self, doc: Document, statuses: dict[str, str]) -> str:
        if self.annotator is not None:
            return statuses.get(self.annotator, str(Status.NEW))
        return str(doc.status)

    def keeps_document(self, doc: Document, statuses: dict[str, str]) -> bool:
        if self.statuses and self.status_of(doc, statuses) not in self.statuses:
            return False
        return within_dates(doc.date, self.since, self.until)

    @property
    def keeps_every_span(self) -> bool:
        """Every span a person sees goes out (the usual export): no need to ask span by span."""
        return self.layers == frozenset(Layer) and self.suggestions is not False and self.annotator is None

    def keeps_span(self, span: Span) -> bool:
        if span.state == State.REJECTED or span.layer not in self.layers:
            return False
        if self.suggestions is False and span.state == State.SUGGESTED:
            return False
        if self.shared_suggestions and span.state == State.SUGGESTED:
            return True
        return self.annotator is None or span.annotator == self.annotator


def blind_filter(project: Project, only: ExportFilter | None) -> ExportFilter:
    """``only`` as a blind project lets ``only.by`` export (None: the login name). Until curation an annotator
    who is not one of the project's curators exports their own work and the suggestions: ``only`` narrowed
    to ``by``'s annotations; another person's, or the curated version, is refused."""
    from annotator.core.model import default_annotator
    from annotator.services import visibility

    only = only or ExportFilter()
    by = only.by or default_annotator()
    if not visibility.restricted(project, by):
        return only
    if getattr(only, "curated", False):
        raise AnnotatorError(
            f"{project.name} is blind and {by} is not one of its curators: the curated version is exported by "
            "a curator (annotator project --curators NAMES names them)"
        )
    if only.annotator not in (None, by):
        raise AnnotatorError(
            f"{project.name} is blind: {by} exports only their own work and the suggestions, not "
            f"{only.annotator}'s (a curator exports everyone's)"
        )
    return replace(only, annotator=by, shared_suggestions=True)


@dataclass
class ExportReport:
    documents: int = 0
    spans: int = 0
    target: str = ""
    cancelled: bool = False
    lost: list[Problem] = field(default_factory=list)  # annotations the format could not carry
    unreviewed_left_out: int = 0  # suggestions nobody reviewed, left out because the format cannot mark them
    format_name: str = ""

    def summary(self) -> str:
        if self.cancelled:
            return f"export to {self.target} cancelled; no file was written"
        text = f"{self.documents} document(s) with {self.spans} span(s) written to {self.target}"
        if self.unreviewed_left_out:
            text += (
                f"; {self.unreviewed_left_out} unreviewed suggestion(s) left out, as the {self.format_name} format"
                " cannot mark them as unreviewed (--include-suggestions, or the box in the export dialog, keeps them)"
            )
        if self.lost:
            text += f"; {len(self.lost)} annotation(s) the format cannot hold were left out (listed)"
        return text


class Cancelled(Exception):
    pass


def export(
    project: Project,
    target: str | Path,
    fmt: str = NATIVE,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    only: ExportFilter | None = None,
    model: str | None = None,
    dev_fraction: float = 0.0,
) -> ExportReport:
    """Stream the documents (in a stable order) to ``target``; a cancelled or failed export leaves no file.

    ``model`` names the pipeline whose tokenizer token-based formats use (default: en_core_web_sm).
    A blind project narrows what ``only.by`` gets (blind_filter)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (known: {', '.join(EXPORT_FORMATS)})")
    form = FORMATS[fmt]
    folder = writes_folder(form, dev_fraction)
    if str(target) == "-" and folder:
        raise ValueError(f"{form.title} is written to a folder, not to standard output; give a folder name")
    report = ExportReport(target="standard output" if str(target) == "-" else str(target), format_name=form.name)
    if str(target) != "-":
        refuse_unsafe_target(project, str(target), folder)
    options = _options(project, form, model, dev_fraction)
    only = blind_filter(project, only).for_format(form)
    records = _records(project, only, report, progress, cancel, count_unreviewed=not form.marks_suggestions,
                       entities=form.entities)
    try:
        if folder:
            with folder_output(target, fmt) as out:
                report.lost = form.write(records, out, options)
        else:
            with output(target) as out:
                report.lost = form.write(records, out, options)
    except Cancelled:
        report.cancelled = True
    return report


def preview(
    project: Project, fmt: str, only: ExportFilter | None = None, model: str | None = None, limit: int = 20_000
) -> str:
    """The first matching document as the format writes it (its first ``limit`` characters), for the
    export dialog. A binary format is described instead of shown."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format '{fmt}'")
    form = FORMATS[fmt]
    report = ExportReport()
    only = blind_filter(project, only).for_format(form)
    records = itertools.islice(_records(project, only, report, None, None, entities=form.entities), 1)
    with tempfile.TemporaryDirectory(prefix="annotator-preview-") as folder:
        target = Path(folder) / ("preview" + (form.suffix or ""))
        if not form.suffix:
            target.mkdir()
        options = _options(project, form, model, 0.0)
        form.write(records, target, options)
        if not report.documents:
            return "No document matches these filters."
        files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        parts = []
        for path in files:
            data = path.read_bytes()
            if not _is_text(data):
                parts.append(f"{path.name}: a binary {form.title} of {len(data):,} bytes for the first document")
            else:
                name = f"── {path.name} ──\n" if target.is_dir() else ""
                parts.append(name + _readable(data.decode("utf-8", "replace"), form.suffix))
        text = "\n".join(parts)
        if len(text) > limit:
            text = text[:limit] + " …"
        if form.export_note is not None:
            text += "\n" + form.export_note(options)
    return text


def writes_folder(form: Format, dev_fraction: float = 0.0) -> bool:
    """Whether an export in ``form`` is a folder: always for some formats, with a dev share for others."""
    return form.writes_folder or (form.splits and dev_fraction > 0)


def _is_text(data: bytes) -> bool:
    """Bytes to show as they are (UTF-8 text), not a binary file (spaCy's DocBin is compressed)."""
    if b"\x00" in data[:4096]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _readable(text: str, suffix: str) -> str:
    """JSON indented, with an article's long text cut short, so the structure shows at a glance."""
    if suffix not in (".json", ".jsonl"):
        return text
    try:
        value = json.loads(text.splitlines()[0] if suffix == ".jsonl" else text)
    except (ValueError, IndexError):
        return text
    return json.dumps(_shortened(value), indent=2, ensure_ascii=False)


def _shortened(value, longest: int = 160):
    if isinstance(value, str) and len(value) > longest:
        return f"{value[:longest]}… ({len(value):,} characters)"
    if isinstance(value, list):
        return [_shortened(item, longest) for item in value]
    if isinstance(value, dict):
        return {key: _shortened(item, longest) for key, item in value.items()}
    return value


def annotators(project: Project) -> list[str]:
    return annotator_names(project)


def document_count(project: Project) -> int:
    """All documents, before filters: the most an export can write (a progress bar's end)."""
    return count_documents(project)


def _options(project: Project, form: Format, model: str | None, dev_fraction: float) -> ExportOptions:
    schema = schema_of(project)
    tokenize = None
    if form.tokens:
        from annotator.nlp.tokens import tokenizer  # spaCy loads in a second: only when a format needs it

        tokenize = tokenizer(model)
    return ExportOptions(
        tokenize=tokenize,
        labels={str(layer): [label.name for label in schema.labels_of(layer)] for layer in Layer},
        attributes=schema.attributes,
        dev_fraction=dev_fraction,
        label_sets=schema.label_sets,
        registry=export_entries(project) if form.entities else (),
    )


def _records(
    project: Project,
    only: ExportFilter,
    report: ExportReport,
    progress: Progress | None,
    cancel: threading.Event | None,
    count_unreviewed: bool = False,
    entities: bool = False,
) -> Iterator[Record]:
    """The records to write; ``entities``: with their spans' registry links (a format that names entries)."""
    scanned = 0
    linked = entities and has_links(project)  # asked once: most projects link nothing
    # Written with the cycle collector paused: millions of small objects (spans, records), no cycles
    # among them, all freed by reference counting batch by batch (annotator.core.collecting).
    with cycle_collection_paused():
        for batch in labelled_batches(project):
            if cancel is not None and cancel.is_set():
                raise Cancelled
            scanned += len(batch)
            # span id -> registry entry uid
            links = export_links(project, [item[0].id for item in batch], linked=True) if linked else {}
            for doc, spans, relations, statuses, labels in batch:
                if not only.keeps_document(doc, statuses):
                    continue
                if only.curated:
                    spans, relations = curating.curated_record(doc, spans, relations, statuses)
                record = _record(doc, spans, relations, statuses, only)
                if labels:  # the document's labels: one person's only when the export is one person's
                    mine = [d for d in labels if only.annotator is None or d.annotator == only.annotator]
                    record = replace(record, labels=mine)
                if links:
                    record = replace(record, entities={s.uid: links[s.id] for s in record.spans if s.id in links})
                if count_unreviewed and only.suggestions is False:
                    report.unreviewed_left_out += _unreviewed(spans, only)
                report.documents += 1
                report.spans += len(record.spans)
                yield record
            if progress:
                progress(scanned)


_READING_ORDER = attrgetter("start", "end", "layer")


def _record(
    doc: Document, spans: list[Span], relations: list[Relation], statuses: dict[str, str], only: ExportFilter
) -> Record:
    if only.keeps_every_span:
        kept = [s for s in spans if s.state != State.REJECTED]
    else:
        kept = [s for s in spans if only.keeps_span(s)]
    kept.sort(key=_READING_ORDER)  # by start, end, layer (a StrEnum compares as its name)
    if relations:
        uids = {s.uid for s in kept}
        relations = [r for r in relations if r.head in uids and r.tail in uids]
    return Record(doc, kept, relations, statuses)


def _unreviewed(spans: list[Span], only: ExportFilter) -> int:
    """Suggestions the filter would have kept but for being unreviewed."""
    everything = replace(only, suggestions=True)
    return sum(1 for s in spans if s.state == State.SUGGESTED and everything.keeps_span(s))
