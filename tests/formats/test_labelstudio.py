from pathlib import Path
from xml.etree import ElementTree

import orjson

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Relation, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record
from annotator.formats import labelstudio

TEXT = "Hi 😀 Sergey Lavrov said: “Talks go on.\nWe will bring our people home,” 🇷🇺 Moscow"
LAYERS = ImportOptions(layers={"STATEMENT": Layer.STATEMENT, "CLAIM": Layer.CLAIM})
OPTIONS = ExportOptions(
    labels={"entity": ["PERSON", "GPE"], "statement": ["STATEMENT"], "claim": ["CLAIM"]},
    attributes={
        "statement": {"kind": ["direct", "indirect", "paraphrase"]},
        "claim": {
            "checkworthiness": ["check-worthy factual", "unimportant factual", "non-factual"],
            "claim_type": ["numerical", "causal", "prediction", "quote", "other"],
        },
    },
)


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def sample() -> Record:
    lavrov = Span(*at("Sergey Lavrov"), "PERSON", annotator="ana")
    moscow = Span(*at("Moscow"), "GPE", origin="en_core_web_sm@3.8.0", state=State.SUGGESTED)
    statement = Span(
        TEXT.index("“"),
        TEXT.index("”") + 1,
        "STATEMENT",
        layer=Layer.STATEMENT,
        annotator="ana",
        attributes={"kind": "direct", "cue": list(at("said"))},
    )
    claim = Span(
        TEXT.index("Talks"),
        TEXT.index("home") + 4,
        "CLAIM",
        layer=Layer.CLAIM,
        state=State.EDITED,
        annotator="ana",
        attributes={"checkworthiness": "check-worthy factual", "claim_type": "prediction", "note": "two\nlines"},
    )
    typed = Span(
        *at("Hi"), "STATEMENT", layer=Layer.STATEMENT, annotator="bo", attributes={"speaker_text": "the ministry"}
    )
    spans = sorted([lavrov, moscow, statement, claim, typed], key=lambda s: (s.start, s.end))
    relations = [
        Relation(head=statement.uid, tail=lavrov.uid, label="speaker"),
        Relation(head=claim.uid, tail=statement.uid, label="statement"),
    ]
    doc = Document(TEXT, title="Talks", date="2021-01-13", source="tass.txt", meta={"lang": "en"})
    return Record(doc, spans, relations)


def read_all(path: Path) -> tuple[list[Imported], list[Problem]]:
    items = list(labelstudio.read(path, LAYERS))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def described(imported: Imported) -> tuple[list, set]:
    by_uid = {s.uid: s for s in imported.spans}
    spans = [(s.start, s.end, s.label, s.layer, s.state, s.annotator, s.attributes) for s in imported.spans]
    relations = {(by_uid[r.head].label, r.label, by_uid[r.tail].label) for r in imported.relations}
    return spans, relations


def test_round_trip_keeps_spans_relations_attributes_and_metadata(tmp_path):
    record = sample()
    target = tmp_path / "out.json"
    assert labelstudio.write([record, Record(Document("Second\n"), [], [])], target, OPTIONS) == []

    tasks = orjson.loads(target.read_bytes())
    assert [t["id"] for t in tasks] == [1, 2]
    assert [a.get("annotator") for a in tasks[0]["annotations"]] == ["bo", "ana"]
    assert [p["model_version"] for p in tasks[0]["predictions"]] == ["en_core_web_sm@3.8.0"]

    imported, problems = read_all(target)
    assert problems == []
    assert [(i.document.text, i.line) for i in imported] == [(TEXT, 1), ("Second\n", 2)]
    doc = imported[0].document
    assert (doc.title, doc.date, doc.source, doc.meta) == ("Talks", "2021-01-13", "tass.txt", {"lang": "en"})
    spans, relations = described(imported[0])
    assert spans == [(s.start, s.end, s.label, s.layer, s.state, s.annotator, s.attributes) for s in record.spans]
    assert relations == {("STATEMENT", "speaker", "PERSON"), ("CLAIM", "statement", "STATEMENT")}
    origins = {s.label: s.origin for s in imported[0].spans}
    assert origins["GPE"] == "import:labelstudio:en_core_web_sm@3.8.0" and origins["PERSON"] == "import:labelstudio:ana"


def test_regions_use_code_points_and_attributes_are_per_region_results(tmp_path):
    target = tmp_path / "out.json"
    labelstudio.write([sample()], target, OPTIONS)
    result = orjson.loads(target.read_bytes())[0]["annotations"][1]["result"]
    lavrov = next(r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["PERSON"])
    assert (lavrov["value"]["start"], lavrov["value"]["end"], lavrov["value"]["text"]) == (5, 18, "Sergey Lavrov")
    claim = next(r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["CLAIM"])
    assert claim["origin"] == "prediction-changed" and "\n" in claim["value"]["text"]
    per_region = {(r["from_name"], r["type"]): r for r in result if r.get("id") == claim["id"] and r is not claim}
    assert per_region[("checkworthiness", "choices")]["value"]["choices"] == ["check-worthy factual"]
    assert per_region[("note", "textarea")]["value"]["text"] == ["two\nlines"]
    cue = next(r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["Cue"])
    assert cue["value"]["text"] == "said"
    assert {"from_id", "to_id", "type", "direction", "labels"} <= set(
        next(r for r in result if r["type"] == "relation")
    )


