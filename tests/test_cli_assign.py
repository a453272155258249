"""`annotator assign`: the report per annotator, running again, --replace, errors; `annotator stats` shows
each annotator's assigned and done documents."""

from __future__ import annotations

import json
import re

from annotator.app import main


def project_with(tmp_path, capsys, n: int) -> str:
    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps({"text": f"Article {i} from the harbour.", "title": f"A{i}"}) + "\n"
                                for i in range(n)), encoding="utf-8")
    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(articles), "--project", project]) == 0
    capsys.readouterr()
    return project


def per_annotator(out: str) -> dict[str, tuple[int, int]]:
    return {m[0]: (int(m[1]), int(m[2])) for m in re.findall(r"^  (\S+)\s+(\d+) documents?, (\d+) shared$", out, re.M)}


def test_assign_reports_per_annotator_how_many_and_how_many_shared(tmp_path, capsys):
    project = project_with(tmp_path, capsys, 20)
    code = main(["assign", "--project", project, "--annotators", "ana,ben,cy", "--overlap", "0.2", "--seed", "4"])
    out = capsys.readouterr().out
    assert code == 0
    assert "20 documents selected (documents whose status is new)." in out
    assert "Assigned 20 documents, 4 of them shared for agreement (seed 4):" in out
    counts = per_annotator(out)
    assert set(counts) == {"ana", "ben", "cy"}
    assert sum(n for n, _s in counts.values()) == 24 and sum(s for _n, s in counts.values()) == 8
    assert max(n for n, _s in counts.values()) - min(n for n, _s in counts.values()) <= 1

    assert main(["assign", "--project", project, "--annotators", "ana,ben,cy", "--seed", "4"]) == 0
    again = capsys.readouterr().out
    assert "Nothing to assign." in again
    assert "20 documents already assigned were left as they were (--replace deals the unstarted ones again)." in again

    assert main(["assign", "--project", project, "--annotators", "dee", "--replace", "--seed", "1", "--json"]) == 0
    dealt = json.loads(capsys.readouterr().out)
    assert dealt["dealt"] == 20 and dealt["taken_back"] == 24
    assert dealt["annotators"] == {"dee": {"assigned": 20, "shared": 0}}

    assert main(["stats", "--project", project]) == 0
    stats = capsys.readouterr().out
    assert "Assignments (assigned, done):\n  dee            20 assigned, 0 done" in stats
    assert main(["stats", "--project", project, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["assignments"] == {"dee": {"assigned": 20, "done": 0}}


def test_assign_refuses_what_cannot_be_done_with_one_line(tmp_path, capsys):
    project = project_with(tmp_path, capsys, 3)
    assert main(["assign", "--project", project, "--annotators", "ana", "--overlap", "0.5"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: a shared document goes to 2 annotators, but only 1 is named")
    assert len(err.strip().splitlines()) == 1
    assert main(["assign", "--project", project, "--annotators", " , "]) == 1
    assert "name at least one annotator" in capsys.readouterr().err


def test_a_mistyped_project_is_an_error_not_a_new_project(tmp_path, capsys):
    missing = tmp_path / "nope.annotator.sqlite"
    assert main(["assign", "--project", str(missing), "--annotators", "ana"]) == 1
    assert not missing.exists()
