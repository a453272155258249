"""The window's menus and the right-click menu on the text.

Keys without a modifier (labels, S, C, A, X…) are scoped to the article text, so they never fire while
the analyst types in a box; the rest work anywhere in the window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.core.model import Layer, State, Status
from annotator.ui.annotation_panel import LABEL_KEYS
from annotator.ui.cheat_sheet import CheatSheet
from annotator.ui import people_panel
from annotator.ui.document_labels_box import document_label_keys
from annotator.ui.plain import menu_text, without_mnemonic
from annotator.ui.selecting import LABEL_ALL_KEYS, SELECT_KEYS, label_all_in_project, select_around
from annotator.ui.view_menu import AnnotationsMenu


def build_menus(w, owner) -> QMenu:
    """The menu bar: every action is here, with its keys, so the cheat sheet can list them all.
    Returns the menu of entity labels, which follows the owner's schema (``owner``: the OpenProject)."""
    file_menu = w.menuBar().addMenu("&File")
    add_action(w, file_menu, "&New Project…", w.new_project, QKeySequence.StandardKey.New)
    add_action(w, file_menu, "&Open Project…", w.choose_project, QKeySequence.StandardKey.Open)
    file_menu.addSeparator()
    add_action(w, file_menu, "&Import Files…", w.import_files, "Ctrl+I")
    add_action(w, file_menu, "Import &Folder…", w.import_folder, "Ctrl+Shift+I")
    add_action(w, file_menu, "&Merge Another Analyst's Work…", lambda: merge_another(w))
    add_action(w, file_menu, "&Export…", w.show_export, "Ctrl+E")
    add_action(w, file_menu, "Export &JSONL…", w.export_jsonl, "Ctrl+Shift+E")
    file_menu.addSeparator()
    add_action(w, file_menu, "&Quit", w.close, QKeySequence.StandardKey.Quit)

    edit = w.menuBar().addMenu("&Edit")
    undo = w.session.undo_stack.createUndoAction(w, "&Undo")
    undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
    redo = w.session.undo_stack.createRedoAction(w, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit.addActions([undo, redo])
    edit.addSeparator()
    add_action(w, edit, "Paste as New &Article", w.paste_article, "Ctrl+Shift+V")
    edit.addSeparator()
    add_action(w, edit, "&Find in Article…", lambda: w.find_bar.open(), "Ctrl+F")
    add_action(w, edit, "&Search All Documents…", w.show_search, "Ctrl+Shift+F")
    add_action(w, edit, "F&ilter Documents", w.documents.filter.setFocus, "Ctrl+L")
    add_action(w, edit, "Go to &Text", w.article.editor.setFocus, "Ctrl+T")
    add_action(w, edit, "Next &Pane", lambda: w.next_pane(1), "F6")
    add_action(w, edit, "Previous Pan&e", lambda: w.next_pane(-1), "Shift+F6")
    edit.addSeparator()  # these act on the text cursor: scoped to the text, like the letters
    text = w.article.editor
    add_action(w, edit, "Select Se&ntence", lambda: select_around(w, "sentence"), SELECT_KEYS["sentence"], text)
    add_action(w, edit, "Select Para&graph", lambda: select_around(w, "paragraph"), SELECT_KEYS["paragraph"], text)
    add_action(w, edit, "Select &Quotation", lambda: select_around(w, "quotation"), SELECT_KEYS["quotation"], text)

    view = w.menuBar().addMenu("&View")  # filled below, once the Project menu is there (ui.view_menu)

    s, text = w.session, w.article.editor  # keys without a modifier act only while the text has focus
    annotate = w.menuBar().addMenu("&Annotate")
    labels = annotate.addMenu("La&bel Selection As")
    labels.setObjectName("labelMenu")
    add_action(w, annotate, "Choose &Label…", w.choose_label, "L", text)
    add_action(w, annotate, "Label All &Identical Mentions in Article", s.label_all_in_article,
               LABEL_ALL_KEYS["article"], text)
    add_action(w, annotate, "Label All Identical Mentions in Pro&ject…", lambda: label_all_in_project(w),
               LABEL_ALL_KEYS["project"], text)
    annotate.addSeparator()
    add_action(w, annotate, "Mark &Statement", lambda: s.mark(Layer.STATEMENT), "S", text)
    add_action(w, annotate, "Mark &Claim", lambda: s.mark(Layer.CLAIM), "C", text)
    add_action(w, annotate, "Set S&peaker of Statement…", w.pick_speaker, "P", text)
    add_action(w, annotate, "Set C&ue of Statement from Selection", s.set_cue, "U", text)
    add_action(w, annotate, "&Edit Fields of Annotation", w.panel.focus_fields, "E", text)
    annotate.addSeparator()
    add_action(w, annotate, "&Accept Suggestion", s.accept, ["A", "Return"], text)
    add_action(w, annotate, "Accept All Suggestions in &Document", s.accept_all, "Shift+A", text)
    add_action(w, annotate, "&Reject or Delete", s.reject, ["X", "Delete", "Backspace"], text)
    add_action(w, annotate, "&Next Annotation", lambda: s.step(1), "Tab", text)
    add_action(w, annotate, "Pre&vious Annotation", lambda: s.step(-1), "Shift+Tab", text)
    add_action(w, annotate, "Next Unreviewed Claim by Sc&ore", s.next_claim, "N", text)
    add_action(w, annotate, "Review Least Certain &First…", lambda: review_least_certain(w), "Ctrl+Shift+R")
    add_action(w, annotate, "Suggest Registry Lin&ks…", lambda: people_panel.suggest(w))
    edges = annotate.addMenu("&Move Boundary")
    add_action(w, edges, "Start One Token Left", lambda: s.move("start", -1), "Alt+Left", text)
    add_action(w, edges, "Start One Token Right", lambda: s.move("start", 1), "Alt+Right", text)
    add_action(w, edges, "End One Token Left", lambda: s.move("end", -1), "Alt+Shift+Left", text)
    add_action(w, edges, "End One Token Right", lambda: s.move("end", 1), "Alt+Shift+Right", text)
    annotate.addSeparator()
    add_action(w, annotate, "Pre-annotate &with spaCy…", w.preannotate_with_dialog, "Ctrl+Shift+P")
    add_action(w, annotate, "Su&ggestion Model…", lambda: show_models(w))
    add_action(w, annotate, "Re-run Suggestions on T&his Document…", lambda: resuggest(w))
    add_action(w, annotate, "&Train Models From This Project…", lambda: show_training(w))
    add_action(w, w.panel, "Back to the Text", w.article.editor.setFocus, "Escape", w.panel)

    document = w.menuBar().addMenu("&Document")
    add_action(w, document, "&Done and Next", lambda: w.finish_document(Status.DONE), "Ctrl+Return")
    add_action(w, document, "&Skip and Next", lambda: w.finish_document(Status.SKIPPED), "Ctrl+Shift+Return")
    add_action(w, document, "Mark &In Progress", lambda: s.set_status(Status.IN_PROGRESS), "Ctrl+Alt+I")
    add_action(w, document, "Mark Ne&w", lambda: s.set_status(Status.NEW), "Ctrl+Alt+N")
    document.addSeparator()
    document.addMenu("Label &Document").setObjectName("documentLabelMenu")  # filled by fill_label_menu
    document.addSeparator()
    add_action(w, document, "&Next Document", lambda: w.go_document(1), "Alt+Down")
    add_action(w, document, "&Previous Document", lambda: w.go_document(-1), "Alt+Up")

    project = w.menuBar().addMenu("&Project")
    add_action(w, project, "&Label Schema…", w.edit_label_schema, "Ctrl+Shift+L")
    guidelines = w.guidelines_dock.toggleViewAction()
    guidelines.setText("&Guidelines")
    guidelines.setShortcut(QKeySequence("F2"))
    project.addAction(guidelines)
    add_action(w, project, "Set &Annotator Name…", w.ask_annotator_name, "Ctrl+Shift+U")
    add_action(w, project, "Assign &Documents…", lambda: assign_documents(w))
    add_action(w, project, "Agr&eement…", lambda: show_agreement(w))
    add_action(w, project, "Das&hboard…", lambda: show_dashboard(w))
    add_action(w, project, "&Curate…", lambda: curate(w))
    w.annotations_menu = AnnotationsMenu(w, view, project, owner)  # View ▸ Annotations, Project ▸ Blind Annotation
    add_action(w, view, "&People and Organisations", lambda: people_panel.show(w), "Ctrl+Shift+O")
    project.addSeparator()
    add_action(w, project, "&Restore from Backup…", w.restore_from_backup)

    help_menu = w.menuBar().addMenu("&Help")
    add_action(w, help_menu, "&Keyboard Shortcuts", lambda: show_cheat_sheet(w), "F1")
    add_action(w, help_menu, "&About Annotator", w.show_about)
    owner.subscribe(opened=lambda opened: show_assignments(w, opened))  # before the window fills its list
    owner.subscribe(
        opened=lambda _project: fill_label_menu(w, labels, owner.schema),
        schema_changed=lambda schema, _kept: fill_label_menu(w, labels, schema),
    )
    return labels


def merge_another(w) -> None:
    from annotator.ui.merge_dialog import merge_another as merge  # a dialog: imported when first asked for

    merge(w)


def show_dashboard(w) -> None:
    from annotator.ui.dashboard import show_dashboard as show  # imports pyqtgraph: only when first asked for

    show(w)


def assign_documents(w) -> None:
    from annotator.ui.assign_dialog import show_assign  # a dialog: imported when first asked for

    show_assign(w)


def show_assignments(w, project) -> None:
    """The document list's Others column shows when the project has assignments."""
    from annotator.services.assigning import has_assignments

    w.documents.show_assignments(has_assignments(project))


def resuggest(w) -> None:
    from annotator.ui.models_dialog import resuggest_open_document  # a dialog: imported when first asked for

    resuggest_open_document(w)


def show_models(w) -> None:
    from annotator.ui.models_dialog import show_models as show  # a dialog: imported when first asked for

    show(w)


def show_training(w) -> None:
    from annotator.ui.train_dialog import show_training as show  # a dialog: imported when first asked for

    show(w)


def show_agreement(w) -> None:
    from annotator.ui.agreement_dialog import show_agreement as show  # a dialog: imported when first asked for

    show(w)


def curate(w) -> None:
    from annotator.ui.curation_window import open_curation_window  # a window: imported when first asked for

    open_curation_window(w)


def review_least_certain(w) -> None:
    from annotator.ui.review_queue import open_review  # a dialog: imported when first asked for

    open_review(w)


def fill_label_menu(w, menu: QMenu, schema) -> None:
    """Number keys 1–9 and 0 give the first ten entity labels; Alt+number keeps the exact characters."""
    for action in w.article.editor.actions():
        if action.property("label") is not None:
            w.article.editor.removeAction(action)
    menu.clear()
    for i, label in enumerate(schema.labels_of(Layer.ENTITY)):
        key = LABEL_KEYS[i] if i < len(LABEL_KEYS) else None
        shown = menu_text(label.name)  # a label's name is the user's: "R&D" is no shortcut mark
        plain = add_action(w, menu, shown, lambda n=label.name: w.session.label(n), key, w.article.editor)
        plain.setProperty("label", label.name)
        if key is not None:
            exact = add_action(
                w,
                w.article.editor,
                f"{shown} (exact)",
                lambda n=label.name: w.session.label(n, exact=True),
                f"Alt+{key}",
                w.article.editor,
            )
            exact.setProperty("label", label.name)
    fill_document_label_menu(w)


def fill_document_label_menu(w) -> None:
    """One action per document label, with its key (scoped to the text, like the entity labels)."""
    menu = w.menuBar().findChild(QMenu, "documentLabelMenu")
    for action in menu.actions():
        w.article.editor.removeAction(action)
    menu.clear()
    keys = document_label_keys(w.schema)
    for label_set in w.schema.label_sets:
        for label in label_set.labels:
            action = add_action(
                w,
                menu,
                menu_text(f"{label_set.name}: {label}"),
                lambda s=label_set.name, n=label: w.session.choose_document_label(s, n),
                keys.get((label_set.name, label)),
                w.article.editor,
            )
            action.setProperty("label", label)
    menu.menuAction().setVisible(bool(w.schema.label_sets))


def add_action(w, menu, text: str, slot, shortcut=None, scope=None) -> QAction:
    """A menu action; with ``scope`` its shortcut works only while that widget has the focus, so
    single-letter keys never fire while typing in a box."""
    action = QAction(text, w)
    if shortcut is not None:
        keys = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(k) for k in keys])
    if scope is not None:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if scope is not menu:
            scope.addAction(action)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def show_text_menu(w, label_menu: QMenu, where, span) -> QMenu | None:
    """Right-click: the same actions as the keys, for the selection or the annotation under the mouse.
    Returns the menu, open until it closes itself."""
    if w.session.annotations is None:
        return None
    if span is not None:
        w.session.set_current(span.uid)
    menu = QMenu(w)
    if w.article.selection() is not None:
        labels = menu.addMenu("Label As")
        for action in label_menu.actions():
            labels.addAction(action)
        for text in ("Mark Statement", "Mark Claim", "Set Cue of Statement from Selection"):
            menu.addAction(named_action(w, text))
    elif span is not None:
        if span.layer == Layer.ENTITY:
            labels = menu.addMenu("Relabel As")
            for action in label_menu.actions():
                labels.addAction(action)
            statement = w.session.current_statement
            if statement and statement in w.session.annotations.spans:
                menu.addAction("Speaker of the Current Statement", lambda: w.session.set_speaker(statement, span.uid))
            menu.addAction(named_action(w, "Label All Identical Mentions in Article"))
        if span.state == State.SUGGESTED:
            menu.addAction(named_action(w, "Accept Suggestion"))
        if span.layer == Layer.STATEMENT:
            menu.addAction(named_action(w, "Set Speaker of Statement…"))
        menu.addAction(named_action(w, "Edit Fields of Annotation"))
        menu.addAction(named_action(w, "Reject or Delete"))
    menu.addSeparator()
    menu.addAction(named_action(w, "Accept All Suggestions in Document"))
    menu.aboutToHide.connect(menu.deleteLater)
    menu.popup(where)
    return menu


def named_action(w, text: str) -> QAction:
    return next(a for a in w.findChildren(QAction) if without_mnemonic(a.text()) == text)


def show_cheat_sheet(w) -> None:
    menus = [(a.menu().title(), all_actions(a.menu())) for a in w.menuBar().actions() if a.menu() is not None]
    CheatSheet(menus, w).exec()


def all_actions(menu) -> list[QAction]:
    found = []
    for action in menu.actions():
        if action.menu() is not None:
            found += all_actions(action.menu())
        elif action.isVisible():
            found.append(action)
    return found
