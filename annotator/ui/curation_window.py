"""Project ▸ Curate…: one document, each annotator's version in a strip of its own, one above another,
and the gold version below them, which the curator settles disagreement by disagreement.

What agrees (unanimous, majority, or at least N annotators: the box at the top) is filled into the gold
when a document is opened for the first time. Disagreements are listed on the right and underlined
with a red wave in the gold; Tab and Shift+Tab walk them. On the current one, 1–9 take that annotator's
version, A accepts what most said, X rejects the place, Ctrl+1–9 (or L) relabel the gold span and
Alt+←/→ (Alt+Shift+←/→) move its start (end) by a token. Every step is saved at once under the gold
annotator with the curator's name (the window's annotator name), and Ctrl+Z / Ctrl+Shift+Z undo and redo
it: this window keeps its own undo stack. Ctrl+Enter marks the document curated.

Names and titles come from people and files: they are shown as plain text, never as HTML.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span, State, Status
from annotator.services import curating
from annotator.ui.article_view import ArticleView, marked
from annotator.ui.plain import plain_label, quoted

DISAGREEMENT_LINE = QColor("#c62828")
POLICIES = [("Unanimous", curating.UNANIMOUS), ("Majority", curating.MAJORITY), ("At least…", None)]
KEYS_HELP = ("Tab / Shift+Tab: next / previous disagreement · 1–9: take that annotator's version · A: accept "
             "what most said · X: reject · Ctrl+1–9 or L: relabel · Alt+←/→, Alt+Shift+←/→: move start, end · "
             "Shift+A: fill in what agrees · Ctrl+Z / Ctrl+Shift+Z: undo, redo · Ctrl+Enter: mark curated")


def open_curation_window(window, document_id: int | None = None) -> CurationWindow | None:
    """Curate ``document_id`` (None: the document open in the main window) in a window of its own."""
    from annotator.services.visibility import restricted

    if restricted(window.project, window.session.annotator):  # a blind project: everyone's work is for curators
        window.statusBar().showMessage(
            f"This project is blind and {window.session.annotator} is not one of its curators: curating shows "
            "everyone's work ('annotator project --curators NAME,...' names them).", 10000)
        return None
    document_id = document_id if document_id is not None else window.session.document_id
    if document_id is None:
        window.statusBar().showMessage("Open a document to curate it first.", 5000)
        return None
    for existing in window.findChildren(CurationWindow):
        if existing.isVisible():
            existing.close()
    made = CurationWindow(window, document_id)
    made.show()
    made.raise_()
    made.activateWindow()
    return made


class CurationCommand(QUndoCommand):
    """One curation step: saved on redo, its inverse saved on undo; a step that could not be saved leaves."""

    def __init__(self, window: CurationWindow, edit, item_number: int | None, automatic: bool = False) -> None:
        super().__init__(edit.description)
        self.window = window
        self.edit = edit
        self.item_number = item_number
        self.automatic = automatic  # the agreed version filled in on opening
        self.done_before = False

    def redo(self) -> None:
        if not self.window.perform(self.edit, self.item_number):
            self.setObsolete(True)
            return
        self.window.say(f"{'Redone' if self.done_before else 'Saved'}: {self.edit.description}")
        self.done_before = True

    def undo(self) -> None:
        if not self.window.perform(self.edit.inverse(), self.item_number):
            self.setObsolete(True)
            return
        self.window.say(f"Undone: {self.edit.description}")


class CurationWindow(QDialog):
    def __init__(self, window, document_id: int) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("curationWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.main = window
        self.document_id = document_id
        self.curator = window.session.annotator
        self.undo_stack = QUndoStack(self)
        self.current: int | None = None  # number of the current item
        self.curation: curating.Curation | None = None

        self.heading = plain_label(QLabel(self))
        self.heading.setObjectName("curationHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.policy = QComboBox(self)
        self.policy.setObjectName("curationPolicy")
        self.policy.addItems([name for name, _ in POLICIES])
        self.policy.setCurrentIndex(1)
        self.policy.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.threshold = QSpinBox(self)
        self.threshold.setObjectName("curationThreshold")
        self.threshold.setRange(1, 99)
        self.threshold.setValue(2)
        self.threshold.setEnabled(False)
        self.threshold.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.policy.currentIndexChanged.connect(self._policy_changed)
        self.threshold.valueChanged.connect(self._policy_changed)
        self.state_line = plain_label(QLabel(self))
        self.state_line.setObjectName("curationState")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(plain_label(QLabel("Gold where", self)))
        top.addWidget(self.policy)
        top.addWidget(self.threshold)
        top.addWidget(plain_label(QLabel("agree", self)))

        self.strips: dict[str, ArticleView] = {}
        self.strip_names: dict[str, QLabel] = {}
        self.column = QSplitter(Qt.Orientation.Vertical, self)
        self.column.setObjectName("curationVersions")
        self.column.setChildrenCollapsible(False)
        self.gold_view: ArticleView | None = None  # made with the strips, when the annotators are known
        self._built_for: tuple[str, ...] | None = None
        self.gold_name = plain_label(QLabel())  # its own is made with the strips
        self.list = QListWidget(self)
        self.list.setObjectName("curationDisagreements")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(lambda item: self.go_to(item.data(Qt.ItemDataRole.UserRole)))
        self.help = plain_label(QLabel(KEYS_HELP, self))
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: palette(mid);")
        self.info = plain_label(QLabel(self))
        self.info.setObjectName("curationInfo")
        self.info.setWordWrap(True)

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(plain_label(QLabel("Disagreements (Tab, Shift+Tab):", side)))
        side_layout.addWidget(self.list, 1)
        side_layout.addWidget(self.state_line)
        side_layout.addWidget(self.help)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(self.column)
        body.addWidget(side)
        body.setSizes([900, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        layout.addWidget(self.info)
        self._keys()
        self.resize(1280, 800)
        self.load()

    # --- building --------------------------------------------------------------------------------------------

    def _view(self, name: str) -> ArticleView:
        view = ArticleView(self)
        view.setObjectName(name)
        for part in (view.title, view.subtitle, view.info):
            part.hide()
        view.layout().setContentsMargins(0, 0, 0, 0)
        view.editor.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys are the window's
        return view

    def _strip(self, number: int, name: str, view: ArticleView, label: QLabel) -> QWidget:
        holder = QWidget(self.column)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(0)
        label.setText(name)
        layout.addWidget(label)
        layout.addWidget(view, 1)
        return holder

    def _keys(self) -> None:
        def key(sequence, slot) -> None:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        for n in range(1, 10):
            key(str(n), lambda n=n: self.take(n))
            key(f"Ctrl+{n}", lambda n=n: self.relabel_nth(n))
        key("Tab", lambda: self.step(1))
        key("Shift+Tab", lambda: self.step(-1))
        key("Backtab", lambda: self.step(-1))
        key("A", self.accept_current)
        key("Shift+A", self.fill_agreed)
        key("X", self.reject_current)
        key("Delete", self.reject_current)
        key("L", self.choose_label)
        key("Alt+Left", lambda: self.move("start", -1))
        key("Alt+Right", lambda: self.move("start", 1))
        key("Alt+Shift+Left", lambda: self.move("end", -1))
        key("Alt+Shift+Right", lambda: self.move("end", 1))
        key("Ctrl+Z", self.undo_stack.undo)
        key("Ctrl+Shift+Z", self.undo_stack.redo)
        key("Ctrl+Y", self.undo_stack.redo)
        key("Ctrl+Return", self.mark_curated)
        key("Ctrl+Enter", self.mark_curated)

    # --- the document ---------------------------------------------------------------------------------------

    @property
    def project(self):
        return self.main.project

    @property
    def schema(self):
        return self.main.schema

    def policy_value(self) -> curating.Policy:
        chosen = POLICIES[self.policy.currentIndex()][1]
        return chosen if chosen is not None else self.threshold.value()

    def load(self) -> None:
        """Read the document's versions and gold (again) and show them."""
        self.curation = curating.open_curation(self.project, self.document_id, self.curator, self.schema,
                                               self.policy_value())
        if self.curation is None:
            self.heading.setText("This document is no longer in the project.")
            return
        doc = self.curation.document
        self.setWindowTitle(f"Curate “{doc.title or '(untitled)'}” — Annotator")
        names = self.curation.versions.annotators
        if self._built_for != names:
            self._built_for = names
            for i in reversed(range(self.column.count())):
                self.column.widget(i).deleteLater()
            self.strips, self.strip_names = {}, {}
            for number, name in enumerate(names, 1):
                view, label = self._view(f"curationStrip{number}"), plain_label(QLabel(self))
                self.strips[name], self.strip_names[name] = view, label
                self.column.addWidget(self._strip(number, f"{number}  {name}", view, label))
            self.gold_view = self._view("curationGold")
            self.gold_name = plain_label(QLabel(self))
            self.gold_name.setObjectName("curationGoldName")
            self.column.addWidget(self._strip(0, "", self.gold_view, self.gold_name))
            # The gold gets twice a strip's height: it is what the curator works on.
            self.column.setSizes([100] * len(names) + [200])
        for name, view in self.strips.items():
            view.show_document(doc, self.curation.versions.spans[name], self.schema)
        self.gold_view.show_document(doc, list(self.curation.gold.spans.values()), self.schema)
        self.threshold.setMaximum(max(len(names), 1))
        if not names:
            self.say("Nobody has annotated this document yet: there is nothing to curate.")
        elif self.curation.status is None and not self.project.read_only:
            self.fill_agreed(automatic=True)
        first = next((i.number for i in self.curation.versions.disagreements if not self.curation.settled(i)), None)
        self.current = first if first is not None else next(
            (i.number for i in self.curation.versions.disagreements), None)
        self.refresh()

    def refresh(self) -> None:
        """The heading, the list of disagreements and the marks, after any step."""
        curation = self.curation
        if curation is None:
            return
        doc = curation.document
        status = "curated" if curation.status == Status.DONE else (
            "being curated" if curation.status is not None else "not curated yet")
        self.heading.setText(f"{doc.title or '(untitled)'} · {status}")
        self.gold_name.setText(f"Gold (curator: {self.curator}) · {status}")
        disagreements = curation.versions.disagreements
        open_ones = sum(1 for item in disagreements if not curation.settled(item))
        self.state_line.setText(f"{len(disagreements)} disagreement(s), {open_ones} open; "
                                f"{len(curation.versions.items) - len(disagreements)} place(s) agreed")
        self.list.clear()
        for item in disagreements:
            who = ", ".join(f"{curation.versions.number_of(name)} {span.label}"
                            for name, span in item.members.items())
            words = doc.text[item.start:item.end]
            words = words if len(words) <= 50 else words[:49] + "…"
            row = QListWidgetItem(f"{item.layer} {quoted(words)} — {who} — {curation.state_of(item)}")
            row.setData(Qt.ItemDataRole.UserRole, item.number)
            self.list.addItem(row)
            if item.number == self.current:
                self.list.setCurrentItem(row)
        self._mark()

    def item(self, number: int | None = None) -> curating.Item | None:
        number = self.current if number is None else number
        if self.curation is None or number is None:
            return None
        return next((i for i in self.curation.versions.items if i.number == number), None)

    def _mark(self) -> None:
        curation, item = self.curation, self.item()
        waves = []
        document, offsets = self.gold_view.editor.document(), self.gold_view.offsets
        for found in curation.versions.disagreements:
            mark = marked(document, offsets, found.start, found.end, line=QTextCharFormat.UnderlineStyle.WaveUnderline)
            mark.format.setUnderlineColor(DISAGREEMENT_LINE)
            waves.append(mark)
        self.gold_view.set_extra_selections("disagreements", waves)
        gold = curation.current_gold(item) if item is not None else None
        self.gold_view.mark_current(gold if gold is not None else (item.proposal if item else None))
        if item is not None and gold is None:  # nothing in the gold: the place alone, as a band
            self.gold_view.mark_current(None)
            self.gold_view.set_extra_selections("current", [
                marked(document, offsets, item.start, item.end, QColor("#dfe7fb"),
                       QTextCharFormat.UnderlineStyle.DotLine)])
        for name, view in self.strips.items():
            mine = item.members.get(name) if item is not None else None
            view.mark_current(mine)
            if item is not None:
                view.scroll_to(mine or Span(item.start, item.end, ""))
        if item is not None:
            self.gold_view.scroll_to(Span(item.start, item.end, ""))

    # --- the keys -------------------------------------------------------------------------------------------

    def go_to(self, number: int | None) -> None:
        self.current = number
        self.refresh()

    def step(self, direction: int) -> None:
        """The next (previous) disagreement, round the end."""
        numbers = [item.number for item in self.curation.versions.disagreements] if self.curation else []
        if not numbers:
            self.say("No disagreements here.")
            return
        if self.current not in numbers:
            after = [n for n in numbers if (n > (self.current or 0)) == (direction > 0)]
            target = (after[0] if direction > 0 else after[-1]) if after else numbers[0 if direction > 0 else -1]
        else:
            target = numbers[(numbers.index(self.current) + direction) % len(numbers)]
        self.go_to(target)

    def take(self, number: int) -> None:
        item = self.item()
        names = self.curation.versions.annotators if self.curation else ()
        if item is None or number > len(names):
            self.say(f"There is no annotator {number} here." if item is not None else "No disagreement is chosen.")
            return
        self._push(self.curation.take(item, names[number - 1]), item)

    def accept_current(self) -> None:
        item = self.item()
        if item is not None:
            done = self._push(self.curation.accept(item), item, quiet=True)
            if not done:
                self.say("The gold has this place settled already; on to the next disagreement.")
            self.step(1)

    def reject_current(self) -> None:
        item = self.item()
        if item is not None:
            self._push(self.curation.reject(item), item)

    def relabel_nth(self, n: int) -> None:
        item = self.item()
        if item is None:
            return
        labels = [label.name for label in self.schema.labels_of(item.layer)]
        if n > len(labels):
            self.say(f"The {item.layer} labels go up to {len(labels)}.")
            return
        self._relabel(item, labels[n - 1])

    def choose_label(self) -> None:
        item = self.item()
        if item is None:
            return
        labels = [label.name for label in self.schema.labels_of(item.layer)]
        label, chosen = QInputDialog.getItem(self, "Relabel", "Label:", labels, 0, False)
        if chosen:
            self._relabel(item, label)

    def _relabel(self, item, label: str) -> None:
        if self.curation.current_gold(item) is None:
            self.say("The gold has no span here to relabel: take a version (1–9) or accept (A) first.")
            return
        self._push(self.curation.relabel(item, label), item)

    def move(self, edge: str, step: int) -> None:
        item = self.item()
        if item is None:
            return
        try:
            edit = self.curation.move(item, edge, step)
        except AnnotatorError as exc:
            self.say(str(exc))
            return
        self._push(edit, item)

    def fill_agreed(self, automatic: bool = False) -> None:
        edit = self.curation.fill_agreed() if self.curation else None
        if edit is None:
            if not automatic:
                self.say("Everything that agrees is in the gold already.")
            return
        self.undo_stack.push(CurationCommand(self, edit, None, automatic))

    def mark_curated(self) -> None:
        if self.curation is None:
            return
        status = Status.IN_PROGRESS if self.curation.status == Status.DONE else Status.DONE
        edit = self.curation.set_status(status)
        if edit is not None:
            edit = replace(edit, description="Mark curated" if status == Status.DONE else "Mark not curated")
            self.undo_stack.push(CurationCommand(self, edit, self.current))

    def _push(self, edit, item, quiet: bool = False) -> bool:
        if edit is None:
            if not quiet:
                self.say("Nothing to change: the gold is like that already.")
            return False
        self.undo_stack.push(CurationCommand(self, edit, item.number))
        return True

    def _policy_changed(self, *_args) -> None:
        self.threshold.setEnabled(POLICIES[self.policy.currentIndex()][1] is None)
        if self.curation is None:
            return
        self.curation.regroup(self.policy_value())
        # Only the agreed version filled in on opening so far: fill it in again under the new choice.
        if self.undo_stack.count() == 1 and self.undo_stack.index() == 1 and getattr(
                self.undo_stack.command(0), "automatic", False):
            self.undo_stack.undo()
            self.undo_stack.clear()
            self.fill_agreed(automatic=True)
        if self.current not in [i.number for i in self.curation.versions.items]:
            self.current = next((i.number for i in self.curation.versions.disagreements), None)
        self.refresh()
        self.say(f"Gold where {curating.describe_policy(self.policy_value())} agree"
                 f" ({curating.needed(self.policy_value(), len(self.curation.versions.annotators))} of "
                 f"{len(self.curation.versions.annotators)}); Shift+A fills in what agrees now.")

    # --- saving ------------------------------------------------------------------------------------------------

    def perform(self, edit, item_number: int | None) -> bool:
        """Save one step (or its inverse) and show it; False when it could not be saved (then reloaded)."""
        try:
            curating.save(self.project, edit)
        except AnnotatorError as exc:
            self.say(f"{exc} Nothing was saved; the document has been read again.")
            QTimer.singleShot(0, self.load)  # not inside the undo stack's own push
            return False
        self.curation.apply(edit)
        shown = [s for s in edit.after if s.state != State.REJECTED]
        self.gold_view.update_spans(list(edit.before), shown)
        if item_number is not None:
            self.current = item_number
        self.refresh()
        return True

    def say(self, text: str) -> None:
        self.info.setText(text)
