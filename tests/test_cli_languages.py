"""`annotator models --language LANG=PIPELINE` and `annotator preannotate`: each language's documents get
their own pipeline, and those of a language without one are left out and counted."""

from __future__ import annotations

import json

import pytest

from annotator.app import main

HEBREW = "ראש הממשלה בנימין נתניהו אמר היום כי השיחות יימשכו."
ENGLISH = "Sergey Lavrov spoke in Moscow on Tuesday."


def test_a_language_gets_its_own_pipeline_from_the_command_line(tmp_path, ruler_model, hebrew_model, capsys):
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"text": HEBREW}, ensure_ascii=False) + "\n" + json.dumps({"text": ENGLISH}) + "\n",
                        encoding="utf-8")
    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(articles), "--project", project]) == 0
    capsys.readouterr()

    assert main(["preannotate", "--project", project, "--model", str(ruler_model)]) == 0
    said = capsys.readouterr().out
    assert "2 entities suggested in 1 document(s) by en_test_ruler@0.0.1" in said
    assert "1 document(s) in he (Hebrew) left out: no pipeline for he" in said

    assert main(["models", "--project", project, "--language", f"he={hebrew_model}"]) == 0
    listed = capsys.readouterr().out
    assert f"Documents in he now get their suggestions from {hebrew_model}" in listed
    assert "Languages (default en):" in listed
    assert f"  he  1 document(s)  {hebrew_model}" in listed

    assert main(["preannotate", "--project", project, "--model", str(ruler_model)]) == 0
    said = capsys.readouterr().out
    assert "1 entity suggested in 1 document(s) by en_test_ruler@0.0.1 (en), he_test_ruler@0.0.2 (he)" in said
    assert "left out" not in said

    assert main(["models", "--project", project, "--language", "he=none"]) == 0
    assert "  he  1 document(s)  none: no suggestions" in capsys.readouterr().out


def test_a_wrong_language_assignment_is_told_in_one_line(tmp_path, capsys):
    articles = tmp_path / "one.txt"
    articles.write_text(ENGLISH, encoding="utf-8")
    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(articles), "--project", project]) == 0
    with pytest.raises(SystemExit) as exited:
        main(["models", "--project", project, "--language", "he"])
    assert exited.value.code == 2
    assert "'he': expected LANG=PIPELINE, e.g. he=my-hebrew@1 or th=none" in capsys.readouterr().err
    assert main(["models", "--project", project, "--language", "hebrew=none"]) == 1
    assert "'hebrew' is not a language code" in capsys.readouterr().err


def test_import_names_the_language_of_documents_its_script_cannot_tell(tmp_path, capsys):
    """Cyrillic letters serve Russian and Ukrainian: --language says which, a record's own field still wins,
    and the language goes with the document's meta (an export keeps it)."""
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        json.dumps({"text": "Президент України заявив про нові переговори."}, ensure_ascii=False) + "\n"
        + json.dumps({"text": "Президент России заявил о переговорах.", "meta": {"language": "ru"}},
                     ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    project = str(tmp_path / "p.annotator.sqlite")
    assert main(["import", str(articles), "--project", project, "--language", "uk"]) == 0
    capsys.readouterr()
    assert main(["models", "--project", project]) == 0
    listed = capsys.readouterr().out
    assert "  uk  1 document(s)" in listed and "  ru  1 document(s)" in listed
    exported = tmp_path / "out.jsonl"
    assert main(["export", "--project", project, "--format", "jsonl", "-o", str(exported)]) == 0
    languages = sorted(json.loads(line)["meta"]["language"] for line in exported.read_text(encoding="utf-8").splitlines())
    assert languages == ["ru", "uk"]


def test_import_refuses_a_language_that_is_no_code(tmp_path, capsys):
    articles = tmp_path / "one.txt"
    articles.write_text(ENGLISH, encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["import", str(articles), "--project", str(tmp_path / "p.annotator.sqlite"), "--language", "Ukrainian"])
    assert "'Ukrainian' is not a language code" in capsys.readouterr().err
