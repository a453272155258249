"""The chosen annotation's choice fields, one per attribute the label schema defines for its layer.

Built from the schema each time it changes, so a project's own attributes (a claim's ``stance``, say)
show as fields without anyone listing them in code. A field's title is the attribute's name made
readable; the name is the project's text, so the title is plain text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from annotator.core.model import Layer, Span
from annotator.core.schema import LabelSchema
from annotator.core.vocabulary import CHECKWORTHINESS

NONE = "—"
# Names whose readable form is not their words with spaces: the rest need no list.
SPELLED = {CHECKWORTHINESS: "Check-worthiness"}


def readable(attribute: str) -> str:
    """``claim_type`` -> "Claim type"."""
    if attribute in SPELLED:
        return SPELLED[attribute]
    words = attribute.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def object_name(attribute: str) -> str:
    """``claim_type`` -> "claimTypeBox" (the names the tests and style sheets know the boxes by)."""
    first, *rest = attribute.split("_")
    return first + "".join(part.capitalize() for part in rest) + "Box"


POPUP_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Up)


def opens_popup(event: QKeyEvent) -> bool:
    """Alt+↓ or Alt+↑: a combo box's own key for its list (the window's Next/Previous Document otherwise)."""
    return bool(event.modifiers() & Qt.KeyboardModifier.AltModifier) and event.key() in POPUP_KEYS


class ChoiceBox(QComboBox):
    """A combo box of the side panel.

    Alt+↓ opens its list: the window's Alt+↓ (Next Document) is a shortcut, which Qt gives the key
    before any widget unless the widget claims it; this box claims it while it has the focus, so Alt+↓
    anywhere else still goes to the next document.

    ↓ and ↑ on the closed box change its value at once (and each value is saved at once), but the
    values one box goes through while it keeps the focus are one choice: ``run`` names that choice,
    and the session merges the steps of one run into one undo step. Leaving the box, Enter, and
    opening or closing its list start a new run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = 0

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and opens_popup(event):
            event.accept()  # the key comes to keyPressEvent, which opens the list
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.run += 1  # Enter ends a choice
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self.view().isVisible():  # the list opening takes the focus for a moment: not an end
            self.run += 1
        super().focusOutEvent(event)

    def showPopup(self) -> None:  # noqa: N802 (Qt's name)
        self.run += 1
        super().showPopup()

    def hidePopup(self) -> None:  # noqa: N802 (Qt's name)
        super().hidePopup()
        self.run += 1


class AttributeFields:
    """The choice boxes of a form, from ``first_row`` on; ``chosen(attribute, value, run)`` on a choice
    (``run``: see ChoiceBox)."""

    def __init__(
        self, parent: QWidget, form: QFormLayout, first_row: int, chosen: Callable[[str, object, int], None]
    ):
        self.parent = parent
        self.form = form
        self.first_row = first_row
        self.chosen = chosen
        self.boxes: dict[tuple[Layer, str], ChoiceBox] = {}

    def set_schema(self, schema: LabelSchema) -> None:
        """Drop the fields of the schema before and make this one's, values and all."""
        for box in self.boxes.values():
            self.form.removeRow(box)  # deletes the box and its title
        self.boxes = {}
        row = self.first_row
        for layer in Layer:
            for attribute in schema.attributes.get(str(layer), {}):
                box = self._box(layer, attribute, schema.choices(layer, attribute))
                title = QLabel(readable(attribute), self.parent)
                title.setTextFormat(Qt.TextFormat.PlainText)
                title.setBuddy(box)
                self.form.insertRow(row, title, box)
                row += 1
                self.boxes[(layer, attribute)] = box

    def _box(self, layer: Layer, attribute: str, choices: list[str]) -> ChoiceBox:
        box = ChoiceBox(self.parent)
        # Not widened to its longest choice: the panel keeps its width.
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(10)
        box.setObjectName(object_name(attribute))
        box.setProperty("layer", str(layer))
        box.setProperty("attribute", attribute)
        box.addItem(NONE, None)
        for choice in choices:
            box.addItem(choice, choice)
        box.setProperty("offered", box.count())
        box.activated.connect(lambda _i, b=box, a=attribute: self.chosen(a, b.currentData(), b.run))
        return box

    def of(self, layer: Layer | None) -> list[QComboBox]:
        return [box for (where, _a), box in self.boxes.items() if where == layer]

    def show(self, span: Span | None) -> None:
        """Show the fields of ``span``'s layer with its values; hide the others."""
        layer = None if span is None else span.layer
        for (where, attribute), box in self.boxes.items():
            visible = where == layer
            box.setVisible(visible)
            title = self.form.labelForField(box)
            if title is not None:
                title.setVisible(visible)
            if visible:
                while box.count() > box.property("offered"):  # a value shown for the span before
                    box.removeItem(box.count() - 1)
                value = span.attributes.get(attribute)
                index = box.findData(value) if value not in (None, "") else 0
                if index < 0:  # a value the schema does not offer (an import, an older schema): shown as it is
                    box.addItem(str(value), value)
                    index = box.count() - 1
                box.setCurrentIndex(index)
