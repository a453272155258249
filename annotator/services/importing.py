"""Import articles from files and folders into a project."""

from __future__ import annotations

import logging
import os
import threading
from contextlib import nullcontext
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path

from annotator.core.languages import checked_language, given_language
from annotator.core.checks import checked_attributes, left_folder, outside, whole_characters
from annotator.core.collecting import cycle_collection_paused
from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Span, State, layer_bits
from annotator.core.records import Imported, ImportOptions
from annotator.core.schema import Label, fallback_colour, label_name_problem
from annotator.core.text import newline_map
from annotator.formats.articles import JSONL_SUFFIXES, read_file
from annotator.formats.jsonl import records
from annotator.services import formats
from annotator.services import reading_elsewhere
from annotator.services.document_labels import checked_labels
from annotator.services.reading_elsewhere import ReadAhead
from annotator.services.formats import ARTICLES, IMPORT_FORMATS, detect
from annotator.services.schema import schema_of
from annotator.store.documents import add_documents
from annotator.store.imports import store_imported
from annotator.store.labels import save_schema
from annotator.store.project import Project

log = logging.getLogger(__name__)
_START, _END = attrgetter("start"), attrgetter("end")
BATCH = 1_000  # documents per transaction: bulk speed without holding the write lock for long (~0.1 s)

Progress = Callable[[int], None]  # called with the number of files finished so far


@dataclass
class ImportReport:
    files: int = 0
    added: int = 0
    duplicates: list[str] = field(default_factory=list)  # one line each: which and of what
    problems: list[Problem] = field(default_factory=list)  # errors (skipped input) and warnings
    skipped_files: list[Path] = field(default_factory=list)  # non-article files met in folders
    cancelled: bool = False
    spans: int = 0  # annotations imported
    merged: int = 0  # documents already in the project that received annotations
    already_there: int = 0  # annotations left out because the project had them
    new_labels: list[str] = field(default_factory=list)  # "LAYER:NAME" added to the schema
    unknown_labels: set[tuple[str, str]] = field(default_factory=set)  # (layer, name) reported, not added
    document_labels: int = 0  # labels of whole documents stored
    registry_entries: int = 0  # registry entries added (native JSONL names them)
    registry_aliases: int = 0  # names added to registry entries the project had
    registry_links: int = 0  # imported spans linked to their registry entries

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        parts = [f"{self.added} document{'s' if self.added != 1 else ''} imported from {self.files} file(s)"]
        if self.spans or self.merged:
            parts.append(f"{self.spans} annotation(s)")
        if self.merged:
            parts.append(f"annotations added to {self.merged} document(s) already in the project")
        if self.already_there:
            parts.append(f"{self.already_there} annotation(s) already there")
        if self.document_labels:
            parts.append(f"{self.document_labels} document label(s)")
        if self.registry_entries or self.registry_aliases or self.registry_links:
            parts.append(f"registry: {self.registry_entries} new entr{'y' if self.registry_entries == 1 else 'ies'}, "
                         f"{self.registry_aliases} new alias(es), {self.registry_links} link(s)")
        if self.new_labels:
            parts.append(f"new label(s) {', '.join(self.new_labels)} added to the schema")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate(s) skipped")
        if self.errors:
            parts.append(f"{len(self.errors)} problem(s)")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        if self.skipped_files:
            parts.append(f"{len(self.skipped_files)} other file(s) in folders ignored")
        if self.cancelled:
            parts.append("cancelled (what was read so far is kept)")
        return ", ".join(parts)


