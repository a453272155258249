"""Attributions (PARC, PolNeAR) in brat standoff: who said what, through which words.

One attribution is a brat event whose trigger is the cue and whose arguments name the rest::

    T1	Source 110 112	we
    T2	Cue 113 119	mocked
    T3	Content 120 211	the presidential ambitions ...
    T4	Attribution 113 119	mocked
    E1	Attribution:T4 Content:T3 Cue:T2 Source:T1

It is one statement over its Content (from the first piece of ``Content``, ``Content2``, ... to the last)
with ``cue`` = the Cue's range, ``kind`` direct or indirect as the content is quoted or not, and a
``speaker`` relation to the file's entity its Source overlaps, else to a SPEAKER span over the Source.
PolNeAR calls the trigger of an attribution without a source ``Attribution-no-source``; its annotators
set spans aside as ``Discard`` and flagged them for a talk as ``Discuss``: both are reported, not
imported. Export writes a statement the same way, its other attributes on the Content span.

PolNeAR keeps one .ann per annotator of a text, ``attributions/<doc>_<annotator>.ann``, beside
``text/<doc>.txt``, and each article's title, date and publisher in ``metadata*.tsv``: text_of and
Catalogue find them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.checks import outside
from annotator.core.errors import Problem
from annotator.core.model import Layer, Relation, Span, new_uid
from annotator.core.records import Record
from annotator.core.vocabulary import (
    ASCII_CLOSING,
    ASCII_OPENING,
    CLOSING_QUOTES,
    DIRECT,
    INDIRECT,
    QUOTES,
    SPEAKER,
    SPEAKER_LABEL,
)

if TYPE_CHECKING:
    from annotator.formats.brat import AnnWriter, Bound

ATTRIBUTION = "Attribution"  # the event, and the type of its trigger
NO_SOURCE = "Attribution-no-source"  # PolNeAR's trigger type when no one is named as the source
CONTENT, CUE, SOURCE = "Content", "Cue", "Source"
# T types that only mean something as an event's argument or trigger.
EVENT_TYPES = frozenset((ATTRIBUTION, NO_SOURCE, CONTENT, CUE, SOURCE))
SET_ASIDE = {
    "Discard": "set aside by its annotator",
    "Discuss": "flagged by its annotator for discussion, not marked as an attribution",
}
LABEL = "Label"  # attribute of a Content span: the statement's label, written when not the project's first
# brat's event declaration: a content, at most one cue, any number of sources (Source, Source2, ...).
EVENT_DECLARATION = f"{ATTRIBUTION}\t{CONTENT}:{CONTENT}, {CUE}?:{CUE}, {SOURCE}*:{SOURCE}"
AFTER_QUOTE = " \t\r\n.,;:!?…"  # what may follow the closing mark of a quoted content: “…”. or “…”,


def kind_of(words: str) -> str:
    """DIRECT when the words are quoted: an opening mark first, a closing one last (before full stops and
    commas), else INDIRECT. “A,” he said, “B.” is quoted too: a content read over its gaps."""
    words = words.strip()
    body = words.rstrip(AFTER_QUOTE)
    opened = words[:1] in QUOTES or words[:2] in ASCII_OPENING
    closed = body[-1:] in CLOSING_QUOTES or body[-2:] == ASCII_CLOSING
    return DIRECT if opened and closed and len(body) > 2 else INDIRECT


def shown(words: str, limit: int = 60) -> str:
    """Words for a message: on one line, long ones cut."""
    words = " ".join(words.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


# ---------------------------------------------------------------- reading


@dataclass
class Event:
    """An E line read: its type, trigger and (role, T id) arguments as written."""

    line: int
    type: str
    trigger: str
    arguments: list[tuple[str, str]]


def role_of(name: str) -> str:
    """Content2 -> Content: brat numbers a role given more than once."""
    return re.sub(r"\d+$", "", name)


def parse_event(number: int, line: str) -> Event | None:
    parts = line.split("\t")
    words = parts[1].split() if len(parts) >= 2 else []
    pairs = [word.split(":", 1) for word in words]
    if not pairs or any(len(pair) != 2 or not all(pair) for pair in pairs):
        return None
    (kind, trigger), *arguments = pairs
    return Event(number, kind, trigger, [(role, tid) for role, tid in arguments])


@dataclass
class Attribution:
    line: int
    contents: list[Bound]
    cues: list[Bound] = field(default_factory=list)
    sources: list[Bound] = field(default_factory=list)


def attribution(ann: Path, event: Event, bounds: dict[str, Bound]) -> Iterator[Attribution | Problem]:
    """The attribution an E line gives, or the Problem that keeps it out (and notes on what it ignores)."""
    if event.type not in (ATTRIBUTION, NO_SOURCE):
        yield Problem.at(ann, event.line, f"expected an {ATTRIBUTION} event; {event.type!r} events are not read")
        return
    missing = [f"{tid} ({role})" for role, tid in [(event.type, event.trigger), *event.arguments] if tid not in bounds]
    if missing:
        yield Problem.at(
            ann,
            event.line,
            f"expected the trigger, Content, Cue and Source of this {ATTRIBUTION} to be T ids of this file; "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not, so it is left out",
        )
        return
    found = Attribution(event.line, [])
    pieces = {CONTENT: found.contents, CUE: found.cues, SOURCE: found.sources}
    for role, tid in event.arguments:
        if role_of(role) in pieces:
            pieces[role_of(role)].append(bounds[tid])
        else:
            yield Problem.note(ann, event.line, f"role {role!r} is not read (Content, Cue and Source are); ignored")
    if not found.contents:
        yield Problem.at(
            ann,
            event.line,
            f"expected a {CONTENT} argument (what was said) in this {ATTRIBUTION}; it has none, so it is left out",
        )
        return
    yield found


# Makes the span of a T line: (bound, start, end, label, layer, attributes, uid) -> Span.
MakeSpan = Callable[[Any, int, int, str, Layer, dict[str, Any], str], Span]


class Statements:
    """The statements, new speaker spans and speaker relations of one file's attributions."""

    def __init__(self, text: str, label: str, derive_kind: bool, make: MakeSpan) -> None:
        self.text, self.label, self.derive_kind, self.make = text, label, derive_kind, make
        self.spans: list[Span] = []
        self.relations: list[Relation] = []
        self.taken: set[str] = set()  # uids given to statements: a Content shared by two gives one its own
        self.speakers: dict[tuple[int, int], Span] = {}  # a Source's range -> the span it speaks through
        self.made: list[Span] = []  # the SPEAKER spans made for sources no entity overlaps

    def add(self, found: Attribution, entities: list[Span]) -> None:
        first = found.contents[0]
        start, end = min(b.start for b in found.contents), max(b.end for b in found.contents)
        attributes = dict(first.attributes)
        if found.cues:
            attributes["cue"] = [min(b.start for b in found.cues), max(b.end for b in found.cues)]
        if self.derive_kind and "kind" not in attributes:
            attributes["kind"] = kind_of(self.text[start:end])
        uid = new_uid() if first.uid in self.taken else first.uid  # R lines name the Content's uid
        self.taken.add(uid)
        statement = self.make(first, start, end, first.named or self.label, Layer.STATEMENT, attributes, uid)
        self.spans.append(statement)
        tails = []
        for source in found.sources:
            speaker = self.speaker(source, entities)
            if speaker.uid not in tails:
                tails.append(speaker.uid)
                self.relations.append(Relation(head=statement.uid, tail=speaker.uid, label=SPEAKER))

    def speaker(self, source: Bound, entities: list[Span]) -> Span:
        """The entity the source names (the same range, else the one it overlaps most), else one
        SPEAKER span per range: a source several attributions share is one speaker."""
        key = (source.start, source.end)
        if key not in self.speakers:
            best = max(
                (s for s in entities if s.start < source.end and source.start < s.end),
                key=lambda s: ((s.start, s.end) == key, min(s.end, source.end) - max(s.start, source.start)),
                default=None,
            )
            if best is None:
                best = self.make(source, source.start, source.end, SPEAKER_LABEL, Layer.ENTITY, {}, new_uid())
                self.made.append(best)
            self.speakers[key] = best
        return self.speakers[key]


