"""The open project's owner, seen through the real window: switching, schema changes, others' work, new panels.

Real widgets offscreen, real SQLite project files, a second connection standing in for another program.
"""

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from annotator.core.model import Document, Layer
from annotator.core.schema import Label
from annotator.services import projects
from annotator.services.schema import change_schema, schema_of
from annotator.store.documents import add_documents
from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow
from annotator.ui.plain import without_mnemonic
from annotator.ui.schema_dialog import NAME, SchemaDialog

ARTICLES = [
    Document("Sergey Lavrov met officials in Moscow on Wednesday.", title="Lavrov in Moscow"),
    Document("Wheat prices rose as Elena Varga spoke.", title="Wheat prices"),
]


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "owner.annotator.sqlite"))
    add_documents(opened, ARTICLES)
    yield opened
    opened.close()


@pytest.fixture
def make_window(qtbot, project, ruler_model):
    def make():
        window = MainWindow(project, app_settings(), model=str(ruler_model))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make


def other_project(path, labels: tuple[str, ...], titles: tuple[str, ...]) -> str:
    """A project file of its own entity labels and articles, written and let go, as if made elsewhere."""
    made = projects.open_location(str(path))
    schema = schema_of(made)
    kept = tuple(label for label in schema.labels if label.layer != Layer.ENTITY)
    entities = tuple(Label(name, Layer.ENTITY, "#88aacc") for name in labels)
    change_schema(made, replace(schema, labels=entities + kept), {})
    add_documents(made, [Document(f"Text of {title}.", title=title) for title in titles])
    made.close()
    return str(path)


def titles(window) -> list[str]:
    proxy = window.documents.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def panel_labels(window) -> list[str]:
    items = [window.panel.labels.item(row).text() for row in range(window.panel.labels.count())]
    return [text.split("  ", 1)[1] for text in items if not text.startswith(("S ", "C "))]


def menu_labels(window) -> list[str]:
    """The entity labels as the Annotate ▸ Label Selection As menu shows them on screen."""
    return [without_mnemonic(action.text()) for action in window.label_menu.actions()]


class ProbePanel(QWidget):
    """A panel that came later: it knows only the owner, never the window's insides."""

    def __init__(self, owner) -> None:
        super().__init__()
        self.seen: list[tuple] = []
        owner.subscribe(
            opened=lambda project: self.seen.append(("opened", project.name)),
            schema_changed=lambda schema, kept: self.seen.append(
                ("schema", tuple(label.name for label in schema.labels_of(Layer.ENTITY)), kept)
            ),
            changed_elsewhere=lambda: self.seen.append(("elsewhere",)),
        )


def test_switching_project_updates_the_list_the_panel_and_the_label_menu(make_window, tmp_path):
    window = make_window()
    assert "PERSON" in panel_labels(window) and "PERSON" in menu_labels(window)
    location = other_project(tmp_path / "desk.annotator.sqlite", ("SOURCE", "TOPIC"), ("Desk memo",))

    window.switch_project(location)

    assert titles(window) == ["Desk memo"]
    assert window.article.title.text() == "Desk memo"
    assert panel_labels(window) == ["SOURCE", "TOPIC"]
    assert menu_labels(window) == ["SOURCE", "TOPIC"]
    assert [label.name for label in window.session.schema.labels_of(Layer.ENTITY)] == ["SOURCE", "TOPIC"]
    window.article.editor.setFocus()
    window.article.editor.setTextCursor(_selection(window, 0, 4))  # "Text"
    window.label_menu.actions()[1].trigger()
    assert [span.label for span in window.session.annotations.visible(Layer.ENTITY)] == ["TOPIC"]


def _selection(window, start: int, end: int):
    cursor = window.article.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    return cursor


def test_a_schema_change_made_in_the_dialog_reaches_every_subscriber(make_window, qtbot):
    window = make_window()
    probe = ProbePanel(window.owner)
    qtbot.addWidget(probe)
    failures = []

    def rename_person():
        dialog = window.findChild(SchemaDialog)
        try:
            table = dialog.table
            row = next(r for r in range(table.rowCount()) if table.item(r, NAME).text() == "PERSON")
            table.item(row, NAME).setText("INDIVIDUAL")
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        except BaseException as exc:  # noqa: BLE001 (raised below, once the dialog is shut)
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, rename_person)
    with qtbot.waitSignal(window.owner.schema_changed, timeout=5000) as changed:
        window.edit_label_schema()
    assert not failures, failures

    schema, history_kept = changed.args
    assert not history_kept
    names = [label.name for label in schema.labels_of(Layer.ENTITY)]
    assert names[0] == "INDIVIDUAL" and "PERSON" not in names
    assert panel_labels(window)[0] == "INDIVIDUAL"
    assert menu_labels(window)[0] == "INDIVIDUAL"
    assert window.session.schema is schema and window.schema is schema  # one schema, the owner's
    assert probe.seen[-1] == ("schema", tuple(names), False)
    assert "Label schema saved" in window.statusBar().currentMessage()


