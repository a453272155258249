"""PDF files as articles: the text layer of every page, read with pypdf, becomes one Document.

Text is taken in the order the page's content draws it ("plain" extraction), which is column by column
for word processors' output; pypdf's "layout" mode rebuilds the page as a grid of characters and so
reads a two-column page line across both columns. Lines are rebuilt from the drawing positions and
joined into paragraphs:

- a line starts a new paragraph after a vertical gap clearly larger than the page's usual line pitch,
  when the font size changes (a heading), or when it starts indented (a first-line indent);
- where the text moves up (the next column) or to the next page, the paragraph goes on unless the
  line before ends a sentence and the next one starts with a capital;
- a word hyphenated at a line end is joined ("govern-" + "ment"), the hyphen kept when the next line
  starts with anything but a lower-case letter ("Armenian-" + "Russian") or when the document writes the
  word with a hyphen elsewhere ("three-day"). Runs of spaces (justified text) become one space.

Paragraphs are separated by a blank line. ``meta["pages"]`` lists where each page starts in the text
(page 1 at 0); ``meta["author"]`` is the PDF's /Author. Title: /Title, else the first paragraph, else
the file name; date: the day of /CreationDate.

A PDF without text (a scan) or one needing a password is reported, not imported; so is a damaged one.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.formats.articles import MAX_TITLE
from annotator.formats.entry import Entry

_HYPHENS = "-\u00ad\u2010"  # a soft hyphen drawn at a line end is a hyphen there
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_COMPOUND = re.compile(r"\b(\w+)-(\w+)\b")
_SENTENCE_END = tuple('.!?:;"”’)]')
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})(\d{2})")


@dataclass
class Line:
    text: str
    x: float
    y: float
    size: float


def read(path: Path, options: ImportOptions | None = None) -> Iterator[Document | Problem]:
    try:
        opened = _open(path)
        if isinstance(opened, Problem):
            yield opened
            return
        pages = [_page_lines(page) for page in opened.pages]
        info = _info(opened)
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of error on damaged files
        yield Problem.at(path, None, f"not a readable PDF ({_reason(exc)}); it may be damaged or incomplete")
        return
    if not any(pages):
        yield Problem.at(path, None, f"no text layer (scanned?): none of its {len(pages)} page(s) holds text; "
                                     "run it through OCR and import the result")
        return
    empty = [str(number) for number, lines in enumerate(pages, start=1) if not lines]
    if empty:
        yield Problem.note(path, None, f"page(s) {', '.join(empty)} have no text layer (scanned?); imported without them")
    text, starts = _text(pages)
    title = info.get("title") or text.split("\n\n", 1)[0][:MAX_TITLE].strip() or path.stem[:MAX_TITLE]
    meta: dict[str, Any] = {"pages": starts}
    if info.get("author"):
        meta["author"] = info["author"]
    yield Document(text=text, title=title, date=info.get("date"), source=path.name, meta=meta)


def _open(path: Path) -> Any:
    from pypdf import PdfReader  # imported when a PDF is read: the catalogue loads every format module
    from pypdf.errors import DependencyError

    with path.open("rb") as handle:
        if not handle.read(1024).lstrip(b"\0\t\n\r ").startswith(b"%PDF-"):
            return Problem.at(path, None, "not a PDF: expected a file starting with %PDF-")
    reader = PdfReader(path, strict=False)
    if not reader.is_encrypted:
        return reader
    # Many PDFs are encrypted only to restrict printing or copying: they open with an empty password.
    try:
        if reader.decrypt(""):
            return reader
    except DependencyError:  # AES without the `cryptography` package
        return Problem.at(path, None, "encrypted: it is locked with AES encryption, which cannot be opened here; "
                                      "save an unlocked copy (e.g. print it to PDF) and import that")
    return Problem.at(path, None, "encrypted: it needs a password to open; save an unlocked copy and import that")


def _reason(exc: Exception) -> str:
    return str(exc).strip() or type(exc).__name__


def _info(reader: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    metadata = reader.metadata or {}
    for key, name in (("/Title", "title"), ("/Author", "author")):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            found[name] = " ".join(value.split())[:MAX_TITLE] if name == "title" else value.strip()
    day = _day(metadata.get("/CreationDate"))
    if day is not None:
        found["date"] = day
    return found


def _day(value: Any) -> str | None:
    """The ISO day of a PDF date string (D:20210113104500+01'00'); None for a missing or impossible one."""
    match = _PDF_DATE.match(str(value).strip()) if value is not None else None
    if match is None:
        return None
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def _page_lines(page: Any) -> list[Line]:
    """The page's lines in drawing order, each placed where its first piece of text is drawn."""
    lines: list[Line] = []
    current: list[str] = []
    where: list[float] = []

    def close() -> None:
        text = _SPACES.sub(" ", "".join(current).replace("\0", "")).strip()
        text = text[:-1].replace("\u00ad", "") + text[-1:]  # invisible, but for one drawn at the line end
        if text and where:
            lines.append(Line(text, *where))
        current.clear()
        where.clear()

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        for number, piece in enumerate(text.split("\n")):
            if number:
                close()
            if piece.strip() and not where:
                where.extend(_position(cm, tm, size))
            current.append(piece)

    page.extract_text(extraction_mode="plain", visitor_text=visit)
    close()
    return lines


