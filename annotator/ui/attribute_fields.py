"""The chosen annotation's choice fields, one per attribute the label schema defines for its layer.

Built from the schema each time it changes, so a project's own attributes (a claim's ``stance``, say)
show as fields without anyone listing them in code. A field's title is the attribute's name made
readable; the name is the project's text, so the title is plain text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
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


class AttributeFields:
    """The choice boxes of a form, from ``first_row`` on; ``chosen(attribute, value)`` on a choice."""

    def __init__(self, parent: QWidget, form: QFormLayout, first_row: int, chosen: Callable[[str, object], None]):
        self.parent = parent
        self.form = form
        self.first_row = first_row
        self.chosen = chosen
        self.boxes: dict[tuple[Layer, str], QComboBox] = {}

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

    def _box(self, layer: Layer, attribute: str, choices: list[str]) -> QComboBox:
        box = QComboBox(self.parent)
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
        box.activated.connect(lambda _i, b=box, a=attribute: self.chosen(a, b.currentData()))
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