def test_work_saved_by_another_program_reaches_the_window_as_changed_elsewhere(make_window, qtbot, project):
    window = make_window()
    probe = ProbePanel(window.owner)
    qtbot.addWidget(probe)
    elsewhere = projects.open_location(str(project.path))  # another connection on the same file
    try:
        add_documents(elsewhere, [Document("Written by another program.", title="From elsewhere")])
    finally:
        elsewhere.close()

    window.owner.refresh_timer.setInterval(50)  # the owner's own timer finds it, nothing is called by hand
    with qtbot.waitSignal(window.owner.changed_elsewhere, timeout=5000):
        pass
    assert titles(window) == ["Lavrov in Moscow", "Wheat prices", "From elsewhere"]
    assert window.article.title.text() == "Lavrov in Moscow"  # the open article stays
    assert ("elsewhere",) in probe.seen


def test_a_new_panel_follows_the_project_without_any_change_to_the_window(make_window, qtbot, tmp_path):
    window = make_window()
    probe = ProbePanel(window.owner)
    window.add_dock("Probe", probe, "probeDock", Qt.DockWidgetArea.RightDockWidgetArea)
    assert probe.seen == [("opened", "owner")]  # told of the project open now, at once

    window.switch_project(other_project(tmp_path / "team.annotator.sqlite", ("SOURCE",), ("Memo",)))
    assert probe.seen[-1] == ("opened", "team")

    with qtbot.waitSignal(window.owner.schema_changed):
        window.import_paths([str(_tagged_file(tmp_path))], add_labels=True)  # an import that adds a label
    assert probe.seen[-1] == ("schema", ("SOURCE", "VENUE"), True)
    assert "VENUE" in panel_labels(window) and "VENUE" in menu_labels(window)
    window.workers.cancel_all()
    window.workers.wait()


def _tagged_file(tmp_path):
    path = tmp_path / "tagged.jsonl"
    path.write_text('{"text": "Talks at the Hall.", "label": [[13, 17, "VENUE"]]}\n')  # doccano's shape
    return path


def test_labels_with_an_ampersand_show_it_in_every_menu(make_window, qtbot, tmp_path, monkeypatch):
    from annotator.ui.cheat_sheet import CheatSheet

    window = make_window()
    window.switch_project(other_project(tmp_path / "rd.annotator.sqlite", ("R&D", "M&&A"), ("Lab news",)))
    assert [action.text() for action in window.label_menu.actions()] == ["R&&D", "M&&&&A"]
    assert menu_labels(window) == ["R&D", "M&&A"]  # as typed, no letter taken for a shortcut

    window.article.editor.setFocus()
    window.article.editor.setTextCursor(_selection(window, 0, 4))
    rect = window.article.editor.cursorRect()
    window.article.editor.customContextMenuRequested.emit(rect.center())  # what a right-click sends
    menu = window.text_menu
    qtbot.waitUntil(menu.isVisible)
    labels = next(action.menu() for action in menu.actions() if action.menu() is not None)
    assert [without_mnemonic(action.text()) for action in labels.actions()] == ["R&D", "M&&A"]
    labels.actions()[0].trigger()
    menu.close()
    assert [span.label for span in window.session.annotations.visible(Layer.ENTITY)] == ["R&D"]

    shown = {}
    monkeypatch.setattr(CheatSheet, "exec", lambda sheet: shown.setdefault("text", sheet.browser.toPlainText()))
    next(a for a in window.findChildren(QAction) if a.text() == "&Keyboard Shortcuts").trigger()  # F1
    assert "R&D" in shown["text"] and "M&&A" in shown["text"]  # F1 lists the keys by the names as typed


def test_preannotation_ending_after_the_window_closed_is_ignored(qtbot, project, ruler_model):
    add_documents(project, [Document(f"Article {i}: Sergey Lavrov in Moscow.", title=f"more {i}") for i in range(200)])
    assert QThreadPool.globalInstance().waitForDone(60_000)  # no earlier test's work holds the threads
    window = MainWindow(project, app_settings(), model=str(ruler_model))  # not qtbot's: this test deletes it
    window.show()
    qtbot.waitExposed(window)
    window.start_background_preannotation()
    worker = window.preannotation
    assert worker is not None
    ended = []
    worker.signals.finished.connect(lambda _report: ended.append("finished"))
    worker.signals.failed.connect(lambda *_: ended.append("failed"))

    window.close()  # the analyst quits while spaCy is still at work
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the window and its status bar are gone
    qtbot.waitUntil(lambda: bool(ended), timeout=60_000)
    QApplication.processEvents()  # every queued signal of the worker delivered: none may reach a dead widget
    assert QThreadPool.globalInstance().waitForDone(10_000)


def test_an_import_ending_after_the_window_closed_is_ignored(qtbot, project, ruler_model):
    import threading

    assert QThreadPool.globalInstance().waitForDone(60_000)
    window = MainWindow(project, app_settings(), model=str(ruler_model))
    window.show()
    qtbot.waitExposed(window)
    release, ended = threading.Event(), []

    def slow_import(_project, progress, cancel):
        release.wait(30)
        progress(1, 1)
        return "done"

    worker = window._run("Importing", slow_import, done=lambda _result: ended.append("told"))
    worker.signals.finished.connect(lambda _result: ended.append("finished"))
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the window and its progress dialog are gone
    release.set()
    qtbot.waitUntil(lambda: "finished" in ended, timeout=30_000)
    QApplication.processEvents()
    assert ended == ["finished"]  # nothing was told to a window that is gone, and nothing raised
