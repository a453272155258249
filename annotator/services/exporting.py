"""Export a project. The file appears only when it is complete: written aside, then renamed."""

from __future__ import annotations

import glob
import itertools
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path

from annotator.core.collecting import cycle_collection_paused
from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Relation, Span, State, Status
from annotator.core.records import ExportOptions, Record
from annotator.formats import labelstudio
from annotator.services.formats import EXPORT_FORMATS, FORMATS, Format
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
    reviewed_only: bool = False  # leave out suggestions nobody has accepted yet

    def status_of(self, doc: Document, statuses: dict[str, str]) -> str:
        if self.annotator is not None:
            return statuses.get(self.annotator, str(Status.NEW))
        return str(doc.status)

    def keeps_document(self, doc: Document, statuses: dict[str, str]) -> bool:
        if self.statuses and self.status_of(doc, statuses) not in self.statuses:
            return False
        if (self.since or self.until) and not doc.date:
            return False
        if self.since and (doc.date or "") < self.since:
            return False
        return not (self.until and (doc.date or "")[: len(self.until)] > self.until)

    @property
    def keeps_every_span(self) -> bool:
        """Every span a person sees goes out (the usual export): no need to ask span by span."""
        return self.layers == frozenset(Layer) and not self.reviewed_only and self.annotator is None

    def keeps_span(self, span: Span) -> bool:
        if span.state == State.REJECTED or span.layer not in self.layers:
            return False
        if self.reviewed_only and span.state == State.SUGGESTED:
            return False
        return self.annotator is None or span.annotator == self.annotator


@dataclass
class ExportReport:
    documents: int = 0
    spans: int = 0
    target: str = ""
    cancelled: bool = False
    lost: list[Problem] = field(default_factory=list)  # annotations the format could not carry

    def summary(self) -> str:
        if self.cancelled:
            return f"export to {self.target} cancelled; no file was written"
        text = f"{self.documents} document(s) with {self.spans} span(s) written to {self.target}"
        if self.lost:
            text += f"; {len(self.lost)} annotation(s) the format cannot hold were left out (listed)"
        return text


class Cancelled(Exception):
    pass


