"""Issue 15, from the keyboard: the filter box leads on to the list, a choice box's ↓ ↓ ↓ is one undo step
and Alt+↓ opens it, a cue far from its statement asks first, and any words of the text can be the speaker.

Driven through the real main window on a real SQLite project, checking what the analyst notices."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import Document, Layer, Span, State
from annotator.core.vocabulary import KIND, SPEAKER, SPEAKER_LABEL
from annotator.services import documents, projects
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions

Key, Mod = Qt.Key, Qt.KeyboardModifier

TEXT = (
    "Elena Varga said the bridge opens in May. Officials agreed. Traffic was light on Monday.\n"
    "The council met again. The mayor's press service said the works will cost more. "
    "Prices rose, the report said."
)
STATEMENT = "the bridge opens in May"


def at(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "keys.annotator.sqlite"))
    talks, _bridge, _zebra = add_documents(
        opened,
        [
            Document(TEXT, title="Talks"),
            Document("The bridge in Riverton opened.", title="Bridge"),
            Document("A zebra escaped from the zoo.", title="Zebra on the loose"),
        ],
    ).added
    spans = [
        Span(*at("Elena Varga"), "PERSON", origin="ana"),
        Span(*at(STATEMENT), "STATEMENT", Layer.STATEMENT, origin="ana"),
        Span(*at("Prices rose"), "CLAIM", Layer.CLAIM, origin="ana"),
    ]
    save_suggestions(opened, [(talks.id, spans)], "ana")
    yield opened
    opened.close()


@pytest.fixture
def window(show_window, project):
    made = show_window(project, annotator="ana")
    made.documents.select(1)
    made.article.editor.setFocus()
    return made


def stored(project, words: str, layer=Layer.STATEMENT) -> Span:
    document = documents.load_document(project, 1)
    return next(s for s in document.spans if s.layer == layer and TEXT[s.start : s.end] == words)


def statement_of(window) -> Span:
    return next(s for s in window.session.annotations.visible(Layer.STATEMENT))


def choose_statement(window, qtbot) -> Span:
    statement = statement_of(window)
    window.session.go_to(statement.uid)
    window.article.editor.setFocus()
    qtbot.waitUntil(window.article.editor.hasFocus)
    return statement


def select(qtbot, window, start: int, end: int) -> None:
    offsets = window.article.offsets
    cursor = window.article.editor.textCursor()
    cursor.setPosition(offsets.to_utf16(start))
    cursor.setPosition(offsets.to_utf16(end), cursor.MoveMode.KeepAnchor)
    window.article.editor.setTextCursor(cursor)


def answer_box(qtbot, button, seen: list) -> None:
    """Answer the next message box (recording its text) once it shows; never leave it waiting."""
    tries = []

    def answer():
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            tries.append(1)
            if len(tries) < 100:  # two seconds, then no more looking (it would answer a later test's box)
                QTimer.singleShot(20, answer)
            return
        seen.append((box.text(), box.textFormat()))
        box.button(button).click()

    QTimer.singleShot(0, answer)


# --- 5: Ctrl+L, then ↓ and Enter -------------------------------------------------------------------------


def test_after_ctrl_l_down_goes_to_the_first_match_and_on_and_enter_goes_to_its_text(window, qtbot):
    qtbot.keyClick(window, Key.Key_L, Mod.ControlModifier)
    qtbot.waitUntil(window.documents.filter.hasFocus)
    qtbot.keyClicks(window.documents.filter, "the")  # in all three; "Talks" is open and first
    qtbot.keyClick(window.documents.filter, Key.Key_Down)
    assert window.documents.table.hasFocus()
    assert window.documents.current_id() == 2  # the one after the open article
    assert window.article.title.text() == "Bridge"

    qtbot.keyClick(window, Key.Key_L, Mod.ControlModifier)
    window.documents.filter.clear()
    qtbot.keyClicks(window.documents.filter, "zebra")  # the open article is no match
    qtbot.keyClick(window.documents.filter, Key.Key_Down)
    assert window.documents.current_id() == 3
    assert window.article.title.text() == "Zebra on the loose"


def test_after_ctrl_l_enter_opens_the_first_match_and_goes_to_its_text(window, qtbot):
    qtbot.keyClick(window, Key.Key_L, Mod.ControlModifier)
    qtbot.waitUntil(window.documents.filter.hasFocus)
    qtbot.keyClicks(window.documents.filter, "riverton")
    qtbot.keyClick(window.documents.filter, Key.Key_Return)
    assert window.documents.current_id() == 2
    assert window.article.title.text() == "Bridge"
    qtbot.waitUntil(window.article.editor.hasFocus)
    # Enter on a match that is open already: to its text too.
    qtbot.keyClick(window, Key.Key_L, Mod.ControlModifier)
    qtbot.waitUntil(window.documents.filter.hasFocus)
    qtbot.keyClick(window.documents.filter, Key.Key_Return)
    assert window.documents.current_id() == 2
    qtbot.waitUntil(window.article.editor.hasFocus)


# --- 6: choice boxes ---------------------------------------------------------------------------------------


def test_three_downs_in_the_kind_box_are_saved_at_once_and_undone_as_one_step(window, project, qtbot):
    statement = choose_statement(window, qtbot)
    kind = window.panel.kind
    kind.setFocus()
    qtbot.waitUntil(kind.hasFocus)
    before = window.session.undo_stack.count()
    for _ in range(3):
        qtbot.keyClick(kind, Key.Key_Down)
    assert kind.currentText() == "paraphrase"
    assert stored(project, STATEMENT).attributes[KIND] == "paraphrase"  # saved at once
    assert window.session.undo_stack.count() == before + 1  # one choice, one step
    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier)
    assert KIND not in stored(project, STATEMENT).attributes
    assert KIND not in window.session.annotations.spans[statement.uid].attributes
    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert stored(project, STATEMENT).attributes[KIND] == "paraphrase"

    # Leaving the box ends the choice: coming back and choosing again is a step of its own.
    window.article.editor.setFocus()
    qtbot.waitUntil(window.article.editor.hasFocus)
    kind.setFocus()
    qtbot.waitUntil(kind.hasFocus)
    qtbot.keyClick(kind, Key.Key_Up)
    assert window.session.undo_stack.count() == before + 2
    assert stored(project, STATEMENT).attributes[KIND] == "indirect"


def test_three_downs_in_the_check_worthiness_box_are_one_step(window, project, qtbot):
    claim = window.session.annotations.visible(Layer.CLAIM)[0]
    window.session.go_to(claim.uid)
    box = window.panel.checkworthiness
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    before = window.session.undo_stack.count()
    for _ in range(3):
        qtbot.keyClick(box, Key.Key_Down)
    assert window.session.undo_stack.count() == before + 1
    assert stored(project, "Prices rose", Layer.CLAIM).attributes["checkworthiness"] == box.itemText(3)


def test_alt_down_opens_a_choice_box_and_still_goes_to_the_next_document_elsewhere(window, qtbot):
    choose_statement(window, qtbot)
    kind = window.panel.kind
    kind.setFocus()
    qtbot.waitUntil(kind.hasFocus)
    qtbot.keyClick(kind, Key.Key_Down, Mod.AltModifier)
    qtbot.waitUntil(kind.view().isVisible)
    assert window.documents.current_id() == 1  # not the next document
    kind.hidePopup()
    qtbot.waitUntil(lambda: not kind.view().isVisible())
    window.activateWindow()
    window.article.editor.setFocus()
    qtbot.waitUntil(window.article.editor.hasFocus)
    qtbot.keyClick(window.article.editor, Key.Key_Down, Mod.AltModifier)
    assert window.documents.current_id() == 2
    assert window.article.title.text() == "Bridge"


# --- 8: a cue far from its statement -----------------------------------------------------------------------


def test_a_cue_paragraphs_away_asks_first_and_no_leaves_the_statement_as_it_was(window, project, qtbot):
    choose_statement(window, qtbot)
    steps = window.session.undo_stack.count()
    seen = []
    answer_box(qtbot, QMessageBox.StandardButton.No, seen)
    select(qtbot, window, *at("said", 2))  # "the report said", five sentences on
    qtbot.keyClick(window.article.editor, Key.Key_U)
    [(question, text_format)] = seen
    assert question.startswith(f"The cue “said” is 5 sentences after the statement “{STATEMENT}” (")
    assert f"({at('said', 2)[0] - at(STATEMENT)[1]:,} characters away)" in question
    assert question.endswith("Set it as the statement's cue anyway?")
    assert text_format == Qt.TextFormat.PlainText
    assert "cue" not in stored(project, STATEMENT).attributes  # unchanged
    assert window.session.undo_stack.count() == steps

    window.activateWindow()  # what the desktop does when the box closes; the offscreen platform does not
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(window.article.editor.hasFocus)
    answer_box(qtbot, QMessageBox.StandardButton.Yes, seen)
    select(qtbot, window, *at("said", 2))
    qtbot.keyClick(window.article.editor, Key.Key_U)
    assert len(seen) == 2
    assert stored(project, STATEMENT).attributes["cue"] == list(at("said", 2))
    assert window.session.undo_stack.count() == steps + 1


def test_a_cue_in_the_statements_sentence_or_the_next_is_taken_without_a_question(
    window, project, qtbot, monkeypatch
):
    choose_statement(window, qtbot)
    boxes = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or QMessageBox.StandardButton.No)
    select(qtbot, window, *at("said"))  # "Elena Varga said the bridge…"
    qtbot.keyClick(window.article.editor, Key.Key_U)
    assert stored(project, STATEMENT).attributes["cue"] == list(at("said"))
    select(qtbot, window, *at("agreed"))  # the next sentence
    qtbot.keyClick(window.article.editor, Key.Key_U)
    assert stored(project, STATEMENT).attributes["cue"] == list(at("agreed"))
    assert not boxes


# --- 9: any words of the text as the speaker ----------------------------------------------------------------


def speaker_of(project, words: str = STATEMENT) -> Span | None:
    document = documents.load_document(project, 1)
    statement = next(s for s in document.spans if s.layer == Layer.STATEMENT and TEXT[s.start : s.end] == words)
    link = next((r for r in document.relations if r.head == statement.uid and r.label == SPEAKER), None)
    return None if link is None else next(s for s in document.spans if s.uid == link.tail)


def test_p_on_selected_words_makes_them_the_speaker_a_span_of_its_own_in_one_step(window, project, qtbot):
    choose_statement(window, qtbot)
    steps = window.session.undo_stack.count()
    select(qtbot, window, at("press service")[0] + 2, at("press service")[1] - 2)  # snaps to the words
    qtbot.keyClick(window.article.editor, Key.Key_P)
    speaker = speaker_of(project)
    assert (speaker.start, speaker.end) == at("press service")
    assert TEXT[speaker.start : speaker.end] == "press service"
    assert speaker.label == SPEAKER_LABEL and speaker.layer == Layer.ENTITY and speaker.state == State.ACCEPTED
    assert window.session.undo_stack.count() == steps + 1
    assert window.panel.items.item(0).text().startswith("💬 press service (kind?)")
    assert QApplication.activeModalWidget() is None  # no dialog: the selection said it all

    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier)  # the span goes with the link
    assert speaker_of(project) is None
    assert not [s for s in documents.load_document(project, 1).spans if s.label == SPEAKER_LABEL]
    qtbot.keyClick(window, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert TEXT[speaker_of(project).start : speaker_of(project).end] == "press service"


def test_p_on_an_entitys_words_links_the_entity(window, project, qtbot):
    choose_statement(window, qtbot)
    select(qtbot, window, *at("Elena Varga"))
    qtbot.keyClick(window.article.editor, Key.Key_P)
    speaker = speaker_of(project)
    assert speaker.label == "PERSON" and (speaker.start, speaker.end) == at("Elena Varga")
    assert not [s for s in documents.load_document(project, 1).spans if s.label == SPEAKER_LABEL]


def test_typing_words_of_the_text_in_the_speaker_picker_offers_where_they_are(
    window, project, qtbot, choose_speaker
):
    choose_statement(window, qtbot)
    offered = choose_speaker(window, "press service")
    assert offered[0] == "press service   (in the text, 4 sentences after the statement)"
    assert offered[-1] == "“press service” as free text, no offsets"
    assert not any(row.startswith("Not in the text") for row in offered)
    speaker = speaker_of(project)
    assert (speaker.start, speaker.end) == at("press service") and speaker.label == SPEAKER_LABEL
