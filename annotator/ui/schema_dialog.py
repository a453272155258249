"""Editing the label schema: labels, their colours, attribute choices, nesting; import and export.

Each row remembers the name its label had when the dialog opened, so a renamed label keeps its
annotations (they are renamed too) and a removed one is known to lose them. Nothing is stored until OK.
Label names and descriptions are user text: shown as plain text, and escaped where a message is rich text.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer
from annotator.core.schema import FALLBACK_COLOURS, Label, LabelSchema, fallback_colour, label_set_problems
from annotator.services.document_labels import label_counts
from annotator.services.projects import Project
from annotator.services.schema import (
    change_schema,
    export_schema,
    import_schema,
    label_uses,
    schema_of,
    validate_schema,
)
from annotator.ui.document_labels_box import COMMAND_KEYS
from annotator.ui.label_sets_editor import LabelSetsEditor

log = logging.getLogger(__name__)

TITLE = "Label Schema"
COLUMNS = ("Name", "Layer", "Colour", "Description", "In use")
NAME, LAYER, COLOUR, DESCRIPTION, USES = range(len(COLUMNS))
ORIGIN = Qt.ItemDataRole.UserRole  # on the Name item: the name the label had when the dialog opened; None if new
FILE_FILTER = "Label schema (*.json);;All files (*)"
# Shown even when a schema lacks them, so claim types and the rest can always be configured.
ATTRIBUTE_TITLES = {
    ("statement", "kind"): "Statement &kind",
    ("claim", "checkworthiness"): "Claim c&heck-worthiness",
    ("claim", "claim_type"): "Claim &type",
}
LabelKey = tuple[str, str]


def edit_schema(parent: QWidget, project: Project) -> LabelSchema | None:
    """Let the user edit the project's schema; store it on OK. Returns the new schema, or None.

    A change that cannot be stored is explained, and the dialog opens again with the edits, to be
    fixed or cancelled. Never raises.
    """
    try:
        dialog = SchemaDialog(schema_of(project), label_uses(project), parent, label_counts(project))
    except AnnotatorError as exc:
        QMessageBox.warning(parent, TITLE, _plain(f"The label schema cannot be edited: {exc}"))
        return None
    try:
        while dialog.exec() == QDialog.DialogCode.Accepted:
            new = dialog.schema()
            try:
                report = change_schema(project, new, dialog.renames(), dialog.label_sets.renames())
            except Exception as exc:  # shown, not raised; one transaction, so nothing was stored
                reason = str(exc)
                if not isinstance(exc, AnnotatorError):
                    log.exception("changing the label schema failed")
                    reason = f"{type(exc).__name__}: {exc}"
                QMessageBox.warning(parent, TITLE, _plain(f"The label schema was not changed: {reason}"))
                continue
            log.info("label schema of %s changed: %s", project.name, report.summary())
            return new
        return None
    finally:
        dialog.deleteLater()


def _plain(text: str) -> str:
    """User text for a message box, shown exactly (a message box would render text that looks like HTML)."""
    return f"<p>{html.escape(text)}</p>"


class LayerDelegate(QStyledItemDelegate):
    """The layer of a new label is picked from the layers that exist."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt's name)
        combo = QComboBox(parent)
        combo.addItems([str(layer) for layer in Layer])
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setCurrentText(str(index.data()))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText())


