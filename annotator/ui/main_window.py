"""The main window: document list on the left, the article on the right, long work in the background."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSplitter,
)

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.services import documents, exporting, importing, preannotating, projects
from annotator.services.projects import Project
from annotator.ui.article_view import ArticleView, describe
from annotator.ui.document_list import DocumentListPanel
from annotator.ui.report_dialog import show_import_report
from annotator.ui.workers import Worker, Workers

log = logging.getLogger(__name__)
PROJECT_FILTER = "Annotator projects (*.annotator.sqlite *.sqlite *.db);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, project: Project, settings: QSettings, model: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.model = model
        self.workers = Workers()
        self.preannotation: Worker | None = None
        self.project = project
        self.schema = projects.schema_of(project)

        self.documents = DocumentListPanel(self)
        self.article = ArticleView(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.documents)
        self.splitter.addWidget(self.article)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([380, 900])
        self.setCentralWidget(self.splitter)

        self.documents.documentSelected.connect(self.open_document)
        self.article.spanActivated.connect(
            lambda span: self.statusBar().showMessage(describe(span, self.article.document.text), 8000)
        )
        self.setAcceptDrops(True)  # drop article files or folders on the window to import them
        self._build_status_bar()
        self._build_menus()
        self._restore_geometry()
        self._show_project()
        self.documents.table.setFocus()  # Up and Down walk the articles from the first moment

    # --- building -------------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress_label = QLabel(self)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel_preannotation)
        for widget in (self.progress_label, self.progress, self.cancel_button):
            self.statusBar().addPermanentWidget(widget)
            widget.hide()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New Project…", self.new_project, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open Project…", self.choose_project, QKeySequence.StandardKey.Open)
        file_menu.addSeparator()
        self._action(file_menu, "&Import Files…", self.import_files, "Ctrl+I")
        self._action(file_menu, "Import &Folder…", self.import_folder, "Ctrl+Shift+I")
        self._action(file_menu, "&Export JSONL…", self.export_jsonl, "Ctrl+E")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        annotate = self.menuBar().addMenu("&Annotate")
        self._action(annotate, "&Pre-annotate with spaCy…", self.preannotate_with_dialog, "Ctrl+Shift+P")
        self._action(annotate, "&Find Document", self.documents.filter.setFocus, "Ctrl+F")

        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About Annotator", self.show_about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # --- project and documents ------------------------------------------------------------------------

    def _show_project(self) -> None:
        """Fill the list and open the project's last document (else its first), always explicitly:
        row numbers and ids of the project shown before mean nothing here."""
        self.setWindowTitle(f"{self.project.name} — Annotator")
        self.settings.setValue("lastProject", self.project.safe_location)
        self.documents.set_documents(documents.list_documents(self.project))
        self._announce_count()
        last = self.settings.value(self._last_document_key())
        target = int(last) if last is not None and self.documents.model.row_of(int(last)) is not None else None
        target = target if target is not None else self.documents.first_id()
        if target is None:
            self.article.clear()
            return
        self.documents.select(target, notify=False)
        self.open_document(target)

    def _last_document_key(self) -> str:
        digest = hashlib.sha1(self.project.safe_location.encode("utf-8")).hexdigest()[:16]
        return f"lastDocument/{digest}"

    def refresh_documents(self) -> None:
        self.documents.set_documents(documents.list_documents(self.project), keep=self.documents.current_id())
        self._announce_count()

    def _announce_count(self) -> None:
        count = self.documents.model.rowCount()
        self.statusBar().showMessage(f"{count} document{'s' if count != 1 else ''} in {self.project.name}", 5000)

    def open_document(self, document_id: int) -> None:
        loaded = documents.load_document(self.project, document_id)
        if loaded is None:
            self.article.clear()
            return
        self.article.show_document(loaded.document, loaded.spans, self.schema)
        self.settings.setValue(self._last_document_key(), document_id)

    def reload_current(self) -> None:
        current = self.documents.current_id()
        self.refresh_documents()
        if current is not None:
            self.open_document(current)

    def switch_project(self, location: str) -> None:
        try:
            project = projects.open_location(location)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Cannot open project", str(exc))
            return
        # The old project's background work is told to stop; the project closes once it has, so the
        # window never waits for a batch to finish.
        self.workers.cancel_all()
        self._end_preannotation()
        old = self.project
        self.workers.when_idle(old.close)
        self.article.clear()  # ids repeat across projects: nothing of the old view may carry over
        self.project = project
        self.schema = projects.schema_of(project)
        self._show_project()
        self.start_background_preannotation()

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._project_folder(), PROJECT_FILTER)
        if path:
            self.switch_project(path)

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", self._project_folder(), PROJECT_FILTER)
        if path:
            if not path.endswith((".sqlite", ".db")):
                path += ".annotator.sqlite"
            self.switch_project(path)

    def _project_folder(self) -> str:
        return str(self.project.path.parent if self.project.path else Path.home())

    # --- background work ------------------------------------------------------------------------------

    def start_background_preannotation(self) -> None:
        """Suggest entities for new documents without blocking anything: progress in the status bar."""
        if self.preannotation is not None or preannotating.pending_count(self.project) == 0:
            return
        worker = Worker(preannotating.preannotate, self.project, self.model)
        # Each signal names its worker: one left over from a project switched away from is ignored.
        worker.signals.progress.connect(lambda done, total: self._show_progress(worker, done, total))
        worker.signals.finished.connect(lambda report: self._preannotation_done(worker, report))
        worker.signals.failed.connect(lambda message, details: self._preannotation_failed(worker, message))
        self.preannotation = self.workers.start(worker)
        self.progress_label.setText("Loading spaCy…")
        for widget in (self.progress_label, self.progress, self.cancel_button):
            widget.show()
        self.progress.setRange(0, 0)

    def _show_progress(self, worker: Worker, done: int, total: int) -> None:
        if worker is not self.preannotation:
            return
        self.progress_label.setText("Pre-annotating")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        shown = self.article.document
        if done and shown is not None and shown.suggested_by is None and documents.is_suggested(self.project, shown.id):
            self.open_document(shown.id)  # its suggestions have just arrived

    def _end_preannotation(self) -> None:
        self.preannotation = None
        for widget in (self.progress_label, self.progress, self.cancel_button):
            widget.hide()

    def _preannotation_done(self, worker: Worker, report: preannotating.PreannotateReport) -> None:
        if worker is not self.preannotation:
            return
        self._end_preannotation()
        self.reload_current()
        self.statusBar().showMessage(report.summary(), 10000)

    def _preannotation_failed(self, worker: Worker, message: str) -> None:
        if worker is not self.preannotation:
            return
        self._end_preannotation()
        self.reload_current()
        QMessageBox.warning(self, "Pre-annotation failed", message)

    def cancel_preannotation(self) -> None:
        if self.preannotation is not None:
            self.preannotation.cancel()
            self.progress_label.setText("Cancelling…")

    def preannotate_with_dialog(self) -> None:
        if self.preannotation is not None:
            QMessageBox.information(self, "Pre-annotation", "Pre-annotation is already running (see the status bar).")
            return
        if preannotating.pending_count(self.project) == 0:
            QMessageBox.information(self, "Pre-annotation", "Every document already has the model's suggestions.")
            return
        dialog = QProgressDialog("Loading the spaCy pipeline…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Pre-annotating")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        self.start_background_preannotation()
        worker = self.preannotation

        def progress(done: int, total: int) -> None:
            dialog.setLabelText(f"Suggesting entities: {done} of {total} documents")
            dialog.setRange(0, max(total, 1))
            dialog.setValue(done)

        worker.signals.progress.connect(progress)
        worker.signals.finished.connect(dialog.reset)
        worker.signals.failed.connect(dialog.reset)
        dialog.canceled.connect(self.cancel_preannotation)
        dialog.show()

    def _run(self, title: str, function, *args, done=None) -> None:
        """Run a service in the background behind a cancellable progress dialog; report failures in a box."""
        dialog = QProgressDialog(title + "…", "Cancel", 0, 0, self)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # quick jobs finish without a dialog flashing up
        worker = Worker(function, self.project, *args)

        def finished(result) -> None:
            dialog.reset()
            dialog.deleteLater()
            if done is not None:
                done(result)

        def failed(message: str, _details: str) -> None:
            dialog.reset()
            dialog.deleteLater()
            QMessageBox.warning(self, f"{title} failed", message)

        worker.signals.progress.connect(lambda n, _total: dialog.setLabelText(f"{title}: {n} done"))
        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        dialog.canceled.connect(worker.cancel)
        self.workers.start(worker)

    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import articles", str(Path.home()), "Articles (*.txt *.text *.jsonl *.ndjson);;All files (*)"
        )
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles", str(Path.home()))
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> None:
        def done(report: importing.ImportReport) -> None:
            self.refresh_documents()
            show_import_report(self, report)
            self.start_background_preannotation()

        self._run("Importing", importing.import_paths, paths, done=done)

    def export_jsonl(self) -> None:
        suggested = str(Path.home() / f"{self.project.name}.jsonl")
        path, _ = QFileDialog.getSaveFileName(self, "Export as JSONL", suggested, "JSON Lines (*.jsonl)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        def done(report: exporting.ExportReport) -> None:
            self.statusBar().showMessage(report.summary(), 10000)

        self._run("Exporting", exporting.export, path, "jsonl", done=done)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if _local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        dropped = _local_paths(event.mimeData())
        if dropped:
            event.acceptProposedAction()
            self.import_paths(dropped)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Annotator",
            f"Annotator {__version__}\n\nTurn news articles into training data: entities, statements and claims.\n"
            f"Project: {self.project.safe_location}",
        )

    # --- window state ---------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        # Finished batches are already saved; a running batch is simply redone next time.
        self.workers.cancel_all()
        self.hide()  # the wait below (a document in spaCy, or spaCy still loading) happens out of sight
        self.workers.wait(2_000)  # a longer one is cut short by application.finish
        super().closeEvent(event)


def _local_paths(mime: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []


def start_later(window: MainWindow) -> None:
    """Begin background work once the window is on screen (the window never waits for spaCy)."""
    QTimer.singleShot(0, window.start_background_preannotation)
