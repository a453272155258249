"""Find in the open article: a bar with the text to find, "3 of 12", previous and next, and close.

Every hit is marked in the article and the current one is selected in the text, so it can be read,
annotated or copied. Typing finds from where the text cursor is, so adding letters keeps the same hit.
Like a browser's find, case and accents are ignored. Hits are code points (core.find) placed in
Qt's UTF-16 units through the article's OffsetMap.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStyle, QTextEdit, QToolButton, QWidget

from annotator.core.find import find_all, find_terms, terms
from annotator.ui.article_view import ArticleView

GROUP = "find"
HIT_COLOUR = QColor("#ffe08a")  # orange-yellow: every hit
CURRENT_COLOUR = QColor("#ff9f1c")  # orange: the hit Next and Previous are at
MAX_MARKS = 2000  # marks around the current hit; a one-letter find in a huge article would have 100,000s


class FindBar(QWidget):
    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._hits: list[tuple[int, int]] = []
        self._current = -1
        self._words: list[str] | None = None  # a search query's words (show_hits) instead of the typed phrase

        self.text = QLineEdit(self)
        self.text.setObjectName("findText")
        self.text.setPlaceholderText("Find in this article")
        self.text.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("9999 of 9999"))
        self.previous = self._button("findPrevious", "Previous hit (Shift+F3, Shift+Enter)", arrow=Qt.ArrowType.UpArrow)
        self.next = self._button("findNext", "Next hit (F3, Enter)", arrow=Qt.ArrowType.DownArrow)
        self.close_button = self._button("findClose", "Close (Esc)")
        self.close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous)
        layout.addWidget(self.next)
        layout.addWidget(self.close_button)

        self.text.textEdited.connect(self._typed)
        self.previous.clicked.connect(self.find_previous)
        self.next.clicked.connect(self.find_next)
        self.close_button.clicked.connect(self.close_bar)
        self.text.installEventFilter(self)
        view.editor.installEventFilter(self)  # F3 and Shift+F3 work from the article too
        self.hide()

    def _button(self, name: str, tip: str, arrow: Qt.ArrowType | None = None) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        if arrow is not None:
            button.setArrowType(arrow)
        return button

    def open(self, query: str | None = None) -> None:
        """Show the bar with its text selected, ready to type over; ``query`` replaces the text."""
        if query is not None:
            self.text.setText(query)
            self._words = None
        self.show()
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text.selectAll()
        self._find()

    def show_hits(self, query: str) -> None:
        """Mark the words of a project-wide search in the article just opened, at the first hit, and
        leave the focus where it is (the reader goes on with F3)."""
        self.text.setText(query)
        self._words = terms(query)
        self.show()
        self._find(anchor=0)

    def refresh(self) -> None:
        """Find again in the document the article now shows (call after show_document)."""
        if self.isVisible():
            self._find(anchor=0)
        else:
            self._clear_marks()

    def close_bar(self) -> None:
        """Hide, take the marks away and give the keyboard back to the article."""
        self.hide()
        self._hits, self._current = [], -1
        self._clear_marks()
        self.count.setText("")
        self.view.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def hits(self) -> list[tuple[int, int]]:
        """Where the hits are, in code points."""
        return list(self._hits)

    def find_next(self) -> None:
        self._step(+1)

    def find_previous(self) -> None:
        self._step(-1)

    def _typed(self, _text: str) -> None:
        self._words = None
        self._find()

    def _find(self, anchor: int | None = None) -> None:
        """Find in the shown text; the current hit is the first at or after ``anchor`` (by default the
        start of the text cursor's selection), wrapping to the first."""
        document = self.view.document
        body = document.text if document is not None else ""
        if self._words is not None:
            self._hits = find_terms(body, self._words, ignore_accents=True)
        else:
            self._hits = find_all(body, self.text.text(), ignore_accents=True)
        if anchor is None:
            anchor = self.view.offsets.to_code_point(self.view.editor.textCursor().selectionStart())
        self._current = next((i for i, (start, _) in enumerate(self._hits) if start >= anchor), 0) if self._hits else -1
        self._show()

    def _step(self, delta: int) -> None:
        if not self._hits:
            return
        self._current = (self._current + delta) % len(self._hits)
        self._show()

    def _show(self) -> None:
        self._update_count()
        if self._current < 0:
            self._clear_marks()
            self._collapse_selection()
            return
        self._mark()
        self._select(*self._hits[self._current])

    def _update_count(self) -> None:
        if not self._hits:
            self.count.setText("No matches" if self.text.text().strip() else "")
        else:
            self.count.setText(f"{self._current + 1} of {len(self._hits)}")
        self.previous.setEnabled(len(self._hits) > 1)
        self.next.setEnabled(len(self._hits) > 1)

    def _mark(self) -> None:
        first = max(0, self._current - MAX_MARKS // 2)
        marks = [
            self._mark_one(start, end, CURRENT_COLOUR if i == self._current else HIT_COLOUR)
            for i, (start, end) in enumerate(self._hits[first : first + MAX_MARKS], start=first)
        ]
        self.view.set_extra_selections(GROUP, marks)

    def _mark_one(self, start: int, end: int, colour: QColor) -> QTextEdit.ExtraSelection:
        mark = QTextEdit.ExtraSelection()
        mark.cursor = self._cursor(start, end)
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        fmt.setForeground(QColor("#000000"))
        mark.format = fmt
        return mark

    def _cursor(self, start: int, end: int) -> QTextCursor:
        low, high = self.view.offsets.span_to_utf16(start, end)
        cursor = QTextCursor(self.view.editor.document())
        cursor.setPosition(low)
        cursor.setPosition(high, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _select(self, start: int, end: int) -> None:
        editor = self.view.editor
        editor.setTextCursor(self._cursor(start, end))
        editor.ensureCursorVisible()

    def _collapse_selection(self) -> None:
        """No hit: nothing stays selected, and the cursor stays where the search started."""
        cursor = self.view.editor.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self.view.editor.setTextCursor(cursor)

    def _clear_marks(self) -> None:
        self.view.set_extra_selections(GROUP, [])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return super().eventFilter(watched, event)
        action = self._key_action(watched, event)
        if action is None:
            return super().eventFilter(watched, event)
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # these keys are ours here, even if a window shortcut uses them too
            return True
        action()
        return True

    def _key_action(self, watched: QObject, event: QKeyEvent):
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if watched is self.text:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3):
                return self.find_previous if shift else self.find_next
            if key == Qt.Key.Key_Escape:
                return self.close_bar
        elif watched is self.view.editor and self.isVisible() and key == Qt.Key.Key_F3:
            return self.find_previous if shift else self.find_next
        return None
