"""View ▸ Annotations in the real window (offscreen): whose spans are highlighted and listed, what the
status bar says, another annotator's work staying read-only, and a blind project's menu."""

from __future__ import annotations

import html
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu

from annotator.core.model import Layer, Span, State
from annotator.services import annotating, projects, visibility
from annotator.store.documents import document_ids
from annotator.store.spans import add_spans
from annotator.ui.application import app_settings
from annotator.ui.view_menu import view_key
from tests.services.test_visibility import TEXT, at, build

HOSTILE = "<b>cy</b> & <i>co</i>"
Key = Qt.Key


@pytest.fixture
def project(tmp_path):
    opened, doc_id, _schema = build(tmp_path / "team.annotator.sqlite")
    add_spans(opened, doc_id, [Span(*at("talks"), "ORG", origin=HOSTILE, annotator=HOSTILE)])
    yield opened
    opened.close()


def highlighted(window) -> set[tuple[str, str | None]]:
    return {(TEXT[s.start : s.end], s.annotator) for s in window.article.spans.values()}


def listed(window) -> list[str]:
    return [window.panel.items.item(row).text() for row in range(window.panel.items.count())]


def action(window, name: str) -> QAction:
    return window.findChild(QAction, name)


def whose(window) -> str:
    """What the status bar says of whose work is shown: its words, or, cut short there, its tooltip's."""
    label = window.findChild(QLabel, "whoseWork")
    if label.text().endswith("…"):
        return html.unescape(re.sub(r"<[^>]+>", "", label.toolTip()))  # the tooltip is our escaped markup
    return label.text()


def one_annotator(window, name: str) -> QAction:
    menu = window.findChild(QMenu, "viewOneAnnotator")
    menu.aboutToShow.emit()  # filled as it opens
    return next(a for a in menu.actions() if a.property("annotator") == name)


def stored(project) -> set:
    doc_id = document_ids(project)[0]
    notes = annotating.open_annotations(project, doc_id, "x", projects.schema_of(project))
    return {(s.uid, s.label, s.state, s.annotator, s.start, s.end) for s in notes.spans.values()}


def test_the_view_menu_sits_between_edit_and_annotate(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[titles.index("&Edit") + 1] == "&View" == titles[titles.index("&Annotate") - 1]


def test_switching_views_changes_the_highlights_and_the_list(window, qtbot):
    everyone = highlighted(window)
    assert {"ana", "ben", HOSTILE, None} == {a for _w, a in everyone}
    assert whose(window) == "Showing: everyone's annotations, with suggestions"
    assert any("Ayman Safadi met him" in text for text in listed(window))  # ben's claim

    action(window, "viewMine").trigger()
    assert highlighted(window) == {("Sergey Lavrov", "ana"), ("the talks were useful", "ana"),
                                   ("Moscow", None), ("Tuesday", None)}
    assert len(listed(window)) == 1 and "the talks were useful" in listed(window)[0]  # ben's claim is gone
    assert whose(window) == "Showing: my annotations (ana), with suggestions"

    action(window, "viewSuggestions").trigger()  # off
    assert highlighted(window) == {("Sergey Lavrov", "ana"), ("the talks were useful", "ana")}

    one_annotator(window, "ben").trigger()
    assert highlighted(window) == {("Sergey Lavrov", "ben"), ("Ayman Safadi", "ben"),
                                   ("Ayman Safadi met him in Moscow on Tuesday.", "ben")}
    assert whose(window) == "Showing: ben's annotations (read-only), no suggestions"
    assert len(listed(window)) == 1 and "Ayman Safadi met him" in listed(window)[0]


def test_the_choice_is_kept_per_project(window, project, show_window):
    action(window, "viewSuggestions").trigger()
    one_annotator(window, "ben").trigger()
    assert app_settings().value(view_key(project.safe_location)) == "-s one:ben"
    window.close()
    again = show_window(project, annotator="ana")
    assert whose(again) == "Showing: ben's annotations (read-only), no suggestions"
    assert {a for _w, a in highlighted(again)} == {"ben"}


def test_keys_on_bens_span_in_his_view_change_nothing_and_say_why(window, project, qtbot):
    one_annotator(window, "ben").trigger()
    before = stored(project)
    editor = window.article.editor
    editor.setFocus()
    qtbot.keyClick(editor, Key.Key_Tab)
    current = window.session.current_span()
    assert current is not None and current.annotator == "ben"
    for key in (Key.Key_X, Key.Key_2, Key.Key_A):  # delete, relabel ORG, accept
        qtbot.keyClick(editor, key)
        assert "Showing ben's annotations (read-only): nothing was changed" in window.statusBar().currentMessage()
    assert stored(project) == before
    assert window.session.undo_stack.count() == 0


def test_in_everyones_view_bens_span_is_his_and_ones_own_can_change(window, project, qtbot):
    before = stored(project)
    notes = window.session.annotations
    bens = next(s for s in notes.visible(Layer.ENTITY) if s.annotator == "ben" and TEXT[s.start:s.end] == "Ayman Safadi")
    window.session.go_to(bens.uid)
    qtbot.keyClick(window.article.editor, Key.Key_X)
    assert window.statusBar().currentMessage().startswith("PERSON “Ayman Safadi” is ben's annotation")
    assert stored(project) == before
    moscow = next(s for s in notes.visible(Layer.ENTITY) if s.state == State.SUGGESTED)
    window.session.go_to(moscow.uid)
    qtbot.keyClick(window.article.editor, Key.Key_A)  # a suggestion is anybody's to review
    assert any(s[0] == moscow.uid and s[2] == State.ACCEPTED and s[3] == "ana" for s in stored(project))


def test_blind_annotation_hides_the_others_and_their_choices(window, project):
    blind = action(window, "blindAnnotation")
    assert not blind.isChecked()
    blind.trigger()
    assert blind.isChecked() and visibility.is_blind(project)
    assert not action(window, "viewEveryone").isVisible()
    assert not window.findChild(QMenu, "viewOneAnnotator").menuAction().isVisible()
    assert action(window, "viewMine").isVisible() and action(window, "viewSuggestions").isVisible()
    assert {a for _w, a in highlighted(window)} == {"ana", None}
    assert {s.annotator for s in window.session.annotations.spans.values()} <= {"ana", None}  # not loaded
    assert whose(window).endswith("· blind project")
    blind.trigger()  # off again: no curators named, so anyone may
    assert not visibility.is_blind(project)
    assert action(window, "viewEveryone").isVisible()
    assert {a for _w, a in highlighted(window)} == {"ana", "ben", HOSTILE, None}


def test_names_are_plain_text(window):
    entry = one_annotator(window, HOSTILE)
    assert entry.text().replace("&&", "&") == HOSTILE
    entry.trigger()
    label = window.findChild(QLabel, "whoseWork")
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert whose(window) == f"Showing: {HOSTILE}'s annotations (read-only), with suggestions"
    assert label.text().startswith(f"Showing: {HOSTILE}")  # its characters, as plain text
    assert {a for _w, a in highlighted(window)} == {HOSTILE, None}
