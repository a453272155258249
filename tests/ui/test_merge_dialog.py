"""File ▸ Merge Another Analyst's Work… in the real window: the file chosen, the merge run on a worker,
the report shown as plain text, and ben's work in the list and the project."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.services.schema import schema_of
from annotator.ui.menus import named_action
from tests.services.interchange_data import annotate
from tests.services.test_merging import ONLY_BEN, make_ben, people


def test_the_window_merges_the_chosen_project_and_shows_the_report(show_window, project, tmp_path, qtbot,
                                                                   monkeypatch):
    annotate(project, "ana")
    ben, _ids = make_ben(tmp_path / "ben.annotator.sqlite")
    theirs = people(ben)["ben"]
    ben.close()
    window = show_window(project, annotator="ana")
    asked = []

    def choose(*args, **kwargs):
        asked.append(args[1])
        return str(tmp_path / "ben.annotator.sqlite"), ""

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", choose)
    named_action(window, "Merge Another Analyst's Work…").trigger()
    qtbot.waitUntil(lambda: getattr(window, "merge_report", None) is not None and window.merge_report.isVisible(),
                    timeout=15_000)
    box = window.merge_report
    assert asked == ["Merge another analyst's work"]
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text().startswith(f"Merged {tmp_path / 'ben.annotator.sqlite'}:")
    assert "4 document(s) read, 3 matched, 1 added" in box.text()
    assert "ben: " in box.informativeText() and "label added to the schema: entity:WEAPON" in box.informativeText()
    assert people(project)["ben"] == theirs
    assert window.documents.model.rowCount() == 4
    assert schema_of(project).has_label("WEAPON", window.schema.labels[0].layer)
    assert window.schema.has_label("WEAPON", window.schema.labels[0].layer)  # the window follows the schema
    box.close()
    # Again: nothing new, and the report says so.
    window.merge_report = None
    named_action(window, "Merge Another Analyst's Work…").trigger()
    qtbot.waitUntil(lambda: window.merge_report is not None and window.merge_report.isVisible(), timeout=15_000)
    assert ": 0 new (" in window.merge_report.text()
    window.merge_report.close()
    assert ONLY_BEN[:12] in people(project)["ben"]["statuses"]


def test_bad_input_is_reported_and_nothing_merged(show_window, project, tmp_path, qtbot, monkeypatch):
    annotate(project, "ana")
    before = people(project)
    window = show_window(project, annotator="ana")
    bad = tmp_path / "notes.txt"
    bad.write_text("not a project\n")
    warned = []
    monkeypatch.setattr("annotator.ui.main_window.warn", lambda parent, title, text: warned.append((title, text)))
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(bad), ""))
    named_action(window, "Merge Another Analyst's Work…").trigger()
    qtbot.waitUntil(lambda: bool(warned), timeout=15_000)
    assert warned[0][0] == "Merging failed" and str(bad) in warned[0][1]
    assert people(project) == before
