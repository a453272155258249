"""Project ▸ Assign Documents…: deal the documents out to annotators, as ``annotator assign`` does.

Names are people's own text: every widget here shows them as plain text (line edits, a plain-text report,
labels told their text is plain), so a name such as ``<img src=...>`` is shown as the characters it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.services import assigning
from annotator.services.projects import Project
from annotator.ui.plain import plain_label

STATUSES = (
    ("New", "new"),
    ("Not done yet", "open"),
    ("In progress", "in_progress"),
    ("Done", "done"),
    ("Skipped", "skipped"),
    ("Any status", "any"),
)
RANDOM_SEED = -1  # the seed box's least value, shown as "random"


class AssignDialog(QDialog):
    assigned = Signal(object)  # the AssignmentReport, once documents were dealt out

    def __init__(self, project: Project, by: str, known: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign Documents")
        self.project, self.by = project, by
        self.report = None

        self.annotators = QLineEdit(", ".join(known), self)
        self.annotators.setObjectName("assignAnnotators")
        self.annotators.setPlaceholderText("ana, ben, cy")
        self.annotators.textChanged.connect(self._check)
        self.status = QComboBox(self)
        for text, value in STATUSES:
            self.status.addItem(text, value)
        self.overlap = QSpinBox(self)
        self.overlap.setRange(0, 100)
        self.overlap.setSuffix(" %")
        self.overlap.setToolTip("The share of the documents that go to several annotators, to measure agreement")
        self.per_overlap = QSpinBox(self)
        self.per_overlap.setRange(2, 99)
        self.per_overlap.setValue(2)
        self.seed = QSpinBox(self)
        self.seed.setRange(RANDOM_SEED, 999_999)
        self.seed.setSpecialValueText("random")
        self.seed.setValue(RANDOM_SEED)
        self.seed.setToolTip("The same seed deals the same documents to the same people")
        self.replace = QCheckBox("Deal again the assigned documents nobody has started", self)

        form = QFormLayout()
        form.addRow("&Annotators (comma-separated):", self.annotators)
        form.addRow("&Documents whose status is:", self.status)
        form.addRow("&Shared for agreement:", self.overlap)
        form.addRow("Annotators per shared &document:", self.per_overlap)
        form.addRow("S&eed:", self.seed)
        form.addRow("", self.replace)
        self.note = plain_label(QLabel(self))  # what is wrong with the request, or what was done
        self.note.setWordWrap(True)
        self.result = QPlainTextEdit(self)
        self.result.setObjectName("assignReport")
        self.result.setReadOnly(True)
        self.result.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.assign_button = QPushButton("&Assign", self)
        self.assign_button.setDefault(True)
        self.buttons.addButton(self.assign_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.assign_button.clicked.connect(self.assign)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.buttons)
        self._check()

    def names(self) -> list[str]:
        return assigning.annotator_names(self.annotators.text())

    def _check(self) -> None:
        self.assign_button.setEnabled(bool(self.names()))

    def assign(self) -> None:
        seed = self.seed.value()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = assigning.assign(
                self.project,
                self.names(),
                overlap=self.overlap.value() / 100,
                per_overlap=self.per_overlap.value(),
                status=self.status.currentData(),
                seed=None if seed == RANDOM_SEED else seed,
                replace=self.replace.isChecked(),
                by=self.by,
            )
        except AnnotatorError as exc:
            self.note.setText(f"Nothing was assigned: {exc}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.report = report
        self.note.setText("Done." if report.dealt else "Nothing new to assign.")
        self.result.setPlainText(report.summary())
        self.result.show()
        self.assigned.emit(report)


def show_assign(w) -> AssignDialog:
    """Open the dialog over the window ``w``; the document list follows what it assigns."""
    project = w.project
    known = assigning.known_assignees(project) or [w.session.annotator]
    dialog = AssignDialog(project, w.session.annotator, known, w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def assigned(_report) -> None:
        w.documents.show_assignments(assigning.has_assignments(project))
        w.documents.reload(keep=w.documents.current_id())

    dialog.assigned.connect(assigned)
    w.assign_dialog = dialog
    dialog.open()
    return dialog
