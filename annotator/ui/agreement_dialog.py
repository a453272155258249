"""Project ▸ Agreement…: how alike the annotators annotated the same documents (services.agreement).

The figures are the command line's table, shown as plain text; below them the documents, most
disagreed first. Double-click or Enter opens one in the window and goes to its curation (ui.curation_window).
Everything shown comes from people (annotator names, titles): plain text only, never HTML.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.services import agreement
from annotator.ui.plain import plain_label
from annotator.ui.workers import Worker

ID_ROLE = Qt.ItemDataRole.UserRole


def show_agreement(window) -> AgreementDialog:
    """Open the dialog (the one already open, if any) and measure the open project."""
    dialog = next((d for d in window.findChildren(AgreementDialog) if d.isVisible()), None)
    if dialog is None:
        dialog = AgreementDialog(window)
        dialog.show()
        dialog.start()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class AgreementDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.main = window
        self.worker: Worker | None = None
        self.result: agreement.Agreement | None = None

        self.heading = plain_label(QLabel("Comparing the annotators…", self))
        self.heading.setObjectName("agreementHeading")
        self.heading.setWordWrap(True)
        self.figures = QPlainTextEdit(self)
        self.figures.setObjectName("agreementFigures")
        self.figures.setReadOnly(True)
        self.figures.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.figures.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.documents = QTableWidget(0, 4, self)
        self.documents.setObjectName("agreementDocuments")
        self.documents.setHorizontalHeaderLabels(["Disagreement", "Annotators", "Tokens labelled", "Title"])
        self.documents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documents.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents.horizontalHeader().setStretchLastSection(True)
        self.documents.verticalHeader().hide()
        self.documents.itemActivated.connect(self._activated)  # double-click, and Enter
        self.documents.setToolTip("Double-click or press Enter to curate the document")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.figures, 3)
        layout.addWidget(plain_label(QLabel("Documents, most disagreed first:", self)))
        layout.addWidget(self.documents, 2)
        layout.addWidget(buttons)
        self.resize(900, 700)

    def start(self) -> None:
        self.worker = Worker(agreement.agreement, self.main.project)
        self.worker.signals.finished.connect(self.show_result)
        self.worker.signals.failed.connect(self._failed)
        self.main.workers.start(self.worker)

    def _failed(self, message: str, _details: str) -> None:
        self.worker = None
        self.heading.setText(f"No agreement to show: {message}")

    def show_result(self, result: agreement.Agreement) -> None:
        self.worker = None
        self.result = result
        self.heading.setText(agreement.heading(result))
        self.figures.setPlainText(agreement.table(result).split("\n\nDocuments, most disagreed first")[0])
        self.documents.setRowCount(len(result.disagreements))
        for row, found in enumerate(result.disagreements):
            score = "n/a" if found.disagreement is None else f"{found.disagreement:.3f}"
            cells = [score, ", ".join(found.annotators), str(found.tokens), found.title or "(untitled article)"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # an item shows its text as it is: never rich text
                item.setData(ID_ROLE, found.key)
                if column != 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.documents.setItem(row, column, item)
        self.documents.resizeColumnsToContents()
        if result.disagreements:
            self.documents.selectRow(0)
            self.documents.setFocus()

    def _activated(self, item: QTableWidgetItem) -> None:
        """The document in the window, and its curation in a window of its own (Project ▸ Curate…)."""
        from annotator.ui.curation_window import open_curation_window

        self.open_document(item.data(ID_ROLE))
        open_curation_window(self.main, item.data(ID_ROLE))

    def open_document(self, document_id: int) -> None:
        """The document in the main window, selected in its list when the list's filter shows it."""
        self.main.documents.select(document_id, notify=False)
        self.main.open_document(document_id)