# ---------------------------------------------------------------- PolNeAR's folders


def text_of(ann: Path) -> tuple[Path, str | None]:
    """The text of an .ann file and the annotator its name gives: ``<stem>.txt`` beside it (nobody
    named), else for ``<doc>_<annotator>.ann`` the ``<doc>.txt`` beside it or in the ``text`` folder
    beside its own (PolNeAR: attributions/ and text/, one .ann per annotator of a text)."""
    beside = ann.with_suffix(".txt")
    doc, _, annotator = ann.stem.rpartition("_")
    if beside.exists() or not doc or not annotator:
        return beside, None
    for txt in (ann.with_name(f"{doc}.txt"), ann.parent.parent / "text" / f"{doc}.txt"):
        if txt.exists():
            return txt, annotator
    return beside, None


class Catalogue:
    """The rows of the ``metadata*.tsv`` files (with a ``filename`` column) of the folders read, by
    file name: PolNeAR lists each article's title, publication_date and publisher there."""

    def __init__(self) -> None:
        self.folders: dict[Path, dict[str, dict[str, str]]] = {}

    def row(self, txt: Path, root: Path) -> dict[str, str]:
        """The row of a text: in the folder read, or in the one holding its text/ folder."""
        folders = [root, txt.parent.parent] if txt.parent.name == "text" else [root]
        return next((found for folder in folders if (found := self.rows(folder).get(txt.stem))), {})

    def rows(self, folder: Path) -> dict[str, dict[str, str]]:
        if folder not in self.folders:
            self.folders[folder] = {}
            for tsv in sorted(folder.glob("metadata*.tsv")):
                if not outside(tsv, folder):  # a link out of the folder is not read (core.checks)
                    self.folders[folder].update(self.read(tsv))
        return self.folders[folder]

    def read(self, tsv: Path) -> dict[str, dict[str, str]]:
        try:
            with tsv.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        except (OSError, UnicodeDecodeError, csv.Error):
            return {}  # not a catalogue we can read: documents keep their file names as titles
        return {row["filename"]: row for row in rows if isinstance(row.get("filename"), str)}


