"""Rolling backups and restore, on real SQLite files: through the services, the command line and the window.

What a user would notice: a backup appears in the data folder when a project is opened, holds what was
saved, is readable by its owner only, old ones go but the newest few stay, and a restore brings the
chosen state back (after saving the present one) or refuses, changing nothing.
"""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import paths
from annotator.app import main
from annotator.core.errors import ProjectError
from annotator.core.model import Document
from annotator.services import backups, projects
from annotator.store.documents import add_documents
from annotator.store.project import open_project

FIRST = [Document("Sergey Lavrov spoke in Moscow.", title="Lavrov"), Document("Wheat prices rose.", title="Wheat")]
LATER = Document("Elena Varga opened the bridge in Riverton.", title="Bridge")


def titles(path) -> list[str]:
    """What a reopened project holds, read with plain sqlite3 (no code of ours in between)."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM documents ORDER BY id")]
    finally:
        conn.close()


def integrity(path) -> str:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "news.annotator.sqlite"))
    add_documents(opened, FIRST)
    yield opened
    opened.close()


def test_a_backup_of_a_live_project_holds_what_was_committed_and_is_private(project):
    # Another connection is half-way through a write: the backup sees committed work only.
    writer = sqlite3.connect(project.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE documents SET title = 'uncommitted' WHERE id = 1")
    try:
        report = backups.backup_now(project)
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert report.path.parent == paths.backups_dir() / report.path.parent.name
    assert report.path.parent.name.startswith("news-")
    taken = datetime.strptime(report.path.name, "%Y%m%dT%H%M%S.%fZ.sqlite").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - taken) < timedelta(minutes=5)  # named by UTC time
    assert titles(report.path) == ["Lavrov", "Wheat"]
    assert integrity(report.path) == "ok"
    assert mode(report.path) == 0o600 and mode(report.path.parent) == 0o700 and mode(paths.backups_dir()) == 0o700
    # Self-contained: no -wal beside it, no half-written file left in the folder.
    assert sorted(p.name for p in report.path.parent.iterdir()) == [report.path.name]
    assert "Backed up news to" in report.summary()


def test_two_projects_of_the_same_name_keep_their_backups_apart(tmp_path, project):
    other = projects.open_location(str(tmp_path / "elsewhere" / "news.annotator.sqlite"))
    try:
        a, b = backups.backup_now(project), backups.backup_now(other)
    finally:
        other.close()
    assert a.path.parent != b.path.parent
    assert backups.folder_of(project) == a.path.parent  # stable: the same folder next time
    assert backups.folder_of(str(project.path)) == a.path.parent


def test_backups_are_listed_newest_first_with_their_documents(project):
    older = backups.backup_now(project, now=datetime.now(UTC) - timedelta(days=2))
    add_documents(project, [LATER])
    newer = backups.backup_now(project)
    found = backups.list_backups(project)
    assert [(b.path, b.documents) for b in found] == [(newer.path, 3), (older.path, 2)]
    assert found[0].size == newer.path.stat().st_size


def test_old_backups_go_but_the_newest_three_always_stay(project):
    now = datetime.now(UTC)
    # A project left alone for months: all its backups are older than 14 days.
    for days in (90, 80, 70, 60):
        backups.backup_now(project, now=now - timedelta(days=days))
    assert len(backups.list_backups(project)) == 3  # even then the newest three are kept
    report = backups.backup_now(project, now=now)
    kept = [round((now - b.taken) / timedelta(days=1)) for b in backups.list_backups(project)]
    assert kept == [0, 60, 70]
    assert len(report.removed) == 1 and "1 old backup removed" in report.summary()

    for days in (5, 3, 1):  # younger than 14 days: all kept, and the older ones beyond the newest three go
        backups.backup_now(project, now=now - timedelta(days=days) + timedelta(seconds=1))
    kept = sorted(round((now - b.taken) / timedelta(days=1)) for b in backups.list_backups(project))
    assert kept == [0, 1, 3, 5]


def test_keep_days_is_a_setting_of_the_project(project):
    assert backups.keep_days(project) == backups.DEFAULT_KEEP_DAYS == 14
    now = datetime.now(UTC)
    for days in (10, 9, 8, 7, 6):
        backups.backup_now(project, now=now - timedelta(days=days))
    assert len(backups.list_backups(project)) == 5  # all within 14 days
    backups.set_keep_days(project, 2)
    backups.backup_now(project, now=now)
    assert len(backups.list_backups(project)) == 3
    with pytest.raises(ValueError):
        backups.set_keep_days(project, 0)


def test_a_backup_is_made_only_when_due(project):
    now = datetime.now(UTC)
    assert backups.backup_if_due(project, backups.ON_OPEN, now=now) is not None
    assert backups.backup_if_due(project, backups.ON_OPEN, now=now + timedelta(minutes=30)) is None
    assert backups.backup_if_due(project, backups.DAILY, now=now + timedelta(hours=23)) is None
    assert backups.backup_if_due(project, backups.DAILY, now=now + timedelta(hours=25)) is not None
    assert len(backups.list_backups(project)) == 2


def test_restore_brings_the_backup_back_after_saving_the_present(project):
    chosen = backups.backup_now(project, now=datetime.now(UTC) - timedelta(hours=2)).path
    add_documents(project, [LATER])
    location = str(project.path)
    project.close()  # a restore needs the project closed everywhere, this process included

    report = backups.restore(location, chosen)

    assert titles(project.path) == ["Lavrov", "Wheat"]
    assert integrity(project.path) == "ok"
    assert report.saved_before is not None and titles(report.saved_before) == ["Lavrov", "Wheat", "Bridge"]
    assert mode(project.path) == 0o600 and mode(report.saved_before) == 0o600
    assert "Restored" in report.summary() and "(2 documents)" in report.summary()
    listed = backups.list_backups(location)
    assert listed[0].path == report.saved_before and listed[0].note == "made before a restore"
    # Still a working project in WAL mode: open it, add to it, restore the state before the restore.
    reopened = open_project(location)
    try:
        with reopened.reading() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        add_documents(reopened, [Document("After the restore.", title="After")])
    finally:
        reopened.close()
    backups.restore(location, report.saved_before.name)  # a name from `annotator backups` is enough
    assert titles(project.path) == ["Lavrov", "Wheat", "Bridge"]


def test_restore_refuses_while_the_project_is_open_and_changes_nothing(project):
    chosen = backups.backup_now(project).path
    add_documents(project, [LATER])  # the window's connection has the project open
    before = project.path.read_bytes()
    with pytest.raises(ProjectError, match="open in another Annotator window or program"):
        backups.restore(str(project.path), chosen)
    assert titles(project.path) == ["Lavrov", "Wheat", "Bridge"]
    assert project.path.read_bytes() == before
    assert len(backups.list_backups(project)) == 1  # no stray "before restore" backup either


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a database at all, just some bytes" * 200, "not a backup Annotator can restore"), (None, "not a backup")],
)
def test_a_bad_backup_is_refused_before_anything_is_written(project, tmp_path, content, message):
    bad = tmp_path / "bad.sqlite"
    if content is None:  # a real database, but not ours
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (x)")
        conn.commit()
        conn.close()
    else:
        bad.write_bytes(content)
    location = str(project.path)
    project.close()
    with pytest.raises(ProjectError, match=message):
        backups.restore(location, bad)
    assert titles(project.path) == ["Lavrov", "Wheat"]
    assert backups.list_backups(location) == []


def test_a_project_file_that_no_longer_opens_can_be_restored(project):
    chosen = backups.backup_now(project).path
    location = str(project.path)
    project.close()
    project.path.write_bytes(b"garbage where the project was " * 500)  # a disk or a program broke it
    with pytest.raises(ProjectError):
        open_project(location)

    report = backups.restore(location, chosen)

    assert titles(project.path) == ["Lavrov", "Wheat"] and integrity(project.path) == "ok"
    assert report.saved_before.suffix == ".damaged"  # the broken bytes are kept, for the curious
    assert report.saved_before.read_bytes().startswith(b"garbage") and mode(report.saved_before) == 0o600
    open_project(location).close()


def test_a_server_project_is_not_backed_up_by_us():
    url = "postgresql+psycopg://ana:secret@db.example/news"
    with pytest.raises(ProjectError, match="pg_dump") as refused:
        backups.list_backups(url)
    assert "secret" not in str(refused.value)
    with pytest.raises(ProjectError, match="pg_dump"):
        backups.restore(url, "x.sqlite")


# --- the command line ---------------------------------------------------------------------------------


def test_backup_backups_and_restore_from_the_command_line(tmp_path, capsys):
    location = str(tmp_path / "cli.annotator.sqlite")
    project = projects.open_location(location)
    add_documents(project, FIRST)
    project.close()

    assert main(["backup", "--project", location]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Backed up cli to ") and str(paths.backups_dir()) in out
    first = backups.list_backups(location)[0]

    project = open_project(location)
    add_documents(project, [LATER])
    project.close()
    assert main(["backup", "--project", location, "--keep-days", "30"]) == 0
    capsys.readouterr()

    assert main(["backups", "--project", location]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "3 documents" in lines[0] and "2 documents" in lines[1] and first.path.name in lines[1]
    assert first.local_time in lines[1] and "KB" in lines[1]

    assert main(["restore", first.path.name, "--project", location]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "(2 documents)" in out and "before-restore" in out
    assert titles(tmp_path / "cli.annotator.sqlite") == ["Lavrov", "Wheat"]
    reopened = open_project(location)
    try:
        assert backups.keep_days(reopened) == 14  # the backup restored was taken before --keep-days 30
    finally:
        reopened.close()


def test_command_line_errors_are_one_line(tmp_path, capsys):
    location = str(tmp_path / "none.annotator.sqlite")
    assert main(["backups", "--project", location]) == 0
    assert "No backups yet" in capsys.readouterr().out
    assert main(["backup", "--project", location]) == 1  # no such project: nothing is created
    assert "no such project" in capsys.readouterr().err
    assert main(["restore", "nope.sqlite", "--project", location]) == 1
    assert (
        capsys.readouterr().err.strip()
        == "annotator: error: nope.sqlite: no such backup (see `annotator backups` for the list)"
    )
    assert main(["backup", "--project", "postgresql+psycopg://ana:secret@db.example/news"]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "secret" not in err and len(err.strip().splitlines()) == 1


# --- the window -----------------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, project, ruler_model):
    from annotator.ui.application import app_settings
    from annotator.ui.main_window import MainWindow

    made = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.workers.cancel_all()
    made.workers.wait(10_000)


def test_opening_a_project_in_the_window_backs_it_up_in_the_background(window, project, qtbot):
    qtbot.waitUntil(lambda: len(backups.list_backups(project)) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: window.owner.backups.worker is None)
    assert backups.list_backups(project)[0].documents == 2
    assert window.owner.backups.timer.isActive()
    assert window.owner.backups.timer.interval() <= 24 * 60 * 60 * 1000

    window.owner.backups.check_daily()  # the hourly check: the newest backup is minutes old, nothing to do
    qtbot.waitUntil(lambda: window.owner.backups.worker is None)
    assert len(backups.list_backups(project)) == 1

    newest = backups.list_backups(project)[0].path  # a day passes
    newest.rename(newest.with_name(f"{(datetime.now(UTC) - timedelta(days=1, minutes=1)):%Y%m%dT%H%M%S.%fZ}.sqlite"))
    window.owner.backups.timer.timeout.emit()
    qtbot.waitUntil(lambda: len(backups.list_backups(project)) == 2, timeout=10_000)


def test_restore_from_the_project_menu(window, project, qtbot):
    qtbot.waitUntil(
        lambda: window.owner.backups.worker is None and len(backups.list_backups(project)) == 1, timeout=10_000
    )
    add_documents(project, [LATER])
    window.refresh_documents()
    assert window.documents.model.rowCount() == 3
    action = next(a for a in window.findChildren(QAction) if a.text() == "&Restore from Backup…")
    seen = {}

    def answer_dialog():
        dialog = QApplication.activeModalWidget()
        try:
            seen["rows"] = [
                [dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
                for r in range(dialog.table.rowCount())
            ]
            QTimer.singleShot(0, confirm)
            dialog.restore_button.click()
        finally:
            if dialog.isVisible():
                dialog.reject()

    def confirm():
        box = QApplication.activeModalWidget()
        try:
            assert isinstance(box, QMessageBox)
            seen["question"] = box.text()
            box.button(QMessageBox.StandardButton.Yes).click()
        finally:
            if box is not None and box.isVisible():
                box.reject()

    QTimer.singleShot(0, answer_dialog)
    action.trigger()

    assert len(seen["rows"]) == 1 and seen["rows"][0][1] == "2"  # when, 2 documents, size, note
    assert "(2 documents)" in seen["question"]
    qtbot.waitUntil(lambda: "Restored the backup" in window.statusBar().currentMessage(), timeout=15_000)
    assert window.documents.model.rowCount() == 2  # the window shows the restored project
    assert titles(window.project.path) == ["Lavrov", "Wheat"]
    assert window.project is not project  # reopened
    found = backups.list_backups(window.project)
    assert found[0].note == "made before a restore" and found[0].documents == 3
    window.project.close()
