"""Exporting and importing from the window: the export dialog, and annotated files dropped on it."""

import orjson
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QStyle, QStyleOptionButton

from annotator.core.model import Status
from annotator.services import exporting, projects
from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow
from tests.services.interchange_data import annotate, annotations_of


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "gui.annotator.sqlite"))
    annotate(opened)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, project, ruler_model):
    shown = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    yield shown
    for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.close()
    if shown.export_dialog is not None:
        shown.export_dialog.reject()
    shown.workers.cancel_all()
    shown.workers.wait()


def open_dialog(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.export_dialog is not None and window.export_dialog.isVisible(), timeout=5_000)
    return window.export_dialog


def test_the_dialog_previews_the_first_document_in_the_chosen_format(window, qtbot):
    dialog = open_dialog(window, qtbot)
    qtbot.waitUntil(lambda: '"title": "Lavrov meets Safadi"' in dialog.preview.toPlainText(), timeout=10_000)
    dialog.statuses[Status.DONE].setChecked(False)  # "ana" finished the first article: leave it out
    dialog.annotator.setCurrentText("ana")
    qtbot.waitUntil(lambda: '"title": "Riverton' in dialog.preview.toPlainText(), timeout=10_000)
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    assert dialog.keeps.text().startswith("Entities only")  # the analyst sees what CoNLL cannot hold
    qtbot.waitUntil(lambda: "Riverton B-GPE" in dialog.preview.toPlainText(), timeout=20_000)
    dialog.format.setCurrentIndex(dialog.format.findData("brat"))
    assert dialog.target.text().endswith("-brat")  # a folder for brat
    qtbot.waitUntil(lambda: ".ann ──" in dialog.preview.toPlainText(), timeout=10_000)


def test_exporting_from_the_dialog_writes_the_filtered_file(window, qtbot, tmp_path):
    dialog = open_dialog(window, qtbot)
    target = tmp_path / "done.jsonl"
    dialog.target.setText(str(target))
    for status in (Status.NEW, Status.IN_PROGRESS, Status.SKIPPED):
        dialog.statuses[status].setChecked(False)
    dialog.annotator.setCurrentText("ana")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(), timeout=10_000)
    records = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert [r["meta"]["title"] for r in records] == ["Lavrov meets Safadi"]
    assert window.statusBar().currentMessage().startswith("1 document(s)")


def test_formats_that_cannot_mark_suggestions_leave_them_out_unless_the_box_is_ticked(window, qtbot, tmp_path):
    dialog = open_dialog(window, qtbot)
    assert dialog.suggestions.isChecked()  # native JSONL marks them: they go, and stay suggestions
    assert "marks them as unreviewed" in dialog.suggestions_note.text()
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    assert not dialog.suggestions.isChecked()
    note = dialog.suggestions_note.text()
    assert "cannot mark a suggestion as unreviewed" in note and "left out unless you tick the box" in note
    assert dialog.suggestions_note.isVisible()
    qtbot.waitUntil(lambda: "Sergey Lavrov" in dialog.preview.toPlainText(), timeout=10_000)
    assert '"Moscow' not in dialog.preview.toPlainText()  # the unreviewed suggestion is not in the preview

    def exported(tick: bool) -> list[str]:
        window.show_export()
        dialog = window.export_dialog
        qtbot.waitUntil(dialog.isVisible)
        dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
        target = tmp_path / f"doccano-{tick}.jsonl"
        dialog.target.setText(str(target))
        if tick:
            box = dialog.suggestions  # a click on its tick box (the widget can be wider than its words)
            tick_box = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, QStyleOptionButton(), box)
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(tick_box.center().x(), box.height() // 2))
            assert dialog.suggestions.isChecked()
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.export_dialog is None, timeout=10_000)
        first = orjson.loads(target.read_bytes().splitlines()[0])
        return [first["text"][e["start_offset"] : e["end_offset"]] for e in first["entities"]]

    dialog.reject()
    qtbot.waitUntil(lambda: window.export_dialog is None)
    assert "Moscow" not in exported(tick=False)
    assert "Moscow" in exported(tick=True)


def test_prodigy_leaves_unreviewed_suggestions_out_and_the_dialog_says_so(window, qtbot, tmp_path):
    # Prodigy trains on every span of an accepted task: a suggestion in it would count as checked.
    dialog = open_dialog(window, qtbot)
    dialog.format.setCurrentIndex(dialog.format.findData("prodigy"))
    assert not dialog.suggestions.isChecked()
    note = dialog.suggestions_note.text()
    assert note.startswith("Prodigy JSONL cannot mark a suggestion as unreviewed") and "left out" in note
    qtbot.waitUntil(lambda: '"label": "PERSON"' in dialog.preview.toPlainText(), timeout=20_000)
    assert "m@1" not in dialog.preview.toPlainText()  # no span of the model's in the preview
    target = tmp_path / "prodigy.jsonl"
    dialog.target.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.export_dialog is None, timeout=20_000)
    first = orjson.loads(target.read_bytes().splitlines()[0])
    assert "Moscow" not in [span["text"] for span in first["spans"]]
    assert "1 unreviewed suggestion(s) left out" in window.statusBar().currentMessage()


def test_a_folder_of_the_users_own_files_is_refused_with_an_error_box(window, qtbot, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "a.txt").write_text("my notes")
    (folder / "x.json").write_text("{}")
    dialog = open_dialog(window, qtbot)
    dialog.format.setCurrentIndex(dialog.format.findData("brat"))
    dialog.target.setText(str(folder))
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.windowTitle(), box.text()))
            box.done(0)
        elif not seen:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen[0][0] == "Export failed" and f"{folder} is not an earlier export of Annotator" in seen[0][1]
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "x.json"]
    assert dialog.isVisible() and dialog.export_button.isEnabled()  # the analyst can choose another folder


def test_dropping_an_annotated_file_imports_its_annotations(window, project, qtbot, tmp_path):
    exported = tmp_path / "elsewhere.jsonl"
    exporting.export(project, exported)
    window.switch_project(str(tmp_path / "empty.annotator.sqlite"))
    qtbot.waitUntil(lambda: window.project is not project, timeout=5_000)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(exported))])
    drop = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(drop)

    def report_box():
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)

    qtbot.waitUntil(lambda: report_box() is not None, timeout=10_000)
    assert "3 documents imported from 1 file(s), 9 annotation(s)" in report_box().text()
    assert annotations_of(window.project) == annotations_of(project)


def test_labels_an_import_lacked_are_added_from_the_report_and_nothing_is_doubled(window, qtbot, tmp_path, corpus):
    headlines = corpus / "annotated/prodigy_news_headlines/annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl"
    lines = headlines.read_text(encoding="utf-8").splitlines()[:20]
    sample = tmp_path / "headlines.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    window.import_paths([str(sample)])
    qtbot.waitUntil(lambda: window.import_report is not None and window.import_report.isVisible(), timeout=10_000)
    first = window.import_report
    assert "LOCATION" in first.findChild(QPushButton, "addLabelsButton").text()
    before = annotations_of(window.project)
    qtbot.mouseClick(first.findChild(QPushButton, "addLabelsButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.import_report is not first and window.import_report.isVisible(), timeout=10_000)
    assert "new label(s) entity:LOCATION added to the schema" in window.import_report.text()
    after = annotations_of(window.project)
    added = [row for text in after for row in after[text] if row not in before.get(text, [])]
    assert added and all(row[3] == "LOCATION" for row in added)  # only what was left out came in
    labels = [window.panel.labels.item(i).text() for i in range(window.panel.labels.count())]
    assert any("LOCATION" in label for label in labels)
    window.import_report.close()
