"""The side panel: label keys, the document's statements and claims, and the chosen annotation's fields.

Editing a field here is an action like any other: it goes through the session, onto the undo stack
and into the database at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.vocabulary import CHECKWORTHINESS, CLAIM_TYPE, CUE, KIND, SPEAKER, STATEMENT_OF
from annotator.core.model import Layer, Span, State
from annotator.services import review
from annotator.ui.annotating import AnnotationSession
from annotator.ui.attribute_fields import NONE, AttributeFields, ChoiceBox, readable
from annotator.ui.document_labels_box import DocumentLabelsBox
from annotator.ui.plain import isolated, plain_tooltip, quoted

LABEL_KEYS = "1234567890"
NOTHING_CHOSEN = "Nothing chosen: select text and press a label key, or Tab to an annotation."


def swatch(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def snippet(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AnnotationPanel(QWidget):
    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._filling = False
        self.setMinimumWidth(240)  # room for the labels and fields, however the splitter is dragged

        self.labels = QListWidget(self)
        self.labels.setObjectName("labelList")
        self.labels.setToolTip("Click a label, or press its key, to give it to the selected text")
        self.labels.itemClicked.connect(self._label_clicked)

        self.document_labels = DocumentLabelsBox(session, self)

        self.items = QListWidget(self)
        self.items.setObjectName("statementList")
        self.items.setWordWrap(True)
        self.items.itemActivated.connect(self._item_chosen)
        self.items.itemClicked.connect(self._item_chosen)

        self.heading = QLabel("Nothing chosen", self)
        self.heading.setObjectName("currentHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        # Two lines, always: a heading that grew or shrank with its text made the whole panel lay itself
        # out again on most actions. The text is kept short (the whole of it is the tooltip, however narrow
        # the panel is dragged).
        self.heading.setFixedHeight(2 * self.heading.fontMetrics().lineSpacing() + 2)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.provenance = QLabel(self)
        self.provenance.setObjectName("provenance")
        self.provenance.setTextFormat(Qt.TextFormat.PlainText)
        self.provenance.setWordWrap(True)
        self.provenance.setStyleSheet("color: palette(mid);")

        self.label_box = _narrow(ChoiceBox(self))
        self.label_box.setObjectName("labelBox")
        self.label_box.activated.connect(self._relabel)
        self.speaker = _narrow(ChoiceBox(self))
        self.speaker.setObjectName("speakerBox")
        self.speaker.setEditable(True)
        self.speaker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.speaker.lineEdit().setPlaceholderText("an entity, or a name not in the text")
        self.speaker.activated.connect(self._speaker_chosen)
        self.speaker.lineEdit().editingFinished.connect(self._speaker_typed)
        self.cue = QLabel(NONE, self)
        self.cue.setObjectName("cueText")
        self.cue.setTextFormat(Qt.TextFormat.PlainText)
        self.cue.setWordWrap(True)  # a long cue, or the hint, wraps: its closing quotation mark stays in view
        self.clear_cue = QPushButton("Clear", self)
        self.clear_cue.clicked.connect(self._clear_cue)
        self.cue_row = QWidget(self)
        cue_row = QHBoxLayout(self.cue_row)
        cue_row.setContentsMargins(0, 0, 0, 0)
        cue_row.addWidget(self.cue, 1)
        cue_row.addWidget(self.clear_cue)
        self.statement = _narrow(ChoiceBox(self))
        self.statement.setObjectName("claimStatementBox")
        self.statement.activated.connect(self._statement_chosen)
        self.note = QLineEdit(self)
        self.note.setObjectName("noteEdit")
        self.note.setPlaceholderText("a note for this claim")
        self.note.editingFinished.connect(self._note_done)

        # What the model said of a statement or claim: its score, speaker, cue, kind or class.
        self.details = QLabel(self)
        self.details.setObjectName("suggestionDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)

        self.form = QFormLayout()
        # A narrow panel puts a field under its name rather than cutting the name ("Check-wort").
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.addRow("Label", self.label_box)
        self.form.addRow("Speaker", self.speaker)
        self.form.addRow("Cue", self.cue_row)
        self.form.addRow("Statement", self.statement)
        self.form.addRow("Note", self.note)
        # One choice field per attribute of the schema, between the cue and the statement (see set_schema).
        self.fields = AttributeFields(self, self.form, 3, self._choice_made)
        current = QGroupBox("Chosen annotation", self)
        inner = QVBoxLayout(current)
        inner.addWidget(self.heading)
        inner.addWidget(self.provenance)
        inner.addWidget(self.details)
        inner.addLayout(self.form)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 8, 4)
        layout.addWidget(_title("Labels"))
        layout.addWidget(self.labels, 2)
        self.document_labels_title = _title("Document labels")
        layout.addWidget(self.document_labels_title)
        layout.addWidget(self.document_labels)
        layout.addWidget(_title("Statements and claims"))
        layout.addWidget(self.items, 3)
        layout.addWidget(current)

        session.currentChanged.connect(self.show_span)
        session.changed.connect(lambda _edit: self.refresh())
        session.owner.subscribe(opened=self._project_opened, schema_changed=self._schema_changed)

    def _project_opened(self, _project) -> None:
        self.set_schema(self.session.schema)

    def _schema_changed(self, schema, _history_kept: bool) -> None:
        self.set_schema(schema)

    # The fields of the default schema's attributes, by name (None when the project's schema has no such).
    @property
    def kind(self) -> QComboBox | None:
        return self.fields.boxes.get((Layer.STATEMENT, KIND))

    @property
    def checkworthiness(self) -> QComboBox | None:
        return self.fields.boxes.get((Layer.CLAIM, CHECKWORTHINESS))

    @property
    def claim_type(self) -> QComboBox | None:
        return self.fields.boxes.get((Layer.CLAIM, CLAIM_TYPE))

    # --- filling ----------------------------------------------------------------------------------------

    def set_schema(self, schema) -> None:
        self.labels.clear()
        for i, label in enumerate(schema.labels_of(Layer.ENTITY)):
            key = LABEL_KEYS[i] if i < len(LABEL_KEYS) else " "
            item = QListWidgetItem(swatch(schema.colour_for(label.name)), f"{key}  {label.name}")
            item.setData(Qt.ItemDataRole.UserRole, (str(Layer.ENTITY), label.name))
            item.setToolTip(plain_tooltip(label.description))
            self.labels.addItem(item)
        for layer, key in ((Layer.STATEMENT, "S"), (Layer.CLAIM, "C")):
            for label in schema.labels_of(layer)[:1]:
                item = QListWidgetItem(
                    swatch(schema.colour_for(label.name, layer)), f"{key}  {label.name.capitalize()}"
                )
                item.setData(Qt.ItemDataRole.UserRole, (str(layer), label.name))
                item.setToolTip(plain_tooltip(label.description))
                self.labels.addItem(item)
        self.fields.set_schema(schema)
        chain = [self.items, self.label_box, self.speaker, self.clear_cue, *self.fields.boxes.values(),
                 self.statement, self.note]
        for before, after in zip(chain, chain[1:]):  # Tab goes down the form as it reads
            QWidget.setTabOrder(before, after)
        self.document_labels.set_schema(schema)
        self.document_labels_title.setVisible(bool(schema.label_sets))
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the statements-and-claims list (a document has tens of them, not thousands)."""
        annotations = self.session.annotations
        self.document_labels.refresh()
        self.items.clear()
        if annotations is not None:
            # Only statements and claims are listed: an article may have tens of thousands of entities.
            # Statements in reading order, then the claims by score, the most worth checking first.
            listed = annotations.visible(Layer.STATEMENT) + review.claims_by_score(annotations)
            for span in listed:
                item = QListWidgetItem(self._describe(span))
                item.setData(Qt.ItemDataRole.UserRole, span.uid)
                item.setToolTip(plain_tooltip(annotations.text[span.start : span.end]))
                if span.state == State.SUGGESTED:  # pale until reviewed, as in the text
                    item.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                self.items.addItem(item)
        self.show_span(self.session.current_span())

    def _describe(self, span: Span) -> str:
        annotations = self.session.annotations
        words = snippet(annotations.text[span.start : span.end])
        if span.layer == Layer.STATEMENT:
            speaker = annotations.speaker_words(span) or "speaker?"
            kind = span.attributes.get("kind") or "kind?"
            return f"💬 {isolated(speaker)} ({kind}): {_quoted(words)}"
        attributes = list(self.session.schema.attributes.get(str(Layer.CLAIM), {}))[:3]
        parts = [str(span.attributes.get(a) or f"{readable(a).lower()}?") for a in attributes]
        score = review.score_of(span)
        shown = f"◆ {score:.2f} Claim" if score is not None else "◆ Claim"
        return f"{shown} ({', '.join(parts)}): {_quoted(words)}" if parts else f"{shown}: {_quoted(words)}"

    def show_span(self, span: Span | None) -> None:
        self._filling = True
        try:
            self._fill(span)
        finally:
            self._filling = False

    def _fill(self, span: Span | None) -> None:
        annotations, schema = self.session.annotations, self.session.schema
        layer = None if span is None else span.layer
        # The label row stays in place (greyed when nothing is chosen): showing and hiding it made the
        # panel lay itself out again on every new annotation, a few ms on each action.
        self.label_box.setEnabled(span is not None)
        self.fields.show(span)
        for widget, layers in (
            (self.speaker, {Layer.STATEMENT}),
            (self.cue_row, {Layer.STATEMENT}),
            (self.statement, {Layer.CLAIM}),
            (self.note, {Layer.CLAIM}),
        ):
            visible = layer in layers
            widget.setVisible(visible)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(visible)
        for row in range(self.items.count()):
            item = self.items.item(row)
            if span is not None and item.data(Qt.ItemDataRole.UserRole) == span.uid:
                self.items.setCurrentItem(item)
                break
        else:
            self.items.clearSelection()
        if span is None or annotations is None:
            self.label_box.clear()
            self.heading.setText(NOTHING_CHOSEN)
            self.heading.setToolTip(plain_tooltip(NOTHING_CHOSEN))
            self.provenance.setText("")
            self.details.setText("")
            return
        words = annotations.text[span.start : span.end]
        self.heading.setText(f"{span.label}: {_quoted(snippet(words, 60))}")
        self.heading.setToolTip(plain_tooltip(f"{span.label}: {_quoted(words)}"))
        self.provenance.setText(_provenance(span))
        self.details.setText(_details(span, annotations, short=True))
        self.details.setToolTip(plain_tooltip(_details(span, annotations)))
        self.label_box.clear()
        for label in schema.labels_of(span.layer):
            self.label_box.addItem(swatch(schema.colour_for(label.name, span.layer)), label.name)
        self.label_box.setCurrentText(span.label)
        if span.layer == Layer.STATEMENT:
            self.speaker.clear()
            self.speaker.addItem("", None)
            for entity in annotations.visible(Layer.ENTITY):
                self.speaker.addItem(f"{annotations.text[entity.start : entity.end]} ({entity.label})", entity.uid)
            linked = annotations.linked(span.uid, SPEAKER)
            if linked is not None:
                self.speaker.setCurrentIndex(max(0, self.speaker.findData(linked.uid)))
            else:
                self.speaker.setCurrentIndex(0)
                self.speaker.setEditText(str(span.attributes.get("speaker_text") or ""))
            self.speaker.lineEdit().setCursorPosition(0)  # a long name shows its start, not its end
            self.speaker.setToolTip(plain_tooltip(self.speaker.currentText()))  # and the whole of it here
            cue = span.attributes.get("cue")
            self.cue.setText(f"{quoted(annotations.text[cue[0] : cue[1]])}" if cue else f"{NONE}  (select it and press U)")
            self.cue.setToolTip(plain_tooltip(self.cue.text()))
        elif span.layer == Layer.CLAIM:
            self.statement.clear()
            self.statement.addItem(NONE, None)
            for statement in annotations.visible(Layer.STATEMENT):
                self.statement.addItem(snippet(annotations.text[statement.start : statement.end], 50), statement.uid)
            linked = annotations.linked(span.uid, STATEMENT_OF)
            self.statement.setCurrentIndex(max(0, self.statement.findData(linked.uid)) if linked else 0)
            self.note.setText(str(span.attributes.get("note") or ""))

    def focus_fields(self) -> None:
        """E: edit the chosen annotation's fields from the keyboard (Tab between them, Esc back)."""
        span = self.session.current_span()
        if span is None:
            return
        first = {Layer.STATEMENT: [self.speaker], Layer.CLAIM: [*self.fields.of(Layer.CLAIM), self.statement]}
        first.get(span.layer, [self.label_box])[0].setFocus()

    # --- edits from the fields --------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt's names)
        # Tab and Shift+Tab go round the panel's own fields: leaving it for the document list's filters
        # put a stray arrow key on the status filter, which hid the open article.
        fields = self._tab_fields()
        focused = self.focusWidget()
        while focused is not None and focused not in fields and focused is not self:
            focused = focused.parentWidget()  # a combo box's line edit stands for its combo box
        if not fields:
            return super().focusNextPrevChild(next)
        at = fields.index(focused) if focused in fields else -1
        fields[(at + (1 if next else -1)) % len(fields)].setFocus(
            Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        )
        return True

    def _tab_fields(self) -> list[QWidget]:
        """The fields Tab stops at, in the window's focus order, skipping those hidden for this annotation."""
        fields: list[QWidget] = []
        widget = self.nextInFocusChain()
        while widget is not self and widget not in fields:
            if (
                self.isAncestorOf(widget)
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusProxy() is None
                and not isinstance(widget.parentWidget(), QComboBox)
            ):
                fields.append(widget)
            widget = widget.nextInFocusChain()
        return fields

    def _span(self) -> Span | None:
        return None if self._filling else self.session.current_span()

    def _relabel(self, _index: int) -> None:
        span = self._span()
        if span is not None and self.label_box.currentText() and self.label_box.currentText() != span.label:
            # ↓ ↓ ↓ through the labels is one step (see ChoiceBox)
            edit = self.session.annotations.relabel(span.uid, self.label_box.currentText())
            self.session.do_choice(edit, (span.uid, "label", self.label_box.run))

    def _choice_made(self, attribute: str, value, run: int) -> None:
        span = self._span()
        if span is not None:
            edit = self.session.annotations.set_attributes(span.uid, **{attribute: value})
            self.session.do_choice(edit, (span.uid, attribute, run))  # ↓ ↓ ↓ through a box is one step

    def _speaker_chosen(self, index: int) -> None:
        span = self._span()
        uid = self.speaker.itemData(index)
        if span is not None and uid:
            self.session.set_speaker(span.uid, entity_uid=uid)

    def _speaker_typed(self) -> None:
        span = self._span()
        if span is None or span.layer != Layer.STATEMENT:
            return
        text = self.speaker.currentText().strip()
        index = self.speaker.findText(text)
        if index > 0:
            self.session.set_speaker(span.uid, entity_uid=self.speaker.itemData(index))
        elif text != self.session.annotations.speaker_words(span):
            self.session.set_speaker(span.uid, name=text)

    def _clear_cue(self) -> None:
        span = self._span()
        if span is not None:
            self.session.set_attributes(span.uid, cue=None)

    def _statement_chosen(self, _index: int) -> None:
        span = self._span()
        if span is not None:
            edit = self.session.annotations.set_statement(span.uid, self.statement.currentData())
            self.session.do_choice(edit, (span.uid, STATEMENT_OF, self.statement.run))

    def _note_done(self) -> None:
        span = self._span()
        if (
            span is not None
            and span.layer == Layer.CLAIM
            and self.note.text().strip() != (span.attributes.get("note") or "")
        ):
            self.session.set_attributes(span.uid, note=self.note.text().strip())

    def _label_clicked(self, item: QListWidgetItem) -> None:
        layer, name = item.data(Qt.ItemDataRole.UserRole)
        if layer == str(Layer.ENTITY):
            self.session.label(name)
        else:
            self.session.mark(Layer(layer))
        self.session.view.editor.setFocus()

    def _item_chosen(self, item: QListWidgetItem) -> None:
        self.session.go_to(item.data(Qt.ItemDataRole.UserRole))


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


