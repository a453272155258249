"""The label schema dialog driven as a user would, through edit_schema, on a real project file."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QColorDialog, QDialogButtonBox, QMessageBox, QWidget

from annotator.core.model import Document, Layer, Span
from annotator.services import projects
from annotator.services.schema import label_uses
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans
from annotator.ui.schema_dialog import COLOUR, NAME, USES, SchemaDialog, edit_schema

TEXT = "Sergey Lavrov met Elena Varga at the Foreign Ministry. Prices rose 12%."


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "schema.annotator.sqlite"))
    doc = add_documents(opened, [Document(TEXT, title="Talks")]).added[0]
    add_spans(
        opened,
        doc.id,
        [Span(0, 13, "PERSON"), Span(18, 29, "PERSON"), Span(37, 53, "ORG"), Span(55, 71, "CLAIM", layer=Layer.CLAIM)],
    )
    yield opened
    opened.close()


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def run_dialog(parent, project, interact):
    """edit_schema, with ``interact(dialog)`` run inside the dialog's own event loop, as a user would."""
    failures = []

    def drive():
        dialog = parent.findChild(SchemaDialog)
        try:
            interact(dialog)
        except BaseException as exc:  # noqa: BLE001 (re-raised below, after the dialog is closed)
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, drive)
    result = edit_schema(parent, project)
    if failures:
        raise failures[0]
    return result


def row_of(dialog, name):
    names = [dialog.table.item(row, NAME).text() for row in range(dialog.table.rowCount())]
    return names.index(name)


def type_name(dialog, row, name):
    """Select the Name cell, F2, replace the text, Enter: the keyboard way to rename."""
    table = dialog.table
    table.setCurrentCell(row, NAME)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(table.currentIndex())
    assert editor is not None, "F2 opens an editor on the name"
    editor.selectAll()
    QTest.keyClicks(editor, name)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on Enter by a queued call
    assert table.indexWidget(table.currentIndex()) is None, "Enter closes the editor"


def press(dialog, button):
    QTest.mouseClick(dialog.buttons.button(button), Qt.MouseButton.LeftButton)


def refuse_questions(monkeypatch):
    def unexpected(*args, **kwargs):
        raise AssertionError(f"nobody should be asked here: {args[2] if len(args) > 2 else kwargs}")

    monkeypatch.setattr(QMessageBox, "question", unexpected)


def test_the_dialog_shows_the_schema_and_how_often_each_label_is_used(parent, project):
    def check(dialog):
        assert dialog.windowTitle() == "Label Schema"
        assert dialog.table.item(row_of(dialog, "PERSON"), USES).text() == "2"
        assert dialog.table.item(row_of(dialog, "GPE"), USES).text() == "0"
        assert dialog.table.item(row_of(dialog, "PERSON"), COLOUR).text() == "#ffc98b"
        assert dialog.choices[("claim", "claim_type")].toPlainText().splitlines()[0] == "numerical"
        press(dialog, QDialogButtonBox.StandardButton.Cancel)

    assert run_dialog(parent, project, check) is None


def test_renaming_a_label_renames_its_annotations(parent, project, monkeypatch):
    refuse_questions(monkeypatch)

    def rename(dialog):
        type_name(dialog, row_of(dialog, "PERSON"), "HUMAN")
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    result = run_dialog(parent, project, rename)
    assert result == projects.schema_of(project)
    assert result.has_label("HUMAN", Layer.ENTITY) and not result.has_label("PERSON", Layer.ENTITY)
    assert label_uses(project) == {("entity", "HUMAN"): 2, ("entity", "ORG"): 1, ("claim", "CLAIM"): 1}


