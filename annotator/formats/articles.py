"""Readers for articles: plain text, the agency sample format, and JSONL with ``text`` and ``meta``.

Each reader yields Documents and Problems; a bad line or file never stops the others.

Sample format (the news agency's samples and Wikinews dumps)::

    date 2021-01-13 Title of the article
    <blank line>
    Body...

The body is stored from its first non-blank line on, exactly as in the file (line endings normalised).
A plain ``.txt`` file is stored whole, titled by its file name. A text not in UTF-8 (or UTF-16/32
with a BOM) is decoded by a guess, which is reported as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import Problem
from annotator.core.languages import META_KEYS
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.core.text import normalise_newlines
from annotator.formats.decoding import (
    DamagedUtf8,
    NotText,
    bom_encoding,
    detect,
    guess_note,
    is_guess,
    read_decoded,
    stream_codec,
    stream_failed,
    wide_newline,
)
from annotator.formats.entry import Entry
from annotator.formats.jsonl import preview as jsonl_preview

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES

# Only a real-looking date makes a header: "date night ideas" is the first line of an article.
_HEADER = re.compile(r"[ \t\ufeff]*date[ \t]+(\d{4}-\d{1,2}-\d{1,2})(?:[ \t]+([^\n]*))?[ \t]*(?:\n|\Z)")
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
MAX_TITLE = 120

Item = Document | Problem
# Called with (line number, record) for each JSONL article record with keys an article does not use:
# the importer checks whether it is another format's record whose annotations would be dropped.
Inspect = Callable[[int, dict[str, Any]], None]
ARTICLE_KEYS = frozenset(("text", "meta", *META_KEYS))


def read_file(path: Path, encoding: str | None = None, inspect: Inspect | None = None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield Problem.at(path, None, f"skipped: '{suffix or path.name}' files are not articles (expected .txt or .jsonl)")
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, encoding, inspect)
        return
    text, _used, problems = read_decoded(path, encoding)
    yield from problems
    if text is not None:
        yield from read_text(path, text)


def read_text(path: Path, text: str) -> Iterator[Item]:
    header = _HEADER.match(text)
    if header is None:
        yield Document(text=text, title=path.stem[:MAX_TITLE], source=path.name)
        return
    raw_date, title = header.group(1), (header.group(2) or "").strip()
    blank = _BLANK_LINES.match(text, header.end())
    body = text[blank.end() :]
    if not body.strip():
        yield Problem.at(path, 1, "not imported: the 'date YYYY-MM-DD Title' line is not followed by any text")
        return
    day = valid_day(raw_date)
    if day is None:
        yield Problem.note(path, 1, f"'{raw_date}' is not a real date of the form YYYY-MM-DD; imported without a date")
    yield Document(text=body, title=title[:MAX_TITLE] or path.stem[:MAX_TITLE], date=day, source=path.name)


_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?")


def valid_day(value: str) -> str | None:
    """YYYY-MM-DD, or the day of a timestamp such as 2021-01-13T10:00:00Z; nothing else."""
    match = _DAY.fullmatch(value.strip())
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def read_jsonl(path: Path, encoding: str | None = None, inspect: Inspect | None = None) -> Iterator[Item]:
    """One article per line: ``{"text": "...", "meta": {"title": ..., "date": ..., "source": ...}}``.

    Streamed, so memory stays flat however long the file; the encoding is found from its head.
    Lines are split on \\n only: U+2028 and friends may stand raw inside JSON strings.
    """
    try:
        with path.open("rb") as raw:
            head = raw.read(65_536)
        if not head.strip():
            yield Problem.at(path, None, "not imported: the file is empty")
            return
        used = _jsonl_encoding(head, encoding)
        "".encode(used)  # an unknown name fails here, once, not on every line
    except NotText as exc:
        yield Problem.at(path, None, f"not imported: {exc}")
        return
    except LookupError:
        yield Problem.at(path, None, f"not imported: '{used}' is not an encoding Python knows")
        return
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    if encoding is None and is_guess(used):
        yield guess_note(path, used)
    for number, line in _cr_lines(_jsonl_lines(path, used)):
        if isinstance(line, Problem):
            yield line
        elif line.strip():
            yield from _jsonl_document(path, number, line, inspect)


def _jsonl_encoding(head: bytes, encoding: str | None) -> str:
    if encoding is not None and not bom_encoding(head):
        return encoding
    try:
        return detect(head, complete=False)
    except DamagedUtf8:
        return "utf-8"  # each line with invalid bytes is reported by number; the others are imported


def _jsonl_lines(path: Path, used: str) -> Iterator[tuple[int, str | Problem]]:
    if wide_newline(used):
        # A newline is several bytes here: let the codec find the lines.
        number = 0
        with path.open(encoding=used, newline="\n") as handle:
            try:
                for number, line in enumerate(handle, start=1):
                    yield number, line.rstrip("\n").removesuffix("\r")
            except UnicodeError as exc:  # a bad byte, or UTF-16 named without its byte order and no BOM
                yield number + 1, Problem.at(path, None, stream_failed(used, exc, number))
        return
    codec = stream_codec(used)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode(codec if number == 1 else used)
            except UnicodeDecodeError as exc:
                yield number, Problem.at(path, number, f"not valid {used} (byte {exc.start} of the line); line skipped")
                continue
            except UnicodeError as exc:  # a codec that fails without naming a byte
                yield number, Problem.at(path, number, f"cannot be read as {used} ({exc}); line skipped")
                continue
            yield number, line.rstrip("\n").removesuffix("\r")


def _cr_lines(lines: Iterator[tuple[int, str | Problem]]) -> Iterator[tuple[int, str | Problem]]:
    """Lines ended by a lone CR (old Mac tools) are lines too, numbered as an editor numbers them.

    JSON strings cannot hold a raw CR, so one inside a line that is not valid JSON as a whole can only
    end a line; a line that parses whole (a CR as white space between tokens) is left alone."""
    shift = 0  # how many lines the lone CRs of earlier lines added
    for number, line in lines:
        if isinstance(line, Problem):
            yield number + shift, _renumbered(line, number + shift)
            continue
        if "\r" not in line or _is_json(line):
            yield number + shift, line
            continue
        pieces = line.split("\r")
        for k, piece in enumerate(pieces):
            yield number + shift + k, piece
        shift += len(pieces) - 1


def _is_json(line: str) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def _renumbered(problem: Problem, number: int) -> Problem:
    return problem if problem.line == number else Problem(problem.path, number, problem.message, problem.warning)


def _jsonl_document(path: Path, number: int, line: str, inspect: Inspect | None = None) -> Iterator[Item]:
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        yield Problem.at(path, number, f"not valid JSON ({exc.msg}); expected one JSON object per line")
        return
    if not isinstance(record, dict):
        yield Problem.at(path, number, f"expected a JSON object with a 'text' field, found {type(record).__name__}")
        return
    if inspect is not None and not ARTICLE_KEYS.issuperset(record):  # a plain article costs one set test
        inspect(number, record)  # before the text is checked: a tagged record (tokens, tags) has none
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        yield Problem.at(path, number, "expected a non-empty string in 'text'")
        return
    if "\x00" in text:
        yield Problem.at(path, number, "'text' contains NUL characters")
        return
    meta = record.get("meta", {})
    if not isinstance(meta, dict):
        yield Problem.at(path, number, "expected 'meta' to be a JSON object")
        return
    meta = dict(meta)
    for key in META_KEYS:  # a record's language beside its text ("lang": "he") is kept with its meta
        if key in record and key not in meta:
            meta[key] = record[key]
    yield from _document(normalise_newlines(text), meta, path, number)


def _document(text: str, meta: dict[str, Any], path: Path, number: int) -> Iterator[Item]:
    title = meta.pop("title", None)
    given_date = meta.pop("date", None)
    source = meta.pop("source", None)
    if not isinstance(title, str) or not title.strip():
        title = text.strip().split("\n", 1)[0]
    day = valid_day(given_date) if isinstance(given_date, str) else None
    if given_date is not None and day is None:
        meta["date_given"] = given_date  # kept, not lost
        yield Problem.note(path, number, f"meta.date {given_date!r} is not a date of the form YYYY-MM-DD; kept as meta.date_given")
    yield Document(
        text=text,
        title=title.strip()[:MAX_TITLE],
        date=day,
        source=str(source) if source is not None else f"{path.name}:{number}",
        meta=meta,
    )


def article_files(paths: list[Path], skipped: list[Path] | None = None) -> Iterator[Path | Problem]:
    """The files to import: given files as they are; folders walked in name order, taking only
    article files (others go to ``skipped``) and no hidden ones."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if not child.is_file() or any(part.startswith(".") for part in relative.parts):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
                elif skipped is not None:
                    skipped.append(child)
        elif path.exists():
            yield path
        else:
            yield Problem.at(path, None, "no such file or folder")


# --- the catalogue's entry --------------------------------------------------------------------

PREVIEW_LINES = 12
PREVIEW_BYTES = 16_384


def read(path: Path, options: ImportOptions) -> Iterator[Item]:
    """read_file as the catalogue calls readers."""
    return read_file(path, options.encoding)


def preview(path: Path) -> str:
    """The first lines of a text file, or the first records of a JSON Lines file, as plain text."""
    if path.suffix.lower() in JSONL_SUFFIXES:
        return jsonl_preview(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(PREVIEW_BYTES)
        used = detect(head, complete=False)
        text = head.decode(stream_codec(used), errors="replace")
    except NotText as exc:
        return f"Not readable as text: {exc}"
    except OSError as exc:
        return f"Cannot be read: {exc.strerror or exc}"
    lines = normalise_newlines(text).split("\n")
    return "\n".join(lines[:PREVIEW_LINES]) + ("\n…" if len(lines) > PREVIEW_LINES else "")


ENTRY = Entry(
    name="articles",
    title="Articles (plain text or JSON Lines)",
    suffixes=(".txt", ".text", ".jsonl", ".ndjson"),
    read=read,
    articles=True,
    preview=preview,
    rank=1000,  # no sniffer: every other reader sharing .jsonl has its say first
)
