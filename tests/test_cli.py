"""The command line, run in-process through the same entry point as the installed command."""

import json
import subprocess
import sys

import orjson
import pytest

from annotator import __version__
from annotator.app import main


def test_version_from_the_installed_command():
    done = subprocess.run([sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"Annotator {__version__}"
    assert __version__ != "0.0.0+unknown"


def _articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "date 2021-01-13 Lavrov talks\n\nSergey Lavrov spoke in Moscow 😀 and Lavrov left.\n", encoding="utf-8"
    )
    (folder / "two.jsonl").write_text(
        '{"text": "Elena Varga visited Riverton.", "meta": {"title": "Visit"}}\n{oops\n', encoding="utf-8"
    )
    return folder


def test_import_preannotate_stats_export(tmp_path, ruler_model, capsysbinary):
    def output():
        captured = capsysbinary.readouterr()
        return captured.out.decode(), captured.err.decode()

    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(_articles(tmp_path)), "--project", project]) == 1  # one bad line
    out, err = output()
    assert "2 documents imported from 2 file(s), 1 problem(s)" in out
    assert "two.jsonl:2: not valid JSON" in err

    assert main(["--project", project, "preannotate", "--model", str(ruler_model)]) == 0
    said = output()[0]
    assert "5 entities suggested in 2 document(s) by en_test_ruler@0.0.1" in said
    assert "statements and claims not suggested: en_test_ruler@0.0.1 has no parser" in said

    assert main(["stats", "--project", project, "--json"]) == 0
    stats = json.loads(output()[0])
    assert stats["documents"] == 2 and stats["pre_annotated"] == 2
    assert stats["layers"]["entity"]["labels"] == {"PERSON": 3, "GPE": 2}
    assert stats["layers"]["entity"]["states"] == {"suggested": 5}

    assert main(["export", "--project", project, "--format", "jsonl", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out
    records = [orjson.loads(line) for line in out.splitlines()]
    assert [r["meta"]["title"] for r in records] == ["Lavrov talks", "Visit"]
    first = "Sergey Lavrov spoke in Moscow 😀 and Lavrov left.\n"
    last_lavrov = first.rindex("Lavrov")  # code points: after the emoji, 1 less than in UTF-16
    assert [(e["start"], e["end"], e["label"], e["text"]) for e in records[0]["entities"]] == [
        (0, 13, "PERSON", "Sergey Lavrov"),
        (23, 29, "GPE", "Moscow"),
        (last_lavrov, last_lavrov + 6, "PERSON", "Lavrov"),
    ]
    assert last_lavrov == 36


def test_stats_in_words(tmp_path, capsys):
    project = str(tmp_path / "p.annotator.sqlite")
    main(["import", str(_articles(tmp_path)), "--project", project])
    capsys.readouterr()
    assert main(["stats", "--project", project]) == 0
    out = capsys.readouterr().out
    assert "Project: p" in out and "Documents: 2 (0 pre-annotated)" in out and "Statuses: new 2" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["preannotate", "--model", "no_such_pipeline"], "annotator: error: cannot load the spaCy pipeline 'no_such_pipeline'"),
        (["export", "-o", "{tmp}"], "is a folder; give a file name"),
        (["stats", "--project", "{tmp}/notes.sqlite"], "cannot be opened as an Annotator project"),
    ],
)
def test_errors_are_one_line_and_exit_non_zero(tmp_path, capsys, argv, message):
    main(["import", str(_articles(tmp_path))])  # the default project exists and has articles
    capsys.readouterr()
    (tmp_path / "notes.sqlite").write_text("not a database " * 50)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["export"])
    assert exit_.value.code == 2
    assert "-o/--output" in capsys.readouterr().err


