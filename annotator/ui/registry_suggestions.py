"""Suggest Registry Links: the program's suggested links, for the analyst to confirm one by one or a whole
kind at once. Nothing is linked unless confirmed here.

The suggestions are worked out on a worker thread (services.registry.suggest_links only reads), with
progress and Cancel in the dialog itself; the window stays usable meanwhile. Keys in the list: A or
Enter links the current suggestion, X skips it, Shift+A links every open suggestion with the same kind of
reason ("same name", "new entry", ...) in one step. Each confirmation is one step on the window's undo
stack (Ctrl+Z works here too); an undone one is open again in the list.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.services import registry
from annotator.ui.plain import choose_item, plain_label, plain_tooltip
from annotator.ui.workers import Worker

COLUMNS = ("Mentions", "Articles", "Link to", "Reason", "Score", "Done")
LINKED, SKIPPED = "linked", "skipped"


def find_suggestions(project, progress=None, cancel=None):
    """On the worker thread: the suggestions, where their mentions are, and the names of the entries they
    point to. None when cancelled."""
    found = registry.suggest_links(project, progress=progress, cancel=cancel)
    if cancel is not None and cancel.is_set():
        return None
    names = registry.entry_names(project) if any(not s.is_new for s in found) else {}
    return found, registry.suggestion_articles(project, found), names


def reason_kind(reason: str) -> str:
    """What suggestions share when "accept all like this" takes them together: the reason without the
    names and numbers in it ("surname of Sergey Lavrov in this article" -> "surname in this article")."""
    if reason.startswith("new entry"):
        return "new entry"
    if reason.startswith("fuzzy"):
        return "fuzzy"
    if reason.startswith("surname of"):
        return "surname in this article" if reason.endswith("in this article") else "surname in other articles"
    return reason


class SuggestionsDialog(QDialog):
    def __init__(self, panel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.setWindowTitle("Registry Link Suggestions")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.worker: Worker | None = None
        self.found: list[registry.Suggestion] = []
        self.states: dict[int, str] = {}  # row -> SKIPPED, for the skipped ones
        self.commands: dict[int, object] = {}  # row -> the RegistryCommand that linked it

        self.status = plain_label(QLabel("Looking for links…", self))
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel)
        self.list = QTreeWidget(self)
        self.list.setObjectName("registrySuggestions")
        self.list.setHeaderLabels(list(COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.ResizeToContents)  # "linked"
        self.list.installEventFilter(self)
        self.list.itemDoubleClicked.connect(lambda _item, _column: self.accept_current())
        hint = plain_label(QLabel("A or Enter: link · L: link to another entry · X: skip · Shift+A: link all with "
                                  "the same kind of reason · Ctrl+Z: undo", self))
        hint.setStyleSheet("color: palette(mid);")
        buttons = QDialogButtonBox(self)
        for text, slot in (("Link", self.accept_current), ("Link To…", self.link_current_elsewhere),
                           ("Skip", self.skip_current), ("Link All Like This", self.accept_all_like_current)):
            buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole).clicked.connect(lambda _c=False, s=slot: s())
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.close)
        for button in buttons.buttons():
            button.setAutoDefault(False)  # Enter belongs to the list: it links, it does not close
            button.setDefault(False)

        working = QHBoxLayout()
        working.addWidget(self.progress, 1)
        working.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(working)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(900, 520)

        stack = panel.undo_stack  # the window's keys do not reach this window: the same steps, here too
        undo, redo = stack.createUndoAction(self), stack.createRedoAction(self)
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])
        stack.indexChanged.connect(self._show_states)

    # --- working them out -----------------------------------------------------------------------------

    def run(self) -> None:
        """Show the dialog and work the suggestions out afresh (a run still going is cancelled)."""
        self.cancel()
        self.show()
        self.raise_()
        self.activateWindow()
        self.list.clear()
        self.found, self.states, self.commands = [], {}, {}
        self.status.setText("Looking for links…")
        self.progress.setRange(0, 0)
        for widget in (self.progress, self.cancel_button):
            widget.show()
        worker = Worker(find_suggestions, self.panel.project)
        worker.signals.progress.connect(lambda done, total: self._progress(worker, done, total))
        worker.signals.finished.connect(lambda result: self._found(worker, result))
        worker.signals.failed.connect(lambda message, _details: self._failed(worker, message))
        self.worker = worker
        self.panel.workers.start(worker)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
            self._stopped("Cancelled: nothing was suggested.")

    def _progress(self, worker: Worker, done: int, total: int) -> None:
        if worker is self.worker:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(f"Looking for links: {done} of {total} articles read…")

    def _failed(self, worker: Worker, message: str) -> None:
        if worker is self.worker:
            self.worker = None
            self._stopped(f"Could not suggest links: {message}")

    def _stopped(self, text: str) -> None:
        self.status.setText(text)
        for widget in (self.progress, self.cancel_button):
            widget.hide()

    def _found(self, worker: Worker, result) -> None:
        if worker is not self.worker or result is None:
            return
        self.worker = None
        self.found, places, names = result
        self._stopped(f"{len(self.found)} suggestion(s). Nothing is linked until you confirm it."
                      if self.found else "No suggestions: every mention is linked, or none names anybody.")
        for suggestion in self.found:
            self.list.addTopLevelItem(_item(suggestion, places, names))
        for column in range(1, len(COLUMNS)):
            self.list.resizeColumnToContents(column)
        self.list.setColumnWidth(1, min(self.list.columnWidth(1), 260))
        if self.found:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.list.setFocus()
        self._show_states()

    # --- confirming -----------------------------------------------------------------------------------

    def state(self, row: int) -> str:
        command = self.commands.get(row)
        if command is not None and command.applied and not command.isObsolete():
            return LINKED
        return self.states.get(row, "")

    def open_rows(self) -> list[int]:
        return [row for row in range(len(self.found)) if not self.state(row)]

    def accept_current(self) -> None:
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        if row >= 0 and not self.state(row):
            self._link([row], f"Link {_mentions(self.found[row])}")

    def accept_all_like_current(self) -> None:
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        if row < 0:
            return
        kind = reason_kind(self.found[row].reason)
        rows = [r for r in self.open_rows() if reason_kind(self.found[r].reason) == kind]
        if rows:
            self._link(rows, f"Link {len(rows)} suggestion(s): {kind}")

    def link_current_elsewhere(self) -> None:
        """L: the current suggestion's mentions linked to an entry the analyst picks instead of the one
        proposed (a suggestion's guess is only a guess: "Clinton" may be Hillary, not Bill)."""
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        if row < 0 or self.state(row):
            return
        entries = registry.entries(self.panel.project)
        if not entries:
            self.status.setText("The registry has no entries yet: link a suggestion first.")
            return
        labels = [f"{entry.name} ({entry.kind}, {entry.mentions} mention(s))" for entry in entries]
        chosen = choose_item(self, "Link To", f"Link {_mentions(self.found[row])} to:", labels)
        if chosen is None:
            return
        entry = entries[labels.index(chosen)]
        project, annotator = self.panel.project, self.panel.annotator()
        suggestion = self.found[row]
        command = self.panel.apply(
            lambda: registry.confirm(project, [suggestion], entry_id=entry.id, annotator=annotator),
            f"Link {_mentions(suggestion)} to {entry.name}")
        if command is not None:
            self.commands[row] = command
        self._show_states()
        self._next_open(row)

    def skip_current(self) -> None:
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        if row >= 0 and not self.state(row):
            self.states[row] = SKIPPED
            self._show_states()
            self._next_open(row)

    def _link(self, rows: list[int], text: str) -> None:
        project, annotator = self.panel.project, self.panel.annotator()
        chosen = [self.found[r] for r in rows]
        command = self.panel.apply(lambda: registry.confirm(project, chosen, annotator=annotator), text)
        if command is not None:
            for row in rows:
                self.commands[row] = command
        self._show_states()
        self._next_open(rows[0])

    def _next_open(self, after: int) -> None:
        waiting = self.open_rows()
        following = next((r for r in waiting if r > after), waiting[0] if waiting else None)
        if following is not None:
            self.list.setCurrentItem(self.list.topLevelItem(following))

    def _show_states(self, _index: int = 0) -> None:
        done = 0
        for row in range(self.list.topLevelItemCount()):
            state = self.state(row)
            done += state == LINKED
            item = self.list.topLevelItem(row)
            item.setText(len(COLUMNS) - 1, state)
            for column in range(len(COLUMNS)):
                item.setForeground(column, self.palette().placeholderText() if state else self.palette().text())
        if self.found and self.worker is None:
            self.status.setText(f"{len(self.found)} suggestion(s): {done} linked, {len(self.open_rows())} open. "
                                "Nothing is linked until you confirm it.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.list and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            act = self._key_action(event)
            if act is not None:
                if event.type() == QEvent.Type.KeyPress:
                    act()
                event.accept()
                return True
        return super().eventFilter(watched, event)

    def _key_action(self, event):
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.NoModifier:
            if key in (Qt.Key.Key_A, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                return self.accept_current
            if key == Qt.Key.Key_X:
                return self.skip_current
            if key == Qt.Key.Key_L:
                return self.link_current_elsewhere
        if mods == Qt.KeyboardModifier.ShiftModifier and key == Qt.Key.Key_A:
            return self.accept_all_like_current
        return None

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.cancel()
        try:
            self.panel.undo_stack.indexChanged.disconnect(self._show_states)
        except (RuntimeError, TypeError):  # closed before: already disconnected
            pass
        super().closeEvent(event)


def _mentions(suggestion: registry.Suggestion) -> str:
    shown = ", ".join(suggestion.texts[:3]) + ("…" if len(suggestion.texts) > 3 else "")
    return f"{shown} ({len(suggestion.span_ids)})"


def _item(suggestion: registry.Suggestion, places: dict, names: dict[int, str]) -> QTreeWidgetItem:
    titles = list(dict.fromkeys(places[i][1] or "(untitled)" for i in suggestion.span_ids if i in places))
    articles = titles[0] if len(titles) == 1 else f"{len(titles)} articles"
    target = (f"new {suggestion.kind}: {suggestion.new_name}" if suggestion.is_new
              else names.get(suggestion.entry_id, f"entry {suggestion.entry_id}"))
    item = QTreeWidgetItem([_mentions(suggestion), articles, target, suggestion.reason, f"{suggestion.score:.2f}", ""])
    item.setToolTip(0, plain_tooltip("\n".join(suggestion.texts)))
    item.setToolTip(1, plain_tooltip("\n".join(titles)))
    item.setToolTip(2, plain_tooltip(target))
    item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
