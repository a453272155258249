"""Errors in the window: a bug shows a dialog that says what happened and where the log is, the log has the
whole traceback, the window keeps working, and the work done before the error is in the project.

A real MainWindow offscreen, a real project file, the real log handler writing into the test's own log
folder. pytest-qt's own capture of exceptions is turned off for these tests: our hook is what is tested.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor

from annotator import app, logfile, paths
from annotator.core.model import Document, Layer
from annotator.services import projects
from annotator.store.documents import add_documents
from annotator.ui import application
from annotator.ui.main_window import MainWindow

TEXT = "Sergey Lavrov spoke in Moscow on Tuesday."
ARTICLES = [Document(TEXT, title="Lavrov"), Document("Elena Varga opened the bridge.", title="Bridge")]


@pytest.fixture
def log_file(annotator_home):
    """The app's real logging, into this test's log folder; the handler is removed afterwards."""
    logger = logging.getLogger("annotator")
    kept = list(logger.handlers)
    for handler in kept:
        logger.removeHandler(handler)
    handler = app.setup_logging()
    yield paths.log_file()
    logger.removeHandler(handler)
    handler.close()
    for old in kept:
        logger.addHandler(old)


@pytest.fixture
def reporter(monkeypatch, qapp):
    """Our excepthook, installed as application.run installs it; Python's hooks are restored afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    installed = application.install_excepthook()
    yield installed
    if installed.box is not None:
        installed.box.close()


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "errors.annotator.sqlite"))
    add_documents(opened, ARTICLES)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, project, ruler_model):
    made = MainWindow(project, application.app_settings(), model=str(ruler_model))
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow)
    yield made
    made.workers.cancel_all()
    made.workers.wait(10_000)


def label_words(qtbot, window, words: str) -> None:
    """Select the words in the article and press 1 (the first entity label), as an analyst would."""
    text = window.article.editor.toPlainText()
    start = text.index(words)
    cursor = window.article.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    window.article.editor.setTextCursor(cursor)
    window.article.editor.setFocus()
    qtbot.keyClick(window.article.editor, Qt.Key.Key_1)


def saved_spans(path) -> list[tuple[int, int, str]]:
    """What is in the project file, read by a separate plain connection."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [tuple(row) for row in conn.execute('SELECT start, "end", label FROM spans ORDER BY start, "end"')]
    finally:
        conn.close()


def wait_for_dialog(qtbot, reporter):
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible(), timeout=5_000)
    return reporter.box


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_shows_where_the_log_is_and_the_window_carries_on(
    qtbot, window, project, reporter, log_file
):
    label_words(qtbot, window, "Sergey Lavrov")
    first_label = window.schema.labels_of(Layer.ENTITY)[0].name
    assert saved_spans(project.path) == [(0, 13, first_label)]

    def broken_slot():
        raise RuntimeError("the list model fell over")

    QTimer.singleShot(0, broken_slot)
    box = wait_for_dialog(qtbot, reporter)
    try:
        assert box.windowTitle() == "Unexpected error"
        assert box.text() == "RuntimeError: the list model fell over"
        assert str(log_file) in box.informativeText()
        assert "Your work is saved" in box.informativeText()
        assert "broken_slot" in box.detailedText()
    finally:
        box.close()
    qtbot.waitUntil(lambda: reporter.box is None)

    logged = log_file.read_text(encoding="utf-8")
    assert "ERROR annotator.ui.application" in logged and "unexpected error" in logged
    assert "Traceback (most recent call last)" in logged and "broken_slot" in logged
    assert "RuntimeError: the list model fell over" in logged

    # The window goes on: the next article opens and takes an annotation; the first one is still saved.
    window.activateWindow()  # once the dialog is gone the window is active again, as on a desktop
    qtbot.waitUntil(window.isActiveWindow)
    window.go_document(1)
    assert window.article.title.text() == "Bridge"
    label_words(qtbot, window, "Elena Varga")
    assert saved_spans(project.path) == [(0, 11, first_label), (0, 13, first_label)]


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_background_thread_is_shown_on_the_window_thread(qtbot, window, reporter, log_file):
    def crash():
        raise ValueError("a worker thread crashed")

    thread = threading.Thread(target=crash, name="helper-thread")
    thread.start()
    thread.join()
    box = wait_for_dialog(qtbot, reporter)
    try:
        assert box.text() == "ValueError: a worker thread crashed"
        assert box.thread() == window.thread()  # made on the GUI thread, never on the failing one
        assert str(log_file) in box.informativeText()
    finally:
        box.close()
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error in thread helper-thread" in logged and "ValueError: a worker thread crashed" in logged


@pytest.mark.qt_no_exception_capture
def test_errors_that_keep_coming_open_one_dialog_and_are_counted(qtbot, window, reporter, log_file):
    def broken_paint():
        raise KeyError("row 7")

    for _ in range(3):
        QTimer.singleShot(0, broken_paint)
    box = wait_for_dialog(qtbot, reporter)
    try:
        qtbot.waitUntil(lambda: "2 more errors since" in box.informativeText())
        assert [w for w in window.findChildren(type(box)) if w.isVisible()] == [box]
    finally:
        box.close()
    assert log_file.read_text(encoding="utf-8").count("KeyError: 'row 7'") == 3


def test_the_log_rotates_in_the_log_folder(log_file):
    logger = logging.getLogger("annotator.test")
    line = "x" * 999
    for _ in range(logfile.LOG_MAX_BYTES // 1000 + 50):
        logger.info(line)
    rotated = log_file.with_name("annotator.log.1")
    assert log_file.parent == paths.log_dir()
    assert rotated.is_file()
    assert rotated.stat().st_size <= logfile.LOG_MAX_BYTES and log_file.stat().st_size <= logfile.LOG_MAX_BYTES
    assert line in rotated.read_text(encoding="utf-8")
    assert sorted(p.name for p in paths.log_dir().iterdir()) == ["annotator.log", "annotator.log.1"]
