"""The document list: a windowed table model over the project's documents, and a panel with a filter box."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import ASSIGNED_TO_ME, NO_LABEL, DocumentSummary, ListQuery, Status
from annotator.core.schema import LabelSet
from annotator.ui.plain import plain_tooltip

COLUMNS = ("Title", "Date", "Status", "Entities", "Labels", "Others")
LABELS_COLUMN = 4
OTHERS_COLUMN = 5  # who else has it open now ("● ana") and who else it is assigned to; shown once either is so
OPEN_MARK = "● "  # before a name in the Others column: that person has the document open now
OTHERS_SHOWN = 2  # names the Others column shows before "+N" (its tooltip names everyone)
HIDDEN_AT_FIRST = ("Labels",)  # the list is narrow: the header's menu shows it (a document's tooltip names its labels)
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_CHOICES = (
    ("All statuses", None),
    ("New", Status.NEW),
    ("In progress", Status.IN_PROGRESS),
    ("Done", Status.DONE),
    ("Skipped", Status.SKIPPED),
    ("Not done yet", "open"),
    ("Assigned to me", ASSIGNED_TO_ME),
)


Index = QModelIndex | QPersistentModelIndex
PAGE = 200  # rows read at a time, as they come into view
TITLE_CHARACTERS = 20  # the title column's least width, in average characters: two lines show ~40 of a title
IMMEDIATE_FILTER_DOCUMENTS = 5_000  # up to this many documents the list filters as each key is typed


class DocumentTableModel(QAbstractTableModel):
    """The document list, windowed: it holds the ids of the documents shown, in order (cheap even for
    100,000), and reads the rows themselves a page at a time as they come into view. Filtering and
    sorting happen in the project (services.documents), which returns the ids in the new order."""

    sortRequested = Signal(int, object)  # column (-1: import order), Qt.SortOrder
    assignedSeen = Signal()  # a row read was assigned to someone: the Others column is worth showing

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._rows: dict[int, DocumentSummary] = {}  # the rows read so far, by document id
        self._positions: dict[int, int] | None = None  # document id -> row, made when first needed
        self.load_rows: Callable[[list[int]], list[DocumentSummary]] = lambda ids: []
        self.keeps: Callable[[DocumentSummary], bool] = lambda summary: True  # the status filter
        # Who else has each document open now (services.presence.Seen, latest first): kept across reloads.
        self.presence: dict[int, tuple] = {}

    def set_presence(self, presence: dict[int, tuple]) -> None:
        """Show who else has which document open now; only the rows whose Others cell changes repaint."""
        old, self.presence = self.presence, dict(presence)
        for document_id in old.keys() | self.presence.keys():
            if old.get(document_id) != self.presence.get(document_id):
                row = self.row_of(document_id)
                if row is not None:
                    self.dataChanged.emit(self.index(row, OTHERS_COLUMN), self.index(row, OTHERS_COLUMN))

    def set_ids(self, ids: list[int], load_rows: Callable[[list[int]], list[DocumentSummary]]) -> None:
        self.beginResetModel()
        self._ids, self._rows, self._positions = list(ids), {}, None
        self.load_rows = load_rows
        self.endResetModel()

    @property
    def loaded(self) -> int:
        """How many rows have been read so far."""
        return len(self._rows)

    def summary(self, row: int) -> DocumentSummary:
        document_id = self._ids[row]
        found = self._rows.get(document_id)
        if found is None:
            first = row - row % PAGE
            wanted = [i for i in self._ids[first : first + PAGE] if i not in self._rows]
            read = self.load_rows(wanted)
            self._rows.update((s.id, s) for s in read)
            if any(s.others or s.mine for s in read):
                self.assignedSeen.emit()
            found = self._rows.get(document_id)
            if found is None:  # removed from the project since the list was made
                found = DocumentSummary(document_id, "", "(removed)", None, Status.NEW, 0)
        return found

    def update_row(
        self,
        document_id: int,
        status: Status | None = None,
        entity_count: int | None = None,
        labels: tuple[str, ...] | None = None,
    ) -> None:
        """Show one document's new status, count or labels without reloading the list; a document whose
        new status the status filter does not keep leaves the list. (One whose labels no longer match the
        label filter stays until the list is filtered again: it is the article being labelled.)"""
        row = self.row_of(document_id)
        if row is None:
            return
        old = self.summary(row)
        new = replace(
            old,
            status=old.status if status is None else status,
            entity_count=old.entity_count if entity_count is None else entity_count,
            labels=old.labels if labels is None else labels,
        )
        self._rows[document_id] = new
        if not self.keeps(new):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            self._positions = None
            self.endRemoveRows()
            return
        self.dataChanged.emit(self.index(row, 2), self.index(row, OTHERS_COLUMN))

    def row_of(self, document_id: int) -> int | None:
        if self._positions is None:
            self._positions = {id_: row for row, id_ in enumerate(self._ids)}
        return self._positions.get(document_id)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if column == 3 else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, STATUS_ROLE):
            return None
        summary = self.summary(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                summary.title or "(untitled)",
                summary.date or "",
                str(summary.status).replace("_", " "),
                summary.entity_count,
                ", ".join(summary.labels),
                others_text(summary.others, self._open_by(summary.id)),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            labels = f"Labels: {', '.join(summary.labels)}" if summary.labels else ""
            if column == LABELS_COLUMN:
                return plain_tooltip(labels) if labels else None
            others = f"Also assigned to: {', '.join(summary.others)}" if summary.others else ""
            seen = self.presence.get(summary.id, ())
            if seen:
                from annotator.services.presence import seen_text  # no SQL: names and times only

                others = "\n".join(filter(None, ["Open now by " + "; ".join(map(seen_text, seen)), others]))
            if column == OTHERS_COLUMN:
                return plain_tooltip(others) if others else None
            mine = "Assigned to you" if summary.mine else ""
            if column != 0:
                return None
            return plain_tooltip("\n".join(filter(None, (summary.title, labels, mine, others))))
        return str(summary.status)

    def _open_by(self, document_id: int) -> tuple[str, ...]:
        return tuple(seen.annotator for seen in self.presence.get(document_id, ()))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header was clicked: the panel asks the project for the new order."""
        self.sortRequested.emit(column, order)


