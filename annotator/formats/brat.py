"""brat standoff: a folder with ``<name>.txt`` (the text) and ``<name>.ann`` (the annotations) per
document, a ``<name>.json`` sidecar with the document's title, date, source and meta, and one
``annotation.conf`` for the whole folder. docs/formats.md describes the mapping.

brat counts offsets in code points, like Annotator. Its ``.ann`` lines cannot hold a line break,
so a span across lines is written as fragments split at the breaks and joined again on reading.
Statements are Attribution events, as PolNeAR has them (brat_attribution). Reading also takes
PolNeAR's layout: ``attributions/<doc>_<annotator>.ann`` beside ``text/<doc>.txt``, a
``metadata*.tsv`` with a ``filename`` column giving each document's title, date and publisher.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote

import orjson

from annotator.core.checks import DAY, left_folder, outside
from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Relation, Span, State, new_uid
from annotator.core.records import (
    ExportOptions,
    Imported,
    ImportOptions,
    Record,
    origin_of_import,
)
from annotator.core.vocabulary import SPEAKER, STATEMENT_OF
from annotator.formats import brat_attribution as attribution
from annotator.formats.brat_attribution import CONTENT, CUE, EVENT_TYPES, LABEL, SET_ASIDE, SOURCE, shown
from annotator.formats.entry import Entry

CONF = "annotation.conf"
# Files of earlier versions link a statement to its Cue span by HasCue (read, no longer written).
CUE_RELATION = "has_cue"
SUGGESTED = "Suggested"  # attribute marking a model's suggestion; its value is the model
# Free-text attributes go in brat's comment lines (attribute values are single words).
NOTES = {"note": "AnnotatorNotes", "speaker_text": "SpeakerText"}
NOTE_KEYS = {kind: key for key, kind in NOTES.items()}
BUILT_IN_RELATIONS = {SPEAKER, STATEMENT_OF, CUE_RELATION}
BUILT_IN_ATTRIBUTES = {"kind", "checkworthiness", "claim_type"}
# What str.splitlines splits on: none of these may appear inside an .ann line.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
UNSAFE = set("%_|,:=;#") | set(LINE_BREAKS)
NAME_LINE = re.compile(r"^[TREAMN#*]\d*\t")


# ---------------------------------------------------------------- names and values


def encode(value: str) -> str:
    """An attribute value as one word: spaces become _ and other unsafe characters (_ too) %XX.

    Reversible, so "check-worthy factual" is written check-worthy_factual and read back as it was."""
    return "".join("_" if char == " " else _escaped(char, UNSAFE) for char in value)


def decode(value: str) -> str:
    return unquote(value.replace("_", " "))


def encode_type(label: str) -> str:
    """A label as a brat type: _ stays _ (spaCy's WORK_OF_ART), a space is %20."""
    return "".join(_escaped(char, UNSAFE - {"_"}) for char in label)


def decode_type(name: str) -> str:
    return unquote(name)


def _escaped(char: str, unsafe: set[str]) -> str:
    if char in unsafe or char.isspace() or not char.isprintable():
        return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    return char


def brat_name(key: str) -> str:
    """claim_type -> ClaimType, speaker -> Speaker: brat's relation and attribute names."""
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def key_of(name: str) -> str:
    """ClaimType -> claim_type: the inverse of brat_name for snake_case keys."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def escape_note(text: str) -> str:
    # Notes run to the end of the line; a line break or tab inside one is written as \n or \t.
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def unescape_note(text: str) -> str:
    return re.sub(r"\\([\\ntr])", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), text)


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of start-end between line breaks (brat cannot have a break inside a span's text)."""
    pieces, piece_start = [], None
    for index in range(start, end):
        if text[index] in LINE_BREAKS:
            if piece_start is not None:
                pieces.append((piece_start, index))
                piece_start = None
        elif piece_start is None:
            piece_start = index
    if piece_start is not None:
        pieces.append((piece_start, end))
    return pieces


def file_stem(index: int, title: str) -> str:
    """00001_armenian-foreign-minister: the record's place keeps brat's file list in export order and
    makes the name unique; the title's slug makes it readable. ASCII only, so any file system takes it."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:40].strip("-")
    return f"{index:05d}_{slug or 'document'}"


# ---------------------------------------------------------------- writing


@dataclass
class Used:
    """Types, relations and attribute values the export used, for annotation.conf."""

    labels: dict[Layer, list[str]] = field(default_factory=lambda: {layer: [] for layer in Layer})
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> {"layers": [...], "values": [...]}
    relations: list[str] = field(default_factory=list)

    def label(self, layer: Layer, label: str) -> None:
        if label not in self.labels[layer]:
            self.labels[layer].append(label)

    def attribute(self, key: str, layer: Layer | None, value: str | None) -> None:
        entry = self.attributes.setdefault(key, {"layers": [], "values": []})
        if layer is not None and layer not in entry["layers"]:
            entry["layers"].append(layer)
        if value is not None and value not in entry["values"]:
            entry["values"].append(value)


def write(records: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    problems: list[Problem] = []
    used = Used()
    label = attribution.statement_label(options.labels)
    for index, record in enumerate(records, start=1):
        stem = file_stem(index, record.document.title)
        problems.extend(write_document(record, target / stem, used, label))
    (target / CONF).write_text(conf_text(used, options), encoding="utf-8")
    return problems


def write_document(record: Record, stem: Path, used: Used, label: str = "STATEMENT") -> list[Problem]:
    doc = record.document
    name = doc.title or doc.uid
    # Bytes, so no newline translation: the offsets depend on every character.
    stem.with_suffix(".txt").write_bytes(doc.text.encode("utf-8", "surrogatepass"))
    meta = {"title": doc.title, "date": doc.date, "source": doc.source, "meta": doc.meta}
    stem.with_suffix(".json").write_bytes(orjson.dumps(meta, option=orjson.OPT_NON_STR_KEYS))
    with stem.with_suffix(".ann").open("w", encoding="utf-8", newline="\n") as out:
        writer = AnnWriter(doc.text, out, used, label)
        for span in record.spans:
            writer.span(span)
        events = attribution.write_attributions(writer, record)
        for relation in record.relations:
            if not (relation.label == SPEAKER and relation.head in events):  # an event's Source says it
                writer.relation(relation)
    return [Problem.note(name, None, message) for message in writer.problems]


class AnnWriter:
    """Writes one .ann file: T, R, A, # and E lines numbered as they come. A statement is a Content
    span; its cue and speakers are written with its Attribution event once all spans are."""

    def __init__(self, text: str, out: IO[str], used: Used, label: str = "STATEMENT") -> None:
        self.text, self.out, self.used, self.label = text, out, used, label
        self.counts: dict[str, int] = {}
        self.ids: dict[str, str] = {}  # span uid -> T id
        self.cues: dict[str, tuple[int, int]] = {}  # statement uid -> its cue, checked
        self.problems: list[str] = []

    def next_id(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind}{self.counts[kind]}"

    def text_bound(
        self, kind: str, start: int, end: int, name: str | None = None, quiet: bool = False
    ) -> str | None:
        """A T line of type ``kind``; what brat cannot show is reported under ``name`` (the span's label),
        unless ``quiet``: a Source or trigger repeats a range already reported."""
        name = name or kind
        pieces = fragments(self.text, start, end)
        if not pieces:
            if not quiet:
                self.problems.append(f"{name} at {start}-{end} has only line breaks; brat cannot show it, left out")
            return None
        if (pieces[0][0], pieces[-1][1]) != (start, end) and not quiet:
            self.problems.append(
                f"{name} at {start}-{end} begins or ends with a line break; written as {pieces[0][0]}-{pieces[-1][1]}"
            )
        tid = self.next_id("T")
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        words = " ".join(self.text[s:e] for s, e in pieces)
        self.out.write(f"{tid}\t{encode_type(kind)} {offsets}\t{words}\n")
        return tid

    def span(self, span: Span) -> None:
        statement = span.layer == Layer.STATEMENT
        tid = self.text_bound(CONTENT if statement else span.label, span.start, span.end, span.label)
        if tid is None:
            return
        self.ids[span.uid] = tid
        self.used.label(span.layer, span.label)
        if statement and span.label != self.label:  # the project's first statement label goes without saying
            self.attribute_line(LABEL, tid, span.label)
        if span.state == State.SUGGESTED:
            # The model's name as a type name: en_core_web_sm keeps its underscores.
            self.out.write(f"{self.next_id('A')}\t{SUGGESTED} {tid} {encode_type(span.origin or 'model')}\n")
            self.used.attribute("suggested", None, span.origin or "model")
        for key, value in span.attributes.items():
            self.span_attribute(span, tid, key, value)

    def span_attribute(self, span: Span, tid: str, key: str, value: Any) -> None:
        if value is None:
            return
        if key == "cue":
            self.cue(span, value)
        elif key in NOTES and isinstance(value, str):
            self.out.write(f"{self.next_id('#')}\t{NOTES[key]} {tid}\t{escape_note(value)}\n")
        elif key_of(brat_name(key)) != key or key in ("suggested", "label"):
            self.problems.append(
                f"attribute {key!r} of {span.label} at {span.start}-{span.end} has no brat name; left out"
            )
        elif value is True:
            self.attribute_line(brat_name(key), tid, None)
            self.used.attribute(key, span.layer, None)
        elif isinstance(value, str):
            self.attribute_line(brat_name(key), tid, value)
            self.used.attribute(key, span.layer, value)
        elif value is not False:
            self.problems.append(f"attribute {key!r} of {span.label} at {span.start}-{span.end} is not text; left out")

    def attribute_line(self, name: str, tid: str, value: str | None) -> None:
        tail = f" {encode(value)}" if value is not None else ""
        self.out.write(f"{self.next_id('A')}\t{name} {tid}{tail}\n")

    def cue(self, span: Span, cue: Any) -> None:
        where = f"the {span.layer} at {span.start}-{span.end}"  # not its label: the span itself is written
        ok = isinstance(cue, list | tuple) and len(cue) == 2 and all(isinstance(x, int) for x in cue)
        if span.layer != Layer.STATEMENT:
            self.problems.append(f"the cue of {where} is lost: in brat only statements have cues")
        elif not ok or not 0 <= cue[0] < cue[1] <= len(self.text):
            self.problems.append(f"the cue {cue!r} of {where} is not in the text; left out")
        else:
            self.cues[span.uid] = (cue[0], cue[1])

    def relation(self, relation: Relation) -> None:
        head, tail = self.ids.get(relation.head), self.ids.get(relation.tail)
        if head is None or tail is None:
            return  # a span left out above, already reported
        if key_of(brat_name(relation.label)) != relation.label:
            self.problems.append(f"relation {relation.label!r} has no brat name; left out")
            return
        if relation.label not in self.used.relations:
            self.used.relations.append(relation.label)
        self.out.write(f"{self.next_id('R')}\t{brat_name(relation.label)} Arg1:{head} Arg2:{tail}\n")


def conf_text(used: Used, options: ExportOptions) -> str:
    """annotation.conf: the schema's labels and attribute values plus any the export used. Statements
    are Content spans of Attribution events; their labels are the values of the Label attribute."""
    labels = {
        layer: _merge(options.labels.get(str(layer), []), used.labels[layer]) or [default]
        for layer, default in ((Layer.ENTITY, "ENTITY"), (Layer.STATEMENT, "STATEMENT"), (Layer.CLAIM, "CLAIM"))
    }
    types = {layer: "|".join(encode_type(label) for label in names) for layer, names in labels.items()}
    types[Layer.STATEMENT] = CONTENT
    lines = ["# Written by Annotator. Types, relations and attributes of its statement model.", "[entities]"]
    spans = [encode_type(label) for label in labels[Layer.ENTITY] + labels[Layer.CLAIM]]
    lines += _merge(spans, [CONTENT, SOURCE, CUE])
    lines += ["", "[relations]", f"{brat_name(STATEMENT_OF)}\tArg1:{types[Layer.CLAIM]}, Arg2:{CONTENT}"]
    if SPEAKER in used.relations:  # from a span that is no statement: statements name theirs in their event
        lines.append(f"{brat_name(SPEAKER)}\tArg1:<ENTITY>, Arg2:{types[Layer.ENTITY]}")
    for label in used.relations:
        if label not in BUILT_IN_RELATIONS:
            lines.append(f"{brat_name(label)}\tArg1:<ENTITY>, Arg2:<ENTITY>")
    # Entities inside statements and claims inside statements overlap; brat must allow it.
    lines += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]"]
    lines += [attribution.EVENT_DECLARATION, "", "[attributes]"]
    default = attribution.statement_label(options.labels)
    others = [label for label in labels[Layer.STATEMENT] if label != default]
    if others:
        lines.append(f"{LABEL}\tArg:{CONTENT}, Value:{'|'.join(encode(label) for label in others)}")
    lines += attribute_lines(used, options, types)
    return "\n".join(lines) + "\n"


def attribute_lines(used: Used, options: ExportOptions, types: dict[Layer, str]) -> list[str]:
    lines = []
    schema: dict[str, tuple[Layer, list[str]]] = {}
    for layer_name, choices in (options.attributes or {}).items():
        for key, values in (choices or {}).items():
            if layer_name in set(Layer) and isinstance(values, list) and key not in NOTES:
                schema[key] = (Layer(layer_name), [str(v) for v in values])
    keys = _merge(list(schema), list(used.attributes))
    for key in keys:
        if key == "suggested":
            continue
        layers = _merge([schema[key][0]] if key in schema else [], used.attributes.get(key, {}).get("layers", []))
        values = _merge(schema[key][1] if key in schema else [], used.attributes.get(key, {}).get("values", []))
        args = "|".join(types[layer] for layer in layers) or "<ENTITY>"
        tail = f", Value:{'|'.join(encode(v) for v in values)}" if values else ""
        lines.append(f"{brat_name(key)}\tArg:{args}{tail}")
    models = used.attributes.get("suggested", {}).get("values", [])
    if models:
        lines.append(f"{SUGGESTED}\tArg:<ENTITY>, Value:{'|'.join(encode_type(v) for v in models)}")
    return lines


def _merge(first: list, second: list) -> list:
    return first + [item for item in second if item not in first]


# ---------------------------------------------------------------- reading


def sniff(path: Path) -> bool:
    if path.is_dir():
        return next(path.rglob("*.ann"), None) is not None
    if path.suffix == ".txt":
        return path.with_suffix(".ann").is_file()
    if path.suffix != ".ann":
        return False
    try:
        with path.open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
    except (OSError, UnicodeDecodeError):
        return False
    return not first or bool(NAME_LINE.match(first))


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    """A brat folder (every .ann in it and below, in name order) or one .ann or .txt file."""
    catalogue = attribution.Catalogue()
    if path.is_dir():
        anns = sorted(path.rglob("*.ann"))
        yield from (Problem.at(link, None, left_folder(link, path)) for link in linked_folders_out(path))
        if not anns:
            yield Problem.at(path, None, "expected .ann files (brat standoff) in this folder; found none")
        for ann in anns:
            txt, _ = attribution.text_of(ann)
            # A text in text/ beside the folder read (PolNeAR's attributions/ chosen) may lie outside it.
            home = path if txt.parent.is_relative_to(path) else ann.parent.parent
            linked = next((f for f, root in ((ann, path), (txt, home)) if f.exists() and outside(f, root)), None)
            if linked is not None:
                yield Problem.at(linked, None, left_folder(linked, path))
                continue
            yield from read_document(ann, options, declared_names(ann, path), catalogue, path)
    else:
        ann = path.with_suffix(".ann")
        yield from read_document(ann, options, declared_names(ann, path.parent), catalogue, path.parent)


def linked_folders_out(folder: Path) -> list[Path]:
    """Linked folders in ``folder`` or below that lead out of it: not read (rglob does not follow
    linked folders), and said so, since the files in them would otherwise vanish without a word."""
    found = []
    for parent, names, _ in os.walk(folder):  # os.walk lists linked folders but does not enter them
        for name in names:
            child = Path(parent, name)
            if child.is_symlink() and outside(child, folder):
                found.append(child)
    return sorted(found)


def declared_names(ann: Path, root: Path) -> set[str]:
    """Relation and attribute names listed in the annotation.conf brat would use for this file:
    the nearest one in the file's folder or above it, up to ``root``."""
    folder = ann.parent
    while True:
        conf = folder / CONF
        if conf.is_file():
            return conf_names(conf)
        if folder == root or folder.parent == folder or root not in folder.parents:
            return set()
        folder = folder.parent


def conf_names(conf: Path) -> set[str]:
    names, section = set(), ""
    try:
        lines = conf.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return names
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        elif stripped and not stripped.startswith("#") and section in ("relations", "attributes"):
            names.add(stripped.split()[0])
    return names


def read_document(
    ann: Path,
    options: ImportOptions,
    declared: set[str],
    catalogue: attribution.Catalogue | None = None,
    root: Path | None = None,
) -> Iterator[Imported | Problem]:
    txt, annotator = attribution.text_of(ann)
    # brat's own files are UTF-8; a named encoding reads files another tool wrote (offsets stay code points)
    encoding = options.encoding or "utf-8"
    expected = "UTF-8 (brat's encoding; name another with --encoding)" if options.encoding is None else encoding
    try:
        text = txt.read_bytes().decode(encoding)
    except OSError as exc:
        doc = ann.stem.rpartition("_")[0]
        elsewhere = f" (or {doc}.txt beside it or in ../text/)" if doc else ""
        yield Problem.at(
            txt, None, f"expected the text of {ann.name} here{elsewhere}; cannot read it ({exc.strerror or exc})"
        )
        return
    except UnicodeDecodeError as exc:
        yield Problem.at(txt, None, f"expected {expected} text; bad byte at {exc.start}")
        return
    except LookupError:
        yield Problem.at(txt, None, f"not imported: '{encoding}' is not an encoding Python knows")
        return
    lines: list[str] = []  # a .txt without its .ann is a text without annotations
    try:
        if ann.exists():
            lines = ann.read_bytes().decode(encoding).split("\n")
    except OSError as exc:
        yield Problem.at(ann, None, f"cannot be read ({exc.strerror or exc}); expected brat annotations")
        return
    except UnicodeDecodeError as exc:
        yield Problem.at(ann, None, f"expected {expected}; bad byte at {exc.start}")
        return
    row = (catalogue or attribution.Catalogue()).row(txt, root or ann.parent)
    sidecar = txt.with_suffix(".json").is_file()  # Annotator's export: its statements say their kind
    reader = AnnReader(ann, text, options, declared, annotator, derive_kind=not sidecar)
    yield from reader.read(lines)
    yield from reader.unlinked_cues()
    spans = reader.spans()
    yield from reader.set_aside
    yield Imported(document(txt, text, row), spans, reader.relations, str(ann), None)


# Columns of a catalogue row that become the document's title, date and source rather than its meta.
CATALOGUE_FIELDS = {"title": "title", "publication_date": "date", "publisher": "source"}


def document(txt: Path, text: str, row: dict[str, str] | None = None) -> Document:
    """The document, with the title, date, source and meta of the sidecar Annotator writes, else of
    the catalogue's row for it (PolNeAR's metadata), else its file name for title and source."""
    sidecar: dict[str, Any] = {}
    try:
        loaded = orjson.loads(txt.with_suffix(".json").read_bytes())
        sidecar = loaded if isinstance(loaded, dict) else {}
    except (OSError, orjson.JSONDecodeError):
        pass
    if not sidecar and row:
        listed = {
            CATALOGUE_FIELDS.get(key, key): value
            for key, value in row.items()
            if isinstance(key, str) and isinstance(value, str) and value not in ("", "None")
        }
        date = listed.pop("date", None)
        sidecar = {
            "title": listed.pop("title", None),
            "date": date if date and DAY.fullmatch(date) else None,
            "source": listed.pop("source", None),
            "meta": listed,
        }
    meta = sidecar.get("meta")
    return Document(
        text=text,
        title=str(sidecar.get("title") or txt.stem),
        date=sidecar.get("date") if isinstance(sidecar.get("date"), str) else None,
        source=str(sidecar.get("source") or txt.name),
        meta=dict(meta) if isinstance(meta, dict) else {},
    )


@dataclass
class Bound:
    """A T line read: its offsets, label and what other lines add to it."""

    start: int
    end: int
    label: str
    line: int
    words: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    model: str | None = None  # set by the Suggested attribute
    named: str | None = None  # set by the Label attribute: the label of the statement a Content span is
    uid: str = field(default_factory=new_uid)


class AnnReader:
    def __init__(
        self,
        ann: Path,
        text: str,
        options: ImportOptions,
        declared: set[str],
        annotator: str | None = None,
        derive_kind: bool = True,
    ) -> None:
        self.ann, self.text, self.options, self.declared = ann, text, options, declared
        self.annotator, self.derive_kind = annotator, derive_kind
        self.bounds: dict[str, Bound] = {}
        self.relations: list[Relation] = []
        self.attributions: list[attribution.Attribution] = []
        self.consumed: set[str] = set()  # uids of the bounds events use or HasCue links: no spans of their own
        self.set_aside: list[Problem] = []  # what spans() leaves out, and why

    def problem(self, line: int, message: str) -> Problem:
        return Problem.at(self.ann, line, message)

    def read(self, lines: list[str]) -> Iterator[Problem]:
        # T lines first: R, A, # and E lines may name T ids that come later in the file.
        numbered = self.logical_lines(lines)
        for number, line in numbered:
            if line.startswith("T"):
                yield from self.text_bound(number, line)
        handlers = {"R": self.relation, "A": self.attribute, "M": self.attribute, "#": self.note, "E": self.event}
        for number, line in numbered:
            kind = line[:1]
            if kind in handlers:
                yield from handlers[kind](number, line)
            elif kind != "T":
                yield self.problem(
                    number, f"expected T, R, E, A or # lines; {kind} lines (normalisations, equivalences) are not read"
                )

    def logical_lines(self, lines: list[str]) -> list[tuple[int, str]]:
        """The non-blank lines with their numbers. A T line whose text holds a line break runs on over
        the next lines (brat writes the text as it is; PolNeAR has a few): they are joined back."""
        numbered, index = [], 0
        while index < len(lines):
            extra = self.runs_on(lines, index)
            line = "\n".join(lines[index : index + extra + 1]).rstrip("\r")
            if line.strip():
                numbered.append((index + 1, line))
            index += extra + 1
        return numbered

    def runs_on(self, lines: list[str], index: int) -> int:
        """How many lines after lines[index] belong to its text (0 for all but such a T line)."""
        parts = lines[index].split("\t", 2)
        match = TEXT_BOUND.fullmatch(parts[1]) if len(parts) == 3 and parts[0].startswith("T") else None
        pieces = offsets(match[2]) if match else []
        if not pieces or any(not 0 <= s < e <= len(self.text) for s, e in pieces):
            return 0
        words = " ".join(self.text[s:e] for s, e in pieces)
        extra = words.count("\n")
        if extra and "\n".join(lines[index : index + extra + 1]).rstrip("\r").split("\t", 2)[2] == words:
            return extra
        return 0

    def text_bound(self, number: int, line: str) -> Iterator[Problem]:
        parts = line.split("\t", 2)
        match = TEXT_BOUND.fullmatch(parts[1]) if len(parts) == 3 else None
        if match is None:
            yield self.problem(number, "expected 'T<n><TAB>TYPE START END<TAB>text'")
            return
        pieces = offsets(match[2])
        if any(not 0 <= s < e <= len(self.text) for s, e in pieces):
            yield self.problem(number, f"expected offsets within the text (0-{len(self.text)}), found {match[2]}")
            return
        found = " ".join(self.text[s:e] for s, e in pieces)  # in the order written, which brat keeps
        if found != parts[2]:
            yield self.problem(
                number,
                f"its text {parts[2]!r} is not the text at {match[2]} in the .txt ({found!r})",
            )
            return
        label = decode_type(match[1])
        ordered = sorted(pieces)
        gaps = [self.text[e:s] for (_, e), (s, _) in zip(ordered, ordered[1:], strict=False)]
        if any(gap.strip() for gap in gaps) and label not in SET_ASIDE:
            yield Problem.note(self.ann, number, "a discontinuous span is read as one span over its gaps")
        start, end = ordered[0][0], max(e for _, e in pieces)
        self.bounds[parts[0]] = Bound(start, end, label, number, found)

    def relation(self, number: int, line: str) -> Iterator[Problem]:
        parts = line.split("\t")
        match = re.fullmatch(r"(\S+) Arg1:(\S+) Arg2:(\S+)", parts[1].strip()) if len(parts) >= 2 else None
        if match is None:
            yield self.problem(number, "expected 'R<n><TAB>Name Arg1:T<n> Arg2:T<n>'")
            return
        label, head, tail = key_of(match[1]), self.bounds.get(match[2]), self.bounds.get(match[3])
        if label not in BUILT_IN_RELATIONS and match[1] not in self.declared:
            yield self.problem(
                number,
                f"relation {match[1]!r} is not Speaker, Statement or HasCue, nor in {CONF}; left out",
            )
        elif head is None or tail is None:
            yield self.problem(
                number,
                f"expected Arg1 and Arg2 to be T ids of this file; {match[2] if head is None else match[3]} is not",
            )
        elif label == CUE_RELATION:
            yield from self.cue(number, head, tail)
        else:
            self.relations.append(Relation(head=head.uid, tail=tail.uid, label=label))

    def cue(self, number: int, statement: Bound, cue: Bound) -> Iterator[Problem]:
        if cue.label != CUE or statement.label == CUE:
            yield self.problem(number, f"expected a Cue relation from a statement to a {CUE} span")
            return
        statement.attributes["cue"] = [cue.start, cue.end]
        self.consumed.add(cue.uid)

    def event(self, number: int, line: str) -> Iterator[Problem]:
        found = attribution.parse_event(number, line)
        if found is None:
            yield self.problem(number, "expected 'E<n><TAB>Attribution:T<n> Content:T<n> Cue:T<n> Source:T<n>'")
            return
        if found.type in (attribution.ATTRIBUTION, attribution.NO_SOURCE):
            # Its parts are the statement's, even when it cannot be read: none becomes a span of its own.
            named = [found.trigger, *(tid for _, tid in found.arguments)]
            self.consumed.update(self.bounds[tid].uid for tid in named if tid in self.bounds)
        for item in attribution.attribution(self.ann, found, self.bounds):
            if isinstance(item, Problem):
                yield item
            else:
                self.attributions.append(item)

    def attribute(self, number: int, line: str) -> Iterator[Problem]:
        parts = line.split("\t")
        words = parts[1].split() if len(parts) >= 2 else []
        if len(words) not in (2, 3):
            yield self.problem(number, "expected 'A<n><TAB>Name T<n> [value]'")
            return
        name, bound = words[0], self.bounds.get(words[1])
        value: Any = decode(words[2]) if len(words) == 3 else True
        if bound is None:
            yield self.problem(number, f"expected a T id of this file; {words[1]} is not")
        elif name == SUGGESTED:
            bound.model = decode_type(words[2]) if len(words) == 3 else ""
        elif name == LABEL and isinstance(value, str):
            bound.named = value
        elif key_of(name) not in BUILT_IN_ATTRIBUTES and name not in self.declared:
            yield self.problem(
                number,
                f"attribute {name!r} is not Kind, Checkworthiness or ClaimType, nor in {CONF}; left out",
            )
        else:
            bound.attributes[key_of(name)] = value

    def note(self, number: int, line: str) -> Iterator[Problem]:
        parts = line.split("\t", 2)
        words = parts[1].split() if len(parts) == 3 else []
        if len(words) != 2:
            yield self.problem(number, "expected '#<n><TAB>AnnotatorNotes T<n><TAB>text'")
            return
        bound = self.bounds.get(words[1])
        if bound is None:
            yield self.problem(number, f"expected a T id of this file; {words[1]} is not")
        elif words[0] not in NOTE_KEYS:
            yield self.problem(
                number, f"comment type {words[0]!r} is not read (AnnotatorNotes and SpeakerText are); left out"
            )
        else:
            bound.attributes[NOTE_KEYS[words[0]]] = unescape_note(parts[2])

    def spans(self) -> list[Span]:
        """The spans of the T lines, then the statements of the attributions with their speakers."""
        spans = [self.span(bound) for bound in self.bounds.values() if self.kept(bound)]
        label = next((name for name, layer in self.options.layers.items() if layer == Layer.STATEMENT), "STATEMENT")
        statements = attribution.Statements(self.text, label, self.derive_kind, self.made)
        entities = [span for span in spans if span.layer == Layer.ENTITY]
        for found in self.attributions:
            statements.add(found, entities)
        spans += statements.spans + statements.made
        uids = {span.uid for span in spans}
        # Links to the parts of an attribution that could not be read go with it.
        self.relations = [r for r in self.relations + statements.relations if r.head in uids and r.tail in uids]
        return sorted(spans, key=lambda s: (s.start, s.end))

    def kept(self, bound: Bound) -> bool:
        """Whether a T line is a span of its own; what is not is reported in set_aside (a cue, by
        unlinked_cues)."""
        if bound.uid in self.consumed or bound.label == CUE:
            return False
        where = f"{bound.label} span {shown(bound.words)!r} at {bound.start}-{bound.end}"
        if bound.label in SET_ASIDE:
            note = bound.attributes.get("note")
            said = f" (its note: {shown(note)!r})" if isinstance(note, str) else ""
            why = f"{where}{said}: {SET_ASIDE[bound.label]}; left out"
            self.set_aside.append(Problem.note(self.ann, bound.line, why))
            return False
        if bound.label in EVENT_TYPES and bound.label not in self.options.layers:
            why = f"{where}: no {attribution.ATTRIBUTION} event names it; left out"
            self.set_aside.append(self.problem(bound.line, why))
            return False
        return True

    def span(self, bound: Bound) -> Span:
        layer = Layer(self.options.layers.get(bound.label, Layer.ENTITY))
        return self.made(bound, bound.start, bound.end, bound.label, layer, bound.attributes, bound.uid)

    def made(
        self, bound: Bound, start: int, end: int, label: str, layer: Layer, attributes: dict[str, Any], uid: str
    ) -> Span:
        """A span from a T line; the file's annotator is its own unless a model suggested it."""
        suggested = bound.model is not None
        return Span(
            start=start,
            end=end,
            label=label,
            layer=layer,
            origin=origin_of_import("brat", (bound.model if suggested else self.annotator) or None),
            state=State.SUGGESTED if suggested else State.ACCEPTED,
            attributes=attributes,
            annotator=None if suggested else self.annotator,
            uid=uid,
        )

    def unlinked_cues(self) -> Iterator[Problem]:
        for bound in self.bounds.values():
            if bound.label == CUE and bound.uid not in self.consumed:
                yield self.problem(
                    bound.line,
                    f"expected a {CUE} span to be the cue of an {attribution.ATTRIBUTION} event (or linked from a "
                    "statement by HasCue); left out",
                )


TEXT_BOUND = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)")


def offsets(written: str) -> list[tuple[int, int]]:
    """'10 20;25 40' -> [(10, 20), (25, 40)], in the order written."""
    return [(int(start), int(end)) for start, end in (piece.split() for piece in written.split(";"))]


ENTRY = Entry(
    name="brat",
    title="brat standoff (folder)",
    write=write,
    read=read,
    sniff=sniff,
    suffixes=(".ann",),
    reads_folders=True,  # a folder with .ann files (beside their .txt) is one input
    marks_suggestions=True,
    keeps="Spans, links, attributes and notes: a .txt and an .ann file per document.",
)
