"""annotator import --columns: a CSV of articles into a real project, its columns mapped on the command line.

These need the catalogue to list formats.tables (services.formats.MODULES)."""

import orjson
import pytest

from annotator.app import main

CSV = (
    "uid;headline;story;when;section;author;views\n"
    'a1;Budget passed;"Parliament passed the budget, 230 to 12, on Tuesday.";2020-03-01;Politics;Ann Lee;120\n'
    "a2;Storm hits coast;Winds of 150 km/h closed the ports.;not a date;Weather;Bo Chen;80\n"
    "a3;Empty one;;2020-03-03;Misc;Nobody;0\n"
)


def _exported(project, capsysbinary) -> list[dict]:
    capsysbinary.readouterr()
    assert main(["export", "--project", project, "--format", "jsonl", "-o", "-"]) == 0
    return [orjson.loads(line) for line in capsysbinary.readouterr().out.splitlines()]


def test_import_with_columns_titles_dates_and_metadata(tmp_path, capsysbinary):
    source = tmp_path / "desk.csv"
    source.write_text(CSV, encoding="utf-8")
    project = str(tmp_path / "p.annotator.sqlite")
    code = main(["import", str(source), "--project", project,
                 "--columns", "text=story,title=headline,date=when,id=uid,meta=section+author"])
    captured = capsysbinary.readouterr()
    out, err = captured.out.decode(), captured.err.decode()
    assert code == 1  # the row without a text is a problem; the others are imported
    assert "2 documents imported from 1 file(s)" in out
    assert f"problem: {source}:4: the text column 'story' is empty; row left out" in err
    assert f"warning: {source}:3: the date 'not a date'" in err
    records = _exported(project, capsysbinary)
    assert [(r["meta"]["title"], r["meta"].get("date"), r["text"]) for r in records] == [
        ("Budget passed", "2020-03-01", "Parliament passed the budget, 230 to 12, on Tuesday."),
        ("Storm hits coast", "not a date", "Winds of 150 km/h closed the ports."),
    ]
    first = records[0]["meta"]
    assert (first["section"], first["author"], first["id"]) == ("Politics", "Ann Lee", "a1")
    assert "views" not in first  # only the metadata named was kept


def test_import_without_columns_names_the_missing_text_column(tmp_path, capsysbinary):
    source = tmp_path / "desk.csv"
    source.write_text(CSV, encoding="utf-8")
    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(source), "--project", project]) == 1
    err = capsysbinary.readouterr().err.decode()
    assert f"{source}:1: no text column" in err and "'story'" in err and "--columns text=COLUMN" in err


def test_a_mapped_column_that_is_not_there_is_named(tmp_path, capsysbinary):
    source = tmp_path / "desk.csv"
    source.write_text(CSV, encoding="utf-8")
    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(source), "--project", project, "--columns", "text=body"]) == 1
    err = capsysbinary.readouterr().err.decode()
    assert "the text column 'body' is not in the header; its columns are 'uid', 'headline', 'story'" in err


@pytest.mark.parametrize("spec", ["story", "text=", "colour=red", "text=a,text=b", "text=story;title=headline"])
def test_a_bad_columns_spec_is_a_usage_error(tmp_path, capsys, spec):
    with pytest.raises(SystemExit) as stopped:
        main(["import", str(tmp_path / "x.csv"), "--project", str(tmp_path / "p.sqlite"), "--columns", spec])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--columns" in err and "expected ROLE=COLUMN" in err
