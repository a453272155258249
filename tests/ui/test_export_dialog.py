"""Exporting and importing from the window: the export dialog, and annotated files dropped on it."""

import orjson
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

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
