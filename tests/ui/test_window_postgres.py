"""The real main window (offscreen) on a PostgreSQL project: it opens, a word labelled is stored on the
server; two windows of two annotators on one server project see each other's work after the refresh their
timer runs, and who has which document open. Each test has a fresh database (the postgres_url fixture).
Skipped without ANNOTATOR_TEST_POSTGRES_URL, failed where REQUIRE_POSTGRES=1."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Document, Layer, State
from annotator.services import documents, projects
from annotator.store.documents import add_documents
from annotator.ui.document_list import OTHERS_COLUMN
from tests.conftest import activate

Key, Mod = Qt.Key, Qt.KeyboardModifier
TEXT = "Sergey Lavrov said on Tuesday in Moscow that the talks go on."


@pytest.fixture
def server_project(postgres_url):
    project = projects.open_location(postgres_url)
    add_documents(project, [Document(TEXT, title="Talks"), Document("Elena Varga opened the bridge.", title="Bridge")])
    project.close()
    return postgres_url


def label(qtbot, window, words: str, key) -> tuple[int, int]:
    start = TEXT.index(words)
    editor = window.article.editor
    cursor = editor.textCursor()
    cursor.setPosition(start)
    editor.setTextCursor(cursor)
    for _ in words:
        qtbot.keyClick(editor, Key.Key_Right, Mod.ShiftModifier)
    qtbot.keyClick(editor, key)
    return start, start + len(words)


def shown(window) -> dict[tuple[int, int], str]:
    return {(s.start, s.end): s.label for s in window.article.spans.values() if s.layer == Layer.ENTITY}


def stored(window, document_id: int = 1) -> dict[tuple[int, int], tuple[str, str | None]]:
    return {(s.start, s.end): (s.label, s.annotator) for s in documents.load_document(window.project, document_id).spans
            if s.layer == Layer.ENTITY and s.state != State.REJECTED}


def tick(window) -> None:
    """What the window's refresh timer runs: the look for others' work, and the heartbeat."""
    window.owner.refresh_timer.timeout.emit()


def others_cell(window, document_id: int) -> tuple[str, str]:
    model = window.documents.model
    index = model.index(model.row_of(document_id), OTHERS_COLUMN)
    return index.data(Qt.ItemDataRole.DisplayRole), index.data(Qt.ItemDataRole.ToolTipRole) or ""


def test_the_window_opens_a_server_project_and_a_labelled_word_is_stored(qtbot, server_project, open_window):
    window = open_window(server_project, "ana")
    assert window.project.path is None and window.project.engine.dialect.name == "postgresql"
    assert window.article.title.text() == "Talks" and window.documents.model.rowCount() == 2
    lavrov = label(qtbot, window, "Sergey Lavrov", Key.Key_1)  # PERSON
    assert shown(window)[lavrov] == "PERSON"
    assert stored(window)[lavrov] == ("PERSON", "ana")


def test_two_windows_of_two_annotators_see_each_others_work_and_presence(qtbot, server_project, open_window):
    ana = open_window(server_project, "ana")
    ben = open_window(server_project, "ben")
    assert ana.documents.current_id() == ben.documents.current_id() == 1
    ben.documents.select(2)  # ben works on the other article
    assert ben.article.title.text() == "Bridge"

    activate(qtbot, ana)
    moscow = label(qtbot, ana, "Moscow", Key.Key_3)  # GPE
    assert stored(ana)[moscow] == ("GPE", "ana")
    tick(ana)  # ana's heartbeat: she has the first article open
    tick(ben)  # ben's refresh: the list, and who is where
    assert others_cell(ben, 1)[0] == "● ana"
    assert "Open now by ana, seen" in others_cell(ben, 1)[1]
    assert others_cell(ben, 2)[0] == ""  # ben himself is never listed
    tick(ana)
    assert others_cell(ana, 2)[0] == "● ben" and others_cell(ana, 1)[0] == ""

    ben.documents.select(1)  # ben opens ana's article: her label is there
    assert shown(ben)[moscow] == "GPE"
    activate(qtbot, ben)
    lavrov = label(qtbot, ben, "Sergey Lavrov", Key.Key_1)
    assert ana.session.undo_stack.count() == 1
    tick(ana)  # ana's open article shows ben's new span, her own steps still undoable
    qtbot.waitUntil(lambda: shown(ana).get(lavrov) == "PERSON", timeout=5000)
    assert ana.session.undo_stack.count() == 1
    tick(ben)
    tick(ana)
    assert others_cell(ana, 1)[0] == "● ben" and others_cell(ana, 2)[0] == ""

    ben.close()  # closing takes ben's presence back at once
    tick(ana)
    assert others_cell(ana, 1)[0] == ""