FORMATS = formats.FORMATS  # name -> entry, the catalogue's own (a reader swapped in it is the one used)
FORMAT_CHOICES = list(IMPORT_FORMATS)  # the catalogue's (services.formats): ARTICLES is the plain articles
SHAPE_RECORDS = 500  # records compared with the detected format: enough to catch a mixed file, cheap to read


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    encoding: str | None = None,
    fmt: str | None = None,
    add_labels: bool = False,
    annotator: str | None = None,
    annotators: dict[str, str] | None = None,
    language: str | None = None,
    columns: dict | None = None,
) -> ImportReport:
    """Read every file; store documents in batches; report duplicates and problems, never stop on one.

    The format of each file is detected from its suffix and content unless ``fmt`` names it.
    ``encoding`` names the encoding of every article file instead of detecting it. Annotations with
    a label the schema lacks are reported and left out, unless ``add_labels`` adds the labels.
    ``annotator`` names the person whose annotations the files hold where they name nobody (one
    member's file of a doccano export, say): each person's annotations stay their own. ``annotators``
    does so file by file (a path as given -> its person), before ``annotator``. ``language`` (a code:
    de, uk...) is the language of every document whose record names none, instead of the one its script
    suggests: Latin and Cyrillic letters serve many languages. ``columns`` maps a table's columns to
    text, title, date, id and metadata (ImportOptions.columns) for the article formats that read tables."""
    language = None if language is None else checked_language(language)
    if fmt is not None and fmt not in FORMAT_CHOICES:
        raise ValueError(f"unknown import format '{fmt}' (known: {', '.join(FORMAT_CHOICES)})")
    report = ImportReport()
    pending: list[Document] = []
    annotated = _AnnotatedImport(project, report, add_labels, encoding, _person(annotator), language)
    people = {str(Path(path)): _person(name) for path, name in (annotators or {}).items()}
    options = ImportOptions(encoding=encoding, columns=dict(columns or {}))
    items = list(inputs([Path(p) for p in paths], fmt, report.skipped_files))
    slow = [(found, path, options) for path, found in _files_of(items) if formats.entry(found).slow]
    ahead = ReadAhead(slow) if reading_elsewhere.worth_it(len(slow)) else None
    # Millions of small objects while the batches are built, no cycles among them (core.collecting).
    with cycle_collection_paused(), ahead or nullcontext():
        for item in items:
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            if isinstance(item, Problem):
                report.problems.append(item)
                continue
            path, found = item
            report.files += 1
            why = "as --format articles asked"
            if fmt is None and path.suffix.lower() in JSONL_SUFFIXES:
                found, problems = _shape_checked(path, found, encoding)
                why = "its first records decided"
                if found != ARTICLES:  # read as articles, every record of another format is reported below
                    report.problems.extend(problems)
            reader = formats.entry(found)
            if reader.articles:
                read = ahead.take(path) if ahead is not None and reader.slow else None
                _read_articles(project, path, reader, options, pending, report, why, language, read)
            else:
                annotated.read(path, found, cancel, people.get(str(path)))
            if progress:
                progress(report.files)
        _store(project, pending, report, language)
        annotated.flush()
    return report


def _files_of(items: list) -> Iterator[tuple[Path, str]]:
    return (item for item in items if not isinstance(item, Problem))


def _shape_checked(path: Path, chosen: str, encoding: str | None) -> tuple[str, list[Problem]]:
    try:
        return checked_shape(path, chosen, encoding)
    except Exception:  # only a look ahead: the reader says what is wrong with the file, for this file alone
        log.exception("import: checking the records of %s failed", path)
        return chosen, []


def _read_articles(project: Project, path: Path, reader: formats.Entry, options: ImportOptions, pending: list[Document],
                   report: ImportReport, why: str = "its first records decided", language: str | None = None,
                   read_already: list | None = None) -> None:
    """Articles without annotations, from any article format. The plain articles' JSON Lines are
    checked record by record for another format's shape as they are read. ``read_already``: what
    another process read of the file (services.reading_elsewhere)."""
    others = _OtherShapes()
    try:
        if read_already is not None:
            read = read_already
        elif reader.name == ARTICLES:
            read = read_file(path, options.encoding, others)
        else:
            read = reader.read(path, options)
        for article in read:
            if isinstance(article, Problem):
                log.warning("import: %s", article)
                report.problems.append(article)
            else:
                pending.append(article)
                if len(pending) >= BATCH:
                    _store(project, pending, report, language)
    except Exception as exc:  # a reader's own mistake must cost this file only, never the others
        log.exception("import: reading %s failed", path)
        report.problems.append(Problem.at(path, None, f"reading it failed ({type(exc).__name__}: {exc}); the rest "
                                          "of this file is not imported (the log has the details)"))
    report.problems.extend(
        _disagreement(path, shape, numbers, "plain articles, so their annotations were not imported", why)
        for shape, numbers in others.lines.items()
    )


