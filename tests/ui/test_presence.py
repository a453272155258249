"""Who else is working on which document, in the window (a SQLite file shared by windows): the heartbeat
runs on the refresh timer, others' names show in the list's Others column ("● ana", the time seen in its
tooltip), one's own never; a heartbeat is never a reason to reload the open article; a busy file makes the
heartbeat skip, not freeze the window; a read-only window writes none and shows the others'."""

from __future__ import annotations

import sqlite3
import time

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Document, Layer
from annotator.services import projects
from annotator.store.documents import add_documents
from annotator.ui.document_list import OTHERS_COLUMN
from tests.conftest import activate

Key, Mod = Qt.Key, Qt.KeyboardModifier
TEXT = "Sergey Lavrov said on Tuesday in Moscow that the talks go on."


@pytest.fixture
def shared_path(tmp_path):
    path = tmp_path / "team.annotator.sqlite"
    project = projects.open_location(str(path))
    add_documents(project, [Document(TEXT, title="Talks"), Document("Elena Varga opened the bridge.", title="Bridge")])
    project.close()
    return path


def tick(window) -> None:
    """What the window's refresh timer runs: the look for others' work, and the heartbeat."""
    window.owner.refresh_timer.timeout.emit()


def others_cell(window, document_id: int) -> tuple[str, str]:
    model = window.documents.model
    index = model.index(model.row_of(document_id), OTHERS_COLUMN)
    return index.data(Qt.ItemDataRole.DisplayRole), index.data(Qt.ItemDataRole.ToolTipRole) or ""


def presence_rows(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT annotator, document_id FROM presence ORDER BY annotator").fetchall()


def test_the_list_shows_who_else_has_a_document_open_and_never_oneself(qtbot, shared_path, open_window):
    ana = open_window(shared_path, "ana")
    ben = open_window(shared_path, "ben")
    assert ana.documents.table.isColumnHidden(OTHERS_COLUMN)  # nobody assigned, nobody seen yet
    ben.documents.select(2)
    tick(ana)
    tick(ben)
    assert presence_rows(shared_path) == [("ana", 1), ("ben", 2)]
    assert others_cell(ben, 1)[0] == "● ana" and others_cell(ben, 2)[0] == ""
    _text, tip = others_cell(ben, 1)
    assert "Open now by ana, seen " in tip and "s ago)" in tip
    tick(ana)
    assert others_cell(ana, 2)[0] == "● ben" and others_cell(ana, 1)[0] == ""
    assert not ana.documents.table.isColumnHidden(OTHERS_COLUMN)  # shown once someone is seen

    ben.close()
    assert presence_rows(shared_path) == [("ana", 1)]
    tick(ana)
    assert others_cell(ana, 2)[0] == ""


def test_another_windows_heartbeat_never_reloads_the_open_article(qtbot, shared_path, open_window):
    ana = open_window(shared_path, "ana")
    ben = open_window(shared_path, "ben")
    activate(qtbot, ana)
    editor = ana.article.editor
    cursor = editor.textCursor()
    cursor.setPosition(TEXT.index("Moscow"))
    editor.setTextCursor(cursor)
    for _ in "Moscow":
        qtbot.keyClick(editor, Key.Key_Right, Mod.ShiftModifier)
    qtbot.keyClick(editor, Key.Key_3)  # GPE
    tick(ana)  # ana has seen her own commit and written her heartbeat
    ana.statusBar().clearMessage()
    annotations = ana.session.annotations
    looked = []  # on SQLite every commit is "something changed": the list is read again, the article compared
    ana.owner.changed_elsewhere.connect(lambda: looked.append(1))
    for _ in range(3):  # ben's heartbeats (each one a commit to the file) and ana's refreshes between them
        assert ben.presence.beat(ben.project, "ben", 1, force=True)
        tick(ana)
    assert len(looked) == 3
    assert ana.session.annotations is annotations  # the very same article: not read into the view again
    assert ana.session.undo_stack.count() == 1  # her step is still hers to undo
    assert "another window" not in ana.statusBar().currentMessage()
    assert others_cell(ana, 1)[0] == "● ben"
    assert {(s.start, s.end): s.label for s in ana.article.spans.values() if s.layer == Layer.ENTITY} == {
        (TEXT.index("Moscow"), TEXT.index("Moscow") + 6): "GPE"
    }


def test_a_busy_file_makes_the_heartbeat_skip_without_freezing_the_window(qtbot, shared_path, open_window):
    ana = open_window(shared_path, "ana")
    holder = sqlite3.connect(shared_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock for a long time
    try:
        began = time.monotonic()
        ana.keep_presence()
        assert time.monotonic() - began < 2  # not the project's 15 s
        assert presence_rows(shared_path) == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    ana.keep_presence()  # the next tick writes it
    assert presence_rows(shared_path) == [("ana", 1)]


def test_a_read_only_window_writes_no_presence_and_shows_the_others(qtbot, shared_path, open_window):
    ben = open_window(shared_path, "ben")
    viewer = open_window(shared_path, "viewer", read_only=True)
    assert viewer.project.read_only
    tick(ben)
    tick(viewer)
    assert presence_rows(shared_path) == [("ben", 1)]
    assert others_cell(viewer, 1)[0] == "● ben"
    viewer.close()
    assert presence_rows(shared_path) == [("ben", 1)]
