"""Selecting by meaning, and labelling every mention at once (Edit ▸ Select…, Annotate ▸ Label All…).

Ctrl+Alt+S, Ctrl+Alt+P and Ctrl+Alt+Q select the sentence, the paragraph and the quoted text around
the text cursor (core.selection finds them, in code points; they are placed in UTF-16 units here, through
the view's OffsetMap). Ctrl+Alt+M gives every mention of the current entity's words in the article
its label, Ctrl+Alt+Shift+M in the whole project after saying how many will change: one undo step each.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from annotator.core import selection
from annotator.ui.plain import message_box, quoted

SELECT_KEYS = {"sentence": "Ctrl+Alt+S", "paragraph": "Ctrl+Alt+P", "quotation": "Ctrl+Alt+Q"}
LABEL_ALL_KEYS = {"article": "Ctrl+Alt+M", "project": "Ctrl+Alt+Shift+M"}


def select_around(w, what: str) -> bool:
    """Select the sentence, paragraph or quotation (``what``) around the text cursor or selection."""
    view = w.article
    if view.document is None:
        w.statusBar().showMessage("Open an article first.", 5000)
        return False
    text = view.document.text
    cursor = view.editor.textCursor()
    start = view.offsets.to_code_point(cursor.selectionStart())
    end = view.offsets.to_code_point(cursor.selectionEnd())
    if what == "sentence":
        found = selection.sentence_range(text, start, end)
    elif what == "paragraph":
        found = selection.paragraph_range(text, start, end)
    else:
        found = selection.quotation_range(text, start, end)
    if found is None or found[0] >= found[1]:
        w.statusBar().showMessage(
            "No quotation marks around the cursor." if what == "quotation" else f"No {what} here.", 5000
        )
        return False
    select_range(view, *found)
    return True


def select_range(view, start: int, end: int) -> None:
    """Select code points start-end in the article, the cursor at the end (Shift+arrows go on from there)."""
    cursor = view.editor.textCursor()
    cursor.setPosition(view.offsets.to_utf16(end))
    view.editor.setTextCursor(cursor)
    view.editor.ensureCursorVisible()
    cursor.setPosition(view.offsets.to_utf16(start))
    cursor.setPosition(view.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    view.editor.setTextCursor(cursor)
    view.editor.ensureCursorVisible()
    view.exact_selection = True  # whole sentences, quotes: a label takes exactly these characters


def label_all_in_project(w) -> bool:
    """Label every mention of the current entity's words in the project, after a question that says how
    many mentions in how many articles change; one Ctrl+Z undoes it in all of them."""
    found = w.session.label_all_edits_in_project()
    if found is None:
        return False
    words, label, edits = found
    if not edits:
        w.statusBar().showMessage(f"Every mention of {quoted(words)} in the project is {label} already.", 8000)
        return False
    mentions = sum(len(e.after) for e in edits)
    here = sum(len(e.after) for e in edits if e.document_id == w.session.document_id)
    articles = len(edits)
    question = (
        f"Label {mentions} mention{'s' if mentions != 1 else ''} of {quoted(words)} as {label} "
        f"in {articles} article{'s' if articles != 1 else ''}"
        + (f" ({here} in this one)" if here else "")
        + "?\n\nMentions inside a longer word or another entity are left alone. "
        "One Undo (Ctrl+Z) takes it back in every article."
    )
    box = message_box(
        QMessageBox.Icon.Question,
        "Label All Identical Mentions",
        question,
        w,
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
    )
    box.setObjectName("labelAllQuestion")
    box.button(QMessageBox.StandardButton.Ok).setText(f"Label {mentions}")
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    answer = box.exec()
    w.article.editor.setFocus()
    if answer != QMessageBox.StandardButton.Ok:
        return False
    description = (
        f"Label {mentions} mention{'s' if mentions != 1 else ''} of {quoted(words)} {label} "
        f"in {articles} article{'s' if articles != 1 else ''}"
    )
    return w.session.do_many(edits, description)
