"""The open project and everything that lives as long as it is open, in one owner.

The window, its panels and its menus never set each other's attributes to stay in step: they subscribe to
the owner's signals. A new panel only needs the owner (``subscribe``), never a change to the window.

- ``opened(project)``: a project is now open (another one, or the same one reopened after a restore).
  Everything shown of the one before means nothing now: ids repeat across projects. Its schema is
  ``owner.schema`` (no ``schema_changed`` is sent for a newly opened project).
- ``schema_changed(schema, history_kept)``: the label schema changed. ``history_kept`` is true when labels were
  only added (an import), so earlier steps still undo into labels that exist.
- ``changed_elsewhere()``: another window or program saved something in the project.
- ``progress(what, done, total)``: background pre-annotation; ``total`` 0 while not yet known, and an empty
  ``what`` once nothing runs any more.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.schema import LabelSchema
from annotator.services import changes, preannotating, projects
from annotator.services.first_view import FirstView
from annotator.services.projects import Project
from annotator.services.schema import schema_of
from annotator.ui.backups_dialog import DailyBackups
from annotator.ui.schema_dialog import edit_schema
from annotator.ui.waiting import wait_for
from annotator.ui.workers import Worker, Workers

log = logging.getLogger(__name__)
REFRESH_MS = 10_000  # how often to look for another window's work (a cheap check: nothing is read unless it changed)


class OpenProject(QObject):
    opened = Signal(object)  # Project
    schema_changed = Signal(object, bool)  # LabelSchema, whether the undo history still holds
    changed_elsewhere = Signal()
    progress = Signal(str, int, int)  # what runs ("" once nothing does), done, total (0: not known yet)
    checked = Signal()  # after every look for others' work, whether or not anything had changed
    preannotated = Signal(object)  # the PreannotateReport of a finished run
    failed = Signal(str, str)  # title, message: background work that failed, for the analyst to read
    message = Signal(str)  # a passing remark for the status bar

    def __init__(
        self, project: Project, model: str | None = None, parent: QObject | None = None, since: FirstView | None = None
    ) -> None:
        """``since``: what the window painted before the project was open; what was committed after it
        was read reaches ``changed_elsewhere`` at the first look."""
        super().__init__(parent)
        self.project = project
        self.schema: LabelSchema = schema_of(project)
        self.model = model
        self.workers = Workers()
        self.preannotation: Worker | None = None
        self.suggested_layers = preannotating.ALL_LAYERS  # what the model can suggest, once a run has said
        # Made before anything is read from the project, so no change made elsewhere slips between.
        self.watcher = changes.watch(project, since)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.look_for_changes)
        self.backups = DailyBackups(self)  # on opening a project, then daily, on a worker thread
        self._closed = False

    def subscribe(self, opened=None, schema_changed=None, changed_elsewhere=None) -> None:
        """Connect a view to the owner; it is given the project open now at once, so it never starts empty."""
        if opened is not None:
            self.opened.connect(opened)
            opened(self.project)
        if schema_changed is not None:
            self.schema_changed.connect(schema_changed)
        if changed_elsewhere is not None:
            self.changed_elsewhere.connect(changed_elsewhere)

    def start(self) -> None:
        """Begin the owner's own routine once the views have subscribed: backups and looking for changes."""
        self.backups.project_opened()
        self.refresh_timer.start()

    # --- switching ------------------------------------------------------------------------------------

    def switch(self, location: str) -> Project:
        """Open another project (or reopen this one) in place of the present one; AnnotatorError if it cannot.
        Its pages are checked and it is migrated on a thread: the window keeps painting (waiting.wait_for)."""
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        name = Path(location).name or location
        project = wait_for(parent, "Open Project", f"Checking and opening {name}…",
                           lambda: projects.open_location(location))
        # The old project's background work is told to stop; the project closes once it has, so the
        # window never waits for a batch to finish.
        self.workers.cancel_all()
        self._forget_preannotation()
        old = self.project
        self.workers.when_idle(old.close)
        self.watcher.close()
        self.watcher = changes.watch(project)
        self.project = project
        self.schema = schema_of(project)
        self.opened.emit(project)
        self.start()
        self.start_preannotation()
        return project

    def let_go(self) -> None:
        """Close every connection held on the project (a restore refuses a project still open anywhere).
        Nothing looks at it again until the next ``switch``."""
        self.refresh_timer.stop()  # looking for other windows' work would reopen it
        self.watcher.close()
        self.project.close()

    def close(self) -> None:
        """The window is closing: no more looking, backing up or reporting; running work is told to stop.
        A finished batch is already saved; a running one is simply redone next time."""
        self._closed = True
        self.refresh_timer.stop()
        self.backups.pause()
        self.watcher.close()
        self._forget_preannotation(quietly=True)
        self.workers.cancel_all()

    # --- the schema -----------------------------------------------------------------------------------

    def edit_schema(self, parent: QWidget) -> LabelSchema | None:
        """The schema dialog; a saved change reaches every subscriber. Renamed or removed labels would make
        earlier steps undo into labels that no longer exist, so the history does not hold."""
        changed = edit_schema(parent, self.project)
        if changed is not None:
            self.schema = changed
            self.schema_changed.emit(changed, False)
        return changed

    def labels_added(self) -> None:
        """An import added labels: nothing was renamed, so the undo history holds."""
        self.schema = schema_of(self.project)
        self.schema_changed.emit(self.schema, True)

    # --- another window's work ------------------------------------------------------------------------

    def look_for_changes(self) -> None:
        """A cheap check whether another window or program saved something since the last look."""
        if self._closed:
            return
        try:
            if self.watcher.changed():
                self.changed_elsewhere.emit()
        except AnnotatorError as exc:  # busy for too long, or gone: say so and look again next time
            self.message.emit(f"Could not look for changes made elsewhere: {exc}")
        self.checked.emit()

    # --- background work ------------------------------------------------------------------------------

    def start_preannotation(self) -> bool:
        """Suggest entities, statements and claims for new documents in the background; False when
        nothing is to do or it runs."""
        if self._closed or self.preannotation is not None or self.project.read_only:
            return False  # a read-only project takes no suggestions
        if preannotating.pending_count(self.project, self.suggested_layers) == 0:
            return False
        # In a process of its own: spaCy never holds up the window's event loop.
        worker = Worker(preannotating.preannotate_elsewhere, self.project, self.model)
        # Each signal names its worker: one left over from a project switched away from is ignored.
        worker.signals.progress.connect(lambda done, total: self._progressed(worker, done, total))
        worker.signals.finished.connect(lambda report: self._ended(worker, report, None))
        worker.signals.failed.connect(lambda text, _details: self._ended(worker, None, text))
        self.preannotation = self.workers.start(worker)
        self.progress.emit("Loading spaCy…", 0, 0)
        return True

    def cancel_preannotation(self) -> None:
        if self.preannotation is not None:
            self.preannotation.cancel()
            self.progress.emit("Cancelling…", 0, 0)

    def _current(self, worker: Worker) -> bool:
        # A worker's signal may arrive after the window (and this owner with it) was closed and deleted.
        return shiboken6.isValid(self) and worker is self.preannotation

    def _progressed(self, worker: Worker, done: int, total: int) -> None:
        if self._current(worker):
            self.progress.emit("Pre-annotating", done, max(total, 1))

    def _ended(self, worker: Worker, report, failure: str | None) -> None:
        if not self._current(worker):
            return
        self._forget_preannotation()
        if failure is None:
            # A pipeline without a parser suggests entities only: documents are not pending for the rest.
            self.suggested_layers = report.layers
            self.preannotated.emit(report)
        else:
            self.failed.emit("Pre-annotation failed", failure)

    def _forget_preannotation(self, quietly: bool = False) -> None:
        if self.preannotation is None:
            return
        self.preannotation = None
        if not quietly:
            self.progress.emit("", 0, 0)
