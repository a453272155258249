"""The annotation session: the open document's annotations, the current span, and undo.

Every action becomes an Edit (core.annotations), is pushed on the undo stack, saved by the service
in one transaction and only then shown. Undo and redo save the inverse the same way, for any
document touched in this session: undoing an action on another article opens that article first.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from annotator.core.annotations import Annotations, Blocked, Refused
from annotator.core.selection import sentences_apart
from annotator.core.graphemes import outward
from annotator.core.tokens import snap
from annotator.core.vocabulary import CUE, SPEAKER, SPEAKER_LABEL, SPEAKER_TEXT
from annotator.core.collecting import cycle_collection_paused
from annotator.core.edits import Edit
from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer, Span, State, Status, default_annotator, now
from annotator.core.schema import LabelSchema
from annotator.core.visibility import MINE, View, allowed_view, refusal
from annotator.services import annotating, changes, review, visibility
from annotator.ui.article_view import HINT, ArticleView, describe
from annotator.ui.plain import message_box, quoted
from annotator.ui.undo_commands import ChoiceCommand, EditCommand, ManyEditsCommand
from annotator.ui.words import word_breaks

log = logging.getLogger(__name__)
QUOTES = "\"“”„«»‘’'‹›「『"
LAYER_ORDER = {Layer.ENTITY: 0, Layer.STATEMENT: 1, Layer.CLAIM: 2}


def _short(text: str, limit: int = 60) -> str:
    """Words of the article for a message: on one line, and cut short."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AnnotationSession(QObject):
    changed = Signal(object)  # the Edit just saved and shown
    currentChanged = Signal(object)  # the current Span, or None
    message = Signal(str)  # a line for the status bar
    failed = Signal(str)  # an action could not be saved; the document was reloaded
    documentWanted = Signal(int)  # undo/redo needs this document open
    documentsChanged = Signal(list)  # ids of the documents one step over the project changed

    def __init__(self, view: ArticleView, owner, parent: QObject | None = None) -> None:
        """``owner`` is the OpenProject: the session reads the project and the schema from it, never a copy."""
        super().__init__(parent)
        self.view = view
        self.owner = owner
        self.undo_stack = QUndoStack(self)
        self.annotator = default_annotator()
        self.annotations: Annotations | None = None
        self.current: str | None = None  # uid of the span the keys act on
        self.current_statement: str | None = None  # the statement a cue or speaker goes to
        self.walking_claims = False  # reached by N: A and X go on to the next claim by score
        self.chosen_view = View()  # View ▸ Annotations: whose work is shown (a blind project narrows it)
        self.shown_view = View()  # what the open article was loaded with: chosen_view as the project allows
        self.restricted = False  # read with shown_view: the project is blind and the annotator no curator
        view.spanActivated.connect(lambda span: self.set_current(span.uid))
        view.editor.cursorPositionChanged.connect(self._follow_cursor)
        owner.subscribe(opened=self._opened, schema_changed=self._schema_changed)

    # --- opening ----------------------------------------------------------------------------------------

    @property
    def annotations(self) -> Annotations | None:
        return self._annotations

    @annotations.setter
    def annotations(self, value: Annotations | None) -> None:
        if value is not None:
            value.words = word_breaks  # Thai, Chinese... have no spaces: core asks Qt's segmenter for words
        self._annotations = value

    @property
    def project(self):
        return self.owner.project

    @property
    def schema(self) -> LabelSchema:
        return self.owner.schema

    def _opened(self, _project) -> None:
        """A new project: its edits cannot be undone in another, so the history starts afresh."""
        self.undo_stack.clear()
        self.annotations = None
        self._set_current(None)

    def _schema_changed(self, _schema: LabelSchema, history_kept: bool) -> None:
        if not history_kept:  # renamed or removed labels: earlier steps would undo into labels now gone
            self.undo_stack.clear()

    def open(self, document_id: int) -> Annotations | None:
        with cycle_collection_paused():  # tens of thousands of spans, no cycles among them
            self._work_out_view()
            self.annotations = annotating.open_annotations(
                self.project, document_id, self.annotator, self.schema, self.shown_view
            )
            self.current = self.current_statement = None
            self.walking_claims = False
            if self.annotations is None:
                self.view.clear()
            else:
                spans = list(self.annotations.spans.values())
                self.view.show_document(self.annotations.document, spans, self.schema)
                self.view.show_status(self.annotations.status)
        self._set_current(None)
        return self.annotations

    def adopt(self, annotations: Annotations | None) -> None:
        """Take over the article the view already shows (painted before the project was open), as
        ``open`` would have read it, without reading or drawing it again. A view that leaves some of its
        spans out (View ▸ Annotations, a blind project) reads it again instead."""
        self._work_out_view()
        if annotations is not None and self.shown_view != View():
            self.open(annotations.document.id)
            return
        self.annotations = annotations
        self.current = self.current_statement = None
        self._set_current(None)

    def _work_out_view(self) -> None:
        """shown_view and ``restricted`` with it: the project's settings read once here, not on every move
        of the cursor (the status bar's line)."""
        self.restricted = visibility.restricted(self.project, self.annotator)
        self.shown_view = allowed_view(self.chosen_view, self.restricted)

    def refresh(self) -> changes.Difference:
        """Show what another window or program saved in the open article since it was opened.

        Nothing happens when the stored article is what the screen shows. Otherwise it is reloaded in
        place: same reading position, text cursor and current annotation. The undo history survives new
        annotations appearing, but not a change to one that was shown: undoing over someone else's work
        would undo theirs, so then the history is cleared."""
        if self.annotations is None:
            return changes.Difference()
        fresh = annotating.open_annotations(
            self.project, self.annotations.document.id, self.annotator, self.schema, self.shown_view
        )
        difference = changes.compare(self.annotations, fresh)
        if not difference:
            return difference
        if difference.changed:
            self.undo_stack.clear()
        current, statement = self.current, self.current_statement
        editor = self.view.editor
        cursor = editor.textCursor()
        anchor, position, scroll = cursor.anchor(), cursor.position(), editor.verticalScrollBar().value()
        self.annotations = fresh
        if fresh is None:
            self.view.clear()
            self._set_current(None)
            return difference
        self.view.show_document(fresh.document, list(fresh.spans.values()), self.schema)  # keeps the scroll
        self.view.show_status(fresh.status)
        end = len(editor.toPlainText())
        cursor = editor.textCursor()
        cursor.setPosition(min(anchor, end))
        cursor.setPosition(min(position, end), cursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.verticalScrollBar().setValue(scroll)
        self.current_statement = statement if statement in fresh.spans else None
        self._set_current(current if current in fresh.spans else None)
        return difference

    @property
    def document_id(self) -> int | None:
        return None if self.annotations is None else self.annotations.document.id

    # --- doing and undoing ------------------------------------------------------------------------------

    def do(self, edit: Edit | None) -> bool:
        if edit is None or edit.is_empty or self._refused(edit):
            return False
        self.undo_stack.push(EditCommand(self, edit))
        return True

    def _refused(self, edit: Edit) -> bool:
        """Another annotator's work is read-only (core.visibility): a step that would rewrite it is not
        made, and the status bar says why. Undo and redo of one's own steps are not asked."""
        text = self.annotations.text if self.annotations is not None else ""
        why = refusal(self.shown_view, self.annotator, edit, text)
        if why is not None:
            self.message.emit(why)
            self.currentChanged.emit(self.current_span())  # a field of the side panel shows what is stored again
        return why is not None

    def _refused_on(self, span: Span) -> bool:
        """_refused for any change of ``span``, asked before a question box would ask about one."""
        return self._refused(Edit(span.document_id, (span,), (span,)))

    @property
    def read_only_view(self) -> bool:
        return self.shown_view.read_only_for(self.annotator)

    def perform(self, edit: Edit, reveal: bool = False) -> bool:
        """Save an Edit, then show it. False (and a reload) when the database refused it. ``reveal`` (an
        undo or redo), or a step of another article, which is opened for it: the change is brought into
        view, with the text cursor at it."""
        reveal = reveal or self.document_id != edit.document_id
        if self.document_id != edit.document_id:
            self.documentWanted.emit(edit.document_id)
            if self.document_id != edit.document_id:
                self.failed.emit("The article this step belongs to is no longer in the project.")
                return False
        try:
            annotating.save(self.project, edit)
        except AnnotatorError as exc:
            log.warning("not saved: %s: %s", edit.description, exc)
            self.open(edit.document_id)
            self.failed.emit(str(exc))
            return False
        self.annotations.apply(edit)
        self.view.update_spans(list(edit.before), list(edit.after))
        if edit.changes_status:
            self.view.show_status(self.annotations.status)
        labels_only = not (edit.before or edit.after) and bool(edit.labels_before or edit.labels_after)
        if not labels_only:  # labelling the document leaves the current annotation as it was
            shown = [s for s in edit.after if s.state != State.REJECTED]
            if reveal:
                self._reveal(edit)
            self._set_current(shown[0].uid if shown else None)
        self.changed.emit(edit)
        return True

    # --- the current span -------------------------------------------------------------------------------

    def current_span(self) -> Span | None:
        if self.annotations is None or self.current is None:
            return None
        span = self.annotations.spans.get(self.current)
        return span if span is not None and span.state != State.REJECTED else None

    def set_current(self, uid: str | None) -> None:
        self.walking_claims = False  # chosen by the mouse: A and X go along the text again
        self._set_current(uid)

    def _set_current(self, uid: str | None) -> None:
        self.current = uid
        span = self.current_span()
        if span is not None and span.layer == Layer.STATEMENT:
            self.current_statement = span.uid
        linked, cue = [], None
        if span is not None and self.annotations is not None:
            for label in (SPEAKER, "statement"):
                other = self.annotations.linked(span.uid, label)
                if other is not None:
                    linked.append(other)
            cue = span.attributes.get("cue") if span.layer == Layer.STATEMENT else None
        if self.annotations is not None:
            self.view.mark_current(span, linked, tuple(cue) if cue else None)
            self.view.info.setText(describe(span, self.annotations.text) if span is not None else HINT)
        self.currentChanged.emit(span)

    def _follow_cursor(self) -> None:
        """Moving the text cursor into a span makes it the current one (entities first)."""
        if self.annotations is None or self.view.editor.textCursor().hasSelection():
            return
        span = self.view.cursor_span()
        if span is not None and span.uid != self.current:
            self.walking_claims = False
            self._set_current(span.uid)

    def step(self, direction: int) -> None:
        """Go to the next (or previous) annotation in reading order."""
        if self.annotations is None:
            return
        self.walking_claims = False
        spans = sorted(self.annotations.visible(), key=lambda s: (s.start, LAYER_ORDER[s.layer], -s.end))
        if not spans:
            self.message.emit("No annotations in this document yet.")
            return
        current = self.current_span()
        if current is not None and current in spans:
            index = (spans.index(current) + direction) % len(spans)
        else:
            here = self.view.offsets.to_code_point(self.view.editor.textCursor().position())
            after = [i for i, s in enumerate(spans) if s.start >= here]
            index = (after[0] if after else 0) if direction > 0 else ((after[0] - 1) if after else len(spans) - 1)
        target = spans[index]
        self.view.clear_selection()
        self.view.scroll_to(target)
        self._set_current(target.uid)

    def go_to(self, uid: str) -> None:
        span = self.annotations.spans.get(uid) if self.annotations else None
        if span is not None:
            self.walking_claims = False
            self.view.scroll_to(span)
            self._set_current(uid)

    def next_claim(self) -> None:
        """N: the next unreviewed claim by score, the highest first; after the last, the first again.
        A and X then go on down the scores instead of along the text."""
        if not self._need_document():
            return
        claims = review.claims_by_score(self.annotations, unreviewed_only=True)
        if not claims:
            self.walking_claims = False
            self.message.emit("No unreviewed claims left in this article.")
            return
        uids = [c.uid for c in claims]
        index = uids.index(self.current) + 1 if self.current in uids else 0
        target = claims[index % len(claims)]
        self.view.clear_selection()
        self.view.scroll_to(target)  # moves the text cursor, which may make an entity current for a moment
        self._set_current(target.uid)
        self.walking_claims = True

    # --- actions ----------------------------------------------------------------------------------------

    def _need_document(self) -> bool:
        if self.annotations is None:
            self.message.emit("Open an article first.")
            return False
        return True

    def label(self, name: str, exact: bool = False) -> None:
        """Label the selection (snapped to tokens unless exact), or relabel the current entity."""
        if not self._need_document():
            return
        selection = self.view.selection()
        if selection is not None:
            exact = exact or self.view.exact_selection
            try:
                edit = self.annotations.tag(Layer.ENTITY, name, *selection, exact=exact)
            except Refused as exc:
                self.message.emit(str(exc))
                return
            self.view.clear_selection()
            if not self.do(edit) and edit is None:
                self.message.emit("The selection holds no text to label.")
            return
        span = self.current_span()
        if span is not None and span.layer == Layer.ENTITY:
            self.do(self.annotations.relabel(span.uid, name))
        else:
            self.message.emit("Select some text first (Shift+arrows or the mouse), then press the label's key.")

    def mark(self, layer: Layer, exact: bool = False) -> None:
        """Mark the selection as a statement or a claim."""
        if not self._need_document():
            return
        selection = self.view.selection()
        if selection is None:
            self.message.emit(f"Select the {layer} first, then mark it.")
            return
        labels = self.schema.labels_of(layer)
        name = labels[0].name if labels else str(layer).upper()
        edit = self.annotations.tag(layer, name, *selection, exact=exact or self.view.exact_selection)
        self.view.clear_selection()
        if edit is None:
            self.message.emit("The selection holds no text, or is already marked.")
            return
        new = edit.after[0]
        attributes = dict(new.attributes)
        relations = []
        if layer == Layer.STATEMENT and self.annotations.text[new.start] in QUOTES:
            attributes["kind"] = "direct"  # a quotation mark opens it: the usual case; easy to change
        if layer == Layer.CLAIM:
            around = [s for s in self.annotations.visible(Layer.STATEMENT) if s.start <= new.start and new.end <= s.end]
            if around:  # a claim inside a statement belongs to it (the innermost)
                statement = min(around, key=lambda s: s.end - s.start)
                relations = [self.annotations.linked_relation(new.uid, "statement", statement.uid)]
        new = new.with_changes(attributes=attributes)
        self.do(
            Edit(
                edit.document_id,
                (),
                (new,),
                (),
                tuple(relations),
                edit.annotator,
                edit.status_before,
                edit.status_after,
                edit.description,
            )
        )

    def accept(self) -> None:
        span = self.current_span()
        if span is None:
            self.message.emit("No annotation chosen: Tab goes to the next one.")
        elif self._refused_on(span):  # someone else's span, or their read-only view: it says so
            return
        elif span.state != State.SUGGESTED:
            self.message.emit(f"{span.label} is already accepted.")
        else:
            walking = self.walking_claims and span.layer == Layer.CLAIM
            self.do(self.annotations.accept(span.uid))
            # The next one, so accepting a document is a run of one key (down the scores after N).
            if walking:
                self.next_claim()
            else:
                self.step(1)

    def accept_all(self) -> None:
        if not self._need_document():
            return
        if not self.do(self.annotations.accept_all()):
            self.message.emit("No suggestions left to accept in this article.")

    def reject(self) -> None:
        span = self.current_span()
        if span is None:
            self.message.emit("No annotation chosen: Tab goes to the next one.")
            return
        walking = self.walking_claims and span.layer == Layer.CLAIM
        if not self.do(self.annotations.reject(span.uid)) or self.annotations is None:
            return
        if walking:
            self.next_claim()
            return
        # On to the next one, as after accepting: going through suggestions is a run of A and X.
        following = self.annotations.next_after(span)
        if following is None:
            self._set_current(None)
            return
        self.view.scroll_to(following)
        self._set_current(following.uid)

    def move(self, edge: str, step: int) -> None:
        span = self.current_span()
        if span is None:
            self.message.emit("No annotation chosen: Tab goes to the next one.")
            return
        if self._refused_on(span):
            return
        try:
            edit = self.annotations.move(span.uid, edge, step)
        except Blocked as exc:
            # Say which neighbour is in the way; a suggestion there can give way, in one undoable step.
            self.message.emit(str(exc))
            if exc.replaceable and self._replace_wanted(span, exc.neighbours):
                self.do(self.annotations.move(span.uid, edge, step, replacing=True))
            return
        if not self.do(edit):
            self.message.emit("That boundary cannot move further that way.")

    def _replace_wanted(self, span: Span, neighbours: list[Span]) -> bool:
        text = self.annotations.text
        names = ", ".join(f"{s.label} {quoted(text[s.start : s.end])}" for s in neighbours)
        which = "suggestion" if len(neighbours) == 1 else "suggestions"
        box = message_box(
            QMessageBox.Icon.Question,
            f"Replace the {which}?",
            f"{span.label} {quoted(text[span.start : span.end])} would overlap the {which} {names}.\n\n"
            f"Reject the {which} and grow {span.label} over it? (Ctrl+Z undoes both.)",
            self.view,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        box.setObjectName("replaceNeighbour")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes

    def set_attributes(self, uid: str, **values) -> None:
        self.do(self.annotations.set_attributes(uid, **values))

    def relabel(self, uid: str, label: str) -> None:
        self.do(self.annotations.relabel(uid, label))

    def do_choice(self, edit: Edit | None, key: tuple) -> bool:
        """A step of a choice field (a combo box of the side panel): saved at once; the steps of one run
        (``key``, see ChoiceCommand) are one undo step."""
        if edit is None or edit.is_empty or self._refused(edit):
            return False
        self.undo_stack.push(ChoiceCommand(self, edit, key))
        return True

    def statement_for_links(self) -> Span | None:
        span = self.current_span()
        if span is not None and span.layer == Layer.STATEMENT:
            return span
        uid = self.current_statement
        statement = self.annotations.spans.get(uid) if (self.annotations and uid) else None
        if statement is None or statement.state == State.REJECTED:
            self.message.emit("Choose a statement first (mark one with S, or Tab to it).")
            return None
        return statement

    def set_cue(self) -> None:
        if not self._need_document():
            return
        statement = self.statement_for_links()
        selection = self.view.selection()
        if statement is None:
            return
        if selection is None:
            self.message.emit("Select the cue (e.g. “said”) first, then press U.")
            return
        if self._refused_on(statement):
            return
        edit = self.annotations.set_cue(statement.uid, *selection, exact=self.view.exact_selection)
        self.view.clear_selection()
        cue = edit.after[0].attributes.get(CUE) if edit is not None else None
        if cue and not self._far_cue_wanted(statement, (cue[0], cue[1])):
            self.message.emit("The cue was left as it was.")
            self.go_to(statement.uid)
            return
        self.do(edit)
        self.go_to(statement.uid)

    def _far_cue_wanted(self, statement: Span, cue: tuple[int, int]) -> bool:
        """A cue in the statement's sentence or a sentence next to it is taken as it is; one further off
        (another “said” that Find jumped to, paragraphs away) is asked about first."""
        text = self.annotations.text
        apart = sentences_apart(text, (statement.start, statement.end), cue)
        if abs(apart) <= 1:
            return True
        distance = cue[0] - statement.end if apart > 0 else statement.start - cue[1]
        where = "after" if apart > 0 else "before"
        question = message_box(
            QMessageBox.Icon.Question,
            "Cue far from the statement",
            f"The cue {quoted(_short(text[cue[0] : cue[1]]))} is {abs(apart)} sentences {where} the statement "
            f"{quoted(_short(text[statement.start : statement.end]))} ({distance:,} characters away), not in its "
            "sentence or next to it.\n\nSet it as the statement's cue anyway?",
            self.view,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        question.setDefaultButton(QMessageBox.StandardButton.No)
        return question.exec() == QMessageBox.StandardButton.Yes

    def set_speaker(
        self, statement_uid: str, entity_uid: str | None = None, name: str = "", where: tuple[int, int] | None = None
    ) -> None:
        """The statement's speaker: an entity of the text (``entity_uid``); words of the text (``where``),
        which become a SPEAKER span of their own unless an entity is exactly there; or a name that is
        not in the text (``name``: free text, no offsets)."""
        if entity_uid is not None:
            self.do(self.annotations.set_speaker(statement_uid, entity_uid))
        elif where is not None:
            self.do(self._speaker_span(statement_uid, *where))
        else:
            self.do(self.annotations.set_speaker_text(statement_uid, name))
        self.go_to(statement_uid)

    def speaker_from_selection(self) -> bool:
        """P with text selected: the selected words (whole words, unless selected with Alt) are the current
        statement's speaker. False when nothing is selected (then the speaker picker asks)."""
        selection = self.view.selection()
        if selection is None or self.annotations is None:
            return False
        statement = self.statement_for_links()
        if statement is None:
            return True  # it said what to do
        text = self.annotations.text
        words = self.annotations.words
        start, end = outward(text, *selection) if self.view.exact_selection else snap(text, *selection, words)
        self.view.clear_selection()
        if start >= end:
            self.message.emit("The selection holds no words to be the speaker.")
            return True
        self.set_speaker(statement.uid, where=(start, end))
        return True

    def _speaker_span(self, statement_uid: str, start: int, end: int) -> Edit | None:
        """Link the statement to the words at start..end: the entity there, else a new SPEAKER span (as
        the statement suggester makes for a speaker no entity names), in one step."""
        notes = self.annotations
        there = [s for s in notes.overlapping(Layer.ENTITY, start, end) if (s.start, s.end) == (start, end)]
        if there:  # a named entity before a SPEAKER span
            return notes.set_speaker(statement_uid, min(there, key=lambda s: s.label == SPEAKER_LABEL).uid)
        statement = notes.spans[statement_uid]
        speaker = Span(start, end, SPEAKER_LABEL, Layer.ENTITY, origin=notes.annotator, state=State.ACCEPTED,
                       annotator=notes.annotator, document_id=notes.document.id)
        old = [r for r in notes.relations.values() if r.head == statement_uid and r.label == SPEAKER]
        attributes = {k: v for k, v in statement.attributes.items() if k != SPEAKER_TEXT}  # a typed name gives way
        changed = replace(statement, attributes=attributes, annotator=notes.annotator, updated=now())
        return Edit(
            notes.document.id,
            (statement,),
            (changed, speaker),
            tuple(old),
            (notes.linked_relation(statement_uid, SPEAKER, speaker.uid),),
            notes.annotator,
            notes.status,
            Status.IN_PROGRESS if notes.status in (None, Status.NEW) else notes.status,
            f"Speaker {quoted(_short(notes.text[start:end], 40))} (a span of its own)",
        )

    def set_statement(self, claim_uid: str, statement_uid: str | None) -> None:
        self.do(self.annotations.set_statement(claim_uid, statement_uid))

    def choose_document_label(self, set_name: str, label: str) -> None:
        """Set one of the open document's labels for this annotator, or clear it if it is set."""
        if not self._need_document():
            return
        label_set = self.schema.label_set(set_name) if self.schema is not None else None
        if label_set is None or label not in label_set.labels:
            self.message.emit(f"The schema has no document label {set_name}: {label}.")
            return
        self.do(self.annotations.choose_label(label_set, label))

    def set_status(self, status: Status) -> bool:
        if not self._need_document():
            return False
        self.do(self.annotations.set_status(status))
        return True

    # --- one step over many mentions, in this article or the whole project ------------------------------

    def _reveal(self, edit: Edit) -> None:
        """Bring what a step changed into view, the text cursor at its start: the first span it shows,
        or where the first one it removed was."""
        shown = [s for s in edit.after if s.state != State.REJECTED]
        target = shown[0] if shown else (edit.before[0] if edit.before else None)
        if target is not None:
            self.view.clear_selection()
            self.view.scroll_to(target)

    def _mentioned_entity(self) -> Span | None:
        span = self.current_span() if self._need_document() else None
        if span is None or span.layer != Layer.ENTITY:
            if self.annotations is not None:
                self.message.emit("Choose an entity first (Tab to it, or click it): its label goes to every mention.")
            return None
        return span

    def label_all_in_article(self) -> None:
        """Give every identical mention of the current entity's text in this article its label: one step."""
        span = self._mentioned_entity()
        if span is None:
            return
        words = self.annotations.text[span.start : span.end]
        if not self.do(self.annotations.label_mentions(words, span.label, first=span.uid)):
            self.message.emit(f"Every mention of {quoted(words)} in this article is {span.label} already.")

    def label_all_edits_in_project(self) -> tuple[str, str, list[Edit]] | None:
        """What labelling every identical mention in the project would change (nothing saved yet):
        the words, the label and one Edit per article; None without a current entity."""
        span = self._mentioned_entity()
        if span is None:
            return None
        words = self.annotations.text[span.start : span.end]
        # The other articles are read with one's own spans and the suggestions: nobody else's is relabelled.
        edits = annotating.label_mentions_in_project(
            self.project, words, span.label, self.annotator, self.schema, self.annotations, span.uid,
            View(MINE, "", True),
        )
        return words, span.label, edits

    def do_many(self, edits: list[Edit], description: str) -> bool:
        """One step of Edits in several articles: saved in one transaction, undone by one Ctrl+Z."""
        if not edits or any(self._refused(edit) for edit in edits):
            return False
        self.undo_stack.push(ManyEditsCommand(self, edits, description))
        return True

    def perform_many(self, edits: list[Edit], reveal: bool) -> bool:
        """Save the Edits of several articles in one transaction, then show the open article's. With
        ``reveal`` (undo, redo) and the open article untouched, the first one touched is opened at the change."""
        if reveal and edits and all(e.document_id != self.document_id for e in edits):
            self.documentWanted.emit(edits[0].document_id)
        try:
            annotating.save_all(self.project, edits)
        except AnnotatorError as exc:
            log.warning("not saved: %s: %s", edits[0].description if edits else "", exc)
            if self.document_id is not None:
                self.open(self.document_id)
            self.failed.emit(str(exc))
            return False
        here = [e for e in edits if e.document_id == self.document_id]
        for edit in here:
            self.annotations.apply(edit)
            self.view.update_spans(list(edit.before), list(edit.after))
            if edit.changes_status:
                self.view.show_status(self.annotations.status)
        if here:
            shown = [s for s in here[0].after if s.state != State.REJECTED]
            if reveal:
                self._reveal(here[0])
            self._set_current(shown[0].uid if shown else None)
        for edit in here:
            self.changed.emit(edit)
        self.documentsChanged.emit(sorted({e.document_id for e in edits}))
        return True
