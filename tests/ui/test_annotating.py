"""The analyst's day, driven through the real main window by keyboard and mouse.

Each flow checks what the analyst would notice: what the text shows, what the side panel says, and
what is in the project file (read back through the service, as a reopened window would).
Set ANNOTATOR_SCREENSHOTS=DIR to keep a screenshot of each state.
"""

import os
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.core.model import Document, Layer, Span, State, Status
from annotator.services import documents, projects
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions
from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow

TEXT = (
    "Sergey Lavrov said on Tuesday that “talks will go on 😀 until 2027.” "
    "The ministry’s press service added that wheat prices rose 12% in Moscow."
)
SECOND = Document("Elena Varga opened the bridge in Riverton.", title="Bridge", date="2026-03-03")
MODEL = "en_test@1"
Key, Mod = Qt.Key, Qt.KeyboardModifier


def at(word: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "day.annotator.sqlite"))
    first, _ = add_documents(opened, [Document(TEXT, title="Talks", date="2026-11-24"), SECOND]).added
    suggestions = [Span(*at(w), label, origin=MODEL, state=State.SUGGESTED) for w, label in
                   (("Lavrov", "PERSON"), ("2027", "DATE"), ("12%", "PERCENT"), ("Moscow", "GPE"))]
    save_suggestions(opened, [(first.id, suggestions)], MODEL)
    yield opened
    opened.close()


@pytest.fixture
def shoot(window, request):
    folder = os.environ.get("ANNOTATOR_SCREENSHOTS")

    def shoot(name: str) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            window.grab().save(str(Path(folder) / f"{request.node.name}-{name}.png"))

    return shoot


def stored(project, document_id=1):
    """The document as the database has it (what a reopened window would show)."""
    return documents.load_document(project, document_id)


def stored_spans(project, layer=Layer.ENTITY, document_id=1):
    return {TEXT[s.start : s.end]: s for s in stored(project, document_id).spans if s.layer == layer}


def key(qtbot, window, k, modifier=Mod.NoModifier):
    qtbot.keyClick(window.article.editor, k, modifier)


def select_by_keyboard(qtbot, window, words: str) -> None:
    """Put the cursor before the words (as a click would), then Shift+Right over them."""
    start, end = at(words)
    offsets = window.article.offsets
    cursor = window.article.editor.textCursor()
    cursor.setPosition(offsets.to_utf16(start))
    window.article.editor.setTextCursor(cursor)
    for _ in range(offsets.to_utf16(end) - offsets.to_utf16(start)):
        key(qtbot, window, Key.Key_Right, Mod.ShiftModifier)


def point_of(window, index: int, right: bool = False) -> QPoint:
    cursor = QTextCursor(window.article.editor.document())
    cursor.setPosition(window.article.offsets.to_utf16(index))
    rect = window.article.editor.cursorRect(cursor)
    return QPoint(rect.x() + (-1 if right else 1), rect.center().y())


def undo(qtbot, window):
    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier)


def redo(qtbot, window):
    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)


def shown_labels(window) -> dict[str, str]:
    return {TEXT[s.start : s.end]: s.label for s in window.article.spans.values() if s.layer == Layer.ENTITY}


def test_tag_an_entity_from_the_keyboard_snaps_to_the_word_and_undoes(window, project, qtbot, shoot):
    select_by_keyboard(qtbot, window, "Tues")  # half a word: the label goes to all of it
    key(qtbot, window, Key.Key_6)  # 6 is DATE in the news schema
    assert stored_spans(project)["Tuesday"].label == "DATE"
    assert stored_spans(project)["Tuesday"].state == State.ACCEPTED
    assert stored_spans(project)["Tuesday"].origin == "ana"
    assert shown_labels(window)["Tuesday"] == "DATE"
    assert window.panel.heading.text() == "DATE: “Tuesday”"
    assert window.documents.model.summary(0).status == Status.IN_PROGRESS  # the first action starts the document
    assert window.article.subtitle.text() == "2026-11-24 · in progress"
    shoot("tagged")
    undo(qtbot, window)
    assert "Tuesday" not in stored_spans(project) and "Tuesday" not in shown_labels(window)
    assert window.documents.model.summary(0).status == Status.NEW
    redo(qtbot, window)
    assert stored_spans(project)["Tuesday"].label == "DATE" and shown_labels(window)["Tuesday"] == "DATE"


def test_alt_and_a_number_keeps_the_exact_characters(window, project, qtbot):
    select_by_keyboard(qtbot, window, "Tues")
    key(qtbot, window, Key.Key_6, Mod.AltModifier)
    assert stored_spans(project)["Tues"].label == "DATE"


