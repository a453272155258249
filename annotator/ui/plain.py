"""Text from files and people, shown as the characters it is.

Qt treats a tooltip, a message box text or a label text as HTML when it "looks like" HTML. A title such as
``<img src="file:///dev/zero">`` would then be rendered: Qt reads the image until memory runs out. Labels and
message boxes are told their text is plain; tooltips cannot be, so they are escaped and wrapped in markup of ours.
"""

from __future__ import annotations

import html
import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QMessageBox, QWidget


def plain_tooltip(text: str | None) -> str:
    """A tooltip that shows ``text`` literally, line breaks kept; empty text gives no tooltip."""
    if not text:
        return ""
    return f'<p style="white-space:pre-wrap">{html.escape(text)}</p>'


def quoted(words: str) -> str:
    """Words of an article in quotation marks. Right-to-left words are also set apart for the
    bidirectional algorithm (Unicode's first strong isolate … pop isolate): a Hebrew or Arabic quotation
    in an English line keeps its marks around it, instead of the marks and what follows being drawn out
    of order."""
    return f"“{isolated(words)}”"


def isolated(words: str) -> str:
    """``words`` between FSI and PDI when they hold a right-to-left letter; as they are otherwise."""
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in words):
        return f"\u2068{words}\u2069"
    return words


def fit_label(label: QLabel, text: str, widest: int = 320) -> None:
    """Show ``text`` in a status bar label no wider than ``widest`` pixels: cut short with "…" when it is
    longer, the whole text in the tooltip. Status bar labels that grow with their text (many pipelines,
    a long name) squeeze the bar's messages until they are cut off mid-word."""
    shown = label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, widest)
    label.setText(shown)
    label.setToolTip(plain_tooltip(text) if shown != text else "")


def plain_label(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def item_dialog(parent: QWidget | None, title: str, label: str, items: list[str]) -> QInputDialog:
    """QInputDialog.getItem's dialog (not editable, the first item chosen), its label plain text: the label
    often quotes an article, and QInputDialog's label would render HTML."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    if items:
        dialog.setTextValue(items[0])
    for shown in dialog.findChildren(QLabel):
        plain_label(shown)
    return dialog


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    """The item chosen in ``item_dialog``; None when cancelled."""
    dialog = item_dialog(parent, title, label, items)
    try:
        return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    parent: QWidget | None = None,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """QMessageBox.warning, with the text shown as plain text (it often carries a file's title or name)."""
    message_box(QMessageBox.Icon.Warning, title, text, parent).exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    message_box(QMessageBox.Icon.Information, title, text, parent).exec()


def menu_text(text: str) -> str:
    """User text for a menu entry or an action: Qt takes ``&`` as the mark of a shortcut letter there
    ("R&D" would show as "RD", D underlined), and ``&&`` as the character itself."""
    return text.replace("&", "&&")


def without_mnemonic(text: str) -> str:
    """An action's text as it reads on screen: the shortcut marks gone, ``&&`` back to one ``&``."""
    return "&".join(part.replace("&", "") for part in text.split("&&"))
