"""Backups in the window: one when a project is opened and at most one a day while it stays open (on
a worker thread, never waiting), and Project ▸ Restore from Backup….

All the work is in annotator.services.backups; this module only schedules it and asks the analyst.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError, DamagedProjectError
from annotator.services import backups
from annotator.ui.plain import inform, plain_tooltip, warn
from annotator.ui.recovery import ask_restore, restore_progress
from annotator.ui.workers import Worker

log = logging.getLogger(__name__)
CHECK_EVERY_MS = 60 * 60 * 1000  # look every hour whether the day's backup is due


class DailyBackups(QObject):
    """Backs up the open project when it is opened (unless a backup is under an hour old) and then
    whenever the newest backup is a day old, checking hourly. PostgreSQL projects are left alone.
    ``owner`` is the OpenProject: its project, its workers, its status messages."""

    def __init__(self, owner) -> None:
        super().__init__(owner)
        self.owner = owner
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check_daily)
        self.worker: Worker | None = None
        self._pending: timedelta | None = None
        self.last: backups.BackupReport | None = None

    def project_opened(self) -> None:
        self._start(backups.ON_OPEN)
        self.timer.start()

    def check_daily(self) -> None:
        self._start(backups.DAILY)

    def pause(self) -> None:
        """No new backups until the next project_opened (a restore is about to replace the project)."""
        self.timer.stop()
        self._pending = None

    def _start(self, every: timedelta) -> None:
        if self.worker is not None:  # one at a time; the newest request runs next
            self._pending = min(every, self._pending or every)
            return
        project = self.owner.project
        if not backups.backs_up(project):
            return
        worker = Worker(_backup_if_due, project, every)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        self.worker = self.owner.workers.start(worker)

    def _finished(self, report: backups.BackupReport | DamagedProjectError | None) -> None:
        self.worker = None
        if isinstance(report, DamagedProjectError):
            self._damaged(report)
            return
        if report is not None:
            self.last = report
            log.info("%s", report.summary())
        self._next()

    def _failed(self, message: str, _details: str) -> None:
        self.worker = None
        log.warning("automatic backup failed: %s", message)
        self.owner.message.emit(f"The automatic backup failed: {message}")
        self._next()

    def _next(self) -> None:
        every, self._pending = self._pending, None
        if every is not None:
            self._start(every)

    def _damaged(self, error: DamagedProjectError) -> None:
        """The project went bad while open: no more backups of it; say so and offer the newest sound one."""
        self.pause()
        self.owner.message.emit(f"Not backed up: {error.found()}.")
        parent = self.owner.parent() if isinstance(self.owner.parent(), QWidget) else None
        sound = next((b for b in backups.list_backups(self.owner.project) if b.path == error.backup), None)
        if ask_restore(parent, error) and sound is not None:
            start_restore(self.owner, sound, parent)


def _backup_if_due(project, every: timedelta, progress=None, cancel=None):
    """The automatic backup; damage it finds is handed back rather than raised, so the window can offer
    the restore instead of only reporting a failure."""
    try:
        return backups.backup_if_due(project, every, progress=progress, cancel=cancel)
    except DamagedProjectError as exc:
        return exc


class BackupsDialog(QDialog):
    """The project's backups, newest first; Restore asks for confirmation, then the window restores."""

    def __init__(self, found: list[backups.BackupInfo], project_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Restore {project_name} from a Backup")
        self.found = found
        self.project_name = project_name
        self.chosen: backups.BackupInfo | None = None
        self.confirm: QMessageBox | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Choose the state to bring {project_name} back to. Its present state is backed up first, "
            "so a restore can be undone by restoring that backup."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)  # the project's name is the user's
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(found), 4, self)
        self.table.setHorizontalHeaderLabels(["Taken", "Documents", "Size", "Note"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, info in enumerate(found):
            documents = "unreadable" if info.documents is None else str(info.documents)
            for column, text in enumerate((info.local_time, documents, backups.human_size(info.size), info.note)):
                item = QTableWidgetItem(text)
                if column in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(plain_tooltip(str(info.path)))
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self.ask())
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = buttons.addButton("&Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setDefault(True)
        buttons.accepted.connect(self.ask)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 360)
        self.table.setFocus()

    def selected(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows else None

    def ask(self) -> None:
        info = self.selected()
        if info is None:
            return
        documents = "an unknown number of" if info.documents is None else str(info.documents)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Restore from Backup",
            f"Replace everything in {self.project_name} with the backup taken {info.local_time} "
            f"({documents} documents)?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # the project's name is the user's
        box.setInformativeText("Work done since then is not lost: the present state is backed up first.")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Restore")
        self.confirm = box
        try:
            answer = box.exec()
        finally:
            self.confirm = None
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = info
            self.accept()


def restore_from_backup(owner, parent: QWidget) -> None:
    """Project ▸ Restore from Backup…: choose, confirm, then restore and reopen the project.
    ``owner`` is the OpenProject; ``parent`` the window the dialogs belong to."""
    project = owner.project
    if not backups.backs_up(project):
        inform(parent, "Restore from Backup", backups.postgres_message(project.safe_location) + ".")
        return
    found = backups.list_backups(project)
    if not found:
        inform(
            parent,
            "Restore from Backup",
            f"{project.name} has no backups yet. One is made when a project is opened and every day it stays open.",
        )
        return
    dialog = BackupsDialog(found, project.name, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None
    finally:
        dialog.deleteLater()
    if accepted:
        start_restore(owner, dialog.chosen, parent)


def start_restore(owner, chosen: backups.BackupInfo, parent: QWidget) -> None:
    """Stop the background work, let go of the project (a restore refuses a project still open
    anywhere), restore on a worker behind a modal progress dialog, then reopen the project."""
    location = owner.project.location
    owner.backups.pause()
    owner.cancel_preannotation()
    owner.workers.cancel_all()
    owner.message.emit("Restoring: waiting for background work to stop…")

    def restore() -> None:
        owner.let_go()
        progress = restore_progress(f"Restoring {owner.project.name} from the backup of {chosen.local_time}…",
                                    parent, Qt.WindowModality.WindowModal)
        worker = Worker(backups.restore, location, chosen.path)

        def finished(report: backups.RestoreReport) -> None:
            progress.reset()
            progress.deleteLater()
            log.info("%s", report.summary())
            if _reopen(owner, location, parent):
                count = "" if report.documents is None else f" ({report.documents} documents)"
                owner.message.emit(f"Restored the backup of {chosen.local_time}{count}.")

        def failed(message: str, _details: str) -> None:
            progress.reset()
            progress.deleteLater()
            _reopen(owner, location, parent)
            warn(parent, "Restore failed", message)

        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        owner.workers.start(worker)

    owner.workers.when_idle(restore)


def _reopen(owner, location: str, parent: QWidget) -> bool:
    """The project again, restored or not; everything subscribed to the owner follows."""
    try:
        owner.switch(location)
    except AnnotatorError as exc:
        warn(parent, "Cannot open project", str(exc))
        return False
    return True
