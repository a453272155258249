"""Find in the article, driven by keys: the selection is exactly the hit, whatever emoji come before it."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from annotator.core.model import Document
from annotator.services.projects import default_schema
from annotator.ui.article_view import ArticleView
from annotator.ui.find_bar import CURRENT_COLOUR, HIT_COLOUR, FindBar

TEXT = "🇺🇦 Kyiv is the capital. 😀👩🏽‍🔬 People in KYIV said hello to Zoë.\n\nThe end 𠀀."


@pytest.fixture
def article(qtbot):
    """An article view with its find bar under it, in a shown, active window (keys need focus)."""
    window = QWidget()
    view = ArticleView(window)
    bar = FindBar(view, window)
    layout = QVBoxLayout(window)
    layout.addWidget(view, 1)
    layout.addWidget(bar)
    qtbot.addWidget(window)
    window.resize(700, 400)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.show_document(Document(TEXT, title="Kyiv", id=1), [], default_schema())
    yield view, bar
    window.close()  # also keeps the window (and so the view and bar) alive until the test is over


def selected(view):
    return view.editor.textCursor().selectedText()


def marks(view):
    """The find marks drawn in the article: (text under the mark, its colour)."""
    return [
        (mark.cursor.selectedText(), mark.format.background().color().name())
        for mark in view.editor.extraSelections()
        if mark.format.background().color().name() in (HIT_COLOUR.name(), CURRENT_COLOUR.name())
    ]


def test_typing_selects_the_first_hit_exactly_after_a_flag_and_marks_every_hit(article, qtbot):
    view, bar = article
    bar.open()
    assert bar.isVisible() and bar.text.hasFocus()
    qtbot.keyClicks(bar.text, "kyiv")
    assert selected(view) == "Kyiv"
    assert view.editor.textCursor().selectionStart() == view.offsets.to_utf16(TEXT.index("Kyiv"))
    assert bar.count.text() == "1 of 2"
    assert marks(view) == [("Kyiv", CURRENT_COLOUR.name()), ("KYIV", HIT_COLOUR.name())]


def test_enter_f3_and_the_buttons_step_through_the_hits_both_ways(article, qtbot):
    view, bar = article
    bar.open()
    qtbot.keyClicks(bar.text, "kyiv")
    qtbot.keyClick(bar.text, Qt.Key.Key_Return)
    assert (bar.count.text(), selected(view)) == ("2 of 2", "KYIV")
    assert view.editor.textCursor().selectionStart() == view.offsets.to_utf16(TEXT.index("KYIV"))
    assert marks(view) == [("Kyiv", HIT_COLOUR.name()), ("KYIV", CURRENT_COLOUR.name())]
    qtbot.keyClick(bar.text, Qt.Key.Key_Return)  # past the last: back to the first
    assert (bar.count.text(), selected(view)) == ("1 of 2", "Kyiv")
    qtbot.keyClick(bar.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == "2 of 2"
    qtbot.keyClick(bar.text, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == "1 of 2"
    qtbot.keyClick(bar.text, Qt.Key.Key_F3)
    assert bar.count.text() == "2 of 2"
    qtbot.mouseClick(bar.previous, Qt.MouseButton.LeftButton)
    assert (bar.count.text(), selected(view)) == ("1 of 2", "Kyiv")
    qtbot.mouseClick(bar.next, Qt.MouseButton.LeftButton)
    assert (bar.count.text(), selected(view)) == ("2 of 2", "KYIV")


def test_f3_works_from_the_article_text_while_the_bar_is_open(article, qtbot):
    view, bar = article
    bar.open("kyiv")
    view.editor.setFocus()
    qtbot.keyClick(view.editor, Qt.Key.Key_F3)
    assert (bar.count.text(), selected(view)) == ("2 of 2", "KYIV")


def test_escape_hides_the_bar_clears_the_marks_and_returns_to_the_article(article, qtbot):
    view, bar = article
    bar.open()
    qtbot.keyClicks(bar.text, "kyiv")
    assert marks(view)
    qtbot.keyClick(bar.text, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert marks(view) == []
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.editor)


def test_open_again_selects_the_old_text_to_type_over(article, qtbot):
    view, bar = article
    bar.open()
    qtbot.keyClicks(bar.text, "kyiv")
    qtbot.keyClick(bar.text, Qt.Key.Key_Escape)
    bar.open()
    assert bar.text.selectedText() == "kyiv" and bar.text.hasFocus()
    qtbot.keyClicks(bar.text, "capital")
    assert (bar.text.text(), bar.count.text(), selected(view)) == ("capital", "1 of 1", "capital")


def test_typing_finds_from_the_text_cursor(article, qtbot):
    view, bar = article
    cursor = view.editor.textCursor()
    cursor.setPosition(view.offsets.to_utf16(TEXT.index("People")))
    view.editor.setTextCursor(cursor)
    bar.open()
    qtbot.keyClicks(bar.text, "kyiv")
    assert (bar.count.text(), selected(view)) == ("2 of 2", "KYIV")


def test_no_match_says_so_and_selects_nothing(article, qtbot):
    view, bar = article
    bar.open()
    qtbot.keyClicks(bar.text, "kyivx")
    assert bar.count.text() == "No matches"
    assert selected(view) == "" and marks(view) == []
    assert not bar.next.isEnabled()


def test_accents_and_case_are_ignored(article, qtbot):
    view, bar = article
    bar.open()
    qtbot.keyClicks(bar.text, "ZOE")
    assert (bar.count.text(), selected(view)) == ("1 of 1", "Zoë")


def test_every_hit_after_astral_characters_selects_exactly_its_text(article, qtbot):
    view, bar = article
    text = "😀a 🇺🇦A 𠀀a\n👩🏽‍🔬 a " * 5
    view.show_document(Document(text, id=2), [], default_schema())
    bar.open("a")
    hits = bar.hits()
    assert len(hits) == 20
    for start, end in hits:
        assert selected(view) == text[start:end]
        assert view.editor.textCursor().selectionStart() == view.offsets.to_utf16(start)
        qtbot.keyClick(bar.text, Qt.Key.Key_F3)


def test_show_hits_marks_a_search_query_in_a_new_document_without_taking_the_focus(article, qtbot):
    view, bar = article
    view.editor.setFocus()
    qtbot.waitUntil(view.editor.hasFocus)
    other = "The mayor of Kyiv spoke.\nIn the capital 😀 of Ukraine, kyiv residents listened."
    view.show_document(Document(other, title="Other", id=3), [], default_schema())
    bar.show_hits("capital Kyiv")
    assert bar.isVisible() and view.editor.hasFocus()
    assert bar.count.text() == "1 of 3"
    assert [text for text, _ in marks(view)] == ["Kyiv", "capital", "kyiv"]
    assert selected(view) == "Kyiv"
    qtbot.keyClick(view.editor, Qt.Key.Key_F3)
    assert selected(view) == "capital"


def test_refresh_finds_again_in_the_next_document(article, qtbot):
    view, bar = article
    bar.open("kyiv")
    view.show_document(Document("Kyiv, Kyiv and kyiv. 😀 Kyiv!", id=4), [], default_schema())
    bar.refresh()
    assert bar.count.text() == "1 of 4" and selected(view) == "Kyiv"
    assert len(marks(view)) == 4
    bar.close_bar()
    view.show_document(Document(TEXT, id=1), [], default_schema())
    bar.refresh()
    assert marks(view) == []
