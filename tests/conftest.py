"""Shared fixtures: a private data folder per test, real SQLite files, the corpus, spaCy pipelines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt aborts without a display unless told to draw offscreen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("ANNOTATOR_CORPUS", REPO.parent / "shared" / "corpus"))
# A server database the tests may create and drop databases in, e.g.
# postgresql+psycopg://postgres@127.0.0.1:54329/postgres (.ci/run starts one).
POSTGRES_URL = os.environ.get("ANNOTATOR_TEST_POSTGRES_URL")


@pytest.fixture(autouse=True)
def annotator_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own ANNOTATOR_HOME: no test sees the user's data or another test's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))
    return home


def shared_corpus() -> Path:
    """The shared corpus; a test without it skips, or fails where REQUIRE_CORPUS=1 (CI) says it must run."""
    if not CORPUS.is_dir():
        missing(f"the shared corpus is not at {CORPUS} (set ANNOTATOR_CORPUS to its folder)")
    return CORPUS


def missing(reason: str) -> None:
    """Skip for ``reason``; fail instead where REQUIRE_CORPUS=1 (CI) says the test must run."""
    if os.environ.get("REQUIRE_CORPUS") == "1":
        pytest.fail(reason + "; REQUIRE_CORPUS=1 makes that a failure")
    pytest.skip(reason)


@pytest.fixture
def corpus() -> Path:
    return shared_corpus()


@pytest.fixture
def project(tmp_path):
    from annotator.store.project import open_project

    opened = open_project(tmp_path / "test.annotator.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def postgres_url():
    """The URL of a new, empty PostgreSQL database, dropped after the test. Without a server the test is
    skipped, or fails where REQUIRE_POSTGRES=1 (CI) says one must be there."""
    if not POSTGRES_URL:
        reason = "no PostgreSQL server given (set ANNOTATOR_TEST_POSTGRES_URL)"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + "; REQUIRE_POSTGRES=1 makes that a failure")
        pytest.skip(reason)
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"annotator_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_project(request, tmp_path):
    """The same repository code on both backends a project can live in."""
    from annotator.store.project import open_project

    location = tmp_path / "test.annotator.sqlite" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    opened = open_project(location)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def ruler_model(tmp_path_factory) -> Path:
    """A small real pipeline on disk: blank English plus an entity ruler. Loads in milliseconds,
    so GUI and CLI tests exercise the real loading and suggestion path without the big model."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": [{"LOWER": "sergey"}, {"LOWER": "lavrov"}]},
            {"label": "PERSON", "pattern": "Lavrov"},
            {"label": "PERSON", "pattern": [{"LOWER": "elena"}, {"LOWER": "varga"}]},
            {"label": "GPE", "pattern": "Moscow"},
            {"label": "GPE", "pattern": "Riverton"},
            {"label": "ORG", "pattern": [{"LOWER": "foreign"}, {"LOWER": "ministry"}]},
        ]
    )
    nlp.meta["name"] = "test_ruler"
    nlp.meta["version"] = "0.0.1"
    folder = tmp_path_factory.mktemp("models") / "test_ruler"
    nlp.to_disk(folder)
    return folder


@pytest.fixture(scope="session")
def real_pipeline():
    """The default pipeline (en_core_web_sm), loaded once for the whole run."""
    from annotator.nlp.pipelines import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def parsing_pipeline():
    """The default pipeline with its parser: what statement and claim suggestions read."""
    from annotator.core.model import Layer
    from annotator.nlp.pipelines import load_pipeline

    return load_pipeline(None, frozenset(Layer))


def type_into(qtbot):
    """Type text key by key. QTest can only name ASCII keys; other characters (“ ’ ё) go as key
    events carrying their text, which is what a keyboard layout or input method delivers."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    def type_text(widget, text: str) -> None:
        for char in text:
            if char.isascii():
                qtbot.keyClicks(widget, char)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))

    return type_text


@pytest.fixture
def typing(qtbot):
    return type_into(qtbot)


@pytest.fixture
def choose_speaker(qtbot):
    """Press P in a window's article and answer the modal speaker dialog as an analyst would: type,
    then Enter. Returns the rows the dialog offered for what was typed."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.ui.speaker_picker import SpeakerPicker

    def choose(window, typed: str) -> list[str]:
        type_keys = type_into(qtbot)
        offered = []

        def answer():
            picker = QApplication.activeModalWidget()
            try:
                assert isinstance(picker, SpeakerPicker)
                qtbot.waitUntil(picker.query.hasFocus, timeout=2000)
                type_keys(picker.query, typed)
                offered.extend(picker.list.item(i).text() for i in range(picker.list.count()))
                qtbot.keyClick(picker.query, Qt.Key.Key_Return)
            finally:
                if picker is not None and picker.isVisible():
                    picker.reject()  # never leave a modal dialog waiting: the test would hang

        QTimer.singleShot(0, answer)
        qtbot.keyClick(window.article.editor, Qt.Key.Key_P)
        # Once the dialog closes the window is active again, as on a desktop.
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.waitUntil(window.article.editor.hasFocus)
        return offered

    return choose


@pytest.fixture
def safety_net(qapp):
    """``safety_net(ms, action)``: run ``action`` (ending an event loop a test started) if the test is still
    running after ``ms``. Stopped when the test ends: a bare QTimer.singleShot would fire in a later test,
    ending its loops or closing its windows (a whole file of window tests once failed that way)."""
    from PySide6.QtCore import QTimer

    timers = []

    def arm(ms: int, action) -> None:
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(action)
        timer.start(ms)
        timers.append(timer)

    yield arm
    for timer in timers:
        timer.stop()


@pytest.fixture(scope="session")
def hebrew_model(tmp_path_factory):
    """A real pipeline whose spaCy language is Hebrew: blank("he") and an entity ruler, on disk."""
    import spacy

    nlp = spacy.blank("he")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "בנימין נתניהו"},
        {"label": "PERSON", "pattern": "ונתניהו"},
        {"label": "GPE", "pattern": "ירושלים"},
    ])
    nlp.meta["name"] = "test_ruler"
    nlp.meta["version"] = "0.0.2"
    folder = tmp_path_factory.mktemp("models") / "he_test_ruler"
    nlp.to_disk(folder)
    return folder


def activate(qtbot, window) -> None:
    """Make ``window`` the active one, its text focused: shortcuts reach only the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.article.editor.setFocus()


@pytest.fixture
def open_window(qtbot, ruler_model):
    """``open_window(location, annotator="ana", read_only=False)``: a real main window on a project of its
    own connections (a second window, another program), shown and active; all closed at the end."""
    from annotator.services import projects
    from annotator.ui.application import app_settings
    from annotator.ui.main_window import MainWindow

    opened = []

    def make(location, annotator="ana", read_only=False):
        project = projects.open_location(str(location), create=False, read_only=read_only)
        settings = app_settings()
        settings.setValue("annotator", annotator)
        window = MainWindow(project, settings, model=str(ruler_model))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        activate(qtbot, window)
        opened.append((window, project))
        return window

    yield make
    for window, project in opened:
        window.workers.cancel_all()
        window.workers.wait()
        window.close()
        project.close()
