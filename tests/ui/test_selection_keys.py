"""Ctrl+Alt+S, Ctrl+Alt+P, Ctrl+Alt+Q in the real window: the sentence, the paragraph, the quote selected."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from annotator.core.model import Document, Layer
from annotator.services import documents, projects
from annotator.store.documents import add_documents
from annotator.ui.cheat_sheet import sheet_html
from annotator.ui.menus import all_actions

TEXT = (
    "Flags 🇺🇦 and 😀 first. Sergey Lavrov said on Tuesday that “talks will go on 😀 until 2027.” "
    "The ministry’s press service added that „prices ‚rose‘ 12%“ in Moscow.\n"
    "A second paragraph, with no quotes at all."
)
Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL_ALT = Mod.ControlModifier | Mod.AltModifier


@pytest.fixture
def window(show_window, tmp_path):
    project = projects.open_location(str(tmp_path / "select.annotator.sqlite"))
    add_documents(project, [Document(TEXT, title="Talks", date="2026-11-24")])
    made = show_window(project, annotator="ana")
    made.article.editor.setFocus()
    yield made
    made.close()
    project.close()


def put_cursor(window, words: str, inside: int = 1) -> None:
    cursor = window.article.editor.textCursor()
    cursor.setPosition(window.article.offsets.to_utf16(TEXT.index(words) + inside))
    window.article.editor.setTextCursor(cursor)


def selected(window) -> str:
    start, end = window.article.selection()
    assert window.article.editor.textCursor().selectedText() == TEXT[start:end]  # the same in UTF-16
    return TEXT[start:end]


def test_keys_select_the_sentence_the_paragraph_and_the_quote_around_the_cursor(window, qtbot):
    editor = window.article.editor
    put_cursor(window, "Tuesday")
    qtbot.keyClick(editor, Key.Key_S, CTRL_ALT)
    assert selected(window) == "Sergey Lavrov said on Tuesday that “talks will go on 😀 until 2027.”"

    put_cursor(window, "will")
    qtbot.keyClick(editor, Key.Key_Q, CTRL_ALT)
    assert selected(window) == "talks will go on 😀 until 2027."  # two emoji before it: UTF-16 shifted by 3
    qtbot.keyClick(editor, Key.Key_Q, CTRL_ALT)  # again: with its marks
    assert selected(window) == "“talks will go on 😀 until 2027.”"

    put_cursor(window, "rose")
    qtbot.keyClick(editor, Key.Key_Q, CTRL_ALT)
    assert selected(window) == "rose"
    qtbot.keyClick(editor, Key.Key_Q, CTRL_ALT)
    qtbot.keyClick(editor, Key.Key_Q, CTRL_ALT)
    assert selected(window) == "prices ‚rose‘ 12%"  # the next pair out

    put_cursor(window, "second")
    qtbot.keyClick(editor, Key.Key_P, CTRL_ALT)
    assert selected(window) == "A second paragraph, with no quotes at all."
    put_cursor(window, "ministry")
    qtbot.keyClick(editor, Key.Key_P, CTRL_ALT)
    assert selected(window) == TEXT.split("\n")[0]


def test_no_quote_around_the_cursor_says_so_and_selects_nothing(window, qtbot):
    put_cursor(window, "second")
    qtbot.keyClick(window.article.editor, Key.Key_Q, CTRL_ALT)
    assert window.article.selection() is None
    assert "No quotation marks" in window.statusBar().currentMessage()


def test_a_selected_quote_is_marked_as_a_statement_with_exactly_its_characters(window, qtbot, tmp_path):
    put_cursor(window, "will")
    qtbot.keyClick(window.article.editor, Key.Key_Q, CTRL_ALT)
    qtbot.keyClick(window.article.editor, Key.Key_Q, CTRL_ALT)
    qtbot.keyClick(window.article.editor, Key.Key_S)  # S: mark the selection as a statement
    stored = documents.load_document(window.project, 1)
    statements = [TEXT[s.start : s.end] for s in stored.spans if s.layer == Layer.STATEMENT]
    assert statements == ["“talks will go on 😀 until 2027.”"]


def test_the_keys_are_in_the_menus_and_on_the_cheat_sheet(window):
    menus = [(a.menu().title(), all_actions(a.menu())) for a in window.menuBar().actions() if a.menu() is not None]
    sheet = sheet_html(menus)
    for name, keys in (("Select Sentence", "Ctrl+Alt+S"), ("Select Paragraph", "Ctrl+Alt+P"),
                       ("Select Quotation", "Ctrl+Alt+Q")):
        assert name in sheet
        assert keys in sheet
    every = [k.toString() for a in set(window.findChildren(QAction)) for k in a.shortcuts()]  # each action once
    for keys in ("Ctrl+Alt+S", "Ctrl+Alt+P", "Ctrl+Alt+Q", "Ctrl+Alt+M", "Ctrl+Alt+Shift+M"):
        assert every.count(keys) == 1, keys


def test_whole_characters_before_the_cursor_are_counted_once(window, qtbot):
    # The cursor just after the two emoji: code points and UTF-16 differ by three there.
    cursor = window.article.editor.textCursor()
    cursor.setPosition(window.article.offsets.to_utf16(TEXT.index("first")))
    window.article.editor.setTextCursor(cursor)
    qtbot.keyClick(window.article.editor, Key.Key_S, CTRL_ALT)
    assert selected(window) == "Flags 🇺🇦 and 😀 first."
    assert window.article.editor.textCursor().selectionEnd() == window.article.offsets.to_utf16(
        TEXT.index("first.") + len("first.")
    )
    # The cursor ends at the selection's end: Shift+arrows go on from there.
    assert window.article.editor.textCursor().position() == window.article.editor.textCursor().selectionEnd()
