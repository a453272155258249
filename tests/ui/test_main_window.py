"""The main window driven as a user would: real project file, real widgets, real worker threads."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import Document, Span, State
from annotator.services import preannotating, projects
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions
from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow
from annotator.ui.plain import plain_tooltip

ARTICLES = [
    Document("Sergey Lavrov met officials in Moscow 😀 on Wednesday.", title="Lavrov in Moscow", date="2021-01-13"),
    Document("Wheat prices rose 12% as Elena Varga 🇷🇺 spoke in Riverton.", title="Wheat prices", date="2026-04-14"),
    Document("A third article with no names at all.", title="Quiet day", date="2026-05-01"),
]


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "gui.annotator.sqlite"))
    add_documents(opened, ARTICLES)
    yield opened
    opened.close()


@pytest.fixture
def make_window(qtbot, project, ruler_model):
    def make(**kwargs):
        window = MainWindow(project, app_settings(), model=str(ruler_model), **kwargs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # shortcuts only reach the active window
        qtbot.waitUntil(window.isActiveWindow)
        return window

    return make


def visible_titles(window):
    proxy = window.documents.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_window_lists_documents_and_opens_the_first(make_window):
    window = make_window()
    assert visible_titles(window) == ["Lavrov in Moscow", "Wheat prices", "Quiet day"]
    assert window.article.title.text() == "Lavrov in Moscow"
    assert window.article.subtitle.text() == "2021-01-13 · new"
    assert window.article.editor.toPlainText() == ARTICLES[0].text
    assert window.windowTitle() == "gui — Annotator"


def test_filter_box_narrows_the_list_by_title(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.documents.filter, "WHEAT")
    assert visible_titles(window) == ["Wheat prices"]
    window.documents.filter.clear()
    assert len(visible_titles(window)) == 3


def test_background_preannotation_highlights_entities_without_blocking(make_window, qtbot, project):
    window = make_window()
    assert window.article.highlighter.spans_between(0, 10_000) == []
    window.start_background_preannotation()
    assert window.preannotation is not None  # returned at once: the work runs on a worker thread
    qtbot.waitUntil(lambda: window.preannotation is None, timeout=20_000)
    shown = [(p.span.label, window.article.document.text[p.span.start : p.span.end]) for p in window.article.highlighter.spans_between(0, 10_000)]
    assert shown == [("PERSON", "Sergey Lavrov"), ("GPE", "Moscow")]
    counts = {window.documents.model.summary(r).title: window.documents.model.summary(r).entity_count for r in range(3)}
    assert counts == {"Lavrov in Moscow": 2, "Wheat prices": 2, "Quiet day": 0}
    assert "suggested in 3 document(s) by en_test_ruler@0.0.1" in window.statusBar().currentMessage()
    assert not window.progress.isVisible()


def test_last_document_and_geometry_are_remembered(make_window, qtbot):
    window = make_window()
    window.resize(780, 520)
    window.documents.select(window.documents.model.summary(1).id)
    assert window.article.title.text() == "Wheat prices"
    window.close()

    again = make_window()
    assert again.article.title.text() == "Wheat prices"
    assert (again.width(), again.height()) == (780, 520)  # not the default 1280 x 800; the offscreen screen is 800 wide


def test_import_from_the_window_reports_bad_files_and_adds_the_rest(make_window, qtbot, tmp_path):
    window = make_window()
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "good.txt").write_text("date 2026-07-01 New arrival\n\nLavrov arrived.\n", encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "fine"}\n{"no": "text"}\n', encoding="utf-8")
    window.import_paths([str(folder)])

    def report_box():
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: report_box() is not None, timeout=10_000)
    box = report_box()
    assert box.text() == "2 documents imported from 2 file(s), 1 problem(s)."
    assert "broken.jsonl:2: expected a non-empty string in 'text'" in box.detailedText()
    box.close()
    assert "New arrival" in visible_titles(window)
    window.workers.cancel_all()
    window.workers.wait()


def test_suggestions_already_stored_are_shown_on_open(make_window, project):
    doc_id = 1
    save_suggestions(project, [(doc_id, [Span(0, 13, "PERSON", origin="m@1", state=State.SUGGESTED)])], "m@1")
    window = make_window()
    assert window.article.info.text().startswith("Point at a highlight")
    [placed] = window.article.highlighter.spans_between(0, 100)
    assert placed.span.label == "PERSON" and (placed.start, placed.end) == (0, 13)
    assert "PERSON" in window.article.legend.text()


def test_keyboard_reaches_the_filter_and_the_list(make_window, qtbot):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.documents.filter.hasFocus()
    window.documents.table.setFocus()
    qtbot.keyClick(window.documents.table, Qt.Key.Key_Down)
    assert window.article.title.text() == "Wheat prices"


def test_preannotate_dialog_shows_progress_and_can_be_cancelled(make_window, qtbot, project):
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    add_documents(project, [Document(f"Article {i}: Sergey Lavrov in Moscow.", title=f"more {i}") for i in range(400)])
    window = make_window()
    window.preannotate_with_dialog()
    dialogs = [w for w in window.findChildren(QProgressDialog) if w.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].windowTitle() == "Pre-annotating"
    worker = window.preannotation
    with qtbot.waitSignal(worker.signals.finished, timeout=20_000) as finished:
        qtbot.mouseClick(dialogs[0].findChild(QPushButton), Qt.MouseButton.LeftButton)  # long before 403 are done
    report = finished.args[0]
    assert report.cancelled and report.documents < 403
    assert preannotating.pending_count(window.project) == 403 - report.documents  # what was reported was saved
    assert not [w for w in window.findChildren(QProgressDialog) if w.isVisible()]  # closed (and let go)
    assert window.preannotation is None


def test_hovering_a_highlight_shows_its_label_and_origin(make_window, qtbot, project):
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QToolTip

    save_suggestions(project, [(1, [Span(0, 13, "PERSON", origin="m@1", state=State.SUGGESTED)])], "m@1")
    window = make_window()
    editor = window.article.editor
    cursor = QTextCursor(editor.document())
    cursor.setPosition(5)
    point = editor.cursorRect(cursor).center()
    qtbot.mouseMove(editor.viewport(), point)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and bool(QToolTip.text()), timeout=3000)
    assert QToolTip.text() == plain_tooltip("PERSON “Sergey Lavrov” — suggested by m@1")  # escaped: shown as is


def test_switching_to_another_project(make_window, tmp_path):
    window = make_window()
    other = tmp_path / "other.annotator.sqlite"
    window.switch_project(str(other))
    assert window.windowTitle() == "other — Annotator"
    assert visible_titles(window) == []
    assert window.article.title.text() == "No document open"
    assert other.exists()


def test_dropping_files_on_the_window_imports_them(make_window, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    window = make_window()
    article = tmp_path / "dropped.txt"
    article.write_text("date 2026-08-01 Dropped article\n\nElena Varga arrived.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    enter = QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: "Dropped article" in visible_titles(window), timeout=10_000)
    for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.close()
    window.workers.cancel_all()
    window.workers.wait()


def test_export_from_the_window_writes_the_project(make_window, qtbot, tmp_path):
    import orjson

    window = make_window()
    target = tmp_path / "exported.jsonl"
    window.export_to(str(target))
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.statusBar().currentMessage() == f"3 document(s) with 0 span(s) written to {target}"
    records = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert [r["text"] for r in records] == [a.text for a in ARTICLES]


def test_switching_project_while_preannotating_annotates_the_new_one(make_window, qtbot, project, tmp_path):
    add_documents(project, [Document(f"Article {i}: Sergey Lavrov in Moscow.", title=f"old {i}") for i in range(300)])
    window = make_window()
    window.start_background_preannotation()
    old_worker = window.preannotation
    other = projects.open_location(str(tmp_path / "new.annotator.sqlite"))
    add_documents(other, [Document("Elena Varga visited Riverton.", title="new one")])
    other.close()

    window.switch_project(str(tmp_path / "new.annotator.sqlite"))
    assert window.preannotation is not old_worker
    # The test pipeline has no parser: entities are all it suggests, and the window knows it after the run.
    qtbot.waitUntil(
        lambda: window.preannotation is None
        and preannotating.pending_count(window.project, window.owner.suggested_layers) == 0,
        timeout=30_000,
    )
    shown = [(p.span.label, window.article.document.text[p.span.start : p.span.end]) for p in window.article.highlighter.spans_between(0, 100)]
    assert shown == [("PERSON", "Elena Varga"), ("GPE", "Riverton")]
    assert window.windowTitle() == "new — Annotator"
    window.workers.wait()


def test_new_suggestions_for_the_open_article_keep_the_reading_position(make_window, qtbot, project):
    long_text = "\n\n".join(f"Paragraph {i} where Sergey Lavrov spoke in Moscow again." for i in range(300))
    doc = add_documents(project, [Document(long_text, title="Long read")]).added[0]
    window = make_window()
    window.documents.select(doc.id)
    bar = window.article.editor.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    middle = bar.value()
    assert middle > 0
    window.start_background_preannotation()
    qtbot.waitUntil(lambda: window.preannotation is None, timeout=20_000)
    assert window.article.highlighter.spans_between(0, 10**6)  # the suggestions arrived
    assert bar.value() == middle


def test_switching_to_a_project_with_the_same_document_ids_shows_its_own_article(make_window, tmp_path):
    window = make_window()
    assert window.article.title.text() == "Lavrov in Moscow"  # document id 1 of the first project
    other = projects.open_location(str(tmp_path / "second.annotator.sqlite"))
    add_documents(other, [Document("A different first article.", title="Second project's first")])
    other.close()
    window.switch_project(str(tmp_path / "second.annotator.sqlite"))
    assert window.article.title.text() == "Second project's first"
    assert window.article.editor.toPlainText() == "A different first article."
    assert window.documents.current_id() == 1


def test_settings_are_private_and_never_hold_a_database_password(qtbot, tmp_path):
    import stat

    from annotator import paths
    from annotator.store.project import Project

    settings = app_settings()
    settings.setValue("probe", 1)
    settings.sync()
    assert stat.S_IMODE((paths.config_dir() / "annotator.ini").stat().st_mode) == 0o600
    server = Project(engine=None, location="postgresql+psycopg://analyst:S3cret@db.example/news", path=None)
    assert server.safe_location == "postgresql+psycopg://analyst@db.example/news"
    assert "S3cret" not in server.name


def test_a_switched_to_article_opens_at_its_top(make_window, tmp_path):
    long_text = "\n\n".join(f"Paragraph {i} of a long read." for i in range(300))
    for name in ("a", "b"):  # in both projects the long read is document 1
        other = projects.open_location(str(tmp_path / f"{name}.annotator.sqlite"))
        add_documents(other, [Document(long_text + f"\n\nThe end of {name}.", title=f"Long in {name}")])
        other.close()
    window = make_window()
    window.switch_project(str(tmp_path / "a.annotator.sqlite"))
    bar = window.article.editor.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    window.switch_project(str(tmp_path / "b.annotator.sqlite"))
    assert window.article.title.text() == "Long in b"
    assert bar.value() == 0


def test_the_filter_box_finds_documents_by_words_in_their_text_too(make_window, qtbot):
    window = make_window()
    qtbot.keyClicks(window.documents.filter, "officials")  # only in the text of "Lavrov in Moscow"
    qtbot.waitUntil(lambda: visible_titles(window) == ["Lavrov in Moscow"], timeout=10_000)  # a busy machine
    window.documents.filter.clear()
    qtbot.keyClicks(window.documents.filter, "quiet")  # a title
    assert visible_titles(window) == ["Quiet day"]


def test_escape_closes_the_search_panel_and_returns_to_the_article(make_window, qtbot):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.search_dock.isVisible() and window.search.query.hasFocus()
    qtbot.keyClicks(window.search.query, "wheat")
    qtbot.keyClick(window.search.query, Qt.Key.Key_Down)  # into the results
    assert window.search.results.hasFocus()
    qtbot.keyClick(window.search.results, Qt.Key.Key_Escape)
    assert not window.search_dock.isVisible()
    qtbot.waitUntil(window.article.editor.hasFocus)


def test_f6_goes_round_the_panes(make_window, qtbot):
    window = make_window()
    window.article.editor.setFocus()
    qtbot.waitUntil(window.article.editor.hasFocus)
    steps = []
    for _ in range(3):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F6)
        steps.append(window.focusWidget())
    assert steps == [window.panel.items, window.documents.table, window.article.editor]
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert window.focusWidget() is window.documents.table
