"""Other scripts in the article: right-to-left paragraphs, words in text without spaces, possessives,
and a boundary that runs into a neighbouring suggestion. Real widgets, offscreen, as an analyst uses them."""

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import Document, Layer, Span, State
from annotator.core.schema import LabelSchema
from annotator.services import documents, projects
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions
from annotator.ui.article_view import ArticleView
from annotator.ui.words import word_breaks

Key, Mod = Qt.Key, Qt.KeyboardModifier
MODEL = "en_test@1"
SCHEMA = LabelSchema.from_dict({"labels": [{"name": "PERSON", "colour": "#ffd6a5"}]})
ENGLISH = "The talks went on for hours, and the two delegations met again after a short break in the afternoon."
HEBREW = "שר החוץ אמר היום כי השיחות יימשכו עד סוף השנה, ואולי גם אחרי כן, לפי מה שנמסר בירושלים."
ARABIC = "قال وزير الخارجية اليوم إن المحادثات ستستمر حتى نهاية العام."
HEBREW_WITH_ENGLISH = "השר נפגש עם Anna Berg בירושלים."  # a Hebrew paragraph: its first letter is Hebrew
ENGLISH_WITH_HEBREW = "The word שלום means peace."
ARTICLE = "\n".join([ENGLISH, HEBREW, ENGLISH_WITH_HEBREW, ARABIC, HEBREW_WITH_ENGLISH, ENGLISH])
THAI = "ประเทศไทยมีประชากรมาก"  # ประเทศ ไทย มี ประชากร มาก: "Thailand has a large population"
CHINESE = "我们今天去北京大学学习。"
SCRIPTS = f"Thai: {THAI}\nChinese: {CHINESE}"
POSSESSIVE = "The Health Ministry’s press office said Anna Berg met the mayor."


# --- right-to-left paragraphs --------------------------------------------------------------------------


@pytest.fixture
def article(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(520, 700)  # narrow: the long paragraphs wrap
    view.show()
    qtbot.waitExposed(view)
    span = Span(ARTICLE.index("ירושלים"), ARTICLE.index("ירושלים") + len("ירושלים"), "PERSON",
                origin=MODEL, state=State.SUGGESTED)
    view.show_document(Document(ARTICLE, title="Mixed"), [span], SCHEMA)
    return view


def block_of(view: ArticleView, paragraph: str):
    return view.editor.document().findBlockByNumber(ARTICLE.split("\n").index(paragraph))


def lines(block):
    """(left, right, available left, available right) of each laid-out line of a paragraph."""
    layout = block.layout()
    found = []
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        text = line.naturalTextRect()
        found.append((text.left(), text.right(), line.x(), line.x() + line.width()))
    return found


@pytest.mark.parametrize("paragraph", [HEBREW, ARABIC, HEBREW_WITH_ENGLISH], ids=["he", "ar", "he-en"])
def test_right_to_left_paragraphs_are_laid_out_against_the_right_edge(article, paragraph):
    block = block_of(article, paragraph)
    assert block.textDirection() == Qt.LayoutDirection.RightToLeft
    for left, right, edge_left, edge_right in lines(block):
        assert right == pytest.approx(edge_right, abs=1)
        assert left > edge_left + 5  # ragged on the left
    # The text cursor at the paragraph's start stands at the right edge.
    cursor = QTextCursor(block)
    assert article.editor.cursorRect(cursor).x() == pytest.approx(lines(block)[0][3], abs=2)


@pytest.mark.parametrize("paragraph", [ENGLISH, ENGLISH_WITH_HEBREW], ids=["en", "en-he"])
def test_left_to_right_paragraphs_stay_left_and_ragged(article, paragraph):
    block = block_of(article, paragraph)
    assert block.textDirection() == Qt.LayoutDirection.LeftToRight
    for left, _right, edge_left, _edge_right in lines(block):
        assert left == pytest.approx(edge_left, abs=1)
    if paragraph == ENGLISH:
        assert block.layout().lineCount() > 1
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfLine)
        left, right, _edge_left, edge_right = lines(block)[0]
        # A wrapped line ends where its words end: spaces are not stretched to fill the line (justified).
        assert article.editor.cursorRect(cursor).x() == pytest.approx(right, abs=2)
        assert right < edge_right - 5


