"""The article: title and date above the text, highlighted spans, a legend, and what is under the mouse.

The text is plain text in a QPlainTextEdit, never rich text; spans arrive in code points and are
placed in UTF-16 units through OffsetMap, here and nowhere else.
"""

from __future__ import annotations

import html
from collections import Counter

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QTextEdit, QToolTip, QVBoxLayout, QWidget

from annotator.core.model import Document, Layer, Span, State
from annotator.core.schema import LabelSchema
from annotator.ui.highlighter import Placed, SpanHighlighter
from annotator.ui.offsets import OffsetMap
from annotator.ui.plain import plain_tooltip, quoted

STATE_WORDS = {
    State.SUGGESTED: "suggested by",
    State.ACCEPTED: "accepted; made by",
    State.EDITED: "edited; first made by",
    State.REJECTED: "rejected; made by",
}


LONG_ARTICLE_BLOCKS = 2_000  # paragraphs from which the highlights on screen come first (ui.highlighter)
CURRENT_BAND = QColor("#dfe7fb")  # the current statement or claim: pale, so the text stays easy to read
HINT = "Point at a highlight to see its label and where it came from."


def describe(span: Span, text: str) -> str:
    """One line about a span, for the tooltip and the info line."""
    snippet = text[span.start : span.end]
    if len(snippet) > 60:
        snippet = snippet[:57] + "…"
    origin = span.origin or span.annotator or "unknown"
    return f"{span.label} {quoted(snippet)} — {STATE_WORDS[span.state]} {origin}"



def marked(document, offsets, start: int, end: int, background: QColor | None = None, line=None):
    """An extra selection over code points start-end of a shown text: a background, an underline, or both."""
    mark = QTextEdit.ExtraSelection()
    lo, hi = offsets.span_to_utf16(start, end)
    cursor = QTextCursor(document)
    cursor.setPosition(lo)
    cursor.setPosition(hi, QTextCursor.MoveMode.KeepAnchor)
    mark.cursor = cursor
    fmt = QTextCharFormat()
    if background is not None:
        fmt.setBackground(background)
    if line is not None:
        fmt.setUnderlineStyle(line)
        fmt.setUnderlineColor(QColor("#222222"))
    mark.format = fmt
    return mark

