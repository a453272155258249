"""Importing a table of articles from the window: the columns are mapped first, in a dialog pre-filled
with the reader's guess. Needs the catalogue to list formats.tables (services.formats.MODULES)."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTableWidget

from annotator.services.documents import list_documents, load_document
from annotator.ui.columns_dialog import ColumnsDialog

HOSTILE = '<img src="file:///dev/zero"> <b>bold</b>'
QUOTED = HOSTILE.replace('"', '""')  # as a CSV cell


def _table(tmp_path):
    path = tmp_path / "desk.csv"
    path.write_text(
        "id,headline,text,summary,published,desk\n"
        f'1,Budget passed,Parliament passed the budget on Tuesday.,A short summary.,2020-03-01,"{QUOTED}"\n'
        "2,Storm hits coast,Winds of 150 km/h closed the ports.,Ports closed.,2020-03-02,Weather\n",
        encoding="utf-8",
    )
    return path


def _documents(project) -> list[tuple[str, str | None, str, dict]]:
    found = []
    for row in list_documents(project):
        document = load_document(project, row.id).document
        found.append((document.title, document.date, document.text, document.meta))
    return found


def _dialog(window, qtbot) -> ColumnsDialog:
    qtbot.waitUntil(lambda: window.columns_question is not None and window.columns_question.isVisible())
    return window.columns_question


def test_the_dialog_shows_the_guess_and_imports_the_text_column_chosen(show_window, project, tmp_path, qtbot):
    window = show_window(project)
    path = _table(tmp_path)
    window.import_paths([str(path)])
    dialog = _dialog(window, qtbot)
    chosen = {role: box.currentText() for role, box in dialog.roles.items()}
    assert chosen == {"text": "text", "title": "headline", "date": "published", "id": "id"}
    preview = dialog.findChild(QTableWidget, "tablePreview")
    headers = [preview.horizontalHeaderItem(c).text() for c in range(preview.columnCount())]
    assert headers == ["id", "headline", "text", "summary", "published", "desk"]
    assert preview.rowCount() == 2 and preview.item(0, 5).text() == HOSTILE  # shown as the characters it is
    checked = [dialog.meta.item(i).text() for i in range(dialog.meta.count())
               if dialog.meta.item(i).checkState() == Qt.CheckState.Checked]
    assert checked == ["summary", "desk"]

    dialog.roles["text"].setCurrentIndex(dialog.roles["text"].findText("summary"))
    dialog.meta.item(2).setCheckState(Qt.CheckState.Checked)  # keep the full text as metadata instead
    dialog.meta.item(5).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.import_report is not None and window.import_report.isVisible(), timeout=15_000)
    assert "2 documents imported" in window.import_report.text()
    window.import_report.close()
    assert _documents(project) == [
        ("Budget passed", "2020-03-01", "A short summary.",
         {"text": "Parliament passed the budget on Tuesday.", "id": "1"}),
        ("Storm hits coast", "2020-03-02", "Ports closed.", {"text": "Winds of 150 km/h closed the ports.", "id": "2"}),
    ]
    assert window.documents.table.model().rowCount() == 2


def test_cancel_imports_nothing_and_without_a_text_column_import_waits_for_one(show_window, project, tmp_path, qtbot):
    window = show_window(project)
    path = tmp_path / "odd.xlsx"
    book = openpyxl.Workbook()
    for row in (["headline", "paragraphs"], ["One", "Text one."]):
        book.active.append(row)
    book.save(path)
    window.import_paths([str(path)])
    dialog = _dialog(window, qtbot)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.roles["text"].currentData() is None and not ok.isEnabled()
    dialog.roles["text"].setCurrentIndex(dialog.roles["text"].findText("paragraphs"))
    assert ok.isEnabled()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    assert list_documents(project) == [] and window.import_report is None


def test_files_that_are_not_tables_are_imported_without_the_dialog(show_window, project, tmp_path, qtbot):
    window = show_window(project)
    path = tmp_path / "a.txt"
    path.write_text("date 2021-01-13 Title\n\nBody.\n", encoding="utf-8")
    window.import_paths([str(path)])
    qtbot.waitUntil(lambda: window.import_report is not None and window.import_report.isVisible(), timeout=15_000)
    assert window.columns_question is None
    window.import_report.close()
    assert [row.title for row in list_documents(project)] == ["Title"]
