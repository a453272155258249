"""The open document's labels in the side panel: one group per label set of the schema, round buttons
for a single-choice set (one label, or none), check boxes for a multiple-choice set.

A click (or the label's key in the text) is an action like any other: through the session, onto the
undo stack and into the database at once. The buttons only ever show what the session holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel, QRadioButton, QVBoxLayout, QWidget

from annotator.core.schema import LabelSchema, LabelSet
from annotator.ui.annotating import AnnotationSession
from annotator.ui.plain import menu_text, plain_label, plain_tooltip

# Keys without a modifier that the text already uses (entity labels, commands): a document label's
# key is never one of them. Free letters are handed out in this order to labels the schema gave none.
COMMAND_KEYS = frozenset("1234567890lscpueaxn")  # n: the next unreviewed claim by score
FREE_KEYS = "qwrtyiohjkbmvfdgz"


def document_label_keys(schema: LabelSchema) -> dict[tuple[str, str], str]:
    """(label set, label) -> its key: the schema's own where it gave one that is free, else the next
    free letter, while letters last."""
    keys: dict[tuple[str, str], str] = {}
    used = set(COMMAND_KEYS)
    for label_set in schema.label_sets:
        for choice in label_set.choices:
            key = choice.key.lower()
            if len(key) == 1 and key not in used:
                keys[(label_set.name, choice.name)] = key
                used.add(key)
    spare = [k for k in FREE_KEYS if k not in used]
    for label_set in schema.label_sets:
        for choice in label_set.choices:
            if (label_set.name, choice.name) not in keys and spare:
                keys[(label_set.name, choice.name)] = spare.pop(0)
    return keys


class DocumentLabelsBox(QWidget):
    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentLabels")
        self.session = session
        self.buttons: dict[tuple[str, str], QAbstractButton] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)

    def set_schema(self, schema: LabelSchema) -> None:
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        keys = document_label_keys(schema)
        for label_set in schema.label_sets:
            kind = "several may be chosen" if label_set.multiple else "one may be chosen"
            title = plain_label(QLabel(f"{label_set.name} ({kind})", self))
            title.setToolTip(plain_tooltip(label_set.description))
            self._layout.addWidget(title)
            for label in label_set.labels:
                key = keys.get((label_set.name, label), " ")
                button = QCheckBox(self) if label_set.multiple else QRadioButton(self)
                if isinstance(button, QRadioButton):
                    button.setAutoExclusive(False)  # choosing the label set again clears it
                button.setProperty("shown", f"{key.upper()}  {label}")
                button.setText(menu_text(f"{key.upper()}  {label}"))
                button.setObjectName("documentLabel")
                button.setProperty("labelSet", label_set.name)
                button.setProperty("label", label)
                button.clicked.connect(lambda _checked=False, s=label_set, n=label: self._clicked(s, n))
                self._layout.addWidget(button)
                self.buttons[(label_set.name, label)] = button
        self.setVisible(bool(schema.label_sets))
        self.refresh()

    def refresh(self) -> None:
        """Show the annotator's own labels of the open document (greyed when none is open)."""
        notes = self.session.annotations
        mine = set()
        if notes is not None:
            mine = {(d.label_set, d.label) for d in notes.labels.values() if d.annotator == self.session.annotator}
        others = self._others(notes)
        for key, button in self.buttons.items():
            button.setEnabled(notes is not None)
            button.setChecked(key in mine)
            # Other people's labels of this document are shown beside the button, never set for this person.
            who = ", ".join(sorted(others.get(key, ())))
            text = str(button.property("shown")) + (f"   (also chosen by {who})" if who else "")
            button.setText(menu_text(text))
            button.setToolTip(plain_tooltip(f"Also chosen by {who}") if who else "")

    def _others(self, notes) -> dict[tuple[str, str], set[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        if notes is not None:
            for d in notes.labels.values():
                if d.annotator != self.session.annotator:
                    found.setdefault((d.label_set, d.label), set()).add(d.annotator or "an import")
        return found

    def _clicked(self, label_set: LabelSet, label: str) -> None:
        self.session.choose_document_label(label_set.name, label)
        self.refresh()  # also when nothing was saved: the buttons show what is stored
        self.session.view.editor.setFocus(Qt.FocusReason.OtherFocusReason)
