"""Keys pressed in the side panel stay in the side panel: a stray Tab or ↓ never changes the document list."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from annotator.core.model import Document, Layer, Span
from annotator.services import projects
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions

TEXT = "Elena Varga said the bridge opens in May. Prices rose."


@pytest.fixture
def project(tmp_path):
    opened = projects.open_location(str(tmp_path / "focus.annotator.sqlite"))
    first, _ = add_documents(opened, [Document(TEXT, title="Bridge"), Document("Quiet.", title="Quiet")]).added
    claim = Span(TEXT.index("Prices"), len(TEXT) - 1, "CLAIM", Layer.CLAIM, origin="ana")
    save_suggestions(opened, [(first.id, [claim])], "ana")
    yield opened
    opened.close()


@pytest.fixture
def window(show_window, project):
    return show_window(project)


def listed(window):
    proxy = window.documents.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_tab_cycles_inside_the_side_panel_and_down_never_filters_the_list(window, qtbot):
    window.session.go_to(window.session.annotations.visible(Layer.CLAIM)[0].uid)  # every field of a claim shows
    window.panel.labels.setFocus()
    qtbot.waitUntil(window.panel.labels.hasFocus)
    visited = set()
    for _ in range(15):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert window.panel.isAncestorOf(focused), f"Tab left the side panel for {focused.objectName()!r}"
        visited.add(focused)
    assert window.panel.labels in visited and window.panel.note in visited  # round and back to the start
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        assert window.panel.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert window.documents.status_filter.currentText() == "All statuses"
    assert listed(window) == ["Bridge", "Quiet"]
    assert window.article.title.text() == "Bridge"


def test_the_status_filter_takes_no_focus_by_tab_or_wheel(window, qtbot):
    status = window.documents.status_filter
    window.documents.filter.setFocus()
    qtbot.waitUntil(window.documents.filter.hasFocus)
    qtbot.keyClick(window.documents.filter, Qt.Key.Key_Tab)
    assert not status.hasFocus()
    centre = QPointF(status.rect().center())
    wheel = QWheelEvent(centre, QPointF(status.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(status, wheel)
    assert status.currentText() == "All statuses"
    assert listed(window) == ["Bridge", "Quiet"]
    qtbot.mouseClick(status, Qt.MouseButton.LeftButton)  # a click still opens it: the mouse means it
    qtbot.waitUntil(status.view().isVisible)
    status.hidePopup()


def test_after_a_click_on_the_status_filter_stray_keys_move_in_the_list_and_never_filter(window, qtbot):
    status = window.documents.status_filter
    qtbot.mouseClick(status, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(status.view().isVisible)
    status.hidePopup()  # closed without a choice: the list has the keys again
    window.activateWindow()  # what the desktop does when a popup closes; the offscreen platform does not
    qtbot.waitUntil(window.documents.table.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert status.currentText() == "All statuses"
    assert listed(window) == ["Bridge", "Quiet"]
    assert window.article.title.text() == "Quiet"  # ↓ went down the list, as in the list itself
    status.setFocus()  # however it got the focus, keys meant for the list do not change the filter
    qtbot.waitUntil(status.hasFocus)
    qtbot.keyClick(status, Qt.Key.Key_N)  # a combo box picks "New" by its first letter
    assert status.currentText() == "All statuses"
    qtbot.keyClick(status, Qt.Key.Key_Up)
    assert status.currentText() == "All statuses"
    assert listed(window) == ["Bridge", "Quiet"]
    assert window.article.title.text() == "Bridge" and window.documents.table.hasFocus()  # ↑ went up the list


def test_the_status_filter_still_changes_by_keys_in_its_popup(window, qtbot):
    status = window.documents.status_filter
    status.setFocus()
    qtbot.waitUntil(status.hasFocus)
    qtbot.keyClick(status, Qt.Key.Key_Space)
    qtbot.waitUntil(status.view().isVisible)
    qtbot.keyClick(status.view(), Qt.Key.Key_Down)
    qtbot.keyClick(status.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not status.view().isVisible())
    assert status.currentText() == "New"
    window.activateWindow()
    qtbot.waitUntil(window.documents.table.hasFocus)