def test_arrow_keys_in_a_hebrew_paragraph_follow_its_direction(article, qtbot):
    block = block_of(article, HEBREW)
    cursor = QTextCursor(block)
    article.editor.setTextCursor(cursor)
    article.editor.setFocus()
    x = article.editor.cursorRect().x()
    qtbot.keyClick(article.editor, Key.Key_Left)  # leftwards: on into the paragraph, which reads to the left
    assert article.editor.textCursor().position() == block.position() + 1
    assert article.editor.cursorRect().x() < x


def test_clicking_the_first_letter_of_a_highlight_in_hebrew_finds_it(article, qtbot):
    start = ARTICLE.index("ירושלים")
    cursor = QTextCursor(article.editor.document())
    cursor.setPosition(start)
    rect = article.editor.cursorRect(cursor)
    chosen = []
    article.spanActivated.connect(chosen.append)
    # The word's first letter is on the left of the gap before it: right-to-left.
    qtbot.mouseClick(article.editor.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() - 2, rect.center().y()))
    assert [ARTICLE[s.start : s.end] for s in chosen] == ["ירושלים"]


# --- the main window --------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "scripts.annotator.sqlite"))
    first, second = add_documents(
        opened, [Document(POSSESSIVE, title="Ministry", date="2026-11-24"), Document(SCRIPTS, title="Scripts")]
    ).added
    suggestions = [
        Span(POSSESSIVE.index("Health"), POSSESSIVE.index(" press"), "ORG", origin=MODEL, state=State.SUGGESTED),
        Span(POSSESSIVE.index("Anna"), POSSESSIVE.index("Anna") + 4, "PERSON", origin=MODEL, state=State.SUGGESTED),
        Span(POSSESSIVE.index("Berg"), POSSESSIVE.index("Berg") + 4, "GPE", origin=MODEL, state=State.SUGGESTED),
    ]
    save_suggestions(opened, [(first.id, suggestions)], MODEL)
    yield opened
    opened.close()


def spans_in(project, document_id=1, text=POSSESSIVE):
    """Entity spans as the database has them: text -> (label, state)."""
    stored = documents.load_document(project, document_id).spans
    return {text[s.start : s.end]: (s.label, s.state) for s in stored if s.layer == Layer.ENTITY}


def key(qtbot, window, k, modifier=Mod.NoModifier):
    qtbot.keyClick(window.article.editor, k, modifier)


def current_text(window) -> str:
    span = window.session.current_span()
    return POSSESSIVE[span.start : span.end]


def test_the_end_one_token_left_drops_a_possessive_with_its_word(window, project, qtbot):
    key(qtbot, window, Key.Key_Tab)
    assert current_text(window) == "Health Ministry’s"
    key(qtbot, window, Key.Key_Left, Mod.AltModifier | Mod.ShiftModifier)
    assert spans_in(project)["Health"] == ("ORG", State.EDITED)
    assert "Health Ministry’" not in spans_in(project)
    key(qtbot, window, Key.Key_Right, Mod.AltModifier | Mod.ShiftModifier)  # and back over the whole word
    assert spans_in(project)["Health Ministry’s"] == ("ORG", State.EDITED)


def answer_the_question(qtbot, button) -> list[str]:
    """Answer the next message box with ``button``; returns its text once it was seen."""
    seen = []

    def answer(tries=200):
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        elif tries:
            QTimer.singleShot(20, lambda: answer(tries - 1))

    QTimer.singleShot(0, answer)
    return seen


