"""P: choose a statement's speaker from the keyboard: type to filter the article's entities, Enter to
take one; typed words that are in the text are offered where they occur, nearest to the statement first
(“the ministry's press service”: a span of its own there); or a name that is not in the text, kept as
free text with no offsets. The line under the list says what the chosen row will do."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from annotator.core.annotations import Annotations
from annotator.core.model import Layer, Span, State
from annotator.core.selection import sentences_apart
from annotator.core.tokens import is_word
from annotator.core.vocabulary import SPEAKER_LABEL
from annotator.ui.plain import quoted

# People and organisations speak far more often than places do: they come first.
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")
# Dates, times and numbers never say anything: they are not offered.
NEVER_SPEAKERS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
OCCURRENCES = 10  # places of typed words offered, the nearest to the statement
SHORTEST = 2  # characters typed before places in the text are looked for ("a" is everywhere)
MEANING = Qt.ItemDataRole.UserRole + 1  # what taking a row does, in words


class SpeakerPicker(QDialog):
    def __init__(self, annotations: Annotations, statement: Span, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Speaker")
        self.annotations = annotations
        self.statement = statement
        # (entity uid or None, name, (start, end) of words in the text or None): one of the three is the speaker
        self.choice: tuple[str | None, str, tuple[int, int] | None] | None = None
        self.query = QLineEdit(self)
        self.query.setObjectName("speakerQuery")
        self.query.setPlaceholderText("Type to filter, or type a name that is not in the text")
        self.list = QListWidget(self)
        self.list.setObjectName("speakerChoices")
        self.meaning = QLabel(self)
        self.meaning.setObjectName("speakerMeaning")
        self.meaning.setTextFormat(Qt.TextFormat.PlainText)  # article text, never markup
        self.meaning.setWordWrap(True)
        self.list.currentItemChanged.connect(
            lambda item, _old: self.meaning.setText(item.data(MEANING) if item is not None else "")
        )
        hint = QLabel("↑↓ choose · Enter take · Esc cancel", self)
        hint.setStyleSheet("color: palette(mid);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._take)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        question = QLabel(f"Who said {quoted(_short(annotations.text[statement.start : statement.end]))}?", self)
        question.setTextFormat(Qt.TextFormat.PlainText)  # article text, never markup
        layout.addWidget(question)
        layout.addWidget(self.query)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.meaning)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(460, 380)
        self.query.textChanged.connect(self._fill)
        self.query.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self._take())
        self._candidates = self._rank()
        self._entity_places = {(s.start, s.end) for s in annotations.visible(Layer.ENTITY)}
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
        text = self.annotations.text
        for words, span in self._candidates:
            if typed.casefold() in words.casefold():
                if span is not None:
                    item = QListWidgetItem(f"{words}   ({span.label})")
                    item.setData(Qt.ItemDataRole.UserRole, (span.uid, words, None))
                    item.setData(MEANING, f"An entity of the article: {span.label} {quoted(words)} at characters "
                                          f"{span.start}–{span.end}, {self._where(span.start, span.end)}. The "
                                          "statement is linked to it.")
                else:
                    item = QListWidgetItem(f"{words}   (typed before)")
                    item.setData(Qt.ItemDataRole.UserRole, (None, words, None))
                    item.setData(MEANING, f"Free text, as typed for another statement: {quoted(words)}, with no "
                                          "offsets: it is linked to no place in the text.")
                self.list.addItem(item)
        places = self._places(typed)
        for start, end in places:
            words = " ".join(text[start:end].split())
            where = self._where(start, end)
            item = QListWidgetItem(f"{words}   (in the text, {where})")
            item.setData(Qt.ItemDataRole.UserRole, (None, words, (start, end)))
            item.setData(MEANING, f"A span of its own: {quoted(words)} at characters {start}–{end}, {where}, "
                                  f"becomes a {SPEAKER_LABEL} span, and the statement is linked to it.")
            self.list.addItem(item)
        if typed and not any(words.casefold() == typed.casefold() for words, _ in self._candidates):
            item = QListWidgetItem(
                f"{quoted(typed)} as free text, no offsets" if places else f"Not in the text: {quoted(typed)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, (None, typed, None))
            item.setData(MEANING, f"Free text with no offsets: {quoted(typed)} is kept as the speaker's name, linked "
                                  f"to no place in the text{'' if places else ' (it is not in the text)'}.")
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def _places(self, typed: str) -> list[tuple[int, int]]:
        """Where the typed words are in the text (from the start of a word, to the end of the word typed
        into), nearest to the statement first; not where an entity is exactly (it is offered as itself)."""
        if len(typed) < SHORTEST:
            return []
        text = self.annotations.text
        found = set()
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(part) for part in typed.split())
        for match in re.finditer(pattern, text, re.IGNORECASE):
            start, end = match.span()
            while end < len(text) and is_word(text[end - 1]) and is_word(text[end]):
                end += 1  # "press serv" is "press service"
            if (start, end) not in self._entity_places:
                found.add((start, end))
            if len(found) >= 1000:  # a very common word in a very long article: enough to choose from
                break
        return sorted(found, key=lambda place: (self._distance(*place), place))[:OCCURRENCES]

    def _distance(self, start: int, end: int) -> int:
        statement = self.statement
        return max(0, start - statement.end, statement.start - end)

    def _where(self, start: int, end: int) -> str:
        """Where words are, seen from the statement: "in its sentence", "2 sentences before"."""
        statement = self.statement
        apart = sentences_apart(self.annotations.text, (statement.start, statement.end), (start, end))
        if start < statement.end and statement.start < end:
            return "inside the statement"
        if apart == 0:
            return "in the statement's sentence"
        count = f"{abs(apart)} sentence{'s' if abs(apart) != 1 else ''}"
        return f"{count} {'after' if apart > 0 else 'before'} the statement"

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