def others_text(names: tuple[str, ...], open_by: tuple[str, ...] = ()) -> str:
    """The Others column: who else has it open now ("● ana", all of them), then the first names of who else
    it is assigned to and how many more ("● ana  ben, cy +2")."""
    names = tuple(name for name in names if name not in open_by)
    shown = ", ".join(names[:OTHERS_SHOWN])
    shown = f"{shown} +{len(names) - OTHERS_SHOWN}" if len(names) > OTHERS_SHOWN else shown
    return "  ".join(filter(None, [", ".join(OPEN_MARK + name for name in open_by), shown]))


class FilterBox(QComboBox):
    """A filter of the list that changes by its popup only. Clicked, it keeps the focus once its popup
    closes, and a stray ↓ or letter meant for the list then changed the filter and hid the open
    article: the focus goes back to the list when the popup closes, and keys that reach the box anyway
    go to the list (arrows, page keys) or nowhere; Space, F4 and Alt+↓ still open the popup. The wheel
    scrolling past it does not change it either, until it is clicked."""

    OPENING = (Qt.Key.Key_Space, Qt.Key.Key_F4, Qt.Key.Key_Select)
    MOVING = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home,
              Qt.Key.Key_End)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Reached by a click only: by Tab, a stray arrow key changed the filter and hid the open article.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.list_view: QWidget | None = None

    def event(self, event) -> bool:
        # Alt+↓ is also the window's Next Document: while the box has the focus it opens the box's list.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        if key in self.OPENING or (alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down)):
            super().keyPressEvent(event)
        elif key in self.MOVING and self.list_view is not None:
            self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)
            QApplication.sendEvent(self.list_view, QKeyEvent(event.type(), key, event.modifiers(), event.text()))
        else:
            event.ignore()  # to the window: its shortcuts still work

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():  # clicked first: the wheel may choose
            super().wheelEvent(event)
        else:  # the wheel scrolling past the box, meant for the list
            event.ignore()

    def hidePopup(self) -> None:  # noqa: N802 (Qt's name)
        super().hidePopup()
        view = self.list_view
        if view is not None:  # after Qt has given the box its focus back; not at all once the list is gone
            QTimer.singleShot(0, view, lambda: view.setFocus(Qt.FocusReason.PopupFocusReason))