def back_from_the_question(window, qtbot) -> None:
    """The offscreen platform does not hand activation back to the window, as a desktop does; shortcuts
    reach only the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_growing_over_a_suggestion_says_why_and_can_replace_it_as_one_step(window, project, qtbot):
    key(qtbot, window, Key.Key_Tab)
    key(qtbot, window, Key.Key_Tab)
    assert current_text(window) == "Anna"

    seen = answer_the_question(qtbot, QMessageBox.StandardButton.Cancel)
    key(qtbot, window, Key.Key_Right, Mod.AltModifier | Mod.ShiftModifier)
    qtbot.waitUntil(lambda: bool(seen))
    assert "PERSON “Anna” cannot grow over suggested GPE “Berg”" in window.statusBar().currentMessage()
    assert "GPE “Berg”" in seen[0]
    assert spans_in(project)["Anna"] == ("PERSON", State.SUGGESTED)  # cancelled: nothing changed
    assert spans_in(project)["Berg"] == ("GPE", State.SUGGESTED)

    back_from_the_question(window, qtbot)
    seen = answer_the_question(qtbot, QMessageBox.StandardButton.Yes)
    key(qtbot, window, Key.Key_Right, Mod.AltModifier | Mod.ShiftModifier)
    qtbot.waitUntil(lambda: bool(seen))
    assert spans_in(project)["Anna Berg"] == ("PERSON", State.EDITED)
    assert spans_in(project)["Berg"] == ("GPE", State.REJECTED)
    shown = {POSSESSIVE[s.start : s.end] for s in window.article.spans.values()}
    assert "Anna Berg" in shown and "Berg" not in shown

    back_from_the_question(window, qtbot)
    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier)  # one undo brings both back
    assert spans_in(project)["Anna"] == ("PERSON", State.SUGGESTED)
    assert spans_in(project)["Berg"] == ("GPE", State.SUGGESTED)
    assert "Anna Berg" not in spans_in(project)


def open_scripts(window, qtbot):
    window.session.open(2)
    qtbot.waitUntil(lambda: window.article.document is not None and window.article.document.id == 2)
    window.article.editor.setFocus()


def select(window, start: int, end: int) -> None:
    """Select code points start-end, as a drag with the mouse would."""
    offsets = window.article.offsets
    cursor = window.article.editor.textCursor()
    cursor.setPosition(offsets.to_utf16(start))
    cursor.setPosition(offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    window.article.editor.setTextCursor(cursor)


def test_qt_finds_thai_words():
    """libthai (Debian: libthai0, in `make system-deps` and CI) gives Qt its Thai dictionary."""
    found = word_breaks(THAI)
    pieces = [THAI[a:b] for a, b in zip([0, *found], [*found, len(THAI)]) if a < b]
    assert pieces == ["ประเทศ", "ไทย", "มี", "ประชากร", "มาก"], "is libthai0 installed?"


def test_a_few_thai_characters_get_their_word_not_the_clause(window, project, qtbot):
    open_scripts(window, qtbot)
    inside = SCRIPTS.index("ชาก")  # three characters inside ประชากร
    select(window, inside, inside + 3)
    key(qtbot, window, Key.Key_3)  # 3 is GPE in the news schema
    assert spans_in(project, 2, SCRIPTS) == {"ประชากร": ("GPE", State.ACCEPTED)}

    across = SCRIPTS.index("ทศไ")  # the end of one word and the start of the next: both, whole
    select(window, across, across + 3)
    key(qtbot, window, Key.Key_1)
    assert spans_in(project, 2, SCRIPTS)["ประเทศไทย"] == ("PERSON", State.ACCEPTED)


def test_thai_alt_keeps_the_exact_characters(window, project, qtbot):
    open_scripts(window, qtbot)
    inside = SCRIPTS.index("ชาก")
    select(window, inside, inside + 3)
    key(qtbot, window, Key.Key_3, Mod.AltModifier)
    assert spans_in(project, 2, SCRIPTS) == {"ชาก": ("GPE", State.ACCEPTED)}


def test_chinese_characters_are_not_grown_to_the_clause(window, project, qtbot):
    """Qt has no Chinese dictionary: each ideograph is a word to it, so the selected characters stay."""
    open_scripts(window, qtbot)
    at = SCRIPTS.index("北京")
    select(window, at, at + 2)
    key(qtbot, window, Key.Key_3)
    assert spans_in(project, 2, SCRIPTS) == {"北京": ("GPE", State.ACCEPTED)}
    key(qtbot, window, Key.Key_Right, Mod.AltModifier | Mod.ShiftModifier)  # the end one word on: one character
    assert spans_in(project, 2, SCRIPTS) == {"北京大": ("GPE", State.ACCEPTED)}
