"""Saved RSS and Atom feeds: one article per item, read from the file alone."""

from __future__ import annotations

import socket

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.formats import feeds


def _read(path, options=None):
    found = list(feeds.read(path, options or ImportOptions()))
    return [d for d in found if isinstance(d, Document)], [p for p in found if isinstance(p, Problem)]


def _rss(items: str, channel: str = "<title>Agency wire</title>") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>{channel}{items}</channel></rss>'


def test_an_atom_feed_gives_one_article_per_entry(corpus):
    documents, problems = _read(corpus / "web" / "feed1.atom")
    assert problems == []
    assert [(d.title, d.date, d.text, d.source, d.meta) for d in documents] == [
        ("Atom-Powered Robots Run Amok", "2003-12-13", "Some text.", "feed1.atom",
         {"url": "http://example.org/2003/12/13/atom03", "author": "John Doe", "feed": "Example Feed"}),
        # Its only link is rel="self"; feedparser's own 'link' would be the entry's urn:uuid id.
        ("Self-referenced link", "2003-12-13", "Some text.", "feed1.atom",
         {"url": "http://example.org/1000", "author": "John Doe", "feed": "Example Feed"}),
    ]


def test_an_rss_feed_gives_one_article_per_item(corpus):
    documents, problems = _read(corpus / "web" / "feed2.rss")
    assert problems == []
    assert [(d.title, d.date, d.text, d.meta) for d in documents] == [
        ("Example entry", "2009-09-06", "Here is some text containing an interesting description.",
         {"url": "http://www.example.com/blog/post/1", "feed": "RSS Title"}),
    ]


def test_full_content_is_preferred_to_the_summary_and_its_html_becomes_paragraphs(tmp_path):
    path = tmp_path / "wire.xml"
    path.write_text(
        _rss(
            "<item><title>Talks to go on</title><link>https://example.org/talks</link>"
            "<author>desk@example.org (Ana Lopes)</author><pubDate>Wed, 13 Jan 2021 23:30:00 -0500</pubDate>"
            "<description>Short teaser.</description>"
            "<content:encoded><![CDATA[<p>The minister <b>said</b> so.</p><script>track()</script>"
            "<p>Talks go on&nbsp;next week.<br>In Geneva.</p>]]></content:encoded></item>"
        ),
        encoding="utf-8",
    )
    (document,), problems = _read(path)
    assert problems == []
    assert document.text == "The minister said so.\n\nTalks go on\xa0next week.\nIn Geneva."
    assert (document.title, document.date) == ("Talks to go on", "2021-01-14")  # the day in UTC
    assert document.meta == {"url": "https://example.org/talks", "author": "desk@example.org (Ana Lopes)", "feed": "Agency wire"}


def test_an_item_without_text_is_reported_by_number_and_the_others_imported(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(
        _rss(
            "<item><title>First</title><description>One.</description></item>"
            "<item><title>Only a title</title></item>"
            "<item><title>Third</title><description>&lt;p&gt;Three.&lt;/p&gt;</description></item>"
        ),
        encoding="utf-8",
    )
    documents, problems = _read(path)
    assert [(d.title, d.text) for d in documents] == [("First", "One."), ("Third", "Three.")]
    assert [(str(p), p.warning) for p in problems] == [(f"{path}: item 2 ('Only a title') has no text; skipped", True)]


def test_markup_in_an_item_title_is_never_kept_as_markup(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(_rss("<item><title>A &lt;b&gt;bold&lt;/b&gt; claim</title><description>Text.</description></item>"), encoding="utf-8")
    (document,), _ = _read(path)
    assert document.title == "A bold claim"


def test_what_is_not_a_feed_is_one_clear_problem(tmp_path):
    cases = {
        "page.xml": (b"<html><body><p>Hello</p></body></html>", "not imported: it is not an RSS or Atom feed"),
        "broken.rss": (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "not imported: it is not a readable RSS or Atom feed ("),
        "empty.atom": (b"", "not imported: the file is empty"),
        "none.rss": (_rss("").encode(), "not imported: the feed has no items"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        documents, problems = _read(path)
        assert documents == [] and len(problems) == 1, name
        assert str(problems[0]).startswith(f"{path}: {expected}"), str(problems[0])


def test_a_feed_cut_short_still_gives_its_items_with_a_warning(tmp_path):
    path = tmp_path / "cut.rss"
    path.write_text(_rss("<item><title>Whole</title><description>Kept.</description></item>")[:-20], encoding="utf-8")
    documents, problems = _read(path)
    assert [d.text for d in documents] == ["Kept."]
    assert [p.warning for p in problems] == [True] and "not well-formed" in problems[0].message


def test_the_file_alone_is_read_never_a_file_or_address_it_names(tmp_path, monkeypatch):
    def refuse(self, address):
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    entities = tmp_path / "entities.rss"
    entities.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY file SYSTEM "{secret.as_uri()}">'
        '<!ENTITY web SYSTEM "http://127.0.0.1:9/x">]>'
        + _rss("<item><title>t</title><description>before &file; &web; after</description></item>").split("?>", 1)[1],
        encoding="utf-8",
    )
    documents, _ = _read(entities)
    assert "TOP SECRET" not in " ".join(d.text for d in documents)
    # feedparser opens a str or bytes that names a file instead of parsing it: a feed file holding
    # a path must not be read through.
    naming = tmp_path / "naming.rss"
    naming.write_text(str(tmp_path / "wire.rss"), encoding="utf-8")
    (tmp_path / "wire.rss").write_text(_rss("<item><title>Elsewhere</title><description>x</description></item>"), encoding="utf-8")
    documents, problems = _read(naming)
    assert documents == [] and "not imported" in problems[0].message


def test_the_named_encoding_reads_a_feed_saved_in_it(tmp_path):
    path = tmp_path / "ru.rss"
    path.write_bytes(_rss("<item><title>Лавров</title><description>Переговоры продолжатся.</description></item>")
                     .replace('encoding="UTF-8"', 'encoding="windows-1251"').encode("cp1251"))
    (document,), problems = _read(path)
    assert problems == [] and (document.title, document.text) == ("Лавров", "Переговоры продолжатся.")


def test_sniff_preview_and_entry(corpus, tmp_path):
    assert feeds.sniff(corpus / "web" / "feed1.atom") and feeds.sniff(corpus / "web" / "feed2.rss")
    assert not feeds.sniff(corpus / "web" / "nature.com.telescope.html")
    other = tmp_path / "settings.xml"
    other.write_text('<?xml version="1.0"?><settings><feedback/></settings>', encoding="utf-8")
    assert not feeds.sniff(other)
    assert feeds.preview(corpus / "web" / "feed1.atom") == (
        "Feed: Example Feed\n2 items\n\n2003-12-13  Atom-Powered Robots Run Amok\n2003-12-13  Self-referenced link"
    )
    entry = feeds.ENTRY
    assert (entry.name, entry.title, entry.suffixes, entry.articles) == (
        "feed", "Saved news feed (RSS or Atom)", (".rss", ".atom", ".xml"), True
    )
