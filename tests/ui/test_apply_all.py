"""Label All Identical Mentions, in the article (Ctrl+Alt+M) and in the project (Ctrl+Alt+Shift+M),
driven through the real window; what the project file holds afterwards, and one Ctrl+Z for all."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import Document, Layer, Span, State, Status
from annotator.services import documents, projects
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions

WORDS = "Nagorno-Karabakh"
FIRST = (
    "Nagorno-Karabakh was quiet. Talks on Nagorno-Karabakh resumed; the Nagorno-Karabakh Republic objected. "
    "Observers left Nagorno-Karabakh."
)
SECOND = "Refugees from Nagorno-Karabakh arrived. Nagorno-Karabakhian farmers stayed in Nagorno-Karabakh."
THIRD = "Nothing about the region here."
MODEL = "en_test@1"
Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL_ALT = Mod.ControlModifier | Mod.AltModifier


def places(text, words=WORDS):
    found, at = [], text.find(words)
    while at >= 0:
        found.append((at, at + len(words)))
        at = text.find(words, at + 1)
    return found


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "mentions.annotator.sqlite"))
    first, second, _third = add_documents(
        opened, [Document(FIRST, title="One"), Document(SECOND, title="Two"), Document(THIRD, title="Three")]
    ).added
    p = places(FIRST)
    republic = (p[2][0], p[2][1] + len(" Republic"))
    save_suggestions(
        opened,
        [
            (first.id, [Span(*p[0], "GPE", origin=MODEL, state=State.SUGGESTED),
                        Span(*p[1], "ORG", origin=MODEL, state=State.SUGGESTED),
                        Span(*republic, "ORG", origin=MODEL, state=State.SUGGESTED)]),
            (second.id, [Span(*places(SECOND)[0], "PERSON", origin=MODEL, state=State.SUGGESTED)]),
        ],
        MODEL,
    )
    yield opened
    opened.close()


def stored(project, document_id):
    doc = documents.load_document(project, document_id)
    text = doc.document.text
    return sorted((s.start, text[s.start : s.end], s.label) for s in doc.spans
                  if s.layer == Layer.ENTITY and s.state != State.REJECTED)


def mention_labels(project, document_id, text):
    """The label on each whole-word mention (None where there is none)."""
    by_place = {(start, start + len(words)): label for start, words, label in stored(project, document_id)}
    return [by_place.get(place) for place in places(text)]


def undo(qtbot, window):
    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier)


def answer_question(qtbot, safety_net, button, seen):
    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()

    safety_net(5000, lambda: QApplication.activeModalWidget() and QApplication.activeModalWidget().reject())
    QTimer.singleShot(0, answer)


def label_all_in_project(qtbot, window):
    """Ctrl+Alt+Shift+M; once the question has closed the window is active again, as on a desktop."""
    qtbot.keyClick(window.article.editor, Key.Key_M, CTRL_ALT | Mod.ShiftModifier)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_label_all_in_the_article_is_one_step_saved_and_undone_at_once(window, project, qtbot):
    editor = window.article.editor
    qtbot.keyClick(editor, Key.Key_Tab)  # the first mention's suggestion becomes current
    assert window.session.current_span().label == "GPE"
    steps = window.session.undo_stack.count()
    qtbot.keyClick(editor, Key.Key_M, CTRL_ALT)

    # Every whole mention is GPE; the one inside the suggested Republic is left alone.
    assert mention_labels(project, 1, FIRST) == ["GPE", "GPE", None, "GPE"]
    assert (places(FIRST)[2][0], f"{WORDS} Republic", "ORG") in stored(project, 1)
    assert {s.state for s in documents.load_document(project, 1).spans if s.label == "GPE"} <= {
        State.ACCEPTED, State.EDITED
    }
    assert window.session.undo_stack.count() == steps + 1
    assert window.session.current_span().start == places(FIRST)[0][0]  # the analyst stays where they were
    assert mention_labels(project, 2, SECOND) == ["PERSON", None, None]  # the other article untouched
    shown = {(s.start, s.label) for s in window.article.spans.values() if s.layer == Layer.ENTITY}
    assert (places(FIRST)[3][0], "GPE") in shown
    assert "Label 3 mentions" in window.statusBar().currentMessage()

    undo(qtbot, window)
    assert mention_labels(project, 1, FIRST) == ["GPE", "ORG", None, None]
    assert {s.state for s in documents.load_document(project, 1).spans} == {State.SUGGESTED}


def test_label_all_in_the_project_asks_then_changes_every_article_and_one_undo_reverts_all(
    window, project, qtbot, safety_net
):
    editor = window.article.editor
    qtbot.keyClick(editor, Key.Key_Tab)
    seen = []
    answer_question(qtbot, safety_net, QMessageBox.StandardButton.Ok, seen)
    label_all_in_project(qtbot, window)

    assert seen and "Label 5 mentions of “Nagorno-Karabakh” as GPE in 2 articles (3 in this one)?" in seen[0]
    assert mention_labels(project, 1, FIRST) == ["GPE", "GPE", None, "GPE"]
    assert mention_labels(project, 2, SECOND) == ["GPE", None, "GPE"]  # not inside Nagorno-Karabakhian
    assert stored(project, 3) == []
    assert window.documents.current_id() == 1  # still on the article the analyst was in
    row = window.documents.model.row_of(2)
    assert window.documents.model.summary(row).status == Status.IN_PROGRESS  # the list shows the other one

    undo(qtbot, window)
    assert mention_labels(project, 1, FIRST) == ["GPE", "ORG", None, None]
    assert mention_labels(project, 2, SECOND) == ["PERSON", None, None]
    assert window.documents.current_id() == 1

    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)  # redo: all again
    assert mention_labels(project, 2, SECOND) == ["GPE", None, "GPE"]


def test_undo_of_the_project_step_from_an_untouched_article_opens_one_at_the_change(
    window, project, qtbot, safety_net
):
    qtbot.keyClick(window.article.editor, Key.Key_Tab)
    answer_question(qtbot, safety_net, QMessageBox.StandardButton.Ok, [])
    label_all_in_project(qtbot, window)
    window.documents.select(3)  # an article the step did not touch
    assert window.session.document_id == 3
    undo(qtbot, window)
    assert window.session.document_id == 1
    assert mention_labels(project, 2, SECOND) == ["PERSON", None, None]
    assert window.session.current_span() is not None and window.session.current_span().start == places(FIRST)[0][0]


def test_cancelling_the_question_changes_nothing(window, project, qtbot, safety_net):
    qtbot.keyClick(window.article.editor, Key.Key_Tab)
    steps = window.session.undo_stack.count()
    seen = []
    answer_question(qtbot, safety_net, QMessageBox.StandardButton.Cancel, seen)
    label_all_in_project(qtbot, window)
    assert seen
    assert mention_labels(project, 2, SECOND) == ["PERSON", None, None]
    assert mention_labels(project, 1, FIRST) == ["GPE", "ORG", None, None]
    assert window.session.undo_stack.count() == steps


def test_without_a_current_entity_it_says_what_to_do(window, qtbot):
    qtbot.keyClick(window.article.editor, Key.Key_M, CTRL_ALT)
    assert "Choose an entity first" in window.statusBar().currentMessage()