class ArticleView(QWidget):
    spanActivated = Signal(object)  # the Span clicked
    contextMenuWanted = Signal(QPoint, object)  # global position, the Span under the mouse or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.offsets = OffsetMap("")
        self.title = _plain_label(self, "articleTitle")
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.subtitle = _plain_label(self, "articleMeta")
        self.subtitle.setStyleSheet("color: palette(mid);")

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("articleText")
        self.editor.setReadOnly(True)
        self.editor.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        follow_each_paragraphs_direction(self.editor)
        self.editor.setFrameShape(QFrame.Shape.NoFrame)
        text_font = QFont(self.editor.font())
        text_font.setPointSizeF(text_font.pointSizeF() * 1.15)
        self.editor.setFont(text_font)
        self.editor.document().setDocumentMargin(12)
        self.editor.viewport().setMouseTracking(True)
        self.editor.viewport().installEventFilter(self)
        self.highlighter = SpanHighlighter(self.editor.document())
        self.editor.verticalScrollBar().valueChanged.connect(lambda _value: self._colour_shown_blocks())
        self._extra: dict[str, list] = {}  # named groups of QTextEdit.ExtraSelection (find hits, current span)
        self.schema = None
        self.spans: dict[str, Span] = {}  # what is shown, by uid (rejected suggestions are not)
        self._counts: Counter = Counter()  # (layer, label) -> spans shown, and (None, SUGGESTED): for the legend
        self.exact_selection = False  # the mouse selection was made with Alt held: no snapping to tokens
        self.editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.editor.customContextMenuRequested.connect(self._context_menu)

        self.legend = QLabel(self)
        self.legend.setObjectName("legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)  # our own markup; label names are escaped
        self.legend.setWordWrap(True)
        self.info = _plain_label(self, "spanInfo")
        self.info.setText(HINT)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.info)
        self.clear()

    def set_extra_selections(self, group: str, selections: list) -> None:
        """Overlay marks that are not annotations (find hits, the current span) without touching
        another group's marks: QPlainTextEdit keeps a single list for all of them."""
        self._extra[group] = list(selections)
        self.editor.setExtraSelections([s for marks in self._extra.values() for s in marks])

    def clear(self) -> None:
        self.document = None
        self.offsets = OffsetMap("")
        self.title.setText("No document open")
        self.subtitle.setText("Choose an article on the left, or import some with File ▸ Import.")
        self.spans = {}
        self._counts = Counter()
        self.highlighter.set_spans([], {}, rehighlight=False)
        self.editor.setPlainText("")
        self.legend.setText("")
        self.set_extra_selections("current", [])

    def show_document(self, doc: Document, spans: list[Span], schema: LabelSchema) -> None:
        """Show a document; showing the same one again (new annotations) keeps the reader's place."""
        same = self.document is not None and self.document.id == doc.id and doc.id is not None
        scroll = self.editor.verticalScrollBar().value()
        self.document = doc
        self.offsets = OffsetMap(doc.text)
        self.title.setText(doc.title or "(untitled)")
        self.subtitle.setText(" · ".join(part for part in (doc.date, doc.source, _status_words(doc)) if part))
        self.schema = schema
        visible = [s for s in spans if s.state != State.REJECTED]
        self.spans = {s.uid: s for s in visible}
        self._counts = _counts(visible)
        if self.offsets.is_identity:  # no character outside the BMP: positions are the same in Qt
            placed = [Placed(s.start, s.end, s) for s in visible]
        else:
            placed = [self._place(s) for s in visible]
        # Spans first, then the text: setPlainText highlights each block as it is laid out, once.
        self.highlighter.set_spans(placed, self._colours(visible), rehighlight=False)
        self._extra = {}
        long_article = doc.text.count("\n") >= LONG_ARTICLE_BLOCKS
        if long_article:
            self.highlighter.hold()  # the blocks on screen are coloured below, the others soon after
        if set_plain_text(self.editor, doc.text) and not long_article:
            self.highlighter.rehighlight()  # the blocks were coloured while the text was one character longer
        self._update_legend()
        if same:
            self.editor.verticalScrollBar().setValue(scroll)
        else:
            self.editor.moveCursor(self.editor.textCursor().MoveOperation.Start)
        if long_article:
            self.highlighter.release(*self._shown_blocks())

    def _shown_blocks(self) -> tuple[int, int]:
        """Numbers of the first and (at most) the last block on screen."""
        first = self.editor.firstVisibleBlock().blockNumber()
        lines = self.editor.viewport().height() // max(self.editor.fontMetrics().lineSpacing(), 1)
        return max(first, 0), max(first, 0) + lines + 1

    def _colour_shown_blocks(self) -> None:
        self.highlighter.colour_blocks(*self._shown_blocks())

    def show_status(self, status) -> None:
        """The annotator's own status of the shown document, in the line under the title."""
        doc = self.document
        if doc is not None:
            words = str(status or "new").replace("_", " ")
            self.subtitle.setText(" · ".join(part for part in (doc.date, doc.source, words) if part))

    def _place(self, span: Span) -> Placed:
        return Placed(*self.offsets.span_to_utf16(span.start, span.end), span)

    def _colours(self, spans) -> dict[tuple[str, str], str]:
        kinds = {(s.layer, s.label) for s in spans}
        return {(str(layer), label): self.schema.colour_for(label, layer) for layer, label in kinds}

    def update_spans(self, removed: list[Span], added: list[Span]) -> None:
        """Show an action's result: only the spans it touched are replaced and repainted."""
        taken = [self.spans.pop(s.uid) for s in removed if s.uid in self.spans]
        gone = [self._place(s) for s in taken]
        shown = [s for s in added if s.state != State.REJECTED]
        for span in shown:
            self.spans[span.uid] = span
        self._counts.subtract(_counts(taken))
        self._counts.update(_counts(shown))
        self.highlighter.update_spans(gone, [self._place(s) for s in shown], self._colours(shown))
        self._update_legend()

    def _update_legend(self) -> None:
        self.legend.setText(_legend_html(self._counts, self.schema))

    def span_at(self, position: int, layer: Layer | None = None) -> Span | None:
        """The innermost span covering the character at UTF-16 ``position`` (entities before other layers)."""
        covering = [
            p
            for p in self.highlighter.spans_between(position, position + 1)
            if p.start <= position < p.end and (layer is None or p.span.layer == layer)
        ]
        if not covering:
            return None
        return min(covering, key=lambda p: (p.span.layer != Layer.ENTITY, p.end - p.start)).span

    def cursor_span(self) -> Span | None:
        """The span at the text cursor (the character after it, or before it at a span's end)."""
        position = self.editor.textCursor().position()
        return self.span_at(position) or (self.span_at(position - 1) if position else None)

    def selection(self) -> tuple[int, int] | None:
        """The selected text as a code point range, or None."""
        cursor = self.editor.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.to_code_point(cursor.selectionStart()), self.offsets.to_code_point(cursor.selectionEnd())

    def clear_selection(self) -> None:
        cursor = self.editor.textCursor()
        cursor.clearSelection()
        self.editor.setTextCursor(cursor)
        self.exact_selection = False

    def mark_current(self, span: Span | None, linked: list[Span] = (), cue: tuple[int, int] | None = None) -> None:
        """Show which annotation the keys act on. A current entity gets a darker band; a current statement
        or claim is drawn between a line above and a line below, so the entity colours inside stay
        readable: a pale band with a solid underline, the entities inside keeping their colours. Its
        speaker (or statement) is underlined with dashes, its cue gets a light band."""
        marks = []
        if span is not None:
            if span.layer == Layer.ENTITY:
                colour = QColor(self.schema.colour_for(span.label, span.layer)).darker(125)
                marks.append(
                    self._mark(
                        span.start, span.end, background=colour, line=QTextCharFormat.UnderlineStyle.SingleUnderline
                    )
                )
            else:
                line = QTextCharFormat.UnderlineStyle.SingleUnderline
                inside = sorted(
                    (s.start, s.end)
                    for s in self.spans.values()
                    if s.layer == Layer.ENTITY and span.start <= s.start and s.end <= span.end
                )
                at = span.start
                for lo, hi in inside + [(span.end, span.end)]:
                    if lo > at:
                        marks.append(self._mark(at, lo, background=CURRENT_BAND, line=line))
                    if hi > lo:
                        marks.append(self._mark(lo, hi, line=line))
                    at = max(at, hi)
            for other in linked:
                marks.append(self._mark(other.start, other.end, line=QTextCharFormat.UnderlineStyle.DashUnderline))
            if cue:
                marks.append(
                    self._mark(
                        cue[0], cue[1], background=QColor("#e9d5ff"), line=QTextCharFormat.UnderlineStyle.DotLine
                    )
                )
        self.set_extra_selections("current", marks)

    def _mark(self, start: int, end: int, background: QColor | None = None, line=None):
        return marked(self.editor.document(), self.offsets, start, end, background, line)

    def scroll_to(self, span: Span) -> None:
        """Bring a span into view and put the text cursor at its start (keyboard selection goes on from there)."""
        cursor = self.editor.textCursor()
        cursor.setPosition(self.offsets.to_utf16(span.end))
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        cursor.setPosition(self.offsets.to_utf16(span.start))
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()

    def _context_menu(self, point) -> None:
        cursor = self.editor.cursorForPosition(point)
        span = self.span_at(cursor.position()) if not self.editor.textCursor().hasSelection() else None
        self.contextMenuWanted.emit(self.editor.viewport().mapToGlobal(point), span)

    def _span_under(self, event: QMouseEvent) -> Span | None:
        cursor = self.editor.cursorForPosition(event.position().toPoint())
        rect = self.editor.cursorRect(cursor)
        position = cursor.position()
        # cursorForPosition rounds to the nearest gap between characters: take the one under the mouse,
        # which is the one before the gap if it lies on the gap's left (on its right in a right-to-left block).
        right_to_left = cursor.block().textDirection() == Qt.LayoutDirection.RightToLeft
        before = event.position().x() > rect.x() if right_to_left else event.position().x() < rect.x()
        if before and position > 0:
            position -= 1
        return self.span_at(position)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.editor.viewport() and self.document is not None:
            if event.type() == QEvent.Type.MouseMove:
                span = self._span_under(event)
                if span is None:
                    QToolTip.hideText()
                else:
                    tip = plain_tooltip(describe(span, self.document.text))
                    QToolTip.showText(event.globalPosition().toPoint(), tip, self.editor)
            elif event.type() == QEvent.Type.MouseButtonPress:
                self.exact_selection = False
            elif event.type() == QEvent.Type.MouseButtonRelease and self.editor.textCursor().hasSelection():
                # Alt held while selecting keeps the exact characters instead of snapping to whole tokens.
                self.exact_selection = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            elif event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
                span = self._span_under(event)
                if span is not None:
                    self.info.setText(describe(span, self.document.text))
                    self.spanActivated.emit(span)
        return super().eventFilter(watched, event)