class _OtherShapes:
    """The lines of a JSONL file read as plain articles whose records have an annotated format's shape:
    checked as the articles are read (checked_shape looks at the first records only), never silent."""

    def __init__(self) -> None:
        self.lines: dict[str, list[int]] = {}
        self.shapes = formats.record_shapes()

    def __call__(self, number: int, record: dict) -> None:
        shape = next((name for name, test in self.shapes.items() if test(record)), None)
        if shape is not None:
            self.lines.setdefault(shape, []).append(number)


def _disagreement(path: Path, shape: str, numbers: list[int], read_as: str, why: str) -> Problem:
    lines = ", ".join(map(str, numbers[:5])) + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
    return Problem.note(
        path, numbers[0], f"records disagree on their format: line(s) {lines} look like {formats.entry(shape).title}, "
        f"but the file is read as {read_as} ({why}); if that is wrong, import it again naming the format "
        f"(--format {shape})"
    )


def inputs(
    paths: list[Path], fmt: str | None, skipped: list[Path] | None = None
) -> Iterator[tuple[Path, str] | Problem]:
    """(path, format) for each input: files as given, folders walked in name order without hidden
    files. A folder a format reads whole (brat's, .ann beside .txt) is one input; other files in
    folders that no format reads go to ``skipped``."""
    for path in paths:
        whole = _folder_format(path, fmt) if path.is_dir() else None
        if not path.exists():
            yield Problem.at(path, None, "no such file or folder")
        elif whole is not None:
            yield path, whole
        elif path.is_dir():
            escaped: list[Path] = []
            children = list(_walk(path, escaped=escaped))
            yield from (Problem.at(link, None, left_folder(link, path)) for link in escaped)
            # An article's text beside its standoff file (brat's .txt beside .ann) is read with it, not alone.
            paired = {suffix for e in formats.folder_formats() for suffix in e.suffixes}
            standoff = {child for child in children if child.suffix in paired}
            for child in children:
                found = fmt or detect(child)
                if found is None:
                    if skipped is not None:
                        skipped.append(child)
                elif not (found == ARTICLES and standoff
                          and any(child.with_suffix(suffix) in standoff for suffix in paired)):
                    yield child, found
        else:
            yield path, fmt or detect(path) or ARTICLES  # the article reader says why it cannot read it


def _folder_format(folder: Path, fmt: str | None) -> str | None:
    """The format that reads this folder as one input: the one named, if it reads folders; else the
    first whose files are in it (hidden ones aside)."""
    if fmt is not None:
        named = FORMATS.get(fmt)
        return fmt if named is not None and named.reads_folders else None
    for entry in formats.folder_formats():
        if any(any(_walk(folder, suffix)) for suffix in entry.suffixes):
            return entry.name
    return None


def checked_shape(path: Path, chosen: str, encoding: str | None = None) -> tuple[str, list[Problem]]:
    """The format to read a JSON Lines file with, and a warning for each other format some of its
    first records look like (they would be read wrongly or lose their annotations). A file detected
    as plain articles whose later records all look like one format is read as that format: its
    first records just had no annotations (or the sniffers could not read its encoding)."""
    others: dict[str, list[int]] = {}
    shapes = formats.record_shapes()
    for index, (number, value) in enumerate(records(path, encoding)):
        if index >= SHAPE_RECORDS:
            break
        if not isinstance(value, dict):
            continue
        shape = next((name for name, test in shapes.items() if test(value)), None)
        if shape is not None and shape != chosen:
            others.setdefault(shape, []).append(number)
    if chosen == ARTICLES and len(others) == 1:
        (shape, numbers), = others.items()
        note = f"read as {formats.entry(shape).title}: its first record of that format is line {numbers[0]}"
        return shape, [Problem.note(path, None, note)]
    read_as = "plain articles, without annotations" if chosen == ARTICLES else formats.entry(chosen).title
    return chosen, [_disagreement(path, shape, numbers, read_as, "its first records decided")
                    for shape, numbers in others.items()]


