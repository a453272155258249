"""The undo steps of an annotation session: each holds Edits the session saves (redo) or saves the inverse
of (undo), and says so in the status bar. A step that could not be saved leaves the stack instead of
lying on it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from annotator.core.edits import Edit

if TYPE_CHECKING:
    from annotator.ui.annotating import AnnotationSession


class EditCommand(QUndoCommand):
    def __init__(self, session: AnnotationSession, edit: Edit) -> None:
        super().__init__(edit.description)
        self.session = session
        self.edit = edit
        self.done_before = False

    def redo(self) -> None:
        if not self.session.perform(self.edit, reveal=self.done_before):
            self.setObsolete(True)  # not saved: it leaves the stack instead of lying on it
            return
        # Every step says it is saved (it is, before it is shown): there is no Save button to trust instead.
        self.session.message.emit(f"{'Redone' if self.done_before else 'Saved'}: {self.edit.description}")
        self.done_before = True

    def undo(self) -> None:
        if not self.session.perform(self.edit.inverse(), reveal=True):
            self.setObsolete(True)
            return
        self.session.message.emit(f"Undone: {self.edit.description}")


class ChoiceCommand(EditCommand):
    """One step of a run of choices in one field (↓ ↓ ↓ through a closed combo box): each is saved at
    once, as every step is, and the run becomes one undo step. ``key`` names the run; a step with
    another key (another field, annotation or run) is a step of its own."""

    MERGE_ID = 0x43686F  # any number: Qt only tries to merge commands that share it

    def __init__(self, session: AnnotationSession, edit: Edit, key: tuple) -> None:
        super().__init__(session, edit)
        self.key = key

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(other, ChoiceCommand) or other.key != self.key or self.isObsolete() or other.isObsolete():
            return False
        first, last = self.edit, other.edit
        # The next step must start where this one ended (nothing else came between): then the two make
        # one from this one's before to that one's after.
        if (
            last.document_id != first.document_id
            or last.before != first.after
            or {r.uid for r in last.relations_before} != {r.uid for r in first.relations_after}
            or first.labels_before or first.labels_after or last.labels_before or last.labels_after
        ):
            return False
        self.edit = replace(
            first,
            after=last.after,
            relations_after=last.relations_after,
            status_after=last.status_after,
            description=last.description,
        )
        self.setText(last.description)
        return True


class ManyEditsCommand(QUndoCommand):
    """One undo step over several articles (labelling a mention everywhere in the project)."""

    def __init__(self, session: AnnotationSession, edits: list[Edit], description: str) -> None:
        super().__init__(description)
        self.session = session
        self.edits = list(edits)
        self.done_before = False

    def redo(self) -> None:
        if not self.session.perform_many(self.edits, reveal=self.done_before):
            self.setObsolete(True)
            return
        self.session.message.emit(f"{'Redone' if self.done_before else 'Saved'}: {self.text()}")
        self.done_before = True

    def undo(self) -> None:
        if not self.session.perform_many([e.inverse() for e in self.edits], reveal=True):
            self.setObsolete(True)
            return
        self.session.message.emit(f"Undone: {self.text()}")
