"""The article: title and date above the text, highlighted spans, a legend, and what is under the mouse.

The text is plain text in a QPlainTextEdit, never rich text; spans arrive in code points and are
placed in UTF-16 units through OffsetMap, here and nowhere else.
"""

from __future__ import annotations

import html
from collections import Counter

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QTextOption
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QToolTip, QVBoxLayout, QWidget

from annotator.core.model import Document, Span, State
from annotator.core.schema import LabelSchema
from annotator.ui.highlighter import Placed, SpanHighlighter
from annotator.ui.offsets import OffsetMap

STATE_WORDS = {
    State.SUGGESTED: "suggested by",
    State.ACCEPTED: "accepted; made by",
    State.EDITED: "edited; first made by",
    State.REJECTED: "rejected; made by",
}


def describe(span: Span, text: str) -> str:
    """One line about a span, for the tooltip and the info line."""
    snippet = text[span.start : span.end]
    if len(snippet) > 60:
        snippet = snippet[:57] + "…"
    origin = span.origin or span.annotator or "unknown"
    return f"{span.label} “{snippet}” — {STATE_WORDS[span.state]} {origin}"


class ArticleView(QWidget):
    spanActivated = Signal(object)  # the Span clicked

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
        self.editor.setFrameShape(QFrame.Shape.NoFrame)
        text_font = QFont(self.editor.font())
        text_font.setPointSizeF(text_font.pointSizeF() * 1.15)
        self.editor.setFont(text_font)
        self.editor.document().setDocumentMargin(12)
        self.editor.viewport().setMouseTracking(True)
        self.editor.viewport().installEventFilter(self)
        self.highlighter = SpanHighlighter(self.editor.document())
        self._extra: dict[str, list] = {}  # named groups of QTextEdit.ExtraSelection (find hits, current span)

        self.legend = QLabel(self)
        self.legend.setObjectName("legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)  # our own markup; label names are escaped
        self.legend.setWordWrap(True)
        self.info = _plain_label(self, "spanInfo")
        self.info.setText("Point at a highlight to see its label and where it came from.")

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
        self.highlighter.set_spans([], {}, rehighlight=False)
        self.editor.setPlainText("")
        self.legend.setText("")

    def show_document(self, doc: Document, spans: list[Span], schema: LabelSchema) -> None:
        """Show a document; showing the same one again (new annotations) keeps the reader's place."""
        same = self.document is not None and self.document.id == doc.id and doc.id is not None
        scroll = self.editor.verticalScrollBar().value()
        self.document = doc
        self.offsets = OffsetMap(doc.text)
        self.title.setText(doc.title or "(untitled)")
        self.subtitle.setText(" · ".join(part for part in (doc.date, doc.source, _status_words(doc)) if part))
        visible = [s for s in spans if s.state != State.REJECTED]
        colours = {s.label: schema.colour_for(s.label, s.layer) for s in visible}
        placed = [Placed(*self.offsets.span_to_utf16(s.start, s.end), s) for s in visible]
        # Spans first, then the text: setPlainText highlights each block as it is laid out, once.
        self.highlighter.set_spans(placed, colours, rehighlight=False)
        self.editor.setPlainText(doc.text)
        self.legend.setText(_legend_html(visible, colours))
        if same:
            self.editor.verticalScrollBar().setValue(scroll)
        else:
            self.editor.moveCursor(self.editor.textCursor().MoveOperation.Start)

    def span_at(self, position: int) -> Span | None:
        """The innermost span covering the character at UTF-16 ``position``."""
        covering = [p for p in self.highlighter.spans_between(position, position + 1) if p.start <= position < p.end]
        if not covering:
            return None
        return min(covering, key=lambda p: p.end - p.start).span

    def _span_under(self, event: QMouseEvent) -> Span | None:
        cursor = self.editor.cursorForPosition(event.position().toPoint())
        rect = self.editor.cursorRect(cursor)
        position = cursor.position()
        # cursorForPosition rounds to the nearest gap between characters: take the one under the mouse.
        if event.position().x() < rect.x() and position > 0:
            position -= 1
        return self.span_at(position)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.editor.viewport() and self.document is not None:
            if event.type() == QEvent.Type.MouseMove:
                span = self._span_under(event)
                if span is None:
                    QToolTip.hideText()
                else:
                    QToolTip.showText(event.globalPosition().toPoint(), describe(span, self.document.text), self.editor)
            elif event.type() == QEvent.Type.MouseButtonRelease and not self.editor.textCursor().hasSelection():
                span = self._span_under(event)
                if span is not None:
                    self.info.setText(describe(span, self.document.text))
                    self.spanActivated.emit(span)
        return super().eventFilter(watched, event)


def _plain_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles come from input files: never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _status_words(doc: Document) -> str:
    return str(doc.status).replace("_", " ")


def _legend_html(spans: list[Span], colours: dict[str, str]) -> str:
    counts = Counter(s.label for s in spans)
    chips = [
        f'<span style="background-color:{html.escape(colours[label])}; color:#000;">&nbsp;{html.escape(label)}&nbsp;</span>'
        f"&nbsp;{n}"
        for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    if not chips:
        return "<i>No annotations in this document yet.</i>"
    return "&nbsp;&nbsp; ".join(chips)
