"""Reading JSON Lines for the annotated formats: one JSON object per line, with its line number."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.core.checks import iso_day, is_range, span_offsets
from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.formats.decoding import stream_failed, utf8_lines


def records(
    path: Path, encoding: str | None = None, handle: Any = None
) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    """(line number, object) for each non-blank line; a line that is not a JSON object is a Problem.

    Streamed: memory stays flat however long the file. UTF-8 (a BOM is allowed), or the encoding a
    BOM or ``encoding`` names; split on \\n only. ``handle``, if given, is read instead of opening
    ``path`` (a member of an archive).
    """
    if handle is None:
        try:
            handle = path.open("rb")
        except OSError as exc:
            yield 0, Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
            return
    number = 0
    with handle:
        try:
            for number, value in _parsed(path, _lines(utf8_lines(handle, encoding))):
                yield number, value
        except LookupError:
            yield 0, Problem.at(path, None, f"not imported: '{encoding}' is not an encoding Python knows")
        except UnicodeError as exc:  # not just a bad byte: a UTF-16 stream without its BOM fails so too
            yield number + 1, Problem.at(path, None, stream_failed(encoding, exc, number))


def _parsed(path: Path, lines: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    for number, raw in lines:
        if not raw.strip():
            continue
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield number, Problem.at(path, number, f"not valid JSON ({exc.msg}); expected one JSON object per line")
            continue
        if not isinstance(value, dict):
            yield number, Problem.at(path, number, f"expected a JSON object, found {type(value).__name__}")
            continue
        yield number, value


def _lines(handle) -> Iterator[tuple[int, bytes]]:
    """Lines numbered as an editor numbers them: a file with old Mac line ends (CR alone) is split on
    CR too, but only where a line does not parse whole (a CR may stand as white space inside JSON)."""
    number = 0
    for raw in handle:
        if number == 0:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        body = raw.rstrip(b"\r\n")
        if b"\r" in body and not _parses(body):
            for piece in body.split(b"\r"):
                number += 1
                yield number, piece
            continue
        number += 1
        yield number, raw


def _parses(raw: bytes) -> bool:
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError:
        return False
    return True


SNIFF_RECORDS = 20  # lines looked at to find one that parses: a damaged first line does not decide


def first_record(path: Path) -> dict[str, Any] | None:
    """The first JSON object in a JSONL file (for detecting which format it is), or None."""
    for index, (_, value) in enumerate(records(path)):
        if isinstance(value, dict):
            return value
        if index >= SNIFF_RECORDS:
            break
    return None


# ---------------------------------------------------------------- fields shared by the JSONL formats

MAX_TITLE = 200


def plain_document(text: str, fields: Any, path: Path, number: int) -> tuple[Document, list[str]]:
    """A document from a record's text and metadata (title, date, source; the rest is kept in
    ``meta``), like the JSONL article reader: no title means the text's first line, no source means
    ``file:line``. A date that is not a day is kept as ``meta.date_given``, with a note."""
    meta = dict(fields) if isinstance(fields, dict) else {}
    title, given, source = meta.pop("title", None), meta.pop("date", None), meta.pop("source", None)
    if not isinstance(title, str) or not title.strip():
        title = text.strip().split("\n", 1)[0]
    day, notes = iso_day(given), []
    if given is not None and day is None:
        meta["date_given"] = given
        notes.append(f"date {given!r} is not a date of the form YYYY-MM-DD; kept as meta.date_given")
    document = Document(
        text=text,
        title=title.strip()[:MAX_TITLE],
        date=day,
        source=str(source) if source else f"{path.name}:{number}",
        meta=meta,
    )
    return document, notes


def without_bad_cue(span: Span, text: str) -> tuple[Span, str]:
    """The span without a cue attribute that does not point into the text, and a note if it had one."""
    cue = span.attributes.get("cue")
    if cue is None or is_range(cue, len(text)):
        return span, ""
    kept = {key: value for key, value in span.attributes.items() if key != "cue"}
    return span.with_changes(
        attributes=kept
    ), f"{span.label} at {span.start}-{span.end}: cue {cue!r} is not a range in the text; left out"


def span_place(item: Any, text: str) -> tuple[int, int, str] | str:
    """A JSON span's (start, end, label), checked against the text (and its own ``text`` if it has
    one), or why it does not fit."""
    if not isinstance(item, dict):
        return "expected a JSON object"
    start, end, label = item.get("start"), item.get("end"), item.get("label")
    place = span_offsets(start, end, len(text))
    if place is None:
        return f"expected 0 <= start < end <= {len(text)} (the text's length), found {start!r}-{end!r}"
    start, end = place
    if not isinstance(label, str) or not label:
        return "expected a 'label'"
    if "text" in item and item["text"] != text[start:end]:
        return f"its text {item['text']!r} is not the text at {start}-{end} ({text[start:end]!r})"
    return start, end, label


def documents(
    path: Path,
    fields: Callable[[dict[str, Any]], dict[str, Any]],
    encoding: str | None = None,
    handle: Any = None,
) -> Iterator[tuple[int, dict[str, Any], Document] | Problem]:
    """Each line's record with its document (the exact text, and the metadata ``fields`` picks from
    the record), or the Problems of a line that has none."""
    for number, value in records(path, encoding, handle):
        if isinstance(value, Problem):
            yield value
            continue
        text = value.get("text")
        if not isinstance(text, str) or not text:
            yield Problem.at(path, number, "expected a non-empty string in 'text'")
            continue
        document, notes = plain_document(text, fields(value), path, number)
        yield from (Problem.note(path, number, note) for note in notes)
        yield number, value, document


PREVIEW_RECORDS = 5
PREVIEW_CHARACTERS = 160


def preview(path: Path) -> str:
    """The first records of a JSON Lines file as plain lines: each one's keys and the start of its text."""
    shown: list[str] = []
    for number, value in records(path):
        if isinstance(value, Problem):
            shown.append(f"line {number}: {value.message}" if number else value.message)
        else:
            text = value.get("text")
            start = " ".join(text.split())[:PREVIEW_CHARACTERS] if isinstance(text, str) else "(no text)"
            shown.append(f"line {number}: {', '.join(map(str, value))}\n  {start}")
        if len(shown) >= PREVIEW_RECORDS:
            break
    return "\n".join(shown) or "The file holds no records."
