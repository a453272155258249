"""Before a table of articles (CSV, TSV, Excel) is imported: which column holds the text, the title, the
date and the id, and which go into the metadata.

The header and a few rows are shown as the file has them, pre-filled with the guess the reader itself
would make (services.tables). Column names and cells are the file's text: table items, combo items and
list items show text literally, and the one label naming the file is told its text is plain.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.services.tables import TableColumns
from annotator.ui.plain import plain_label

ROLE_TITLES = {"text": "&Text:", "title": "T&itle:", "date": "&Date:", "id": "I&D:"}
NONE = "(none)"
CHOOSE = "(choose the column with the text)"
CELL_CHARACTERS = 200  # of a long article in a preview cell: enough to recognise it


class ColumnsDialog(QDialog):
    def __init__(self, table: TableColumns, others: int = 0, parent: QWidget | None = None) -> None:
        """``others``: how many more tables this import holds; the mapping applies to them too."""
        super().__init__(parent)
        self.setWindowTitle("Columns of the Table")
        self.table = table
        layout = QVBoxLayout(self)
        also = f" The same columns are read from the {others} other table(s) of this import." if others else ""
        intro = plain_label(QLabel(f"Which columns of {table.path.name} hold each article's text, title, date and "
                                   f"id? The first rows of the file are shown below.{also}", self))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._preview(table))

        form = QFormLayout()
        self.roles: dict[str, QComboBox] = {}
        for role, title in ROLE_TITLES.items():
            box = QComboBox(self)
            box.setObjectName(f"{role}Column")
            box.addItem(CHOOSE if role == "text" else NONE, None)
            for name in table.header:
                box.addItem(name, name)
            box.setCurrentIndex(max(0, box.findData(table.guess.get(role))) if table.guess.get(role) else 0)
            box.currentIndexChanged.connect(lambda _i, r=role: self._role_changed(r))
            label = QLabel(title, self)
            label.setBuddy(box)
            form.addRow(label, box)
            self.roles[role] = box
        layout.addLayout(form)

        meta_label = QLabel("&Metadata to keep:", self)
        layout.addWidget(meta_label)
        self.meta = QListWidget(self)
        self.meta.setObjectName("metaColumns")
        meta_label.setBuddy(self.meta)
        kept = set(table.guess.get("meta") or [])
        for name in table.header:
            item = QListWidgetItem(name, self.meta)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in kept else Qt.CheckState.Unchecked)
        self.meta.setMaximumHeight(140)
        layout.addWidget(self.meta)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()
        self.resize(760, 560)

    def _preview(self, table: TableColumns) -> QTableWidget:
        view = QTableWidget(len(table.rows), len(table.header), self)
        view.setObjectName("tablePreview")
        view.setHorizontalHeaderLabels(table.header)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, cells in enumerate(table.rows):
            for c, cell in enumerate(cells):
                shown = " ".join(cell.split())  # one line per cell: a long article's paragraphs run on
                if len(shown) > CELL_CHARACTERS:
                    shown = shown[:CELL_CHARACTERS] + "…"
                view.setItem(r, c, QTableWidgetItem(shown))
        view.resizeColumnsToContents()
        for c in range(view.columnCount()):
            view.setColumnWidth(c, min(view.columnWidth(c), 260))
        return view

    def _role_changed(self, role: str) -> None:
        """A column taken for a role is no longer kept as metadata as well (it can be checked again)."""
        chosen = self.roles[role].currentData()
        if chosen is not None:
            for item in self.meta.findItems(chosen, Qt.MatchFlag.MatchExactly):
                item.setCheckState(Qt.CheckState.Unchecked)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.roles["text"].currentData() is not None)

    def columns(self) -> dict[str, Any]:
        """The mapping chosen, as ImportOptions.columns takes it: every role named (None: not used)."""
        chosen: dict[str, Any] = {role: box.currentData() for role, box in self.roles.items()}
        chosen["meta"] = [self.meta.item(i).text() for i in range(self.meta.count())
                          if self.meta.item(i).checkState() == Qt.CheckState.Checked]
        return chosen


def ask_columns(parent: QWidget, table: TableColumns, others: int, answer) -> ColumnsDialog:
    """Open the dialog (window-modal); ``answer`` gets the mapping on Import, nothing on Cancel."""
    dialog = ColumnsDialog(table, others, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.accepted.connect(lambda: answer(dialog.columns()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
