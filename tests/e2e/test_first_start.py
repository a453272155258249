"""`make run` on a new machine: the real start-up path, the real default pipeline, a new data folder."""

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator import paths
from annotator.ui import application
from annotator.ui.main_window import MainWindow


@pytest.mark.model
def test_first_start_shows_the_window_then_demo_entities_from_the_default_model(qapp, monkeypatch, safety_net):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own; put ours back after
    seen = {}

    def windows():
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]

    def watch():
        if not windows():
            return
        window = windows()[0]
        seen.setdefault("spacy_still_working_when_window_shown", window.preannotation is not None)
        highlighted = window.article.highlighter.spans_between(0, 10**9)
        if window.preannotation is None and highlighted:
            seen["title"] = window.article.title.text()
            seen["labels"] = {p.span.label for p in highlighted}
            seen["origins"] = {(p.span.layer, p.span.label == "SPEAKER", p.span.origin) for p in highlighted}
            seen["rows"] = window.documents.model.rowCount()
            window.close()

    poll = QTimer()
    poll.timeout.connect(watch)
    poll.start(50)
    safety_net(90_000, qapp.quit)  # never the normal way out
    assert application.run(None, []) == 0
    poll.stop()

    assert seen["spacy_still_working_when_window_shown"] is True
    assert seen["rows"] == 4
    assert seen["title"].startswith("Riverton wins approval")
    assert {"PERSON", "ORG", "DATE"} <= seen["labels"]
    by_layer = {(layer, speaker): origin.split("@")[0] for layer, speaker, origin in seen["origins"]}
    assert by_layer[("entity", False)].startswith("en_core_web_sm")  # entities from the default model
    assert by_layer[("claim", False)] == "claim-rules"  # claims and statements from the rules over its parse
    assert all(origin.startswith(("en_core_web_sm", "statement-rules", "claim-rules"))
               for _, _, origin in seen["origins"])
    assert paths.default_project().is_file()
    assert (paths.config_dir() / "annotator.ini").is_file()  # window geometry was saved on close
