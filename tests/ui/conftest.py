"""The real main window, shown as a user sees it."""

from __future__ import annotations

import pytest

from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow


@pytest.fixture
def show_window(qtbot, ruler_model):
    """``show_window(project, annotator=None)``: the main window on ``project`` with the test pipeline,
    shown and active (shortcuts reach only the active window)."""

    def show(project, annotator: str | None = None) -> MainWindow:
        settings = app_settings()
        if annotator is not None:
            settings.setValue("annotator", annotator)
        made = MainWindow(project, settings, model=str(ruler_model))
        qtbot.addWidget(made)
        made.show()
        qtbot.waitExposed(made)
        made.activateWindow()
        qtbot.waitUntil(made.isActiveWindow)
        return made

    return show


@pytest.fixture
def window(show_window, project):
    """The main window on the test module's ``project``, for the annotator "ana", the text focused."""
    made = show_window(project, annotator="ana")
    made.article.editor.setFocus()
    return made
