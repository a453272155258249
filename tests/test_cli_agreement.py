"""`annotator agreement`, run in-process through the same entry point as the installed command."""

import json

from annotator.app import main
from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Span, Status
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit
from annotator.store.project import open_project

TEXT = "Sergey Lavrov said on Monday that Russia would not send troops."
HOSTILE = "<b>eve</b>"


def _project(tmp_path) -> str:
    """One article three people annotated: two alike, the third not."""
    location = tmp_path / "p.annotator.sqlite"
    project = open_project(location)
    try:
        (doc,) = add_documents(project, [Document(TEXT, title="Lavrov")]).added
        for who, end in (("ana", 13), ("ben", 13), (HOSTILE, 6)):
            spans = (Span(0, end, "PERSON", Layer.ENTITY, who, annotator=who),
                     Span(34, 40, "GPE", Layer.ENTITY, who, annotator=who))
            apply_edit(project, Edit(doc.id, after=spans, annotator=who, status_after=Status.DONE))
    finally:
        project.close()
    return str(location)


def test_table_per_pair_and_overall(tmp_path, capsys):
    assert main(["agreement", "--project", _project(tmp_path), "--read-only", "--layers", "entity"]) == 0
    out = capsys.readouterr().out
    assert "Agreement of 3 annotators" in out and "token Fleiss κ" in out
    assert "ana – ben: 1 document(s) both annotated" in out and f"{HOSTILE} – ana" in out
    assert "Lavrov" in out and "statement" not in out.split("Pairs")[0]


def test_json_for_two_chosen_annotators(tmp_path, capsys):
    assert main(["agreement", "--project", _project(tmp_path), "--annotators", "ana,ben", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["annotators"] == ["ana", "ben"] and data["overall"]["kappa"] == "Cohen"
    entity = data["pairs"][0]["layers"]["entity"]
    assert entity["spans"]["exact"]["f1"] == 1.0 and entity["tokens"]["kappa"]["value"] == 1.0
    assert entity["spans"]["labels"]["PERSON"]["exact"]["true_positives"] == 1
    assert data["documents_by_disagreement"] == [
        {"id": 1, "title": "Lavrov", "annotators": ["ana", "ben"], "disagreement": 0.0, "tokens": 3}]


def test_errors_say_what_is_wrong(tmp_path, capsys):
    location = _project(tmp_path)
    assert main(["agreement", "--project", location, "--annotators", "ana,zed"]) == 1
    assert "no annotations by zed" in capsys.readouterr().err
    try:
        main(["agreement", "--project", location, "--annotators", "ana"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "two annotators or more" in capsys.readouterr().err
