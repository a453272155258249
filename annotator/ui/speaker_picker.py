"""P: choose a statement's speaker from the keyboard: type to filter the article's entities, Enter to
take one, or type a name that is not in the text (“the ministry's press service”)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from annotator.core.annotations import Annotations
from annotator.core.model import Layer, Span, State

# People and organisations speak far more often than places do: they come first.
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")
# Dates, times and numbers never say anything: they are not offered.
NEVER_SPEAKERS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}


class SpeakerPicker(QDialog):
    def __init__(self, annotations: Annotations, statement: Span, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Speaker")
        self.annotations = annotations
        self.statement = statement
        self.choice: tuple[str | None, str] | None = None  # (entity uid or None, name)
        self.query = QLineEdit(self)
        self.query.setObjectName("speakerQuery")
        self.query.setPlaceholderText("Type to filter, or type a name that is not in the text")
        self.list = QListWidget(self)
        self.list.setObjectName("speakerChoices")
        hint = QLabel("↑↓ choose · Enter take · Esc cancel", self)
        hint.setStyleSheet("color: palette(mid);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._take)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        question = QLabel(f"Who said “{_short(annotations.text[statement.start : statement.end])}”?", self)
        question.setTextFormat(Qt.TextFormat.PlainText)  # article text, never markup
        layout.addWidget(question)
        layout.addWidget(self.query)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(460, 380)
        self.query.textChanged.connect(self._fill)
        self.query.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self._take())
        self._candidates = self._rank()
        self._fill("")

    def _rank(self) -> list[tuple[str, Span | None]]:
        """Entities that can speak, speakers-to-be first, reviewed before suggested, then by distance
        from the statement, one row per name; then names typed for other statements of the article."""
        rows: dict[str, tuple[tuple, Span]] = {}
        for entity in self.annotations.visible(Layer.ENTITY):
            if entity.label in NEVER_SPEAKERS:
                continue
            words = " ".join(self.annotations.text[entity.start : entity.end].split())
            distance = min(abs(entity.start - self.statement.start), abs(entity.end - self.statement.end))
            kind = SPEAKER_LABELS.index(entity.label) if entity.label in SPEAKER_LABELS else len(SPEAKER_LABELS)
            key = (kind, entity.state == State.SUGGESTED, distance)
            if words not in rows or key < rows[words][0]:
                rows[words] = (key, entity)
        ranked: list[tuple[str, Span | None]] = [
            (words, span) for words, (key, span) in sorted(rows.items(), key=lambda kv: kv[1][0])
        ]
        typed = {
            str(s.attributes["speaker_text"])
            for s in self.annotations.visible(Layer.STATEMENT)
            if s.uid != self.statement.uid and s.attributes.get("speaker_text")
        }
        ranked += [(name, None) for name in sorted(typed - rows.keys())]
        return ranked

    def _fill(self, text: str) -> None:
        self.list.clear()
        typed = text.strip()
        for words, span in self._candidates:
            if typed.casefold() in words.casefold():
                item = QListWidgetItem(f"{words}   ({span.label if span else 'typed before'})")
                item.setData(Qt.ItemDataRole.UserRole, (span.uid if span else None, words))
                self.list.addItem(item)
        if typed and not any(words.casefold() == typed.casefold() for words, _ in self._candidates):
            item = QListWidgetItem(f"Not in the text: “{typed}”")
            item.setData(Qt.ItemDataRole.UserRole, (None, typed))
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # Up and Down move in the list while the typing stays in the box.
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            self.list.setCurrentRow(max(0, min(self.list.count() - 1, self.list.currentRow() + step)))
            return True
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._take()
            return True
        return super().eventFilter(watched, event)

    def _take(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.choice = item.data(Qt.ItemDataRole.UserRole)
        self.accept()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
