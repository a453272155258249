"""Project ▸ Curate… in the real window, driven by keys: the annotators' versions one above another, the
agreed version filled into the gold, 2 on a disagreement takes the second annotator's version (on screen
and in the project), Ctrl+Z undoes it, X rejects, Ctrl+Enter marks the document curated. A hostile
annotator name is shown as the characters it is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Span, Status
from annotator.services.curating import GOLD
from annotator.store.annotated import load_annotated
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit, status_of
from annotator.ui.curation_window import CurationWindow
from annotator.ui.menus import all_actions
from annotator.ui.plain import without_mnemonic

HOSTILE = '<img src="file:///dev/zero">'
TEXT = "Sergey Lavrov said on Monday that Russia would not send troops to Kyiv."


def at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@pytest.fixture
def project(project):
    (doc,) = add_documents(project, [Document(TEXT, title="Lavrov")]).added
    answers = {"ana": [("Sergey Lavrov", "PERSON"), ("Russia", "GPE"), ("Kyiv", "GPE")],
               "ben": [("Lavrov", "PERSON"), ("Russia", "GPE"), ("Kyiv", "GPE")],
               HOSTILE: [("Sergey", "PERSON"), ("Russia", "ORG")]}
    for who, found in answers.items():
        spans = tuple(Span(*at(words), label, Layer.ENTITY, who, annotator=who) for words, label in found)
        apply_edit(project, Edit(doc.id, after=spans, annotator=who, status_after=Status.DONE))
    project.test_document_id = doc.id
    return project


def stored_gold(project):
    _doc, spans, _ = load_annotated(project, project.test_document_id)
    return sorted((TEXT[s.start:s.end], s.label, str(s.state), s.origin) for s in spans if s.annotator == GOLD)


def gold_shown(curation):
    return sorted((TEXT[s.start:s.end], s.label) for s in curation.gold_view.spans.values())


def test_curate_by_keys(qtbot, show_window, project):
    window = show_window(project, annotator="zoe")
    window.open_document(project.test_document_id)
    qtbot.waitUntil(lambda: window.session.document_id == project.test_document_id)
    action = next(a for a in all_actions(window.menuBar()) if without_mnemonic(a.text()) == "Curate…")
    action.trigger()
    curation = window.findChild(CurationWindow)
    qtbot.waitExposed(curation)
    curation.activateWindow()
    qtbot.waitUntil(curation.isActiveWindow)

    # Three strips, named by number, the hostile name as plain text.
    names = [label.text() for label in curation.strip_names.values()]
    assert names == ["1  " + HOSTILE, "2  ana", "3  ben"]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in curation.findChildren(QLabel)
               if label.objectName() != "legend")  # the legend is markup of ours, its label names escaped
    # The agreed version (majority) is in the gold already: Russia GPE and Kyiv GPE; Lavrov is disputed.
    assert gold_shown(curation) == [("Kyiv", "GPE"), ("Russia", "GPE")]
    assert stored_gold(project) == [("Kyiv", "GPE", "accepted", "curated:zoe"),
                                    ("Russia", "GPE", "accepted", "curated:zoe")]
    assert curation.list.count() == 1 and "open" in curation.list.item(0).text()
    assert curation.item().proposal.start == 0  # the disagreement on "Sergey Lavrov" is current

    qtbot.keyClick(curation, Qt.Key.Key_2)  # ana's version
    assert gold_shown(curation) == [("Kyiv", "GPE"), ("Russia", "GPE"), ("Sergey Lavrov", "PERSON")]
    assert ("Sergey Lavrov", "PERSON", "accepted", "curated:zoe") in stored_gold(project)
    assert "gold = 2" in curation.list.item(0).text() and "Saved" in curation.info.text()
    marks = curation.gold_view.editor.extraSelections()
    assert any(m.cursor.selectedText() == "Sergey Lavrov" for m in marks)  # the current gold span is marked

    qtbot.keyClick(curation, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold_shown(curation) == [("Kyiv", "GPE"), ("Russia", "GPE")]
    assert all(g[0] != "Sergey Lavrov" for g in stored_gold(project))
    assert "open" in curation.list.item(0).text()
    qtbot.keyClick(curation, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert ("Sergey Lavrov", "PERSON") in gold_shown(curation)

    qtbot.keyClick(curation, Qt.Key.Key_3)  # ben's "Lavrov" instead
    assert ("Lavrov", "PERSON") in gold_shown(curation) and ("Sergey Lavrov", "PERSON") not in gold_shown(curation)
    qtbot.keyClick(curation, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # its start a token back
    assert ("Sergey Lavrov", "PERSON", "accepted", "curated:zoe") in stored_gold(project)
    qtbot.keyClick(curation, Qt.Key.Key_X)  # reject the place
    assert not any(label == "PERSON" for _w, label in gold_shown(curation))
    assert ("Sergey Lavrov", "PERSON", "rejected", "curated:zoe") in stored_gold(project)
    assert "rejected" in curation.list.item(0).text()

    # Unanimous: Russia and Kyiv are disputed now too; Tab walks all three.
    curation.policy.setCurrentIndex(0)
    assert curation.list.count() == 3
    seen = []
    for _ in range(3):
        qtbot.keyClick(curation, Qt.Key.Key_Tab)
        seen.append(TEXT[curation.item().start:curation.item().end])
    assert sorted(seen) == ["Kyiv", "Russia", "Sergey Lavrov"]
    qtbot.keyClick(curation, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert TEXT[curation.item().start:curation.item().end] == seen[-2]

    qtbot.keyClick(curation, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert status_of(project, project.test_document_id, GOLD) == Status.DONE
    assert "curated" in curation.heading.text()
    while curation.undo_stack.canUndo():  # every step undone, the filling in too: no gold left
        qtbot.keyClick(curation, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_gold(project) == [] and status_of(project, project.test_document_id, GOLD) is None
    curation.close()


def test_a_blind_projects_annotator_who_is_no_curator_cannot_open_curation(qtbot, show_window, project):
    from annotator.services.visibility import set_blind, set_curators

    set_blind(project, True)
    set_curators(project, ["zoe"])
    window = show_window(project, annotator="ana")
    window.open_document(project.test_document_id)
    action = next(a for a in all_actions(window.menuBar()) if without_mnemonic(a.text()) == "Curate…")
    action.trigger()
    assert window.findChild(CurationWindow) is None  # ben's work stays out of ana's sight
    assert "not one of its curators" in window.statusBar().currentMessage()
    curator = show_window(project, annotator="zoe")
    curator.open_document(project.test_document_id)
    next(a for a in all_actions(curator.menuBar()) if without_mnemonic(a.text()) == "Curate…").trigger()
    assert curator.findChild(CurationWindow) is not None


def test_the_curation_keys_are_on_the_keyboard_sheet(qtbot, show_window, project, monkeypatch):
    from annotator.ui.cheat_sheet import CheatSheet

    window = show_window(project, annotator="zoe")
    shown = {}
    monkeypatch.setattr(CheatSheet, "exec", lambda sheet: shown.setdefault("text", sheet.browser.toPlainText()))
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert "Curating" in shown["text"] and "Take that annotator's version" in shown["text"]
