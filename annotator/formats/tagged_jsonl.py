"""JSONL with tokens and BIO tags (import only), the Broad Twitter Corpus' form:

``{"id_str", "created_at", "lang", "text", "tokens": [str], "entities": ["B-ORG", "O", ...],
"annotation_offsets": [[start, end], ...]}``; the tags may also be under ``tags`` or ``ner_tags``.

Runs of tags become entity spans over the text, from the first token's start to the last one's
end. Offsets are code points. Without offsets, each token is looked for in the text after the one
before, so what the tokenizer left out (the @ of a user name, quotes) is skipped. A token that does
not match its offsets, or is not in the text, is reported with its line, and only the entities
touching it are left out: the tweet's text and its other entities are imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record, origin_of_import
from annotator.formats.conll import TAG, decode_tags
from annotator.formats.jsonl import documents, first_record, iso_day
from annotator.formats.native import FORMAT as NATIVE_FORMAT
from annotator.formats.entry import Entry
from annotator.formats.jsonl import preview

TAG_KEYS = ("entities", "tags", "ner_tags")
OFFSET_KEY = "annotation_offsets"
STRUCTURE = {"text", "tokens", OFFSET_KEY, *TAG_KEYS}
TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"  # created_at: "Sun Jan 01 11:56:17 +0000 2012"


def write(records_: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    raise NotImplementedError("tagged JSONL is an import format; export to CoNLL for tokens and tags")


def sniff(path: Path) -> bool:
    first = first_record(path)
    return first is not None and looks_like(first)


def looks_like(first: dict[str, Any]) -> bool:
    if first.get("format") == NATIVE_FORMAT:
        return False
    # Tags of any kind: a file of tokens and tags is this format even when its tags are wrong (numbers,
    # say), so that the reader says what is wrong instead of the file importing as bare articles.
    tokens, tags = first.get("tokens"), _tags(first)
    return _strings(tokens) and isinstance(tags, list)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _tags(value: dict[str, Any]) -> Any:
    return next((value[key] for key in TAG_KEYS if key in value), None)


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    for found in documents(path, _fields, options.encoding):
        if isinstance(found, Problem):
            yield found
        else:
            yield from read_line(path, *found, options)


def read_line(
    path: Path, number: int, value: dict[str, Any], document: Document, options: ImportOptions
) -> Iterator[Imported | Problem]:
    text = document.text
    spans, problem = entity_spans(value, text, options)
    if problem:
        yield Problem.at(path, number, problem)
    yield Imported(document, spans, [], str(path), number)


def _fields(value: dict[str, Any]) -> dict[str, Any]:
    """Every key that is not tokens or tags is metadata (kept when not null); a tweet's
    ``created_at`` gives the date."""
    fields = {key: item for key, item in value.items() if key not in STRUCTURE and item is not None}
    if "date" not in fields and isinstance(fields.get("created_at"), str):
        day = tweet_day(fields["created_at"])
        if day:
            fields["date"] = day
    return fields


def tweet_day(value: str) -> str | None:
    try:
        return datetime.strptime(value, TWITTER_TIME).date().isoformat()
    except ValueError:
        return iso_day(value)


def entity_spans(value: dict[str, Any], text: str, options: ImportOptions) -> tuple[list[Span], str]:
    """The entities that fit, and what is wrong with the line ('' if nothing)."""
    tokens, tags = value.get("tokens"), _tags(value)
    if not _strings(tokens):
        return [], "expected 'tokens' to be a list of strings; imported without entities"
    if not _strings(tags) or len(tags) != len(tokens):
        return [], f"expected one BIO tag string per token in '{_tag_key(value)}'; imported without entities"
    wrong = next((tag for tag in tags if not TAG.match(tag)), None)
    if wrong is not None:
        return [], f"expected BIO tags like B-ORG, I-ORG or O, found {wrong!r}; imported without entities"
    offsets, bad = token_offsets(tokens, value.get(OFFSET_KEY), text)
    spans, dropped = [], 0
    for first, last, label in decode_tags(tags):
        if any(i in bad for i in range(first, last + 1)):
            dropped += 1
            continue
        spans.append(
            Span(
                start=offsets[first][0],
                end=offsets[last][1],
                label=label,
                layer=options.layers.get(label, Layer.ENTITY),
                origin=origin_of_import("tagged-jsonl"),
                state=State.ACCEPTED,
            )
        )
    if not bad:
        return spans, ""
    first_bad = min(bad)
    more = f"; {len(bad) - 1} more token(s) like it" if len(bad) > 1 else ""
    left_out = f"; {dropped} entit{'y' if dropped == 1 else 'ies'} touching them left out" if dropped else ""
    return spans, bad[first_bad] + more + left_out


def _tag_key(value: dict[str, Any]) -> str:
    return next((key for key in TAG_KEYS if key in value), TAG_KEYS[0])


def token_offsets(tokens: list[str], given: Any, text: str) -> tuple[list[tuple[int, int]], dict[int, str]]:
    """Each token's (start, end), and the tokens that do not fit with why. Given offsets are used
    when there is one pair per token (an empty or missing list means: find the tokens)."""
    if isinstance(given, list) and given and len(given) == len(tokens):
        return _checked(tokens, given, text)
    return _aligned(tokens, text)


def _checked(tokens: list[str], given: list[Any], text: str) -> tuple[list[tuple[int, int]], dict[int, str]]:
    offsets: list[tuple[int, int]] = []
    bad: dict[int, str] = {}
    for index, (token, pair) in enumerate(zip(tokens, given, strict=True)):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, int) for v in pair)):
            offsets.append((0, 0))
            bad[index] = f"token {index} {token!r}: expected its offsets as [start, end], found {pair!r}"
            continue
        start, end = pair
        offsets.append((start, end))
        if not 0 <= start <= end <= len(text):
            bad[index] = f"token {index} {token!r}: its offsets {start}-{end} are outside the text (0-{len(text)})"
        elif text[start:end] != token:
            there = text[start:end]
            bad[index] = f"token {index} {token!r} does not match its offsets {start}-{end} (text there: {there!r})"
    return offsets, bad


def _aligned(tokens: list[str], text: str) -> tuple[list[tuple[int, int]], dict[int, str]]:
    """Each token found after the one before. A token not found does not move the search on, so one
    stray token (the corpus has quotes written as '"') costs only itself."""
    offsets: list[tuple[int, int]] = []
    bad: dict[int, str] = {}
    position = 0
    for index, token in enumerate(tokens):
        found = text.find(token, position) if token else -1
        if found < 0:
            offsets.append((position, position))
            bad[index] = f"token {index} {token!r} is not in the text after offset {position}"
            continue
        offsets.append((found, found + len(token)))
        position = found + len(token)
    return offsets, bad


ENTRY = Entry(
    name="tagged-jsonl",
    title="JSONL with tokens and BIO tags",
    suffix=".jsonl",
    read=read,
    sniff=sniff,
    suffixes=(".jsonl", ".ndjson"),
    rank=50,
    looks_like=looks_like,
    preview=preview,
)
