"""Edit ▸ Paste as New Article: the clipboard's text or HTML becomes a document, added, listed and opened."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

from annotator.services.documents import list_documents, load_document
from annotator.ui.menus import named_action

PLAIN = "Storm closes ports\nWinds of 150 km/h closed the ports of Riverton on Monday, officials said.\n"
PAGE = """<html><head><title>Budget passed after a night of debate</title>
<meta property="article:published_time" content="2020-03-01T08:00:00Z"></head><body>
<nav>Home | World | Sport</nav>
<article><h1>Budget passed after a night of debate</h1>
<p>Parliament passed the budget on Tuesday, 230 votes to 12, after a debate that lasted into the night.</p>
<p>The opposition walked out before the vote. "This is a budget for the few," its leader said.</p>
<p>The finance minister said the spending plans would be published in full next week.</p>
</article><footer>Copyright News Desk</footer></body></html>"""


@pytest.fixture(autouse=True)
def _cleared_clipboard():
    """The clipboard emptied after each test: mime data Qt still owns when the interpreter exits crashes
    the offscreen platform on its way out (a segmentation fault after every test passed)."""
    yield
    QApplication.clipboard().clear()
    QApplication.processEvents()


def _clipboard(text: str = "", html: str = "") -> None:
    mime = QMimeData()
    if text:
        mime.setText(text)
    if html:
        mime.setHtml(html)
    QApplication.clipboard().setMimeData(mime)


def _paste(window, qtbot) -> None:
    action = named_action(window, "Paste as New Article")
    assert action.shortcut().toString() == "Ctrl+Shift+V"
    action.trigger()


def test_plain_text_becomes_an_article_titled_by_its_first_line_and_opened(window, project, qtbot):
    _clipboard(PLAIN)
    _paste(window, qtbot)
    rows = list_documents(project)
    assert [(row.title, row.date) for row in rows] == [("Storm closes ports", None)]
    document = load_document(project, rows[0].id).document
    assert (document.text, document.source) == (PLAIN.strip(), "clipboard")
    assert window.article.document.id == rows[0].id  # opened
    assert window.article.editor.toPlainText() == PLAIN.strip()
    assert window.documents.current_id() == rows[0].id  # and chosen in the list
    assert "Storm closes ports" in window.statusBar().currentMessage()

    _paste(window, qtbot)  # the same text again: the project keeps one
    assert len(list_documents(project)) == 1
    assert "already" in window.statusBar().currentMessage() and "Storm closes ports" in window.statusBar().currentMessage()


def test_html_becomes_the_pages_article_with_its_title_and_date(window, project, qtbot):
    _clipboard("whatever the browser put as text", PAGE)
    _paste(window, qtbot)
    rows = list_documents(project)
    assert [(row.title, row.date) for row in rows] == [("Budget passed after a night of debate", "2020-03-01")]
    text = load_document(project, rows[0].id).document.text
    assert "230 votes to 12" in text and "Home | World" not in text and "<p>" not in text
    assert window.article.document.id == rows[0].id


def test_an_empty_clipboard_adds_nothing_and_says_so(window, project, qtbot):
    _clipboard()
    _paste(window, qtbot)
    _clipboard("   \n\t ")
    _paste(window, qtbot)
    assert list_documents(project) == []
    assert "nothing was pasted" in window.statusBar().currentMessage()


def test_hostile_text_is_pasted_as_the_characters_it_is(window, project, qtbot):
    hostile = '<img src="file:///dev/zero"> <b>not bold</b>'
    _clipboard(hostile)
    _paste(window, qtbot)
    rows = list_documents(project)
    assert [row.title for row in rows] == [hostile]
    assert window.article.editor.toPlainText() == hostile