class LabelTable(QTableWidget):
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        # Enter acts on the current cell (the colour picker, or editing) and never reaches the dialog,
        # where it would press OK in the middle of editing.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.state() != QAbstractItemView.State.EditingState and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class SchemaDialog(QDialog):
    def __init__(
        self,
        schema: LabelSchema,
        uses: dict[LabelKey, int],
        parent: QWidget | None = None,
        document_uses: dict[tuple[str, str], int] | None = None,
    ) -> None:
        super().__init__(parent)
        self._document_uses = dict(document_uses or {})  # (label set, label) -> documents carrying it
        self.label_sets = LabelSetsEditor(self, self._document_uses)
        self.setWindowTitle(TITLE)
        self.setObjectName("schemaDialog")
        self._opened = schema  # what the rows' origins refer to
        self._uses = dict(uses)
        self._name = schema.name

        self.table = LabelTable(0, len(COLUMNS), self)
        self.table.setObjectName("labelTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.table.verticalHeader().setVisible(False)
        self.table.setItemDelegateForColumn(LAYER, LayerDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(self._activated)
        remove_key = QAction(self.table)
        remove_key.setShortcut(QKeySequence.StandardKey.Delete)
        remove_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # not while a name is being typed
        remove_key.triggered.connect(self.remove_label)
        self.table.addAction(remove_key)

        self.add_button = self._button("&Add", self.add_label)
        self.remove_button = self._button("&Remove", self.remove_label)
        self.up_button = self._button("Move &up", lambda: self.move_label(-1))
        self.down_button = self._button("Move &down", lambda: self.move_label(1))
        self.colour_button = self._button("&Colour…", self.choose_colour)

        self.choices: dict[LabelKey, QPlainTextEdit] = {}
        self.choice_box = QGroupBox("Attribute choices (one per line)", self)
        self.choice_grid = QGridLayout(self.choice_box)
        self.nested = QCheckBox("&Entities may nest inside other entities", self)
        self.nested.setObjectName("nestedEntities")

        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(ok_cancel, self)
        self.import_button = self._button("&Import…", self.import_file)
        self.export_button = self._button("E&xport…", self.export_file)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._show(schema)
        self.resize(820, 760)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter in the table must not press a button
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        side = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button, self.colour_button):
            side.addWidget(button)
        side.addStretch(1)
        title = QLabel("&Labels", self)
        title.setBuddy(self.table)
        rows = QHBoxLayout()
        rows.addWidget(self.table, 1)
        rows.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        bottom = QHBoxLayout()
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(rows, 3)
        layout.addWidget(self.choice_box)
        sets_title = QLabel(
            "Document label sets: labels of a whole article, set by their key in the text "
            "(a label without a key gets a free letter)",
            self,
        )
        sets_title.setBuddy(self.label_sets.table)
        layout.addWidget(sets_title)
        layout.addWidget(self.label_sets, 1)
        layout.addWidget(self.nested)
        layout.addLayout(bottom)

    # --- filling the widgets ----------------------------------------------------------------------------

    def _show(self, schema: LabelSchema) -> None:
        """Show ``schema``; a label the dialog opened with (same layer and name) keeps its identity."""
        opened = {(str(label.layer), label.name) for label in self._opened.labels}
        self.table.setRowCount(0)
        for label in schema.labels:
            known = (str(label.layer), label.name) in opened
            self._insert_row(self.table.rowCount(), label, label.name if known else None)
        if self.table.rowCount():
            self.table.setCurrentCell(0, NAME)
        self._show_choices(schema)
        self.label_sets.show_sets(schema.label_sets)
        self.nested.setChecked(schema.nested_entities)
        self._name = schema.name

    def _insert_row(self, row: int, label: Label, origin: str | None) -> None:
        self.table.insertRow(row)
        name = QTableWidgetItem(label.name)
        name.setData(ORIGIN, origin)
        layer = QTableWidgetItem(str(label.layer))
        if origin is not None:  # a stored label's annotations live on its layer: it cannot move
            layer.setFlags(layer.flags() & ~Qt.ItemFlag.ItemIsEditable)
        uses = QTableWidgetItem(str(self._uses.get((str(label.layer), origin), 0) if origin else 0))
        uses.setFlags(uses.flags() & ~Qt.ItemFlag.ItemIsEditable)
        uses.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        colour = QTableWidgetItem()
        colour.setFlags(colour.flags() & ~Qt.ItemFlag.ItemIsEditable)  # Enter or a double-click opens the picker
        for column, item in ((NAME, name), (LAYER, layer), (COLOUR, colour),
                             (DESCRIPTION, QTableWidgetItem(label.description)), (USES, uses)):
            self.table.setItem(row, column, item)
        self._set_colour(row, label.colour or fallback_colour(label.name))

    def _show_choices(self, schema: LabelSchema) -> None:
        for editor in self.choices.values():
            editor.deleteLater()
        while self.choice_grid.count():
            widget = self.choice_grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.choices = {}
        keys = list(ATTRIBUTE_TITLES)
        keys += [(layer, a) for layer, attrs in schema.attributes.items() for a in attrs if (layer, a) not in keys]
        for column, (layer, attribute) in enumerate(keys):
            editor = QPlainTextEdit(self.choice_box)
            editor.setObjectName(f"choices.{layer}.{attribute}")
            editor.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the dialog
            editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 7)
            editor.setPlainText("\n".join(schema.choices(Layer(layer), attribute)))
            plain_title = f"{layer.capitalize()} {attribute.replace('_', ' ')}".replace("&", "&&")
            title = QLabel(ATTRIBUTE_TITLES.get((layer, attribute), plain_title))
            title.setTextFormat(Qt.TextFormat.PlainText)  # an imported attribute name is user text
            title.setBuddy(editor)
            self.choice_grid.addWidget(title, 0, column)
            self.choice_grid.addWidget(editor, 1, column)
            self.choices[(layer, attribute)] = editor
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab goes down the dialog as it reads, whatever order the widgets were made in."""
        chain = [self.table, self.add_button, self.remove_button, self.up_button, self.down_button,
                 self.colour_button, *self.choices.values(), self.label_sets.table, self.label_sets.add_button,
                 self.label_sets.remove_button, self.nested, self.import_button, self.export_button,
                 *self.buttons.buttons()]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _set_colour(self, row: int, colour: str) -> None:
        item = self.table.item(row, COLOUR)
        item.setText(colour)
        item.setData(Qt.ItemDataRole.DecorationRole, QColor(colour))

    def _colours(self) -> set[str]:
        return {self._text(row, COLOUR) for row in range(self.table.rowCount())}

    # --- what the user made ------------------------------------------------------------------------------

    def schema(self) -> LabelSchema:
        self._commit_open_editor()
        labels = tuple(
            Label(
                self._text(row, NAME).strip(),
                Layer(self._text(row, LAYER)),
                self._text(row, COLOUR),
                self._text(row, DESCRIPTION).strip(),
            )
            for row in range(self.table.rowCount())
        )
        attributes: dict[str, dict[str, list[str]]] = {}
        for (layer, attribute), editor in self.choices.items():
            lines = [line.strip() for line in editor.toPlainText().splitlines()]
            choices = list(dict.fromkeys(line for line in lines if line))
            if choices or attribute in self._opened.attributes.get(layer, {}):
                attributes.setdefault(layer, {})[attribute] = choices
        return LabelSchema(labels, attributes, self.nested.isChecked(), self._name, self.label_sets.label_sets())

    def renames(self) -> dict[LabelKey, str]:
        """(layer, name when opened) -> new name, for every stored label whose name was changed."""
        self._commit_open_editor()
        found = {}
        for row in range(self.table.rowCount()):
            origin = self.table.item(row, NAME).data(ORIGIN)
            name = self._text(row, NAME).strip()
            if origin is not None and name != origin:
                found[(self._text(row, LAYER), origin)] = name
        return found

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _commit_open_editor(self) -> None:
        """A name still being typed when OK is pressed counts."""
        editor = self.table.indexWidget(self.table.currentIndex())
        if editor is not None:
            self.table.commitData(editor)
            self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def accept(self) -> None:
        schema = self.schema()
        try:
            validate_schema(schema)
        except AnnotatorError as exc:
            QMessageBox.warning(self, TITLE, _plain(f"{exc}."))
            return
        problems = label_set_problems(schema.label_sets, COMMAND_KEYS)
        if problems:
            QMessageBox.warning(self, TITLE, _plain(f"{problems[0]}."))
            return
        if not self._confirm_unsetting(schema):
            return
        super().accept()

    def _confirm_unsetting(self, schema: LabelSchema) -> bool:
        """Document labels in use that the new schema lacks come off their documents on OK: ask first."""
        kept = {(s.name, label) for s in schema.label_sets for label in s.labels} | set(self.label_sets.renames())
        lost = [(key, n) for key, n in sorted(self._document_uses.items()) if n and key not in kept]
        if not lost:
            return True
        return self._ask_listing(
            "These document labels are in use and no longer in the schema:",
            [f"{name}: {label} ({n})" for (name, label), n in lost],
            "They will be taken off those documents when you press OK. Go on?",
        )

    # --- actions -----------------------------------------------------------------------------------------

    def add_label(self) -> None:
        current = self.table.currentRow()
        layer = Layer(self._text(current, LAYER)) if current >= 0 else Layer.ENTITY
        taken = {self._text(row, NAME) for row in range(self.table.rowCount()) if self._text(row, LAYER) == layer}
        names = ("NEW_LABEL", *(f"NEW_LABEL_{i}" for i in range(2, len(taken) + 2)))
        name = next(n for n in names if n not in taken)
        row = current + 1 if current >= 0 else self.table.rowCount()
        self._insert_row(row, Label(name, layer, _unused_colour(self._colours())), None)
        self.table.setCurrentCell(row, NAME)
        self.table.setFocus()
        self.table.editItem(self.table.item(row, NAME))

    def remove_label(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        origin = self.table.item(row, NAME).data(ORIGIN)
        count = self._uses.get((self._text(row, LAYER), origin), 0) if origin is not None else 0
        if count:
            layer, name = html.escape(self._text(row, LAYER)), html.escape(self._text(row, NAME))
            question = (
                f"<p>Remove the {layer} label <b>{name}</b>?</p>"
                f"<p>{count} annotation(s) use it. They will be deleted when you press OK.</p>"
            )
            answer = QMessageBox.question(
                self, TITLE, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), NAME)

    def move_label(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        column = max(self.table.currentColumn(), 0)
        items = [self.table.takeItem(row, c) for c in range(len(COLUMNS))]
        self.table.removeRow(row)
        self.table.insertRow(target)
        for c, item in enumerate(items):
            self.table.setItem(target, c, item)
        self.table.setCurrentCell(target, column)

    def choose_colour(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        chosen = QColorDialog.getColor(QColor(self._text(row, COLOUR)), self, f"Colour of {self._text(row, NAME)}")
        if chosen.isValid():
            self._set_colour(row, chosen.name())

    def _activated(self, item: QTableWidgetItem) -> None:
        if item.column() == COLOUR:
            self.choose_colour()
        elif item.flags() & Qt.ItemFlag.ItemIsEditable:
            self.table.editItem(item)

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Label Schema", "", FILE_FILTER)
        if not path:
            return
        try:
            imported = import_schema(path)
        except AnnotatorError as exc:
            QMessageBox.warning(self, TITLE, _plain(str(exc)))
            return
        if not self._confirm_losing(imported):
            return
        self._show(imported)

    def _confirm_losing(self, imported: LabelSchema) -> bool:
        """Labels in use that the imported schema lacks lose their annotations on OK: ask first."""
        keeps = {(str(label.layer), label.name) for label in imported.labels}
        lost = []
        for label in self._opened.labels:
            key = (str(label.layer), label.name)
            if key not in keeps and self._uses.get(key):
                lost.append((*key, self._uses[key]))
        if not lost:
            return True
        return self._ask_listing(
            "The imported schema lacks labels that annotations use:",
            [f"{layer} {name}: {count}" for layer, name, count in lost],
            "Those annotations will be deleted when you press OK. Import it?",
        )

    def _ask_listing(self, intro: str, items: list[str], question: str) -> bool:
        """Yes or No to a question about the listed labels; their names are the user's, escaped."""
        listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
        answer = QMessageBox.question(
            self, TITLE, f"<p>{intro}</p><ul>{listed}</ul><p>{question}</p>",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_file(self) -> None:
        schema = self.schema()
        suggested = f"{(self._name or 'label-schema').replace('/', '-')}.json"
        path, _ = QFileDialog.getSaveFileName(self, "Export Label Schema", suggested, FILE_FILTER)
        if not path:
            return
        if not Path(path).suffix:
            path += ".json"
        try:
            export_schema(schema, path)
        except AnnotatorError as exc:
            QMessageBox.warning(self, TITLE, _plain(f"The label schema was not exported: {exc}"))


def _unused_colour(used: set[str]) -> str:
    return next((c for c in FALLBACK_COLOURS if c not in used), FALLBACK_COLOURS[0])

