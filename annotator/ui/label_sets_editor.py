"""The schema dialog's document label sets: one row per label, with its set, its key and whether the
set takes several labels per document (a set is multiple choice if any of its rows says so).

Names are user text: table items show them as they are. Each row remembers the set and label it had when
the dialog opened, so a renamed label keeps its documents (``renames``). Nothing is stored until the
dialog's OK.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.schema import Choice, LabelSet

COLUMNS = ("Label set", "Label", "Key", "Several per document", "In use")
SET, LABEL, KEY, SEVERAL, USES = range(len(COLUMNS))
ORIGIN = Qt.ItemDataRole.UserRole + 1  # on the label's item: (set, label) when the dialog opened


class LabelSetsEditor(QWidget):
    def __init__(self, parent: QWidget | None = None, uses: dict[tuple[str, str], int] | None = None) -> None:
        super().__init__(parent)
        self.uses = dict(uses or {})  # (label set, label) as stored -> documents carrying it
        self.descriptions: dict[str, str] = {}  # kept from the schema: the dialog does not edit them
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("labelSetTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Add document la&bel", self)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("Remove document label", self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_row)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(side)

    def show_sets(self, sets: tuple[LabelSet, ...]) -> None:
        self.table.setRowCount(0)
        self.descriptions = {s.name: s.description for s in sets}
        for label_set in sets:
            for choice in label_set.choices:
                self._insert(self.table.rowCount(), label_set.name, choice.name, choice.key, label_set.multiple)
                self.table.item(self.table.rowCount() - 1, LABEL).setData(ORIGIN, [label_set.name, choice.name])

    def _insert(self, row: int, name: str, label: str, key: str, several: bool) -> None:
        self.table.insertRow(row)
        self.table.setItem(row, SET, QTableWidgetItem(name))
        self.table.setItem(row, LABEL, QTableWidgetItem(label))
        self.table.setItem(row, KEY, QTableWidgetItem(key))
        check = QTableWidgetItem()
        check.setFlags((check.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsEditable)
        check.setCheckState(Qt.CheckState.Checked if several else Qt.CheckState.Unchecked)
        self.table.setItem(row, SEVERAL, check)
        count = QTableWidgetItem(str(self.uses.get((name, label), 0)))
        count.setFlags(count.flags() & ~Qt.ItemFlag.ItemIsEditable)
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, USES, count)

    def add_row(self) -> None:
        row = self.table.currentRow()
        name = self._text(row, SET) if row >= 0 else "category"
        several = row >= 0 and self.table.item(row, SEVERAL).checkState() == Qt.CheckState.Checked
        at = row + 1 if row >= 0 else self.table.rowCount()
        self._insert(at, name, "NEW_DOCUMENT_LABEL", "", several)
        self.table.item(at, USES).setText("0")
        self.table.setCurrentCell(at, LABEL)
        self.table.setFocus()
        self.table.editItem(self.table.item(at, LABEL))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def label_sets(self) -> tuple[LabelSet, ...]:
        """The sets in the order their first rows come, each with its labels in row order."""
        self._commit_open_editor()
        grouped: dict[str, list[Choice]] = {}
        several: dict[str, bool] = {}
        for row in range(self.table.rowCount()):
            name = self._text(row, SET).strip()
            grouped.setdefault(name, []).append(Choice(self._text(row, LABEL).strip(), self._text(row, KEY).strip()))
            checked = self.table.item(row, SEVERAL).checkState() == Qt.CheckState.Checked
            several[name] = several.get(name, False) or checked
        return tuple(
            LabelSet(name, tuple(choices), several[name], self.descriptions.get(name, ""))
            for name, choices in grouped.items()
        )

    def renames(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(set, label) when the dialog opened -> (set, label) now, for each stored label that was renamed
        or moved to another set."""
        self._commit_open_editor()
        found = {}
        for row in range(self.table.rowCount()):
            origin = self.table.item(row, LABEL).data(ORIGIN)
            now = (self._text(row, SET).strip(), self._text(row, LABEL).strip())
            if origin and tuple(origin) != now:
                found[tuple(origin)] = now
        return found

    def _commit_open_editor(self) -> None:
        editor = self.table.indexWidget(self.table.currentIndex())
        if editor is not None:  # a name still being typed counts
            self.table.commitData(editor)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
