"""Start-up on a project this version reads as it stands: the main window paints the list and the last
article from a plain read, before the project is open, then takes the project over without a second
read or a lost commit."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import Layer, State, Status
from annotator.services import annotating, projects, schema
from annotator.ui import application, main_window
from tests.reliability.test_damaged_project import damaged_project, titles
from tests.services.interchange_data import FIRST as LAVROV
from tests.services.interchange_data import _find, annotate


@pytest.fixture
def quiet_start(monkeypatch, qapp):
    """run() installs its own error hooks: Python's come back afterwards. No pre-annotation in the
    background: spaCy still loading at the end would make run() leave at once. The window run() made
    is deleted afterwards: a later test looking through the top-level windows must not find it."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(main_window, "start_later", lambda _window: None)
    before = set(QApplication.topLevelWidgets())
    yield
    for window in set(QApplication.topLevelWidgets()) - before:
        if type(window).__name__ == "MainWindow":
            window.close()
            window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def remember(path, document_id: int, annotator: str) -> None:
    settings = application.app_settings()
    settings.setValue(main_window.last_document_key(str(path.resolve())), document_id)
    settings.setValue("annotator", annotator)
    settings.sync()


def run_watched(path, watch, safety_net, seconds: int = 30) -> int:
    """``application.run`` on ``path`` with ``watch`` looking at the windows from its first turn of the
    event loop, and never longer than ``seconds``."""
    QTimer.singleShot(0, watch)
    safety_net(seconds * 1000, lambda: QApplication.instance().exit(3))
    return application.run(str(path), ["annotator"])


def main_windows():
    return [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible()]


def test_the_list_and_last_article_are_painted_first_then_the_project_is_taken_over(
    tmp_path, qapp, quiet_start, safety_net, monkeypatch
):
    path = tmp_path / "Election night.annotator.sqlite"
    project = projects.open_location(str(path))
    ids = annotate(project, "ana")
    project.close()
    remember(path, ids["first"], "ana")
    attached_with: list = []
    original = main_window.MainWindow.attach

    def attach(window, opened, model=None, first=None):
        attached_with.append(first)
        # Someone else saves in the open article between the first paint and the project opening.
        other = projects.open_location(str(path))
        notes = annotating.open_annotations(other, ids["first"], "cy", schema.schema_of(other))
        annotating.save(other, notes.tag(Layer.ENTITY, "ORG", *_find(LAVROV, "MOSCOW")))
        other.close()
        original(window, opened, model, first)

    monkeypatch.setattr(main_window.MainWindow, "attach", attach)
    seen: dict = {}

    def watch() -> None:
        for window in main_windows():
            if "painted" not in seen and window.article.editor.toPlainText():
                seen["menus"] = [a.text() for a in window.menuBar().actions()]
                seen["painted"] = (
                    window.owner is None,
                    window.article.editor.toPlainText(),
                    window.documents.current_id(),
                    window.documents.model.rowCount(),
                    window.windowTitle(),
                )
            if window.owner is not None:
                seen["menus ready"] = [a.text() for a in window.menuBar().actions()]
                seen["ready"] = (
                    window.session.annotations.document.id,
                    window.panel.items.count(),
                    sorted(s.label for s in window.session.annotations.visible(Layer.ENTITY)),
                    window.windowTitle(),
                )
                window.finish_document(Status.SKIPPED)  # a real action, saved in the project
                seen["after"] = window.documents.current_id()
                window.close()
                return
        QTimer.singleShot(1, watch)

    code = run_watched(path, watch, safety_net)

    assert code == 0
    not_yet_open, text, current, rows, title = seen["painted"]
    assert not_yet_open and text == LAVROV and current == ids["first"] and rows == 3
    assert "Election night" in title
    assert seen["menus"] == seen["menus ready"] == list(main_window.MENU_TITLES)  # nothing moves when they fill
    assert attached_with and attached_with[0] is not None  # the painted view was handed over, not read again
    shown, items, entities, title = seen["ready"]
    assert shown == ids["first"] and items > 0  # the statements and claims panel lists the article's
    assert "ORG" in entities  # the entity saved elsewhere in between is on screen
    assert seen["after"] == ids["second"]
    reopened = projects.open_location(str(path))
    notes = annotating.open_annotations(reopened, ids["first"], "ana", schema.schema_of(reopened))
    assert notes.status == Status.SKIPPED
    reopened.close()


