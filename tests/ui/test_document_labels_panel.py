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


# --- the document list ----------------------------------------------------------------------------


@pytest.fixture
def three(project):
    """Two more articles: one labelled by another analyst, one by nobody."""
    from annotator.services.documents import list_documents
    from annotator.store.document_labels import add_labels
    from annotator.core.model import DocumentLabel

    add_documents(project, [Document("Kyiv was shelled again.", title="Shelling"), Document("Rain.", title="Weather")])
    shelling = next(s.id for s in list_documents(project) if s.title == "Shelling")
    with project.writing() as conn:
        add_labels(conn, shelling, [DocumentLabel("topic", HOSTILE, "ben"), DocumentLabel("topic", "politics", "ben")])
    return project


def shown(window) -> list[tuple[str, str]]:
    model = window.documents.model
    return [(model.index(row, 0).data(), model.index(row, 4).data()) for row in range(model.rowCount())]


def test_the_list_shows_each_documents_labels_and_follows_a_key(show_window, three, qtbot):
    window = show_window(three)
    panel, table = window.documents, window.documents.table
    assert panel.model.headerData(4, Qt.Orientation.Horizontal) == "Labels"
    assert table.isColumnHidden(4)  # the list is narrow: the title's tooltip names the labels until asked for
    panel._column_menu(table.horizontalHeader().rect().center())  # right-click on the header
    ticks = {a.text(): a for a in panel.column_menu.actions()}
    assert list(ticks) == ["Date", "Status", "Entities", "Labels"] and not ticks["Labels"].isChecked()
    ticks["Labels"].trigger()
    panel.column_menu.close()
    assert not table.isColumnHidden(4)
    assert shown(window) == [("Talks", ""), ("Shelling", f"{HOSTILE}, politics"), ("Weather", "")]
    # The tooltips are plain text: the hostile name is not rendered as bold.
    for column in (0, 4):
        tip = panel.model.index(1, column).data(Qt.ItemDataRole.ToolTipRole)
        assert f"Labels: {HOSTILE}, politics".replace("<", "&lt;").replace(">", "&gt;") in tip.replace("&amp;", "&")
    window.documents.select(window.documents.model.id_at(0))
    window.article.editor.setFocus()
    qtbot.keyClick(window.article.editor, Qt.Key.Key_W)  # check-worthy, on the open article
    assert shown(window)[0] == ("Talks", "check-worthy")


def test_the_label_filter_keeps_the_documents_with_that_label_or_none(show_window, three, qtbot):
    window = show_window(three)
    panel = window.documents
    assert panel.label_filter.isVisible() and panel.label_filter.focusPolicy() == Qt.FocusPolicy.ClickFocus
    items = [panel.label_filter.itemText(i) for i in range(panel.label_filter.count())]
    assert items == ["All labels", "No document label", "checkworthy: check-worthy", "checkworthy: not check-worthy",
                     "topic: politics", f"topic: {HOSTILE}"]  # fmt: skip
    panel.label_filter.setCurrentIndex(items.index("topic: politics"))
    assert [title for title, _ in shown(window)] == ["Shelling"]
    panel.label_filter.setCurrentIndex(items.index("No document label"))
    assert [title for title, _ in shown(window)] == ["Talks", "Weather"]
    panel.filter.setText("rain")  # with words too
    qtbot.waitUntil(lambda: [title for title, _ in shown(window)] == ["Weather"])
    panel.filter.clear()
    panel.label_filter.setCurrentIndex(0)
    assert len(shown(window)) == 3


def test_sorting_by_labels_puts_labelled_documents_first(show_window, three):
    window = show_window(three)
    window.documents.model.sort(4, Qt.SortOrder.AscendingOrder)
    assert [title for title, _ in shown(window)] == ["Shelling", "Talks", "Weather"]


def test_without_label_sets_the_list_has_no_labels_column_or_filter(show_window, tmp_path):
    plain = projects.open_location(str(tmp_path / "plain.annotator.sqlite"))
    try:
        add_documents(plain, [Document("Text.", title="One")])
        window = show_window(plain)
        assert window.documents.table.isColumnHidden(4) and not window.documents.label_filter.isVisible()
    finally:
        plain.close()


def test_the_columns_chosen_are_kept_for_the_next_start(show_window, three):
    window = show_window(three)
    window.documents.hide_columns(["Date", "Entities"])
    window.close()
    again = show_window(three)
    table = again.documents.table
    assert table.isColumnHidden(1) and table.isColumnHidden(3) and not table.isColumnHidden(2)
    assert not table.isColumnHidden(4)  # the Labels column was not hidden this time
