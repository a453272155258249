"""Saved web pages: the article's text only, its metadata, the page's charset, and never the network."""

from __future__ import annotations

import json
import re
import socket

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.formats import web

# Sentences of expected.json that no sensible trafilatura setting extracts, with why (see test below).
MISSED: set = set()  # sentences of expected.json no sensible setting extracts (none now)


def _expected(corpus):
    return json.loads((corpus / "web" / "expected.json").read_text(encoding="utf-8")).values()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _read(path, options=None):
    found = list(web.read(path, options or ImportOptions()))
    return [d for d in found if isinstance(d, Document)], [p for p in found if isinstance(p, Problem)]


def _page(body: str, title: str = "A page", head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body><article>{body}</article></body></html>"


ARTICLE = "".join(
    f"<p>Paragraph {i}: the minister told reporters on Monday that the talks would go on next week.</p>"
    for i in range(6)
)


def test_each_corpus_page_gives_its_article_text_and_none_of_the_page_around_it(corpus):
    failures = []
    for expected in _expected(corpus):
        documents, problems = _read(corpus / "web" / expected["file"])
        assert problems == [] and len(documents) == 1, expected["file"]
        text = _flat(documents[0].text)
        for sentence in expected["with"]:
            if _flat(sentence) not in text and (expected["file"], sentence) not in MISSED:
                failures.append((expected["file"], "missing", sentence))
        for boilerplate in expected["without"]:
            if _flat(boilerplate) in text:
                failures.append((expected["file"], "kept", boilerplate))
    assert failures == []


def test_an_editors_note_beside_the_article_element_comes_first(corpus, tmp_path):
    documents, _ = _read(corpus / "web" / "salon.com.emissions.html")
    assert _flat(documents[0].text).startswith("This post originally appeared on Grist.")
    page = tmp_path / "note.html"
    body = "".join(f"<p>Paragraph {n} of the story, long enough to be the article's own text here.</p>" for n in range(12))
    page.write_text(_page(body, head="").replace(
        "<body>", '<body><p class="editor-note">First published by <b>Example Wire</b>.</p>'), encoding="utf-8")
    documents, _ = _read(page)
    assert documents[0].text.startswith("First published by Example Wire.\n\n")
    assert documents[0].text.count("First published") == 1


def test_title_date_author_and_address_come_from_the_page(corpus):
    by_file = {expected["file"]: expected for expected in _expected(corpus)}
    for name in ("faz.net.streaming.html", "nature.com.telescope.html", "theguardian.com.academics.html"):
        (document,), _ = _read(corpus / "web" / name)
        assert (document.title, document.date) == (by_file[name]["title"], by_file[name]["date"])
        assert document.source == name
    (nature,), _ = _read(corpus / "web" / "nature.com.telescope.html")
    assert nature.meta == {
        "author": "Elizabeth Gibney",
        "url": "https://www.nature.com/articles/d41586-019-02790-3",
        "site": "Nature",
    }


def test_paragraphs_are_separated_by_one_blank_line(corpus):
    (document,), _ = _read(corpus / "web" / "nature.com.telescope.html")
    paragraphs = document.text.split("\n\n")
    assert len(paragraphs) > 10
    assert all(p.strip() == p and p and "\n" not in p for p in paragraphs)
    assert paragraphs[0].startswith("The world’s largest single-dish radio observatory is preparing")


def test_a_page_without_an_article_is_one_problem_naming_the_file(corpus):
    # A content-management template saved instead of an article: placeholders, no text.
    path = corpus / "web" / "lanouvellerepublique.fr.martin.html"
    documents, problems = _read(path)
    assert documents == []
    assert [str(p) for p in problems] == [f"{path}: {web.NO_ARTICLE}"]
    assert web.NO_ARTICLE.startswith("no article text found in the page (")


def test_nothing_reaches_the_network(corpus, tmp_path, monkeypatch):
    def refuse(self, address):
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    read = [d for page in sorted((corpus / "web").glob("*.html")) for d in _read(page)[0]]
    assert len(read) == 11  # 12 pages, one without an article
    linked = _page(
        '<img src="http://127.0.0.1:9/pixel.gif"><iframe src="http://127.0.0.1:9/ad"></iframe>' + ARTICLE,
        head='<link rel="stylesheet" href="http://127.0.0.1:9/s.css"><script src="http://127.0.0.1:9/x.js"></script>',
    )
    found = web.article_from_html(linked, source="linked.html", url="http://127.0.0.1:9/article")
    assert isinstance(found, Document) and found.meta["url"] == "http://127.0.0.1:9/article"


def test_the_declared_charset_decodes_the_page(tmp_path):
    path = tmp_path / "ru.html"
    body = "".join(f"<p>Абзац {i}: Сергей Лавров заявил журналистам, что переговоры продолжатся в Москве.</p>" for i in range(6))
    path.write_bytes(_page(body, "Лавров о переговорах", '<meta charset="windows-1251">').encode("cp1251"))
    (document,), problems = _read(path)
    assert problems == []  # declared, so not a guess
    assert document.title == "Лавров о переговорах"
    assert "Абзац 0: Сергей Лавров заявил журналистам" in document.text


def test_a_page_saved_in_another_charset_than_it_declares_is_read_with_a_warning(tmp_path):
    path = tmp_path / "cafe.html"
    body = "".join(f"<p>The café in Zürich opened again on Monday, number {i}, the owner said.</p>" for i in range(6))
    path.write_bytes(_page(body, "Café", '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">').encode("cp1252"))
    (document,), problems = _read(path)
    assert "The café in Zürich opened again" in document.text
    assert [p.warning for p in problems] == [True]
    assert problems[0].message.startswith("declares charset utf-8 but it is not valid utf-8 (byte ")
    assert problems[0].message.endswith("; read as cp1252 (a guess: check the text; --encoding names it)")


def test_an_xhtml_page_with_an_xml_declaration(tmp_path):
    path = tmp_path / "zug.xhtml"
    body = "".join(f"<p>Der Zug {i} fährt pünktlich von Frankfurt nach Barcelona, sagte die Sprecherin.</p>" for i in range(6))
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Über Züge</title>'
        f'<meta name="date" content="2021-03-04"/></head><body><article>{body}</article></body></html>',
        encoding="utf-8",
    )
    (document,), problems = _read(path)
    assert problems == []
    assert (document.title, document.date) == ("Über Züge", "2021-03-04")
    assert document.text.startswith("Der Zug 0 fährt pünktlich")


