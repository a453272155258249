"""`annotator evaluate`, run in-process through the same entry point as the installed command."""

import json

import pytest

from annotator.app import main
from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Span, State, Status
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit
from annotator.store.project import open_project

TEXT = "Sergey Lavrov said on Monday that Russia would not send troops. Unemployment fell to 4 percent in 2020."


def _project(tmp_path, done: bool = True) -> str:
    """One document an analyst marked done (with two accepted spans) and one nobody reviewed."""
    location = tmp_path / "p.annotator.sqlite"
    project = open_project(location)
    try:
        first, _second = add_documents(project, [Document(TEXT, title="a"), Document("Elena Varga left.")]).added
        spans = (Span(0, 13, "PERSON", Layer.ENTITY, "ana", State.ACCEPTED, annotator="ana"),
                 Span(64, 103, "CLAIM", Layer.CLAIM, "ana", State.ACCEPTED, annotator="ana"))
        apply_edit(project, Edit(first.id, after=spans, annotator="ana", status_after=Status.DONE if done else None))
    finally:
        project.close()
    return str(location)


def test_json_has_every_layer_and_its_labels(tmp_path, capsys):
    assert main(["evaluate", "--project", _project(tmp_path), "--json", "--read-only"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 1 and data["model"].startswith("en_core_web_sm")
    assert set(data["layers"]) == {"entity", "statement", "claim"}
    entity = data["layers"]["entity"]
    assert entity["labels"]["PERSON"]["exact"] == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0, "true_positives": 1, "predicted": 1, "gold": 1
    }
    assert entity["exact"]["gold"] == 1 and entity["exact"]["predicted"] >= 3  # Monday, Russia, 4 percent, 2020
    assert set(data["layers"]["claim"]["labels"]) == {"CLAIM"}
    assert data["layers"]["claim"]["average_precision"]["value"] > 0
    assert set(data["layers"]["statement"]) >= {"speaker_accuracy", "cue_accuracy", "content_characters"}


def test_the_table_names_layers_labels_and_measures(tmp_path, capsys):
    assert main(["--project", _project(tmp_path), "evaluate", "--layers", "entity,claim"]) == 0
    out = capsys.readouterr().out
    rows = {tuple(line.split()[:2]) for line in out.splitlines() if line.startswith(("entity", "claim"))}
    assert {("entity", "(all)"), ("entity", "PERSON"), ("claim", "(all)"), ("claim", "CLAIM")} <= rows
    assert "statement" not in out
    assert "Claims: average precision" in out and "Documents: 1" in out
    assert out.startswith("Evaluated en_core_web_sm")


def test_without_done_documents_exit_1_with_the_reason(tmp_path, capsys):
    assert main(["evaluate", "--project", _project(tmp_path, done=False)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("annotator: error: no reviewed documents: mark documents done first")


def test_an_unknown_model_is_a_one_line_error(tmp_path, capsys):
    assert main(["evaluate", "--project", _project(tmp_path), "--model", "no_such_pipeline"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("annotator: error: cannot load the spaCy pipeline 'no_such_pipeline'")


@pytest.mark.parametrize("layers", ["foo", "entity,quote", ""])
def test_unknown_layers_are_usage_errors(capsys, layers):
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "--layers", layers])
    assert exit_.value.code == 2
    assert "expected layers from claim, entity, statement" in capsys.readouterr().err
