"""View ▸ People and Organisations: the registry's entries with their counts, and everything the chosen one
did across the articles, by date: each mention, each statement it made with its cue, and the claims in it.

The list is read only while the panel shows: an import or an edit with the panel closed costs nothing,
and the panel reads the list again when it opens. Every change made here (rename, merge, split, unlink,
and the links confirmed in registry_suggestions) is one step on the window's undo stack, whose undo and
redo write back the snapshots services.registry recorded, so Ctrl+Z restores the registry exactly.

Keys. In the entries: Enter shows the chosen entry's appearances, F2 renames it in place, Ctrl+M merges
the other selected entries into it. In the appearances: Enter (or a double-click) opens the article there
with the mention or statement current, Ctrl+Shift+S splits the selected mentions off into a new entry,
Delete unlinks them. Esc closes the panel. Names and texts are the project's: shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.registry import KINDS, OTHER, key
from annotator.core.registry_changes import RegistryChange
from annotator.core.vocabulary import CHECKWORTHINESS_CLASSES
from annotator.services import registry
from annotator.ui.people_items import (
    appearance_of,
    appearance_item,
    date_box,
    day_of,
    entry_of,
    entry_item,
    matches,
    make_tree,
)
from annotator.ui.plain import plain_label, warn

SHOWN = 1000  # entries listed at most: typing narrows the rest (a list of 20,000 names is read by nobody)
REFRESH_MS = 300  # edits come in runs: the list is read once the run pauses
ENTRY_COLUMNS = ("Name", "Kind", "Mentions", "Statements", "Claims")
APPEARANCE_COLUMNS = ("Date", "Article", "Kind", "What", "Check-worthiness")
SPLIT_KEY = QKeySequence("Ctrl+Shift+S")


class RegistryCommand(QUndoCommand):
    """One registry change on the undo stack. The service has made it already: the first redo (Qt calls it
    on push) only reports it; later ones write the ``after`` snapshot back, undo the ``before`` one."""

    def __init__(self, project, change: RegistryChange, text: str, done: Callable[[str], None]) -> None:
        super().__init__(text)
        self.project, self.change, self.done = project, change, done
        self.applied = True
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            self.done(f"Saved: {self.text()}")
            return
        self._write(registry.redo_change, True, "Redone")

    def undo(self) -> None:
        self._write(registry.undo_change, False, "Undone")

    def _write(self, how, applied: bool, word: str) -> None:
        try:
            how(self.project, self.change)
        except AnnotatorError as exc:  # a busy or read-only project: the step leaves the stack, not half done
            self.setObsolete(True)
            self.done(f"Registry not changed: {exc}")
            return
        self.applied = applied
        self.done(f"{word}: {self.text()}")


class PeoplePanel(QWidget):
    appearanceChosen = Signal(int, int)  # document id, span id (a mention, or a statement)
    message = Signal(str)  # for the status bar
    escaped = Signal()

    def __init__(self, undo_stack: QUndoStack, annotator: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = None
        self.undo_stack = undo_stack
        self.annotator = annotator
        self.workers = None  # the window's Workers, for the suggestions (set by install)
        self.suggestions = None  # the suggestions dialog, while it is open
        self._all: list[registry.EntrySummary] = []
        self._stale = True  # the list is behind the project: read it when the panel shows
        self._entry_id: int | None = None  # whose appearances are shown

        self.filter = QLineEdit(self)
        self.filter.setObjectName("peopleFilter")
        self.filter.setPlaceholderText("Filter by name or alias…")
        self.filter.setClearButtonEnabled(True)
        self.kind = QComboBox(self)
        self.kind.setObjectName("peopleKind")
        self.kind.addItem("All kinds", None)
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.suggest_button = QPushButton("Suggest Links…", self)
        self.count = plain_label(QLabel(self))
        self.count.setStyleSheet("color: palette(mid);")
        self.count.setWordWrap(True)  # the hint for an empty registry is longer than a narrow dock
        self.entries = make_tree(self, "peopleEntries", ENTRY_COLUMNS, stretch=0)
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

        self.heading = plain_label(QLabel(self))
        self.heading.setObjectName("peopleHeading")
        self.heading.setWordWrap(True)
        self.date_from = date_box(self, "peopleFrom")
        self.date_to = date_box(self, "peopleTo")
        self.label = QComboBox(self)
        self.label.setObjectName("peopleLabel")
        self.worth = QComboBox(self)
        self.worth.setObjectName("peopleWorth")
        for box, letters in ((self.label, 10), (self.worth, 16)):  # room for "Any label"; the list opens wider
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(letters)
            box.view().setMinimumWidth(box.fontMetrics().averageCharWidth() * 30)
        self.worth.addItem("Any claims", None)
        for name in CHECKWORTHINESS_CLASSES:
            self.worth.addItem(f"At least {name}", name)
        self.split_button = QPushButton("Split Off…", self)
        self.split_button.setToolTip(f"The selected mentions become a new entry ({SPLIT_KEY.toString()})")
        self.appearances = make_tree(self, "peopleAppearances", APPEARANCE_COLUMNS, stretch=3)
        # A long headline sized to its contents left the snippet no room in a narrow dock: the article's
        # title gets a fixed share (cut short, whole in its tooltip) and the snippet the rest.
        article = self.appearances.header()
        article.setSectionResizeMode(APPEARANCE_COLUMNS.index("Article"), QHeaderView.ResizeMode.Interactive)
        article.resizeSection(APPEARANCE_COLUMNS.index("Article"), 140)
        self.appearances.setTextElideMode(Qt.TextElideMode.ElideRight)
        # What was said comes second, with room of its own; in a narrow dock the rest scrolls into view.
        what = APPEARANCE_COLUMNS.index("What")
        article.moveSection(what, 1)
        article.setSectionResizeMode(what, QHeaderView.ResizeMode.Interactive)
        article.resizeSection(what, 300)
        article.setStretchLastSection(True)
        self.appearances.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._layout()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.filter.textChanged.connect(lambda _text: self._fill())
        self.kind.currentIndexChanged.connect(lambda _i: self._fill())
        self.entries.currentItemChanged.connect(
            lambda item, _old: self._show_entry(entry_of(item).id if item is not None else None, keep_labels=True))
        self.entries.itemChanged.connect(self._renamed)
        self.entries.itemDoubleClicked.connect(lambda _item, _column: self.appearances.setFocus())
        self.appearances.itemActivated.connect(lambda item, _column: self._open(item))
        for box in (self.date_from, self.date_to):
            box.dateChanged.connect(lambda _date: self._show_entry(self._entry_id, keep_labels=True))
        for box in (self.label, self.worth):
            box.currentIndexChanged.connect(lambda _i: self._show_entry(self._entry_id, keep_labels=True))
        self.split_button.clicked.connect(lambda: self.split_selected())
        self.suggest_button.clicked.connect(self.suggest_links)
        for widget in (self.filter, self.entries, self.appearances):
            widget.installEventFilter(self)

    def _layout(self) -> None:
        top = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.kind)
        bar.addWidget(self.suggest_button)
        upper = QVBoxLayout(top)
        upper.setContentsMargins(0, 0, 0, 0)
        upper.addLayout(bar)
        upper.addWidget(self.entries, 1)
        upper.addWidget(self.count)
        bottom = QWidget(self)
        filters = QHBoxLayout()
        for text, widget in (("From", self.date_from), ("to", self.date_to)):
            filters.addWidget(plain_label(QLabel(text, bottom)))
            filters.addWidget(widget)
        filters.addWidget(self.label)
        filters.addWidget(self.worth)
        filters.addStretch(1)
        filters.addWidget(self.split_button)
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.heading)
        lower.addLayout(filters)
        lower.addWidget(self.appearances, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)

    # --- reading ------------------------------------------------------------------------------------------

    def set_project(self, project) -> None:
        self.project = project
        self._entry_id = None
        self._all = []
        self._stale = True
        self.refresh()

    def refresh_later(self) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def refresh(self) -> None:
        """Read the entries again (only while the panel shows), keeping the chosen one and the filters."""
        self._timer.stop()
        if not self.isVisible() or self.project is None:
            self._stale = True
            return
        self._stale = False
        try:
            found = registry.entries(self.project)
        except AnnotatorError as exc:  # busy for too long, or gone: said where the count goes
            self.count.setText(str(exc))
            return
        self._all = sorted(found, key=lambda e: (-e.mentions, e.name.casefold(), e.id))
        self._fill(reshow=True)  # the project changed: the chosen entry's appearances may have too

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self.refresh)  # once shown: refresh reads only for a visible panel

    def shown_entries(self) -> list[registry.EntrySummary]:
        return [entry_of(self.entries.topLevelItem(i)) for i in range(self.entries.topLevelItemCount())]

    def _fill(self, reshow: bool = False) -> None:
        """The entries the filter and kind let through, most mentioned first. The chosen entry's appearances
        are read again only for ``reshow`` (the entries were read anew) or when another entry is chosen: a
        keystroke in the filter does not read tens of thousands of rows again."""
        wanted, kind = self.filter.text().strip().casefold(), self.kind.currentData()
        wanted_key = key(wanted, OTHER) if wanted else ""
        kept = [e for e in self._all if (kind is None or e.kind == kind) and matches(e, wanted, wanted_key)]
        keep = self._entry_id
        self.entries.blockSignals(True)
        self.entries.clear()
        items = [entry_item(e) for e in kept[:SHOWN]]
        self.entries.addTopLevelItems(items)
        self.entries.blockSignals(False)
        chosen = next((item for item in items if entry_of(item).id == keep), items[0] if items else None)
        if chosen is None:
            self._show_entry(None)
        shown = not reshow and chosen is not None and entry_of(chosen).id == keep
        self.entries.blockSignals(shown)  # new items: otherwise it shows the chosen entry's appearances again
        self.entries.setCurrentItem(chosen)
        self.entries.blockSignals(False)
        more = f" (the first {SHOWN} shown: type to narrow)" if len(kept) > SHOWN else ""
        self.count.setText(f"{len(kept)} entr{'y' if len(kept) == 1 else 'ies'}{more}" if self._all
                           else "No entries yet: Suggest Links… finds the people and organisations mentioned")

    def _show_entry(self, entry_id: int | None, keep_labels: bool = False) -> None:
        """The entry's appearances, as the date, label and check-worthiness filters let through."""
        if entry_id != self._entry_id:
            keep_labels = False
        self._entry_id = entry_id
        self.appearances.clear()
        entry = next((e for e in self._all if e.id == entry_id), None)
        if entry is None or self.project is None:
            self.heading.setText("")
            return
        try:
            if not keep_labels:
                self._set_labels(registry.appearances(self.project, entry_id, kinds=("mention",)))
            rows = self._read_appearances(entry_id)
        except AnnotatorError as exc:
            self.heading.setText(str(exc))
            return
        for row in rows:
            self.appearances.addTopLevelItem(appearance_item(row))
        self.appearances.expandAll()
        said = sum(1 for r in rows if r.kind == "statement")
        aliases = f" (also {', '.join(entry.aliases)})" if entry.aliases else ""
        self.heading.setText(f"{entry.name}{aliases}: {len(rows) - said} mention(s), {said} statement(s), "
                             f"{sum(len(r.claims) for r in rows)} claim(s)")
        if self.appearances.topLevelItemCount():
            self.appearances.setCurrentItem(self.appearances.topLevelItem(0))

    def _read_appearances(self, entry_id: int) -> list[registry.Appearance]:
        """As the filters say. The label narrows the mentions only: a statement keeps its own label."""
        label, dates = self.label.currentData(), (day_of(self.date_from), day_of(self.date_to))
        worth = self.worth.currentData()
        if label is None:
            return registry.appearances(self.project, entry_id, *dates, min_checkworthiness=worth)
        rows = registry.appearances(self.project, entry_id, *dates, labels=[label], kinds=("mention",))
        rows += registry.appearances(self.project, entry_id, *dates, min_checkworthiness=worth, kinds=("statement",))
        worthy = [r for r in rows if r.kind == "statement" or worth is None]
        return sorted(worthy, key=lambda r: (r.date is None, r.date or "", r.document_id, r.start, r.kind))

    def _set_labels(self, mentions: list[registry.Appearance]) -> None:
        self.label.blockSignals(True)
        self.label.clear()
        self.label.addItem("Any label", None)
        for name in sorted({m.label for m in mentions}):
            self.label.addItem(name, name)
        self.label.blockSignals(False)

    def appearance_rows(self) -> list[registry.Appearance]:
        return [appearance_of(self.appearances.topLevelItem(i)) for i in range(self.appearances.topLevelItemCount())]

    def current_entry(self) -> registry.EntrySummary | None:
        return entry_of(self.entries.currentItem())

    def _open(self, item: QTreeWidgetItem) -> None:
        row = appearance_of(item.parent() or item)  # a claim opens at its statement
        if row is not None:
            self.appearanceChosen.emit(row.document_id, row.span_id)

    # --- changing -----------------------------------------------------------------------------------------

    def apply(self, make: Callable[[], RegistryChange], text: str) -> RegistryCommand | None:
        """Make a change through the service and put it on the undo stack; None if refused or empty."""
        try:
            change = make()
        except AnnotatorError as exc:
            warn(self, "People and Organisations", str(exc))
            return None
        if not change.changed:
            return None
        command = RegistryCommand(self.project, change, text, self._changed)
        self.undo_stack.push(command)
        return command

    def _changed(self, text: str) -> None:
        self.message.emit(text)
        self.refresh()

    def rename_current(self) -> None:
        item = self.entries.currentItem()
        if item is not None:
            self.entries.editItem(item, 0)

    def _renamed(self, item: QTreeWidgetItem, column: int) -> None:
        entry, name = entry_of(item), item.text(0).strip()
        if column != 0 or entry is None or name == entry.name:
            return
        # Later: the list is filled anew, which must not happen inside the editor's own commit.
        QTimer.singleShot(0, lambda: self.rename(entry, name))

    def rename(self, entry: registry.EntrySummary, name: str) -> None:
        if not name:
            self._fill()
            return
        self._entry_id = entry.id
        if self.apply(lambda: registry.rename(self.project, entry.id, name), f"Rename {entry.name} to {name}") is None:
            self._fill()  # the old name back in the list

    def merge_selected(self) -> None:
        into = self.current_entry()
        sources = [entry_of(i) for i in self.entries.selectedItems() if into is not None and entry_of(i).id != into.id]
        if not sources:
            self.message.emit("Select the entries to merge (Ctrl+click), then the one they go into, and press Ctrl+M")
            return
        names = ", ".join(e.name for e in sources)
        self._entry_id = into.id
        self.apply(lambda: registry.merge(self.project, [e.id for e in sources], into.id),
                   f"Merge {names} into {into.name}")

    def _selected_mentions(self) -> list[registry.Appearance]:
        rows = [appearance_of(i) for i in self.appearances.selectedItems() if i.parent() is None]
        return [r for r in rows if r is not None and r.kind == "mention"]

    def split_selected(self, name: str | None = None) -> None:
        """The selected mentions (and the aliases they are written as) become a new entry, named by the
        analyst."""
        entry, chosen = self.current_entry(), self._selected_mentions()
        if entry is None or not chosen:
            self.message.emit("Select the mentions to split off in the appearances first")
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Split Off", f"A new entry for {len(chosen)} mention(s), named:",
                                            text=chosen[0].text)
            if not ok:
                return
        name = name.strip()
        if not name:
            return
        aliases = {r.text for r in chosen} & set(entry.aliases)
        self.apply(lambda: registry.split(self.project, entry.id, name, [r.span_id for r in chosen], aliases),
                   f"Split {name} off {entry.name}")

    def unlink_selected(self) -> None:
        chosen = self._selected_mentions()
        entry = self.current_entry()
        if chosen and entry is not None:
            self.apply(lambda: registry.unlink(self.project, [r.span_id for r in chosen]),
                       f"Unlink {len(chosen)} mention(s) from {entry.name}")

    def suggest_links(self) -> None:
        from annotator.ui.registry_suggestions import SuggestionsDialog  # a dialog: imported when first asked for

        if self.suggestions is None:
            self.suggestions = SuggestionsDialog(self, self.window())
            self.suggestions.finished.connect(lambda _code: setattr(self, "suggestions", None))
        self.suggestions.run()

    # --- keys ---------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return super().eventFilter(watched, event)
        act = self._key_action(watched, event)
        if act is None:
            return super().eventFilter(watched, event)
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key is ours here, not the window's (F2 is Guidelines elsewhere)
            return True
        act()
        return True

    def _key_action(self, watched: QObject, event) -> Callable[[], None] | None:
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain, ctrl = mods == Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain
        if key == Qt.Key.Key_Escape and plain and (watched is not self.entries or self.entries.state() !=
                                                   QAbstractItemView.State.EditingState):
            return self.escaped.emit
        if watched is self.filter:
            if key == Qt.Key.Key_Down or enter:
                return lambda: self._into(self.entries)
        elif watched is self.entries:
            if self.entries.state() == QAbstractItemView.State.EditingState:
                return None
            if enter:
                return lambda: self._into(self.appearances)
            if key == Qt.Key.Key_F2 and plain:
                return self.rename_current
            if key == Qt.Key.Key_M and mods == ctrl:
                return self.merge_selected
        elif watched is self.appearances:
            if enter:
                return lambda: self._open(self.appearances.currentItem()) if self.appearances.currentItem() else None
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
                return self.unlink_selected
            if key == Qt.Key.Key_S and mods == ctrl | Qt.KeyboardModifier.ShiftModifier:
                return lambda: self.split_selected()
        return None

    def _into(self, tree: QTreeWidget) -> None:
        if tree.currentItem() is None and tree.topLevelItemCount():
            tree.setCurrentItem(tree.topLevelItem(0))
        tree.setFocus(Qt.FocusReason.TabFocusReason)


