"""Hebrew or Arabic words quoted in an English line of the side panel keep their quotation marks around
them: the marks are drawn at the two ends of the quotation, not moved into or after it by the
bidirectional algorithm."""

from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtCore import Qt

from annotator.ui.plain import quoted

HEBREW = "ראש הממשלה אמר"


def x_of(text: str, index: int) -> float:
    """Where the character at ``index`` is drawn in one left-to-right line of ``text``."""
    layout = QTextLayout(text, QFont())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return line.cursorToX(index)[0]


def test_a_quoted_hebrew_statement_keeps_its_marks_at_its_ends(qapp):
    line = f"STATEMENT: {quoted(HEBREW)} (direct) 2021"
    opening, closing = line.index("“"), line.index("”")
    words = [x_of(line, i) for i in range(opening + 1, closing)]
    # The opening mark stands left of every Hebrew letter, the closing mark right of them, and the English
    # after it further right still.
    assert x_of(line, opening) <= min(words)
    assert x_of(line, closing) >= max(words)
    assert x_of(line, line.index("(direct)")) > x_of(line, closing)


def test_without_the_isolates_the_marks_would_move(qapp):
    """The same line with bare marks: Qt draws the closing mark inside the Hebrew run (what the analyst saw)."""
    line = f"STATEMENT: “{HEBREW}” 2021"
    opening, closing = line.index("“"), line.index("”")
    words = [x_of(line, i) for i in range(opening + 1, closing)]
    assert not (x_of(line, opening) <= min(words) and x_of(line, closing) >= max(words)
                and x_of(line, line.index("2021")) > x_of(line, closing))


def test_english_words_are_quoted_as_they_were(qapp):
    assert quoted("Sergey Lavrov") == "“Sergey Lavrov”"
