"""The zips a real doccano 1.8.4 server exported (one JSONL per project member), against what the
project held (gold.jsonl)."""

from __future__ import annotations

import zipfile

import orjson
import pytest

from annotator.core.errors import Problem
from annotator.core.records import Imported, ImportOptions
from annotator.formats import doccano
from annotator.services.importing import detect

LAYERS = ImportOptions(layers={})


def gold(corpus):
    path = corpus / "annotated/peer_exports/doccano/gold.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def spans_of(item, who):
    return sorted((s.start, s.end, s.label) for s in item.spans if s.annotator == who)


def place(span):
    return (span["start"], span["end"], span["label"])


def relations_of(item):
    spans = {s.uid: (s.start, s.end, s.label) for s in item.spans}
    return sorted((spans[r.head], spans[r.tail], r.label) for r in item.relations)


@pytest.mark.parametrize("name", ["jsonl_plain.zip", "jsonl_relation.zip"])
def test_a_doccano_zip_reads_every_member_with_its_annotator(corpus, name):
    path = corpus / "annotated/peer_exports/doccano" / name
    assert detect(path) == "doccano"
    items = list(doccano.read(path, LAYERS))
    assert [i for i in items if isinstance(i, Problem) and not i.warning] == []
    imported = [i for i in items if isinstance(i, Imported)]
    expected = gold(corpus)
    by_member = {"admin": imported[-len(expected) :], "annotator2": imported[: len(expected)]}
    assert sorted({s.annotator for i in imported for s in i.spans}) == ["admin", "annotator2"]
    for who, documents in by_member.items():
        # doccano's server trims the text's trailing white space when it stores an example
        assert [d.document.text for d in documents] == [g["text"].rstrip() for g in expected]
    for document, want in zip(by_member["admin"], expected, strict=True):
        assert spans_of(document, "admin") == sorted((s["start"], s["end"], s["label"]) for s in want["spans"])
        assert {s.origin for s in document.spans} <= {"import:doccano:admin"}
        if name == "jsonl_relation.zip":
            assert relations_of(document) == sorted(
                (place(want["spans"][r["from"]]), place(want["spans"][r["to"]]), r["type"]) for r in want["relations"]
            )
    second = [g for g in expected if g.get("second_annotator_spans")]
    assert second
    for want in second:
        (document,) = [d for d in by_member["annotator2"] if d.document.text == want["text"].rstrip()]
        wanted = sorted((s["start"], s["end"], s["label"]) for s in want["second_annotator_spans"])
        assert spans_of(document, "annotator2") == wanted


def test_a_zip_with_a_member_that_is_not_jsonl_says_so_and_reads_the_rest(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("admin.jsonl", '{"text": "Lavrov spoke.", "label": [[0, 6, "PERSON"]]}\n')
        archive.writestr("notes.txt", "hello")
    items = list(doccano.read(path, LAYERS))
    (item,) = [i for i in items if isinstance(i, Imported)]
    assert [(s.start, s.end, s.label, s.annotator) for s in item.spans] == [(0, 6, "PERSON", "admin")]
    (problem,) = [i for i in items if isinstance(i, Problem)]
    assert "notes.txt" in str(problem) and "expected a .jsonl" in str(problem)


def test_a_file_that_is_not_a_zip_is_one_problem(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"not a zip")
    (problem,) = list(doccano.read(path, LAYERS))
    assert isinstance(problem, Problem) and "zip" in str(problem)
