"""The main window: document list on the left, the article on the right, long work in the background.

It can be painted before the project is open: ``MainWindow(None, settings, first=view)`` shows the list
and the article read by services.first_view, and ``attach`` then gives it the project. Everything that
reaches the project imports SQLAlchemy, which takes longer than the whole window takes to appear, so
those modules are imported in ``attach`` and in the methods that only run after it, never at the top
(nor are the modules of dialogs and bars the first paint does not show).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QMimeData, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QWidget,
)

from annotator import paths
from annotator.core.errors import AnnotatorError, DamagedProjectError
from annotator.core.model import Layer, State, Status
from annotator.ui import reading_place
from annotator.ui.article_view import ArticleView
from annotator.ui.document_list import DocumentListPanel
from annotator.ui.plain import fit_label, plain_tooltip, warn
from annotator.ui.waiting import busy_in
from annotator.ui.workers import Worker, Workers

if TYPE_CHECKING:
    from annotator.services import exporting, importing, preannotating
    from annotator.services.first_view import FirstView
    from annotator.services.projects import Project
    from annotator.ui.export_dialog import ExportDialog
    from annotator.ui.open_project import OpenProject

log = logging.getLogger(__name__)
PROJECT_FILTER = "Annotator projects (*.annotator.sqlite *.sqlite *.db);;All files (*)"
MENU_TITLES = ("&File", "&Edit", "&View", "&Annotate", "&Document", "&Project", "&Help")  # as build_menus has them


class MainWindow(QMainWindow):
    def __init__(
        self, project: Project | None, settings: QSettings, model: str | None = None, first: FirstView | None = None
    ) -> None:
        """The window on ``project``; or, with ``project`` None, the window painting ``first`` until
        ``attach`` gives it the project."""
        super().__init__()
        self.settings = settings
        self.owner: OpenProject | None = None  # everything that lives as long as the project is open
        self.export_dialog: ExportDialog | None = None
        self.import_report = None  # the last import report box, kept while it is open
        self.member_question = None  # the question before importing a doccano export's members' files
        self.columns_question = None  # the dialog mapping a table's columns before it is imported
        self.text_menu = None  # the right-click menu, kept while it is open

        self.documents = DocumentListPanel(self)
        self.article = ArticleView(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.documents)
        self.splitter.addWidget(self.article)
        self.splitter.addWidget(QWidget(self))  # the annotation panel's place, until attach
        # The article takes most of any change in width, but the side columns give way too.
        for column, stretch in enumerate((1, 4, 1)):
            self.splitter.setStretchFactor(column, stretch)
        self.article.setMinimumWidth(360)
        # The list wide enough for its titles to be read (two lines of each); shared out in proportion when
        # the window is narrower.
        self.splitter.setSizes([450, 620, 300])
        self.setCentralWidget(self.splitter)
        self.documents.table.activated.connect(lambda _index: self.article.editor.setFocus())
        self.setAcceptDrops(True)  # drop article files or folders on the window to import them
        # The menus' places, so that nothing moves when attach puts the real ones there.
        self._menu_places = [self.menuBar().addMenu(title) for title in MENU_TITLES]
        self._build_status_bar()
        self._restore_geometry()
        self.documents.table.setFocus()  # Up and Down walk the articles from the first moment
        if first is not None:
            self._show_first(first)
        if project is not None:
            self.attach(project, model)

    def _show_first(self, first: FirstView) -> None:
        """The list and the article as services.first_view read them, before the project is open."""
        self.setWindowTitle(f"{first.name} — Annotator")
        self.documents.set_label_sets(first.schema.label_sets)
        self.documents.list_ids = lambda _query: first.ids  # nothing asks for another order before attach
        self.documents.list_rows = first.rows
        self.documents.reload()
        shown = first.annotations
        if shown is None:
            self.article.clear()
            return
        self.documents.select(shown.document.id, notify=False)
        self.article.show_document(shown.document, list(shown.spans.values()), first.schema)
        self.article.show_status(shown.status)
        reading_place.restore(self.settings, str(first.path), self.article)

    def attach(self, project: Project, model: str | None = None, first: FirstView | None = None) -> None:
        """Give the window its project: the owner, the session, the panels, the menus and the keys.
        ``first``: what ``_show_first`` painted, taken over as it is; commits made since it was read are
        looked for at once."""
        from annotator.services import documents
        from annotator.ui import menus
        from annotator.ui.annotating import AnnotationSession
        from annotator.ui.annotation_panel import AnnotationPanel
        from annotator.ui.find_bar import FindBar
        from annotator.ui.guidelines_panel import GuidelinesPanel
        from annotator.ui.links_overlay import LinksOverlay
        from annotator.ui.open_project import OpenProject
        from annotator.ui.search_panel import SearchPanel

        self.owner = OpenProject(project, model, self, since=first)
        self.session = AnnotationSession(self.article, self.owner, self)
        self.session.annotator = str(self.settings.value("annotator") or self.session.annotator)
        self.panel = AnnotationPanel(self.session, self)
        self.links = LinksOverlay(self.article, self.session)  # the current statement's speaker and cue arcs
        self.splitter.replaceWidget(2, self.panel).deleteLater()
        self.find_bar = FindBar(self.article, self.article)
        self.article.layout().insertWidget(3, self.find_bar)
        self.find_bar.hide()
        self.search = SearchPanel(self)
        self.owner.subscribe(opened=self.search.set_project)
        self.search.documentChosen.connect(self._open_search_hit)
        self.search.escaped.connect(self.close_search)
        self.search_dock = self.add_dock("Search", self.search, "searchDock", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.search_dock.visibilityChanged.connect(lambda shown: self._keep_list_usable(self.search_dock, shown))
        self.guidelines = GuidelinesPanel(self)
        self.owner.subscribe(opened=self.guidelines.set_project)
        self.guidelines_dock = self.add_dock(
            "Guidelines", self.guidelines, "guidelinesDock", Qt.DockWidgetArea.RightDockWidgetArea
        )
        from annotator.ui import people_panel

        self.people = people_panel.install(self)  # View ▸ People and Organisations: self.people_dock

        self.documents.documentSelected.connect(self.open_document)
        self.documents.list_ids = lambda query: documents.list_ids(self.project, query, self.session.annotator)
        self.documents.list_rows = lambda ids: documents.list_rows(self.project, ids, self.session.annotator)
        self.documents.model.load_rows = self.documents.list_rows  # rows still to be read come from the project
        self.session.changed.connect(self._edit_shown)
        self.session.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.session.failed.connect(lambda text: warn(self, "Not saved", text))
        self.session.documentWanted.connect(self._open_for_undo)
        self.session.documentsChanged.connect(lambda _ids: self._refresh_list())  # a step over the project
        self.article.contextMenuWanted.connect(self._show_text_menu)
        self.menuBar().clear()
        for place in self._menu_places:
            place.deleteLater()
        self.label_menu = menus.build_menus(self, self.owner)
        docks = self.settings.value("window/docks")
        if isinstance(docks, QByteArray) and not docks.isEmpty():
            self.restoreState(docks)
        # Another window or program may work on the same project: its changes are looked for on activation
        # and on the owner's timer; the article waits while the analyst is in the middle of something.
        self._article_stale = False
        self.owner.opened.connect(self._project_opened)  # after the panels: they are ready when it opens
        self.owner.schema_changed.connect(self._schema_changed)
        self.owner.changed_elsewhere.connect(self._changed_elsewhere)
        self.owner.checked.connect(self._show_stale_article)
        self.owner.progress.connect(self._show_progress)
        self.owner.preannotated.connect(self._preannotation_done)
        self.owner.failed.connect(self._work_failed)
        self.owner.message.connect(self._show_message)
        from annotator.services.presence import Heartbeat

        self.presence = Heartbeat()  # who has which document open: on the owner's refresh timer
        self.owner.refresh_timer.timeout.connect(self.keep_presence)
        self.owner.start()
        if first is None:
            self._show_project()
        else:
            self._take_over(first)

    def _take_over(self, first: FirstView) -> None:
        """The list and article painted from ``first`` become the open project's, unread and undrawn."""
        self._show_header()
        self._announce_count()
        shown = first.annotations
        current = self.documents.current_id()
        if shown is not None and current == shown.document.id:
            self.session.adopt(shown)
            self.panel.refresh()
            self.settings.setValue(self._last_document_key(), current)
        elif current is not None:  # another row was chosen while the project was opening
            self.open_document(current)
        self.owner.look_for_changes()  # what was saved elsewhere since the first read shows now

    # --- the open project, as the owner has it ---------------------------------------------------------

    @property
    def project(self) -> Project:
        return self.owner.project

    @property
    def schema(self):
        return self.owner.schema

    @property
    def workers(self) -> Workers:
        return self.owner.workers

    @property
    def preannotation(self) -> Worker | None:
        return self.owner.preannotation

    @property
    def model(self) -> str | None:
        return self.owner.model

    # --- building -------------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress_label = QLabel(self)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel_preannotation)
        self.read_only_label = QLabel("Read-only", self)  # shown while the project is (see _show_project)
        self.suggested_by_label = QLabel(self)  # the open document's language and its suggestions' origins
        self.suggested_by_label.setObjectName("suggestedBy")
        self.suggested_by_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.suggested_by_label)
        self.suggested_by_label.hide()
        for widget in (self.progress_label, self.progress, self.cancel_button, self.read_only_label):
            self.statusBar().addPermanentWidget(widget)
            widget.hide()

    # --- annotating -----------------------------------------------------------------------------------

    def _edit_shown(self, edit) -> None:
        annotations = self.session.annotations
        if annotations is not None and annotations.document.id == edit.document_id:
            labels = tuple(sorted({label.label for label in annotations.labels.values()}))
            self.documents.model.update_row(
                edit.document_id, annotations.status or Status.NEW, len(annotations.visible(Layer.ENTITY)), labels
            )

    def add_dock(self, title: str, widget, name: str, area) -> QDockWidget:
        """A panel beside the article, hidden until asked for (its place is remembered with the window's)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        dock.hide()
        return dock

    def _keep_list_usable(self, dock: QDockWidget, shown: bool) -> None:
        """The search and the people panel do not squeeze the document list away: while either shows, the
        list keeps a usable width (one dock hidden leaves it as long as the other is open)."""
        others = (d for d in (self.search_dock, getattr(self, "people_dock", None)) if d not in (None, dock))
        usable = shown or any(d.isVisible() for d in others)
        self.documents.setMinimumWidth(self.documents.usable_width() if usable else 0)

    def show_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_query()

    def next_pane(self, step: int) -> None:
        """F6: the document list, the article, the statements and claims, around (Shift+F6 back)."""
        panes = [self.documents.table, self.article.editor, self.panel.items]
        here = next((i for i, pane in enumerate(panes) if pane.hasFocus() or pane.isAncestorOf(self.focusWidget())), -1)
        target = panes[(here + step) % len(panes)] if here >= 0 else self.article.editor
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_search(self) -> None:
        self.search_dock.hide()
        self.article.editor.setFocus()

    def _open_search_hit(self, document_id: int, query: str) -> None:
        if self.documents.current_id() != document_id:
            self.documents.filter.clear()
            self.documents.status_filter.setCurrentIndex(0)
            self.documents.select(document_id, notify=False)
            self.open_document(document_id)
        self.find_bar.show_hits(query)

    def edit_label_schema(self) -> None:
        self.owner.edit_schema(self)  # a saved change comes back as schema_changed

    def _schema_changed(self, schema, history_kept: bool) -> None:
        self.documents.set_label_sets(schema.label_sets)
        self.reload_current()  # the panels and menus have followed the owner already
        if not history_kept:
            self.statusBar().showMessage("Label schema saved. Earlier steps can no longer be undone.", 10000)

    def _show_text_menu(self, where, span) -> None:
        from annotator.ui import menus  # see the module's docstring

        self.text_menu = menus.show_text_menu(self, self.label_menu, where, span)

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _open_for_undo(self, document_id: int) -> None:
        self.documents.select(document_id, notify=False)
        self.open_document(document_id)

    def pick_speaker(self) -> None:
        if self.session.annotations is None:
            return
        statement = self.session.statement_for_links()
        if statement is None:
            return
        if self.session.speaker_from_selection():  # P on selected words: they are the speaker
            return
        from annotator.ui.speaker_picker import SpeakerPicker  # see the module's docstring

        picker = SpeakerPicker(self.session.annotations, statement, self)
        if picker.exec() and picker.choice is not None:
            uid, name, where = picker.choice  # an entity, words of the text, or a name not in it
            self.session.set_speaker(statement.uid, entity_uid=uid, name=name, where=where)
        self.article.editor.setFocus()

    def choose_label(self) -> None:
        """L: any entity label by name, for the labels past the ten number keys."""
        names = [label.name for label in self.schema.labels_of(Layer.ENTITY)]
        name, ok = QInputDialog.getItem(self, "Label", "Label for the selection:", names, 0, False)
        self.article.editor.setFocus()
        if ok and name:
            self.session.label(name)

    def finish_document(self, status: Status) -> None:
        """Done (or skipped) and on to the next article in the list, in one key."""
        following = self.documents.neighbour_id(1)
        annotations = self.session.annotations
        waiting = 0 if annotations is None else sum(1 for s in annotations.visible() if s.state == State.SUGGESTED)
        if not self.session.set_status(status):
            return
        notes = []
        if waiting and status == Status.DONE:
            # Said, not asked: a question here would stop the one-key rhythm; Ctrl+Z takes it back.
            notes.append(
                f"Marked done with {waiting} suggestion{'s' if waiting != 1 else ''} not reviewed: "
                "they stay suggestions (Ctrl+Z to go back and review them)."
            )
        if following is not None:
            self.documents.select(following)
        else:
            notes.append("That was the last document in the list.")
        if notes:
            self.statusBar().showMessage(" ".join(notes), 15_000)
        self.article.editor.setFocus()

    def go_document(self, step: int) -> None:
        target = self.documents.neighbour_id(step)
        if target is not None:
            self.documents.select(target)

    def ask_annotator_name(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Annotator", "Your name, as it is recorded on your annotations:", text=self.session.annotator
        )
        if ok and name.strip():
            self.session.annotator = name.strip()
            self.settings.setValue("annotator", self.session.annotator)
            self.reload_current()

    # --- project and documents ------------------------------------------------------------------------

    def _show_project(self) -> None:
        """Fill the list and open the project's last document (else its first), always explicitly:
        row numbers and ids of the project shown before mean nothing here."""
        self._show_header()
        self.documents.reload()  # the ids; the rows are read as they come into view
        self._announce_count()
        last = self.settings.value(self._last_document_key())
        target = int(last) if last is not None and self.documents.model.row_of(int(last)) is not None else None
        target = target if target is not None else self.documents.first_id()
        if target is None:
            self.article.clear()
            return
        self.documents.select(target, notify=False)
        self.open_document(target)

    def _show_header(self) -> None:
        """The project's name, whether it is read-only, its label sets in the list; remembered as the last one."""
        read_only = self.project.read_only  # why, or ""
        self.setWindowTitle(f"{self.project.name}{' (read-only)' if read_only else ''} — Annotator")
        self.read_only_label.setVisible(bool(read_only))
        self.read_only_label.setToolTip(plain_tooltip(f"Open read-only: {read_only}. Search and export work."))
        self.settings.setValue("lastProject", self.project.safe_location)
        self.documents.set_label_sets(self.schema.label_sets)

    def _last_document_key(self) -> str:
        return last_document_key(self.project.safe_location)

    def refresh_documents(self) -> None:
        self.documents.reload(keep=self.documents.current_id())
        self._announce_count()

    # --- another window's work -----------------------------------------------------------------------

    def refresh_from_project(self) -> None:
        """Show what another window or program saved since we last looked: the list (statuses, counts, new
        articles) and the open article, keeping the current document, selection and reading place."""
        self.owner.look_for_changes()  # a cheap check; what changed comes back as changed_elsewhere

    def keep_presence(self) -> None:
        """The heartbeat (when due; never waits for a busy project) and who else has which document open."""
        from annotator.services.presence import others  # see the module's docstring

        self.presence.beat(self.project, self.session.annotator, self.session.document_id)
        self.documents.show_presence(others(self.project, self.session.annotator))

    def _changed_elsewhere(self) -> None:
        try:
            self._refresh_list()
        except AnnotatorError as exc:  # busy for too long, or gone: say so and look again next time
            self._show_message(f"Could not look for changes made elsewhere: {exc}")
        self._article_stale = True
        self._show_stale_article()

    def _show_stale_article(self) -> None:
        if not self._article_stale or self._mid_edit():
            return
        self._article_stale = False
        try:
            self._refresh_article()
        except AnnotatorError as exc:
            self._article_stale = True
            self._show_message(f"Could not look for changes made elsewhere: {exc}")

    def _refresh_list(self) -> None:
        bar = self.documents.table.verticalScrollBar()
        where = bar.value()
        self.documents.reload(keep=self.documents.current_id())  # rows are read again as they are shown
        bar.setValue(where)

    def _refresh_article(self) -> None:
        shown = self.session.document_id
        difference = self.session.refresh()
        if not difference:
            return
        self.panel.refresh()
        if self.session.annotations is None:
            self.statusBar().showMessage("This article was removed in another window or program.", 10000)
        elif difference.changed:
            self.statusBar().showMessage(
                "This article was changed in another window or program and has been reloaded; "
                "earlier steps can no longer be undone.",
                10000,
            )
        else:
            self.statusBar().showMessage("New annotations made elsewhere are shown in this article.", 8000)
        log.info("document %s reloaded: %s", shown, difference)

    def _mid_edit(self) -> bool:
        """A selection waiting for its label, a dialog or menu open, or a field of the panel being typed in."""
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget() is not None:
            return True
        if self.article.editor.textCursor().hasSelection():
            return True
        focus = QApplication.focusWidget()
        return isinstance(focus, QLineEdit) and self.panel.isAncestorOf(focus)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.owner is not None:
            self.refresh_from_project()  # back from another window: show its work

    def _announce_count(self) -> None:
        count = self.documents.model.rowCount()
        self.statusBar().showMessage(f"{count} document{'s' if count != 1 else ''} in {self.project.name}", 5000)

    def open_document(self, document_id: int) -> None:
        self._remember_place()
        with busy_in(self.statusBar(), "Opening the article…"):
            if self.session.open(document_id) is None:
                return
        reading_place.restore(self.settings, self.project.safe_location, self.article)  # where it was left
        self._show_suggested_by(document_id)
        self.panel.refresh()
        if self.find_bar.isVisible():
            self.find_bar.refresh()
        self.settings.setValue(self._last_document_key(), document_id)

    def _remember_place(self) -> None:
        """Keep where the analyst is in the open article, for when it is opened again."""
        if self.owner is not None and self.article.document is not None:
            reading_place.remember(self.settings, self.project.safe_location, self.article)

    def _show_suggested_by(self, document_id: int) -> None:
        """The open document's language and the pipelines its pending suggestions came from (plain text)."""
        from annotator.services.preannotating import origins_of  # spaCy-free

        open_now = self.session.annotations
        shown = open_now.spans.values() if open_now is not None and open_now.document.id == document_id else None
        language, origins = origins_of(self.project, document_id, shown)
        fit_label(self.suggested_by_label, f"{language or '?'} · suggestions: {', '.join(origins) or 'none'}")
        self.suggested_by_label.show()

    def reload_current(self) -> None:
        current = self.documents.current_id()
        self.refresh_documents()
        if current is not None:
            self.open_document(current)

    def switch_project(self, location: str) -> None:
        from annotator.ui.recovery import offer_restore  # see the module's docstring

        self._remember_place()
        try:
            self.owner.switch(location)  # everything follows its opened signal
        except DamagedProjectError as exc:  # say so, and offer its newest sound backup
            offer_restore(self, exc, restored=lambda: self.switch_project(location), declined=lambda: None)
        except AnnotatorError as exc:
            warn(self, "Cannot open project", str(exc))

    def _project_opened(self, _project: Project) -> None:
        self.article.clear()  # ids repeat across projects: nothing of the old view may carry over
        self._article_stale = False
        self._show_project()

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

    def restore_from_backup(self) -> None:
        """Project ▸ Restore from Backup…: choose a backup, confirm, restore, reopen."""
        from annotator.ui.backups_dialog import restore_from_backup  # see the module's docstring

        restore_from_backup(self.owner, self)

    def _project_folder(self) -> str:
        return str(self.project.path.parent if self.project.path else Path.home())

    # --- background work ------------------------------------------------------------------------------

    def start_background_preannotation(self) -> None:
        """Suggest entities for new documents without blocking anything: progress in the status bar."""
        self.owner.start_preannotation()

    def _show_progress(self, what: str, done: int, total: int) -> None:
        widgets = (self.progress_label, self.progress, self.cancel_button)
        if not what:
            for widget in widgets:
                widget.hide()
            return
        self.progress_label.setText(what)
        self.progress.setRange(0, total)  # 0 to 0: busy, the total is not known yet
        self.progress.setValue(done)
        for widget in widgets:
            widget.show()
        from annotator.services import documents  # see the module's docstring

        shown = self.article.document
        if done and shown is not None and documents.suggested_layers(self.project, shown.id) != shown.suggested_layers:
            self.open_document(shown.id)  # its suggestions have just arrived

    def _preannotation_done(self, report: preannotating.PreannotateReport) -> None:
        self.reload_current()
        self.statusBar().showMessage(report.summary(), 10000)

    def _work_failed(self, title: str, message: str) -> None:
        self.reload_current()
        warn(self, title, message)

    def cancel_preannotation(self) -> None:
        self.owner.cancel_preannotation()

    def preannotate_with_dialog(self) -> None:
        from annotator.services import preannotating  # see the module's docstring

        if self.preannotation is not None:
            QMessageBox.information(self, "Pre-annotation", "Pre-annotation is already running (see the status bar).")
            return
        if preannotating.pending_count(self.project, self.owner.suggested_layers) == 0:
            QMessageBox.information(self, "Pre-annotation", "Every document already has the model's suggestions.")
            return
        dialog = QProgressDialog("Loading the spaCy pipeline…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Pre-annotating")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)

        def progress(what: str, done: int, total: int) -> None:
            if not what:  # it ended (finished, failed or left behind by a switch of project)
                self.owner.progress.disconnect(progress)
                dialog.reset()
                dialog.deleteLater()
            elif total:
                dialog.setLabelText(f"Suggesting entities, statements and claims: {done} of {total} documents")
                dialog.setRange(0, total)
                dialog.setValue(done)

        self.owner.progress.connect(progress)
        dialog.canceled.connect(self.cancel_preannotation)
        self.owner.start_preannotation()
        dialog.show()

    def _run(self, title: str, function, *args, done=None) -> Worker:
        """Run a service in the background behind a cancellable progress dialog; report failures in a box."""
        dialog = QProgressDialog(title + "…", "Cancel", 0, 0, self)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # quick jobs finish without a dialog flashing up
        worker = Worker(function, self.project, *args)
        # The dialog goes with the window: work that ends after the window was closed has no one to tell.
        def alive() -> bool:
            return shiboken6.isValid(dialog)

        def finished(result) -> None:
            if not alive():
                return
            dialog.reset()
            dialog.deleteLater()
            if done is not None:
                done(result)

        def failed(message: str, details: str) -> None:
            if not alive():
                return
            dialog.reset()
            dialog.deleteLater()
            if details:  # a bug, not a refusal: the traceback is in the log
                message += f"\n\nYour work is saved. Details are in the log:\n{paths.log_file()}"
            warn(self, f"{title} failed", message)

        def progress(done_count: int, _total: int) -> None:
            if alive():
                dialog.setLabelText(f"{title}: {done_count} done")

        worker.signals.progress.connect(progress)
        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        dialog.canceled.connect(worker.cancel)
        return self.workers.start(worker)

    def import_files(self) -> None:
        from annotator.services import formats  # the catalogue: every readable suffix, format by format

        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import articles or annotated data", str(Path.home()), formats.import_filter()
        )
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Import a folder of articles or annotated data", str(Path.home())
        )
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str], add_labels: bool = False, annotators: dict[str, str] | None = None,
                     columns: dict | None = None) -> None:
        """Import in the background. ``annotators``: each file's person (None: ask when the files look like
        the members' files of one doccano export, whose spans name nobody). ``columns``: which columns of
        the tables of articles among them hold what (None: ask when there are any)."""
        # The readers and writers of every format are imported when first wanted, not at start-up.
        from annotator.services import importing
        from annotator.ui.report_dialog import ask_member_names, show_import_report

        if columns is None and self._ask_columns(paths, lambda chosen: self.import_paths(paths, add_labels,
                                                                                         annotators, chosen)):
            return
        if annotators is None:
            members = importing.member_files(paths)
            if members:
                self.member_question = ask_member_names(
                    self, members, lambda chosen: self.import_paths(paths, add_labels, chosen, columns)
                )
                return

        def done(report: importing.ImportReport) -> None:
            self.refresh_documents()
            self.search.refresh()
            self.people.refresh_later()
            if report.new_labels:
                self._labels_added()
            self.import_report = show_import_report(
                self, report, lambda: self.import_paths(paths, add_labels=True, annotators=annotators, columns=columns)
            )
            self.start_background_preannotation()

        def run(*args, **kwargs):
            return importing.import_paths(*args, add_labels=add_labels, annotators=annotators, columns=columns or None,
                                          **kwargs)

        self._run("Importing", run, paths, done=done)

    def _ask_columns(self, paths: list[str], answer) -> bool:
        """Ask which columns of the first table of articles among ``paths`` hold what (for them all); True
        if asked. A table that cannot be read is left to the import, which reports why."""
        from annotator.services import tables
        from annotator.ui.columns_dialog import ask_columns

        found = tables.tables_to_map(paths)
        if not found:
            return False
        try:
            table = tables.table_columns(found[0])
        except AnnotatorError:
            return False
        self.columns_question = ask_columns(self, table, len(found) - 1, answer)
        return True

    def paste_article(self) -> None:
        """Edit ▸ Paste as New Article: the clipboard's HTML (else its text) becomes a document, opened."""
        from annotator.core.errors import Problem
        from annotator.services.pasting import paste_article

        mime = QApplication.clipboard().mimeData()
        html = mime.html() if mime is not None and mime.hasHtml() else ""
        text = mime.text() if mime is not None and mime.hasText() else ""
        if not html.strip() and not text.strip():
            self.statusBar().showMessage("The clipboard holds no text: nothing was pasted.", 10_000)
            return
        try:
            pasted = paste_article(self.project, text, html)
        except AnnotatorError as exc:  # a read-only project, say
            warn(self, "Paste as New Article", str(exc))
            return
        if isinstance(pasted, Problem):
            self.statusBar().showMessage(f"Not pasted: {pasted.message}.", 15_000)
            return
        self.refresh_documents()
        self.search.refresh()
        self.documents.select(pasted.id, notify=False)
        self.open_document(pasted.id)
        self.statusBar().showMessage(f"Pasted as a new article: {pasted.title}", 10_000)
        self.start_background_preannotation()

    def _labels_added(self) -> None:
        """An import added labels: every subscriber shows them. Nothing was renamed, so the undo history stays."""
        self.owner.labels_added()

    def show_export(self) -> None:
        """The export dialog: any format, filters, a preview; modal while it writes."""
        from annotator.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.project, self.workers, self.model, self)
        dialog.finished.connect(lambda _code: self._export_finished(dialog))
        dialog.open()
        self.export_dialog = dialog

    def _export_finished(self, dialog: ExportDialog) -> None:
        if dialog.report is not None:
            self.statusBar().showMessage(dialog.report.summary(), 10000)
        dialog.deleteLater()
        self.export_dialog = None

    def export_jsonl(self) -> None:
        suggested = str(Path.home() / f"{self.project.name}.jsonl")
        path, _ = QFileDialog.getSaveFileName(self, "Export as JSONL", suggested, "JSON Lines (*.jsonl)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        from annotator.services import exporting

        def done(report: exporting.ExportReport) -> None:
            self.statusBar().showMessage(report.summary(), 10000)

        only = exporting.ExportFilter(by=self.session.annotator)  # a blind project narrows what is exported
        self._run("Exporting", functools.partial(exporting.export, only=only), path, "jsonl", done=done)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if self.owner is not None and _local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        dropped = _local_paths(event.mimeData())
        if dropped:
            event.acceptProposedAction()
            self.import_paths(dropped)

    def show_about(self) -> None:
        from annotator.ui import about  # its package metadata takes a while to import: only when asked

        about.show_about(self, self.project.safe_location)

    # --- window state ---------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = self.settings.value("window/splitter3")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        hidden = self.settings.value("documentList/hiddenColumns")
        if isinstance(hidden, str):  # names joined by commas ("" when every column shows)
            self.documents.hide_columns(hidden.split(","))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter3", self.splitter.saveState())
        if self.owner is not None:  # the docks are made by attach: before it there is nothing to keep
            self.settings.setValue("window/docks", self.saveState())
        self.settings.setValue("documentList/hiddenColumns", ",".join(sorted(self.documents.hidden)))
        self._remember_place()
        self.settings.sync()
        if self.owner is not None:
            # No more looking, backing up or reporting to widgets that are about to go; finished batches
            # are already saved, a running one is simply redone next time.
            self.owner.close()
            self.presence.leave(self.project)  # others no longer see this window's document
            self.hide()  # the wait below (a document in spaCy, or spaCy still loading) happens out of sight
            self.workers.wait(2_000)  # a longer one is cut short by application.finish
        super().closeEvent(event)


def _local_paths(mime: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []


def last_document_key(where: str) -> str:
    """The settings key of the article last open in the project at ``where`` (its safe location)."""
    return f"lastDocument/{hashlib.sha1(where.encode('utf-8')).hexdigest()[:16]}"


def start_later(window: MainWindow) -> None:
    """Begin background work once the window is on screen (the window never waits for spaCy)."""
    QTimer.singleShot(0, window.start_background_preannotation)
