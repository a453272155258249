"""annotator project --blind on|off --curators NAMES, and what `annotator export` writes in a blind project."""

from __future__ import annotations

import json

from annotator.app import main
from annotator.services import projects, visibility
from tests.services.test_visibility import build


def annotators_in(path) -> set:
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    return {(s["annotator"], s["state"]) for layer in ("entities", "statements", "claims") for s in record[layer]}


def test_blind_is_set_shown_and_narrows_exports(tmp_path, capsys, monkeypatch):
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "cy")  # the login name: a curator further down
    where = tmp_path / "team.annotator.sqlite"
    build(where)[0].close()
    assert main(["project", "--project", str(where)]) == 0
    assert capsys.readouterr().out.splitlines() == ["blind annotation: off", "curators: none"]

    assert main(["project", "--project", str(where), "--blind", "on"]) == 0
    assert capsys.readouterr().out.splitlines() == ["blind annotation: on", "curators: none"]
    project = projects.open_location(str(where))
    assert visibility.is_blind(project)
    project.close()

    # ana's export: hers and the suggestions, and it says so.
    out = tmp_path / "ana.jsonl"
    assert main(["export", "--project", str(where), "-o", str(out), "--annotator", "ana"]) == 0
    captured = capsys.readouterr()
    assert annotators_in(out) == {("ana", "accepted"), (None, "suggested")}
    assert "is blind: only ana's annotations and the suggestions were exported" in captured.err
    # Without --annotator, the login name (cy, no curator yet) exports cy's: here only the suggestions.
    out = tmp_path / "login.jsonl"
    assert main(["export", "--project", str(where), "-o", str(out)]) == 0
    assert annotators_in(out) == {(None, "suggested")}
    capsys.readouterr()

    # cy becomes a curator: everyone's again.
    assert main(["project", "--project", str(where), "--curators", "cy,dan"]) == 0
    assert capsys.readouterr().out.splitlines() == ["blind annotation: on", "curators: cy, dan"]
    out = tmp_path / "curator.jsonl"
    assert main(["export", "--project", str(where), "-o", str(out)]) == 0
    assert {a for a, _state in annotators_in(out)} == {"ana", "ben", None}
    assert "is blind" not in capsys.readouterr().err

    assert main(["project", "--project", str(where), "--blind", "off", "--curators", ""]) == 0
    assert capsys.readouterr().out.splitlines() == ["blind annotation: off", "curators: none"]


def test_a_mistyped_project_is_an_error(tmp_path, capsys):
    assert main(["project", "--project", str(tmp_path / "nope.annotator.sqlite"), "--blind", "on"]) == 1
    assert "annotator: error:" in capsys.readouterr().err
