"""The self-test's screenshot shows the window as a user sees it: no stray scroll bar under the article."""

from __future__ import annotations

from annotator import selftest


def test_the_self_test_screenshot_shows_no_horizontal_scroll_bar_under_the_article(qapp, tmp_path):
    test = selftest.SelfTest(tmp_path)
    try:
        test.project_and_migrations()
        test.import_demo()
        evidence = test.render_window()
        editor = test.window.article.editor
        # As the window was drawn into main-window.png: the article's lines wrap, so there is nothing to
        # scroll sideways, and no scroll bar is shown.
        assert editor.isVisible() and editor.toPlainText()
        assert editor.horizontalScrollBar().maximum() == 0
        assert not editor.horizontalScrollBar().isVisible()
        assert (tmp_path / selftest.SCREENSHOT_FILE).stat().st_size > 0, evidence
    finally:
        test.close()
