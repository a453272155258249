"""Document labels of the wrong shape in each reader: one problem with the file and line, and the rest
of the record (and file) imports."""

import orjson

from annotator.core.records import Imported, ImportOptions
from annotator.core.schema import Choice, LabelSet
from annotator.formats import doccano, labelstudio, native, prodigy

TEXT = "Lavrov said the talks went well."
CHECK = LabelSet("checkworthy", (Choice("check-worthy"), Choice("not check-worthy")))
OPTIONS = ImportOptions(label_sets={"checkworthy": CHECK})


def read(module, path):
    found = list(module.read(path, OPTIONS))
    return [f for f in found if isinstance(f, Imported)], [f for f in found if not isinstance(f, Imported)]


def write_lines(path, *records):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def test_native_labels_of_the_wrong_shape_are_reported_by_line(tmp_path):
    path = tmp_path / "n.jsonl"
    good = {"set": "checkworthy", "label": "check-worthy", "annotator": "ana"}
    write_lines(
        path,
        {"format": "annotator/1", "text": TEXT, "labels": [good, {"set": ["x"], "label": 3}, "check-worthy"]},
        {"format": "annotator/1", "text": TEXT + " Again.", "labels": 7},
    )
    imported, problems = read(native, path)
    assert [(d.label_set, d.label, d.annotator) for d in imported[0].labels] == [("checkworthy", "check-worthy", "ana")]
    assert [p.line for p in problems] == [1, 1, 2] and imported[1].labels == []


def test_prodigy_accept_not_a_list_is_reported_and_the_spans_still_come(tmp_path):
    path = tmp_path / "p.jsonl"
    write_lines(
        path,
        {"text": TEXT, "spans": [{"start": 0, "end": 6, "label": "PERSON"}], "answer": "accept", "accept": "oops",
         "_input_hash": 1},
        {"text": TEXT + " Two.", "answer": "accept", "accept": ["check-worthy"], "_input_hash": 2},
    )
    imported, problems = read(prodigy, path)
    assert [p.line for p in problems] == [1] and "'accept'" in problems[0].message
    assert [s.label for s in imported[0].spans] == ["PERSON"]
    assert [(d.label_set, d.label) for d in imported[1].labels] == [("checkworthy", "check-worthy")]


def test_doccano_cats_of_the_wrong_shape_are_reported(tmp_path):
    path = tmp_path / "d.jsonl"
    write_lines(path, {"text": TEXT, "label": [[0, 6, "PERSON"]], "cats": 5},
                {"text": TEXT + " Two.", "label": [], "cats": {"check-worthy": 0.9, "not check-worthy": "x"}})
    imported, problems = read(doccano, path)
    assert [p.line for p in problems] == [1, 2]
    assert [s.label for s in imported[0].spans] == ["PERSON"]
    assert [d.label for d in imported[1].labels] == ["check-worthy"]


def test_label_studio_choices_of_the_wrong_shape_are_reported(tmp_path):
    path = tmp_path / "l.json"
    bad = {"id": "c", "from_name": "checkworthy", "to_name": "text", "type": "choices", "value": {"choices": 3}}
    good = {"id": "d", "from_name": "checkworthy", "to_name": "text", "type": "choices",
            "value": {"choices": ["not check-worthy"]}}
    task = {"data": {"text": TEXT}, "annotations": [{"completed_by": 4, "result": [bad, good]}]}
    path.write_bytes(orjson.dumps([task]))
    imported, problems = read(labelstudio, path)
    assert len(problems) == 1 and "value.choices" in problems[0].message
    assert [(d.label, d.annotator) for d in imported[0].labels] == [("not check-worthy", "4")]


def test_prodigy_binary_classification_gives_the_accepted_label(tmp_path):
    path = tmp_path / "t.jsonl"
    write_lines(path, {"text": TEXT, "label": "check-worthy", "answer": "accept", "_input_hash": 1},
                {"text": TEXT + " No.", "label": "check-worthy", "answer": "reject", "_input_hash": 2})
    imported, problems = read(prodigy, path)
    assert problems == []
    found = [[(d.label_set, d.label) for d in item.labels] for item in imported]
    assert found == [[("checkworthy", "check-worthy")], []]
