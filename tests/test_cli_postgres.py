"""The command line on a PostgreSQL project, not only the store: import, preannotate with the test pipeline,
stats and export with ``--project postgresql+psycopg://…`` on a fresh database (the postgres_url fixture
makes one and drops it). Skipped without ANNOTATOR_TEST_POSTGRES_URL, failed where REQUIRE_POSTGRES=1."""

from __future__ import annotations

import json

import orjson

from annotator.app import main

FIRST = "Sergey Lavrov spoke in Moscow 😀 and Lavrov left.\n"


def _articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir(parents=True)
    (folder / "one.txt").write_text(f"date 2021-01-13 Lavrov talks\n\n{FIRST}", encoding="utf-8")
    (folder / "two.jsonl").write_text(
        '{"text": "Elena Varga visited Riverton.", "meta": {"title": "Visit"}}\n{oops\n', encoding="utf-8"
    )
    return folder


def test_import_preannotate_stats_export_on_a_server(tmp_path, ruler_model, capsysbinary, postgres_url):
    def output():
        captured = capsysbinary.readouterr()
        return captured.out.decode(), captured.err.decode()

    assert main(["import", str(_articles(tmp_path)), "--project", postgres_url]) == 1  # one bad line
    out, err = output()
    assert "2 documents imported from 2 file(s), 1 problem(s)" in out
    assert "two.jsonl:2: not valid JSON" in err
    assert main(["import", str(_articles(tmp_path / "again")), "--project", postgres_url]) == 1  # never doubled
    assert "0 documents imported" in output()[0]

    assert main(["--project", postgres_url, "preannotate", "--model", str(ruler_model)]) == 0
    assert "5 entities suggested in 2 document(s) by en_test_ruler@0.0.1" in output()[0]

    assert main(["stats", "--project", postgres_url, "--json"]) == 0
    stats = json.loads(output()[0])
    assert stats["documents"] == 2 and stats["pre_annotated"] == 2
    assert stats["layers"]["entity"]["labels"] == {"PERSON": 3, "GPE": 2}
    assert stats["layers"]["entity"]["states"] == {"suggested": 5}

    assert main(["export", "--project", postgres_url, "--format", "jsonl", "-o", "-"]) == 0
    records = [orjson.loads(line) for line in capsysbinary.readouterr().out.splitlines()]
    assert [r["meta"]["title"] for r in records] == ["Lavrov talks", "Visit"]
    last_lavrov = FIRST.rindex("Lavrov")  # code points, on the server as in a file
    assert [(e["start"], e["end"], e["label"], e["text"]) for e in records[0]["entities"]] == [
        (0, 13, "PERSON", "Sergey Lavrov"),
        (23, 29, "GPE", "Moscow"),
        (last_lavrov, last_lavrov + 6, "PERSON", "Lavrov"),
    ]

    target = tmp_path / "out.jsonl"  # to a file as well, and the project's stats by words
    assert main(["export", "--project", postgres_url, "--format", "jsonl", "-o", str(target)]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    output()
    assert main(["stats", "--project", postgres_url]) == 0
    assert "2" in output()[0]