# ---------------------------------------------------------------- writing


def statement_label(labels: dict[str, list[str]]) -> str:
    """The label a statement gets when its Content span names none: the schema's first statement label."""
    return next(iter(labels.get(str(Layer.STATEMENT)) or []), "STATEMENT")


def write_attributions(writer: AnnWriter, record: Record) -> set[str]:
    """An Attribution event for each statement written, with its cue and speakers; the uids of those
    statements (their speaker relations are the events' Source arguments, not R lines)."""
    by_uid = {span.uid: span for span in record.spans}
    speakers: dict[str, list[Span]] = {}
    for relation in record.relations:
        tail = by_uid.get(relation.tail)
        if relation.label == SPEAKER and tail is not None and relation.tail in writer.ids:
            speakers.setdefault(relation.head, []).append(tail)
    written = set()
    for span in record.spans:
        content = writer.ids.get(span.uid)
        if span.layer != Layer.STATEMENT or content is None:
            continue
        arguments = [f"{CONTENT}:{content}"]
        cue = writer.cues.get(span.uid)
        cue_id = writer.text_bound(CUE, *cue) if cue is not None else None
        if cue_id is not None:
            arguments.append(f"{CUE}:{cue_id}")
        sources = [writer.text_bound(SOURCE, s.start, s.end, quiet=True) for s in speakers.get(span.uid, [])]
        arguments += [f"{SOURCE}{n if n > 1 else ''}:{tid}" for n, tid in enumerate(filter(None, sources), start=1)]
        # The trigger is the cue, as in PolNeAR; a statement without one hangs its event on its content.
        trigger = writer.text_bound(ATTRIBUTION, *(cue if cue_id is not None else (span.start, span.end)), quiet=True)
        if trigger is None:
            continue
        writer.out.write(f"{writer.next_id('E')}\t{ATTRIBUTION}:{trigger} {' '.join(arguments)}\n")
        written.add(span.uid)
    return written
