"""Opening an article runs on the window's thread: while it does, the window says so (wait cursor and a
status line painted before the open holds the thread), and an open slower than half a second says how
long it took. A first open once took 12 s with nothing shown."""

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import Document
from annotator.services import projects
from annotator.store.documents import add_documents


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "busy.annotator.sqlite"))
    add_documents(opened, [Document("A first article.", title="First"), Document("A second one.", title="Second")])
    yield opened
    opened.close()


def test_the_status_bar_and_cursor_say_an_article_is_opening(show_window, project, monkeypatch):
    window = show_window(project)
    seen = []
    real_open = window.session.open

    def watched(document_id):
        cursor = QApplication.overrideCursor()
        seen.append((window.statusBar().currentMessage(), cursor.shape() if cursor else None))
        return real_open(document_id)

    monkeypatch.setattr(window.session, "open", watched)
    window.open_document(2)
    assert seen == [("Opening the article…", Qt.CursorShape.WaitCursor)]
    assert window.article.document.text == "A second one."
    assert QApplication.overrideCursor() is None  # given back
    assert window.statusBar().currentMessage() == ""  # a quick open leaves no trace


def test_a_slow_open_says_how_long_it_took(show_window, project, monkeypatch):
    window = show_window(project)
    real_open = window.session.open

    def slow(document_id):  # the real open, on a machine as slow as the one the analyst saw
        time.sleep(0.6)
        return real_open(document_id)

    monkeypatch.setattr(window.session, "open", slow)
    window.open_document(2)
    message = window.statusBar().currentMessage()
    assert message.startswith("Opening the article: ") and message.endswith(" s")
    assert float(message.split(": ")[1].rstrip(" s")) >= 0.6