def test_removing_a_label_in_use_asks_and_then_deletes_its_annotations(parent, project, monkeypatch):
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)

    def remove(dialog):
        dialog.table.setCurrentCell(row_of(dialog, "ORG"), NAME)
        QTest.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert "ORG" not in [dialog.table.item(r, NAME).text() for r in range(dialog.table.rowCount())]
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    result = run_dialog(parent, project, remove)
    assert len(asked) == 1
    assert "ORG" in asked[0] and "1 annotation" in asked[0] and "deleted" in asked[0]
    assert not result.has_label("ORG", Layer.ENTITY)
    assert not projects.schema_of(project).has_label("ORG", Layer.ENTITY)
    assert label_uses(project) == {("entity", "PERSON"): 2, ("claim", "CLAIM"): 1}


def test_answering_no_keeps_the_label_and_an_unused_label_goes_without_asking(parent, project, monkeypatch):
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)

    def remove(dialog):
        dialog.table.setCurrentCell(row_of(dialog, "PERSON"), NAME)
        QTest.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        row_of(dialog, "PERSON")  # still there
        dialog.table.setCurrentCell(row_of(dialog, "GPE"), NAME)
        QTest.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    result = run_dialog(parent, project, remove)
    assert len(asked) == 1 and "PERSON" in asked[0] and "2 annotation" in asked[0]
    assert result.has_label("PERSON", Layer.ENTITY) and not result.has_label("GPE", Layer.ENTITY)
    assert label_uses(project)[("entity", "PERSON")] == 2


def test_a_claim_type_added_in_the_dialog_is_stored_in_the_project(parent, project, monkeypatch):
    refuse_questions(monkeypatch)

    def add_type(dialog):
        editor = dialog.choices[("claim", "claim_type")]
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QTest.keyClicks(editor, "legal")
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    run_dialog(parent, project, add_type)
    assert projects.schema_of(project).choices(Layer.CLAIM, "claim_type") == [
        "numerical", "causal", "prediction", "quote", "other", "legal",
    ]


def test_a_new_label_is_named_by_typing_and_stored_after_the_current_one(parent, project, monkeypatch):
    refuse_questions(monkeypatch)

    def add(dialog):
        dialog.table.setCurrentCell(row_of(dialog, "ORG"), NAME)
        QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        editor = dialog.table.indexWidget(dialog.table.currentIndex())
        editor.selectAll()
        QTest.keyClicks(editor, "HOAX <b>")
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    run_dialog(parent, project, add)
    names = [label.name for label in projects.schema_of(project).labels_of(Layer.ENTITY)]
    assert names[names.index("ORG") + 1] == "HOAX <b>"  # plain text, kept as typed


def test_enter_on_a_colour_opens_the_picker_and_keeps_the_dialog_open(parent, project, monkeypatch):
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#123456"))

    def recolour(dialog):
        dialog.table.setCurrentCell(row_of(dialog, "ORG"), COLOUR)
        QTest.keyClick(dialog.table, Qt.Key.Key_Return)
        assert dialog.isVisible(), "Enter in the table must not press OK"
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    run_dialog(parent, project, recolour)
    assert projects.schema_of(project).colour_for("ORG") == "#123456"


def test_a_duplicate_name_is_refused_and_the_dialog_stays_open(parent, project, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *args: warnings.append(text))
    before = projects.schema_of(project)

    def duplicate(dialog):
        type_name(dialog, row_of(dialog, "ORG"), "PERSON")
        press(dialog, QDialogButtonBox.StandardButton.Ok)
        assert dialog.isVisible() and len(warnings) == 1 and "two entity labels named PERSON" in warnings[0]
        press(dialog, QDialogButtonBox.StandardButton.Cancel)

    assert run_dialog(parent, project, duplicate) is None
    assert projects.schema_of(project) == before
    assert label_uses(project)[("entity", "ORG")] == 1


def test_a_name_still_being_typed_when_ok_is_pressed_counts(parent, project, monkeypatch):
    refuse_questions(monkeypatch)

    def rename_without_enter(dialog):
        table = dialog.table
        table.setCurrentCell(row_of(dialog, "ORG"), NAME)
        QTest.keyClick(table, Qt.Key.Key_F2)
        editor = table.indexWidget(table.currentIndex())
        editor.selectAll()
        QTest.keyClicks(editor, "INSTITUTION")
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    run_dialog(parent, project, rename_without_enter)
    assert label_uses(project)[("entity", "INSTITUTION")] == 1


