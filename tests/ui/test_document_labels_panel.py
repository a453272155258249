"""Document labels in the real window: a key sets the label, the side panel shows it, undo clears it,
and the keys are in the cheat sheet without taking a key the text already uses."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QRadioButton

from annotator.core.model import Document, Layer
from annotator.core.schema import Choice, LabelSchema, LabelSet
from annotator.services import projects
from annotator.services.schema import change_schema
from annotator.store.document_labels import document_labels_of
from annotator.store.documents import add_documents
from annotator.ui.cheat_sheet import sheet_html
from annotator.ui.document_labels_box import COMMAND_KEYS, document_label_keys
from annotator.ui.menus import all_actions

HOSTILE = "R&D <b>x</b>"
CHECK = LabelSet("checkworthy", (Choice("check-worthy", "w"), Choice("not check-worthy")))
TOPICS = LabelSet("topic", (Choice("politics", "s"), Choice(HOSTILE)), multiple=True)  # "s" is Mark Statement


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "labels.annotator.sqlite"))
    schema = projects.schema_of(opened)
    change_schema(opened, LabelSchema(schema.labels, schema.attributes, label_sets=(CHECK, TOPICS)), {})
    add_documents(opened, [Document("Lavrov said the talks in Geneva were useful.", title="Talks")])
    yield opened
    opened.close()


@pytest.fixture
def window(show_window, project):
    made = show_window(project)
    made.article.editor.setFocus()
    return made


def stored(window):
    return [(d.label_set, d.label, d.annotator) for d in document_labels_of(window.project, window.session.document_id)]


def test_a_key_sets_the_label_the_panel_shows_it_and_undo_clears_it(window, qtbot):
    box = window.panel.document_labels
    button = box.buttons[("checkworthy", "check-worthy")]
    assert isinstance(button, QRadioButton) and isinstance(box.buttons[("topic", "politics")], QCheckBox)
    assert not button.isChecked()
    qtbot.keyClick(window.article.editor, Qt.Key.Key_W)
    who = window.session.annotator
    assert stored(window) == [("checkworthy", "check-worthy", who)]
    assert button.isChecked()
    other = box.buttons[("checkworthy", "not check-worthy")]
    other.click()  # the other label of a single-choice set replaces it
    assert stored(window) == [("checkworthy", "not check-worthy", who)]
    assert other.isChecked() and not button.isChecked()
    qtbot.keyClick(window.article.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [("checkworthy", "check-worthy", who)] and button.isChecked()
    qtbot.keyClick(window.article.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [] and not button.isChecked() and not other.isChecked()
    assert "Undone: Label document checkworthy: check-worthy" in window.statusBar().currentMessage()


def test_keys_never_clash_and_the_cheat_sheet_lists_them(window):
    keys = document_label_keys(window.schema)
    assert keys[("checkworthy", "check-worthy")] == "w"
    assert keys[("topic", "politics")] not in COMMAND_KEYS  # "s" marks a statement: another key is given
    assert len(set(keys.values())) == len(keys)
    menus = [(a.menu().title(), all_actions(a.menu())) for a in window.menuBar().actions() if a.menu() is not None]
    sheet = sheet_html(menus)
    assert "checkworthy: check-worthy" in sheet and "R&amp;D &lt;b&gt;x&lt;/b&gt;" in sheet


def test_label_names_show_as_the_characters_they_are(window, qtbot):
    button = window.panel.document_labels.buttons[("topic", HOSTILE)]
    assert button.text().endswith("R&&D <b>x</b>")  # '&' doubled: shown as itself, not as a mnemonic
    button.click()
    assert stored(window) == [("topic", HOSTILE, window.session.annotator)] and button.isChecked()
    titles = window.panel.document_labels.findChildren(QLabel)
    assert titles and all(t.textFormat() == Qt.TextFormat.PlainText for t in titles)  # set names are user text
    QApplication.processEvents()


def test_another_annotators_label_is_shown_beside_the_button_and_not_as_mine(window, project):
    from annotator.core.model import DocumentLabel
    from annotator.store.document_labels import add_labels

    with project.writing() as conn:
        add_labels(conn, window.session.document_id, [DocumentLabel("checkworthy", "not check-worthy", "ben", "ben")])
    window.open_document(window.session.document_id)
    button = window.panel.document_labels.buttons[("checkworthy", "not check-worthy")]
    assert not button.isChecked() and button.text().endswith("(also chosen by ben)")


def test_labelling_the_document_keeps_the_current_annotation(window, qtbot):
    session = window.session
    start = session.annotations.text.index("Lavrov")
    session.do(session.annotations.tag(Layer.ENTITY, "PERSON", start, start + 6))
    current = session.current_span()
    assert current is not None and current.label == "PERSON"
    qtbot.keyClick(window.article.editor, Qt.Key.Key_W)
    assert stored(window) and session.current_span() == current
