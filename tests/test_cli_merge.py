"""annotator merge OTHER: another analyst's project file or JSONL export, from the command line."""

from __future__ import annotations

from annotator.app import main
from tests.services.interchange_data import annotate
from tests.services.test_merging import counts, make_ben


def test_merge_prints_the_report_and_a_second_merge_adds_nothing(tmp_path, capsys):
    from annotator.services.projects import open_location

    mine = tmp_path / "ana.annotator.sqlite"
    project = open_location(str(mine))
    annotate(project, "ana")
    project.close()
    ben, _ids = make_ben(tmp_path / "ben.annotator.sqlite")
    ben.close()
    other = str(tmp_path / "ben.annotator.sqlite")
    assert main(["merge", other, "--project", str(mine)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"Merged {other}: ") and "4 document(s) read, 3 matched, 1 added" in out[0]
    assert any(line.startswith("ben: ") and "2 link(s), 3 status(es), 2 document label(s)" in line for line in out)
    assert "label added to the schema: entity:WEAPON" in out
    assert any(line.startswith("skipped: ") and "entity span(s): already in the project" in line for line in out)
    project = open_location(str(mine))
    once = counts(project)
    project.close()
    assert main(["--project", str(mine), "merge", other, "--annotator", "ana"]) == 0
    out = capsys.readouterr().out
    assert f"Merged {other}: 0 new (" in out
    project = open_location(str(mine))
    assert counts(project) == once
    project.close()


def test_bad_input_is_one_line_naming_the_file_and_line(tmp_path, capsys):
    mine = tmp_path / "ana.annotator.sqlite"
    bad = tmp_path / "ben.jsonl"
    good = '{"format": "annotator/1", "id": "d1", "text": "Lavrov spoke.", "entities": []}'
    bad.write_text(good + "\n" + '{"format": "annotator/1", "text": \n', encoding="utf-8")
    assert main(["merge", str(bad), "--project", str(mine)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"annotator: error: {bad}:2: not valid JSON") and captured.err.count("\n") == 1
    assert "nothing was merged" in captured.err
    assert main(["stats", "--project", str(mine), "--json"]) == 0
    assert '"documents": 0' in capsys.readouterr().out
    assert main(["merge", str(tmp_path / "missing.sqlite"), "--project", str(mine)]) == 1
    assert "no such file" in capsys.readouterr().err
