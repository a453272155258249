"""Search every document of the project: a query box, the count, and a list of titles with snippets.

Results come as you type (after a short pause, so a fast typist is not slowed down by a search per
letter) and at once on Enter, which also opens the best match. Down moves into the list; Enter or a
click there opens that document; Esc closes the panel. Titles and snippets are document text: they are escaped before
they go into the little HTML the list draws them with.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.find import SearchHit
from annotator.services.search import search
from annotator.ui.plain import plain_tooltip

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
DEBOUNCE_MS = 200
LIMIT = 200
PADDING = 6
HIT_BACKGROUND = "#ffe08a"  # the same orange-yellow as the find bar's marks in the article


class SearchPanel(QWidget):
    documentChosen = Signal(int, str)  # document id, the query (to highlight its words in the document)
    escaped = Signal()  # Esc in the box or the list: the window closes the panel, back to the article

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = None
        self._searched: str | None = None  # the query the list shows the results of

        self.query = QLineEdit(self)
        self.query.setObjectName("searchQuery")
        self.query.setPlaceholderText("Search all documents…")
        self.query.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("searchCount")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setStyleSheet("color: palette(mid);")
        self.results = QListWidget(self)
        self.results.setObjectName("searchResults")
        self.results.setItemDelegate(SearchHitDelegate(self.results))
        self.results.setResizeMode(QListView.ResizeMode.Adjust)  # heights follow the width (wrapped lines)
        # Without it QListView lays its rows out again only when its height changes: a narrower list kept
        # the old heights, and a title that now wrapped ran into the next result.
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        # Room for a title's first words a line: squeezed by the window, the list showed a letter or two a line.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.query)
        layout.addWidget(self.count)
        layout.addWidget(self.results, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self.query.returnPressed.connect(self._enter)
        self.query.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.clicked.connect(self._choose)

    def set_project(self, project) -> None:
        """Search another project (or none); the query stays and is run again on it."""
        self.project = project
        self.search_now()

    def refresh(self) -> None:
        """Run the query again, e.g. after an import added documents."""
        self.search_now()

    def focus_query(self) -> None:
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def hits(self) -> list[SearchHit]:
        return [self.results.item(row).data(HIT_ROLE) for row in range(self.results.count())]

    def search_now(self) -> None:
        self._timer.stop()
        query = self.query.text()
        self._searched = query
        found: list[SearchHit] = []
        message = ""
        if self.project is not None and query.strip():
            try:
                found = search(self.project, query, LIMIT)
            except AnnotatorError as exc:  # the database is busy or gone: say so where the results would be
                message = str(exc)
            else:
                message = _count_words(len(found))
        self._fill(found)
        self.count.setText(message)

    def _fill(self, found: list[SearchHit]) -> None:
        self.results.clear()
        for hit in found:
            item = QListWidgetItem(f"{hit.title}\n{hit.snippet}")  # plain text, for screen readers
            item.setData(HIT_ROLE, hit)
            item.setToolTip(plain_tooltip(hit.title))
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)

    def _enter(self) -> None:
        """Enter in the query: search now if the list is behind, then open the selected (first) result."""
        if self._timer.isActive() or self._searched != self.query.text():
            self.search_now()
        self._choose(self.results.currentIndex())

    def _choose(self, index: QModelIndex) -> None:
        if not index.isValid():
            if self.results.count() == 0:
                return
            index = self.results.model().index(0, 0)
        hit: SearchHit = index.data(HIT_ROLE)
        self.documentChosen.emit(hit.document_id, self.query.text().strip())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = event.key()
        if key == Qt.Key.Key_Escape and watched in (self.query, self.results):
            self.escaped.emit()
            return True
        if watched is self.query and key == Qt.Key.Key_Down:
            if self._timer.isActive():
                self.search_now()
            if self.results.count():
                if self.results.currentRow() < 0:
                    self.results.setCurrentRow(0)
                self.results.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if watched is self.results:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose(self.results.currentIndex())
                return True
            if key == Qt.Key.Key_Up and self.results.currentRow() <= 0:
                self.query.setFocus(Qt.FocusReason.BacktabFocusReason)
                return True
        return super().eventFilter(watched, event)


def _count_words(n: int) -> str:
    if n == 0:
        return "No documents match"
    if n >= LIMIT:
        return f"The first {LIMIT} documents"
    return f"{n} document{'s' if n != 1 else ''}"


def result_html(hit: SearchHit, palette: QPalette, selected: bool = False) -> str:
    """The title on one line, the snippet below with its hits marked. Every piece of document text is
    escaped: a title like "<b>x</b>" shows as those characters."""
    text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
    muted = text if selected else _mix(text, palette.color(QPalette.ColorRole.Base), 0.62)
    parts, last = [], 0
    for start, end in hit.snippet_hits:
        parts.append(html.escape(hit.snippet[last:start]))
        parts.append(
            f'<span style="background-color:{HIT_BACKGROUND}; color:#000; font-weight:600;">'
            f"{html.escape(hit.snippet[start:end])}</span>"
        )
        last = end
    parts.append(html.escape(hit.snippet[last:]))
    times = f"{hit.hits} hit{'s' if hit.hits != 1 else ''}" if hit.hits else "in the title"
    return (
        f'<div style="color:{text.name()}; font-weight:600;">{html.escape(hit.title or "(untitled)")}'
        f'<span style="color:{muted.name()}; font-weight:normal;"> · {times}</span></div>'
        f'<div style="color:{muted.name()};">{"".join(parts)}</div>'
    )


def result_document(hit: SearchHit, option: QStyleOptionViewItem, width: int) -> QTextDocument:
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    document = QTextDocument()
    document.setDefaultFont(QFont(option.font))
    document.setDocumentMargin(0)
    document.setTextWidth(max(40, width - 2 * PADDING))
    document.setHtml(result_html(hit, option.palette, selected))
    return document


def _mix(a: QColor, b: QColor, share_of_a: float) -> QColor:
    return QColor(
        round(a.red() * share_of_a + b.red() * (1 - share_of_a)),
        round(a.green() * share_of_a + b.green() * (1 - share_of_a)),
        round(a.blue() * share_of_a + b.blue() * (1 - share_of_a)),
    )


class SearchHitDelegate(QStyledItemDelegate):
    """Draws a result as two short blocks of rich text: the title, then the snippet with its hits."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        hit: SearchHit | None = index.data(HIT_ROLE)
        if hit is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws the background, selection and focus; the text is ours
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        document = result_document(hit, opt, opt.rect.width())
        painter.save()
        painter.setClipRect(opt.rect)
        painter.translate(opt.rect.topLeft() + QPoint(PADDING, PADDING))
        document.documentLayout().draw(painter, QAbstractTextDocumentLayout.PaintContext())
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 (Qt's name)
        hit: SearchHit | None = index.data(HIT_ROLE)
        if hit is None:
            return super().sizeHint(option, index)
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else QRect(option.rect).width()
        document = result_document(hit, option, width)
        return QSize(width, int(document.size().height()) + 2 * PADDING)
