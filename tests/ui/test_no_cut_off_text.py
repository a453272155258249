"""No text a user needs is cut off: every label shows all its words, or says them in its tooltip.

Each panel is shown in the real main window, at 1280×800 and at the window's minimum size: the document
list, the side panel with a statement and then a claim current, the search panel with results, the find bar.
A label is cut off when its text is wider (one line) or taller (wrapped) than the room it is given; an
item view's row when its text does not fit its cell. Either is fine only with a tooltip holding the text.
"""

import html

import pytest
from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QLabel, QStyle, QStyleOptionViewItem

from annotator.core.model import Document, Layer
from annotator.services import projects
from annotator.store.documents import add_documents
from annotator.ui.plain import without_mnemonic
from annotator.ui.search_panel import PADDING, HIT_ROLE, result_document

SPEAKER = "Professor Maximiliane Oberhauser-Vandenbroucke of the Riverton Institute for Harbour Studies"
TEXT = (
    f"{SPEAKER} said on Tuesday that “the harbour bridge will cut the morning commute for forty thousand people "
    "by half an hour, and traffic will fall by a third in the old town.” Wheat prices rose 12% in Riverton, "
    "the ministry added."
)
TITLES = [
    "Riverton wins approval for 1.2 billion euro harbour bridge after two-year delay",
    "Wheat prices climb as Calvaria cuts harvest forecast for the third year running",
    "Short",
]
SIZES = ("1280x800", "minimum")


def at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@pytest.fixture
def window(show_window, tmp_path):
    project = projects.open_location(str(tmp_path / "cut.annotator.sqlite"))
    others = [Document(f"The harbour bridge, again ({n}).", title=title) for n, title in enumerate(TITLES[1:])]
    add_documents(project, [Document(TEXT, title=TITLES[0], date="2026-03-03"), *others])
    made = show_window(project, annotator="ana")
    yield made
    project.close()


def sized(window, qtbot, size: str) -> None:
    if size == "minimum":
        window.resize(QSize(1, 1))  # Qt keeps a window at least at its minimum size
    else:
        window.resize(1280, 800)
    qtbot.wait(60)
    if size == "minimum":
        assert window.width() <= max(window.minimumSizeHint().width(), window.minimumWidth()) + 1


def select(window, words: str) -> None:
    from PySide6.QtGui import QTextCursor

    start, end = (window.article.offsets.to_utf16(i) for i in at(words))
    cursor = window.article.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    window.article.editor.setTextCursor(cursor)


def in_tooltip(text: str, tooltip: str) -> bool:
    """The tooltip says all of ``text`` (tooltips are escaped plain text in markup, see ui.plain)."""
    shown = QTextDocument()
    shown.setHtml(tooltip) if tooltip.lstrip().startswith("<") else shown.setPlainText(tooltip)
    said = " ".join(shown.toPlainText().split())
    # A label may show a shortened text, "…" where words are left out: every part it shows is in the tooltip.
    parts = [" ".join(part.split()) for part in text.split("…")]
    return all(part in said for part in parts) or html.escape(text) in tooltip


def shown_text(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text)
    ):
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return without_mnemonic(text) if label.buddy() is not None else text


def cut_off_labels(root) -> list[str]:
    found = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text() or label.window() is not root:
            continue
        text = shown_text(label)
        room = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
        if label.indent() > 0:
            room.setLeft(room.left() + label.indent())
        metrics = label.fontMetrics()
        if label.wordWrap():
            cut = label.heightForWidth(label.width()) > label.height() + 1
        else:
            lines = text.split("\n")
            cut = max(metrics.horizontalAdvance(line) for line in lines) > room.width() + 1 or (
                len(lines) * metrics.lineSpacing() > room.height() + metrics.leading() + 2
            )
        if cut and not in_tooltip(text, label.toolTip()):
            found.append(f"{label.objectName() or type(label.parentWidget()).__name__}: {text!r} in {room.width()}×"
                         f"{room.height()} px")
    return found


def cell_room(view: QAbstractItemView, index) -> QRect:
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    rect = view.visualRect(index)
    return rect.adjusted(margin, 0, -margin, 0)


def cut_off_cells(view: QAbstractItemView, columns=None) -> list[str]:
    """Rows on screen whose text does not fit its cell, wrapped or not, and whose tooltip does not say it."""
    found = []
    model = view.model()
    metrics = view.fontMetrics()
    columns = range(model.columnCount(QModelIndex())) if columns is None else columns
    for row in range(model.rowCount()):
        for column in columns:
            if hasattr(view, "isColumnHidden") and view.isColumnHidden(column):
                continue
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            room = cell_room(view, index)
            if not text or room.bottom() < 0 or room.top() > view.viewport().height():
                continue
            if view.wordWrap():
                needed = metrics.boundingRect(QRect(0, 0, room.width(), 10_000), Qt.TextFlag.TextWordWrap, text)
                cut = needed.height() > room.height() or needed.width() > room.width() + 1
            else:
                cut = metrics.horizontalAdvance(text) > room.width()
            if cut and not in_tooltip(text, str(index.data(Qt.ItemDataRole.ToolTipRole) or "")):
                found.append(f"{view.objectName()} row {row} column {column}: {text!r} in {room.width()} px")
    return found


