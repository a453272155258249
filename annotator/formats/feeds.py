"""Saved news feeds (RSS 0.9x/1.0/2.0 and Atom, as .rss, .atom or .xml): each item becomes an article.

An item's text is its full content (``content:encoded``, Atom ``content``) if it has one, else its summary,
as plain text with paragraphs separated by a blank line. Its title and day (published, else updated,
YYYY-MM-DD) go on the Document; its link, author and the feed's title in meta (``url``, ``author``, ``feed``).
An item without text is reported and skipped.

Parsed by feedparser from the file's bytes only: nothing is fetched, and external entities are not
resolved (feedparser switches them off in its XML parser).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path


from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.formats.decoding import bom_encoding
from annotator.formats.entry import Entry
from annotator.formats.web import MAX_TITLE, text_from_fragment

SUFFIXES = (".rss", ".atom", ".xml")
HEAD = 4_096  # the root element of a feed comes after at most a declaration, comments and a stylesheet
_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>]")
_PLAIN = "text/plain"


def read(path: Path, options: ImportOptions) -> Iterator[Document | Problem]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    if not data.strip():
        yield Problem.at(path, None, "not imported: the file is empty")
        return
    parsed = _parse(data, options.encoding)
    if not parsed.entries:
        yield Problem.at(path, None, f"not imported: {_why_empty(parsed)}")
        return
    if parsed.bozo:
        yield Problem.note(path, None, f"the feed is not well-formed ({_reason(parsed)}); its items were read as far as possible")
    feed = {"feed": _text(parsed.feed.get("title_detail"), parsed.feed.get("title"))}
    if parsed.version.startswith("atom"):  # an Atom entry without an author has the feed's
        feed["author"] = _text(parsed.feed.get("author_detail"), parsed.feed.get("author"))
    for number, entry in enumerate(parsed.entries, start=1):
        yield _article(path, number, entry, feed)


def _parse(data: bytes, encoding: str | None):
    # A file object, never the bytes themselves: feedparser.parse opens a str or bytes that names an
    # existing file (or a URL) instead of parsing it.
    import feedparser  # only when a feed is read: the catalogue loads every format module

    headers = {"content-type": f"application/xml; charset={encoding}"} if encoding and not bom_encoding(data) else None
    return feedparser.parse(io.BytesIO(data), response_headers=headers)


def _why_empty(parsed) -> str:
    if parsed.get("version"):
        return "the feed has no items"
    if parsed.bozo:
        return f"it is not a readable RSS or Atom feed ({_reason(parsed)})"
    return "it is not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root element)"


def _reason(parsed) -> str:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "unknown error"
    return " ".join(str(exc).split()) or type(exc).__name__


def _article(path: Path, number: int, entry, feed: dict[str, str]) -> Document | Problem:
    title = _text(entry.get("title_detail"), entry.get("title"))
    text = _body(entry)
    if not text:
        named = f" ('{title[:60]}')" if title else ""
        return Problem.note(path, None, f"item {number}{named} has no text; skipped")
    meta = {
        "url": _link(entry),
        "author": _text(entry.get("author_detail"), entry.get("author")) or feed.get("author", ""),
        "feed": feed["feed"],
    }
    return Document(
        text=text,
        title=title[:MAX_TITLE] or f"{path.stem} item {number}",
        date=_day(entry.get("published_parsed") or entry.get("updated_parsed")),
        source=path.name,
        meta={key: value for key, value in meta.items() if value},
    )


def _link(entry) -> str:
    """The item's web address: its alternate link, else any web link (feedparser falls back to the
    item's id, often a urn:uuid, which is no address)."""
    links = [link for link in entry.get("links") or () if link.get("href", "").startswith(("http://", "https://"))]
    links.sort(key=lambda link: link.get("rel", "alternate") != "alternate")
    return links[0]["href"].strip() if links else ""


def _body(entry) -> str:
    """The item's full content if it has any, else its summary."""
    for content in entry.get("content") or ():
        text = _text(content, content.get("value"), paragraphs=True)
        if text:
            return text
    return _text(entry.get("summary_detail"), entry.get("summary"), paragraphs=True)


def _text(detail, value: str | None, paragraphs: bool = False) -> str:
    """Plain text of a feed field: HTML (most items) through the fragment reader, plain text as it is."""
    value = value or ""
    kind = (detail or {}).get("type", "") if hasattr(detail, "get") else ""
    if kind == _PLAIN:
        text = "\n\n".join(" ".join(block.split()) for block in re.split(r"\n\s*\n", value))
        text = text.strip()
    else:
        text = text_from_fragment(value)
    return text if paragraphs else " ".join(text.split())


def _day(parsed_time) -> str | None:
    """feedparser's UTC time as its day."""
    try:
        return date(*parsed_time[:3]).isoformat()
    except (TypeError, ValueError):
        return None


def sniff(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError:
        return False
    return _ROOT.search(head.decode(bom_encoding(head) or "utf-8", errors="replace")) is not None


def preview(path: Path) -> str:
    """The feed's title, how many items it holds, and the first few with their days."""
    items = list(read(path, ImportOptions()))
    documents = [item for item in items if isinstance(item, Document)]
    if not documents:
        errors = [item for item in items if isinstance(item, Problem)]
        return errors[0].message if errors else "no items"
    feed = documents[0].meta.get("feed", "")
    lines = [f"Feed: {feed}" if feed else "Feed", f"{len(documents)} item{'s' if len(documents) != 1 else ''}", ""]
    lines += [f"{document.date or '—'}  {document.title}" for document in documents[:5]]
    return "\n".join(lines)


ENTRY = Entry(
    name="feed",
    title="Saved news feed (RSS or Atom)",
    suffixes=SUFFIXES,
    read=read,
    articles=True,
    sniff=sniff,
    preview=preview,
)