def test_export_writes_what_the_dialog_shows_and_import_replaces_it(parent, project, monkeypatch, tmp_path):
    from dataclasses import replace

    from annotator.core.schema import Label
    from annotator.services.schema import export_schema, import_schema

    exported = tmp_path / "exported"  # no suffix: .json is added
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(exported), ""))
    smaller = tmp_path / "smaller.json"
    base = projects.schema_of(project)
    export_schema(
        replace(base, labels=tuple(l for l in base.labels if l.name != "ORG") + (Label("AGENCY", Layer.ENTITY, "#aabbcc"),)),
        smaller,
    )
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(smaller), ""))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda p, t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)

    def export_then_import(dialog):
        type_name(dialog, row_of(dialog, "GPE"), "PLACE")
        QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert import_schema(tmp_path / "exported.json") == dialog.schema()
        QTest.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        row_of(dialog, "AGENCY")
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    result = run_dialog(parent, project, export_then_import)
    assert len(asked) == 1 and "ORG" in asked[0] and "deleted" in asked[0]
    assert result.has_label("AGENCY", Layer.ENTITY) and result.has_label("GPE", Layer.ENTITY)
    assert label_uses(project) == {("entity", "PERSON"): 2, ("claim", "CLAIM"): 1}


def _type_cell(table, row, column, text):
    table.setCurrentCell(row, column)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(table.currentIndex())
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def test_document_label_sets_are_made_in_the_dialog_and_a_clashing_key_is_refused(parent, project, monkeypatch):
    refuse_questions(monkeypatch)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))

    def make(dialog):
        sets = dialog.label_sets
        QTest.mouseClick(sets.add_button, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        _type_cell(sets.table, 0, 0, "checkworthy")
        _type_cell(sets.table, 0, 1, "check-worthy")
        _type_cell(sets.table, 0, 2, "s")  # Mark Statement's key
        QTest.mouseClick(sets.add_button, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        _type_cell(sets.table, 1, 1, "not check-worthy")
        press(dialog, QDialogButtonBox.StandardButton.Ok)
        assert warnings and "already a command" in warnings[-1]
        _type_cell(sets.table, 0, 2, "w")
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    new = run_dialog(parent, project, make)
    assert new is not None
    [stored] = projects.schema_of(project).label_sets
    assert (stored.name, stored.labels, stored.multiple) == ("checkworthy", ["check-worthy", "not check-worthy"], False)
    assert stored.choices[0].key == "w"


def test_renaming_a_document_label_in_use_keeps_it_on_its_documents_without_asking(parent, project, monkeypatch):
    from annotator.core.model import DocumentLabel
    from annotator.core.schema import Choice, LabelSchema, LabelSet
    from annotator.services.schema import change_schema
    from annotator.store.document_labels import add_labels, document_labels_of

    schema = projects.schema_of(project)
    sets = (LabelSet("checkworthy", (Choice("check-worthy", "w"), Choice("not check-worthy"))),)
    change_schema(project, LabelSchema(schema.labels, schema.attributes, label_sets=sets), {})
    document = 1  # the fixture's one article
    with project.writing() as conn:
        add_labels(conn, document, [DocumentLabel("checkworthy", "check-worthy", "ana")])
    refuse_questions(monkeypatch)  # a rename loses nothing: nobody is asked

    def rename(dialog):
        table = dialog.label_sets.table
        assert table.item(0, 1).text() == "check-worthy" and table.item(0, 4).text() == "1"
        _type_cell(table, 0, 1, "worth checking")
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    new = run_dialog(parent, project, rename)
    assert new is not None and new.label_sets[0].labels == ["worth checking", "not check-worthy"]
    assert new.label_sets[0].choices[0].key == "w"
    assert [(d.label_set, d.label, d.annotator) for d in document_labels_of(project, document)] == [
        ("checkworthy", "worth checking", "ana")
    ]