class DocumentListPanel(QWidget):
    documentSelected = Signal(int)  # document id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentTableModel(self)
        self.model.sortRequested.connect(self._sort)
        # Queued: the rows are read while the view paints, and a column is not shown in the middle of that.
        self.model.assignedSeen.connect(lambda: self.show_assignments(True), Qt.ConnectionType.QueuedConnection)
        # Set by the window: a ListQuery -> the ids shown, and ids -> their rows (services.documents).
        self.list_ids: Callable[[ListQuery], list[int]] | None = None
        self.list_rows: Callable[[list[int]], list[DocumentSummary]] = lambda ids: []
        self.query = ListQuery()
        self.project_size = 0  # documents in the project, as of the last unfiltered reload

        self.filter = QLineEdit(self)
        self.filter.setObjectName("documentFilter")
        self.filter.setPlaceholderText("Filter by title or text…")
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)  # in a big project the lookup waits for a pause in typing
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(self._typed)
        self.filter.installEventFilter(self)  # ↓ and Enter in the box go on to the list (see eventFilter)
        self.status_filter = FilterBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setToolTip("Show documents with this status (yours)")
        for text, status in STATUS_CHOICES:
            self.status_filter.addItem(text, None if status is None else str(status))
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        # Shown when the schema has document label sets.
        self.label_filter = FilterBox(self)
        self.label_filter.setObjectName("labelFilter")
        self.label_filter.setToolTip("Show documents someone gave this document label")
        # As wide as a short label: the words filter beside it keeps its room; the open list shows all.
        self.label_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.label_filter.setMinimumContentsLength(9)
        self.label_filter.hide()
        self._label_choices: list[tuple[str, str] | None] = [None]
        self.label_filter.addItem("All labels")
        self.label_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())

        self.table = QTableView(self)
        self.table.setObjectName("documentTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # import order
        self.table.setSortingEnabled(True)  # a click asks the model to sort: it asks the project
        # A title takes two lines, then ends in "…" (the whole title is its tooltip).
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # Rows all have one height: the view need not measure 100,000 of them.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(2 * self.table.fontMetrics().lineSpacing() + 8)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized once from the widest value each can show, not from every row (ResizeToContents would read
        # them all), and no wider: the title takes the rest.
        metrics = self.table.fontMetrics()
        for column, widest in ((1, "2026-12-30"), (2, "in progress"), (3, "Entities"), (4, "Labels"), (5, "Others")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(widest) + 18)
        self.hidden = set(HIDDEN_AT_FIRST)  # columns the analyst chose not to see (names)
        self.has_label_sets = False
        self.has_assignments = False  # the project has assignments: the Others column shows
        self.has_presence = False  # someone else has had a document open: the Others column shows too
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self._show_columns()
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.status_filter.list_view = self.label_filter.list_view = self.table

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 4)
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.label_filter)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

    @property
    def proxy(self) -> DocumentTableModel:
        """The rows as shown (filtered and sorted): the model itself, which the project filters and sorts."""
        return self.model

    def reload(self, keep: int | None = None) -> None:
        """Ask the project again for the documents shown (after an import, a new project, another
        window's work), keeping the given document selected when it is still there."""
        ids = self.list_ids(self.query) if self.list_ids is not None else []
        if not self.query.words and self.query.status is None:
            self.project_size = len(ids)
        self.table.selectionModel().blockSignals(True)
        self.model.set_ids(ids, self.list_rows)
        self.model.keeps = self._keeps
        self.table.selectionModel().blockSignals(False)
        if keep is not None:
            self.select(keep, notify=False)

    def set_label_sets(self, label_sets: tuple[LabelSet, ...]) -> None:
        """The schema's document label sets: the label filter's choices and the Labels column, shown only
        when there are any. A chosen label that is gone from the schema falls back to all labels."""
        chosen = self._label_choices[max(self.label_filter.currentIndex(), 0)]
        choices: list[tuple[str, str] | None] = [None, NO_LABEL]
        texts = ["All labels", "No document label"]
        for label_set in label_sets:
            for choice in label_set.choices:
                choices.append((label_set.name, choice.name))
                texts.append(f"{label_set.name}: {choice.name}")
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItems(texts)
        self._label_choices = choices
        self.label_filter.setCurrentIndex(choices.index(chosen) if chosen in choices else 0)
        self.label_filter.blockSignals(False)
        self.label_filter.setVisible(bool(label_sets))
        self.has_label_sets = bool(label_sets)
        self._show_columns()
        if chosen is not None and chosen not in choices:
            self._apply_filter()

    def show_assignments(self, shown: bool) -> None:
        """Whether the project has assignments: the Others column shows only when it does."""
        if shown != self.has_assignments:
            self.has_assignments = shown
            self._show_columns()

    def show_presence(self, presence: dict[int, tuple] | None) -> None:
        """Who else has which document open now (services.presence.others); None: not known this time, the
        list keeps what it shows. Once anyone has been seen the Others column stays shown."""
        if presence is None:
            return
        self.model.set_presence(presence)
        if presence and not self.has_presence:
            self.has_presence = True
            self._show_columns()

    def hide_columns(self, names) -> None:
        """Hide these columns (by name; the title always shows) and show the others."""
        self.hidden = {name for name in names if name in COLUMNS[1:]}
        self._show_columns()

    def _show_columns(self) -> None:
        for column, name in enumerate(COLUMNS):
            unusable = (column == LABELS_COLUMN and not self.has_label_sets) or (
                column == OTHERS_COLUMN and not (self.has_assignments or self.has_presence)
            )
            self.table.setColumnHidden(column, name in self.hidden or unusable)

    def usable_width(self) -> int:
        """The other columns shown plus room for a title's first words: the least width the window keeps
        for the list while the search panel is open ("Riverto…" was all a squeezed list showed)."""
        table = self.table
        others = sum(table.columnWidth(c) for c in range(1, len(COLUMNS)) if not table.isColumnHidden(c))
        title = table.fontMetrics().averageCharWidth() * TITLE_CHARACTERS
        bar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, table)
        margins = self.layout().contentsMargins() if self.layout() is not None else None
        edges = 2 * table.frameWidth() + (margins.left() + margins.right() if margins is not None else 8)
        return others + title + bar + edges

    def _column_menu(self, where) -> None:
        """Right-click on the header: tick the columns to show."""
        from PySide6.QtWidgets import QMenu  # made on a right-click only

        menu = QMenu(self)
        for name in COLUMNS[1:]:
            if name == COLUMNS[LABELS_COLUMN] and not self.has_label_sets:
                continue
            if name == COLUMNS[OTHERS_COLUMN] and not (self.has_assignments or self.has_presence):
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name not in self.hidden)
            action.toggled.connect(lambda shown, name=name: self._toggle_column(name, shown))
        self.column_menu = menu
        menu.popup(self.table.horizontalHeader().mapToGlobal(where))

    def _toggle_column(self, name: str, shown: bool) -> None:
        self.hide_columns(self.hidden - {name} if shown else self.hidden | {name})

    def _keeps(self, summary: DocumentSummary) -> bool:
        wanted = self.query.status
        if wanted is None:
            return True
        if wanted == "open":
            return summary.status not in (Status.DONE, Status.SKIPPED)
        if wanted == ASSIGNED_TO_ME:  # a new status does not take it from the list
            return True
        return str(summary.status) == wanted

    def select(self, document_id: int, notify: bool = True) -> bool:
        row = self.model.row_of(document_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        if not notify:
            self.table.selectionModel().blockSignals(True)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        if not notify:
            self.table.selectionModel().blockSignals(False)
        return True

    def first_id(self) -> int | None:
        """The document in the list's first row as shown (sorted and filtered)."""
        return self.model.id_at(0)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        """After Ctrl+L and a few words, the keys go on to the matches: ↓ (and the page keys) to the first
        match, or the next one after the current document; Enter opens the current match (else the first)
        and goes to its text, as Enter in the list does."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress and not (
            event.modifiers() & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier)
        ):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._apply_pending_filter()
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                if self.table.currentIndex().isValid():
                    QApplication.sendEvent(self.table, QKeyEvent(event.type(), key, event.modifiers(), event.text()))
                else:  # the open document is no match: the first match, whatever the key
                    self._choose_row(0)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._apply_pending_filter()
                if not self.table.currentIndex().isValid():
                    self._choose_row(0)
                current = self.table.currentIndex()
                if current.isValid():
                    self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                    self.table.activated.emit(current)  # the window goes to the text, as for Enter in the list
                return True
        return super().eventFilter(watched, event)

    def _apply_pending_filter(self) -> None:
        if self._filter_timer.isActive():  # words typed in a big project, not looked up yet
            self._apply_filter()

    def _choose_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            self.table.setCurrentIndex(index)  # opens it (documentSelected)
            self.table.scrollTo(index)

    def _typed(self, _text: str) -> None:
        if self.project_size <= IMMEDIATE_FILTER_DOCUMENTS:
            self._apply_filter()
        else:
            self._filter_timer.start()

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        self.query = replace(
            self.query,
            words=self.filter.text().strip(),
            status=self.status_filter.currentData(),
            label=self._label_choices[max(self.label_filter.currentIndex(), 0)],
        )
        self.reload(keep=self.current_id())

    def _sort(self, column: int, order) -> None:
        names = (None, "title", "date", "status", "entities", "labels", None)  # by Others: import order, own first
        wanted = replace(
            self.query,
            order=names[column + 1] if -1 <= column < len(COLUMNS) else None,
            descending=order == Qt.SortOrder.DescendingOrder,
        )
        if wanted != self.query:
            self.query = wanted
            self.reload(keep=self.current_id())

    def neighbour_id(self, step: int) -> int | None:
        """The document ``step`` rows below (above, if negative) the current one, as the list shows them."""
        current = self.table.currentIndex()
        row = (current.row() + step) if current.isValid() else 0
        return self.model.id_at(row)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return None if not index.isValid() else index.data(Qt.ItemDataRole.UserRole)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.documentSelected.emit(current.data(Qt.ItemDataRole.UserRole))
