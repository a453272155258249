"""The current statement's speaker and cue drawn in the text: arcs an analyst sees, light enough to read through.

Everything runs in the real main window, offscreen; the article's viewport is grabbed as it is painted.
"""

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QTextCursor

from annotator.core.model import Document, Layer
from annotator.services import projects
from annotator.store.documents import add_documents

LEAD = (
    "The harbour bridge has been debated in the city council for more than two years, through four budgets, "
    "three public hearings and one referendum that nobody remembers well. "
)
TEXT = LEAD + "Sergey Lavrov said on Tuesday that “talks will go on until 2027.” The ministry added nothing."
QUOTE = "“talks will go on until 2027.”"


def at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@pytest.fixture
def window(show_window, tmp_path):
    project = projects.open_location(str(tmp_path / "links.annotator.sqlite"))
    add_documents(project, [Document(TEXT, title="Talks", date="2026-11-24")])
    made = show_window(project, annotator="ana")
    made.resize(1280, 800)
    yield made
    project.close()


def select(window, words: str) -> None:
    start, end = (window.article.offsets.to_utf16(i) for i in at(words))
    cursor = window.article.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    window.article.editor.setTextCursor(cursor)


def spans_by_words(window, layer):
    annotations = window.session.annotations
    return {TEXT[s.start : s.end]: s for s in annotations.visible(layer)}


@pytest.fixture
def statement(window, qtbot):
    """A statement with its speaker (an entity) and its cue, made as the analyst makes them; it is current."""
    session = window.session
    select(window, "Lavrov")
    session.label("PERSON")
    select(window, QUOTE)
    session.mark(Layer.STATEMENT)
    quote = spans_by_words(window, Layer.STATEMENT)[QUOTE]
    session.set_speaker(quote.uid, entity_uid=spans_by_words(window, Layer.ENTITY)["Lavrov"].uid)
    select(window, "said")
    session.set_cue()
    session.go_to(quote.uid)
    qtbot.wait(50)
    return spans_by_words(window, Layer.STATEMENT)[QUOTE]


def grab(window) -> QImage:
    return window.article.editor.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def rect_of(window, words: str) -> QRect:
    """The rectangle of the first character of ``words`` in viewport coordinates."""
    cursor = QTextCursor(window.article.editor.document())
    start, end = (window.article.offsets.to_utf16(i) for i in at(words))
    cursor.setPosition(start)
    left = window.article.editor.cursorRect(cursor)
    cursor.setPosition(end)
    right = window.article.editor.cursorRect(cursor)
    return QRect(left.topLeft(), right.bottomRight())


def lightness(image: QImage, x: int, y: int) -> int:
    return QColor(image.pixel(x, y)).lightness()


def _blueness(image: QImage, point: tuple[int, int]) -> int:
    colour = QColor(image.pixel(*point))
    return colour.blue() - colour.red()


def changed(before: QImage, after: QImage, box: QRect) -> list[tuple[int, int]]:
    return [
        (x, y)
        for x in range(max(box.left(), 0), min(box.right(), before.width() - 1) + 1)
        for y in range(max(box.top(), 0), min(box.bottom(), before.height() - 1) + 1)
        if before.pixel(x, y) != after.pixel(x, y)
    ]


