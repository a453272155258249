"""Starting the window: QApplication, the error dialog, settings, the project, then the window.

A window appears first, before the database and the rest of the program are even imported: a plain one
at the main window's place saying which project is opening. The main window takes its place as soon
as the project is open; spaCy loads afterwards in a process of its own.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback

from PySide6.QtCore import QByteArray, QEvent, QEventLoop, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from annotator import paths
from annotator.core.errors import AnnotatorError, DamagedProjectError
from annotator.ui.fonts import register_bundled_fonts

log = logging.getLogger(__name__)


def app_settings() -> QSettings:
    # An ini file in our config folder, not the registry or ~/.config/<org>: paths.py owns every path.
    # It names projects and documents, so like the projects it is readable by its owner only.
    path = paths.config_dir() / "annotator.ini"
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    return QSettings(str(path), QSettings.Format.IniFormat)


class ErrorReporter(QObject):
    """Uncaught exceptions, from the GUI thread or any other: logged in full, then one dialog says what
    happened and where the log is. The dialog is opened, not exec'd, so a failing slot or paint event
    never spins a nested event loop; errors that follow while it is up are only counted (and logged)."""

    arrived = Signal(str, str)  # one line, traceback

    def __init__(self) -> None:
        super().__init__()
        self.box: QMessageBox | None = None
        self.more = 0
        self.arrived.connect(self.show)

    def hook(self, kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("unexpected error", exc_info=(kind, value, tb))
        self._report(kind, value, tb)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        log.error("unexpected error in thread %s", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        self._report(args.exc_type, args.exc_value, args.exc_traceback)

    def _report(self, kind, value, tb) -> None:
        if QApplication.instance() is None:
            sys.__excepthook__(kind, value, tb)
            return
        message = f"{kind.__name__}: {value}" if str(value) else kind.__name__
        # A signal reaches the GUI thread from any thread (queued), and runs at once on the GUI thread.
        self.arrived.emit(message, "".join(traceback.format_exception(kind, value, tb)))

    def show(self, message: str, details: str) -> None:
        if self._box_is_up():
            self.more += 1
            self.box.setInformativeText(self._where(f"{self.more} more error{'s' if self.more > 1 else ''} since."))
            return
        self.more = 0
        box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", message, parent=QApplication.activeWindow())
        box.setInformativeText(self._where())
        box.setDetailedText(details)
        from PySide6.QtCore import Qt  # not at the top: see StartWindow

        box.setTextFormat(Qt.TextFormat.PlainText)  # an error may quote a file's text
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._closed)
        self.box = box
        box.open()

    def _box_is_up(self) -> bool:
        try:
            return self.box is not None and self.box.isVisible()
        except RuntimeError:  # deleted with the window it belonged to
            self.box = None
            return False

    def _closed(self, _result: int) -> None:
        self.box = None

    @staticmethod
    def _where(extra: str = "") -> str:
        text = (
            "Your work is saved: every action was saved as you made it. Annotator keeps running.\n"
            f"Details are in the log:\n{paths.log_file()}"
        )
        return f"{extra}\n{text}" if extra else text


_reporter: ErrorReporter | None = None


def install_excepthook() -> ErrorReporter:
    """An unexpected error, on any thread, shows a dialog and goes to the log; the GUI keeps running.
    Every action was already committed, so nothing is lost. Call once the QApplication exists."""
    global _reporter
    _reporter = ErrorReporter()
    sys.excepthook = _reporter.hook
    threading.excepthook = _reporter.thread_hook
    return _reporter


def open_start_project(requested: str | None, settings: QSettings, read_only: bool = False):
    """The project named on the command line, else the last one used, else the default one. A damaged
    last project is said so (DamagedProjectError), not silently replaced by the default one.

    Its pages are not checked here: see PageCheck."""
    from annotator.services import projects

    if requested:
        return projects.open_location(requested, read_only=read_only, check=False)
    last = settings.value("lastProject")
    if last:
        try:
            return projects.open_location(str(last), create=False, read_only=read_only, check=False)
        except DamagedProjectError:
            raise
        except AnnotatorError as exc:
            log.warning("last project unavailable, opening the default one: %s", exc)
    project = projects.open_location(None, read_only=read_only, check=False)
    projects.add_demo_articles(project)
    return project


class PageCheck:
    """quick_check of the project being opened, on a thread of its own while the modules that reach the
    project are imported: it reads the whole file (~0.1 s for 10,000 articles) and SQLite lets go of
    the GIL while it does, so on two cores it costs the start next to nothing. The project is only
    given to the window (and so written to) once it has passed. ``check`` raises DamagedProjectError."""

    def __init__(self, check) -> None:
        self.error: DamagedProjectError | None = None

        def run() -> None:
            try:
                check()
            except DamagedProjectError as exc:
                self.error = exc

        self.thread = threading.Thread(target=run, name="page-check", daemon=True)
        self.thread.start()

    def result(self) -> DamagedProjectError | None:
        """Once the check has ended. Meanwhile the window goes on painting (a big project's check reads its
        whole file: seconds from a slow disk); what the user types and clicks waits until the project is open."""
        while self.thread.is_alive():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 20)
            self.thread.join(0.01)
        return self.error


class StartWindow(QMainWindow):
    """What is on screen while the project opens: the main window's place and title, and in its status
    bar which project is opening. Once it has been painted, ``then`` runs (opening the project and
    building the main window).

    It uses nothing of Qt's ``Qt`` namespace: PySide6 builds the Python enums of that namespace when it
    is first imported, ~25 ms, a fifth of a bare window's start-up; the main window pays it later."""

    def __init__(self, settings: QSettings, requested: str | None, then) -> None:
        super().__init__()
        self.setWindowTitle("Annotator")
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        what = requested or settings.value("lastProject") or "the project"
        self.statusBar().showMessage(f"Opening {what}…")  # a status message is always plain text
        self._then = then

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if self._then is not None:
            then, self._then = self._then, None
            QTimer.singleShot(0, then)  # after this paint has reached the screen


