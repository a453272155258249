"""Saved web pages: a news page as a browser saved it (.html, .htm, .xhtml) becomes one article.

Only the article's main text is kept, found by trafilatura: navigation, adverts, teasers, comments and
tables are left out. Paragraphs are separated by a blank line. From the page's metadata: ``title`` and
``date`` (its day, YYYY-MM-DD) on the Document, ``author``, ``url`` and ``site`` in its meta; ``source``
is the file name.

The page is decoded by its BOM, else the encoding named on the command line, else the charset its
``<meta>`` or XML declaration names, else a guess (reported). Nothing is ever fetched: links, images and
the page's own URL are only read as text.

``article_from_html`` does the same for HTML from elsewhere (the clipboard); ``text_from_fragment`` turns
a snippet of HTML (a feed item's content) into plain text without looking for an article in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from annotator.core.checks import iso_day
from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.core.text import normalise_newlines
from annotator.formats.decoding import NotText, bom_encoding, decode, guess_note, is_guess
from annotator.formats.entry import Entry

SUFFIXES = (".html", ".htm", ".xhtml")
MAX_TITLE = 300
RECHECK_BELOW = 2_000  # characters: an article the extractor alone finds shorter is checked by the full comparison
HEAD = 65_536  # bytes searched for the charset and for HTML tags: both belong at the top of a page
NO_ARTICLE = "no article text found in the page (it may be a front page, a list, or a page whose text is loaded by a script)"

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_PAGE_TAG = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>/]", re.IGNORECASE)
_TEXT_TAG = re.compile(r"<(?:article|div|p)[\s>/]", re.IGNORECASE)  # a page saved without <html> or <body>
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>]")  # a feed's items may hold <p> in CDATA
# Browsers read these labels as windows-1252 (WHATWG Encoding), and so do pages that declare them.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}

# Short paragraphs that link to other articles ("Read more: ...") and lines that caption an image sit
# inside the article's markup, so trafilatura keeps them; they are not the article's text.
_LOWER = "translate(normalize-space(.), 'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÉ', 'abcdefghijklmnopqrstuvwxyzàé')"
_TEASERS = ("read more", "also read", "read also", "lesen sie auch", "mehr zum thema", "lire aussi", "à lire aussi")
_PRUNE = [
    "//p[.//a][string-length(normalize-space(.)) < 200]["
    + " or ".join(f"contains({_LOWER}, '{label}')" for label in _TEASERS)
    + "]",
    "//p[.//img][string-length(normalize-space(.)) < 150]",
]


def read(path: Path, options: ImportOptions) -> Iterator[Document | Problem]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    try:
        html, used, notes = decode_page(path, data, options.encoding)
    except NotText as exc:
        yield Problem.at(path, None, f"not imported: {exc}")
        return
    yield from notes
    if not looks_like_html(html):
        yield Problem.at(path, None, "not imported: it is not a web page (no <html>, <body>, <div> or <p> tag in it)")
        return
    found = article_from_html(html, source=path.name)
    yield Problem.at(path, None, found.message) if isinstance(found, Problem) else found


def decode_page(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str, list[Problem]]:
    """The page's text, the encoding used and notes about it; NotText if it is not text at all."""
    declared = None if bom_encoding(data) else encoding or declared_charset(data[:HEAD])
    if declared is not None:
        try:
            text, used = decode(data, declared)
            return text, used, []
        except NotText as exc:
            if encoding is not None:  # named by the person: their word stands
                raise
            # A page that declares one charset and is saved in another is common: read what it is.
            text, used = decode(data)
            guess = " (a guess: check the text; --encoding names it)" if is_guess(used) else ""
            return text, used, [Problem.note(path, None, f"declares charset {declared} but {exc}; read as {used}{guess}")]
    text, used = decode(data)
    return text, used, [guess_note(path, used)] if is_guess(used) else []


def declared_charset(head: bytes) -> str | None:
    found = _CHARSET.search(head) or _XML_ENCODING.search(head)
    if found is None:
        return None
    name = found.group(1).decode("ascii").lower()
    return "cp1252" if name in _AS_CP1252 else name


def looks_like_html(text: str) -> bool:
    head = text[:HEAD]
    if _PAGE_TAG.search(head):
        return True
    return _FEED_ROOT.search(head) is None and _TEXT_TAG.search(head) is not None


def article_from_html(html: str, source: str = "", url: str | None = None) -> Document | Problem:
    """The article in a page's HTML, or a Problem (at ``source``) saying why there is none.

    ``url`` is where the page came from, if known: it is stored, never fetched.
    """
    where = source or "HTML"
    if not html or not html.strip():
        return Problem.at(where, None, "no article text found in the page (it is empty)")
    try:
        # trafilatura's own extractor first, alone. Its comparison with readability and jusText costs a
        # third of the time and changes nothing on 10 of the 11 corpus pages with an article; on the 11th
        # (Spiegel) the extractor alone kept 882 characters of 15,343. So a short result is checked
        # by the full comparison: a folder of pages then imports at 50 a second on two cores, not 40.
        found = _extract(html, url, fast=True)
        if found is None or len(found.text or "") < RECHECK_BELOW:
            found = _extract(html, url, fast=False)
    except Exception as exc:  # a third-party parser on hostile input: report, never crash the import
        return Problem.at(where, None, f"could not be read as HTML: {type(exc).__name__}: {exc}")
    text = _paragraphs(found.text if found is not None else "")
    if not text:
        return Problem.at(where, None, NO_ARTICLE)
    text = _with_editors_note(html, text)
    return Document(
        text=text,
        title=_plain_line(found.title)[:MAX_TITLE] or Path(source).stem[:MAX_TITLE],
        date=iso_day(found.date),
        source=source,
        meta=_meta(found, url),
    )


