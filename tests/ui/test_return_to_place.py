"""Back where the analyst was: undo from another article opens it at the change, and an article opened
again (in this run or after a restart) shows the place it was left at."""

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Document, Layer
from annotator.services import documents, projects
from annotator.store.documents import add_documents
from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow

LINES = [f"Paragraph {i} says 😀 very little of note, and goes on for a while to fill its line." for i in range(120)]
LINES[90] = "Far down, Zelda Quinn spoke to the council about the harbour."
LONG = "\n".join(LINES)
SHORT = "A short article about nothing much."
Key, Mod = Qt.Key, Qt.KeyboardModifier


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "place.annotator.sqlite"))
    add_documents(opened, [Document(LONG, title="Long"), Document(SHORT, title="Short")])
    yield opened
    opened.close()


def select(window, words: str) -> None:
    start = window.article.document.text.index(words)
    offsets = window.article.offsets
    cursor = window.article.editor.textCursor()
    cursor.setPosition(offsets.to_utf16(start))
    cursor.setPosition(offsets.to_utf16(start + len(words)), cursor.MoveMode.KeepAnchor)
    window.article.editor.setTextCursor(cursor)
    window.article.editor.ensureCursorVisible()


def on_screen(window, index: int) -> bool:
    """Whether the character at code point ``index`` is inside the text's viewport."""
    editor = window.article.editor
    cursor = editor.textCursor()
    cursor.setPosition(window.article.offsets.to_utf16(index))
    rect = editor.cursorRect(cursor)
    return editor.viewport().rect().contains(rect.center())


def cursor_at(window) -> int:
    return window.article.offsets.to_code_point(window.article.editor.textCursor().position())


def test_undo_from_another_article_opens_it_at_the_change(window, project, qtbot):
    select(window, "Zelda Quinn")
    qtbot.keyClick(window.article.editor, Key.Key_1)  # 1: PERSON
    where = LONG.index("Zelda Quinn")
    assert [LONG[s.start : s.end] for s in documents.load_document(project, 1).spans] == ["Zelda Quinn"]
    window.documents.select(2)
    assert window.session.document_id == 2

    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier)

    assert window.session.document_id == 1
    assert documents.load_document(project, 1).spans == []
    assert window.article.editor.verticalScrollBar().value() > 0  # not at the top
    assert on_screen(window, where)
    assert cursor_at(window) == where

    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)  # redo, the same way
    assert on_screen(window, where)
    span = window.session.current_span()
    assert span is not None and (span.layer, LONG[span.start : span.end]) == (Layer.ENTITY, "Zelda Quinn")


def test_undo_of_a_change_scrolled_out_of_sight_in_this_article_brings_it_back(window, project, qtbot):
    select(window, "Zelda Quinn")
    qtbot.keyClick(window.article.editor, Key.Key_1)
    window.article.editor.verticalScrollBar().setValue(0)
    where = LONG.index("Zelda Quinn")
    assert not on_screen(window, where)
    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier)
    assert on_screen(window, where)


def scroll_down_to(window, words: str) -> int:
    """Scroll the article so ``words`` is on screen, the cursor on it (the analyst reading down there)."""
    at = LONG.index(words)
    editor = window.article.editor
    bar = editor.verticalScrollBar()
    bar.setValue(bar.maximum() * 2 // 3)
    cursor = editor.cursorForPosition(editor.viewport().rect().center())
    editor.setTextCursor(cursor)
    return at


def test_reopening_an_article_returns_to_where_it_was_left(window, qtbot):
    scroll_down_to(window, "Paragraph 80")
    bar = window.article.editor.verticalScrollBar()
    scrolled, position = bar.value(), window.article.editor.textCursor().position()
    assert scrolled > 0
    window.documents.select(2)
    assert window.session.document_id == 2 and bar.value() == 0
    window.documents.select(1)
    assert window.session.document_id == 1
    assert bar.value() == scrolled
    assert window.article.editor.textCursor().position() == position


def test_the_place_is_kept_across_a_restart(window, project, qtbot, ruler_model):
    scroll_down_to(window, "Paragraph 80")
    editor = window.article.editor
    top = editor.cursorForPosition(editor.viewport().rect().topLeft()).blockNumber()
    position = editor.textCursor().position()
    window.close()

    again = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.session.document_id == 1
    editor = again.article.editor
    qtbot.waitUntil(lambda: editor.verticalScrollBar().value() > 0)  # placed once the window is on screen
    shown_top = editor.cursorForPosition(editor.viewport().rect().topLeft()).blockNumber()
    assert top - 1 <= shown_top <= editor.textCursor().blockNumber()  # its top, or lower if narrower now
    assert editor.textCursor().position() == position
    assert on_screen(again, cursor_at(again))