def export(
    project: Project,
    target: str | Path,
    fmt: str = "jsonl",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    only: ExportFilter | None = None,
    model: str | None = None,
    dev_fraction: float = 0.0,
) -> ExportReport:
    """Stream the documents (in a stable order) to ``target``; a cancelled or failed export leaves no file.

    ``model`` names the pipeline whose tokenizer token-based formats use (default: en_core_web_sm)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (known: {', '.join(EXPORT_FORMATS)})")
    form = FORMATS[fmt]
    folder = form.suffix == "" or (fmt == "spacy" and dev_fraction > 0)
    if str(target) == "-" and folder:
        raise ValueError(f"{form.title} is written to a folder, not to standard output; give a folder name")
    report = ExportReport(target="standard output" if str(target) == "-" else str(target))
    if str(target) != "-":
        _refuse_unsafe_target(project, str(target), folder)
    options = _options(project, form, model, dev_fraction)
    records = _records(project, only or ExportFilter(), report, progress, cancel)
    try:
        if folder:
            with _folder_output(target) as out:
                report.lost = form.write(records, out, options)
        else:
            with _output(target) as out:
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
    records = itertools.islice(_records(project, only or ExportFilter(), report, None, None), 1)
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
            if fmt == "spacy":
                parts.append(f"{path.name}: a binary spaCy DocBin of {len(data):,} bytes for the first document")
            else:
                name = f"── {path.name} ──\n" if target.is_dir() else ""
                parts.append(name + _readable(data.decode("utf-8", "replace"), form.suffix))
        text = "\n".join(parts)
        if len(text) > limit:
            text = text[:limit] + " …"
        if fmt == "labelstudio":
            config = labelstudio.config_xml(options.labels, options.attributes, options.label_sets)
            text += f"\n── the labelling config to paste into Label Studio ──\n{config}"
    return text


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
    if form.tokens or form.name == "spacy":
        from annotator.nlp.tokens import tokenizer  # spaCy loads in a second: only when a format needs it

        tokenize = tokenizer(model)
    return ExportOptions(
        tokenize=tokenize,
        labels={str(layer): [label.name for label in schema.labels_of(layer)] for layer in Layer},
        attributes=schema.attributes,
        dev_fraction=dev_fraction,
        label_sets=schema.label_sets,
    )


def _records(
    project: Project,
    only: ExportFilter,
    report: ExportReport,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> Iterator[Record]:
    scanned = 0
    # Written with the cycle collector paused: millions of small objects (spans, records), no cycles
    # among them, all freed by reference counting batch by batch (annotator.core.collecting).
    with cycle_collection_paused():
        for batch in labelled_batches(project):
            if cancel is not None and cancel.is_set():
                raise Cancelled
            scanned += len(batch)
            for doc, spans, relations, statuses, labels in batch:
                if not only.keeps_document(doc, statuses):
                    continue
                record = _record(doc, spans, relations, statuses, only)
                if labels:  # the document's labels: one person's only when the export is one person's
                    mine = [d for d in labels if only.annotator is None or d.annotator == only.annotator]
                    record = replace(record, labels=mine)
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


# What an earlier export to a folder holds; a folder with anything else is never replaced.
EXPORT_FOLDER_FILES = {".txt", ".ann", ".conf", ".spacy", ".json"}


def _refuse_unsafe_target(project: Project, target: str, folder: bool = False) -> None:
    """An export replaces its target: never let that be a project, its journal, or someone's folder."""
    path = Path(target).expanduser()
    if folder:
        if path.is_file():
            raise NotADirectoryError(f"{path} is a file; this format is written to a folder, give a folder name")
        if path.is_dir() and any(p.is_dir() or p.suffix not in EXPORT_FOLDER_FILES for p in path.iterdir()):
            raise ValueError(f"{path} holds files that are not an earlier export; choose an empty or new folder")
        return
    if target.endswith(("/", os.sep)) or path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name to export to")
    resolved = path.resolve()
    if project.path is not None:
        own = {project.path.with_name(project.path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")}
        if resolved in own:
            raise ValueError(f"{resolved} is the project itself; choose another file to export to")
    for suffix in ("-wal", "-shm", "-journal"):
        if resolved.name.endswith(suffix) and resolved.with_name(resolved.name.removesuffix(suffix)).is_file():
            raise ValueError(f"{resolved} belongs to the database beside it; choose another file to export to")
    if resolved.is_file():
        with resolved.open("rb") as existing:
            head = existing.read(16)
        if head == b"SQLite format 3\x00" or head[:4] in (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83"):
            raise ValueError(
                f"{resolved} is a database or its log, perhaps another project; choose another file to export to"
            )


@contextmanager
def _output(target: str | Path) -> Iterator[Path]:
    """A temporary file beside the target for the writer; renamed onto the target once complete."""
    to_stdout = str(target) == "-"
    path = Path(tempfile.gettempdir()) / "annotator-export" if to_stdout else Path(target).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        if to_stdout:
            with temporary.open("rb") as written:
                shutil.copyfileobj(written, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            temporary.unlink()
            return
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def _folder_output(target: str | Path) -> Iterator[Path]:
    """A temporary folder beside the target; it takes the target's name once complete (an earlier
    export there is replaced only then, so a failed export leaves the old one whole)."""
    path = Path(target).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(path)
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    try:
        yield temporary
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
            os.replace(temporary, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


STALE_PART_SECONDS = 3600


def _remove_stale_parts(path: Path) -> None:
    """Temporary files an earlier export to ``path`` left behind when it was killed (an hour old or
    more, so a second export to the same place that is running now keeps its own)."""
    cutoff = time.time() - STALE_PART_SECONDS
    for part in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                shutil.rmtree(part) if part.is_dir() else part.unlink()
        except OSError:
            pass  # another export's, or gone already: not ours to insist on
