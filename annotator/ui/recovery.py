"""A damaged project in the window: say so, name the newest sound backup, and offer to restore it.

The restore is the one Project ▸ Restore from Backup… runs (services.backups.restore), on a worker
thread behind a progress dialog; the damaged file's bytes are kept beside the backups first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from annotator.core.errors import DamagedProjectError
from annotator.services import backups
from annotator.ui.plain import message_box, warn
from annotator.ui.waiting import busy_dialog
from annotator.ui.workers import Worker, Workers

log = logging.getLogger(__name__)
TITLE = "The project is damaged"


def damage_box(parent: QWidget | None, error: DamagedProjectError) -> QMessageBox:
    """The message: what is damaged, the newest sound backup, and (when there is one) a Restore button.
    All of it is plain text: it names the user's file."""
    if error.backup is not None:
        advice = (
            "Restore it? Work saved after that backup was taken is not in it; the damaged file is kept "
            "beside the backups."
        )
    else:
        advice = "Annotator cannot repair it. Keep a copy of the file; it has not been changed."
    box = message_box(
        QMessageBox.Icon.Critical,
        TITLE,
        f"{error.found()}.\n\n{error.offer()}\n\n{advice}",
        parent,
        QMessageBox.StandardButton.Close,
    )
    if error.backup is not None:
        box.setDefaultButton(box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole))
    return box


def ask_restore(parent: QWidget | None, error: DamagedProjectError) -> bool:
    """Show the message; True when the analyst chose Restore."""
    log.warning("%s", error)
    box = damage_box(parent, error)
    box.exec()
    clicked = box.clickedButton()
    chosen = clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole
    return error.backup is not None and chosen


def offer_restore(
    parent: QWidget | None,
    error: DamagedProjectError,
    restored: Callable[[], None],
    declined: Callable[[], None],
) -> None:
    """For a damaged project that is not open: ask; on Restore, restore the newest sound backup and then
    call ``restored`` (which opens the project). Closing the message, or a failed restore, calls ``declined``."""
    if ask_restore(parent, error):
        _restore(parent, error, restored, declined)
    else:
        declined()


_running: list[Workers] = []  # keeps the restore's worker alive until it has reported


def restore_progress(text: str, parent, modality: Qt.WindowModality) -> QProgressDialog:
    """The busy dialog a restore runs behind: one step, so it has no Cancel button (it cannot stop half-way)."""
    return busy_dialog(parent, "Restore from Backup", text, modality)


def _restore(parent, error: DamagedProjectError, restored, declined) -> None:
    progress = restore_progress(f"Restoring {error.path.name} from the backup of {error.taken}…", parent,
                                Qt.WindowModality.ApplicationModal)
    workers = Workers()
    _running.append(workers)
    worker = Worker(backups.restore, str(error.path), error.backup)

    def finished(report: backups.RestoreReport) -> None:
        _done(workers, progress)
        log.info("%s", report.summary())
        restored()

    def failed(message: str, _details: str) -> None:
        _done(workers, progress)
        warn(parent, "Restore failed", message)
        declined()

    worker.signals.finished.connect(finished)
    worker.signals.failed.connect(failed)
    workers.start(worker)


def _done(workers: Workers, progress: QProgressDialog) -> None:
    progress.reset()
    progress.deleteLater()
    if workers in _running:
        _running.remove(workers)
