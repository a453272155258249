"""Starting the window: QApplication, the error dialog, settings, the project, then the window.

The window appears first; spaCy loads afterwards on a worker thread.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import __version__, paths
from annotator.core.errors import AnnotatorError
from annotator.services import projects
from annotator.ui.main_window import MainWindow, start_later

log = logging.getLogger(__name__)


def app_settings() -> QSettings:
    # An ini file in our config folder, not the registry or ~/.config/<org>: paths.py owns every path.
    # It names projects and documents, so like the projects it is readable by its owner only.
    path = paths.config_dir() / "annotator.ini"
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    return QSettings(str(path), QSettings.Format.IniFormat)


def install_excepthook() -> None:
    """An unexpected error shows a dialog and goes to the log; the GUI keeps running.
    Every action was already committed, so nothing is lost."""

    def hook(kind, value, tb) -> None:
        log.error("unexpected error", exc_info=(kind, value, tb))
        if QApplication.instance() is None:
            sys.__excepthook__(kind, value, tb)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", f"{kind.__name__}: {value}")
        box.setInformativeText(f"Your work is saved. Details are in the log:\n{paths.log_dir() / 'annotator.log'}")
        box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
        box.exec()

    sys.excepthook = hook


def open_start_project(requested: str | None, settings: QSettings):
    """The project named on the command line, else the last one used, else the default one."""
    if requested:
        return projects.open_location(requested)
    last = settings.value("lastProject")
    if last:
        try:
            return projects.open_location(str(last), create=False)
        except AnnotatorError as exc:
            log.warning("last project unavailable, opening the default one: %s", exc)
    project = projects.open_location(None)
    projects.add_demo_articles(project)
    return project


def run(requested: str | None, argv: list[str]) -> int:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Annotator")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "annotator.svg")))
    install_excepthook()
    settings = app_settings()
    try:
        project = open_start_project(requested, settings)
    except AnnotatorError as exc:
        QMessageBox.critical(None, "Cannot open the project", str(exc))
        return 1
    window = MainWindow(project, settings)
    window.show()
    window.raise_()
    window.activateWindow()
    start_later(window)
    code = app.exec()
    return finish(window, code)


def finish(window: MainWindow, code: int) -> int:
    """Leave cleanly, or at once. spaCy cannot be stopped inside one document, and letting Python shut
    down around a thread that is still in spaCy's native code aborts the process. Everything finished
    is committed already (the batch in hand is redone next time), so exiting at once loses nothing."""
    if window.workers.wait(2_000):
        return code
    log.warning("background work still running at exit; leaving without waiting for it")
    logging.shutdown()
    os._exit(code)
