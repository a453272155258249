"""Two instances on one project: writes queue instead of failing, a lock held too long says so in one
line (in the window: a message box, no traceback), and each window shows the other's work when it
is activated or its refresh timer fires, keeping the analyst's place."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, Layer, State, Status
from annotator.services import annotating, documents, projects
from annotator.store.documents import add_documents
from tests.conftest import activate

Key, Mod = Qt.Key, Qt.KeyboardModifier
WORDS = [f"word{i}" for i in range(400)]
LONG = "\n\n".join(f"Paragraph {i}: Sergey Lavrov spoke in Moscow, and Elena Varga replied." for i in range(200))

# One instance of the program, reduced to its writing: open the project, then many small actions, each
# one Edit saved in its own transaction exactly as the window saves it. Prints each span it saved.
WRITER = """
import sys
from annotator.core.model import Layer, Status
from annotator.services import annotating, projects

path, who, parity, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
project = projects.open_location(path, create=False)
schema = projects.schema_of(project)
print("ready", flush=True)
sys.stdin.readline()  # both start together
for n in range(count):
    doc = 1 + n % 2
    notes = annotating.open_annotations(project, doc, who, schema)
    words = [i for i in range(len(notes.text)) if notes.text.startswith("word", i)]
    start = words[(2 * (n // 2) + parity) % len(words)]
    end = notes.text.index(" ", start)
    edit = notes.tag(Layer.ENTITY, "ORG", start, end, exact=True)
    annotating.save(project, edit)
    print(edit.after[0].uid, doc, start, end, flush=True)
    if n % 10 == 9:
        status = notes.set_status(Status.DONE if n % 20 == 19 else Status.IN_PROGRESS)
        if status is not None:
            annotating.save(project, status)
project.close()
"""


def test_two_programs_writing_at_once_both_succeed_and_every_row_is_there(tmp_path):
    path = tmp_path / "shared.annotator.sqlite"
    project = projects.open_location(str(path))
    add_documents(project, [Document(" ".join(WORDS) + " end", title="One"), Document(" ".join(WORDS[:300]) + " x")])
    project.close()
    count = 120  # each: 120 spans and 12 statuses, one transaction apiece
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who, str(parity), str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for parity, who in enumerate(["ana", "bo"])
    ]
    for writer in writers:
        assert writer.stdout.readline() == "ready\n", writer.stderr.read()
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    results = [writer.communicate(timeout=300) for writer in writers]
    for writer, (_out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err  # no "database is locked", no busy error: they waited their turn
        assert "Traceback" not in err
    saved = {who: [line.split() for line in out.splitlines()] for who, (out, _err) in zip(["ana", "bo"], results)}
    assert [len(lines) for lines in saved.values()] == [count, count]

    project = projects.open_location(str(path), create=False)
    try:
        stored = {}
        for doc in (1, 2):
            for span in documents.load_document(project, doc).spans:
                stored[span.uid] = (span.annotator, str(span.document_id), str(span.start), str(span.end), span.label)
        expected = {
            uid: (who, doc, start, end, "ORG") for who, lines in saved.items() for uid, doc, start, end in lines
        }
        assert stored == expected
        rows = {(r.title, r.status) for r in documents.list_documents(project, "bo")}
        assert rows == {("One", Status.IN_PROGRESS), ("", Status.DONE)}
    finally:
        project.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.fixture
def quick_busy(monkeypatch):
    """A busy timeout of a fraction of a second (the real one is 15 s), for projects opened from now on."""
    import annotator.store.project as store_project

    monkeypatch.setattr(store_project, "BUSY_TIMEOUT_MS", 300)


@pytest.fixture
def lock_holder(tmp_path):
    """Another program that takes the project's write lock and keeps it until told to let go."""
    holders = []

    def hold(path):
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        holders.append(other)

        def release():
            holders.remove(other)
            other.execute("ROLLBACK")
            other.close()

        return release

    yield hold
    for other in holders:  # a test that failed before letting go
        other.execute("ROLLBACK")
        other.close()


def test_a_lock_held_longer_than_the_busy_timeout_is_one_clear_line(tmp_path, quick_busy, lock_holder):
    project = projects.open_location(str(tmp_path / "held.annotator.sqlite"))
    add_documents(project, [Document("Sergey Lavrov spoke in Moscow.", title="One")])
    schema = projects.schema_of(project)
    release = lock_holder(project.path)
    try:
        notes = annotating.open_annotations(project, 1, "ana", schema)  # reading goes on while another writes
        edit = notes.tag(Layer.ENTITY, "GPE", 23, 29)
        with pytest.raises(AnnotatorError) as error:
            annotating.save(project, edit)
        message = str(error.value)
        assert "held.annotator.sqlite" not in message and message.startswith("held is busy")
        assert "another program has held it for over 0.3 s" in message and "not saved" in message
        assert "\n" not in message
        release()
        annotating.save(project, edit)  # the same step, once the other program let go
        [span] = documents.load_document(project, 1).spans
        assert (span.start, span.end, span.label) == (23, 29, "GPE")
    finally:
        project.close()


# --- two windows ---------------------------------------------------------------------------------------


@pytest.fixture
def shared_path(tmp_path):
    path = tmp_path / "team.annotator.sqlite"
    project = projects.open_location(str(path))
    add_documents(
        project,
        [
            Document(LONG, title="Long read", date="2026-11-24"),
            Document("Elena Varga opened the bridge.", title="Bridge"),
        ],
    )
    project.close()
    return path


def select(qtbot, window, start: int, end: int):
    """Put the cursor at ``start`` and Shift+Right to ``end`` (the article here has no astral characters)."""
    editor = window.article.editor
    cursor = editor.textCursor()
    cursor.setPosition(start)
    editor.setTextCursor(cursor)
    for _ in range(end - start):
        qtbot.keyClick(editor, Key.Key_Right, Mod.ShiftModifier)


def shown(window) -> dict[tuple[int, int], str]:
    return {(s.start, s.end): s.label for s in window.article.spans.values() if s.layer == Layer.ENTITY}


def nth(word: str, n: int) -> tuple[int, int]:
    start = -1
    for _ in range(n + 1):
        start = LONG.index(word, start + 1)
    return start, start + len(word)


def test_an_annotation_made_in_one_window_appears_in_the_other_keeping_its_place(qtbot, shared_path, open_window):
    a = open_window(shared_path)
    b = open_window(shared_path)
    assert a.article.title.text() == b.article.title.text() == "Long read"

    # B: the analyst is halfway down the article and has tagged a name there.
    bar = b.article.editor.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    middle = bar.value()
    assert middle > 0
    b_varga = nth("Elena Varga", 100)
    select(qtbot, b, *b_varga)
    qtbot.keyClick(b.article.editor, Key.Key_1)  # PERSON
    assert shown(b) == {b_varga: "PERSON"}
    bar.setValue(middle)
    assert b.session.undo_stack.count() == 1

    # A tags Moscow in the first paragraph. B, activated again, shows it; the reading place, the
    # document and the undo history are B's own still (only something new appeared).
    activate(qtbot, a)
    moscow = nth("Moscow", 0)
    select(qtbot, a, *moscow)
    qtbot.keyClick(a.article.editor, Key.Key_3)  # GPE
    assert shown(a) == {moscow: "GPE", b_varga: "PERSON"}  # A saw B's work when it was activated
    activate(qtbot, b)
    assert shown(b) == {b_varga: "PERSON", moscow: "GPE"}
    assert bar.value() == middle
    assert b.documents.current_id() == 1 and b.article.title.text() == "Long read"
    assert b.session.undo_stack.count() == 1
    assert "New annotations made elsewhere" in b.statusBar().currentMessage()

    # A relabels B's span; B is not activated, its timer finds the change. What B showed was changed
    # by someone else, so B's undo history goes (undoing it would undo A's work) and B says so.
    activate(qtbot, a)
    select(qtbot, a, *b_varga)
    qtbot.keyClick(a.article.editor, Key.Key_2)  # ORG
    assert shown(a)[b_varga] == "ORG"
    b.owner.refresh_timer.setInterval(50)
    qtbot.waitUntil(lambda: shown(b).get(b_varga) == "ORG", timeout=5000)
    assert bar.value() == middle and b.documents.current_id() == 1
    assert b.session.undo_stack.count() == 0
    assert "changed in another window or program" in b.statusBar().currentMessage()

    # A finishes the article (Ctrl+Return: done and on to the next); B's list shows it done.
    qtbot.keyClick(a.article.editor, Key.Key_Return, Mod.ControlModifier)
    assert a.article.title.text() == "Bridge"
    qtbot.waitUntil(lambda: b.documents.model.summary(0).status == Status.DONE, timeout=5000)
    assert b.documents.current_id() == 1 and b.article.title.text() == "Long read"
    qtbot.waitUntil(lambda: b.article.subtitle.text().endswith("· done"), timeout=5000)


def test_a_selection_waiting_for_its_label_is_not_swept_away_by_a_refresh(qtbot, shared_path, open_window):
    a = open_window(shared_path)
    b = open_window(shared_path)
    lavrov = nth("Sergey Lavrov", 3)
    select(qtbot, b, *lavrov)  # B's analyst has selected a name and is about to press its key
    activate(qtbot, a)
    moscow = nth("Moscow", 0)
    select(qtbot, a, *moscow)
    qtbot.keyClick(a.article.editor, Key.Key_3)
    ticks = []
    b.owner.refresh_timer.timeout.connect(lambda: ticks.append(1))
    b.owner.refresh_timer.setInterval(50)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=5000)  # B has looked, several times
    assert b.article.editor.textCursor().selectedText() == "Sergey Lavrov"  # left alone
    assert moscow not in shown(b)
    activate(qtbot, b)
    assert b.article.editor.textCursor().selectedText() == "Sergey Lavrov"
    qtbot.keyClick(b.article.editor, Key.Key_1)  # the label goes where the analyst meant it
    assert shown(b)[lavrov] == "PERSON"
    qtbot.waitUntil(lambda: moscow in shown(b), timeout=5000)  # and A's work follows
    stored = {(s.start, s.end): s.label for s in documents.load_document(b.project, 1).spans}
    assert stored == {lavrov: "PERSON", moscow: "GPE"}


def test_a_window_kept_waiting_too_long_says_so_in_a_box_and_works_afterwards(
    qtbot, shared_path, open_window, quick_busy, lock_holder
):
    window = open_window(shared_path)
    release = lock_holder(shared_path)
    seen = []

    def answer(tries=0):
        box = QApplication.activeModalWidget()
        if box is None and tries < 500:  # the box comes once the save has given up waiting
            QTimer.singleShot(10, lambda: answer(tries + 1))
            return
        try:
            assert isinstance(box, QMessageBox)
            seen.append((box.windowTitle(), box.text()))
        finally:
            if box is not None:
                box.close()

    moscow = nth("Moscow", 0)
    select(qtbot, window, *moscow)
    QTimer.singleShot(0, answer)
    qtbot.keyClick(window.article.editor, Key.Key_3)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    [(title, text)] = seen
    assert title == "Not saved"
    assert text.startswith("team is busy: another program has held it for over 0.3 s") and "\n" not in text
    assert shown(window) == {} and window.session.undo_stack.count() == 0  # nothing shown that is not saved
    window.refresh_from_project()  # looking for others' work still works while the lock is held

    release()
    activate(qtbot, window)
    select(qtbot, window, *moscow)
    qtbot.keyClick(window.article.editor, Key.Key_3)
    assert shown(window) == {moscow: "GPE"}
    [span] = documents.load_document(window.project, 1).spans
    assert (span.start, span.end, span.label, span.state) == (*moscow, "GPE", State.ACCEPTED)


def test_the_change_check_sees_other_connections_commits_on_sqlite_and_by_fingerprint(tmp_path):
    """PRAGMA data_version on SQLite; the table fingerprint a server database uses, tried on the same file."""
    from annotator.services import changes
    from annotator.store.project import Project

    path = tmp_path / "watched.annotator.sqlite"
    mine = projects.open_location(str(path))
    add_documents(mine, [Document("Sergey Lavrov spoke in Moscow.", title="One")])
    other = projects.open_location(str(path), create=False)
    schema = projects.schema_of(other)
    watchers = [changes.watch(mine), changes.watch(Project(mine.engine, "fingerprint", None))]
    try:
        assert [w.changed() for w in watchers] == [False, False]
        notes = annotating.open_annotations(other, 1, "bo", schema)
        edit = notes.tag(Layer.ENTITY, "GPE", 23, 29)
        annotating.save(other, edit)
        assert [w.changed() for w in watchers] == [True, True]
        assert [w.changed() for w in watchers] == [False, False]  # until the next commit
        notes.apply(edit)
        annotating.save(other, notes.relabel(edit.after[0].uid, "LOC"))  # same count, same ids: a change still
        assert [w.changed() for w in watchers] == [True, True]
    finally:
        for watcher in watchers:
            watcher.close()
        other.close()
        mine.close()