def skip_pyside_source_scan() -> None:
    """PySide6 reads the whole source of every module imported after it, to see whether the module
    opts into its ``__feature__`` switches (snake_case, true_property), which Annotator never does.
    For the ~400 modules the main window brings in (SQLAlchemy, the services) that is a good part of
    start-up (napari/napari#8584). Every module is given the answer a PySide6 user without features
    gets: the default behaviour, without the reading. Left as it is if PySide6 changes this inside."""
    feature = sys.modules.get("PySide6.support.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = lambda _module: True


def read_first_view(requested: str | None, settings: QSettings):
    """What the main window can paint before the project is open (services.first_view), or None when
    the project must open the usual way, behind the start window."""
    from annotator.core.model import default_annotator
    from annotator.services import first_view
    from annotator.ui.main_window import last_document_key

    def remembered(where: str) -> int | None:
        try:
            return int(settings.value(last_document_key(where)))
        except (TypeError, ValueError):
            return None

    location = requested or settings.value("lastProject")
    annotator = str(settings.value("annotator") or default_annotator())
    try:
        return first_view.read(location if isinstance(location, str) else None, annotator, remembered)
    except Exception:  # a quicker first paint is not worth a failed start: the usual way says what is wrong
        log.exception("reading the first view of %s failed; opening it the usual way", location)
        return None


class AfterPaint(QObject):
    """Runs ``then`` once, after ``widget``'s first paint has reached the screen."""

    def __init__(self, widget, then) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if self._then is not None and event.type() == QEvent.Type.Paint:
            then, self._then = self._then, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, then)
        return False


