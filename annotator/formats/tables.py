"""Articles in a table (import only): a CSV, TSV or Excel (.xlsx) file with a header row, one article a row.

- **Files:** ``.csv`` (the delimiter sniffed from the file's head: comma, semicolon, tab or bar), ``.tsv``
  (tab), ``.xlsx`` (the first sheet, the values Excel last computed). A CSV's encoding is found as for
  every text file (formats.decoding), or named (``--encoding``). Rows are read one by one: memory stays
  flat however long the file.
- **Columns by role** (``ImportOptions.columns``, ``--columns text=body,title=headline,meta=section+author``):
  ``text`` (required), ``title``, ``date``, ``id`` and ``meta`` (a list). A role left out of the mapping is
  guessed from the header by GUESSES (case and spaces aside); a role mapped to ``""`` or None is not used.
  With ``meta`` left out, every column not used by another role goes into the document's metadata, so
  nothing in the file is lost; ``meta: []`` keeps none. A mapped column must be in the header (case aside):
  otherwise nothing of the file is imported and the problem lists the columns there are.
- **Documents:** the text as it is in the cell (line endings normalised); the title, else
  ``<file> row N``; ``id`` goes into the metadata as ``id`` (the document keeps its own uid); the date as
  an ISO day when it reads as one (Excel's dates arrive as dates), else kept in the metadata as ``date``
  with a warning. Cell text is kept as written: ``<b>x</b>`` is five characters of text, not markup.
- **Rows:** a row whose text is empty is reported and left out; blank rows are passed over. Problems carry
  the row's number: the file's line a CSV row starts on, the sheet's row in a workbook (the header is 1).
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.core.text import normalise_newlines
from annotator.formats.decoding import (
    DamagedUtf8,
    NotText,
    detect,
    guess_note,
    is_guess,
    stream_codec,
    stream_failed,
    wide_newline,
)
from annotator.formats import conll, conllu
from annotator.formats.articles import MAX_TITLE, valid_day
from annotator.formats.entry import Entry

SUFFIXES = (".csv", ".tsv", ".xlsx")
ROLES = ("text", "title", "date", "id")
GUESSES = {
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "date": ("date", "published", "pubdate"),
    "id": ("id", "uid", "guid", "url"),
}
DELIMITERS = ",;\t|"
HEAD_BYTES = 64 * 1024
_DATE_FORMATS = ("%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y")  # none of them ambiguous
_ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?")  # as articles.valid_day reads


class TableError(ValueError):
    """A table that cannot be read at all; the message says why."""


# ---------------------------------------------------------------- the columns


def guess_columns(header: Sequence[str]) -> dict[str, Any]:
    """The roles GUESSES finds in a header, as the header spells them (a role not found is None), and
    every other column as metadata."""
    folded = {}
    for name in header:
        folded.setdefault(_fold(name), name)
    found: dict[str, Any] = {role: next((folded[n] for n in names if n in folded), None) for role, names in GUESSES.items()}
    used = {name for name in found.values() if name}
    found["meta"] = [name for name in header if name not in used]
    return found


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Plan:
    """Where each role is in a row: column indexes (None: not used)."""

    text: int
    title: int | None
    date: int | None
    id: int | None
    meta: list[tuple[str, int]]
    names: list[str]  # the header


def plan(path: Path, header: list[str], columns: dict[str, Any]) -> Plan | Problem:
    """The columns to read, from the mapping with the guess filling the roles it leaves out; a Problem
    naming the column and the header's columns when a mapped one is not there or no text column is found."""
    guessed = guess_columns(header)
    index = {}
    for i, name in enumerate(header):
        index.setdefault(name, i)
        index.setdefault(_fold(name), i)
    listed = ", ".join(repr(name) for name in header) or "none"
    chosen: dict[str, int | None] = {}
    for role in ROLES:
        name = columns[role] if role in columns else guessed[role]
        if not name:
            chosen[role] = None
            continue
        at = index.get(name, index.get(_fold(str(name))))
        if at is None:
            return Problem.at(path, 1, f"the {role} column '{name}' is not in the header; its columns are {listed}; "
                              "nothing imported")
        chosen[role] = at
    if chosen["text"] is None:
        expected = ", ".join(GUESSES["text"])
        return Problem.at(path, 1, f"no text column: expected one named {expected}; the header's columns are {listed}; "
                          "name the column that holds the text with --columns text=COLUMN (or choose it in the "
                          "window's import); nothing imported")
    if "meta" in columns:
        meta = []
        for name in columns["meta"] or []:
            at = index.get(name, index.get(_fold(str(name))))
            if at is None:
                return Problem.at(path, 1, f"the metadata column '{name}' is not in the header; its columns are "
                                  f"{listed}; nothing imported")
            meta.append((header[at], at))
    else:
        used = {at for at in chosen.values() if at is not None}
        meta = [(name, i) for i, name in enumerate(header) if i not in used]
    return Plan(chosen["text"], chosen["title"], chosen["date"], chosen["id"], meta, header)


