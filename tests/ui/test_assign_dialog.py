"""Assignments in the window, offscreen: the document list shows the analyst's own documents first and who
else has each (Others, plain text, the full list in a tooltip), an "Assigned to me" filter, and Project ▸
Assign Documents… deals documents out. Names are people's text: hostile HTML stays characters."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import ASSIGNED_TO_ME, Document, Status
from annotator.services import annotating, assigning, documents, projects
from annotator.store.assignments import deal
from annotator.store.documents import add_documents
from annotator.ui.assign_dialog import AssignDialog
from annotator.ui.document_list import OTHERS_COLUMN, DocumentListPanel
from annotator.ui.menus import named_action

HOSTILE = '<img src="file:///dev/zero"><b>bo</b>'


def fill(project, n: int) -> list[int]:
    added = add_documents(project, [Document(f"Story {i} of the day.", title=f"Story {i}") for i in range(n)]).added
    return [doc.id for doc in added]


def give(project, pairs) -> None:
    deal(project, None, lambda _dealing: ([], pairs), by="lead")


@pytest.fixture
def panel(qtbot, project):
    ids = fill(project, 6)
    # ana has the 4th and 6th; the 6th is shared with ben and a hostile name, the 2nd is ben's alone.
    give(project, [(ids[3], "ana"), (ids[5], "ana"), (ids[5], "ben"), (ids[5], HOSTILE), (ids[5], "cy"),
                   (ids[1], "ben")])
    made = DocumentListPanel()
    qtbot.addWidget(made)
    made.list_ids = lambda query: documents.list_ids(project, query, "ana")
    made.list_rows = lambda ids_: documents.list_rows(project, ids_, "ana")
    made.resize(700, 400)
    made.show()
    made.reload()
    qtbot.waitExposed(made)
    return made, ids


def cell(panel, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return panel.model.index(row, column).data(role)


def test_the_list_shows_my_documents_first_and_who_else_has_each(panel, qtbot):
    panel, ids = panel
    titles = [cell(panel, row, 0) for row in range(panel.model.rowCount())]
    assert titles == ["Story 3", "Story 5", "Story 0", "Story 1", "Story 2", "Story 4"]
    qtbot.waitUntil(lambda: not panel.table.isColumnHidden(OTHERS_COLUMN))  # the rows read say there are some
    assert panel.model.headerData(OTHERS_COLUMN, Qt.Orientation.Horizontal) == "Others"
    others = sorted(["ben", "cy", HOSTILE])
    assert cell(panel, 0, OTHERS_COLUMN) == ""
    assert cell(panel, 1, OTHERS_COLUMN) == f"{others[0]}, {others[1]} +1"  # plain text, shortened
    assert cell(panel, 3, OTHERS_COLUMN) == "ben"
    tip = cell(panel, 1, OTHERS_COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert html.escape(f"Also assigned to: {', '.join(others)}") in tip and "<img" not in tip
    assert "Assigned to you" in cell(panel, 0, 0, Qt.ItemDataRole.ToolTipRole)
    assert cell(panel, 2, OTHERS_COLUMN, Qt.ItemDataRole.ToolTipRole) is None


def test_assigned_to_me_in_the_status_box_keeps_only_mine(panel):
    panel, ids = panel
    box = panel.status_filter
    box.setCurrentIndex(box.findData(ASSIGNED_TO_ME))
    assert [cell(panel, row, 0) for row in range(panel.model.rowCount())] == ["Story 3", "Story 5"]
    panel.model.update_row(ids[3], status=Status.DONE)  # done, still assigned to me: it stays
    assert panel.model.rowCount() == 2
    box.setCurrentIndex(0)
    assert panel.model.rowCount() == 6


def test_a_project_without_assignments_has_no_others_column(qtbot, project):
    fill(project, 3)
    made = DocumentListPanel()
    qtbot.addWidget(made)
    made.list_ids = lambda query: documents.list_ids(project, query, "ana")
    made.list_rows = lambda ids_: documents.list_rows(project, ids_, "ana")
    made.show()
    made.reload()
    qtbot.wait(20)
    assert made.table.isColumnHidden(OTHERS_COLUMN)
    assert [cell(made, row, 0) for row in range(3)] == ["Story 0", "Story 1", "Story 2"]


def test_the_dialog_deals_documents_and_shows_the_report_as_plain_text(qtbot, project):
    fill(project, 10)
    dialog = AssignDialog(project, "lead", ["ana", HOSTILE])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.annotators.text() == f"ana, {HOSTILE}"
    dialog.overlap.setValue(20)
    dialog.seed.setValue(11)
    with qtbot.waitSignal(dialog.assigned):
        qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
    shown = dialog.result.toPlainText()
    assert f"  {HOSTILE}  " in shown and "Assigned 10 documents, 2 of them shared for agreement (seed 11):" in shown
    assert dialog.note.textFormat() == Qt.TextFormat.PlainText
    held = assigning.assignees(project)
    assert len(held) == 10 and sum(len(n) > 1 for n in held.values()) == 2
    with project.reading() as conn:
        assert conn.exec_driver_sql("SELECT DISTINCT assigned_by FROM document_assignments").scalars().all() == ["lead"]

    dialog.per_overlap.setValue(3)  # only two named: refused, said in the dialog, nothing stored
    dialog.replace.setChecked(True)
    dialog.assign_button.click()
    assert dialog.note.text().startswith("Nothing was assigned: a shared document goes to 3 annotators")
    assert assigning.assignees(project) == held
    dialog.annotators.setText(" , ")
    assert not dialog.assign_button.isEnabled()


def test_project_assign_documents_in_the_window(show_window, project, qtbot):
    ids = fill(project, 4)
    give(project, [(ids[2], "ana"), (ids[2], "ben")])
    window = show_window(project, annotator="ana")
    assert not window.documents.table.isColumnHidden(OTHERS_COLUMN)
    assert window.documents.model.index(0, 0).data() == "Story 2"
    assert window.documents.model.index(0, OTHERS_COLUMN).data() == "ben"
    named_action(window, "Assign Documents…").trigger()
    dialog = window.assign_dialog
    qtbot.waitExposed(dialog)
    assert dialog.names() == ["ana", "ben"]
    dialog.seed.setValue(3)
    dialog.assign_button.click()
    assert "Assigned 3 documents" in dialog.result.toPlainText()
    mine = assigning.assigned_ids(project, "ana")
    shown = [window.documents.model.id_at(row) for row in range(len(mine))]
    assert set(shown) == mine  # the list followed: all of ana's first
    dialog.close()
    # And the analyst's own status of an assigned document shows in stats' counts.
    notes = annotating.open_annotations(project, ids[2], "ana", projects.schema_of(project))
    annotating.save(project, notes.set_status(Status.DONE))
    assert assigning.assignment_counts(project)["ana"][1] == 1
