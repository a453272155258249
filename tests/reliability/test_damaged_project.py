"""A project file with a damaged page, on real SQLite files: refused on open, never backed up, restorable.

The damage is what a failing disk or a stray program leaves: bytes overwritten inside one page of an
index or a table, in a file whose write-ahead log was checkpointed. SQLite still opens such a file and
reads most of it, so without a check the app would open it, and back it up, as if it were sound.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.app import main
from annotator.core.errors import DamagedProjectError
from annotator.core.model import Document
from annotator.services import backups, projects
from annotator.store.documents import add_documents

FIRST = [Document("Sergey Lavrov spoke in Moscow.", title="Lavrov"), Document("Wheat prices rose.", title="Wheat")]
LATER = [Document(f"Article number {n} on the bridge in Riverton.", title=f"Later {n}") for n in range(40)]


def damage(path, name: str) -> None:
    """Overwrite the middle of the first page of the table or index ``name``, after a checkpoint."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        found = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
        root = 1 if name == "sqlite_master" else found[0]
    finally:
        conn.close()
    with open(path, "r+b") as file:
        file.seek((root - 1) * page_size + (100 if root == 1 else 0))  # page 1 starts with the file header
        file.write(b"\xa5" * 64)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def titles(path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM documents ORDER BY id")]
    finally:
        conn.close()


def damaged_project(folder, name: str, later=LATER):
    """A project with one sound backup (two articles), ``later`` added after it, then the table or index
    ``name`` damaged; its path and the backup's."""
    path = folder / "news.annotator.sqlite"
    project = projects.open_location(str(path))
    add_documents(project, FIRST)
    sound = backups.backup_now(project).path
    add_documents(project, later)
    project.close()
    damage(path, name)
    return path, sound


@pytest.fixture
def damaged(tmp_path):
    """A damaged spans index: the articles still read, only a check can tell."""
    return damaged_project(tmp_path, "ix_spans_document_layer_start")


def test_opening_a_damaged_project_says_so_names_the_newest_sound_backup_and_changes_nothing(damaged):
    path, sound = damaged
    before = digest(path)
    with pytest.raises(DamagedProjectError) as refused:
        projects.open_location(str(path), create=False)
    message = str(refused.value)
    assert f"{path} is damaged" in message and "nothing was changed" in message
    assert sound.name in message and "2 documents" in message
    assert f"annotator restore {sound.name} --project {path}" in message
    assert refused.value.backup == sound
    assert digest(path) == before


def test_a_damaged_backup_is_not_offered(damaged):
    path, sound = damaged
    newer = sound.with_name(f"{datetime.now(UTC) + timedelta(minutes=1):%Y%m%dT%H%M%S.%fZ}.sqlite")
    newer.write_bytes(sound.read_bytes())
    damage(newer, "documents")
    with pytest.raises(DamagedProjectError) as refused:
        projects.open_location(str(path), create=False)
    assert refused.value.backup == sound and newer.name not in str(refused.value)


def test_a_project_damaged_while_open_is_never_backed_up_and_keeps_its_backups(tmp_path):
    path = tmp_path / "news.annotator.sqlite"
    project = projects.open_location(str(path))
    add_documents(project, FIRST + LATER)
    now = datetime.now(UTC)
    for days in (40, 30, 20, 10):  # four old backups: a successful backup would prune the oldest
        backups.backup_now(project, now=now - timedelta(days=days))
    kept = sorted(p.name for p in backups.folder_of(project).iterdir())
    damage(path, "ix_spans_document_layer_start")  # under the open project, as a failing disk would

    with pytest.raises(DamagedProjectError, match="is damaged") as refused:
        backups.backup_now(project, now=now)
    project.close()

    assert sorted(p.name for p in backups.folder_of(path.as_posix()).iterdir()) == kept  # no new, none gone
    assert refused.value.backup is not None and refused.value.backup.name == kept[-1]


def test_the_command_line_refuses_a_damaged_project_and_restores_it(damaged, capsys):
    path, sound = damaged
    for command in (["stats"], ["backup"]):
        assert main([*command, "--project", str(path)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"annotator: error: {path} is damaged") and len(err.strip().splitlines()) == 1
        assert f"annotator restore {sound.name} --project {path}" in err
    assert [b.path for b in backups.list_backups(str(path))] == [sound]  # the refused backup made nothing

    assert main(["restore", sound.name, "--project", str(path)]) == 0
    assert "Restored" in capsys.readouterr().out
    assert titles(path) == ["Lavrov", "Wheat"]
    reopened = projects.open_location(str(path), create=False)
    reopened.close()
    assert list(backups.folder_of(str(path)).glob("*.damaged"))  # the damaged bytes are kept


def test_the_window_offers_to_restore_a_damaged_project_and_then_opens_it(damaged, qapp, monkeypatch, safety_net):
    """Started on a damaged project, the app says so as soon as its window is up (the pages are checked
    on a worker, so the window does not wait for a read of the whole file) and offers the restore."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own hooks
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    from annotator.ui import application, main_window

    # No pre-annotation in the background: spaCy still loading at the end would make run() leave at once.
    monkeypatch.setattr(main_window, "start_later", lambda _window: None)
    path, sound = damaged
    seen: dict = {}

    def watch() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and "box" not in seen:
            seen["box"] = (box.windowTitle(), box.text(), box.textFormat(), [b.text() for b in box.buttons()])
            next(b for b in box.buttons() if b.text() == "&Restore").click()
        for window in QApplication.topLevelWidgets():
            if type(window).__name__ == "MainWindow" and "Restored the backup" in window.statusBar().currentMessage():
                seen["rows"] = window.documents.model.rowCount()
                seen["title"] = window.windowTitle()
                window.close()
                return
        QTimer.singleShot(10, watch)

    QTimer.singleShot(0, watch)
    safety_net(60_000, lambda: QApplication.instance().exit(3))  # never hang the suite
    code = application.run(str(path), ["annotator"])

    assert code == 0
    title, text, text_format, buttons = seen["box"]
    assert title == "The project is damaged" and text_format == Qt.TextFormat.PlainText
    assert f"{path} is damaged" in text and sound.name in text and "2 documents" in text
    assert "&Restore" in buttons
    assert seen["rows"] == 2 and "news" in seen["title"]  # the restored project, open in the window
    assert titles(path) == ["Lavrov", "Wheat"]


def test_a_project_whose_table_of_tables_is_damaged_is_refused_as_damaged(damaged):
    path, sound = damaged
    damage(path, "sqlite_master")  # page 1, after the file header
    with pytest.raises(DamagedProjectError) as refused:
        projects.open_location(str(path), create=False)
    assert refused.value.backup == sound


def test_a_project_damaged_while_open_in_the_window_is_offered_its_newest_backup(tmp_path, qtbot, ruler_model):
    from annotator.ui.application import app_settings
    from annotator.ui.main_window import MainWindow

    path = tmp_path / "news.annotator.sqlite"
    project = projects.open_location(str(path))
    add_documents(project, FIRST)
    window = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        qtbot.waitUntil(
            lambda: window.owner.backups.worker is None and bool(backups.list_backups(project)), timeout=10_000
        )
        [sound] = backups.list_backups(project)
        day_old = sound.path.with_name(f"{datetime.now(UTC) - timedelta(days=1, minutes=1):%Y%m%dT%H%M%S.%fZ}.sqlite")
        sound.path.rename(day_old)  # the daily backup is due
        add_documents(project, LATER)
        damage(path, "ix_spans_document_layer_start")
        seen: dict = {}

        def answer() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox):
                seen["text"], seen["format"] = box.text(), box.textFormat()
                next(b for b in box.buttons() if b.text() == "&Restore").click()
            else:
                QTimer.singleShot(10, answer)

        QTimer.singleShot(0, answer)
        window.owner.backups.check_daily()
        qtbot.waitUntil(lambda: "Restored the backup" in window.statusBar().currentMessage(), timeout=20_000)

        assert f"{path} is damaged" in seen["text"] and day_old.name in seen["text"]
        assert seen["format"] == Qt.TextFormat.PlainText
        assert window.documents.model.rowCount() == 2 and titles(path) == ["Lavrov", "Wheat"]
        found = backups.list_backups(str(path))  # the sound one stayed; none was made of the damaged file
        assert day_old.name in [b.path.name for b in found] and all(b.documents == 2 for b in found)
    finally:
        window.workers.cancel_all()
        window.workers.wait(10_000)
        window.project.close()


def test_opening_a_damaged_project_from_the_window_offers_its_backup(damaged, tmp_path, qtbot, ruler_model):
    from annotator.ui.application import app_settings
    from annotator.ui.main_window import MainWindow

    path, sound = damaged
    other = projects.open_location(str(tmp_path / "other.annotator.sqlite"))
    add_documents(other, [Document("Another project's only article.", title="Other")])
    window = MainWindow(other, app_settings(), model=str(ruler_model))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    seen: dict = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen["text"] = box.text()
            next(b for b in box.buttons() if b.text() == "&Restore").click()
        else:
            QTimer.singleShot(10, answer)

    try:
        QTimer.singleShot(0, answer)
        window.switch_project(str(path))  # File ▸ Open Project… with the damaged file
        qtbot.waitUntil(lambda: window.project.path == path, timeout=20_000)
        assert f"{path} is damaged" in seen["text"] and sound.name in seen["text"]
        assert window.documents.model.rowCount() == 2 and titles(path) == ["Lavrov", "Wheat"]
    finally:
        window.workers.cancel_all()
        window.workers.wait(10_000)
        window.project.close()
        other.close()
