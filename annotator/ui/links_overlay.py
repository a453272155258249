"""The current statement's links drawn in the text: a thin arc from its content to its speaker and to its
cue, as brat and INCEpTION draw relations, with the linked spans outlined.

Only the current statement is drawn, and only what is on screen is measured: the blocks the viewport
shows are walked as QPlainTextEdit paints them, and a linked span outside them is drawn as a line to the
viewport's edge. The overlay is a child of the article's viewport that lets the mouse through; it is
hidden whenever there is nothing to draw, so the text is painted exactly as without it. The arcs and
outlines are half transparent: the letters under them stay readable.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from annotator.core.model import Layer, State
from annotator.core.vocabulary import CUE, SPEAKER

SPEAKER_COLOUR = QColor("#1d4ed8")  # a strong blue: no entity colour of the schema's pastels is near it
CUE_COLOUR = QColor("#7e22ce")  # the purple of the cue's band (ArticleView.mark_current), darker
ARC_ALPHA = 115  # of 255 (0.45): a letter under the arc stays black enough to read
OUTLINE_ALPHA = 140
LABEL_ALPHA = 220
LABEL_GROUND_ALPHA = 110  # the letters under a label show through its ground
ARC_WIDTH = 1.6


class Link(NamedTuple):
    name: str  # "speaker" or "cue": the arc's label
    colour: QColor
    start: int  # UTF-16 positions of the linked span in the view
    end: int


class Placed(NamedTuple):
    """Where a range is on screen: the rectangles of its lines that are shown (viewport coordinates),
    and, when none are, which side it lies on (-1 above the viewport, 1 below)."""

    rects: list[QRectF]
    side: int


class LinksOverlay(QWidget):
    """Draws the links of the session's current statement over ``view``'s text."""

    def __init__(self, view, session) -> None:
        viewport = view.editor.viewport()
        super().__init__(viewport)
        self.setObjectName("linksOverlay")
        self.view = view
        self.session = session
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # clicks and tooltips reach the text
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        viewport.installEventFilter(self)
        # QPlainTextEdit scrolls by moving its viewport's pixels and children: the overlay is put back.
        view.editor.updateRequest.connect(self._text_moved)
        view.editor.verticalScrollBar().valueChanged.connect(lambda _value: self._text_moved(None, 1))
        session.currentChanged.connect(lambda _span: self.refresh())
        session.changed.connect(lambda _edit: self.refresh())
        self.hide()

    # --- what to draw -----------------------------------------------------------------------------------

    def statement_links(self) -> tuple[tuple[int, int], list[Link]] | None:
        """The current statement's UTF-16 range in the view and its links, or None when nothing is to be drawn."""
        session, view = self.session, self.view
        annotations = session.annotations
        span = session.current_span()
        if span is None or span.layer != Layer.STATEMENT or annotations is None or view.document is None:
            return None
        if annotations.document.id != view.document.id:
            return None
        offsets = view.offsets
        links = []
        speaker = annotations.linked(span.uid, SPEAKER)
        if speaker is not None and speaker.state != State.REJECTED:
            links.append(Link("speaker", SPEAKER_COLOUR, *offsets.span_to_utf16(speaker.start, speaker.end)))
        cue = span.attributes.get(CUE)
        if cue:
            links.append(Link("cue", CUE_COLOUR, *offsets.span_to_utf16(int(cue[0]), int(cue[1]))))
        if not links:
            return None
        return offsets.span_to_utf16(span.start, span.end), links

    def refresh(self) -> None:
        """The current annotation or its links changed: show (and repaint) or hide the overlay."""
        wanted = self.statement_links() is not None
        if wanted:
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
            self.show()
            self.update()
        else:
            self.hide()

    def _text_moved(self, _rect, dy: int) -> None:
        if not self.isVisible():
            return
        if self.pos().x() or self.pos().y():
            self.move(0, 0)
        if dy:
            self.update()  # the arcs follow the text (a linked span may have come into view or left it)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())  # the text wraps anew: the arcs are measured again
        return False

    # --- where the text is --------------------------------------------------------------------------------

    def _shown_blocks(self) -> list[tuple[object, float]]:
        """The blocks the viewport shows, each with its top in viewport coordinates (as the editor paints)."""
        editor = self.view.editor
        block = editor.firstVisibleBlock()
        offset = editor.contentOffset()
        top = editor.blockBoundingGeometry(block).translated(offset).top()
        shown = []
        while block.isValid() and top <= self.height():
            height = editor.blockBoundingRect(block).height()
            if block.isVisible():
                shown.append((block, top))
            top += height
            block = block.next()
        return shown

    def place(self, start: int, end: int, shown=None) -> Placed:
        """The rectangles of the shown lines of UTF-16 range start-end (a line each), or its side."""
        shown = self._shown_blocks() if shown is None else shown
        if not shown:
            return Placed([], 1)
        x = self.view.editor.contentOffset().x()
        rects = []
        for block, top in shown:
            first = block.position()
            last = first + block.length() - 1  # without the separator
            if last < start:
                continue
            if first >= end:
                break
            layout = block.layout()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                lo = max(start, first + line.textStart())
                hi = min(end, first + line.textStart() + line.textLength())
                if hi <= lo:
                    continue
                x0 = _to_x(line, lo - first)
                x1 = _to_x(line, hi - first)
                rects.append(QRectF(x + min(x0, x1), top + line.y(), abs(x1 - x0), line.height()))
        if rects:
            return Placed(rects, 0)
        return Placed([], -1 if end <= shown[0][0].position() else 1)

    # --- drawing ------------------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        found = self.statement_links()
        if found is None:
            return
        (start, end), links = found
        shown = self._shown_blocks()
        statement = self.place(start, end, shown)
        targets = [self.place(link.start, link.end, shown) for link in links]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.view.editor.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.75))
        painter.setFont(font)
        # Two arcs over the same stretch of text: the shorter one lower, so they and their labels stay apart.
        spacing = self.view.editor.fontMetrics().lineSpacing()
        lengths = [abs(t.rects[0].center().x() - statement.rects[0].left()) if t.rects and statement.rects else 0.0
                   for t in targets]
        order = sorted(range(len(links)), key=lambda i: lengths[i])
        labels: list[QRectF] = []
        for n, (link, target) in enumerate(zip(links, targets)):
            outline = QColor(link.colour)
            outline.setAlpha(OUTLINE_ALPHA)
            painter.setPen(QPen(outline, 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in target.rects:
                painter.drawRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3, 3)
            if len(links) > 1:
                rise = spacing * (0.6 + 0.5 * order.index(n) / (len(links) - 1))
            else:
                rise = min(max(8.0, lengths[n] * 0.12 + 6.0), spacing * 1.1)
            path = self._arc(painter, statement, target, link, n, rise)
            if path is not None:
                self._label(painter, path, link, statement, target, labels)
        painter.end()

    def _arc(self, painter: QPainter, statement: Placed, target: Placed, link: Link, n: int, rise: float):
        """Draw the arc from the statement to one linked span (or to the viewport's edge); its path."""
        if not statement.rects and not target.rects:
            return None  # both off screen
        path = None
        if statement.rects and target.rects:
            path = _between(statement.rects, target.rects[0], rise, n)
        elif statement.rects:  # the speaker or cue is off screen: a line from the statement to that edge
            first = statement.rects[0] if target.side < 0 else statement.rects[-1]
            begin = QPointF(first.left() + min(4.0 + 6.0 * n, first.width() / 2), first.top() + 1)
            if target.side > 0:
                begin = QPointF(first.right() - min(4.0 + 6.0 * n, first.width() / 2), first.bottom() - 1)
            path = QPainterPath(begin)
            path.lineTo(QPointF(begin.x() + 24.0 + 10.0 * n, -2.0 if target.side < 0 else self.height() + 2.0))
        else:  # the statement is off screen: a line from that edge to the speaker or cue
            first = target.rects[0]
            finish = QPointF(first.center().x(), first.top() + 1 if statement.side < 0 else first.bottom() - 1)
            path = QPainterPath(QPointF(finish.x() - 24.0, -2.0 if statement.side < 0 else self.height() + 2.0))
            path.lineTo(finish)
        colour = QColor(link.colour)
        colour.setAlpha(ARC_ALPHA)
        painter.setPen(QPen(colour, ARC_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if target.rects:  # a small head where the arc meets the speaker or cue, pointing into it
            tip = path.pointAtPercent(1)
            back = path.pointAtPercent(max(0.0, 1 - 6.0 / max(path.length(), 6.0)))
            down = 1.0 if tip.y() >= back.y() - 0.5 else -1.0
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon(
                [tip, QPointF(tip.x() - 3.0, tip.y() - 5.0 * down), QPointF(tip.x() + 3.0, tip.y() - 5.0 * down)]
            )
        return path

    def _label(
        self, painter: QPainter, path: QPainterPath, link: Link, statement: Placed, target: Placed, taken: list
    ) -> None:
        """The arc's name on it, small, on a faint ground, where it has room and meets no other label."""
        text = link.name
        if not target.rects:
            text += " ↑" if target.side < 0 else " ↓"
        elif not statement.rects:
            text += " (statement ↑)" if statement.side < 0 else " (statement ↓)"
        metrics = QFontMetricsF(painter.font())
        box = QRectF(0, 0, metrics.horizontalAdvance(text) + 4, metrics.height())
        ends = path.pointAtPercent(0), path.pointAtPercent(1)
        if abs(ends[1].x() - ends[0].x()) < box.width() * 0.8 and abs(ends[1].y() - ends[0].y()) < box.height() * 2:
            return  # a short hop: the outline and the colour say enough
        for share in (0.5, 0.35, 0.65, 0.2, 0.8):
            box.moveCenter(path.pointAtPercent(share))
            # Kept inside the viewport, so a label at an edge can be read.
            box.moveLeft(min(max(box.left(), 1.0), self.width() - box.width() - 1.0))
            box.moveTop(min(max(box.top(), 1.0), self.height() - box.height() - 1.0))
            if not any(box.intersects(other) for other in taken):
                break
        else:
            return
        taken.append(QRectF(box))
        ground = QColor(self.view.editor.palette().color(QPalette.ColorRole.Base))
        ground.setAlpha(LABEL_GROUND_ALPHA)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ground)
        painter.drawRoundedRect(box, 3, 3)
        colour = QColor(link.colour)
        colour.setAlpha(LABEL_ALPHA)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


def _between(statement: list[QRectF], target: QRectF, rise: float, n: int) -> QPainterPath:
    """The arc from a statement's shown lines to a linked span on screen: up and over, from the
    statement's end nearer to the span (its start when the span comes first, its end when it follows)."""
    inset = 4.0 + 6.0 * n
    for line in statement:  # the span on a line of the statement, beside it
        if abs(line.top() - target.top()) < 2:
            if target.center().x() >= line.right():
                begin = QPointF(line.right() - min(inset, line.width() / 2), line.top() + 1)
                return _over(begin, QPointF(target.center().x(), target.top() + 1), rise)
            if target.center().x() <= line.left():
                begin = QPointF(line.left() + min(inset, line.width() / 2), line.top() + 1)
                return _over(begin, QPointF(target.center().x(), target.top() + 1), rise)
    last = statement[-1]
    if target.top() > last.top() + 1:  # below the statement's last line shown
        begin = QPointF(last.right() - min(inset, last.width() / 2), last.top() + 1)
    else:
        first = statement[0]
        begin = QPointF(first.left() + min(inset, first.width() / 2), first.top() + 1)
    return _over(begin, QPointF(target.center().x(), target.top() + 1), rise)


def _over(begin: QPointF, finish: QPointF, rise: float) -> QPainterPath:
    peak = min(begin.y(), finish.y()) - rise
    path = QPainterPath(begin)
    path.cubicTo(QPointF(begin.x(), peak), QPointF(finish.x(), peak), finish)
    return path


def _to_x(line, position: int) -> float:
    x = line.cursorToX(position)
    return float(x[0] if isinstance(x, tuple) else x)
