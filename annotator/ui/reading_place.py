"""Where the analyst was in each article: reopening one returns there, in this run and the next.

Per project and document, the settings keep the first character on screen and the text cursor, in code
points (not pixels or lines: the window may be wider next time, the lines wrapped differently), and whether
the cursor was on screen (then it stays so in a narrower window). An article read from its top with the
cursor at the start keeps no entry.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QPoint, QSettings, QTimer
from PySide6.QtGui import QTextCursor


def place_key(where: str, document_id: int) -> str:
    """The settings key of a document's place in the project at ``where`` (its safe location)."""
    return f"readingPlace/{hashlib.sha1(where.encode('utf-8')).hexdigest()[:16]}/{document_id}"


def remember(settings: QSettings, where: str, view) -> None:
    """Keep the place of the article ``view`` shows."""
    document = view.document
    if document is None or document.id is None:
        return
    editor, offsets = view.editor, view.offsets
    top = offsets.to_code_point(editor.cursorForPosition(QPoint(0, 0)).position())
    if editor.verticalScrollBar().value() == 0:
        top = 0
    position = offsets.to_code_point(editor.textCursor().position())
    seen = int(editor.viewport().rect().contains(editor.cursorRect().center()))  # or left behind by scrolling
    key = place_key(where, document.id)
    if top == 0 and position == 0:
        settings.remove(key)
    else:
        settings.setValue(key, f"{top},{position},{seen}")


def restore(settings: QSettings, where: str, view) -> bool:
    """Put the article ``view`` shows back where it was left: that character at the top of the text,
    the cursor where it was. False when nothing was kept (the article stays at its start)."""
    document = view.document
    if document is None or document.id is None:
        return False
    try:
        top, position, seen = (int(part) for part in str(settings.value(place_key(where, document.id))).split(","))
    except (TypeError, ValueError):
        return False
    if not view.editor.isVisible():  # laid out for a size it will not have: once the window is on screen
        QTimer.singleShot(0, view.editor, lambda: view.document is document and _place(view, top, position, seen))
        return True
    _place(view, top, position, seen)
    return True


def _place(view, top: int, position: int, seen: int) -> None:
    editor, offsets, document = view.editor, view.offsets, view.document
    size = len(document.text)
    top, position = offsets.to_utf16(min(max(top, 0), size)), offsets.to_utf16(min(max(position, 0), size))
    bar = editor.verticalScrollBar()
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)  # from below, bringing the top character into view puts its line at the top
    cursor.setPosition(top)
    editor.setTextCursor(cursor)
    editor.ensureCursorVisible()
    scroll = bar.value() if top else 0
    cursor.setPosition(position)
    editor.setTextCursor(cursor)
    bar.setValue(scroll)
    if seen and not editor.viewport().rect().contains(editor.cursorRect().center()):
        editor.ensureCursorVisible()  # a narrower window than last time: the cursor the keys act on stays in view