def test_tag_with_the_mouse_and_the_label_panel(window, project, qtbot):
    start, end = at("wheat prices")
    viewport = window.article.editor.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point_of(window, start))
    qtbot.mouseMove(viewport, point_of(window, end - 2))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point_of(window, end - 2))
    assert window.article.editor.textCursor().hasSelection()
    product = next(window.panel.labels.item(i) for i in range(window.panel.labels.count())
                   if window.panel.labels.item(i).text().endswith("PRODUCT"))
    rect = window.panel.labels.visualItemRect(product)
    window.panel.labels.scrollToItem(product)
    rect = window.panel.labels.visualItemRect(product)
    qtbot.mouseClick(window.panel.labels.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert stored_spans(project)["wheat prices"].label == "PRODUCT"  # the drag's last letters snapped back in


def test_fix_a_suggestions_boundary_then_undo(window, project, qtbot, shoot):
    key(qtbot, window, Key.Key_Tab)  # the first annotation: the suggestion on "Lavrov"
    assert window.session.current_span().label == "PERSON"
    key(qtbot, window, Key.Key_Left, Mod.AltModifier)  # its start one token left: "Sergey Lavrov"
    fixed = stored_spans(project)["Sergey Lavrov"]
    assert (fixed.state, fixed.origin, fixed.annotator) == (State.EDITED, MODEL, "ana")
    assert "Lavrov" not in stored_spans(project)
    assert window.panel.provenance.text() == f"Made by {MODEL}, edited by ana."
    shoot("boundary-moved")
    key(qtbot, window, Key.Key_Right, Mod.AltModifier | Mod.ShiftModifier)  # end one token right: "... said"
    assert "Sergey Lavrov said" in stored_spans(project)
    undo(qtbot, window)
    undo(qtbot, window)
    back = stored_spans(project)["Lavrov"]
    assert (back.state, back.annotator) == (State.SUGGESTED, None)
    assert shown_labels(window)["Lavrov"] == "PERSON"


def test_reject_one_suggestion_then_accept_all_the_others(window, project, qtbot, shoot):
    for _ in range(4):  # Lavrov, 2027, 12%, Moscow
        key(qtbot, window, Key.Key_Tab)
    assert TEXT[window.session.current_span().start : window.session.current_span().end] == "Moscow"
    key(qtbot, window, Key.Key_X)
    assert stored_spans(project)["Moscow"].state == State.REJECTED  # kept, so it is not suggested again
    assert "Moscow" not in shown_labels(window)
    key(qtbot, window, Key.Key_A, Mod.ShiftModifier)
    states = {words: span.state for words, span in stored_spans(project).items()}
    assert states == {"Lavrov": State.ACCEPTED, "2027": State.ACCEPTED, "12%": State.ACCEPTED, "Moscow": State.REJECTED}
    assert "to review" not in window.article.legend.text()
    shoot("accepted-all")
    undo(qtbot, window)
    assert {w: s.state for w, s in stored_spans(project).items()}["2027"] == State.SUGGESTED
    undo(qtbot, window)
    assert stored_spans(project)["Moscow"].state == State.SUGGESTED and shown_labels(window)["Moscow"] == "GPE"


def test_each_step_says_it_is_saved_and_undo_says_what_it_undid(window, qtbot):
    key(qtbot, window, Key.Key_Tab)
    key(qtbot, window, Key.Key_X)
    assert window.statusBar().currentMessage() == "Saved: Reject PERSON “Lavrov”"
    undo(qtbot, window)
    assert window.statusBar().currentMessage() == "Undone: Reject PERSON “Lavrov”"
    redo(qtbot, window)
    assert window.statusBar().currentMessage() == "Redone: Reject PERSON “Lavrov”"


def test_going_through_suggestions_with_x_and_a_moves_on_after_each(window, project, qtbot):
    """Rejecting moves on to the next annotation, as accepting does: a document's suggestions are
    reviewed with a run of single keys."""

    def current_words():
        span = window.session.current_span()
        return None if span is None else TEXT[span.start : span.end]

    key(qtbot, window, Key.Key_Tab)
    assert current_words() == "Lavrov"
    key(qtbot, window, Key.Key_X)
    assert current_words() == "2027"
    key(qtbot, window, Key.Key_A)
    assert current_words() == "12%"
    key(qtbot, window, Key.Key_X)
    assert current_words() == "Moscow"
    states = {words: span.state for words, span in stored_spans(project).items()}
    assert states == {
        "Lavrov": State.REJECTED,
        "2027": State.ACCEPTED,
        "12%": State.REJECTED,
        "Moscow": State.SUGGESTED,
    }
    key(qtbot, window, Key.Key_X)  # the last one: nothing after it is chosen
    assert current_words() is None and stored_spans(project)["Moscow"].state == State.REJECTED


def test_statement_with_a_speaker_in_the_text_and_its_cue(window, project, qtbot, choose_speaker, shoot):
    quote = "“talks will go on 😀 until 2027.”"
    select_by_keyboard(qtbot, window, quote)
    key(qtbot, window, Key.Key_S)
    statement = stored_spans(project, Layer.STATEMENT)[quote]
    assert statement.attributes["kind"] == "direct"  # it opens with a quotation mark

    choose_speaker(window, "lav")  # the speaker dialog, typed into as the analyst would
    select_by_keyboard(qtbot, window, "said")
    key(qtbot, window, Key.Key_U)
    record = _export_record(window, project, qtbot)
    [exported] = record["statements"]
    assert exported["speaker"] == {"id": stored_spans(project)["Lavrov"].uid, "text": "Lavrov"}
    assert exported["cue"] == {"start": at("said")[0], "end": at("said")[1], "text": "said"}
    assert exported["kind"] == "direct" and exported["text"] == quote
    assert window.panel.items.item(0).text() == f"💬 Lavrov (direct): {quote}"  # its own quotation marks, once
    assert window.panel.speaker.currentText() == "Lavrov (PERSON)"
    shoot("statement")
    undo(qtbot, window)  # the cue
    undo(qtbot, window)  # the speaker
    assert _export_record(window, project, qtbot)["statements"][0]["speaker"] is None
    redo(qtbot, window)
    assert _export_record(window, project, qtbot)["statements"][0]["speaker"]["text"] == "Lavrov"


def test_statement_by_a_speaker_not_in_the_text(window, project, qtbot, choose_speaker):
    words = "wheat prices rose 12% in Moscow"
    select_by_keyboard(qtbot, window, words)
    key(qtbot, window, Key.Key_S)

    offered = choose_speaker(window, "the ministry's press service")
    assert offered == ["Not in the text: “the ministry's press service”"]
    assert window.panel.items.item(0).text() == f"💬 the ministry's press service (kind?): “{words}”"
    statement = stored_spans(project, Layer.STATEMENT)[words]
    assert statement.attributes["speaker_text"] == "the ministry's press service"
    assert _export_record(window, project, qtbot)["statements"][0]["speaker"] == {
        "id": None, "text": "the ministry's press service"
    }
    undo(qtbot, window)
    assert "speaker_text" not in stored_spans(project, Layer.STATEMENT)[words].attributes


def test_claim_with_its_attributes_set_from_the_keyboard(window, project, qtbot, shoot):
    select_by_keyboard(qtbot, window, "wheat prices rose 12% in Moscow")
    key(qtbot, window, Key.Key_S)
    select_by_keyboard(qtbot, window, "wheat prices rose 12%")
    key(qtbot, window, Key.Key_C)
    claim = stored_spans(project, Layer.CLAIM)["wheat prices rose 12%"]
    key(qtbot, window, Key.Key_E)  # into the fields
    box = window.panel.checkworthiness
    assert box.hasFocus()
    qtbot.keyClick(box, Key.Key_Down)  # — → check-worthy factual
    qtbot.keyClick(box, Key.Key_Tab)
    assert window.panel.claim_type.hasFocus()
    qtbot.keyClick(window.panel.claim_type, Key.Key_Down)  # — → numerical
    qtbot.keyClick(window.panel.claim_type, Key.Key_Tab)
    qtbot.keyClick(window.panel.statement, Key.Key_Tab)
    qtbot.keyClicks(window.panel.note, "ministry figure; check against the statistics office")
    qtbot.keyClick(window.panel.note, Key.Key_Return)
    qtbot.keyClick(window.panel.note, Key.Key_Escape)
    assert window.article.editor.hasFocus()
    claim = stored_spans(project, Layer.CLAIM)["wheat prices rose 12%"]
    assert claim.attributes == {
        "checkworthiness": "check-worthy factual",
        "claim_type": "numerical",
        "note": "ministry figure; check against the statistics office",
    }
    [exported] = _export_record(window, project, qtbot)["claims"]
    statement_uid = stored_spans(project, Layer.STATEMENT)["wheat prices rose 12% in Moscow"].uid
    assert exported["statement"] == statement_uid  # a claim inside a statement belongs to it
    assert (exported["checkworthiness"], exported["claim_type"]) == ("check-worthy factual", "numerical")
    shoot("claim")
    undo(qtbot, window)  # the note
    undo(qtbot, window)  # the type
    assert stored_spans(project, Layer.CLAIM)["wheat prices rose 12%"].attributes == {
        "checkworthiness": "check-worthy factual"
    }
    redo(qtbot, window)
    assert stored_spans(project, Layer.CLAIM)["wheat prices rose 12%"].attributes["claim_type"] == "numerical"


def test_done_and_next_then_the_status_filter(window, project, qtbot):
    qtbot.keyClick(window.article.editor, Key.Key_Return, Mod.ControlModifier)
    assert window.article.title.text() == "Bridge"
    assert window.statusBar().currentMessage().startswith("Marked done with 4 suggestions not reviewed")
    assert documents.list_documents(project, "ana")[0].status == Status.DONE
    assert documents.list_documents(project, "someone else")[0].status == Status.NEW  # statuses are per annotator
    window.documents.status_filter.setCurrentIndex(window.documents.status_filter.findText("Done"))
    proxy = window.documents.proxy
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Talks"]
    undo(qtbot, window)  # back to the first article, status undone
    assert window.article.title.text() == "Talks"
    assert documents.list_documents(project, "ana")[0].status == Status.NEW


def test_everything_is_still_there_after_closing_and_reopening(window, project, qtbot, choose_speaker):
    select_by_keyboard(qtbot, window, "Tuesday")
    key(qtbot, window, Key.Key_6)
    select_by_keyboard(qtbot, window, "“talks will go on 😀 until 2027.”")
    key(qtbot, window, Key.Key_S)
    choose_speaker(window, "lavrov")
    window.close()
    path = project.path
    project.close()

    again = projects.open_location(str(path))
    try:
        reopened = MainWindow(again, app_settings())
        qtbot.addWidget(reopened)
        assert reopened.article.title.text() == "Talks"
        spans = {(TEXT[s.start:s.end], s.label) for s in reopened.article.spans.values()}
        assert ("Tuesday", "DATE") in spans and ("“talks will go on 😀 until 2027.”", "STATEMENT") in spans
        statement = next(s for s in reopened.session.annotations.visible(Layer.STATEMENT))
        assert reopened.session.annotations.speaker_words(statement) == "Lavrov"
        reopened.close()
    finally:
        again.close()


def test_the_cheat_sheet_lists_every_annotation_key(window, qtbot, monkeypatch):
    from annotator.ui.cheat_sheet import CheatSheet

    shown = {}
    monkeypatch.setattr(CheatSheet, "exec", lambda sheet: shown.setdefault("text", sheet.browser.toPlainText()))
    qtbot.keyClick(window, Key.Key_F1)
    for expected in ("Mark Statement", "Accept All Suggestions in Document", "Done and Next", "Undo", "Start One Token Left"):
        assert expected in shown["text"]
    assert "PERSON" in shown["text"] and "Ctrl+Return" in shown["text"]


def test_letter_keys_do_not_fire_while_typing_in_the_filter(window, project, qtbot):
    qtbot.keyClicks(window.documents.filter, "sa")
    assert window.documents.filter.text() == "sa"
    assert stored_spans(project, Layer.STATEMENT) == {}


def _export_record(window, project, qtbot):
    target = Path(project.path).with_name("out.jsonl")
    if target.exists():
        target.unlink()
    window.export_to(str(target))
    qtbot.waitUntil(target.exists, timeout=10_000)
    window.workers.wait()
    QApplication.processEvents()
    return orjson.loads(target.read_bytes().splitlines()[0])


def test_right_click_offers_the_labels_and_the_actions_for_what_is_under_the_mouse(window, project, qtbot):
    start, _ = at("Moscow")
    window.article.editor.customContextMenuRequested.emit(point_of(window, start + 2))  # what a right-click sends
    menu = window.text_menu
    qtbot.waitUntil(menu.isVisible)
    entries = [a.text().replace("&", "") for a in menu.actions()]
    assert "Relabel As" in entries and "Accept Suggestion" in entries
    labels = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert [a.text() for a in labels.actions()][:3] == ["PERSON", "ORG", "GPE"]
    next(a for a in menu.actions() if a.text().replace("&", "") == "Reject or Delete").trigger()
    menu.close()
    assert stored_spans(project)["Moscow"].state == State.REJECTED

    select_by_keyboard(qtbot, window, "wheat")
    window.article.editor.customContextMenuRequested.emit(point_of(window, start + 2))
    menu = window.text_menu
    labels = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert labels.title() == "Label As"
    next(a for a in labels.actions() if a.text() == "PRODUCT").trigger()
    menu.close()
    assert stored_spans(project)["wheat"].label == "PRODUCT"