def test_a_suggested_span_linked_by_a_person_goes_in_the_persons_annotation(tmp_path):
    entity = Span(0, 6, "PERSON", origin="model", state=State.SUGGESTED)
    statement = Span(7, 11, "STATEMENT", layer=Layer.STATEMENT, annotator="ana")
    record = Record(Document("Lavrov said"), [entity, statement], [Relation(statement.uid, entity.uid, "speaker")])
    target = tmp_path / "out.json"
    problems = labelstudio.write([record], target, OPTIONS)
    assert len(problems) == 1 and problems[0].warning
    task = orjson.loads(target.read_bytes())[0]
    assert task["predictions"] == [] and len(task["annotations"][0]["result"]) == 3
    imported, read_problems = read_all(target)
    assert read_problems == [] and [r.label for r in imported[0].relations] == ["speaker"]
    assert [(s.label, s.state) for s in imported[0].spans] == [
        ("PERSON", State.ACCEPTED),
        ("STATEMENT", State.ACCEPTED),
    ]


def test_label_studio_export_with_bad_parts_reports_task_numbers_and_imports_the_rest(tmp_path):
    text = "Lavrov met Blinken in 😀 Geneva."
    region = {"from_name": "label", "to_name": "text", "type": "labels"}
    tasks = [
        {"id": 7, "data": {}, "annotations": []},  # no text
        {
            "id": 8,
            "data": {"text": text, "batch": "b1"},
            "annotations": [
                {
                    "completed_by": {"email": "ana@example.org"},
                    "result": [
                        {**region, "id": "a", "value": {"start": 0, "end": 6, "text": "Lavrov", "labels": ["PERSON"]}},
                        {
                            **region,
                            "id": "b",
                            "value": {"start": 11, "end": 18, "text": "Blinkin", "labels": ["PERSON"]},
                        },
                        {**region, "id": "c", "value": {"start": 30, "end": 99, "labels": ["GPE"]}},
                        {"type": "relation", "from_id": "a", "to_id": "zz", "labels": ["speaker"]},
                    ],
                }
            ],
            "predictions": [
                {
                    "model_version": "old-ls",
                    # UTF-16 offsets, as Label Studio wrote them before 2022: Geneva at 25-31, not 24-30
                    "result": [
                        {**region, "id": "g", "value": {"start": 25, "end": 31, "text": "Geneva", "labels": ["GPE"]}}
                    ],
                }
            ],
        },
    ]
    path = tmp_path / "export.json"
    path.write_bytes(orjson.dumps(tasks))
    imported, problems = read_all(path)
    assert [i.line for i in imported] == [2]
    spans = imported[0].spans
    assert [(s.start, s.end, s.label, s.state, s.annotator) for s in spans] == [
        (0, 6, "PERSON", State.ACCEPTED, "ana@example.org"),
        (24, 30, "GPE", State.SUGGESTED, None),
    ]
    assert imported[0].document.meta == {"batch": "b1"}
    errors = [(p.path, p.line) for p in problems if not p.warning]
    assert errors == [(str(path), 1), (str(path), 2), (str(path), 2), (str(path), 2)]
    messages = " ".join(p.message for p in problems)
    assert "data.text" in messages and "Blinkin" in messages and "0-31" in messages and "zz" in messages
    assert any(p.warning and "UTF-16" in p.message for p in problems)


def test_invalid_json_is_one_problem(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"data": {"text": "x"}')
    imported, problems = read_all(path)
    assert imported == [] and len(problems) == 1 and problems[0].path == str(path)


def test_single_task_and_json_min(tmp_path):
    single = tmp_path / "one.json"
    single.write_bytes(orjson.dumps({"data": {"text": "Lavrov"}, "annotations": [{"result": []}]}))
    minimal = tmp_path / "min.json"
    minimal.write_bytes(
        orjson.dumps(
            [{"text": "Lavrov", "id": 3, "annotator": "bo", "label": [{"start": 0, "end": 6, "labels": ["PERSON"]}]}]
        )
    )
    assert [i.document.text for i in read_all(single)[0]] == ["Lavrov"]
    imported, problems = read_all(minimal)
    assert problems == []
    assert [(s.start, s.end, s.label, s.annotator) for s in imported[0].spans] == [(0, 6, "PERSON", "bo")]


def test_sniff(tmp_path):
    ours = tmp_path / "out.json"
    labelstudio.write([sample()], ours, OPTIONS)
    assert labelstudio.sniff(ours)
    single = tmp_path / "one.json"
    single.write_bytes(orjson.dumps({"data": {"text": "x"}, "annotations": []}))
    assert labelstudio.sniff(single)
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"data": {"text": "x"}, "annotations": []}\n{"data": {"text": "y"}, "annotations": []}\n')
    assert not labelstudio.sniff(jsonl)
    plain = tmp_path / "plain.json"
    plain.write_text('[{"text": "x"}]')
    assert not labelstudio.sniff(plain)


def test_config_xml_is_well_formed_and_names_labels_and_attributes():
    root = ElementTree.fromstring(labelstudio.config_xml(OPTIONS.labels, OPTIONS.attributes))
    assert root.tag == "View"
    assert [label.get("value") for label in root.find("Labels")] == ["PERSON", "GPE", "STATEMENT", "CLAIM", "Cue"]
    kind = root.find("Choices[@name='kind']")
    assert kind.get("perRegion") == "true" and kind.get("whenLabelValue") == "STATEMENT"
    assert [c.get("value") for c in kind] == ["direct", "indirect", "paraphrase"]
    assert {t.get("name") for t in root.findall("TextArea")} == {"speaker_text", "note"}
    assert [r.get("value") for r in root.find("Relations")] == ["speaker", "statement", "cue"]