def _newlines_normalised(item: Imported) -> Imported:
    """CRLF and CR become LF as in every article (Qt folds CRLF into one character), with each span
    and cue moved along so it stays on its words."""
    text, moved = newline_map(item.document.text)
    if text is item.document.text:
        return item
    spans = []
    for span in item.spans:
        attributes = span.attributes
        cue = attributes.get("cue")
        if isinstance(cue, list) and len(cue) == 2 and all(isinstance(v, int) for v in cue):
            attributes = {**attributes, "cue": [moved(cue[0]), moved(cue[1])]}
        spans.append(span.with_changes(start=moved(span.start), end=moved(span.end), attributes=attributes))
    return replace(item, document=replace(item.document, text=text), spans=spans)


def _walk(folder: Path, suffix: str | None = None, escaped: list[Path] | None = None) -> Iterator[Path]:
    """The files in a folder and its subfolders (not into linked folders), hidden ones and those in
    hidden folders left out, in path order. One directory listing per folder: no stat per file (a
    folder of 10,000 articles took a fifth of its import to walk with rglob). A linked file or
    folder that leads out of the folder goes to ``escaped`` instead (only links are resolved)."""
    found: list[Path] = []
    waiting = [folder]
    while waiting:
        try:
            entries = list(os.scandir(waiting.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                waiting.append(Path(entry.path))
            elif entry.is_symlink() and entry.is_dir() and outside(Path(entry.path), folder):
                if escaped is not None:  # a linked folder is never entered; one leading out is said so
                    escaped.append(Path(entry.path))
            elif entry.is_file() and (suffix is None or entry.name.endswith(suffix)):
                if entry.is_symlink() and outside(Path(entry.path), folder):
                    if escaped is not None:
                        escaped.append(Path(entry.path))
                    continue
                found.append(Path(entry.path))
    yield from sorted(found, key=_path_order)


def _path_order(path: Path) -> tuple[str, ...]:
    """The order of sorted(paths): part by part (case-blind on Windows, as pathlib compares there)."""
    return tuple(os.path.normcase(part) for part in path.parts)


class _AnnotatedImport:
    """Documents with annotations: checked against the text and the schema, stored in batches."""

    def __init__(self, project: Project, report: ImportReport, add_labels: bool, encoding: str | None = None,
                 annotator: str | None = None, language: str | None = None) -> None:
        self.project = project
        self.language = language
        self.annotator = annotator
        self.there_before = self.added_before = 0  # already there, and new, on documents stored before
        self.report = report
        self.add_labels = add_labels
        self.schema = schema_of(project)
        self.known = {(str(label.layer), label.name) for label in self.schema.labels}
        self.options = ImportOptions(
            layers={label.name: label.layer for label in self.schema.labels},
            encoding=encoding,
            label_sets={s.name: s for s in self.schema.label_sets},
        )
        self.pending: list[Imported] = []

    def read(self, path: Path, fmt: str, cancel: threading.Event | None, person: str | None = None) -> None:
        """One file; ``person``: whose its annotations are where it names nobody (else the import's)."""
        person = person or self.annotator
        # One member's file of a doccano export names nobody: a second member's spans would merge into
        # the first's. Said so when it happens (the file's batches are stored on their own to tell).
        if not formats.entry(fmt).files_per_person or path.suffix.lower() == ".zip" or person is not None:
            self._read(path, fmt, cancel, person)
            return
        self.flush()
        self.there_before = self.added_before = 0
        self._read(path, fmt, cancel, person)
        self.flush()
        # Some of its spans there already and some new, on the same stored articles: a second person's
        # file of those articles (the same file again has none new, and says nothing).
        if self.there_before and self.added_before:
            self.report.problems.append(Problem.note(
                path, None, f"{self.there_before} of its annotations were already there, on articles the project held, "
                f"beside {self.added_before} new: if it is one person's file of a doccano export, import the "
                "export's .zip instead, or the members' files together from the window, or each naming its person "
                "(annotator import --annotator NAME), so each person keeps their own annotations"
            ))

    def _read(self, path: Path, fmt: str, cancel: threading.Event | None, person: str | None) -> None:
        form = formats.entry(fmt)
        reader = form.read
        line = None
        try:
            for item in reader(path, self.options):
                if isinstance(item, Problem):
                    self.report.problems.append(item)
                    line = item.line if item.line is not None else line
                    continue
                line = item.line
                if person is not None:
                    item = _named(item, person)
                self.pending.append(self._checked(item))
                if len(self.pending) >= BATCH:
                    self.flush()
                    if cancel is not None and cancel.is_set():
                        self.report.cancelled = True
                        return
        except (OSError, ValueError) as exc:  # a file the reader cannot make sense of at all
            self.report.problems.append(Problem.at(path, None, f"not imported as {form.title}: {exc}"))
        except Exception as exc:  # a reader's own mistake must cost this file only, never the others
            log.exception("import: reading %s as %s failed", path, fmt)
            after = f" after line {line}" if line else ""
            self.report.problems.append(
                Problem.at(path, None, f"reading it as {form.title} failed{after} ({type(exc).__name__}: "
                           f"{exc}); the rest of this file is not imported (the log has the details)")
            )

    def _checked(self, item: Imported) -> Imported:
        item = _newlines_normalised(item)
        spans, widened = whole_characters(item.spans, item.document.text)
        if widened:  # one warning per record: the file's offsets cut characters (docs/formats.md)
            self.report.problems.append(Problem.note(item.path, item.line, widened))
            item = replace(item, spans=spans)
        text, known = item.document.text, self.known
        length = len(text)
        # The usual record: no attributes, every span inside the text, every label in the schema. One
        # pass finds that out (a label's layer is a str enum: it looks up as its value); any other
        # record goes through the pass that says what is wrong with each span.
        kept = [span for span in item.spans
                if span.attributes.__class__ is dict and not span.attributes
                and 0 <= span.start < span.end <= length and (span.layer, span.label) in known]
        if len(kept) < len(item.spans):
            kept = self._each_checked(item, text)
        if not self.schema.nested_entities:  # per annotator: two people's spans may overlap each other
            if len({span.annotator for span in kept}) > 1:
                by_annotator: dict[str | None, list[Span]] = {}
                for span in kept:
                    by_annotator.setdefault(span.annotator, []).append(span)
                kept = [s for group in by_annotator.values() for s in self._without_nesting(item, group)]
            else:
                kept = self._without_nesting(item, kept)
        relations = item.relations
        if relations:
            uids = {s.uid for s in kept}
            relations = [r for r in relations if r.head in uids and r.tail in uids]
        document = item.document
        if kept:
            # The layers it came with are done: pre-annotation would only pile a model's guesses on top.
            brought = layer_bits({s.layer for s in kept})
            if brought & ~document.suggested_layers:
                document = replace(document, suggested_layers=document.suggested_layers | brought)
            entity = next((s for s in kept if s.layer == Layer.ENTITY), None)
            if document.suggested_by is None and entity is not None:
                document = replace(document, suggested_by=entity.origin)
        labels = checked_labels(self, item) if item.labels else []
        return replace(item, document=document, spans=kept, relations=relations, labels=labels)

    def _each_checked(self, item: Imported, text: str) -> list[Span]:
        kept, unknown, known, length = [], set(), self.known, len(text)
        for span in item.spans:
            if span.attributes.__class__ is not dict or span.attributes:  # most spans have none to check
                span, notes = checked_attributes(span, text)
                for note in notes:
                    self._problem(item, note)
            if not 0 <= span.start < span.end <= length:
                self._problem(
                    item, f"{span.label} at {span.start}-{span.end} is outside the text (0-{length}); left out"
                )
                continue
            key = (str(span.layer), span.label)
            if key not in known:
                if not self.add_labels:
                    unknown.add(key)
                    continue
                refused = label_name_problem(span.label, span.layer)
                if refused:
                    self._problem(item, f"{refused}; not added to the schema, the annotation is left out")
                    continue
                self._add_label(span.layer, span.label)
            kept.append(span)
        self.report.unknown_labels |= unknown
        for layer, label in sorted(unknown):
            count = sum(1 for s in item.spans if (str(s.layer), s.label) == (layer, label))
            self._problem(
                item,
                f"label '{label}' ({layer}) is not in the project's schema; {count} annotation(s) left out "
                "(add the label in Project > Label Schema, or import with --add-labels)",
            )
        return kept

    def _without_nesting(self, item: Imported, spans: list[Span]) -> list[Span]:
        """Entities may not overlap when the schema says so: the first (the longer, if they start
        together) stays, each other one is reported and left out.

        One sweep in start order: the entities kept do not overlap each other, so their ends grow
        with their starts and only the last one kept can reach past a later start (every span here
        has start < end). Checking each against all kept ones took 6 s on an article of 20,000."""
        text, kept, last, entity = item.document.text, [], None, Layer.ENTITY
        # In (start, longest first) order, ties as they came: two stable sorts on C keys, quicker than one
        # sort on a Python key.
        for span in sorted(sorted(spans, key=_END, reverse=True), key=_START):
            if span.layer == entity:
                if last is not None and span.start < last.end:
                    self._problem(
                        item,
                        f"{span.label} '{text[span.start : span.end]}' at {span.start}-{span.end} overlaps "
                        f"{last.label} '{text[last.start : last.end]}' at {last.start}-{last.end}, and the "
                        "schema does not allow nested entities; left out",
                    )
                    continue
                last = span
            kept.append(span)
        return kept

    def _problem(self, item: Imported, message: str) -> None:
        self.report.problems.append(Problem.at(item.path, item.line, message))

    def _add_label(self, layer: Layer, name: str) -> None:
        self.known.add((str(layer), name))
        self.schema = replace(self.schema, labels=(*self.schema.labels, Label(name, layer, fallback_colour(name))))
        self.report.new_labels.append(f"{layer}:{name}")
        save_schema(self.project, self.schema)  # before the spans that use it, so none is ever unknown

    def flush(self) -> None:
        if not self.pending:
            return
        if self.language is not None:
            self.pending = [replace(item, document=in_language(item.document, self.language)) for item in self.pending]
        stored = store_imported(self.project, self.pending)
        self.report.added += stored.added
        self.report.spans += stored.spans
        self.report.merged += len(stored.merged)
        self.report.already_there += stored.already_there
        self.there_before += stored.there_before
        self.added_before += stored.added_before
        self.report.document_labels += stored.labels
        self.report.registry_entries += stored.registry_entries
        self.report.registry_aliases += stored.registry_aliases
        self.report.registry_links += stored.registry_links
        self.report.problems.extend(stored.registry_problems)
        self.pending.clear()


def _person(name: str | None) -> str | None:
    return (name or "").strip() or None


def member_files(paths: Iterable[str | Path]) -> dict[str, str]:
    """Of the files chosen for an import, those that look like the members' files of one doccano export
    (two or more doccano JSON Lines files: the export's .zip holds one per person, named after them),
    each with the name of its file as its person; empty if fewer than two."""
    candidates = [Path(path) for path in paths if Path(path).suffix.lower() in JSONL_SUFFIXES]
    if len(candidates) < 2:  # the usual import: no file is opened to tell (this runs on the window's thread)
        return {}
    found = {str(path): path.stem for path in candidates if path.is_file() and _per_person(detect(path))}
    return found if len(found) >= 2 and len(set(found.values())) == len(found) else {}


def _per_person(name: str | None) -> bool:
    return name is not None and formats.entry(name).files_per_person


def _named(item: Imported, who: str) -> Imported:
    """The item with its spans and document labels that name nobody given to ``who``; a model's unreviewed
    suggestions stay nobody's (they are not that person's work)."""
    spans = [span if span.annotator is not None or span.state == State.SUGGESTED else replace(span, annotator=who)
             for span in item.spans]
    labels = [label if label.annotator is not None else replace(label, annotator=who) for label in item.labels]
    return replace(item, spans=spans, labels=labels)


def in_language(doc: Document, language: str) -> Document:
    """The document, its language named in its meta unless its source named one (kept when exported)."""
    if given_language(doc.meta) is not None:
        return doc
    return replace(doc, meta={**doc.meta, "language": language})


def _store(project: Project, pending: list[Document], report: ImportReport, language: str | None = None) -> None:
    if not pending:
        return
    if language is not None:
        pending[:] = [in_language(doc, language) for doc in pending]
    result = add_documents(project, pending)
    report.added += len(result.added)
    report.duplicates.extend(
        f"{doc.source or doc.title}: same text as '{kept}', skipped" for doc, kept in result.duplicates
    )
    pending.clear()


def count_files(paths: Iterable[str | Path], fmt: str | None = None) -> int:
    """How many files an import will read (for a progress bar's total)."""
    return sum(1 for item in inputs([Path(p) for p in paths], fmt) if not isinstance(item, Problem))