def _position(cm: list[float], tm: list[float], size: float) -> tuple[float, float, float]:
    """x, y and font size on the page: the text matrix taken through the current transformation."""
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
    return x, y, size * (scale or 1.0)


def _text(pages: list[list[Line]]) -> tuple[str, list[int]]:
    """The article's text and where each page starts in it."""
    compounds = {m.group(0).lower() for lines in pages for line in lines for m in _COMPOUND.finditer(line.text)}
    out: list[str] = []
    length = 0
    starts: list[int] = []
    previous: Line | None = None
    for lines in pages:
        pitch = _pitch(lines)
        page_start: int | None = None
        for number, line in enumerate(lines):
            joint = "" if previous is None else _joint(previous, line, pitch, number == 0, compounds)
            if joint == "unhyphen":
                out[-1] = out[-1][:-1]
                length -= 1
                joint = ""
            out.append(joint)
            length += len(joint)
            if page_start is None:
                page_start = length
            out.append(line.text)
            length += len(line.text)
            previous = line
        starts.append(length if page_start is None else page_start)
    return "".join(out), starts


def _pitch(lines: list[Line]) -> float:
    """The usual distance from one line down to the next on a page, in font sizes (1.15 for most fonts):
    a heading's bigger lines are further apart without being paragraphs."""
    steps = [(a.y - b.y) / max(a.size, b.size) for a, b in zip(lines, lines[1:]) if 0 < a.y - b.y < 3 * max(a.size, b.size)]
    return statistics.median(steps) if steps else 0.0


def _joint(before: Line, line: Line, pitch: float, new_page: bool, compounds: set[str]) -> str:
    """What goes between two lines: a blank line (new paragraph), a space, nothing, or "unhyphen"."""
    size = max(before.size, line.size)
    step = (before.y - line.y) / size
    same_line = not new_page and abs(step) < 0.3  # one line drawn in pieces
    moved_on = new_page or (not same_line and (step < 0 or (pitch and step > 3 * pitch)))  # next page or column
    if same_line:
        pass
    elif moved_on:
        if before.text.endswith(_SENTENCE_END) and not line.text[:1].islower():
            return "\n\n"
    elif (pitch and step > 1.25 * pitch + 0.05) or abs(line.size - before.size) > 1 or line.x > before.x + line.size:
        return "\n\n"
    if before.text[-1] in _HYPHENS and len(before.text) > 1 and before.text[-2].isalpha():
        following = line.text[:1]
        word = re.search(r"(\w+)\W$", before.text)
        after = re.match(r"\w+", line.text)
        compound = f"{word.group(1)}-{after.group(0)}".lower() if word and after else ""
        if before.text[-1] != "-" or (following.islower() and compound not in compounds):
            return "unhyphen"
        return ""
    return " "


def sniff(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(1024).lstrip(b"\0\t\n\r ").startswith(b"%PDF-")
    except OSError:
        return False


def preview(path: Path) -> str:
    """Pages, title, author and the first lines of text, from the first page only (quick on big files)."""
    try:
        opened = _open(path)
        if isinstance(opened, Problem):
            return opened.message
        info = _info(opened)
        count = len(opened.pages)
        lines = _page_lines(opened.pages[0]) if count else []
    except Exception as exc:  # noqa: BLE001 - as in read: a damaged file is described, not raised
        return f"not a readable PDF ({_reason(exc)})"
    about = [f"PDF, {count} page{'s' if count != 1 else ''}"]
    about += [f"{name.capitalize()}: {info[name]}" for name in ("title", "author", "date") if info.get(name)]
    about += [line.text for line in lines[:5]] or ["(no text on the first page: scanned?)"]
    return "\n".join(about)


ENTRY = Entry(
    name="pdf",
    title="PDF document",
    suffixes=(".pdf",),
    read=read,
    sniff=sniff,
    articles=True,
    preview=preview,
    slow=True,
)
