"""Label Studio and doccano records of the wrong shape: each is one problem naming the file and the
record, and the file's other records still import. Integral float offsets (5.0, as Python and
pandas write them) are offsets; booleans are not."""

from __future__ import annotations

import json

import pytest

from annotator.core.errors import Problem
from annotator.core.records import Imported, ImportOptions
from annotator.formats import doccano, labelstudio
from annotator.services.importing import detect

TEXT = "Hello world"
GOOD_LS = {"data": {"text": "A good task"}, "annotations": [{"result": [
    {"id": "g", "type": "labels", "from_name": "label", "value": {"start": 2, "end": 6, "labels": ["ORG"]}}]}]}


def region(value):
    return {"id": "a", "type": "labels", "from_name": "label", "value": value}


def labelled(*results):
    return {"data": {"text": TEXT}, "annotations": [{"result": list(results)}]}


LABEL_STUDIO = {
    "value is a number": (labelled(region(5)), "expected 'value' to be an object"),
    "value is a list": (labelled(region([1, 2])), "expected 'value' to be an object"),
    "result is an object": ({"data": {"text": TEXT}, "annotations": [{"result": {"a": 1}}]}, "'result' to be a list"),
    "annotations is a number": ({"data": {"text": TEXT}, "annotations": 3}, "'annotations' to be a list"),
    "boolean offset": (labelled(region({"start": True, "end": 5, "labels": ["X"]})), "expected integer offsets"),
    "choices not a list": (
        labelled(region({"start": 0, "end": 5, "labels": ["X"]}),
                 {"id": "a", "type": "choices", "from_name": "kind", "value": {"choices": 5}}),
        "expected value.choices, a list of strings",
    ),
    "textarea text an object": (
        labelled(region({"start": 0, "end": 5, "labels": ["X"]}),
                 {"id": "a", "type": "textarea", "from_name": "note", "value": {"text": {"a": 1}}}),
        "expected value.text, a list of strings",
    ),
}


@pytest.mark.parametrize("case", sorted(LABEL_STUDIO))
def test_a_bad_label_studio_task_is_one_problem_and_the_next_task_imports(tmp_path, case):
    task, message = LABEL_STUDIO[case]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task, GOOD_LS]))
    items = list(labelstudio.read(path, ImportOptions()))
    problems = [str(i) for i in items if isinstance(i, Problem)]
    assert len(problems) == 1 and message in problems[0] and f"{path}:1" in problems[0]
    imported = [i for i in items if isinstance(i, Imported)]
    assert [(s.start, s.end, s.label) for s in imported[-1].spans] == [(2, 6, "ORG")]
    assert all(not isinstance(s.start, bool) for i in imported for s in i.spans)


def test_label_studio_float_offsets_that_are_whole_numbers_are_read(tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([labelled(region({"start": 0.0, "end": 5.0, "labels": ["X"]}))]))
    (item,) = labelstudio.read(path, ImportOptions())
    assert [(s.start, s.end, type(s.start)) for s in item.spans] == [(0, 5, int)]


DOCCANO = {
    "entity id is a list": (
        {"text": TEXT, "entities": [{"id": [1], "start_offset": 0, "end_offset": 5, "label": "X"}],
         "relations": [{"from_id": [1], "to_id": 1, "type": "r"}]},
        "id [1] is not a number or a string",
    ),
    "relations is a number": (
        {"text": TEXT, "entities": [{"id": 1, "start_offset": 0, "end_offset": 5, "label": "X"}], "relations": 5},
        "expected 'relations' to be a list",
    ),
    "boolean offset": (
        {"text": TEXT, "entities": [{"id": 1, "start_offset": True, "end_offset": 5, "label": "X"}]},
        "found True-5",
    ),
}


@pytest.mark.parametrize("case", sorted(DOCCANO))
def test_a_bad_doccano_line_is_reported_with_its_line_and_the_next_line_imports(tmp_path, case):
    record, message = DOCCANO[case]
    good = {"text": "A good line", "entities": [{"id": 9, "start_offset": 2, "end_offset": 6, "label": "ORG"}]}
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps(good) + "\n")
    items = list(doccano.read(path, ImportOptions()))
    problems = [str(i) for i in items if isinstance(i, Problem)]
    assert any(message in p and f"{path}:1" in p for p in problems), problems
    imported = [i for i in items if isinstance(i, Imported)]
    assert [(s.start, s.end, s.label) for s in imported[-1].spans] == [(2, 6, "ORG")]
    assert all(not isinstance(s.start, bool) for i in imported for s in i.spans)


@pytest.mark.parametrize("form", ["entities", "label"])
def test_doccano_float_offsets_are_detected_and_read(tmp_path, form):
    spans = (
        {"entities": [{"id": 1, "start_offset": 0.0, "end_offset": 5.0, "label": "X"}]}
        if form == "entities" else {"label": [[0.0, 5.0, "X"]]}
    )
    path = tmp_path / "floats.jsonl"
    path.write_text(json.dumps({"text": TEXT, **spans}) + "\n")
    assert detect(path) == "doccano"
    (item,) = doccano.read(path, ImportOptions())
    assert [(s.start, s.end, s.label) for s in item.spans] == [(0, 5, "X")]
