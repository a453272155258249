"""doccano JSONL: both forms written and read back, doccano's own shapes, and input that does not fit."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record
from annotator.core.vocabulary import SPEAKER
from annotator.formats import doccano, native, tagged_jsonl
from tests.formats.test_prodigy import LAYERS, TEXT, annotated_record, keys, lines, links


def read_all(path: Path, options: ImportOptions = LAYERS) -> tuple[list[Imported], list[Problem]]:
    items = list(doccano.read(path, options))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def test_the_relation_form_reads_back_with_every_span_relation_and_attribute(tmp_path):
    record = annotated_record()
    target = tmp_path / "out.jsonl"
    assert doccano.write([record, Record(Document("Nothing here."), [], [])], target, ExportOptions()) == []
    (back, empty), problems = read_all(target)
    assert problems == []
    assert keys(back.spans) == keys(record.spans)
    assert links(back) == links(record)
    assert {s.state for s in back.spans} == {State.ACCEPTED}  # doccano does not tell suggestions apart
    assert {s.origin for s in back.spans} == {"import:doccano"}
    assert {s.layer for s in back.spans} == {Layer.ENTITY, Layer.STATEMENT, Layer.CLAIM}
    doc = back.document
    assert (doc.text, doc.title, doc.date, doc.source, doc.meta) == (
        TEXT,
        "Talks",
        "2021-05-04",
        "tass.txt",
        {"lang": "en"},
    )
    assert (back.line, empty.line, empty.spans) == (1, 2, [])


def test_the_relation_form_is_doccanos(tmp_path):
    target = tmp_path / "out.jsonl"
    doccano.write([annotated_record(), annotated_record()], target, ExportOptions())
    first, second = map(orjson.loads, target.read_bytes().splitlines())
    assert set(first) >= {"id", "text", "entities", "relations", "title", "date", "source", "meta"}
    entity = first["entities"][0]
    assert {"id", "label", "start_offset", "end_offset"} <= set(entity) and isinstance(entity["id"], int)
    assert [e["start_offset"] for e in first["entities"]] == sorted(e["start_offset"] for e in first["entities"])
    by_id = {e["id"]: e for e in first["entities"]}
    speaker = next(r for r in first["relations"] if r["type"] == SPEAKER)
    assert by_id[speaker["from_id"]]["label"] == "STATEMENT" and by_id[speaker["to_id"]]["label"] == "PERSON"
    ids = [e["id"] for e in first["entities"] + second["entities"]] + [r["id"] for r in first["relations"]]
    assert len(ids) == len(set(ids))  # unique through the file, as doccano's own ids are


def test_the_sequence_form_keeps_the_spans(tmp_path):
    record = annotated_record()
    target = tmp_path / "seq.jsonl"
    assert doccano.write_labels([record], target, ExportOptions()) == []
    line = orjson.loads(target.read_bytes())
    assert line["label"][0] == [0, 6, "GPE"] and "entities" not in line
    (back,), problems = read_all(target)
    assert problems == []
    spans = sorted((s.start, s.end, s.label, s.layer) for s in back.spans)
    assert spans == sorted((s.start, s.end, s.label, s.layer) for s in record.spans)
    assert back.relations == [] and back.document.title == "Talks"


def test_older_and_foreign_shapes_are_read(tmp_path):
    path = tmp_path / "old.jsonl"
    path.write_text(
        lines(
            {"text": "Ana met Bo.", "labels": [[0, 3, "PERSON"], [8, 10, "PERSON"]], "annotator": 2, "id": 7},
            {"text": "Ana met Bo.", "label": [[8, 10, "PERSON"]], "Comments": [], "meta": {"title": "T", "x": 1}},
        ),
        encoding="utf-8",
    )
    (old, seq), problems = read_all(path)
    assert problems == []
    assert [(s.start, s.end) for s in old.spans] == [(0, 3), (8, 10)]
    assert old.document.meta == {"annotator": 2} and old.document.title == "Ana met Bo."
    assert seq.document.title == "T" and seq.document.meta == {"x": 1}


def test_input_that_does_not_fit_is_reported_by_line_and_the_rest_imports(tmp_path):
    text = "Ana met Bo in Rome."
    path = tmp_path / "bad.jsonl"
    entities = [
        {"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 3},
        {"id": 2, "label": "GPE", "start_offset": 14, "end_offset": 99},
        {"id": 3, "label": "STATEMENT", "start_offset": 0, "end_offset": 18, "attributes": {"cue": [40, 44]}},
    ]
    path.write_text(
        lines(
            {"text": text, "label": [[0, 3, "PERSON"]]},
            "[1, 2]",
            {"text": "", "label": []},
            {"text": text, "entities": entities, "relations": [{"id": 9, "from_id": 1, "to_id": 2, "type": "x"}]},
            {"text": text, "label": ["positive"], "date": "last week"},
        ),
        encoding="utf-8",
    )
    imported, problems = read_all(path)
    assert [i.line for i in imported] == [1, 4, 5]
    assert all(p.path == str(path) for p in problems)
    assert [(p.line, p.warning) for p in problems] == [
        (2, False),
        (3, False),
        (4, False),
        (4, True),
        (4, False),
        (5, True),
    ]
    assert "found list" in problems[0].message and "'text'" in problems[1].message
    assert problems[2].message.startswith("entities 2: expected 0 <= start < end <= 19")
    assert "cue [40, 44]" in problems[3].message
    assert problems[4].message.startswith("relation 9:")
    assert "kept as meta.date_given" in problems[5].message
    # A list of names is doccano's text classification: the document's labels, not broken spans.
    assert [(d.label_set, d.label) for d in imported[2].labels] == [("category", "positive")]
    statement = next(s for s in imported[1].spans if s.label == "STATEMENT")
    assert [s.label for s in imported[1].spans] == ["PERSON", "STATEMENT"] and statement.attributes == {}
    assert imported[2].document.meta == {"date_given": "last week"} and imported[2].document.date is None


def test_sniff_claims_doccano_files_only(tmp_path):
    relation_form, seq_form, ours = tmp_path / "r.jsonl", tmp_path / "s.jsonl", tmp_path / "n.jsonl"
    doccano.write([annotated_record()], relation_form, ExportOptions())
    doccano.write_labels([annotated_record()], seq_form, ExportOptions())
    native.write([annotated_record()], ours, ExportOptions())
    assert doccano.sniff(relation_form) and doccano.sniff(seq_form) and not doccano.sniff(ours)
    assert not tagged_jsonl.sniff(relation_form) and not tagged_jsonl.sniff(seq_form)
    # Lines with no spans do not tell; a later line does.
    late = tmp_path / "late.jsonl"
    late.write_text(lines({"text": "a", "label": []}, {"text": "Jo ran.", "label": [[0, 2, "PERSON"]]}))
    assert doccano.sniff(late)
    classes = tmp_path / "classes.jsonl"  # doccano's text classification export: labels of documents
    classes.write_text(json.dumps({"text": "great film", "label": ["positive"]}) + "\n")
    assert doccano.sniff(classes)
    for other in (
        {"text": "Ana.", "meta": {"title": "x"}},
        {"text": "Ana ran", "tokens": ["Ana", "ran"], "entities": ["B-PER", "O"]},
    ):
        path = tmp_path / "other.jsonl"
        path.write_text(json.dumps(other) + "\n")
        assert not doccano.sniff(path), other
