"""View ▸ Annotations: whose work the article shows (mine, everyone's, one annotator's) and whether the
model's suggestions show too; and Project ▸ Blind Annotation. The choice is kept per project in the
window's settings; the status bar says what is shown ("Showing: ben's annotations (read-only)").

The rules are core.visibility's and services.visibility's; this module only asks and shows. A blind
project offers its annotators (all but its curators) only their own work and the suggestions: the
other choices are not in the menu, and the others' spans are never loaded.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu

from annotator.core.errors import AnnotatorError
from annotator.core.visibility import EVERYONE, MINE, ONE, View, allowed_view
from annotator.services import visibility
from annotator.ui.plain import fit_label, menu_text, warn


def view_key(where: str) -> str:
    """The settings key of the view chosen for the project at ``where`` (its safe location)."""
    return f"annotationsView/{hashlib.sha1(where.encode('utf-8')).hexdigest()[:16]}"


class AnnotationsMenu:
    """The View menu's Annotations part and the status bar's line about it, for the window ``w``."""

    def __init__(self, w, view_menu: QMenu, project_menu: QMenu, owner) -> None:
        self.w = w
        self.owner = owner
        menu = view_menu.addMenu("&Annotations")
        menu.setObjectName("annotationsMenu")
        self.menu = menu
        group = QActionGroup(menu)
        self.mine = self._choice(menu, group, "&Mine", lambda: self.choose(View(MINE, "", self.with_suggestions)))
        self.mine.setObjectName("viewMine")
        self.everyone = self._choice(
            menu, group, "&Everyone's", lambda: self.choose(View(EVERYONE, "", self.with_suggestions))
        )
        self.everyone.setObjectName("viewEveryone")
        self.one = menu.addMenu("&One Annotator")
        self.one.setObjectName("viewOneAnnotator")
        self.one.aboutToShow.connect(self.fill_annotators)
        self.group = group
        menu.addSeparator()
        self.suggestions = QAction("&Suggestions", w)
        self.suggestions.setObjectName("viewSuggestions")
        self.suggestions.setCheckable(True)
        self.suggestions.setChecked(True)
        self.suggestions.toggled.connect(self._suggestions_toggled)
        menu.addAction(self.suggestions)
        menu.aboutToShow.connect(self.update_menu)

        self.blind = QAction("&Blind Annotation", w)
        self.blind.setObjectName("blindAnnotation")
        self.blind.setCheckable(True)
        self.blind.setToolTip("Each annotator sees only the suggestions and their own work until curation")
        self.blind.triggered.connect(self.set_blind)
        project_menu.addAction(self.blind)

        self.label = QLabel(w)
        self.label.setObjectName("whoseWork")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # names are people's: "<b>ben</b>" is no markup
        w.statusBar().addPermanentWidget(self.label)
        w.session.currentChanged.connect(lambda _span: self.show_label())  # every article opened says so
        owner.subscribe(opened=self._opened, changed_elsewhere=self.update_menu)

    @property
    def with_suggestions(self) -> bool:
        return self.suggestions.isChecked()

    def _choice(self, menu: QMenu, group: QActionGroup, text: str, slot) -> QAction:
        action = QAction(text, self.w)
        action.setCheckable(True)
        group.addAction(action)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # --- the open project -----------------------------------------------------------------------------

    def _opened(self, project) -> None:
        """The view this project was last shown with in this window (everyone's, at first)."""
        kept = self.w.settings.value(view_key(project.safe_location))
        self.w.session.chosen_view = View.from_text(kept if isinstance(kept, str) else None)
        self.update_menu()

    def restricted(self) -> bool:
        return visibility.restricted(self.owner.project, self.w.session.annotator)

    def update_menu(self) -> None:
        """The checks as the view is, and in a blind project (for all but a curator) no other choice than mine."""
        project, me = self.owner.project, self.w.session.annotator
        try:  # the settings read once: on PostgreSQL each read is a round trip to the server
            blind = visibility.is_blind(project)
            restricted = blind and not visibility.is_curator(project, me)
        except AnnotatorError:  # busy for too long, or gone: the menu stays as it was
            return
        view = allowed_view(self.w.session.chosen_view, restricted)  # without reading the settings again
        self.blind.setChecked(blind)
        self.everyone.setVisible(not restricted)
        self.one.menuAction().setVisible(not restricted)
        self.mine.setChecked(view.whose == MINE or (view.whose == ONE and view.person == self.w.session.annotator))
        self.everyone.setChecked(view.whose == EVERYONE)
        self.one.menuAction().setText("&One Annotator" + ("" if view.whose != ONE else " ✓"))
        self.suggestions.blockSignals(True)
        self.suggestions.setChecked(view.suggestions)
        self.suggestions.blockSignals(False)
        self.show_label(restricted)

    def fill_annotators(self) -> None:
        """One entry per annotator of the project (names as plain text, never a shortcut mark)."""
        self.one.clear()
        chosen = self.w.session.chosen_view
        for name in visibility.annotators(self.owner.project, self.w.session.annotator):
            action = self.one.addAction(menu_text(name))
            action.setCheckable(True)
            action.setChecked(chosen.whose == ONE and chosen.person == name)
            action.setProperty("annotator", name)
            action.triggered.connect(
                lambda _checked=False, n=name: self.choose(View(ONE, n, self.with_suggestions))
            )

    def show_label(self, restricted: bool | None = None) -> None:
        """The status bar's line. Called on every move of the cursor: with an article open it reads nothing,
        but uses what the session read when it opened the article (``restricted``: as just read)."""
        session = self.w.session
        if restricted is None:
            restricted = session.restricted if session.annotations is not None else self.restricted()
        view = session.shown_view if session.annotations is not None else allowed_view(session.chosen_view, restricted)
        text = view.describe(session.annotator)
        if restricted:
            text += " · blind project"
        fit_label(self.label, text, 400)

    # --- choosing -------------------------------------------------------------------------------------

    def choose(self, view: View) -> None:
        """Show ``view`` from now on in this project: the open article is read again with it."""
        session = self.w.session
        if view.whose != MINE and self.restricted():
            self.w.statusBar().showMessage(
                "This project is blind: until curation you see only your own work and the suggestions.", 10000
            )
            view = View(MINE, "", view.suggestions)
        session.chosen_view = view
        self.w.settings.setValue(view_key(self.owner.project.safe_location), view.to_text())
        if session.document_id is not None:
            self.w.open_document(session.document_id)
        self.update_menu()
        self.w.statusBar().showMessage(view.describe(session.annotator), 8000)

    def _suggestions_toggled(self, on: bool) -> None:
        chosen = self.w.session.chosen_view
        self.choose(View(chosen.whose, chosen.person, on))

    def set_blind(self, on: bool) -> None:
        """Project ▸ Blind Annotation. Where the project names curators, only one of them turns it off."""
        project, me = self.owner.project, self.w.session.annotator
        try:
            names = visibility.curators(project)
            if not on and names and me not in names:
                self.blind.setChecked(True)
                warn(self.w, "Blind annotation", f"Only a curator of this project ({', '.join(names)}) can turn "
                     f"blind annotation off; you are {me}.")
                return
            visibility.set_blind(project, on)
        except AnnotatorError as exc:  # a read-only project, a busy database
            self.blind.setChecked(not on)
            warn(self.w, "Blind annotation", str(exc))
            return
        if self.w.session.document_id is not None:
            self.w.open_document(self.w.session.document_id)
        self.update_menu()
        self.w.statusBar().showMessage(
            "Blind annotation on: each annotator sees only the suggestions and their own work until curation."
            if on else "Blind annotation off: View ▸ Annotations can show everyone's work.", 10000
        )