def test_without_a_display_the_window_command_explains_instead_of_aborting(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "annotator"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("annotator: error: no display to open the window on")


def test_reading_commands_do_not_create_projects(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["stats"], ["export", "-o", "out.jsonl"], ["preannotate"]):
        assert main([*command, "--project", "typo"]) == 1
        assert "typo.annotator.sqlite: no such project" in capsys.readouterr().err
    assert not list(tmp_path.rglob("typo*"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["preannotate", "--processes", "0"], "expected a whole number of at least 1"),
        (["preannotate", "--batch-size", "-3"], "expected a whole number of at least 1"),
        (["preannotate", "--processes", "two"], "expected a whole number of at least 1"),
        (["import", "x.txt", "--encoding", "nonsense"], "'nonsense' is not an encoding Python knows"),
        (["export", "-o", "x", "--status", "finished"], "expected statuses from done, in_progress, new, skipped"),
        (["export", "-o", "x", "--layers", "entity,quote"], "expected layers from claim, entity, statement"),
        (["export", "-o", "x", "--since", "13/01/2021"], "expected a day as YYYY-MM-DD"),
        (["export", "-o", "x", "--format", "spacy", "--dev", "1.5"], "expected a share between 0 and 1"),
        (["import", "x", "--format", "excel"], "invalid choice: 'excel'"),
    ],
)
def test_bad_option_values_are_usage_errors(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unexpected_failure_is_one_line_pointing_at_the_log(tmp_path, capsys, monkeypatch):
    from annotator.services import stats

    def broken(_project):
        raise RuntimeError("something nobody expected\nsecond line")

    monkeypatch.setattr(stats, "project_stats", broken)
    project = str(tmp_path / "p.annotator.sqlite")
    main(["import", str(_articles(tmp_path)), "--project", project])
    capsys.readouterr()
    assert main(["stats", "--project", project]) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: RuntimeError: something nobody expected (details in ")
    assert len(err.strip().splitlines()) == 1


def test_a_guessed_encoding_is_a_warning_and_encoding_names_it(tmp_path, capsys):
    article = tmp_path / "ru.txt"
    article.write_bytes("date 2021-01-13 Лавров\n\nСергей Лавров заявил.\n".encode("cp1251"))
    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(article), "--project", project]) == 0  # warnings do not fail an import
    err = capsys.readouterr().err
    assert f"warning: {article}: not UTF-8; read as cp1251" in err
    assert main(["import", str(article), "--project", str(tmp_path / "q.annotator.sqlite"), "--encoding", "cp1251"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_annotated_data_in_and_out_with_formats_and_filters(tmp_path, corpus, capsys, ruler_model):
    project = str(tmp_path / "headlines.annotator.sqlite")
    headlines = corpus / "annotated/prodigy_news_headlines/annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl"
    # LOCATION is not in the news schema: reported line by line, the rest comes in.
    assert main(["import", str(headlines), "--project", project]) == 1
    out, err = capsys.readouterr()
    assert "372 documents imported from 1 file(s)" in out  # one task was answered "ignore"
    assert f"{headlines}:1: label 'LOCATION' (entity) is not in the project's schema" in err
    assert main(["import", str(headlines), "--project", project, "--format", "prodigy", "--add-labels"]) == 0
    out, _ = capsys.readouterr()
    assert "0 documents imported" in out and "new label(s) entity:LOCATION added to the schema" in out

    target = tmp_path / "orgs.conll"
    argv = ["export", "--project", project, "--format", "conll", "-o", str(target), "--layers", "entity"]
    assert main([*argv, "--model", str(ruler_model)]) == 0
    assert "B-LOCATION" in target.read_text(encoding="utf-8")
    assert main(["export", "--project", project, "-o", str(tmp_path / "none.jsonl"), "--since", "2020-01-01"]) == 0
    assert "0 document(s)" in capsys.readouterr().out  # the headlines have no dates


def _annotated_project(tmp_path, capsys) -> str:
    """A project with one accepted entity and one unreviewed suggestion (a native JSONL import)."""
    source = tmp_path / "annotated.jsonl"
    record = {
        "format": "annotator/1",
        "text": "Sergey Lavrov spoke in Moscow.",
        "meta": {"title": "Talks"},
        "entities": [
            {"id": "a", "start": 0, "end": 13, "label": "PERSON", "state": "accepted", "annotator": "ana"},
            {"id": "b", "start": 23, "end": 29, "label": "GPE", "state": "suggested", "origin": "m@1"},
        ],
    }
    source.write_bytes(orjson.dumps(record) + b"\n")
    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(source), "--project", project]) == 0
    capsys.readouterr()
    return project


@pytest.mark.parametrize("extra", [["--format", "brat"], ["--format", "spacy", "--dev", "0.2"]])
def test_a_folder_export_never_replaces_a_folder_of_the_users_files(tmp_path, capsys, monkeypatch, extra):
    project = _annotated_project(tmp_path, capsys)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("my notes")
    (tmp_path / "c" / "x.json").write_text('{"mine": 1}')
    assert main(["export", "--project", project, *extra, "-o", "c"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("annotator: error: c is not an earlier export of Annotator") and len(err.splitlines()) == 1
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["a.txt", "x.json"]
    assert (tmp_path / "c" / "a.txt").read_text() == "my notes"
    assert main(["export", "--project", project, *extra, "-o", "new"]) == 0  # a new folder is fine
    assert main(["export", "--project", project, *extra, "-o", "new"]) == 0  # and replacing it again


def test_unreviewed_suggestions_leave_doccano_unless_asked_for(tmp_path, capsys):
    project = _annotated_project(tmp_path, capsys)
    target = tmp_path / "d.jsonl"

    def labels() -> list[str]:
        return [e["label"] for e in orjson.loads(target.read_bytes())["entities"]]

    assert main(["export", "--project", project, "--format", "doccano", "-o", str(target)]) == 0
    assert labels() == ["PERSON"]
    assert "1 unreviewed suggestion(s) left out" in capsys.readouterr().out
    including = ["export", "--project", project, "--format", "doccano", "--include-suggestions", "-o", str(target)]
    assert main(including) == 0
    assert labels() == ["PERSON", "GPE"]
    assert main(["export", "--project", project, "--format", "jsonl", "-o", str(target)]) == 0
    assert [e["state"] for e in orjson.loads(target.read_bytes())["entities"]] == ["accepted", "suggested"]
    assert main(["export", "--project", project, "--reviewed-only", "-o", str(target)]) == 0
    assert [e["label"] for e in orjson.loads(target.read_bytes())["entities"]] == ["PERSON"]
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--project", project, "--reviewed-only", "--include-suggestions", "-o", str(target)])
    assert exit_.value.code == 2


def test_one_members_file_of_a_doccano_export_imports_under_the_person_it_names(tmp_path, capsys):
    project = str(tmp_path / "p.annotator.sqlite")
    text = "Lavrov met Blinken."
    for person, spans in (("admin", [[0, 6, "PERSON"]]), ("annotator2", [[0, 6, "PERSON"], [11, 18, "PERSON"]])):
        member = tmp_path / f"{person}.jsonl"
        member.write_bytes(orjson.dumps({"text": text, "label": spans}) + b"\n")
        assert main(["import", str(member), "--annotator", person, "--project", project]) == 0
    assert "0 documents imported from 1 file(s), 2 annotation(s)" in capsys.readouterr().out
    assert main(["export", "--format", "jsonl", "--annotator", "annotator2", "-o", str(tmp_path / "a2.jsonl"),
                 "--project", project]) == 0
    [record] = [orjson.loads(line) for line in (tmp_path / "a2.jsonl").read_bytes().splitlines()]
    assert sorted((s["start"], s["annotator"]) for s in record["entities"]) == [(0, "annotator2"), (11, "annotator2")]