# PySide turns every str into a QString with QString::fromUtf16/fromUcs4, which take a leading U+FEFF or
# U+FFFE for a byte order mark: the first is dropped, the second byte-swaps the whole text into nonsense.
# Either would move every highlight. Such a text goes in behind a harmless first character, then deleted.
BOM_LIKE = ("\ufeff", "\ufffe")


def set_plain_text(editor: QPlainTextEdit, text: str) -> bool:
    """Show exactly ``text``; True if it needed the workaround (the caller then highlights again)."""
    if not text.startswith(BOM_LIKE):
        editor.setPlainText(text)
        return False
    editor.setPlainText("x" + text)
    QTextCursor(editor.document()).deleteChar()
    editor.document().clearUndoRedoStacks()
    return True


def follow_each_paragraphs_direction(editor: QPlainTextEdit) -> None:
    """Lay out a Hebrew or Arabic paragraph from the right edge, an English one from the left.

    Qt already finds each paragraph's direction from its first strong character (so the arrow keys
    move the right way), but QPlainTextDocumentLayout gives every paragraph the document's one alignment
    as it is: AlignLeft put right-to-left paragraphs against the left edge. QTextEngine reads
    AlignJustify as "right for a right-to-left line", and justifies (stretches) lines only when the
    alignment is AlignJustify alone: with AlignLeft added, left-to-right lines stay left and ragged.
    One document-wide option, so nothing is done per paragraph; tests/ui/test_scripts.py holds Qt to it.
    """
    option = editor.document().defaultTextOption()
    option.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignJustify)
    editor.document().setDefaultTextOption(option)


