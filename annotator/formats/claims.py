"""Sentence-level claim data (import only): one sentence or tweet a row, labelled claim or not.
docs/formats.md has the whole story.

- **Files:** a JSON array of objects (ClaimBuster's ``[{"sentence_id", "label", "text"}]``), JSON Lines,
  or a CSV or TSV with a header row (CLEF CheckThat!'s ``topic_id tweet_id tweet_url tweet_text claim
  check_worthiness``). The delimiter is whichever of tab, comma and semicolon the header has most of.
- **Columns,** by name in any case: the text is the first of TEXT_COLUMNS, the label the first of
  LABEL_COLUMNS (so CheckThat!'s ``check_worthiness`` wins over its ``claim``, which only says whether a
  tweet states a fact), the title the first of ID_COLUMNS, else ``<file> row N``. Every column but the
  text is kept in the document's metadata (so ClaimBuster's UFS and NFS stay told apart there).
- **Labels:** POSITIVE and NEGATIVE below, whatever their case, spaces, hyphens and underscores.
- **Documents:** each row is a document marked done. A positive row has one accepted claim over its
  text without the outer white space, its check-worthiness CHECK_WORTHY; a negative row has none. A done
  document without a claim is how the project says "no claim here", so both are training examples.

Lines in problems are the row's first line in the file (JSON arrays included); a bad row is reported
and left out, the others are read.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Span, State, Status, layer_bits
from annotator.core.records import Imported, ImportOptions, origin_of_import
from annotator.core.vocabulary import CHECK_WORTHY, CHECKWORTHINESS
from annotator.formats.decoding import bom_encoding, read_decoded
from annotator.formats.jsonl import records
from annotator.formats.entry import Entry

ORIGIN = origin_of_import("claims")
TEXT_COLUMNS = ("text", "sentence", "tweet_text", "content", "claim_text")
# "verdict": ClaimBuster's own CSVs (1 CFS, 0 UFS, -1 NFS).
LABEL_COLUMNS = ("check_worthiness", "claim_worthiness", "checkworthy", "check_worthy", "label", "class", "claim",
                 "verdict")
ID_COLUMNS = ("sentence_id", "tweet_id", "id")
# Labels compared as _key makes them: "Check-worthy factual" is "checkworthyfactual", 1.0 is "1".
POSITIVE = frozenset({"1", "true", "yes", "checkworthyfactual", "checkworthy", "cfs"})
NEGATIVE = frozenset({"0", "-1", "false", "no", "unimportantfactual", "nonfactual", "notcheckworthy", "ufs", "nfs"})
EXPECTED = ("1 or 0, true or false, yes or no, check-worthy factual (CFS), unimportant factual (UFS) or "
            "non-factual (NFS)")
# Keys of other formats' records: a file with them is theirs, even where it has a text and a label too
# (Label Studio's JSON-MIN and CSV have "checkworthy" choices beside their annotator).
FOREIGN_KEYS = frozenset({"format", "_input_hash", "_task_hash", "answer", "spans", "tokens", "entities", "cats",
                          "data", "annotations", "predictions", "annotator", "annotation_id"})
SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".tsv")  # the files worth sniffing
JSONL_SUFFIXES = (".jsonl", ".ndjson")
DELIMITERS = ("\t", ",", ";")
MAX_TITLE = 200
SNIFF_BYTES = 64 * 1024
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_WORD_GAPS = re.compile(r"[\s_-]+")


class Header(NamedTuple):
    line: int  # where the columns are named: the header row, or the first record
    names: list[str]


class Row(NamedTuple):
    line: int
    number: int  # the row's place among the file's records, from 1, for a title
    fields: dict[str, Any]


@dataclass(frozen=True)
class Columns:
    text: str
    label: str
    id: str | None

    @classmethod
    def named(cls, names: list[str]) -> Columns | str:
        """The columns to read, as the file spells them, or what is missing."""
        text, label = column(names, TEXT_COLUMNS), column(names, LABEL_COLUMNS)
        if text is None or label is None:
            kind, wanted = ("text", TEXT_COLUMNS) if text is None else ("label", LABEL_COLUMNS)
            found = ", ".join(repr(name) for name in names) or "none"
            return f"expected a {kind} column (one of {', '.join(wanted)}); found columns {found}; nothing imported"
        return cls(text, label, column(names, ID_COLUMNS))


def column(names: Iterable[Any], wanted: tuple[str, ...]) -> str | None:
    """The first of ``wanted`` among ``names`` in any case, as the file spells it."""
    given: dict[str, str] = {}
    for name in names:
        if isinstance(name, str):
            given.setdefault(name.strip().casefold(), name)
    return next((given[name] for name in wanted if name in given), None)


def verdict(value: Any) -> bool | None:
    """True for a positive label, False for a negative one, None for anything else."""
    key = _key(value)
    return True if key in POSITIVE else False if key in NEGATIVE else None


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        try:
            value = float(value)  # "1", "1.0", " -1 " as a spreadsheet writes them
        except ValueError:
            return _WORD_GAPS.sub("", value.casefold())
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():  # False for inf and nan
        return str(int(value))
    return ""


def claim_label(options: ImportOptions) -> str:
    return next((name for name, layer in options.layers.items() if layer == Layer.CLAIM), "CLAIM")


def claim_span(text: str, label: str) -> Span:
    start = len(text) - len(text.lstrip())
    return Span(start, len(text.rstrip()), label, Layer.CLAIM, ORIGIN, State.ACCEPTED, {CHECKWORTHINESS: CHECK_WORTHY})


# ---------------------------------------------------------------- reading


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    columns: Columns | None = None
    label = claim_label(options)
    seen: dict[str, tuple[int, bool]] = {}  # text -> its first line and label
    for item in _rows(path, options.encoding):
        if isinstance(item, Problem):
            yield item
        elif isinstance(item, Header):
            named = Columns.named(item.names)
            if isinstance(named, str):
                yield Problem.at(path, item.line, named)
                return
            columns = named
        elif columns is not None:
            yield from _document(path, item, columns, label, seen)


def _document(path: Path, row: Row, columns: Columns, label: str,
              seen: dict[str, tuple[int, bool]]) -> Iterator[Imported | Problem]:
    text, given = row.fields.get(columns.text), row.fields.get(columns.label)
    if not isinstance(text, str) or not text.strip():
        yield Problem.at(path, row.line, f"expected a text in '{columns.text}', found {text!r}; row left out")
        return
    positive = verdict(given)
    if positive is None:
        yield Problem.at(path, row.line, f"expected a label in '{columns.label}': {EXPECTED}; found {given!r}; "
                         "row left out")
        return
    first, earlier = seen.setdefault(text, (row.line, positive))
    if earlier != positive:
        # The project keeps one document per text: the claim of either row lands on it.
        yield Problem.note(path, row.line, f"the same text as line {first}, labelled the other way; the project "
                           "keeps one document, with the claim")
    meta = {key: value for key, value in row.fields.items() if key and key != columns.text}
    # Its claim layer is judged, a negative as much as a positive: pre-annotation suggests no claims on it.
    document = Document(text, _title(row, columns, path), source=path.name, meta=meta, status=Status.DONE,
                        suggested_layers=layer_bits({Layer.CLAIM}))
    yield Imported(document, [claim_span(text, label)] if positive else [], path=str(path), line=row.line)


def _title(row: Row, columns: Columns, path: Path) -> str:
    value = row.fields.get(columns.id) if columns.id else None
    if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()[:MAX_TITLE]
    return f"{path.name} row {row.number}"


def _rows(path: Path, encoding: str | None) -> Iterator[Header | Row | Problem]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _jsonl_rows(path, encoding)
        return
    text, used, problems = read_decoded(path, encoding)
    yield from problems
    if text is None:
        return
    start = text.lstrip()[:1]
    if start == "[":
        yield from _json_rows(path, text)
    elif start == "{":  # JSON Lines in a .json file
        yield from _jsonl_rows(path, used)
    else:
        yield from _table_rows(path, text)


def _jsonl_rows(path: Path, encoding: str | None) -> Iterator[Header | Row | Problem]:
    number, named = 0, False  # the first object names the columns, as a table's header does
    for line, value in records(path, encoding):
        if isinstance(value, Problem):
            if line:  # a bad line is a row too: the titles after it keep their numbers
                number += 1
            yield value
            continue
        number += 1
        if not named:
            named = True
            yield Header(line, list(value))
        yield Row(line, number, value)


def _json_rows(path: Path, text: str) -> Iterator[Header | Row | Problem]:
    """The array's elements with the line each starts on: json's raw_decode reads them one by one, where
    a whole-file parse would say nothing about where a bad record is."""
    decoder = json.JSONDecoder()
    index, line, counted, number, named = text.index("[") + 1, 1, 0, 0, False
    while True:
        index = _JSON_SPACE.match(text, index).end()
        if text.startswith("]", index):
            return
        if number:
            if not text.startswith(",", index):
                line += text.count("\n", counted, index)
                yield Problem.at(path, line, "not valid JSON: expected ',' or ']' after the record before; the "
                                 "records after it are not read")
                return
            index = _JSON_SPACE.match(text, index + 1).end()
        try:
            value, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            yield Problem.at(path, exc.lineno, f"not valid JSON ({exc.msg}); the records after it are not read")
            return
        line, counted, index, number = line + text.count("\n", counted, index), index, end, number + 1
        if not isinstance(value, dict):
            yield Problem.at(path, line, f"expected a JSON object, found {type(value).__name__}; left out")
            continue
        if not named:
            named = True
            yield Header(line, list(value))
        yield Row(line, number, value)


def _table_rows(path: Path, text: str) -> Iterator[Header | Row | Problem]:
    csv.field_size_limit(2**31 - 1)  # a long text is one cell
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(rows, [])
        yield Header(1, header)
        line, number = rows.line_num, 0
        for cells in rows:
            first, line = line + 1, rows.line_num  # a row's first line: a quoted cell may span several
            if not any(cell.strip() for cell in cells):
                continue
            number += 1
            if len(cells) != len(header):
                yield Problem.at(path, first, f"expected {len(header)} cells as in the header, found {len(cells)}; "
                                 "row left out")
                continue
            yield Row(first, number, dict(zip(header, cells, strict=True)))
    except csv.Error as exc:
        yield Problem.at(path, rows.line_num, f"not a readable CSV row ({exc}); the rows after it are not read")


def _delimiter(text: str) -> str:
    header = text.partition("\n")[0]
    return max(DELIMITERS, key=header.count)  # on a tie the first: tab


# ---------------------------------------------------------------- sniffing


def sniff(path: Path) -> bool:
    """True if the file's first record (a JSON object, or a table's first row under its header) has a text
    column and a label this reader knows, and no key of another format's records. doccano's ``label`` is a
    list of spans or names, never one value, so its files are not taken."""
    head = _head(path)
    start = head.lstrip()[:1]
    if start in ("[", "{"):
        index = head.index(start) + (start == "[")
        try:
            first, _ = json.JSONDecoder().raw_decode(head, _JSON_SPACE.match(head, index).end())
        except json.JSONDecodeError:
            return False
        return isinstance(first, dict) and looks_like(first)
    rows = csv.reader(io.StringIO(head, newline=""), delimiter=_delimiter(head))
    try:
        header = next(rows, [])
        first = next((cells for cells in rows if any(cell.strip() for cell in cells)), [])
    except csv.Error:
        return False
    return len(first) == len(header) and looks_like(dict(zip(header, first, strict=True)))


def looks_like(record: dict[str, Any]) -> bool:
    if not FOREIGN_KEYS.isdisjoint(record):
        return False
    columns = Columns.named(list(record))
    if isinstance(columns, str):
        return False
    text = record.get(columns.text)
    return isinstance(text, str) and bool(text.strip()) and verdict(record.get(columns.label)) is not None


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(SNIFF_BYTES)
    except OSError:
        return ""
    return data.decode(bom_encoding(data) or "utf-8", errors="replace").removeprefix("\ufeff")


ENTRY = Entry(
    name="claims",
    title="Sentence-level claims (ClaimBuster, CheckThat!, CSV/TSV/JSONL)",
    suffix=".json",
    read=read,
    sniff=sniff,
    suffixes=SUFFIXES,
    rank=10,  # first: ClaimBuster's .json is no Label Studio export, its .csv no Label Studio table
)
