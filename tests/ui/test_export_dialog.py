"""Exporting and importing from the window: the export dialog, and annotated files dropped on it."""

import orjson
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

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