def test_the_current_statements_speaker_and_cue_are_drawn_as_light_arcs(window, statement, qtbot):
    speaker, cue, quote = rect_of(window, "Lavrov"), rect_of(window, "said"), rect_of(window, QUOTE)
    assert speaker.top() == cue.top() == quote.top(), "the test text should keep the three on one line"
    drawn = grab(window)
    window.links.hide()  # the same text, marks and all, without the arcs
    plain = grab(window)
    window.links.show()
    line = window.article.editor.fontMetrics().lineSpacing()
    # Between the speaker and the statement, on the line and above it: arc pixels, blue or purple.
    between = QRect(speaker.center().x(), quote.top() - 2 * line, quote.left() - speaker.center().x(), 2 * line + 4)
    arc = changed(plain, drawn, between)
    assert len(arc) > 40
    above = changed(plain, drawn, QRect(between.left(), between.top(), between.width(), 2 * line))
    # Tinted towards the arcs' blue and purple (the labels' pale ground only lightens what it covers).
    bluish = [p for p in above if _blueness(drawn, p) > _blueness(plain, p) + 15]
    assert len(bluish) > 40
    # Between the cue and the statement too, the cue's own arc: its outline sits around "said".
    around_cue = changed(plain, drawn, cue.adjusted(-3, -1, 3, 1))
    assert around_cue
    # Nothing far below the line: the arcs stay near the statement.
    assert not changed(plain, drawn, QRect(0, quote.bottom() + line, drawn.width(), drawn.height()))
    # The text under the arcs stays readable: ink stays dark, and the arcs only tint what they cross.
    ink = [
        (x, y)
        for x in range(between.left(), between.right())
        for y in range(max(between.top(), 0), between.bottom())
        if lightness(plain, x, y) < 80
    ]
    assert len(ink) > 100, "the box should hold letters for the check to mean anything"
    still_dark = [p for p in ink if lightness(drawn, *p) < 150]
    assert len(still_dark) > 0.97 * len(ink)
    over_paper = [p for p in arc if lightness(plain, *p) > 240]
    faint = [p for p in over_paper if lightness(drawn, *p) > 150]  # an opaque blue or purple would be < 100
    assert over_paper and len(faint) > 0.8 * len(over_paper)


def test_nothing_is_drawn_when_an_entity_is_current(window, statement, qtbot):
    with_arcs = grab(window)
    window.session.go_to(spans_by_words(window, Layer.ENTITY)["Lavrov"].uid)
    qtbot.wait(50)
    assert not window.links.isVisible()
    entity = grab(window)
    speaker, quote = rect_of(window, "Lavrov"), rect_of(window, QUOTE)
    line = window.article.editor.fontMetrics().lineSpacing()
    above = QRect(speaker.center().x(), quote.top() - 2 * line, quote.left() - speaker.center().x(), 2 * line - 2)
    assert changed(with_arcs, entity, above), "the arcs above the line went away"
    window.session.go_to(statement.uid)
    qtbot.wait(50)
    assert window.links.isVisible()
    assert not changed(with_arcs, grab(window), above), "and came back with the statement"


def test_a_speaker_scrolled_out_of_view_is_drawn_to_the_edge(window, qtbot):
    """A speaker named paragraphs before the quote: scrolled to the quote, a line leads off the top edge."""
    filler = "\n".join(f"Paragraph {n} says nothing about anyone in particular." for n in range(40))
    text = f"Elena Varga spoke first.\n{filler}\n“We waited two years,” she said."
    [second] = add_documents(window.project, [Document(text, title="Waited", date="2026-11-25")]).added
    window.documents.reload()
    window.documents.select(second.id, notify=False)
    window.open_document(second.id)
    session = window.session

    def choose(words: str) -> None:
        start = window.article.offsets.to_utf16(text.index(words))
        end = window.article.offsets.to_utf16(text.index(words) + len(words))
        cursor = window.article.editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        window.article.editor.setTextCursor(cursor)

    choose("Elena Varga")
    session.label("PERSON")
    choose("“We waited two years,”")
    session.mark(Layer.STATEMENT)
    [quote] = session.annotations.visible(Layer.STATEMENT)
    [varga] = session.annotations.visible(Layer.ENTITY)
    session.set_speaker(quote.uid, entity_uid=varga.uid)
    bar = window.article.editor.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(50)
    assert window.links.isVisible() and window.links.pos().isNull()  # put back after the scroll
    drawn = grab(window)
    window.links.hide()
    plain = grab(window)
    window.links.show()
    top_rows = changed(plain, drawn, QRect(0, 0, drawn.width(), 6))
    assert top_rows, "a line from the quote to the top edge, where the speaker is"
    bar.setValue(0)  # now the speaker is on screen and the quote is below: the line leads off the bottom
    qtbot.wait(50)
    drawn = grab(window)
    window.links.hide()
    plain = grab(window)
    window.links.show()
    assert changed(plain, drawn, QRect(0, drawn.height() - 6, drawn.width(), 6))
    assert not changed(plain, drawn, QRect(0, 0, drawn.width(), 6))