# ---------------------------------------------------------------- reading


def read(path: Path, options: ImportOptions) -> Iterator[Document | Problem]:
    try:
        with _Table(path, options.encoding) as table:
            yield from table.problems
            found = plan(path, table.header, options.columns)
            if isinstance(found, Problem):
                yield found
                return
            for row, cells in table.rows():
                if isinstance(cells, Problem):
                    yield cells
                else:
                    yield from _document(path, row, cells, found, len(table.header))
    except TableError as exc:
        yield Problem.at(path, None, f"not imported: {exc}")


def _document(path: Path, row: int, cells: list[Any], columns: Plan, width: int) -> Iterator[Document | Problem]:
    if len(cells) > width and any(_plain(cell) for cell in cells[width:]):
        yield Problem.note(path, row, f"the row has {len(cells)} cells, the header {width}; the cells past the "
                           "header's are left out")
    cells = cells + [None] * (width - len(cells))
    text = _plain(cells[columns.text])
    if not text.strip():
        yield Problem.at(path, row, f"the text column '{columns.names[columns.text]}' is empty; row left out")
        return
    meta = {name: _plain(cells[i]) for name, i in columns.meta if _plain(cells[i])}
    if columns.id is not None and _plain(cells[columns.id]).strip():
        meta["id"] = _plain(cells[columns.id]).strip()
    day = None
    if columns.date is not None and cells[columns.date] not in (None, ""):
        given = cells[columns.date]
        day = cell_day(given)
        if day is None:
            meta["date"] = _plain(given)
            yield Problem.note(path, row, f"the date '{_plain(given)}' is not a date this reader knows "
                               "(such as 2021-01-13); kept in the metadata as 'date'")
    title = _plain(cells[columns.title]).strip() if columns.title is not None else ""
    title = " ".join(title.split())[:MAX_TITLE] or f"{path.name} row {row}"
    yield Document(text=normalise_newlines(text), title=title, date=day, source=path.name, meta=meta)


def _plain(value: Any) -> str:
    """A cell as text: a number as a spreadsheet shows it (12345, not 12345.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def cell_day(value: Any) -> str | None:
    """YYYY-MM-DD of a date cell, an ISO day or timestamp, or an unambiguous written date; else None."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    given = " ".join(value.split())
    if _ISO_SHAPE.fullmatch(given):  # an ISO day, real or not, is never one of the written forms
        return valid_day(given)
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(given, form).date().isoformat()
        except ValueError:
            continue
    return None


class _Table:
    """An open table: its header (empty names become 'column N') and its rows as (row number, cells)."""

    def __init__(self, path: Path, encoding: str | None) -> None:
        self.path, self.encoding = path, encoding
        self.problems: list[Problem] = []
        self.header: list[str] = []
        self._close = lambda: None
        self._rows: Iterator[tuple[int, list[Any] | Problem]] = iter(())

    def __enter__(self) -> _Table:
        if self.path.suffix.lower() == ".xlsx":
            self._open_workbook()
        else:
            self._open_text()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._close()

    def rows(self) -> Iterator[tuple[int, list[Any] | Problem]]:
        for row, cells in self._rows:
            if isinstance(cells, Problem) or any(_plain(cell).strip() for cell in cells):
                yield row, cells

    def _named(self, cells: Sequence[Any]) -> None:
        names = [_plain(cell).strip() for cell in cells]
        while names and not names[-1]:
            names.pop()
        if not names:
            raise TableError("its first row, the header, names no columns")
        self.header = [name or f"column {i + 1}" for i, name in enumerate(names)]

    def _open_workbook(self) -> None:
        import openpyxl  # a second to import: only when a workbook is read

        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
            raise TableError(f"not a readable Excel workbook ({exc})") from None
        self._close = book.close
        if not book.worksheets:
            raise TableError("the workbook has no sheet")
        rows = enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)
        first = next(rows, None)
        if first is None:
            raise TableError("its first sheet is empty")
        self._named(first[1])
        self._rows = ((number, list(cells)) for number, cells in rows)

    def _open_text(self) -> None:
        try:
            with self.path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
        except OSError as exc:
            raise TableError(f"cannot be read: {exc.strerror or exc}") from None
        if not head.strip():
            raise TableError("the file is empty")
        try:
            used = self.encoding or detect(head, complete=len(head) < HEAD_BYTES)
        except DamagedUtf8:
            used = "utf-8"  # read up to the bad bytes, which are reported with where the reading stopped
        except NotText as exc:
            raise TableError(str(exc)) from None
        if b"\x00" in head and not wide_newline(used):  # valid UTF-8 as far as bytes go, but no table
            raise TableError("it contains NUL bytes, so it looks like a binary file, not text")
        if self.encoding is None and is_guess(used):
            self.problems.append(guess_note(self.path, used))
        try:
            handle = self.path.open(encoding=stream_codec(used), errors="strict", newline="")
        except LookupError:
            raise TableError(f"'{used}' is not an encoding Python knows") from None
        self._close = handle.close
        sample = head.decode(stream_codec(used), errors="ignore").removeprefix("\ufeff")
        delimiter = "\t" if self.path.suffix.lower() == ".tsv" else sniff_delimiter(sample)
        csv.field_size_limit(2**31 - 1)  # a long article is one cell
        reader = csv.reader(handle, delimiter=delimiter)
        self._rows = self._text_rows(reader, used)
        try:
            number, first = next(self._rows)
        except StopIteration:
            raise TableError("the file has no rows") from None
        if isinstance(first, Problem):
            raise TableError(first.message)
        self._named([cell.removeprefix("\ufeff") for cell in first])

    def _text_rows(self, reader: Any, used: str) -> Iterator[tuple[int, list[Any] | Problem]]:
        line = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeError as exc:
                yield line + 1, Problem.at(self.path, line + 1, stream_failed(used, exc, line))
                return
            except csv.Error as exc:
                yield line + 1, Problem.at(self.path, line + 1, f"not a readable CSV row ({exc}); the rows after it "
                                           "are not read")
                return
            first, line = line + 1, reader.line_num  # a quoted cell may span several lines
            yield first, cells