def _plain_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles come from input files: never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _status_words(doc: Document) -> str:
    return str(doc.status).replace("_", " ")


def _counts(spans: list[Span]) -> Counter:
    """What the legend shows of these spans: how many of each (layer, label), and how many suggested."""
    counts = Counter((s.layer, s.label) for s in spans)
    counts[(None, State.SUGGESTED)] = sum(1 for s in spans if s.state == State.SUGGESTED)
    return counts


def _legend_html(counts: Counter, schema) -> str:
    """The legend from the counts an article view keeps up to date (an action changes a few of them)."""
    order = {Layer.ENTITY: 0, Layer.STATEMENT: 1, Layer.CLAIM: 2}
    chips = []
    labels = [(key, n) for key, n in counts.items() if key[0] is not None and n > 0]
    for (layer, label), n in sorted(labels, key=lambda kv: (order[kv[0][0]], -kv[1], kv[0][1])):
        colour = html.escape(schema.colour_for(label, layer))
        if layer == Layer.ENTITY:
            chip = f'<span style="background-color:{colour}; color:#000;">&nbsp;{html.escape(label)}&nbsp;</span>'
        else:
            chip = f'<u style="color:#000; text-decoration-color:{colour};">{html.escape(label.lower())}s</u>'
        chips.append(f"{chip}&nbsp;{n}")
    if not chips:
        return "<i>No annotations in this document yet.</i>"
    suggested = counts[(None, State.SUGGESTED)]
    waiting = (
        f"&nbsp;&nbsp;· <i>{suggested} suggestion{'s' if suggested != 1 else ''} to review</i>" if suggested else ""
    )
    return "&nbsp;&nbsp; ".join(chips) + waiting
