"""An analyst drops a folder of saved pages, a PDF, a Word file, a spreadsheet and a feed on the window and
gets clean articles with titles and dates in the list, the article shown without the page's menus."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import selftest_samples


def _titles(window):
    proxy = window.documents.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_a_dropped_folder_of_pages_pdf_word_table_and_feed_becomes_articles(window, qtbot, corpus, tmp_path):
    folder = tmp_path / "collected"
    selftest_samples.write_all(folder)
    for page in ("theguardian.com.academics.html", "nature.com.telescope.html"):
        shutil.copy(corpus / "web" / page, folder / page)
    shutil.copy(corpus / "web" / "feed2.rss", folder / "feed2.rss")
    before = len(_titles(window))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    enter = QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: len(_titles(window)) >= before + 8, timeout=60_000)
    for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.close()
    titles = _titles(window)
    assert titles.count("Talks to resume") == 5  # the page, the feed item, the PDF, the Word file, the table row
    guardian = next(t for t in titles if "academic" in t.lower())
    row = titles.index(guardian)
    window.documents.table.setCurrentIndex(window.documents.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.article.title.text() == guardian, timeout=10_000)
    shown = window.article.editor.toPlainText()
    assert "Subscribe" not in shown and len(shown) > 1000
    assert window.article.subtitle.text()[:4].isdigit()  # a date from the page's metadata