def sniff_delimiter(sample: str) -> str:
    """The delimiter csv.Sniffer finds in the head of a file, if the header row has it; else whichever of
    DELIMITERS the header row has most of (the comma on a tie)."""
    complete = sample[: sample.rfind("\n") + 1] or sample  # the last line of a head may be cut
    header = sample.partition("\n")[0]
    try:
        found = csv.Sniffer().sniff(complete, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and found in header:
        return found
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


# ---------------------------------------------------------------- for the window's mapping step


def head(path: Path, n: int = 5, encoding: str | None = None) -> tuple[list[str], list[list[str]]]:
    """The column names and the first ``n`` rows under them, as text, each as wide as the header, from one
    opening of the file; TableError if it cannot be read."""
    found: list[list[str]] = []
    with _Table(path, encoding) as table:
        width = len(table.header)
        for _row, cells in table.rows():
            if isinstance(cells, Problem) or len(found) >= n:
                break
            texts = [_plain(cell) for cell in cells[:width]]
            found.append(texts + [""] * (width - len(texts)))
        return list(table.header), found


def header(path: Path, encoding: str | None = None) -> list[str]:
    """The table's column names; TableError if it cannot be read."""
    with _Table(path, encoding) as table:
        return list(table.header)


def preview_rows(path: Path, n: int = 5, encoding: str | None = None) -> list[list[str]]:
    """The first ``n`` rows under the header, as text, each as wide as the header."""
    return head(path, n, encoding)[1]


def sniff(path: Path) -> bool:
    """True for any table with a header row: this reader takes the tables no other reader claims. A
    token-per-line file (CoNLL in a .tsv) is no table of articles: it is left to CoNLL's sniffers."""
    if path.suffix.lower() == ".xlsx":
        try:
            with zipfile.ZipFile(path) as archive:
                return "xl/workbook.xml" in archive.namelist()
        except (OSError, zipfile.BadZipFile):
            return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
        used = detect(head, complete=False)
        text = head.decode(stream_codec(used), errors="replace").removeprefix("\ufeff")
    except (OSError, NotText, LookupError):
        return False
    if "\x00" in text:
        return False
    first = text.partition("\n")[0]
    return bool(first.strip()) and not conll.sniff(path) and not conllu.sniff(path)


def preview(path: Path) -> str:
    """The columns, and which the reader would take for each role."""
    try:
        names = header(path)
    except TableError as exc:
        return f"cannot be read: {exc}"
    guessed = guess_columns(names)
    lines = [f"Columns: {', '.join(names)}"]
    lines.append(" · ".join(f"{role}: {guessed[role] or '—'}" for role in ROLES))
    if guessed["text"] is None:
        lines.append("No text column found: choose one (--columns text=COLUMN).")
    return "\n".join(lines)


ENTRY = Entry(
    name="table",
    title="Spreadsheet or CSV of articles",
    suffixes=SUFFIXES,
    read=read,
    articles=True,
    columns=True,
    sniff=sniff,
    preview=preview,
    rank=900,  # after claims and Label Studio's tables: this reader takes the tables they do not
)
