"""`annotator train` and `annotator models`, run in-process through the same entry point as the installed
command (the training itself runs in a process of its own, as it does for users)."""

import json

from annotator.app import main
from annotator.core.model import Document, Layer
from annotator.services import models
from annotator.store.annotated import load_annotated
from annotator.store.documents import add_documents
from annotator.store.project import open_project
from tests.services.test_training import text_of, trainable_project


def _spans_of_new_document(location: str) -> list:
    project = open_project(location)
    try:
        doc = add_documents(project, [Document(text_of(40), uid="new-40")]).added[0]
    finally:
        project.close()
    assert main(["preannotate", "--project", location, "--layers", "statement,claim"]) == 0
    project = open_project(location)
    try:
        return load_annotated(project, doc.id)[1]
    finally:
        project.close()


def test_train_then_choose_then_suggest_then_delete(tmp_path, capsys):
    location = trainable_project(tmp_path / "p.annotator.sqlite")

    assert main(["train", "--project", location, "--name", "news", "--epochs", "1", "--dev", "0.25",
                 "--layers", "statement,claim"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Trained news@1 (statements, claims) from en_core_web_sm")
    assert "2 document(s) held back" in out and "annotator models use news@1" in out
    assert any(line.startswith("statement  speaker") for line in out.splitlines())
    assert any(line.startswith("claim      average precision") for line in out.splitlines())

    assert main(["models", "--project", location]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("en_core_web_sm") and listed[0].endswith("(in use)")
    assert listed[1].startswith("news@1  trained for statement, claim from en_core_web_sm")

    assert main(["models", "use", "news", "--project", location]) == 0
    assert "now gets its suggestions from news@1" in capsys.readouterr().out
    spans = _spans_of_new_document(location)
    assert {s.origin for s in spans if s.layer in (Layer.STATEMENT, Layer.CLAIM)} == {"news@1"}
    capsys.readouterr()

    assert main(["models", "delete", "news@1", "--project", location]) == 1
    assert "is this project's suggestion model" in capsys.readouterr().err
    assert main(["models", "delete", models.list_models()[0].ref, "--project", location]) == 1
    assert "stock pipeline, which always stays" in capsys.readouterr().err
    assert main(["models", "delete", "news@1", "--force", "--project", location]) == 0
    assert capsys.readouterr().out.startswith("Deleted news@1")
    assert main(["models", "--project", location]) == 0
    assert capsys.readouterr().out.strip().endswith("(in use)")  # the stock pipeline alone, in use again


def test_train_json_and_use(tmp_path, capsys):
    location = trainable_project(tmp_path / "p.annotator.sqlite")

    assert main(["train", "--project", location, "--name", "claims", "--epochs", "1", "--dev", "0",
                 "--layers", "claim", "--use", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "claims@1" and data["trained"] == ["claim"] and data["used"]
    assert data["documents"] == {"train": {"claim": 12}, "dev": {"claim": 0}}
    assert data["scores"] == {"new": None, "old": None}  # nothing held back, nothing compared
    assert main(["evaluate", "--project", location, "--layers", "claim", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["model"] == "claims@1"  # the project's model by default


def test_bad_inputs_exit_1_with_the_reason(tmp_path, capsys):
    empty = tmp_path / "empty.annotator.sqlite"
    open_project(empty).close()
    assert main(["train", "--project", str(empty)]) == 1
    assert "no reviewed documents: mark documents done first" in capsys.readouterr().err

    location = trainable_project(tmp_path / "p.annotator.sqlite")
    assert main(["train", "--project", location, "--base", "no_such_pipeline", "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    assert "annotator: error: cannot load the base pipeline 'no_such_pipeline'" in err
    assert not any(models.models_dir().iterdir())

    assert main(["models", "use", "--project", location]) == 1
    assert "needs the model" in capsys.readouterr().err
    assert main(["models", "use", "nothing@3", "--project", location]) == 1
    assert "no model 'nothing@3'" in capsys.readouterr().err
