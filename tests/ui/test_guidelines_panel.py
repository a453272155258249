"""The guidelines panel on a real project file: default guidelines, editing, loading, and nothing rendered as HTML."""

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from annotator.services import projects
from annotator.services.guidelines import guidelines_of, set_guidelines
from annotator.ui.guidelines_panel import GuidelinesEditor, GuidelinesPanel


@pytest.fixture
def location(tmp_path):
    return str(tmp_path / "rules.annotator.sqlite")


@pytest.fixture
def project(location):
    opened = projects.open_location(location)
    yield opened
    opened.close()


@pytest.fixture
def make_panel(qtbot):
    def make(project):
        panel = GuidelinesPanel()
        qtbot.addWidget(panel)
        panel.set_project(project)
        panel.resize(500, 700)
        panel.show()
        return panel

    return make


def headings(panel) -> list[str]:
    document = panel.browser.document()
    block, found = document.begin(), []
    while block.isValid():
        if block.blockFormat().headingLevel():
            found.append(block.text())
        block = block.next()
    return found


def test_a_new_project_shows_the_default_guidelines_as_formatted_markdown(project, make_panel):
    panel = make_panel(project)
    assert headings(panel)[:2] == ["Annotation guidelines: news articles", "Entities"]
    shown = panel.browser.toPlainText()
    assert "PARC 3.0" in shown and "check-worthy factual" in shown
    assert "# Annotation" not in shown and "|---|" not in shown  # rendered, not the source


def test_edited_guidelines_are_saved_in_the_project_and_shown_after_reopening(project, make_panel, location):
    panel = make_panel(project)

    def edit():
        editor = panel.findChild(GuidelinesEditor)
        try:
            editor.editor.selectAll()
            QTest.keyClicks(editor.editor, "# Our rules")
            QTest.keyClick(editor.editor, Qt.Key.Key_Return)
            QTest.keyClick(editor.editor, Qt.Key.Key_Return)
            QTest.keyClicks(editor.editor, "Tag every minister.")
        finally:
            QTest.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, edit)
    QTest.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert headings(panel) == ["Our rules"]
    project.close()

    reopened = projects.open_location(location)
    try:
        again = make_panel(reopened)
        assert headings(again) == ["Our rules"]
        assert "Tag every minister." in again.browser.toPlainText()
    finally:
        reopened.close()


def test_cancelling_the_editor_keeps_the_guidelines(project, make_panel):
    set_guidelines(project, "# Kept")
    panel = make_panel(project)

    def cancel():
        editor = panel.findChild(GuidelinesEditor)
        editor.editor.setPlainText("# Thrown away")
        QTest.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, cancel)
    QTest.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert headings(panel) == ["Kept"] and guidelines_of(project) == "# Kept"


def test_html_in_a_loaded_file_is_shown_as_text_never_rendered(project, make_panel, tmp_path, monkeypatch):
    source = tmp_path / "rules.md"
    source.write_text("# Rules\n\nA <b>bold</b> claim.\n\n<script>alert('x')</script>\n\n<div>block</div>\n", encoding="utf-8")
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(source), ""))
    panel = make_panel(project)
    QTest.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    shown = panel.browser.toPlainText()
    assert "<b>bold</b>" in shown
    assert "<script>alert('x')</script>" in shown and "<div>block</div>" in shown
    assert guidelines_of(project).startswith("# Rules")


def test_a_file_that_is_not_text_is_refused_with_its_name(project, make_panel, tmp_path, monkeypatch):
    source = tmp_path / "picture.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(source), ""))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    panel = make_panel(project)
    QTest.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1 and "picture.png" in warnings[0] and "not a text file" in warnings[0]
    assert headings(panel)[0] == "Annotation guidelines: news articles"


def test_images_and_other_resources_are_never_loaded(project, make_panel, tmp_path):
    picture = tmp_path / "picture.png"
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(picture))
    url = QUrl.fromLocalFile(str(picture))
    set_guidelines(project, f"# Rules\n\n![a picture]({url.toString()})\n")
    panel = make_panel(project)
    loaded = panel.browser.document().resource(QTextDocument.ResourceType.ImageResource, url)
    assert loaded is None or loaded.isNull()