def run(requested: str | None, argv: list[str], prepare=None, read_only: bool = False) -> int:
    """The window. ``prepare`` runs once the first window is on screen (setting up the log file).
    ``read_only``: open the project for reading only.

    A SQLite project this version reads as it stands is painted at once, list and article, from a
    plain read (services.first_view); the project is opened for real after that paint. Any other
    (new, older, read-only, on a server) opens behind a start window that says which project opens."""
    skip_pyside_source_scan()  # the main window's imports are 0.6 s instead of 0.75
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Annotator")
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "annotator.svg")))
    register_bundled_fonts()  # before any text is laid out: Thai, Devanagari, CJK, emoji... on a bare system
    install_excepthook()
    settings = app_settings()
    started: dict = {}

    def ready() -> None:
        if prepare is not None and not started.get("prepared"):
            started["prepared"] = True
            prepare()
        from annotator import __version__

        app.setApplicationVersion(__version__)

    def refuse(exc: AnnotatorError, parent) -> None:
        from annotator.ui.plain import message_box  # not at the top: see StartWindow

        message_box(QMessageBox.Icon.Critical, "Cannot open the project", str(exc), parent).exec()
        give_up()

    def give_up() -> None:
        """No project to work on: the window painted for it goes too, and the app ends with 1."""
        window = started.get("window")
        if window is not None and window.owner is None:
            window.close()
        app.exit(1)

    def open_main_window() -> None:
        ready()
        try:
            project = open_start_project(requested, settings, read_only)
        except DamagedProjectError as exc:
            offer_restore(exc, start, open_main_window)
            return
        except AnnotatorError as exc:
            refuse(exc, start)
            return
        from annotator.services import projects

        check = PageCheck(lambda: projects.check(project))
        from annotator.ui.main_window import MainWindow, start_later  # while the pages are checked

        damaged = check.result()
        if damaged is not None:
            project.close()
            offer_restore(damaged, start, open_main_window)
            return
        window = started["window"] = MainWindow(project, settings)
        window.show()
        window.raise_()
        window.activateWindow()
        start.close()
        start_later(window)

    def attach_first() -> None:
        """The painted window gets its project: opened for real once its pages have passed quick_check."""
        ready()
        window = started["window"]
        from annotator.services import first_view

        check = PageCheck(lambda: first_view.check_pages(first))
        from annotator.services import projects  # SQLAlchemy and the rest, while the pages are checked
        from annotator.ui.main_window import start_later

        try:
            project = projects.open_location(str(first.path), create=False, check=False)
        except AnnotatorError as exc:
            first.connection.close()
            check.result()
            refuse(exc, window)
            return
        damaged = check.result()
        if damaged is not None:
            project.close()
            first.connection.close()
            offer_restore(damaged, window, reopen)
            return
        window.attach(project, first=first)
        start_later(window)

    def reopen() -> None:
        """After a damaged project was restored from its backup, in the window that painted it."""
        from annotator.services import projects
        from annotator.ui.main_window import start_later

        window = started["window"]
        try:
            window.attach(projects.open_location(str(first.path), create=False))
        except AnnotatorError as exc:
            refuse(exc, window)
            return
        start_later(window)

    def offer_restore(error: DamagedProjectError, parent, again) -> None:
        from annotator.ui import recovery  # not at the top: see StartWindow

        def restored() -> None:
            again()
            window = started.get("window")
            if window is not None:
                window.statusBar().showMessage(f"Restored the backup of {error.taken}.", 15000)

        recovery.offer_restore(parent, error, restored=restored, declined=give_up)

    first = None if read_only else read_first_view(requested, settings)
    if first is not None:
        from annotator.ui.main_window import MainWindow

        window = started["window"] = MainWindow(None, settings, first=first)
        AfterPaint(window, attach_first)
        window.show()
        code = app.exec()
        return finish(window, code)
    start = StartWindow(settings, requested, open_main_window)
    start.show()
    code = app.exec()
    start.deleteLater()
    window = started.get("window")
    return code if window is None else finish(window, code)


def finish(window, code: int) -> int:
    """Leave cleanly, or at once. spaCy cannot be stopped inside one document, and letting Python shut
    down around a thread that is still in spaCy's native code aborts the process. Everything finished
    is committed already (the batch in hand is redone next time), so exiting at once loses nothing."""
    if window.owner is None or window.workers.wait(2_000):  # None: the project never opened
        return code
    log.warning("background work still running at exit; leaving without waiting for it")
    logging.shutdown()
    os._exit(code)
