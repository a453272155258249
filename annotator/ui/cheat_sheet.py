"""F1: every shortcut, read from the window's own actions, so the sheet can never disagree with the keys."""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from annotator.ui.plain import without_mnemonic

EXTRA = (
    ("Shift+arrows, Shift+Ctrl+arrows", "Select text from the keyboard (snaps to whole tokens)"),
    ("Alt while selecting with the mouse", "Keep the exact characters (no snapping)"),
    ("Alt+1 … Alt+0", "Label the selection with its exact characters"),
    ("Tab in the fields, Esc", "Move between an annotation's fields; back to the text"),
    ("Enter in the document list", "Go to the article's text"),
    ("↓, Enter in the filter box (after Ctrl+L)", "Down the matching documents; open one and go to its text"),
    ("↑/↓, Alt+↓ in a field's box", "Change the choice (one undo step a visit); open the box's list"),
)
# The keys of Annotate ▸ Review Least Certain First (its own buttons, not the window's actions).
REVIEW = (
    ("A", "Accept the suggestion shown (a statement with its speaker)"),
    ("X", "Reject it (it stays rejected and is not suggested again)"),
    ("→", "Skip it for now"),
    ("Esc", "Stop reviewing"),
)


# The keys of Project ▸ Curate (a window of its own, with its own undo).
CURATION = (
    ("Tab, Shift+Tab", "Next, previous disagreement"),
    ("1 … 9", "Take that annotator's version"),
    ("A", "Accept what most said"),
    ("X, Delete", "Reject the place"),
    ("Ctrl+1 … 9, L", "Relabel the gold span"),
    ("Alt+←/→, Alt+Shift+←/→", "Move its start, its end by a token"),
    ("Shift+A", "Fill in what agrees"),
    ("Ctrl+Z, Ctrl+Shift+Z", "Undo, redo in the curation"),
    ("Ctrl+Enter", "Mark the document curated, or not"),
)


def sheet_html(menus: list[tuple[str, list[QAction]]]) -> str:
    parts = ["<h2>Keyboard shortcuts</h2>"]
    for title, actions in menus:
        rows = [
            (a.shortcuts(), without_mnemonic(a.text()).rstrip("…"))
            for a in actions
            if not a.isSeparator() and a.shortcuts()
        ]
        if not rows:
            continue
        parts.append(f"<h3>{html.escape(without_mnemonic(title))}</h3><table cellspacing='0' cellpadding='3'>")
        for keys, text in rows:
            shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            parts.append(f"<tr><td width='190'><b>{html.escape(shown)}</b></td><td>{html.escape(text)}</td></tr>")
        parts.append("</table>")
    for title, rows in (("Selecting", EXTRA), ("Reviewing least certain first", REVIEW), ("Curating", CURATION)):
        parts.append(f"<h3>{title}</h3><table cellspacing='0' cellpadding='3'>")
        for keys, text in rows:
            parts.append(f"<tr><td width='190'><b>{html.escape(keys)}</b></td><td>{html.escape(text)}</td></tr>")
        parts.append("</table>")
    return "".join(parts)


class CheatSheet(QDialog):
    def __init__(self, menus: list[tuple[str, list[QAction]]], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("cheatSheet")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(sheet_html(menus))  # our own markup; action names are escaped
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(620, 720)