QUOTES = "\"'“”‘’«»„‚"


def _quoted(words: str) -> str:
    """Words in quotation marks, unless they bring their own (a direct quote does)."""
    return isolated(words) if words[:1] in QUOTES else quoted(words)


def _narrow(box: QComboBox) -> QComboBox:
    """A combo box that does not widen the panel to its longest entry (a long quote or name)."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    return box


def _details(span: Span, annotations, short: bool = False) -> str:
    """What the model said of a statement or claim, in one plain line (its words are the document's);
    ``short``: a long speaker or cue cut to its start (the panel is narrow; the tooltip has it whole)."""
    cut = (lambda words: snippet(words, 28)) if short else (lambda words: words)
    score = review.score_of(span)
    if span.layer == Layer.CLAIM:
        parts = [f"check-worthiness {score:.2f}" if score is not None else "", span.attributes.get(CHECKWORTHINESS)]
    elif span.layer == Layer.STATEMENT:
        cue = span.attributes.get(CUE)
        parts = [
            f"said by {isolated(cut(annotations.speaker_words(span) or '?'))}",
            f"cue {quoted(cut(annotations.text[cue[0] : cue[1]]))}" if cue else "",
            span.attributes.get(KIND),
            f"score {score:.2f}" if score is not None else "",
        ]
    else:
        parts = [f"score {score:.2f}" if score is not None else ""]
    return " · ".join(str(p) for p in parts if p)


def _provenance(span: Span) -> str:
    origin = span.origin or "unknown"
    if span.state == State.SUGGESTED:
        return f"Suggested by {origin}; not yet reviewed (A accepts, X rejects)."
    if span.state == State.EDITED:
        return f"Made by {origin}, edited by {span.annotator}."
    if span.annotator and span.annotator != origin:
        return f"Made by {origin}, accepted by {span.annotator}."
    return f"Made by {origin}."
