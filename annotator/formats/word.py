"""Word files (.docx) as articles, read with python-docx: the body becomes one Document.

The body's paragraphs, headings among them, are separated by a blank line, in document order. Tables
are kept where they stand, one paragraph per row with the cells separated by a tab: a table in a news
article (a results table, a list of casualties) is part of what it says, and moving it to the end would
tear it from the sentence that introduces it. Headers, footers, footnotes, comments and text boxes are
left out: they are page furniture or remarks, not the article. A line break inside a paragraph stays a
single newline.

Title: the document's title property, else its first heading, else the file name. Date: the day the
document was created (its property), author in ``meta["author"]``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.formats.articles import MAX_TITLE
from annotator.formats.entry import Entry

_BLANK_LINES = re.compile(r"[ \t]*\n(?:[ \t]*\n)+")


def read(path: Path, options: ImportOptions | None = None) -> Iterator[Document | Problem]:
    try:
        document = _open(path)
        paragraphs, first_heading = _paragraphs(document)
        properties = _properties(document)
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    except Exception as exc:  # noqa: BLE001 - a damaged package fails in zipfile, lxml or python-docx alike
        yield Problem.at(path, None, f"not a readable Word document ({_reason(exc)}); expected a .docx file "
                                     "as Word or LibreOffice save it")
        return
    if not paragraphs:
        yield Problem.at(path, None, "not imported: the document has no text")
        return
    title = properties.get("title") or first_heading or path.stem
    meta = {"author": properties["author"]} if properties.get("author") else {}
    yield Document(text="\n\n".join(paragraphs), title=title[:MAX_TITLE], date=properties.get("date"),
                   source=path.name, meta=meta)


def _open(path: Path) -> Any:
    import docx  # imported when a file is read: the catalogue loads every format module

    with path.open("rb") as handle:
        if handle.read(4) != b"PK\x03\x04":
            # python-docx says only "Package not found"; an old .doc renamed is the usual case.
            raise ValueError("it is not a zip package: an old .doc file, or not a Word file at all")
    return docx.Document(str(path))


def _reason(exc: Exception) -> str:
    return str(exc).strip().strip('"') or type(exc).__name__


def _paragraphs(document: Any) -> tuple[list[str], str]:
    """The body's paragraphs and table rows in order, and the text of its first heading."""
    from docx.table import Table

    found: list[str] = []
    first_heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            found.extend(_rows(block))
            continue
        text = _clean(block.text)
        if not text:
            continue
        if not first_heading and _is_heading(block):
            first_heading = " ".join(text.split())
        found.append(text)
    return found, first_heading


def _clean(text: str) -> str:
    return _BLANK_LINES.sub("\n", text.replace("\r", "\n")).strip()


def _is_heading(paragraph: Any) -> bool:
    style = paragraph.style
    name = style.name if style is not None else ""
    return name == "Title" or name.startswith("Heading")


def _rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:  # a merged cell comes once per grid column it spans
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            yield "\t".join(cells)


def _properties(document: Any) -> dict[str, str]:
    core = _core_properties(document)
    if core is None:
        return {}
    found = {}
    if core.title and core.title.strip():
        found["title"] = " ".join(core.title.split())
    if core.author and core.author.strip():
        found["author"] = core.author.strip()
    if core.created is not None:
        found["date"] = core.created.date().isoformat()
    return found


def _core_properties(document: Any) -> Any:
    """The file's own core properties, or None. python-docx's ``core_properties`` makes up defaults (title
    "Word Document") when it finds none, and it looks for them under one relationship name only, while
    LibreOffice writes another ("officedocument/2006/relationships/metadata/core-properties")."""
    from docx.opc.parts.coreprops import CorePropertiesPart

    for relationship in document.part.package.rels.values():
        if relationship.reltype.endswith("/metadata/core-properties") and not relationship.is_external:
            part = relationship.target_part
            return part.core_properties if isinstance(part, CorePropertiesPart) else None
    return None


def sniff(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as package:
            return "word/document.xml" in package.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def preview(path: Path) -> str:
    """Title, author, date and the first paragraphs."""
    items = list(read(path))
    if isinstance(items[0], Problem):
        return items[0].message
    document = items[0]
    about = [f"Word document, {document.text.count(chr(10) * 2) + 1} paragraphs", f"Title: {document.title}"]
    if document.meta.get("author"):
        about.append(f"Author: {document.meta['author']}")
    if document.date:
        about.append(f"Date: {document.date}")
    return "\n".join(about + document.text.split("\n\n")[:3])


ENTRY = Entry(
    name="word",
    title="Word document",
    suffixes=(".docx",),
    read=read,
    sniff=sniff,
    articles=True,
    preview=preview,
    slow=True,
)