@pytest.mark.parametrize("size", SIZES)
def test_the_document_list_shows_whole_titles_or_says_them(window, qtbot, size):
    sized(window, qtbot, size)
    table = window.documents.table
    assert cut_off_cells(table) == []
    assert cut_off_labels(window) == []
    if size != "minimum":  # at the least size the titles' tooltips say them
        assert first_words_show(table), "a title gets a usable width: more than a word of it shows"


@pytest.mark.parametrize("size", SIZES)
def test_the_side_panel_with_a_statement_and_a_claim(window, qtbot, size):
    session = window.session
    select(window, SPEAKER)
    session.label("PERSON")
    quote = "“the harbour bridge will cut the morning commute for forty thousand people by half an hour"
    select(window, quote)
    session.mark(Layer.STATEMENT)
    [statement] = session.annotations.visible(Layer.STATEMENT)
    [speaker] = [s for s in session.annotations.visible(Layer.ENTITY) if TEXT[s.start : s.end] == SPEAKER]
    session.set_speaker(statement.uid, entity_uid=speaker.uid)
    sized(window, qtbot, size)
    assert cut_off_labels(window) == [], "a statement with a speaker, no cue yet"
    select(window, "said on Tuesday that")
    session.set_cue()
    qtbot.wait(20)
    panel = window.panel
    assert panel.cue.text().endswith("”"), "the cue keeps its closing quotation mark"
    assert cut_off_labels(window) == [], "a statement with a long speaker and a cue"
    assert in_tooltip(SPEAKER, panel.speaker.toolTip()), "the speaker box cannot show the whole name"
    assert cut_off_cells(panel.items, columns=[0]) == []
    select(window, "Wheat prices rose 12% in Riverton")
    session.mark(Layer.CLAIM)
    qtbot.wait(20)
    assert session.current_span().layer == Layer.CLAIM
    assert panel.checkworthiness.isVisible()
    assert cut_off_labels(window) == [], "a claim: its fields' names"
    assert cut_off_cells(panel.items, columns=[0]) == []


def first_words_show(table) -> bool:
    """The first title's first three words show whole in its cell (wrapped as the list wraps)."""
    room = cell_room(table, table.model().index(0, 0))
    needed = table.fontMetrics().boundingRect(QRect(0, 0, room.width(), 10_000), Qt.TextFlag.TextWordWrap,
                                              "Riverton wins approval")
    return needed.height() <= room.height() and needed.width() <= room.width()


def result_heights_fit(view) -> list[str]:
    """Search results: each row is as tall as its wrapped title and snippet, and no two rows overlap."""
    found = []
    last_bottom = -1
    for row in range(view.model().rowCount()):
        index = view.model().index(row, 0)
        rect = view.visualRect(index)
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = rect
        needed = result_document(index.data(HIT_ROLE), option, rect.width()).size().height() + 2 * PADDING
        if rect.height() + 1 < needed:
            found.append(f"row {row}: {rect.height()} px high, its text needs {needed:.0f}")
        if rect.top() < last_bottom:
            found.append(f"row {row} overlaps the row above")
        if rect.right() > view.viewport().width() + 1:
            found.append(f"row {row} is wider than the list: its right end is hidden")
        last_bottom = rect.bottom()
    return found


@pytest.mark.parametrize("size", SIZES)
def test_the_search_panel_with_results_leaves_the_document_list_usable(window, qtbot, size):
    window.show_search()
    window.search.query.setText("harbour")
    window.search.search_now()
    sized(window, qtbot, size)
    results = window.search.results
    assert results.count() == 3
    qtbot.waitUntil(lambda: not result_heights_fit(results), timeout=1000)  # the list lays out after 0.1 s
    assert result_heights_fit(results) == []
    assert results.viewport().width() > results.fontMetrics().horizontalAdvance("Riverton wins approval")
    assert cut_off_labels(window) == []
    table = window.documents.table
    assert cut_off_cells(table) == []
    assert first_words_show(table), "the search panel beside the list leaves its titles readable"


@pytest.mark.parametrize("size", SIZES)
def test_the_find_bar(window, qtbot, size):
    window.find_bar.open("harbour")
    sized(window, qtbot, size)
    assert window.find_bar.isVisible()
    assert window.find_bar.count.text()
    assert cut_off_labels(window) == []
