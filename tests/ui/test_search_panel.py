"""The search panel driven by keys and clicks on a real project file."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from annotator.core.model import Document
from annotator.store.documents import add_documents
from annotator.store.project import open_project
from annotator.ui.search_panel import HIT_ROLE, SearchPanel, result_document

ARTICLES = [
    Document(
        "🇺🇦 The mayor of Kyiv said talks would resume. Officials in Kyiv agreed; Kyiv waits.", title="Kyiv talks"
    ),
    Document("Wheat prices rose in Chicago.", title="Wheat"),
    Document("A concert in Lviv drew thousands from Kyiv.", title="Lviv concert"),
]


@pytest.fixture
def docs(project):
    return add_documents(project, ARTICLES).added


@pytest.fixture
def panel(qtbot, project, docs):
    widget = SearchPanel()
    qtbot.addWidget(widget)
    widget.resize(360, 420)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    widget.set_project(project)
    widget.focus_query()
    return widget


def titles(panel):
    return [hit.title for hit in panel.hits()]


def test_typing_lists_the_documents_after_a_pause_best_first(panel, qtbot):
    assert panel.query.placeholderText() == "Search all documents…"
    qtbot.keyClicks(panel.query, "kyiv")
    assert titles(panel) == []  # no search per letter: it waits for the typing to pause
    qtbot.waitUntil(lambda: panel.results.count() == 2)
    assert titles(panel) == ["Kyiv talks", "Lviv concert"]
    assert panel.count.text() == "2 documents"
    first = panel.results.item(0).text()
    assert first.startswith("Kyiv talks\n🇺🇦 The mayor of Kyiv")


def test_enter_searches_at_once_and_opens_the_first_result(panel, qtbot, docs):
    qtbot.keyClicks(panel.query, "kyiv")
    with qtbot.waitSignal(panel.documentChosen, timeout=1000) as chosen:
        qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert chosen.args == [docs[0].id, "kyiv"]
    assert titles(panel) == ["Kyiv talks", "Lviv concert"]


def test_down_moves_into_the_results_and_enter_opens_the_one_chosen(panel, qtbot, docs):
    qtbot.keyClicks(panel.query, "kyiv")
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)  # also runs the pending search
    assert panel.results.hasFocus() and panel.results.currentRow() == 0
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    assert panel.results.currentRow() == 1
    with qtbot.waitSignal(panel.documentChosen, timeout=1000) as chosen:
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert chosen.args == [docs[2].id, "kyiv"]
    qtbot.keyClick(panel.results, Qt.Key.Key_Up)
    qtbot.keyClick(panel.results, Qt.Key.Key_Up)  # above the first result: back to the query
    assert panel.query.hasFocus()


def test_clicking_a_result_opens_it(panel, qtbot, docs):
    qtbot.keyClicks(panel.query, "kyiv")
    qtbot.waitUntil(lambda: panel.results.count() == 2)
    second = panel.results.visualItemRect(panel.results.item(1)).center()
    with qtbot.waitSignal(panel.documentChosen, timeout=1000) as chosen:
        qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=second)
    assert chosen.args == [docs[2].id, "kyiv"]


def test_counts_and_nothing_found(panel, qtbot):
    qtbot.keyClicks(panel.query, "chicago")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert (titles(panel), panel.count.text()) == (["Wheat"], "1 document")
    panel.query.clear()
    qtbot.keyClicks(panel.query, "odesa")
    with qtbot.assertNotEmitted(panel.documentChosen):
        qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert (titles(panel), panel.count.text()) == ([], "No documents match")
    panel.query.clear()
    qtbot.waitUntil(lambda: panel.count.text() == "")


SYNTAX = {  # typed -> the documents it finds: its words, the syntax around them only text
    '"kyiv': ["Kyiv talks", "Lviv concert", "Near Kyiv"],
    "ky*": ["Kyiv talks", "Lviv concert", "Near Kyiv"],
    "-kyiv": ["Kyiv talks", "Lviv concert", "Near Kyiv"],
    "kyiv AND (": ["Near Kyiv"],  # the word "and", not an operator
    "NEAR(kyiv": ["Near Kyiv"],  # "near" followed by "Kyiv", not FTS5's NEAR()
    "wheat OR": [],  # nothing holds the word "or": no operator made it optional
}


@pytest.mark.parametrize("typed", SYNTAX)
def test_query_syntax_typed_into_the_box_is_just_text(panel, project, qtbot, typed):
    add_documents(project, [Document("Talks near Kyiv and in Lviv went on.", title="Near Kyiv")])
    qtbot.keyClicks(panel.query, typed)
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)
    assert "failed" not in panel.count.text()
    assert sorted(titles(panel)) == SYNTAX[typed]
    counts = {0: "No documents match", 1: "1 document", 3: "3 documents"}
    assert panel.count.text() == counts[len(SYNTAX[typed])]
    if SYNTAX[typed] and typed != "NEAR(kyiv":  # the index reads that one as the phrase "near kyiv"; the
        assert panel.results.item(0).data(HIT_ROLE).snippet_hits  # snippet marks words as typed


def test_document_text_is_shown_as_text_never_as_markup(panel, project, qtbot):
    add_documents(project, [Document("<i>Kyiv</i> &amp; <script>x</script>", title="<b>Bold</b> & co")])
    qtbot.keyClicks(panel.query, "script")
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)
    [hit] = panel.hits()
    option = QStyleOptionViewItem()
    option.initFrom(panel.results)
    shown = result_document(hit, option, 400).toPlainText()
    assert shown.startswith("<b>Bold</b> & co · 2 hits\n")
    assert "<i>Kyiv</i> &amp; <script>x</script>" in shown


def test_focus_query_selects_the_text_to_type_over(panel, qtbot):
    qtbot.keyClicks(panel.query, "wheat")
    panel.results.setFocus()
    panel.focus_query()
    assert panel.query.hasFocus() and panel.query.selectedText() == "wheat"
    qtbot.keyClicks(panel.query, "lviv")
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)
    assert titles(panel) == ["Lviv concert"]


def test_another_project_is_searched_with_the_same_query(panel, qtbot, tmp_path):
    qtbot.keyClicks(panel.query, "kyiv")
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)
    other = open_project(tmp_path / "other.annotator.sqlite")
    try:
        add_documents(other, [Document("Kyiv again, in another project.", title="Elsewhere")])
        panel.set_project(other)
        assert titles(panel) == ["Elsewhere"]
        panel.set_project(None)
        assert titles(panel) == [] and panel.count.text() == ""
    finally:
        other.close()


def test_each_result_is_drawn_at_the_height_of_its_wrapped_lines(panel, qtbot):
    qtbot.keyClicks(panel.query, "kyiv")
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)
    view = panel.results
    rect = view.visualItemRect(view.item(0))
    line = view.fontMetrics().lineSpacing()
    assert rect.height() >= 2 * line  # a title line and at least one snippet line
    assert view.item(0).data(HIT_ROLE).snippet_hits
    image = view.viewport().grab(rect).toImage()
    marked = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert "#ffe08a" in marked  # the hit in the snippet is marked with the find colour
