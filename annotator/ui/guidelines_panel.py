"""The annotation guidelines beside the article: the project's Markdown, read-only, editable on request.

Guidelines may come from anyone's file, so they are shown as Markdown only: raw HTML is displayed as
the text it is, links are never followed by themselves, and no image or other resource is loaded.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.services.guidelines import default_guidelines, guidelines_of, load_guidelines_file, set_guidelines
from annotator.services.projects import Project

MARKDOWN = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML
FILE_FILTER = "Markdown or text (*.md *.markdown *.txt);;All files (*)"


class GuidelinesBrowser(QTextBrowser):
    """A QTextBrowser that fetches nothing: no images, no style sheets, no linked files."""

    def loadResource(self, kind: int, name: QUrl):  # noqa: N802 (Qt's name)
        # An empty answer would not do: QTextDocument then reads a local file itself. An empty image
        # (or text) is an answer, so nothing is read; an image in the guidelines shows as its alt text.
        if kind == QTextDocument.ResourceType.ImageResource:
            return QImage()
        return ""


class GuidelinesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinesPanel")
        self.project: Project | None = None
        self.browser = GuidelinesBrowser(self)
        self.browser.setObjectName("guidelines")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._follow_anchor)
        self.edit_button = QPushButton("&Edit…", self)
        self.edit_button.clicked.connect(self.edit)
        self.load_button = QPushButton("&Load file…", self)
        self.load_button.clicked.connect(self.load_file)

        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.browser, 1)
        self.set_project(None)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.edit_button.setEnabled(project is not None)
        self.load_button.setEnabled(project is not None)
        self.refresh()

    def refresh(self) -> None:
        if self.project is None:
            self.show_markdown("")
            return
        try:
            self.show_markdown(guidelines_of(self.project))
        except AnnotatorError as exc:
            self.browser.setPlainText(f"The guidelines cannot be shown: {exc}")

    def show_markdown(self, markdown: str) -> None:
        self.browser.document().setMarkdown(markdown, MARKDOWN)
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)  # read from the top, not where the text ended

    def markdown(self) -> str:
        """The guidelines as stored (not as rendered), for the editor."""
        return guidelines_of(self.project) if self.project is not None else ""

    def edit(self) -> None:
        if self.project is None:
            return
        try:
            editor = GuidelinesEditor(self.markdown(), self)
        except AnnotatorError as exc:
            _warn(self, str(exc))
            return
        try:
            if editor.exec() == QDialog.DialogCode.Accepted:
                self.save(editor.text())
        finally:
            editor.deleteLater()

    def load_file(self) -> None:
        if self.project is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Load Guidelines", "", FILE_FILTER)
        if not path:
            return
        try:
            text = load_guidelines_file(path)
        except AnnotatorError as exc:
            _warn(self, str(exc))
            return
        self.save(text)

    def save(self, markdown: str) -> None:
        try:
            set_guidelines(self.project, markdown)
        except AnnotatorError as exc:
            _warn(self, f"The guidelines were not saved: {exc}")
            return
        self.refresh()

    def _follow_anchor(self, url: QUrl) -> None:
        # Links inside the guidelines (#statements) scroll; anything else stays a link to read, not to open.
        if url.hasFragment() and not url.scheme() and not url.path():
            self.browser.scrollToAnchor(url.fragment())


class GuidelinesEditor(QDialog):
    """The Markdown source in a plain text editor; Save (Ctrl+S) keeps it, Restore Defaults starts over."""

    def __init__(self, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit Guidelines")
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("guidelinesSource")
        self.editor.setPlainText(markdown)
        self.editor.setTabChangesFocus(True)  # the buttons stay reachable from the keyboard
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_default)
        QShortcut(QKeySequence.StandardKey.Save, self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(self.buttons)
        self.resize(720, 640)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        return self.editor.toPlainText()

    def restore_default(self) -> None:
        try:
            self.editor.setPlainText(default_guidelines())
        except AnnotatorError as exc:
            _warn(self, str(exc))


def _warn(parent: QWidget, text: str) -> None:
    # Escaped: a file name or message that looks like HTML must show as it is.
    QMessageBox.warning(parent, "Guidelines", f"<p>{html.escape(text)}</p>")
