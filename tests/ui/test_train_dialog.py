"""Annotate ▸ Train Models From This Project…: a run in its own process with progress, the new model's scores
beside the old, and the choice to use it; Cancel leaves no model and the project's choice as it was."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.core.model import Layer
from annotator.services import models
from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow
from annotator.ui.train_dialog import TrainDialog
from tests.services.test_training import fill


@pytest.fixture
def window(qtbot, project, ruler_model):
    fill(project)
    made = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(made)
    return made


def dialog_of(qtbot, window) -> TrainDialog:
    dialog = TrainDialog(window)
    qtbot.addWidget(dialog)
    dialog.layer_boxes[Layer.ENTITY].setChecked(False)  # statements and claims: quicker, and enough to show
    dialog.dev.setValue(0.25)
    dialog.name.setText("team-news")
    dialog.show()
    return dialog


def test_a_run_shows_the_new_model_beside_the_old_and_can_be_put_to_use(qtbot, window, project):
    dialog = dialog_of(qtbot, window)
    stages = []
    dialog.stages.changed.connect(lambda stage, _done, _total: stages.append(stage))
    dialog.start.click()
    assert not dialog.form.isEnabled() and dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=600_000)
    assert stages  # progress came back from the other process
    shown = dialog.scores.toPlainText()
    assert "team-news@1" in shown and "held-back" in shown
    assert "speaker" in shown and "average precision" in shown
    assert models.chosen_model(project) is None  # nothing changes until the analyst says so
    assert dialog.use_button.isVisible()
    dialog.use_button.click()
    assert models.chosen_model(project) == "team-news@1"
    assert "team-news@1 now suggests" in dialog.stage.text()


def test_cancel_leaves_no_model_and_the_choice_as_it_was(qtbot, window, project):
    dialog = dialog_of(qtbot, window)
    dialog.start.click()
    QTimer.singleShot(1500, dialog.cancel_button.click)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=120_000)
    assert dialog.result is None or dialog.result.cancelled
    assert not (models.models_dir() / "team-news").exists()
    assert not [p for p in models.models_dir().iterdir() if p.name.startswith(models.PARTIAL)]
    assert models.chosen_model(project) is None
    assert dialog.start.isVisible() or dialog.close_button.isVisible()


def test_the_menu_opens_it(qtbot, window):
    action = next(a for menu in window.menuBar().actions() for a in menu.menu().actions()
                  if a.text().replace("&", "") == "Train Models From This Project…")

    def close_it():
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, TrainDialog)]
        assert found
        found[0].reject()

    QTimer.singleShot(100, close_it)
    action.trigger()
