"""Annotate ▸ Suggestion Model…: the stock pipeline and the trained models, choosing one, deleting one."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import Document
from annotator.nlp.model_meta import write_meta
from annotator.services import models
from annotator.store.documents import add_documents
from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow
from annotator.ui.models_dialog import SuggestionModelsDialog

HOSTILE = "<b>bold</b> & <i>team</i>"


def trained(name: str, version: int, project: str) -> None:
    """A model folder as a training run leaves it (the registry reads only its description)."""
    folder = models.models_dir() / name / str(version)
    folder.mkdir(parents=True)
    evaluation = {
        "documents": 12,
        "layers": {
            "statement": {"overlap": {"f1": 0.81}, "labels": {"STATEMENT": {"overlap": {"f1": 0.81}}},
                          "speaker_accuracy": {"value": 0.84}, "content_characters": {"overall": {"f1": 0.77}}},
            "claim": {"overlap": {"f1": 0.7}, "average_precision": {"value": 0.93}},
        },
    }
    old = {"documents": 12, "layers": {"statement": {"overlap": {"f1": 0.7}, "speaker_accuracy": {"value": 0.78}},
                                       "claim": {"overlap": {"f1": 0.6}, "average_precision": {"value": 0.87}}}}
    write_meta(folder, {
        "name": name, "version": version, "origin": f"{name}@{version}", "layers": ["statement", "claim"],
        "base": {"name": "en_core_web_sm", "origin": "en_core_web_sm@3.8.0"}, "project": project,
        "created": "2026-12-06T10:00:00+00:00",
        "scores": {"replaced": "en_core_web_sm@3.8.0", "new": evaluation, "old": old},
    })


def test_choosing_and_deleting_a_suggestion_model(qtbot, project, ruler_model):
    add_documents(project, [Document("Sergey Lavrov said talks would go on.", title="one")])
    trained("news", 1, HOSTILE)
    trained("news", 2, "news")
    window = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(window)
    dialog = SuggestionModelsDialog(window)
    qtbot.addWidget(dialog)
    refs = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert refs[1:] == ["news@1", "news@2"] and refs[0].startswith("en_core_web_sm")
    assert dialog.table.item(0, 5).text() == "✓"  # the stock pipeline until another is chosen
    assert dialog.table.item(1, 3).text() == HOSTILE  # a project's name, shown as it is
    assert not dialog.delete_button.isEnabled()  # the stock pipeline always stays

    dialog.table.selectRow(2)
    assert "statements, overlap F1: 0.810 (0.700)" in dialog.scores.text()
    assert "claim ranking AP: 0.930 (0.870)" in dialog.scores.text()
    dialog.use_button.click()
    assert models.chosen_model(project) == "news@2"
    assert dialog.table.item(2, 5).text() == "✓" and dialog.table.item(0, 5).text() == ""

    def answer_yes():
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        assert "this project's suggestion model" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(100, answer_yes)
    dialog.delete_button.click()
    assert [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())][1:] == ["news@1"]
    assert models.chosen_model(project) is None  # back to the stock pipeline
    assert not (models.models_dir() / "news" / "2").exists()


def test_the_menu_opens_it(qtbot, project, ruler_model):
    window = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(window)
    action = next(a for menu in window.menuBar().actions() for a in menu.menu().actions()
                  if a.text().replace("&", "") == "Suggestion Model…")

    def close_it():
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, SuggestionModelsDialog)]
        assert found
        found[0].reject()

    QTimer.singleShot(100, close_it)
    action.trigger()


def test_the_dialog_lists_the_projects_languages_and_sets_a_pipeline_for_each(qtbot, project, ruler_model, tmp_path):
    add_documents(project, [Document("Sergey Lavrov said talks would go on.", title="en"),
                            Document("ראש הממשלה אמר היום כי השיחות יימשכו.", title="he one"),
                            Document("שר החוץ אמר כי השיחות יימשכו מחר.", title="he two")])
    folder = tmp_path / "he <b>pipeline"
    folder.mkdir()
    models.set_language_model(project, "he", str(folder))
    window = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(window)
    dialog = SuggestionModelsDialog(window)
    qtbot.addWidget(dialog)
    table = dialog.languages
    rows = [(table.item(row, 0).text(), table.item(row, 1).text(), table.cellWidget(row, 2).currentText())
            for row in range(table.rowCount())]
    assert rows[0] == ("he (Hebrew)", "2", str(folder.resolve()))  # a folder's name shown as it is
    assert rows[1][:2] == ("en (English)", "1") and rows[1][2].startswith("en_core_web_sm")

    box = dialog.findChild(type(table.cellWidget(0, 2)), "pipeline-he")
    box.setCurrentIndex(box.findText("none"))
    assert models.language_models(project) == {"he": None}
    assert "Documents in he (Hebrew) get suggestions from no pipeline" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: dialog.languages.cellWidget(0, 2) is not box)  # shown afresh, as stored
    assert dialog.languages.cellWidget(0, 2).currentText() == "none"


def test_the_status_bar_names_the_open_documents_language_and_who_suggested(qtbot, project, ruler_model):
    from annotator.services.preannotating import preannotate

    doc = add_documents(project, [Document("Sergey Lavrov said talks would go on in Moscow.", title="en")]).added[0]
    preannotate(project, str(ruler_model))
    window = MainWindow(project, app_settings(), model=str(ruler_model))
    qtbot.addWidget(window)
    window.open_document(doc.id)
    label = window.statusBar().findChild(type(window.suggested_by_label), "suggestedBy")
    assert label.text() == "en · suggestions: en_test_ruler@0.0.1"