def test_markup_in_a_title_stays_plain_text_and_tags_in_the_text_are_dropped(tmp_path):
    path = tmp_path / "bold.html"
    path.write_text(_page("<p>A <b>bold</b> start to the week.</p>" + ARTICLE, "Why &lt;b&gt;bold&lt;/b&gt; matters"), encoding="utf-8")
    (document,), problems = _read(path)
    assert problems == []
    assert document.title == "Why <b>bold</b> matters"
    assert "A bold start to the week." in document.text
    assert "<" not in document.text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "not imported: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not imported: it contains NUL bytes"),
        (b"Just a note, no markup at all.\n", "not imported: it is not a web page"),
    ],
    ids=["empty", "binary", "plain text"],
)
def test_a_file_that_is_no_web_page_is_one_clear_problem(tmp_path, content, expected):
    path = tmp_path / "page.html"
    path.write_bytes(content)
    documents, problems = _read(path)
    assert documents == []
    assert len(problems) == 1 and str(problems[0]).startswith(f"{path}: {expected}")
    assert web.sniff(path) is False


def test_article_from_html_reports_where_the_html_came_from():
    assert isinstance(web.article_from_html(_page(ARTICLE)), Document)
    empty = web.article_from_html("   ", source="clipboard")
    assert str(empty) == "clipboard: no article text found in the page (it is empty)"
    nothing = web.article_from_html("<html><body><script>render()</script></body></html>", source="clipboard")
    assert str(nothing) == f"clipboard: {web.NO_ARTICLE}"


def test_a_fragment_keeps_its_paragraphs_and_line_breaks():
    html = (
        "<p>First <b>bold</b>\n   words &amp; more.</p>"
        "<script>track()</script><!-- note -->"
        "<p>Line one<br>line two</p>tail text<ul><li>one</li><li>two</li></ul>"
    )
    assert web.text_from_fragment(html) == "First bold words & more.\n\nLine one\nline two\n\ntail text\n\none\n\ntwo"
    assert web.text_from_fragment("Plain words, a < b.") == "Plain words, a < b."
    assert web.text_from_fragment("  ") == ""


def test_sniff_preview_and_entry(corpus):
    page = corpus / "web" / "nature.com.telescope.html"
    assert web.sniff(page) is True
    assert web.sniff(corpus / "web" / "feed2.rss") is False
    lines = web.preview(page).split("\n")
    assert lines[:3] == ["Title: Gigantic Chinese telescope opens to astronomers worldwide", "Date: 2019-09-24", ""]
    assert re.match(r"The world’s largest single-dish radio observatory", lines[3])
    assert web.preview(corpus / "web" / "lanouvellerepublique.fr.martin.html") == web.NO_ARTICLE
    entry = web.ENTRY
    assert (entry.name, entry.suffixes, entry.articles, entry.read) == ("web", (".html", ".htm", ".xhtml"), True, web.read)
    assert entry.file_filter() == "Saved web page (*.html *.htm *.xhtml)"
