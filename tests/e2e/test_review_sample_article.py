"""The sample article's suggested statements and claims, reviewed in the real window with single keys:
Tab to a suggestion, A accepts it (a statement with its speaker), X rejects one; then exported."""

import orjson
import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Layer, State
from annotator.core.vocabulary import SPEAKER
from annotator.services import exporting, importing, preannotating, projects
from annotator.ui.application import app_settings
from annotator.ui.main_window import MainWindow

Key = Qt.Key
MINISTRY = "In a phone conversation with Russian Foreign Minister Sergey Lavrov"
PRESS = "“In the context of the meeting of the leaders"


@pytest.mark.model
@pytest.mark.corpus
def test_statements_and_claims_of_the_sample_article_reviewed_with_single_keys(
    corpus, tmp_path, qtbot, parsing_pipeline
):
    path = tmp_path / "seed.annotator.sqlite"
    project = projects.open_location(str(path))
    assert importing.import_paths(project, [corpus / "seed"]).ok
    report = preannotating.preannotate(project, pipeline=parsing_pipeline)
    assert report.by_layer[Layer.STATEMENT] >= 2 and report.by_layer[Layer.CLAIM] >= 5
    settings = app_settings()
    settings.setValue("annotator", "ana")
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # key shortcuts reach only the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)
    text = window.session.annotations.text
    editor = window.article.editor
    qtbot.keyClick(window.documents.table, Key.Key_Return)  # from the list into the text

    def tab_to(layer: Layer, words: str):
        for _ in range(300):
            qtbot.keyClick(editor, Key.Key_Tab)
            span = window.session.current_span()
            if span is not None and span.layer == layer and text[span.start :].startswith(words):
                return span
        raise AssertionError(f"Tab never reached the {layer} “{words}”")

    statement = tab_to(Layer.STATEMENT, MINISTRY)
    assert statement.state == State.SUGGESTED
    qtbot.keyClick(editor, Key.Key_A)
    annotations = window.session.annotations
    assert annotations.spans[statement.uid].state == State.ACCEPTED
    speaker = annotations.linked(statement.uid, SPEAKER)
    assert text[speaker.start : speaker.end] == "the Armenian Foreign Ministry" and speaker.state == State.ACCEPTED

    quote = tab_to(Layer.STATEMENT, PRESS)
    qtbot.keyClick(editor, Key.Key_A)
    own = annotations.linked(quote.uid, SPEAKER)
    assert (own.label, own.state) == ("SPEAKER", State.ACCEPTED)
    assert text[own.start : own.end] == "the Armenian Foreign Ministry’s press service"

    claim = tab_to(Layer.CLAIM, "Renewed clashes between Azerbaijan and Armenia")
    qtbot.keyClick(editor, Key.Key_X)
    assert annotations.spans[claim.uid].state == State.REJECTED
    window.close()
    project.close()

    project = projects.open_location(str(path))  # what was saved, as the next session sees it
    out = tmp_path / "seed.jsonl"
    exporting.export(project, out, "jsonl")
    project.close()
    [record] = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    said = {s["text"][:40]: s for s in record["statements"]}
    ministry = said[MINISTRY[:40]]
    assert (ministry["state"], ministry["speaker"]["text"], ministry["cue"]["text"]) == (
        "accepted", "the Armenian Foreign Ministry", "said")
    assert ministry["origin"] == "statement-rules@1"  # who suggested it stays known after acceptance
    press = said[PRESS[:40]]
    assert (press["state"], press["kind"], press["speaker"]["text"]) == (
        "accepted", "direct", "the Armenian Foreign Ministry’s press service")
    assert not any(c["text"].startswith("Renewed clashes") for c in record["claims"])  # rejected: not exported
    assert all(c["state"] == "suggested" and 0 <= c["score"] <= 1 for c in record["claims"])