def install(w) -> PeoplePanel:
    """The panel as a dock of the window ``w`` (hidden until asked for), kept up to date with the project."""
    panel = PeoplePanel(w.session.undo_stack, lambda: w.session.annotator, w)
    panel.workers = w.workers
    w.owner.subscribe(opened=panel.set_project)
    w.people_dock = w.add_dock("People and Organisations", panel, "peopleDock", Qt.DockWidgetArea.RightDockWidgetArea)
    w.people_dock.visibilityChanged.connect(lambda shown: w._keep_list_usable(w.people_dock, shown))
    panel.appearanceChosen.connect(lambda document_id, span_id: open_appearance(w, document_id, span_id))
    panel.message.connect(lambda text: w.statusBar().showMessage(text, 8000))
    panel.escaped.connect(lambda: (w.people_dock.hide(), w.article.editor.setFocus()))
    w.session.changed.connect(lambda _edit: panel.refresh_later())  # a deleted mention changes the counts
    w.session.documentsChanged.connect(lambda _ids: panel.refresh_later())
    w.owner.changed_elsewhere.connect(panel.refresh_later)
    return panel


def show(w) -> None:
    """View ▸ People and Organisations: the panel, with the focus in its filter."""
    first = not w.people_dock.isVisible() and not getattr(w, "_people_sized", False)
    w.people_dock.show()
    w.people_dock.raise_()
    if first:  # a third of the window at first: the snippets need the room; the analyst may drag it after
        w._people_sized = True
        w.resizeDocks([w.people_dock], [max(460, w.width() // 3)], Qt.Orientation.Horizontal)
    w.people.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
    w.people.filter.selectAll()


def suggest(w) -> None:
    """Annotate ▸ Suggest Registry Links: the panel, and the suggestions worked out in the background."""
    show(w)
    w.people.suggest_links()


def open_appearance(w, document_id: int, span_id: int) -> None:
    """Open the article with the mention or statement current and in view; the focus stays in the panel,
    so Down and Enter read on through the appearances."""
    if w.session.document_id != document_id:
        w.documents.filter.clear()
        w.documents.status_filter.setCurrentIndex(0)
        w.documents.select(document_id, notify=False)
        w.open_document(document_id)
    annotations = w.session.annotations
    span = next((s for s in annotations.spans.values() if s.id == span_id), None) if annotations else None
    if span is None:
        w.statusBar().showMessage("That annotation is not shown in this view of the article.", 8000)
        return
    w.article.scroll_to(span)
    w.session.set_current(span.uid)
