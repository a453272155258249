"""Text from files and people shows as the characters it is, never as HTML, in the real main window.

A title like ``<img src="file:///dev/zero"> Talks`` once made Qt read /dev/zero for a tooltip until memory ran
out. Here the image points nowhere, so a failing check shows the markup was rendered without harming the run.
"""

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QMessageBox, QToolTip, QWidget

from annotator.core.model import Document, Layer, Span, State
from annotator.core.schema import Label, LabelSchema
from annotator.services import projects
from annotator.services.importing import ImportReport
from annotator.services.schema import change_schema
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions
from annotator.ui.report_dialog import show_import_report
from annotator.ui.speaker_picker import SpeakerPicker

HOSTILE = '<img src="file:///no/such/picture.png"><b>X</b>'
TEXT = f"Varga said {HOSTILE} today. Prices rose."
TITLE = f"{HOSTILE} Talks"


def shown(tip: str) -> str:
    """What Qt shows for a tooltip or an auto-format text: HTML rendered if it looks like HTML."""
    if not QtGui_Qt.mightBeRichText(tip):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "hostile.annotator.sqlite"))
    schema = projects.schema_of(opened)
    hostile_label = Label(HOSTILE, Layer.ENTITY, "#ffc98b", f"Described as {HOSTILE}")
    change_schema(opened, LabelSchema((hostile_label, *schema.labels), schema.attributes, schema.nested_entities), {})
    doc = add_documents(opened, [Document(TEXT, title=TITLE, source=HOSTILE)]).added[0]
    start = TEXT.index("Varga")
    said = TEXT.index("said")
    statement = Span(said, TEXT.index(" today"), "STATEMENT", Layer.STATEMENT, origin="ana",
                     attributes={"speaker_text": HOSTILE})
    claim = Span(TEXT.index("Prices"), len(TEXT) - 1, "CLAIM", Layer.CLAIM, origin="ana",
                 attributes={"note": HOSTILE})
    entity = Span(start, start + 5, HOSTILE, origin="en_test@1", state=State.SUGGESTED)
    save_suggestions(opened, [(doc.id, [entity, statement, claim])], "en_test@1")
    yield opened
    opened.close()


@pytest.fixture
def window(show_window, project):
    return show_window(project)


def hostile_texts(root: QWidget) -> list[tuple[str, str, str]]:
    """(where, text as given, text as Qt shows it) for every label, tooltip and list item under ``root``."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel) and "<img" in widget.text():
            plain = widget.textFormat() == Qt.TextFormat.PlainText
            literal = widget.text() if plain else shown(widget.text())
            found.append((f"label {widget.objectName()}", widget.text(), literal))
        if "img" in widget.toolTip():
            found.append((f"tooltip of {widget.objectName()}", widget.toolTip(), shown(widget.toolTip())))
        if isinstance(widget, QListWidget):
            for row in range(widget.count()):
                tip = widget.item(row).toolTip()
                if "img" in tip:
                    found.append((f"item tooltip in {widget.objectName()}", tip, shown(tip)))
    return found


def test_every_widget_shows_hostile_text_literally(window, qtbot):
    listed = window.documents.proxy.index(0, 0)
    assert listed.data() == TITLE
    tip = listed.data(Qt.ItemDataRole.ToolTipRole)
    assert HOSTILE in shown(tip)

    window.session.go_to(window.session.annotations.visible(Layer.STATEMENT)[0].uid)
    found = hostile_texts(window)
    where = {place for place, _given, _shown in found}
    assert "label articleTitle" in where
    assert any(place.startswith("item tooltip") for place in where)  # a statement's text, a label's description
    for place, _given, literal in found:
        assert "<img" in literal, f"the {place} renders markup: {literal!r}"
    assert f"Described as {HOSTILE}" in [literal for _p, _g, literal in found]
    assert window.panel.heading.textFormat() == Qt.TextFormat.PlainText

    window.session.go_to(window.session.annotations.visible(Layer.CLAIM)[0].uid)
    assert window.panel.note.text() == HOSTILE  # a line edit: always plain
    for place, _given, literal in hostile_texts(window):
        assert "<img" in literal, f"the {place} renders markup: {literal!r}"


def test_hovering_a_span_shows_its_text_literally(window, qtbot):
    editor = window.article.editor
    cursor = editor.textCursor()
    cursor.setPosition(TEXT.index("Varga") + 2)
    point = editor.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseMove(editor.viewport(), point)
    qtbot.waitUntil(QToolTip.isVisible)
    assert HOSTILE in shown(QToolTip.text())


def test_search_results_show_titles_literally(window, qtbot):
    window.show_search()
    qtbot.keyClicks(window.search.query, "prices")
    qtbot.keyClick(window.search.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.search.results.count() == 1)
    assert shown(window.search.results.item(0).toolTip()) == TITLE


def test_the_speaker_picker_quotes_the_statement_literally(window, qtbot):
    statement = window.session.annotations.visible(Layer.STATEMENT)[0]
    picker = SpeakerPicker(window.session.annotations, statement, window)
    qtbot.addWidget(picker)
    quoted = [label for label in picker.findChildren(QLabel) if "<img" in label.text()]
    assert quoted and all(label.textFormat() == Qt.TextFormat.PlainText for label in quoted)


def test_import_report_names_labels_as_plain_text(window, qtbot):
    report = ImportReport(files=1, added=1, new_labels=[f"ENTITY:{HOSTILE}"], unknown_labels={("ENTITY", HOSTILE)})
    box = show_import_report(window, report, add_labels=lambda: None)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()


def test_messages_built_from_file_text_are_plain(window, qtbot):
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.textFormat(), box.text()))
            box.done(0)

    QTimer.singleShot(0, answer)
    window.session.failed.emit(f"could not save {HOSTILE}")
    assert seen == [(Qt.TextFormat.PlainText, f"could not save {HOSTILE}")]


def test_the_backups_dialog_names_the_project_as_plain_text(window, qtbot):
    from annotator.ui.backups_dialog import BackupsDialog

    dialog = BackupsDialog([], '<img src="x.png">Talks', window)
    qtbot.addWidget(dialog)
    named = [label for label in dialog.findChildren(QLabel) if "<img" in label.text()]
    assert named and all(label.textFormat() == Qt.TextFormat.PlainText for label in named)


def test_choosing_an_item_shows_a_label_quoting_an_article_literally(qtbot):
    from annotator.ui.plain import item_dialog

    dialog = item_dialog(None, "Link To", f"Link {HOSTILE} (1) to:", ["Sergey Lavrov (PERSON, 3 mention(s))"])
    qtbot.addWidget(dialog)
    labels = [label for label in dialog.findChildren(QLabel) if "<img" in label.text()]
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert dialog.textValue() == "Sergey Lavrov (PERSON, 3 mention(s))"
