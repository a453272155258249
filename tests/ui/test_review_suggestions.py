"""Reviewing suggested statements and claims in the real window: pale and dotted until accepted, A and X
(a statement with its speaker), the claims by score with N, Review Least Certain First, and the panel's
fields as the schema has them. Every answer is checked in the project file, read back as a reopened
window would."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget

from annotator.core.model import Document, Layer, State
from annotator.core.schema import LabelSchema
from annotator.core.suggestions import Attribution, Found, Suggesters
from annotator.services import documents, projects
from annotator.services.schema import change_schema
from annotator.store.documents import add_documents
from annotator.store.spans import save_found
from annotator.ui.review_queue import ReviewQueue

FIRST = ("Maria Lopez said: “Prices will fall next year.” The ministry spent 4 million on roads. "
         "Unemployment fell to 3%. It rained all week.")
SECOND = "The mayor claimed that the bridge will open in May."
HOSTILE = "<b>bold</b>"
THIRD = f"Dr {HOSTILE} said that {HOSTILE} wins the vote."
SUGGESTERS = Suggesters("en_test@1", "statement-rules@1", "claim-rules@1")
Key, Mod = Qt.Key, Qt.KeyboardModifier
Dotted, Solid = QTextCharFormat.UnderlineStyle.DotLine, QTextCharFormat.UnderlineStyle.SingleUnderline


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def found_in_first() -> Found:
    lopez = at(FIRST, "Maria Lopez")
    return Found(
        entities=[(*lopez, "PERSON")],
        attributions=[Attribution(at(FIRST, "“Prices will fall next year.”"), at(FIRST, "said"), lopez, lopez,
                                  "direct", 0.7)],
        claims=[(*at(FIRST, "The ministry spent 4 million on roads."), 0.84),
                (*at(FIRST, "Unemployment fell to 3%."), 0.95), (*at(FIRST, "It rained all week."), 0.3)],
    )


def found_in_second() -> Found:
    mayor = at(SECOND, "The mayor")  # no entity names him: a SPEAKER span of its own
    return Found(attributions=[Attribution(at(SECOND, "the bridge will open in May"), at(SECOND, "claimed"),
                                           mayor, mayor, "indirect", 0.52)])


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "review.annotator.sqlite"))
    first, second = add_documents(opened, [Document(FIRST, title="Prices"), Document(SECOND, title="Bridge")]).added
    save_found(opened, [(first.id, found_in_first()), (second.id, found_in_second())], SUGGESTERS, set(Layer),
               "en_test@1")
    yield opened
    opened.close()


def stored(project, layer, document_id=1, text=FIRST) -> dict[str, object]:
    """Words -> span, as the project file has them now (read through a second connection)."""
    again = projects.open_location(str(project.path))
    try:
        return {text[s.start : s.end]: s for s in documents.load_document(again, document_id).spans if s.layer == layer}
    finally:
        again.close()


def key(qtbot, window, k, modifier=Mod.NoModifier):
    qtbot.keyClick(window.article.editor, k, modifier)


def current_words(window) -> str | None:
    span = window.session.current_span()
    return None if span is None else window.session.annotations.text[span.start : span.end]


def format_at(window, index: int) -> QTextCharFormat:
    """The format the highlighter gives the character at ``index`` (a code point)."""
    position = window.article.offsets.to_utf16(index)
    block = window.article.editor.document().findBlock(position)
    for stretch in block.layout().formats():
        if stretch.start <= position - block.position() < stretch.start + stretch.length:
            return QTextCharFormat(stretch.format)  # a copy: the list it is in goes
    return QTextCharFormat()


def underline_at(window, index: int):
    return format_at(window, index).underlineStyle()


def tab_to(qtbot, window, words: str) -> None:
    for _ in range(12):
        key(qtbot, window, Key.Key_Tab)
        if current_words(window) == words:
            return
    raise AssertionError(f"Tab never reached {words!r}")


def test_a_suggested_statement_is_pale_until_a_accepts_it_with_its_speaker(window, project, qtbot):
    quote = "“Prices will fall next year.”"
    assert underline_at(window, at(FIRST, quote)[0] + 3) == Dotted
    assert underline_at(window, 2) == Dotted  # its speaker, Maria Lopez, suggested too
    tab_to(qtbot, window, quote)
    panel = window.panel
    assert panel.provenance.text() == "Suggested by statement-rules@1; not yet reviewed (A accepts, X rejects)."
    assert panel.details.text() == "said by Maria Lopez · cue “said” · direct · score 0.70"
    assert panel.speaker.currentText() == "Maria Lopez (PERSON)" and panel.cue.text() == "“said”"
    assert panel.kind.currentText() == "direct"

    key(qtbot, window, Key.Key_A)
    statement = stored(project, Layer.STATEMENT)[quote]
    speaker = stored(project, Layer.ENTITY)["Maria Lopez"]
    assert (statement.state, statement.origin, statement.annotator) == (State.ACCEPTED, "statement-rules@1", "ana")
    assert statement.attributes["cue"] == list(at(FIRST, "said"))  # its cue comes with it
    assert speaker.state == State.ACCEPTED  # accepted together with its statement
    assert underline_at(window, at(FIRST, quote)[0] + 3) == Solid
    assert window.article.spans[speaker.uid].state == State.ACCEPTED  # drawn solid: no dotted line under it
    assert underline_at(window, 2) == QTextCharFormat.UnderlineStyle.NoUnderline


def test_x_rejects_a_suggested_statement_and_it_stays_rejected_in_the_project(window, project, qtbot):
    window.documents.select(2)
    qtbot.waitUntil(lambda: window.article.title.text() == "Bridge")
    window.article.editor.setFocus()
    tab_to(qtbot, window, "the bridge will open in May")
    key(qtbot, window, Key.Key_X)
    statement = stored(project, Layer.STATEMENT, 2, SECOND)["the bridge will open in May"]
    assert statement.state == State.REJECTED  # kept, so the rules never suggest it again
    assert stored(project, Layer.ENTITY, 2, SECOND)["The mayor"].state == State.REJECTED  # made for it alone
    assert window.session.annotations.visible(Layer.STATEMENT) == []


def test_claims_are_listed_by_score_and_n_walks_them_from_the_highest(window, project, qtbot):
    rows = [window.panel.items.item(i).text() for i in range(window.panel.items.count())]
    assert rows[0].startswith("💬 Maria Lopez (direct)")  # statements first, in reading order
    assert [row[:6] for row in rows[1:]] == ["◆ 0.95", "◆ 0.84", "◆ 0.30"]
    claim = at(FIRST, "Unemployment fell to 3%.")
    assert underline_at(window, claim[0] + 2) == Dotted
    assert format_at(window, claim[0] + 2).foreground().color().alpha() < 255  # its text paler

    key(qtbot, window, Key.Key_N)
    assert current_words(window) == "Unemployment fell to 3%."
    assert window.panel.details.text() == "check-worthiness 0.95 · check-worthy factual"
    assert window.panel.checkworthiness.currentText() == "check-worthy factual"
    key(qtbot, window, Key.Key_A)  # accepted, and on to the next by score (not the next in the text)
    assert current_words(window) == "The ministry spent 4 million on roads."
    key(qtbot, window, Key.Key_X)
    assert current_words(window) == "It rained all week."
    claims = stored(project, Layer.CLAIM)
    assert claims["Unemployment fell to 3%."].state == State.ACCEPTED
    assert claims["The ministry spent 4 million on roads."].state == State.REJECTED
    assert claims["It rained all week."].state == State.SUGGESTED
    assert underline_at(window, claim[0] + 2) == QTextCharFormat.UnderlineStyle.DashUnderline  # solid now
    assert format_at(window, claim[0] + 2).foreground().color().alpha() == 255
    key(qtbot, window, Key.Key_A)
    key(qtbot, window, Key.Key_N)
    assert window.statusBar().currentMessage() == "No unreviewed claims left in this article."


def test_shift_a_accepts_every_suggestion_of_every_layer(window, project, qtbot):
    key(qtbot, window, Key.Key_A, Mod.ShiftModifier)
    states = {layer: {s.state for s in stored(project, layer).values()} for layer in Layer}
    assert states == {layer: {State.ACCEPTED} for layer in Layer}


def test_the_menu_and_the_cheat_sheet_name_the_keys(window, qtbot, monkeypatch):
    from annotator.ui.cheat_sheet import CheatSheet
    from annotator.ui.menus import named_action

    assert named_action(window, "Next Unreviewed Claim by Score").shortcut().toString() == "N"
    assert named_action(window, "Review Least Certain First…").shortcut().toString() == "Ctrl+Shift+R"
    shown = {}
    monkeypatch.setattr(CheatSheet, "exec", lambda sheet: shown.setdefault("text", sheet.browser.toPlainText()))
    qtbot.keyClick(window, Key.Key_F1)
    assert "Next Unreviewed Claim by Score" in shown["text"] and "Review Least Certain First" in shown["text"]
    assert "Reviewing least certain first" in shown["text"]


def open_review(window, qtbot) -> ReviewQueue:
    qtbot.keyClick(window, Key.Key_R, Mod.ControlModifier | Mod.ShiftModifier)
    dialog = window.findChild(ReviewQueue)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.shown is not None)
    qtbot.waitUntil(dialog.isActiveWindow)  # its keys work while it is the active window, as any window's
    return dialog


def test_review_least_certain_first_answers_are_saved_at_once(window, project, qtbot):
    dialog = open_review(window, qtbot)
    assert dialog.title.text() == "Bridge"  # 0.52: the suggestion the model was least sure of
    assert dialog.facts.text() == "Statement · score 0.52 · speaker: The mayor · cue: claimed · indirect"
    assert "the bridge will open in May" in dialog.context.toPlainText()
    assert window.article.title.text() == "Bridge" and current_words(window) == "the bridge will open in May"

    qtbot.keyClick(dialog, Key.Key_A)
    second = stored(project, Layer.STATEMENT, 2, SECOND)["the bridge will open in May"]
    assert second.state == State.ACCEPTED
    assert stored(project, Layer.ENTITY, 2, SECOND)["The mayor"].state == State.ACCEPTED
    assert dialog.title.text() == "Prices" and dialog.facts.text().startswith("Statement · score 0.70")

    qtbot.keyClick(dialog, Key.Key_X)
    assert stored(project, Layer.STATEMENT)["“Prices will fall next year.”"].state == State.REJECTED
    assert dialog.facts.text() == "Claim · check-worthiness 0.30 · unimportant factual"  # as far from 0.5
    qtbot.keyClick(dialog, Key.Key_Right)  # skipped: left as it is
    assert dialog.facts.text().startswith("Claim · check-worthiness 0.84")
    assert stored(project, Layer.CLAIM)["It rained all week."].state == State.SUGGESTED
    assert window.session.undo_stack.count() == 2  # each answer is a step of the window's own history

    qtbot.keyClick(dialog, Key.Key_Z, Mod.ControlModifier)  # takes back the X and shows it again
    assert stored(project, Layer.STATEMENT)["“Prices will fall next year.”"].state == State.SUGGESTED
    assert dialog.facts.text().startswith("Statement · score 0.70")

    qtbot.keyClick(dialog, Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_the_review_ends_when_nothing_is_left(window, project, qtbot):
    key(qtbot, window, Key.Key_A, Mod.ShiftModifier)  # the first article: all accepted
    dialog = open_review(window, qtbot)
    qtbot.keyClick(dialog, Key.Key_A)  # the bridge, with its speaker
    assert dialog.shown is None
    assert dialog.title.text() == "No suggestions are left to review in this project."
    assert not dialog.accept_button.isEnabled()


@pytest.fixture
def hostile_project(tmp_path):
    opened = projects.open_location(str(tmp_path / "hostile.annotator.sqlite"))
    [doc] = add_documents(opened, [Document(THIRD, title=f"{HOSTILE} news")]).added
    speaker = at(THIRD, f"Dr {HOSTILE}")
    found = Found(entities=[(*speaker, "PERSON")],
                  attributions=[Attribution(at(THIRD, f"{HOSTILE} wins the vote"), at(THIRD, "said"), speaker,
                                            speaker, "indirect", 0.5)])
    save_found(opened, [(doc.id, found)], SUGGESTERS, set(Layer), "en_test@1")
    yield opened
    opened.close()


def labels_with(root: QWidget, words: str) -> list[QLabel]:
    return [w for w in root.findChildren(QLabel) if words in w.text()]


def test_document_text_shows_as_plain_text_in_the_panel_and_the_review(show_window, hostile_project, qtbot):
    window = show_window(hostile_project, annotator="ana")
    window.article.editor.setFocus()
    tab_to(qtbot, window, f"{HOSTILE} wins the vote")
    assert window.panel.details.text() == f"said by Dr {HOSTILE} · cue “said” · indirect · score 0.50"
    assert window.panel.items.item(0).text() == f"💬 Dr {HOSTILE} (indirect): “{HOSTILE} wins the vote”"
    dialog = open_review(window, qtbot)
    assert dialog.title.text() == f"{HOSTILE} news"
    assert f"speaker: Dr {HOSTILE}" in dialog.facts.text()
    assert f"{HOSTILE} wins the vote" in dialog.context.toPlainText()
    for root in (window.panel, dialog):
        shown = labels_with(root, HOSTILE)
        assert shown and all(label.textFormat() == Qt.TextFormat.PlainText for label in shown), root
    dialog.close()


def test_the_panels_fields_are_the_schemas_attributes(window, project, qtbot):
    schema = window.schema
    attributes = {**schema.attributes, "claim": {"checkworthiness": schema.attributes["claim"]["checkworthiness"],
                                                "stance": ["for", "against"]}}
    change_schema(project, LabelSchema(schema.labels, attributes, schema.nested_entities, schema.name,
                                       schema.label_sets), {})
    window.owner.labels_added()  # the schema changed outside the dialog: every subscriber shows it
    key(qtbot, window, Key.Key_N)  # a claim
    stance = window.panel.findChild(QComboBox, "stanceBox")
    assert stance is not None and stance.isVisible()
    assert window.panel.form.labelForField(stance).text() == "Stance"
    assert [stance.itemText(i) for i in range(stance.count())] == ["—", "for", "against"]
    assert window.panel.claim_type is None and window.panel.findChild(QComboBox, "claimTypeBox") is None
    assert window.panel.form.labelForField(window.panel.checkworthiness).text() == "Check-worthiness"

    key(qtbot, window, Key.Key_E)  # into the fields: check-worthiness, then stance
    assert window.panel.checkworthiness.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Key.Key_Tab)
    assert stance.hasFocus()
    qtbot.keyClick(stance, Key.Key_Down)
    qtbot.keyClick(stance, Key.Key_Down)
    assert stored(project, Layer.CLAIM)["Unemployment fell to 3%."].attributes["stance"] == "against"
    rows = [window.panel.items.item(i).text() for i in range(window.panel.items.count())]
    assert rows[1].startswith("◆ 0.95 Claim (check-worthy factual, against)")
