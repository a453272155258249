"""Sentence-level claim data (ClaimBuster, CheckThat!, any table or JSON with a text and a label): each row
a done document, the positive ones with an accepted claim over the sentence."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import orjson
import pytest

from annotator.app import main
from annotator.core.errors import Problem
from annotator.core.model import Layer, State, Status
from annotator.core.records import Imported, ImportOptions
from annotator.core.vocabulary import CHECK_WORTHY, CHECKWORTHINESS
from annotator.formats import claims, doccano, labelstudio, native, prodigy, tagged_jsonl
from annotator.services import importing

CLAIMBUSTER = "annotated/claimbuster"
CHECKTHAT = "annotated/clef2020_checkthat_task1_tweets"
# Markup, an emoji with a skin tone, a flag, an entity left escaped, white space (a no-break space too) outside.
HOSTILE = "  <b>bold</b> claim: 👍🏽 rates rose 🇺🇦 &amp; fell\u00a0\n"
CHECKTHAT_HEADER = "topic_id\ttweet_id\ttweet_url\ttweet_text\tclaim\tcheck_worthiness\n"


def read_all(path: Path, options: ImportOptions = ImportOptions()) -> tuple[list[Imported], list[Problem]]:
    items = list(claims.read(path, options))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def claimed(items: list[Imported]) -> list[str]:
    return [item.document.title for item in items if item.spans]


def test_claimbuster_test_set_is_read_whole(corpus):
    path = corpus / CLAIMBUSTER / "test.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    positives = [row for row in rows if row["label"] == 1]
    imported, problems = read_all(path)
    assert problems == []
    assert len(imported) == len(rows) and len(positives) > 0
    assert sum(len(item.spans) for item in imported) == len(positives)
    assert claimed(imported) == [str(row["sentence_id"]) for row in positives]
    assert {item.document.status for item in imported} == {Status.DONE}
    for item, row in zip(imported, rows, strict=True):
        assert item.document.text == row["text"] and item.document.source == "test.json"
        assert item.document.meta == {"sentence_id": row["sentence_id"], "label": row["label"]}
        for span in item.spans:
            assert (span.layer, span.label, span.state) == (Layer.CLAIM, "CLAIM", State.ACCEPTED)
            assert span.text_in(row["text"]) == row["text"].strip()
            assert span.attributes == {CHECKWORTHINESS: CHECK_WORTHY}
    first = path.read_text(encoding="utf-8").splitlines()
    assert first[imported[1].line - 1].strip() == "{"  # lines are the file's, not record numbers


def test_checkthat_tweets_are_labelled_by_check_worthiness_not_claim(corpus):
    for name, column in (("training_v2.tsv", "check_worthiness"), ("test-gold.tsv", "claim_worthiness")):
        path = corpus / CHECKTHAT / name
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        imported, problems = read_all(path)
        assert problems == [] and len(imported) == len(rows)
        assert claimed(imported) == [row["tweet_id"] for row in rows if row[column] == "1"]
        factual_only = [row["tweet_id"] for row in rows if row["claim"] == "1" and row[column] == "0"]
        assert factual_only and not set(factual_only) & set(claimed(imported))
        assert [item.document.text for item in imported] == [row["tweet_text"] for row in rows]  # quoted cells too


def test_a_checkthat_table_written_here(tmp_path):
    path = tmp_path / "tweets.tsv"
    path.write_text(CHECKTHAT_HEADER + "covid-19\t11\thttps://t.co/11\tMasks cut spread by 80%.\t1\t1\n"
                    "covid-19\t12\thttps://t.co/12\tThe WHO met today.\t1\t0\n"
                    "covid-19\t13\thttps://t.co/13\tStay safe!\t0\t0\n", encoding="utf-8")
    imported, problems = read_all(path)
    assert problems == [] and [item.document.title for item in imported] == ["11", "12", "13"]
    assert claimed(imported) == ["11"]
    assert imported[1].document.meta == {"topic_id": "covid-19", "tweet_id": "12", "tweet_url": "https://t.co/12",
                                         "claim": "1", "check_worthiness": "0"}
    assert [item.line for item in imported] == [2, 3, 4] and {i.document.status for i in imported} == {Status.DONE}


NAMED = [
    ("check-worthy factual", True), ("Unimportant factual", False), ("non-factual", False), ("CFS", True),
    ("ufs", False), ("NFS", False), ("Yes", True), ("no", False), ("TRUE", True), ("false", False), ("1.0", True),
    ("-1", False), ("check_worthy", True), ("not check-worthy", False),
]


def test_a_csv_with_named_labels_and_no_id_column(tmp_path):
    path = tmp_path / "named.csv"
    lines = ["Sentence,Class,speaker"] + [f"Sentence number {i}.,{label},Ana" for i, (label, _) in enumerate(NAMED)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    options = ImportOptions(layers={"PERSON": Layer.ENTITY, "Claim": Layer.CLAIM, "OTHER": Layer.CLAIM})
    imported, problems = read_all(path, options)
    assert problems == []
    assert [bool(item.spans) for item in imported] == [positive for _, positive in NAMED]
    titles = [item.document.title for item in imported]
    assert titles[0] == "named.csv row 1" and titles[-1] == f"named.csv row {len(NAMED)}"
    assert {span.label for item in imported for span in item.spans} == {"Claim"}  # the schema's first claim label
    assert {span.attributes[CHECKWORTHINESS] for item in imported for span in item.spans} == {CHECK_WORTHY}
    assert imported[1].document.meta == {"Class": "Unimportant factual", "speaker": "Ana"}


def test_values_that_are_no_label_are_told_apart_without_raising():
    assert [claims.verdict(v) for v in (10**400, float("inf"), "nan", None, [1], {"label": 1}, "", "maybe", 2)] == [
        None] * 9
    assert [claims.verdict(v) for v in (1.0, True, " Yes ", "-1.0", False)] == [True, True, True, False, False]


def test_json_lines_and_semicolon_tables_with_named_labels(tmp_path):
    path = tmp_path / "named.jsonl"
    values = [True, False, 1, 0, "check-worthy factual", "NFS"]
    path.write_bytes(b"".join(orjson.dumps({"id": f"s{i}", "content": f"Text {i}.", "checkworthy": value}) + b"\n"
                              for i, value in enumerate(values)))
    imported, problems = read_all(path)
    assert problems == [] and claimed(imported) == ["s0", "s2", "s4"]
    table = tmp_path / "excel.csv"
    table.write_text("id;text;label\n1;Rates rose, then fell.;yes\n2;Hello;no\n", encoding="utf-8")
    imported, problems = read_all(table)
    assert problems == [] and claimed(imported) == ["1"] and imported[0].document.text == "Rates rose, then fell."


@pytest.mark.parametrize(
    ("name", "content", "line", "missing"),
    [
        ("a.csv", "sentence_id,body,label\n1,Rates rose.,1\n", 1, "text"),
        ("b.tsv", "tweet_id\ttweet_text\tscore\n1\tRates rose.\t1\n", 1, "label"),
        ("c.json", '[\n  {"sentence_id": 1, "sentence": "Rates rose.", "stars": 1}\n]', 2, "label"),
        ("d.jsonl", '{"body": "Rates rose.", "label": 1}\n', 1, "text"),
        ("e.csv", "words,label\n", 1, "text"),  # a header without rows is still checked
    ],
)
def test_a_file_without_a_text_or_label_column_imports_nothing(tmp_path, name, content, line, missing):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    imported, problems = read_all(path)
    assert imported == [] and len(problems) == 1
    wanted = claims.TEXT_COLUMNS if missing == "text" else claims.LABEL_COLUMNS
    assert str(problems[0]).startswith(f"{path}:{line}: expected a {missing} column (one of {', '.join(wanted)}); "
                                       "found columns ")


def test_bad_rows_are_reported_with_their_line_and_the_rest_imported(tmp_path):
    table = tmp_path / "rows.csv"
    table.write_text('id,text,label\n1,"Two lines,\nin one cell.",1\n2,Maybe a claim.,perhaps\n3,   ,1\n'
                     "4,Too,many,cells\n\n5,Kept.,0\n", encoding="utf-8")
    imported, problems = read_all(table)
    assert [item.document.title for item in imported] == ["1", "5"] and claimed(imported) == ["1"]
    assert [item.line for item in imported] == [2, 8]
    assert [str(p) for p in problems] == [
        f"{table}:4: expected a label in 'label': {claims.EXPECTED}; found 'perhaps'; row left out",
        f"{table}:5: expected a text in 'text', found '   '; row left out",
        f"{table}:6: expected 3 cells as in the header, found 4; row left out",
    ]
    array = tmp_path / "rows.json"
    array.write_text(json.dumps([{"sentence_id": 1, "text": "Fine.", "label": 1},
                                 {"sentence_id": 2, "text": "Odd.", "label": 2},
                                 {"sentence_id": 3, "text": 7, "label": 0},
                                 {"sentence_id": 4, "text": "Also fine.", "label": 0}], indent=2), encoding="utf-8")
    imported, problems = read_all(array)
    assert [item.document.title for item in imported] == ["1", "4"]
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (7, f"expected a label in 'label': {claims.EXPECTED}"), (12, "expected a text in 'text', found 7"),
    ]
    lines = tmp_path / "rows.jsonl"
    lines.write_text('{"text": "One.", "label": 1}\n{oops\n{"text": "Three.", "label": "x"}\n{"text": "Four.", '
                     '"label": 0}\n', encoding="utf-8")
    imported, problems = read_all(lines)
    assert [item.document.title for item in imported] == ["rows.jsonl row 1", "rows.jsonl row 4"]
    assert [p.line for p in problems] == [2, 3] and str(problems[0]).startswith(f"{lines}:2: not valid JSON")


def test_a_bad_first_record_does_not_hide_the_columns_of_the_next(tmp_path):
    lines = tmp_path / "first.jsonl"
    lines.write_text('{oops\n{"text": "Two.", "label": 1}\n', encoding="utf-8")
    array = tmp_path / "first.json"
    array.write_text('[\n 5,\n {"text": "Two.", "label": 1}\n]', encoding="utf-8")
    for path in (lines, array):
        imported, problems = read_all(path)
        assert claimed(imported) == [f"{path.name} row 2"] and [p.line for p in problems] == [1 if path is lines else 2]


def test_broken_json_stops_at_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n {"text": "One.", "label": 1},\n {"text": "Two." "label": 0}\n]', encoding="utf-8")
    imported, problems = read_all(path)
    assert len(imported) == 1 and [p.line for p in problems] == [3]
    assert "not valid JSON" in problems[0].message and "not read" in problems[0].message


def test_bad_encodings_are_reported_as_the_other_readers_do(tmp_path):
    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes("text,label\nZürich grew 5%.,1\n".encode("utf-8") + b"M\xc3\xbcnchen \xff fell.,0\n")
    imported, problems = read_all(damaged)
    assert imported == [] and len(problems) == 1
    assert str(problems[0]).startswith(f"{damaged}: not imported: it is UTF-8 with 1 invalid byte(s)")
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("text,label\nZürich grew 5% in März.,1\n".encode("cp1252"))
    imported, problems = read_all(legacy)
    assert imported[0].document.text == "Zürich grew 5% in März." and [p.warning for p in problems] == [True]
    assert "read as cp1252 (a guess" in problems[0].message
    named, _ = read_all(legacy, ImportOptions(encoding="cp1252"))
    assert named[0].document.text == "Zürich grew 5% in März."
    lines = tmp_path / "damaged.jsonl"
    lines.write_bytes(b'{"text": "Good.", "label": 1}\n{"text": "Bad \xff.", "label": 0}\n'
                      b'{"text": "Ok.", "label": 0}\n')
    imported, problems = read_all(lines)
    assert [item.document.text for item in imported] == ["Good.", "Ok."] and [p.line for p in problems] == [2]
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"[\x00\x01\x02]")
    imported, problems = read_all(binary)
    assert imported == [] and "not imported: it contains NUL bytes" in str(problems[0])


def test_a_hostile_text_is_kept_exactly_with_code_point_offsets(tmp_path):
    start, end = 2, len(HOSTILE.rstrip())
    files = {
        "h.json": json.dumps([{"id": "h", "text": HOSTILE, "label": 1}], ensure_ascii=False),
        "h.jsonl": json.dumps({"id": "h", "text": HOSTILE, "label": "CFS"}) + "\n",
        "h.csv": "id,text,label\n" + _csv_row(["h", HOSTILE, "1"]),
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8", newline="")
        [item], problems = read_all(path)
        assert problems == [] and item.document.text == HOSTILE, name
        [span] = item.spans
        assert (span.start, span.end) == (start, end) and span.text_in(HOSTILE) == HOSTILE.strip()
    assert HOSTILE[end - 4 : end] == "fell" and len("👍🏽") == 2  # offsets count code points, not UTF-16 units


def _csv_row(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def test_the_same_text_labelled_both_ways_is_noted(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("text,label\nRates rose.,0\nRates rose.,1\nRates rose.,1\n", encoding="utf-8")
    imported, problems = read_all(path)
    assert len(imported) == 3 and [(p.line, p.warning) for p in problems] == [(3, True), (4, True)]
    assert "the same text as line 2, labelled the other way" in problems[0].message


OURS = {
    "cb.json": json.dumps([{"sentence_id": 1, "label": 0, "text": "Thank you."}], indent=2),
    "ct.tsv": CHECKTHAT_HEADER + "covid-19\t1\thttps://t.co/1\tMasks work.\t1\t0\n",
    "named.csv": "Text,Class\nRates rose.,non-factual\n",
    "s.jsonl": '{"text": "Rates rose.", "label": true}\n',
    "lines.json": '{"content": "Rates rose.", "check_worthy": "yes"}\n',
}
THEIRS = {
    "doccano_triples.jsonl": '{"text": "Ana spoke.", "label": [[0, 3, "PERSON"]]}\n',
    "doccano_classes.jsonl": '{"text": "Rates rose.", "label": ["yes"]}\n',
    "doccano_entities.jsonl": '{"text": "Ana spoke.", "entities": [{"start_offset": 0, "end_offset": 3, '
                              '"label": "PERSON"}], "label": 1}\n',
    "prodigy_textcat.jsonl": '{"text": "Rates rose.", "label": "yes", "answer": "accept", "_input_hash": 1}\n',
    "native.jsonl": '{"format": "annotator/1", "text": "Rates rose.", "label": 1}\n',
    "articles.jsonl": '{"text": "Rates rose.", "meta": {"title": "Rates"}}\n',
    "topics.jsonl": '{"text": "Rates rose.", "label": "economy"}\n',
    "ls_min.json": '[{"text": "Rates rose.", "checkworthy": "check-worthy", "annotator": 1, "annotation_id": 2}]',
    "ls_tasks.json": '[{"data": {"text": "Rates rose."}, "annotations": []}]',
    "ls_table.csv": "annotation_id,annotator,checkworthy,text\n1,1,check-worthy,Rates rose.\n",
    "bio.tsv": "Ana\tB-PER\nspoke\tO\n",
    "notes.csv": "text,label\n,1\n",  # no text in the first row: not a claim table's first row
}


def test_sniffing_takes_claim_data_and_leaves_other_formats_their_files(tmp_path):
    for name, content in {**OURS, **THEIRS}.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        assert claims.sniff(tmp_path / name) == (name in OURS), name
    for name in OURS:
        path = tmp_path / name
        others = (doccano.sniff, prodigy.sniff, native.sniff, tagged_jsonl.sniff, labelstudio.sniff,
                  labelstudio.sniff_table)
        assert not any(sniff(path) for sniff in others), name
    assert not claims.sniff(tmp_path / "missing.json")


def test_no_other_file_of_the_corpus_is_taken_for_claim_data(corpus):
    ours = {corpus / CLAIMBUSTER, corpus / CHECKTHAT}
    for path in sorted((corpus / "annotated").rglob("*")):
        if path.is_file():
            assert claims.sniff(path) == (path.parent in ours), path


def test_detection_picks_claim_data(tmp_path):
    for name, content in OURS.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        assert importing.detect(tmp_path / name) == "claims", name


# ---------------------------------------------------------------- through the command line


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_import_from_the_command_line_gives_done_documents_with_accepted_claims(tmp_path, capsys):
    tweets = tmp_path / "tweets.tsv"
    tweets.write_text(CHECKTHAT_HEADER + "covid-19\t11\thttps://t.co/11\tMasks cut spread by 80%.\t1\t1\n"
                      "covid-19\t12\thttps://t.co/12\tThe WHO met today.\t1\t0\n", encoding="utf-8")
    sentences = tmp_path / "sentences.json"
    sentences.write_text(json.dumps([{"sentence_id": 7, "label": 1, "text": HOSTILE},
                                     {"sentence_id": 8, "label": 0, "text": "Thank you."},
                                     {"sentence_id": 9, "label": "maybe", "text": "Left out."}], ensure_ascii=False),
                         encoding="utf-8")
    project = str(tmp_path / "claims.annotator.sqlite")
    code, out, err = _run(["import", str(tweets), str(sentences), "--format", "claims", "--project", project], capsys)
    assert code == 1  # the row with "maybe" is reported; the rest came in
    assert "4 documents imported from 2 file(s), 2 annotation(s), 1 problem(s)" in out
    assert f"{sentences}:1: expected a label in 'label'" in err

    code, out, _ = _run(["stats", "--json", "--project", project], capsys)
    stats = json.loads(out)
    assert stats["documents"] == 4 and stats["statuses"] == {"done": 4}
    assert stats["layers"]["claim"]["labels"] == {"CLAIM": 2} and stats["layers"]["claim"]["states"] == {"accepted": 2}

    target = tmp_path / "done.jsonl"
    assert _run(["export", "--status", "done", "-o", str(target), "--project", project], capsys)[0] == 0
    records = {r["meta"]["title"]: r for r in map(orjson.loads, target.read_bytes().splitlines())}
    assert sorted(records) == ["11", "12", "7", "8"] and {r["status"] for r in records.values()} == {"done"}
    [claim] = records["7"]["claims"]
    assert records["7"]["text"] == HOSTILE and (claim["start"], claim["end"]) == (2, len(HOSTILE.rstrip()))
    assert claim["text"] == HOSTILE.strip() and claim["checkworthiness"] == CHECK_WORTHY
    assert claim["state"] == "accepted" and claim["origin"] == "import:claims"
    assert [len(records[t]["claims"]) for t in ("11", "12", "8")] == [1, 0, 0]
    assert records["12"]["meta"]["claim"] == "1" and records["8"]["meta"]["source"] == "sentences.json"


def test_the_claimbuster_test_set_through_the_command_line(tmp_path, corpus, capsys):
    path = corpus / CLAIMBUSTER / "test.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    project = str(tmp_path / "cb.annotator.sqlite")
    code, out, err = _run(["import", str(path), "--format", "claims", "--project", project], capsys)
    assert code == 0 and err.count("problem") == 0
    stats = json.loads(_run(["stats", "--json", "--project", project], capsys)[1])
    assert stats["statuses"] == {"done": len(rows)}
    assert stats["layers"]["claim"]["labels"] == {"CLAIM": sum(row["label"] == 1 for row in rows)}
