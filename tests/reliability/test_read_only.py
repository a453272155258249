"""A project that cannot be written is read: it opens read-only, says so, searches and exports, refuses
every change with a clear message, and is left exactly as it was.

Read-only is decided by the write permission bits of the file and its folder (and by ``--read-only``),
not only by os.access: the tests run as root too, whom os.access lets write anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.app import main
from annotator.core.errors import ReadOnlyProjectError
from annotator.core.model import Document
from annotator.services import backups, exporting, projects, search
from annotator.store.documents import add_documents, document_summaries

ARTICLES = [
    Document("Sergey Lavrov met officials in Moscow on Wednesday.", title="Lavrov in Moscow"),
    Document("Wheat prices rose 12% as Elena Varga spoke in Riverton.", title="Wheat prices"),
]
Key, Mod = Qt.Key, Qt.KeyboardModifier


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def made(tmp_path):
    """A project with two articles, closed, in a folder of its own."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "news.annotator.sqlite"
    project = projects.open_location(str(path))
    add_documents(project, ARTICLES)
    project.close()
    yield path
    folder.chmod(0o755)
    path.chmod(0o644)


def make_read_only(path, how: str) -> bool:
    """Take away write permission from the file or its folder; True when the project must be opened
    with read_only=True (``how`` == "flag")."""
    if how == "file":
        path.chmod(0o444)
    elif how == "folder":
        path.parent.chmod(0o555)
    return how == "flag"


@pytest.mark.parametrize(
    ("how", "reason"),
    [("file", "news.annotator.sqlite is not writable"), ("folder", "is not writable"), ("flag", "read-only as asked")],
)
def test_a_read_only_project_is_read_searched_and_exported_and_refuses_changes(made, tmp_path, how, reason):
    flag = make_read_only(made, how)
    before = digest(made)
    project = projects.open_location(str(made), create=False, read_only=flag)
    try:
        assert reason in project.read_only
        assert [s.title for s in document_summaries(project)] == ["Lavrov in Moscow", "Wheat prices"]
        assert [hit.title for hit in search.search(project, "Riverton")] == ["Wheat prices"]
        out = tmp_path / "out.jsonl"
        exporting.export(project, out)
        assert [json.loads(line)["meta"]["title"] for line in out.read_text().splitlines()] == [
            "Lavrov in Moscow",
            "Wheat prices",
        ]
        with pytest.raises(ReadOnlyProjectError, match="news is open read-only .*this change was not saved"):
            add_documents(project, [Document("A third.", title="Third")])
    finally:
        project.close()
    assert digest(made) == before


def test_a_project_made_read_only_while_open_refuses_with_the_same_message(made):
    project = projects.open_location(str(made), create=False)
    try:
        with project.reading() as conn:  # the pooled connection now refuses writes, as after a remount
            conn.exec_driver_sql("PRAGMA query_only=ON")
        with pytest.raises(ReadOnlyProjectError, match="open read-only"):
            add_documents(project, [Document("A third.", title="Third")])
    finally:
        project.close()


def test_the_command_line_notes_read_only_exports_and_refuses_an_import(made, tmp_path, capsys):
    make_read_only(made, "file")
    before = digest(made)
    assert main(["stats", "--project", str(made)]) == 0
    captured = capsys.readouterr()
    assert "annotator: note: news is open read-only (news.annotator.sqlite is not writable)" in captured.err
    assert "Documents: 2 " in captured.out

    out = tmp_path / "all.jsonl"
    assert main(["export", "--project", str(made), "-o", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 2
    capsys.readouterr()

    article = tmp_path / "new.txt"
    article.write_text("A new article about the bridge.\n")
    assert main(["import", str(article), "--project", str(made)]) == 1
    err = capsys.readouterr().err
    assert "open read-only" in err and "not saved" in err and "Traceback" not in err
    assert digest(made) == before


def test_the_read_only_flag_on_the_command_line(made, tmp_path, capsys):
    article = tmp_path / "new.txt"
    article.write_text("A new article about the bridge.\n")
    assert main(["import", str(article), "--project", str(made), "--read-only"]) == 1
    assert "read-only as asked" in capsys.readouterr().err
    assert main(["--read-only", "stats", "--project", str(made)]) == 0
    assert "open read-only" in capsys.readouterr().err
    project = projects.open_location(str(made), create=False)
    try:
        assert len(document_summaries(project)) == 2
    finally:
        project.close()


def test_the_window_says_read_only_searches_and_refuses_an_edit_without_crashing(made, qtbot, ruler_model):
    from annotator.ui.application import app_settings
    from annotator.ui.main_window import MainWindow

    make_read_only(made, "file")
    before = digest(made)
    project = projects.open_location(str(made), create=False)
    window = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    try:
        assert window.windowTitle() == "news (read-only) — Annotator"
        assert window.read_only_label.isVisible() and window.read_only_label.text() == "Read-only"
        assert window.article.editor.toPlainText() == ARTICLES[0].text

        hits = search.search(window.project, "Moscow")
        assert [h.title for h in hits] == ["Lavrov in Moscow"]

        seen: list[str] = []

        def answer() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox):
                seen.append(box.text())
                box.accept()
            else:
                QTimer.singleShot(10, answer)

        QTimer.singleShot(0, answer)
        editor = window.article.editor
        editor.setFocus()
        cursor = editor.textCursor()
        cursor.setPosition(0)
        editor.setTextCursor(cursor)
        for _ in range(6):
            qtbot.keyClick(editor, Key.Key_Right, Mod.ShiftModifier)
        qtbot.keyClick(editor, Key.Key_1)  # tag "Sergey" as the first label
        qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
        assert "open read-only" in seen[0] and "not saved" in seen[0]
        assert window.isVisible() and window.article.spans == {}  # nothing shown that was not saved
        assert window.preannotation is None  # nothing is pre-annotated, and nothing backed up:
        qtbot.waitUntil(lambda: window.owner.backups.worker is None)
        assert window.owner.backups.last is None
    finally:
        window.workers.cancel_all()
        window.workers.wait(10_000)
        window.close()
        project.close()
    assert digest(made) == before


def test_a_read_only_check_holds_for_root_too(made):
    """The premise of the tests above, for whoever runs them: without write bits the project is
    read-only, whether or not os.access would let this user write it."""
    made.chmod(0o444)
    assert not stat.S_IMODE(made.stat().st_mode) & 0o222
    project = projects.open_location(str(made), create=False)
    try:
        assert project.read_only
        if os.geteuid() == 0:
            assert os.access(made, os.W_OK)  # root could write it; Annotator still does not
    finally:
        project.close()


def test_a_read_only_project_is_not_restored_over(made, capsys):
    project = projects.open_location(str(made), create=False)
    try:
        backups.backup_now(project)
        add_documents(project, [Document("A third.", title="Third")])
    finally:
        project.close()
    name = backups.list_backups(str(made))[0].path.name
    make_read_only(made, "file")
    before = digest(made)
    assert main(["restore", name, "--project", str(made)]) == 1
    assert "cannot be restored: news.annotator.sqlite is not writable; nothing was changed" in capsys.readouterr().err
    assert digest(made) == before
