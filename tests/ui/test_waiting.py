"""File ▸ Open Project… on a project whose opening takes a while (a big file's every page is checked
first): the window keeps painting behind a busy dialog instead of freezing, and then shows the project.

Real window, real SQLite project files. The seconds a 900 MB file's check takes are stood in for by a
pause before the real opening."""

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog

from annotator.core.errors import ProjectError
from annotator.core.model import Document
from annotator.services import projects
from annotator.store.documents import add_documents
from annotator.ui.waiting import wait_for

PAUSE_S = 0.6
HOSTILE = '<img src="zero"><b>desk &amp; co'  # a file name that looks like HTML (no slash: a name, not folders)


def made_elsewhere(path) -> str:
    made = projects.open_location(str(path))
    add_documents(made, [Document("Text of the desk memo.", title="Desk memo")])
    made.close()
    return str(path)


def watched_while(step):
    """What the GUI thread did while ``step`` ran: its timer's ticks and the busy dialog's text."""
    ticks, seen = [], []
    timer = QTimer()
    timer.setInterval(20)

    def tick():
        ticks.append(time.perf_counter())
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QProgressDialog):
            label = dialog.findChild(QLabel)
            seen.append((label.text(), label.textFormat(), dialog.isVisible()))

    timer.timeout.connect(tick)
    timer.start()
    try:
        result = step()
    finally:
        timer.stop()
    return result, ticks, seen


@pytest.fixture
def first(tmp_path):
    opened = projects.open_location(str(tmp_path / "first.annotator.sqlite"))
    add_documents(opened, [Document("Sergey Lavrov met officials in Moscow.", title="Lavrov in Moscow")])
    yield opened
    opened.close()


def test_the_window_keeps_painting_while_a_slow_project_opens_then_shows_it(show_window, first, tmp_path,
                                                                            monkeypatch):
    window = show_window(first)
    location = made_elsewhere(tmp_path / f"{HOSTILE}.annotator.sqlite")
    real_open = projects.open_location

    def slow_open(*args, **kwargs):
        time.sleep(PAUSE_S)  # a big file's page check
        return real_open(*args, **kwargs)

    monkeypatch.setattr(projects, "open_location", slow_open)
    _, ticks, seen = watched_while(lambda: window.switch_project(location))

    assert len(ticks) >= 10, "the window's event loop stood still while the project opened"
    assert seen and seen[0] == (f"Checking and opening {HOSTILE}.annotator.sqlite…", Qt.TextFormat.PlainText, True)
    assert QApplication.activeModalWidget() is None  # the busy dialog is gone
    proxy = window.documents.proxy
    assert [proxy.index(row, 0).data() for row in range(proxy.rowCount())] == ["Desk memo"]
    assert window.owner.project.name.startswith(HOSTILE)


def test_a_quick_step_shows_no_dialog_and_a_failing_one_raises_in_the_caller(qtbot):
    _, ticks, seen = watched_while(lambda: wait_for(None, "Open Project", "Opening…", lambda: 42))
    assert seen == []

    def refused():
        time.sleep(PAUSE_S)
        raise ProjectError("desk.annotator.sqlite: the database failed: disk I/O error")

    with pytest.raises(ProjectError, match="disk I/O error"):
        wait_for(None, "Open Project", "Opening…", refused)
    assert QApplication.activeModalWidget() is None
    assert wait_for(None, "Open Project", "Opening…", lambda: 42) == 42
