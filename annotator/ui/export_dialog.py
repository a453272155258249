"""The export dialog: format, target, filters, a preview of the first record, and progress.

The preview and the export run in the background (a token-based format loads spaCy's tokenizer
first), so the window never freezes; the export can be cancelled and then leaves no file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Layer, Status
from annotator.services import exporting
from annotator.services.exporting import ExportFilter
from annotator.services.formats import EXPORT_FORMATS, FORMATS, export_filter
from annotator.services.projects import Project
from annotator.ui.plain import message_box, warn
from annotator.ui.workers import Worker, Workers

EVERYONE = "Everyone"
STATUS_NAMES = {Status.NEW: "New", Status.IN_PROGRESS: "In progress", Status.DONE: "Done", Status.SKIPPED: "Skipped"}
LAYER_NAMES = {Layer.ENTITY: "Entities", Layer.STATEMENT: "Statements", Layer.CLAIM: "Claims"}


class ExportDialog(QDialog):
    def __init__(self, project: Project, workers: Workers, model: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.project, self.workers, self.model = project, workers, model
        self.report: exporting.ExportReport | None = None
        self.running: Worker | None = None
        self._preview_worker: Worker | None = None
        self._preview_timer = QTimer(self, singleShot=True, interval=250, timeout=self.refresh_preview)

        self.format = QComboBox()
        for name in EXPORT_FORMATS:
            self.format.addItem(FORMATS[name].title, name)
        self.target = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        target_row = _row([self.target, browse], stretch=False)

        self.statuses = {status: QCheckBox(name) for status, name in STATUS_NAMES.items()}
        self.layers = {layer: QCheckBox(name) for layer, name in LAYER_NAMES.items()}
        self.annotator = QComboBox()
        self.annotator.addItem(EVERYONE)
        self.annotator.addItems(exporting.annotators(project))
        self.dated = QCheckBox("Only articles dated from")
        self.since, self.until = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
        self.since.setDate(QDate.currentDate().addYears(-1))
        for edit in (self.since, self.until):
            edit.setEnabled(False)
            self.dated.toggled.connect(edit.setEnabled)
        self.suggestions = QCheckBox("Include model suggestions nobody has reviewed yet")
        self.suggestions_note = QLabel(wordWrap=True)
        self.dev = QDoubleSpinBox(suffix=" %", decimals=0, maximum=50, singleStep=5)
        self.dev.setToolTip("Write this share of the documents to dev.spacy (the rest to train.spacy)")
        self.dev_label = QLabel("Dev set")

        form = QFormLayout()
        form.addRow("&Format", self.format)
        self.keeps = QLabel(wordWrap=True)
        form.addRow("", self.keeps)
        form.addRow("&Save to", target_row)
        form.addRow("Status", _row(list(self.statuses.values())))
        form.addRow("Layers", _row(list(self.layers.values())))
        form.addRow("&Annotator", self.annotator)
        dates = _row([self.dated, self.since, QLabel("to"), self.until])
        form.addRow("Dates", dates)
        form.addRow("Suggestions", _column([self.suggestions, self.suggestions_note]))
        form.addRow(self.dev_label, self.dev)

        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setMinimumHeight(180)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Preview of the first document"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.resize(760, 620)

        for box in (*self.statuses.values(), *self.layers.values()):
            box.setChecked(True)
            box.toggled.connect(self._changed)
        for signal in (
            self.annotator.currentIndexChanged,
            self.dated.toggled,
            self.since.dateChanged,
            self.until.dateChanged,
            self.suggestions.toggled,
        ):
            signal.connect(self._changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    # --- choices --------------------------------------------------------------------------------------

    def fmt(self) -> str:
        return self.format.currentData()

    def folder(self) -> bool:
        return exporting.writes_folder(FORMATS[self.fmt()], self.dev_fraction())

    def dev_fraction(self) -> float:
        """The dev share asked for, where the format can write one."""
        return self.dev.value() / 100 if FORMATS[self.fmt()].splits else 0.0

    def only(self) -> ExportFilter:
        statuses = {str(s) for s, box in self.statuses.items() if box.isChecked()}
        return ExportFilter(
            statuses=frozenset() if len(statuses) == len(self.statuses) else frozenset(statuses),
            annotator=None if self.annotator.currentIndex() == 0 else self.annotator.currentText(),
            layers=frozenset(layer for layer, box in self.layers.items() if box.isChecked()),
            since=self.since.date().toString("yyyy-MM-dd") if self.dated.isChecked() else None,
            until=self.until.date().toString("yyyy-MM-dd") if self.dated.isChecked() else None,
            suggestions=self.suggestions.isChecked(),
            by=getattr(getattr(self.parent(), "session", None), "annotator", None),  # a blind project narrows it
        )

    def _format_changed(self) -> None:
        form = FORMATS[self.fmt()]
        self.keeps.setText(form.keeps)
        # Each format starts from its own safe choice: a format that cannot mark a suggestion as
        # unreviewed would pass a model's guesses off as checked labels.
        self.suggestions.setChecked(form.marks_suggestions)
        self.suggestions_note.setText(_suggestions_note(_short_title(form.title), form.marks_suggestions))
        self.dev.setVisible(form.splits)
        self.dev_label.setVisible(form.splits)
        self.target.setText(str(self._suggested_target()))
        self._changed()

    def _suggested_target(self) -> Path:
        current = Path(self.target.text()).expanduser() if self.target.text() else Path.home() / self.project.name
        stem = current.name.split(".")[0] or self.project.name
        if self.folder():
            return current.with_name(f"{stem}-{self.fmt()}")
        return current.with_name(stem + FORMATS[self.fmt()].suffix)

    def browse(self) -> None:
        if self.folder():
            path = QFileDialog.getExistingDirectory(self, "Export to a folder", str(Path(self.target.text()).parent))
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export to", self.target.text(), export_filter(self.fmt()))
        if path:
            self.target.setText(path)

    def _changed(self) -> None:
        self.export_button.setEnabled(any(box.isChecked() for box in self.layers.values()))
        self._preview_timer.start()

    # --- preview --------------------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        if self._preview_worker is not None:
            self._preview_worker.cancel()
        self.preview.setPlainText("Preparing the preview…")
        worker = Worker(_preview, self.project, self.fmt(), self.only(), self.model)
        self._preview_worker = worker
        worker.signals.finished.connect(lambda text, w=worker: self._show_preview(w, text))
        worker.signals.failed.connect(lambda message, _details, w=worker: self._show_preview(w, message))
        self.workers.start(worker)

    def _show_preview(self, worker: Worker, text: str) -> None:
        if worker is self._preview_worker:  # an older preview finishing late is not shown
            self.preview.setPlainText(text)

    # --- exporting ------------------------------------------------------------------------------------

    def start(self) -> None:
        target = self.target.text().strip()
        if not target:
            QMessageBox.warning(self, "Export", "Choose where to save the export.")
            return
        self.export_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, max(exporting.document_count(self.project), 1))
        self.progress.setValue(0)
        dev = self.dev_fraction()
        worker = Worker(
            exporting.export, self.project, target, self.fmt(), only=self.only(), model=self.model, dev_fraction=dev
        )
        worker.signals.progress.connect(lambda done, _total: self.progress.setValue(done))
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        self.running = worker
        self.workers.start(worker)

    def cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()  # the worker finishes with a cancelled report; no file is written
            return
        self.reject()

    def _finished(self, report: exporting.ExportReport) -> None:
        self.running = None
        self.report = report
        if report.lost and not report.cancelled:
            box = message_box(QMessageBox.Icon.Information, "Export finished", report.summary() + ".", self)
            box.setDetailedText("\n".join(f"lost: {p}" for p in report.lost[:500]))
            box.exec()
        self.accept()

    def _failed(self, message: str, _details: str) -> None:
        self.running = None
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        warn(self, "Export failed", message)


def _suggestions_note(title: str, marks: bool) -> str:
    if marks:
        return f"{title} marks them as unreviewed: they stay suggestions wherever the file is opened."
    return (
        f"{title} cannot mark a suggestion as unreviewed: a model's guesses would look like labels a person "
        "checked. So they are left out unless you tick the box."
    )


def _short_title(title: str) -> str:
    """ "doccano JSONL (entities and relations)" -> "doccano JSONL", to read well in a sentence."""
    return title.split(" (")[0]


def _column(widgets) -> QWidget:
    """Widgets one above the other as one form field."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    holder.setFocusProxy(widgets[0])
    return holder


def _preview(project, fmt, only, model, progress=None, cancel=None) -> str:
    return exporting.preview(project, fmt, only, model)


def _row(widgets, stretch: bool = True) -> QWidget:
    """Widgets side by side as one form field (the first takes the room when there is no stretch)."""
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for number, widget in enumerate(widgets):
        layout.addWidget(widget, 0 if stretch or number else 1)
    if stretch:
        layout.addStretch(1)
    holder.setFocusProxy(widgets[0])  # the row's label mnemonic (Alt+S) reaches its first field
    return holder

