"""Project ▸ Agreement… in the real window: the figures, the documents most disagreed first, Enter opens
one; annotator names and titles are shown as the characters they are, never as HTML."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Span, Status
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit
from annotator.ui.agreement_dialog import AgreementDialog
from annotator.ui.menus import all_actions
from annotator.ui.plain import without_mnemonic

HOSTILE = '<img src="file:///dev/zero">'
CALM = "Sergey Lavrov said on Monday that Russia would not send troops."
TORN = "Maria Lopez met the mayor of Rome on Friday."


@pytest.fixture
def project(project):
    calm, torn = add_documents(project, [Document(CALM, title="Calm"), Document(TORN, title=f"Torn {HOSTILE}")]).added
    for who in ("ana", HOSTILE):
        spans = [Span(0, 13, "PERSON", annotator=who), Span(34, 40, "GPE", annotator=who)]
        apply_edit(project, Edit(calm.id, after=tuple(spans), annotator=who, status_after=Status.DONE))
    torn_spans = {"ana": [Span(0, 11, "PERSON", annotator="ana"), Span(29, 33, "GPE", annotator="ana")],
                  HOSTILE: [Span(16, 33, "PERSON", annotator=HOSTILE)]}
    for who, spans in torn_spans.items():
        apply_edit(project, Edit(torn.id, after=tuple(spans), annotator=who, status_after=Status.DONE))
    return project


def test_agreement_lists_documents_and_opens_the_chosen_one(qtbot, window):
    action = next(a for a in all_actions(window.menuBar()) if without_mnemonic(a.text()) == "Agreement…")
    action.trigger()
    dialog = window.findChild(AgreementDialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)
    assert HOSTILE in dialog.heading.text() and dialog.heading.textFormat() == Qt.TextFormat.PlainText
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in dialog.findChildren(QLabel))
    figures = dialog.figures.toPlainText()
    assert f"{HOSTILE} – ana" in figures and "token Cohen κ" in figures
    table = dialog.documents
    assert table.rowCount() == 2
    assert table.item(0, 3).text() == f"Torn {HOSTILE}"  # the most disagreed first, its title as written
    assert float(table.item(0, 0).text()) > float(table.item(1, 0).text()) == 0.0
    table.setCurrentCell(0, 3)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    torn_id = dialog.result.disagreements[0].key
    qtbot.waitUntil(lambda: window.session.document_id == torn_id)
    dialog.documents.itemActivated.emit(table.item(1, 0))  # a double-click
    qtbot.waitUntil(lambda: window.session.document_id == dialog.result.disagreements[1].key)
    dialog.close()


def test_a_project_with_one_annotator_says_why(qtbot, show_window, tmp_path):
    from annotator.store.project import open_project

    single = open_project(tmp_path / "single.annotator.sqlite")
    (doc,) = add_documents(single, [Document(CALM, title="Calm")]).added
    apply_edit(single, Edit(doc.id, after=(Span(0, 13, "PERSON", Layer.ENTITY, annotator="ana"),), annotator="ana"))
    window = show_window(single, annotator="ana")
    from annotator.ui.agreement_dialog import show_agreement

    dialog = show_agreement(window)
    qtbot.waitUntil(lambda: "No agreement to show" in dialog.heading.text(), timeout=10000)
    assert "two annotators or more" in dialog.heading.text()
    dialog.close()
    single.close()