def test_a_project_damaged_where_the_first_paint_does_not_read_is_offered_its_backup(
    tmp_path, qapp, quiet_start, safety_net
):
    """The pages are checked once the window is up: the damage is said in that window, the newest sound
    backup offered, and the restored project opens in it."""
    # The search index: the list and the article still read.
    path, sound = damaged_project(tmp_path, "documents_fts_data")
    seen: dict = {}

    def watch() -> None:
        box = QApplication.activeModalWidget()
        windows = main_windows()
        if windows and "painted" not in seen:
            seen["painted"] = windows[0].documents.model.rowCount()
        if isinstance(box, QMessageBox) and "box" not in seen:
            seen["box"] = (box.text(), box.parent() is (windows[0] if windows else None))
            next(b for b in box.buttons() if b.text() == "&Restore").click()
        for window in windows:
            if window.owner is not None and "Restored the backup" in window.statusBar().currentMessage():
                seen["rows"] = window.documents.model.rowCount()
                window.close()
                return
        QTimer.singleShot(5, watch)

    code = run_watched(path, watch, safety_net, seconds=60)

    assert code == 0
    assert seen["painted"] == 42  # painted from the damaged file before the check had finished
    text, in_the_window = seen["box"]
    assert f"{path} is damaged" in text and sound.name in text and in_the_window
    assert seen["rows"] == 2 and titles(path) == ["Lavrov", "Wheat"]


def test_declining_the_restore_leaves_the_damaged_project_as_it_was(tmp_path, qapp, quiet_start, safety_net):
    path, _sound = damaged_project(tmp_path, "documents_fts_data", later=[])
    before = path.read_bytes()

    def watch() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            next(b for b in box.buttons() if b.text() != "&Restore").click()
            return
        QTimer.singleShot(5, watch)

    assert run_watched(path, watch, safety_net, seconds=60) == 1
    assert path.read_bytes() == before


def test_the_window_and_its_first_paint_import_no_database_library():
    """What makes the first paint quick: nothing it imports brings SQLAlchemy (a module of the window
    that imported a service at its top would put a third of a second back on every start)."""
    code = (
        "import sys\n"
        "import annotator.app, annotator.ui.application, annotator.ui.main_window, annotator.services.first_view\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'spacy')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_suggestion_left_unreviewed_is_painted_as_one_and_later_rows_come_from_the_open_project(tmp_path, qapp, quiet_start, safety_net):
    path = tmp_path / "p.annotator.sqlite"
    project = projects.open_location(str(path))
    ids = annotate(project, "ana")
    project.close()
    remember(path, ids["first"], "ana")
    seen: dict = {}

    def watch() -> None:
        for window in main_windows():
            if "states" not in seen and window.article.editor.toPlainText():
                seen["states"] = {s.state for s in window.article.spans.values()}
            if window.owner is not None:
                # The plain read's connection is the change watcher's now: rows still to come do not use it.
                window.owner.watcher.close()
                seen["later rows"] = [row.title for row in window.documents.model.load_rows([ids["third"]])]
                window.close()
                return
        QTimer.singleShot(1, watch)

    assert run_watched(path, watch, safety_net) == 0
    assert {State.SUGGESTED, State.ACCEPTED} <= seen["states"]
    assert seen["later rows"] == ["Untouched"]


def test_the_painted_window_keeps_painting_while_a_slow_page_check_runs(
    tmp_path, qapp, quiet_start, safety_net, monkeypatch
):
    """A big project's page check reads its whole file (seconds from a slow disk): the window painted
    from the first view goes on processing its events meanwhile, then takes the project over."""
    from annotator.services import first_view

    path = tmp_path / "Big desk.annotator.sqlite"
    project = projects.open_location(str(path))
    ids = annotate(project, "ana")
    project.close()
    remember(path, ids["first"], "ana")
    real_check, times = first_view.check_pages, {}

    def slow_check(view):
        times["check"] = time.perf_counter()
        time.sleep(0.6)  # a 900 MB file's quick_check
        real_check(view)
        times["checked"] = time.perf_counter()

    monkeypatch.setattr(first_view, "check_pages", slow_check)
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
    ticker.start()

    def watch() -> None:
        for window in main_windows():
            if window.owner is not None:
                times["attached"] = time.perf_counter()
                window.close()
                return
        QTimer.singleShot(1, watch)

    try:
        code = run_watched(path, watch, safety_net)
    finally:
        ticker.stop()
    assert code == 0 and "attached" in times
    during = [t for t in ticks if times["check"] <= t <= times["checked"]]
    assert len(during) >= 10, f"the window's events stood still during the page check ({len(during)} ticks)"