# An editor's note says where the text comes from ("This post originally appeared on Grist"): part of
# the article for an analyst, though pages often put it beside the article element, where no extractor
# looks. Found by its class, it goes first.
_EDITORS_NOTE = re.compile(
    r"""<(p|div|aside)\b[^>]*\bclass\s*=\s*["'][^"']*\beditor'?s?[-_ ]?note\b[^"']*["'][^>]*>(.*?)</\1\s*>""",
    re.IGNORECASE | re.DOTALL,
)


def _with_editors_note(html: str, text: str) -> str:
    found = _EDITORS_NOTE.search(html)
    if found is None:
        return text
    note = " ".join(text_from_fragment(found.group(2)).split())
    if not note or len(note) > 400 or note in " ".join(text.split()):
        return text
    return f"{note}\n\n{text}"


def _extract(html: str, url: str | None, fast: bool):
    # Loaded here, not with the module: the catalogue imports every format, and trafilatura with lxml
    # takes a fifth of a second that an export or a plain-text import should not pay.
    import trafilatura
    from trafilatura.deduplication import LRUCache

    return trafilatura.bare_extraction(
        html,
        url=url,
        fast=fast,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,  # leaves out author boxes and footers
        # A cache of our own per page: trafilatura's default one is shared by all calls, so a page
        # imported twice (or two pages quoting one paragraph) would lose paragraphs the second time.
        deduplicate=LRUCache(maxsize=1024),
        prune_xpath=_PRUNE,
    )


def _paragraphs(text: str | None) -> str:
    """trafilatura's lines (one per paragraph, heading or list item) as blank-line separated paragraphs."""
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in normalise_newlines(text or "").split("\n"))
    return "\n\n".join(line for line in lines if line)


def _plain_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _meta(found, url: str | None) -> dict[str, str]:
    meta = {
        "author": _plain_line(found.author),
        "url": _plain_line(found.url or url),
        "site": _plain_line(found.sitename or found.hostname),
    }
    return {key: value for key, value in meta.items() if value}


# Elements after which a new paragraph starts; <br> starts a new line within one.
_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table td th tr ul".split()
)
_HIDDEN = frozenset(("script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg"))
_BREAK = None  # a paragraph break among the text pieces


def text_from_fragment(html: str) -> str:
    """Plain text of an HTML snippet (a feed item's content): paragraphs separated by a blank line.

    No article detection: a short snippet is kept whole, where trafilatura might find it too short.
    """
    if not html or not html.strip():
        return ""
    import lxml.etree  # with trafilatura: only when a page is read (see _extract)
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):
        return _paragraphs(html)  # not parseable as HTML: keep its characters as they are
    pieces: list[str | None] = []
    walker = lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        if event in ("comment", "pi"):
            pieces.append(_spaced(element.tail))
            continue
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN:
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                pieces.append(_BREAK)
            elif tag == "br":
                pieces.append("\n")
            pieces.append(_spaced(element.text))
        else:
            if tag in _BLOCKS:
                pieces.append(_BREAK)
            if element is not root:
                pieces.append(_spaced(element.tail))
    return _joined(pieces)


def _spaced(text: str | None) -> str:
    # Line breaks in HTML source are spaces; only <br> and block elements break lines.
    return re.sub(r"[ \t\r\n\f]+", " ", text or "")


def _joined(pieces: list[str | None]) -> str:
    paragraphs, current = [], []
    for piece in [*pieces, _BREAK]:
        if piece is not _BREAK:
            current.append(piece)
            continue
        lines = (line.strip() for line in "".join(current).split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
        current = []
    return "\n\n".join(paragraphs)


def sniff(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError:
        return False
    encoding = bom_encoding(head) or "utf-8"
    return looks_like_html(head.decode(encoding, errors="replace"))


def preview(path: Path) -> str:
    """Title, date and the first lines of the article, or why there is none."""
    found = [item for item in read(path, ImportOptions()) if isinstance(item, Document) or not item.warning]
    if not found or isinstance(found[0], Problem):
        return found[0].message if found else NO_ARTICLE
    document = found[0]
    lines = [f"Title: {document.title}", f"Date: {document.date or 'not given'}", ""]
    lines += [paragraph[:200] for paragraph in document.text.split("\n\n")[:3]]
    return "\n".join(lines)


ENTRY = Entry(
    name="web",
    title="Saved web page",
    suffixes=SUFFIXES,
    read=read,
    articles=True,
    sniff=sniff,
    preview=preview,
    slow=True,
)
