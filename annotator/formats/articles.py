"""Readers for articles: plain text, the agency sample format, and JSONL with ``text`` and ``meta``.

Each reader yields Documents and Problems; a bad line or file never stops the others.

Sample format (shared/corpus/seed, Wikinews dumps)::

    date 2021-01-13 Title of the article
    <blank line>
    Body...

The body is stored from its first non-blank line on, exactly as in the file (line endings normalised).
A plain ``.txt`` file is stored whole, titled by its file name.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import orjson

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.text import normalise_newlines
from annotator.formats.decoding import NotText, decode

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES

_HEADER = re.compile(r"[ \t\ufeff]*date[ \t]+(\S+)[ \t]+([^\n]*)\n")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_TITLE = 120

Item = Document | Problem


def read_file(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path)
    elif suffix in TEXT_SUFFIXES:
        yield from read_text(path)
    else:
        yield Problem.at(path, None, f"skipped: '{suffix or path.name}' files are not articles (expected .txt or .jsonl)")


def read_text(path: Path) -> Iterator[Item]:
    try:
        text, _encoding = decode(path.read_bytes())
    except NotText as exc:
        yield Problem.at(path, None, f"not imported: {exc}")
        return
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    header = _HEADER.match(text)
    if header is None:
        yield Document(text=text, title=path.stem[:MAX_TITLE], source=path.name)
        return
    raw_date, title = header.group(1), header.group(2).strip()
    body = text[header.end() :].lstrip("\n")
    if not body.strip():
        yield Problem.at(path, 1, "not imported: the 'date YYYY-MM-DD Title' line is not followed by any text")
        return
    day = _valid_day(raw_date)
    if day is None:
        yield Problem.at(path, 1, f"'{raw_date}' is not a date of the form YYYY-MM-DD; imported without a date")
    yield Document(text=body, title=title[:MAX_TITLE] or path.stem, date=day, source=path.name)


def _valid_day(value: str) -> str | None:
    if not _ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def read_jsonl(path: Path) -> Iterator[Item]:
    """One article per line: ``{"text": "...", "meta": {"title": ..., "date": ..., "source": ...}}``."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            yield _jsonl_document(path, number, raw)


def _jsonl_document(path: Path, number: int, raw: bytes) -> Item:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Problem.at(path, number, f"not valid JSON ({exc.msg}); expected one JSON object per line")
    if not isinstance(record, dict):
        return Problem.at(path, number, f"expected a JSON object with a 'text' field, found {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Problem.at(path, number, "expected a non-empty string in 'text'")
    if "\x00" in text:
        return Problem.at(path, number, "'text' contains NUL characters")
    meta = record.get("meta", {})
    if not isinstance(meta, dict):
        return Problem.at(path, number, "expected 'meta' to be a JSON object")
    return _document(normalise_newlines(text), dict(meta), path, number)


def _document(text: str, meta: dict[str, Any], path: Path, number: int) -> Document:
    title = meta.pop("title", None)
    day = meta.pop("date", None)
    source = meta.pop("source", None)
    if not isinstance(title, str) or not title.strip():
        title = text.strip().split("\n", 1)[0]
    return Document(
        text=text,
        title=title.strip()[:MAX_TITLE],
        date=str(day) if day is not None else None,
        source=str(source) if source is not None else f"{path.name}:{number}",
        meta=meta,
    )


def article_files(paths: list[Path]) -> Iterator[Path | Problem]:
    """The files to import: given files as they are, folders walked in name order (hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in relative.parts):
                    yield child
        elif path.exists():
            yield path
        else:
            yield Problem.at(path, None, "no such file or folder")
