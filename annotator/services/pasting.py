"""An article pasted from the clipboard: made from its HTML when there is some, else from its text."""

from __future__ import annotations

from dataclasses import replace

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.text import normalise_newlines
from annotator.store.documents import add_documents
from annotator.store.project import Project

SOURCE = "clipboard"
MAX_TITLE = 80


def paste_article(project: Project, text: str = "", html: str = "") -> Document | Problem:
    """Add the pasted article to the project and return it (with its id); a Problem if there is nothing
    to add or the project has the same text already (the rule every import follows)."""
    document = article_of(text, html)
    if isinstance(document, Problem):
        return document
    result = add_documents(project, [document])
    if result.duplicates:
        _doc, kept = result.duplicates[0]
        return Problem(SOURCE, None, f"the project has this text already, as '{kept}'; nothing added")
    return result.added[0]


def article_of(text: str, html: str) -> Document | Problem:
    """The document the clipboard makes: the HTML's article with its title (and date, when the page says),
    else the plain text titled by its first line."""
    text = normalise_newlines(text or "").strip()
    found: Document | Problem | None = None
    if html and html.strip():
        from annotator.formats.web import article_from_html, text_from_fragment  # lxml: only when HTML comes

        # No source named: its title would fall back to the source's name, where the first line is better.
        found = article_from_html(html)
        if isinstance(found, Problem):
            found = Document(text=text or text_from_fragment(html).strip(), source=SOURCE)
        elif text and len(found.text.strip()) * 2 < len(text):
            # A copied selection is what the analyst wants whole: an extraction that lost most of it
            # (boilerplate removal judging short paragraphs) gives way to the text, keeping its title.
            found = replace(found, text=text)
    else:
        found = Document(text=text, source=SOURCE)
    if not found.text.strip():
        return Problem(SOURCE, None, "the clipboard holds no text to make an article of; nothing added")
    title = " ".join(found.title.split()) or first_line(found.text)
    return replace(found, title=title, source=SOURCE)


def first_line(text: str) -> str:
    """The first line with words, cut at a word to about MAX_TITLE characters."""
    line = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    if len(line) <= MAX_TITLE:
        return line
    cut = line[:MAX_TITLE].rsplit(" ", 1)[0] or line[:MAX_TITLE]
    return cut.rstrip(" ,;:") + "…"
