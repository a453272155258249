"""The document list: a table model over DocumentSummary rows, and a panel with a filter box."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import DocumentSummary, Status

COLUMNS = ("Title", "Date", "Status", "Entities")
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_CHOICES = (
    ("All statuses", None),
    ("New", Status.NEW),
    ("In progress", Status.IN_PROGRESS),
    ("Done", Status.DONE),
    ("Skipped", Status.SKIPPED),
    ("Not done yet", "open"),
)


class DocumentFilter(QSortFilterProxyModel):
    """Title text and status, both at once."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.status: str | None = None
        self.text_matches: set[int] = set()  # documents whose text holds the filter's words

    def set_text_matches(self, ids: set[int]) -> None:
        self._changing(lambda: setattr(self, "text_matches", ids))

    def set_status(self, status: str | None) -> None:
        self._changing(lambda: setattr(self, "status", status))

    def _changing(self, change) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 (Qt's name)
        if self.status is not None:
            status = self.sourceModel().index(row, 0, parent).data(STATUS_ROLE)
            if self.status == "open":
                if status in (Status.DONE, Status.SKIPPED):
                    return False
            elif status != self.status:
                return False
        if self.sourceModel().index(row, 0, parent).data(Qt.ItemDataRole.UserRole) in self.text_matches:
            return True
        return super().filterAcceptsRow(row, parent)


Index = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentSummary] = []

    def set_rows(self, rows: list[DocumentSummary]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def summary(self, row: int) -> DocumentSummary:
        return self._rows[row]

    def update_row(self, document_id: int, status: Status | None = None, entity_count: int | None = None) -> None:
        """Show one document's new status or count without reloading the list."""
        row = self.row_of(document_id)
        if row is None:
            return
        old = self._rows[row]
        self._rows[row] = replace(
            old,
            status=old.status if status is None else status,
            entity_count=old.entity_count if entity_count is None else entity_count,
        )
        self.dataChanged.emit(self.index(row, 2), self.index(row, 3))

    def row_of(self, document_id: int) -> int | None:
        for row, summary in enumerate(self._rows):
            if summary.id == document_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                summary.title or "(untitled)",
                summary.date or "",
                str(summary.status).replace("_", " "),
                summary.entity_count,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return summary.title
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        if role == STATUS_ROLE:
            return str(summary.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class DocumentListPanel(QWidget):
    documentSelected = Signal(int)  # document id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentTableModel(self)
        self.proxy = DocumentFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setSortRole(Qt.ItemDataRole.DisplayRole)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("documentFilter")
        self.filter.setPlaceholderText("Filter by title or text…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)  # titles at once
        self.match_text = None  # set by the window: words -> ids of documents whose text holds them
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(250)  # the full-text lookup waits for a pause in typing
        self._text_timer.timeout.connect(self._filter_by_text)
        self.filter.textChanged.connect(self._typed)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setToolTip("Show documents with this status (yours)")
        for text, status in STATUS_CHOICES:
            self.status_filter.addItem(text, None if status is None else str(status))
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData())
        )

        self.table = QTableView(self)
        self.table.setObjectName("documentTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # import order until a header is clicked
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 4)
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.status_filter)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

    def set_documents(self, rows: list[DocumentSummary], keep: int | None = None) -> None:
        """Replace the rows, keeping the given document selected when it is still there."""
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        self.table.selectionModel().blockSignals(False)
        if keep is not None:
            self.select(keep, notify=False)

    def select(self, document_id: int, notify: bool = True) -> bool:
        row = self.model.row_of(document_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        if not notify:
            self.table.selectionModel().blockSignals(True)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        if not notify:
            self.table.selectionModel().blockSignals(False)
        return True

    def first_id(self) -> int | None:
        """The document in the list's first row as shown (sorted and filtered)."""
        index = self.proxy.index(0, 0)
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def _typed(self, _text: str) -> None:
        if self.proxy.text_matches:
            self.proxy.set_text_matches(set())  # the old words' matches go at once; the new ones follow
        self._text_timer.start()

    def _filter_by_text(self) -> None:
        words = self.filter.text().strip()
        ids = self.match_text(words) if (self.match_text is not None and words) else set()
        self.proxy.set_text_matches(ids)

    def neighbour_id(self, step: int) -> int | None:
        """The document ``step`` rows below (above, if negative) the current one, as the list shows them."""
        current = self.table.currentIndex()
        row = (current.row() + step) if current.isValid() else 0
        index = self.proxy.index(row, 0)
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return None if not index.isValid() else index.data(Qt.ItemDataRole.UserRole)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.documentSelected.emit(current.data(Qt.ItemDataRole.UserRole))
