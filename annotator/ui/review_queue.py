"""Annotate ▸ Review Least Certain First: the project's unreviewed suggestions, one at a time.

The order is the model's uncertainty (services.review): the suggestions it was least sure of first, of
all three layers and across every document, then the unscored ones in document order. Pages of them are
read on a worker thread, the next before the last is used up, so no answer waits on the database.

Each suggestion is opened in the window behind (its article, the span current), and A or X there is
the window's own action: an Edit on the undo stack, saved at once, shown in the text and the list. The
dialog only chooses which suggestion comes next. Everything it shows from a document is plain text.
"""

from __future__ import annotations

import logging
from collections import deque

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from annotator.services import review
from annotator.ui.article_view import marked
from annotator.ui.offsets import OffsetMap
from annotator.ui.plain import warn
from annotator.ui.workers import Worker

log = logging.getLogger(__name__)
LOW = 50  # places left when the next page is asked for
WORDS_BACKGROUND = QColor("#ffe08a")
CUE_BACKGROUND = QColor("#e9d5ff")  # as the window marks a current statement's cue


def open_review(window) -> ReviewQueue:
    """Show the review (the one already open, if there is one) and bring it to the front."""
    dialog = next((d for d in window.findChildren(ReviewQueue) if d.isVisible()), None)
    if dialog is None:
        dialog = ReviewQueue(window)
        dialog.show()
        dialog.start()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class ReviewQueue(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("reviewQueue")
        self.setWindowTitle("Review Least Certain First")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.main = window
        self.places: deque[review.Place] = deque()  # read, not yet shown
        self.last_read: review.Place | None = None  # the next page starts after it
        self.all_read = False
        self.reading: Worker | None = None
        self.place: review.Place | None = None  # the one shown
        self.shown: review.Shown | None = None
        self.answers: list[tuple[review.Place, object]] = []  # answered, and its step on the undo stack
        self.answered = 0

        self.title = _plain("reviewTitle", self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.facts = _plain("reviewFacts", self)
        self.context = QPlainTextEdit(self)
        self.context.setObjectName("reviewContext")
        self.context.setReadOnly(True)
        self.context.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the letter keys are the dialog's
        self.context.setMaximumHeight(8 * self.context.fontMetrics().lineSpacing())
        self.count = _plain("reviewCount", self)
        self.count.setStyleSheet("color: palette(mid);")

        self.accept_button = self._button("&Accept  (A)", "A", lambda: self.answer(True))
        self.reject_button = self._button("Re&ject  (X)", "X", lambda: self.answer(False))
        self.skip_button = self._button("&Skip  (→)", "Right", self.skip)
        close = self._button("Close  (Esc)", None, self.close)
        undo = QAction(self)
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        undo.triggered.connect(self.undo)
        self.addAction(undo)

        buttons = QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.skip_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.context, 1)
        layout.addWidget(self.count)
        layout.addLayout(buttons)
        self.resize(640, self.sizeHint().height())
        window.owner.opened.connect(self._project_switched)

    def _button(self, text: str, key: str | None, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Return is not an answer
        button.clicked.connect(lambda _checked=False: slot())
        if key is not None:
            # An action of the dialog, not the button's own shortcut: that one answers only after its
            # click animation, and a quick run of keys would race it.
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _checked=False: button.isEnabled() and slot())
            self.addAction(action)
        return button

    @property
    def session(self):
        return self.main.session

    # --- reading the order -------------------------------------------------------------------------------

    def start(self) -> None:
        self._show_nothing("Looking for the suggestions the models were least sure of…")
        self._read_more()

    def _read_more(self) -> None:
        if self.reading is not None or self.all_read:
            return
        self.reading = Worker(review.least_certain, self.main.project, self.last_read, review.PAGE)
        self.reading.signals.finished.connect(self._arrived)
        self.reading.signals.failed.connect(self._failed)
        self.main.workers.start(self.reading)

    def _arrived(self, places: list[review.Place]) -> None:
        self.reading = None
        self.all_read = len(places) < review.PAGE
        if places:
            self.last_read = places[-1]
        self.places.extend(places)
        if self.shown is None:
            self.show_next()

    def _failed(self, message: str, _details: str) -> None:
        self.reading = None
        self.all_read = True
        warn(self, "Review", f"The suggestions could not be read: {message}")
        if self.shown is None:
            self.show_next()

    # --- showing one ------------------------------------------------------------------------------------

    def show_next(self) -> None:
        """The next suggestion still waiting (others may have been answered since they were read)."""
        self.place = self.shown = None
        while self.places and self.shown is None:
            place = self.places.popleft()
            shown = self._open(place)
            if shown is not None:
                self.place, self.shown = place, shown
        if len(self.places) < LOW:
            self._read_more()
        if self.shown is not None:
            self._show(self.shown)
        elif self.all_read and self.reading is None:
            self._show_nothing("No suggestions are left to review in this project.")
        else:
            self._show_nothing("Looking for more suggestions…")

    def _open(self, place: review.Place) -> review.Shown | None:
        """Open the place's article in the window, make the suggestion current; what to show of it."""
        if self.session.document_id != place.document_id:
            if not self.main.documents.select(place.document_id, notify=False):
                log.debug("document %s is not in the list as filtered", place.document_id)
            self.main.open_document(place.document_id)
        annotations = self.session.annotations
        if annotations is None or annotations.document.id != place.document_id:
            return None  # the article was removed meanwhile
        shown = review.describe(annotations, place.uid)
        if shown is not None:
            self.session.go_to(place.uid)
        return shown

    def _show(self, shown: review.Shown) -> None:
        self.title.setText(shown.title or "(untitled article)")
        self.facts.setText(shown.facts)
        self.context.setPlainText(shown.context)
        offsets = OffsetMap(shown.context)
        # The words as the current annotation is marked in the text; a statement's speaker and cue too.
        marks = [self._mark(offsets, shown.words_at, background=WORDS_BACKGROUND)]
        if shown.speaker_at is not None:
            marks.append(self._mark(offsets, shown.speaker_at, line=QTextCharFormat.UnderlineStyle.DashUnderline))
        if shown.cue_at is not None:
            marks.append(self._mark(offsets, shown.cue_at, background=CUE_BACKGROUND))
        self.context.setExtraSelections(marks)
        cursor = self.context.textCursor()
        cursor.setPosition(offsets.to_utf16(shown.words_at[0]))
        self.context.setTextCursor(cursor)
        self.context.centerCursor()
        self._enable(True)
        self._count()

    def _mark(self, offsets: OffsetMap, where: tuple[int, int], background: QColor | None = None, line=None):
        return marked(self.context.document(), offsets, *where, background, line)

    def _show_nothing(self, why: str) -> None:
        self.title.setText(why)
        self.facts.setText("")
        self.context.setPlainText("")
        self.context.setExtraSelections([])
        self._enable(False)
        self._count()

    def _enable(self, on: bool) -> None:
        for button in (self.accept_button, self.reject_button, self.skip_button):
            button.setEnabled(on)

    def _count(self) -> None:
        self.count.setText(f"{self.answered} answered in this review" if self.answered else "")

    # --- answering --------------------------------------------------------------------------------------

    def answer(self, accept: bool) -> None:
        """A or X: the window's accept or reject of the suggestion shown, saved at once; then the next."""
        place = self.place
        if place is None:
            return
        if self.session.document_id != place.document_id:  # another article was opened in the window
            self._open(place)
        annotations = self.session.annotations
        if annotations is None or review.describe(annotations, place.uid) is None:
            self.show_next()  # answered elsewhere meanwhile
            return
        edit = annotations.accept(place.uid) if accept else annotations.reject(place.uid)
        stack = self.session.undo_stack
        before = stack.index()
        self.session.do(edit)
        if stack.index() == before:  # not saved (the window has said why): it stays to be answered
            shown = self._open(place)
            if shown is not None:
                self.shown = shown
                self._show(shown)
                return
        else:
            self.answered += 1
            self.answers.append((place, stack.command(stack.index() - 1)))
        self.show_next()

    def skip(self) -> None:
        self.show_next()

    def undo(self) -> None:
        """Ctrl+Z: take back the last answer given here (if nothing was done in the window since) and
        show that suggestion again."""
        stack = self.session.undo_stack
        top = stack.command(stack.index() - 1) if stack.index() > 0 else None
        if not self.answers or self.answers[-1][1] is not top:
            self.session.message.emit("Nothing answered here to undo: Ctrl+Z in the window undoes its steps.")
            return
        place, _command = self.answers.pop()
        stack.undo()
        self.answered -= 1
        if self.place is not None:
            self.places.appendleft(self.place)
        self.places.appendleft(place)
        self.show_next()

    def _project_switched(self, _project) -> None:
        self.close()  # its places are another project's


def _plain(name: str, parent) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles and words from documents
    label.setWordWrap(True)
    return label
