"""Document labels through every format that holds them: exported from one project file, imported into
another, the same labels come back (with who set them where the format keeps that); the real Label
Studio exports' document choices come in as the peers' README and gold.jsonl say."""

from __future__ import annotations

import orjson
import pytest

from annotator.core.model import Document
from annotator.core.schema import Choice, LabelSchema, LabelSet
from annotator.services import annotating
from annotator.services.exporting import ExportFilter, export
from annotator.services.importing import import_paths
from annotator.services.projects import open_location
from annotator.services.schema import default_schema, schema_of
from annotator.store.annotated import labelled_batches
from annotator.store.documents import add_documents
from annotator.store.labels import save_schema

CHECK = LabelSet("checkworthy", (Choice("check-worthy", "1"), Choice("not check-worthy", "2")))
TOPICS = LabelSet("topic", (Choice("politics"), Choice("sport")), multiple=True)
TEXTS = ["Lavrov said the talks in Geneva were useful.", "The match ended 2-1 on Sunday.", "Nothing here."]


def _schema(project, sets=(CHECK, TOPICS)):
    base = default_schema()
    save_schema(project, LabelSchema(base.labels, base.attributes, base.nested_entities, base.name, tuple(sets)))
    return schema_of(project)


def labels_of(project, who=True) -> dict[str, set]:
    found = {}
    for batch in labelled_batches(project):
        for doc, _, _, _, labels in batch:
            found[doc.text] = {(d.label_set, d.label, d.annotator) if who else (d.label_set, d.label) for d in labels}
    return found


@pytest.fixture
def labelled(tmp_path):
    project = open_location(str(tmp_path / "source.sqlite"))
    schema = _schema(project)
    docs = add_documents(project, [Document(t, title=f"Doc {i}") for i, t in enumerate(TEXTS)]).added
    for who, doc, choices in (
        ("ana", docs[0], [(CHECK, "check-worthy"), (TOPICS, "politics"), (TOPICS, "sport")]),
        ("ana", docs[1], [(CHECK, "not check-worthy"), (TOPICS, "sport")]),
    ):
        for label_set, label in choices:
            notes = annotating.open_annotations(project, doc.id, who, schema)
            annotating.save(project, notes.choose_label(label_set, label))
    yield project
    project.close()


FORMATS = [("jsonl", ".jsonl", True), ("labelstudio", ".json", True), ("spacy", ".spacy", True),
           ("prodigy", ".jsonl", False), ("doccano", ".jsonl", False), ("doccano-seq", ".jsonl", False)]


@pytest.mark.parametrize(("fmt", "suffix", "keeps_who"), FORMATS)
def test_document_labels_survive_a_round_trip(labelled, tmp_path, fmt, suffix, keeps_who):
    target = tmp_path / f"out{suffix}"
    export(labelled, target, fmt, only=ExportFilter())
    copy = open_location(str(tmp_path / "copy.sqlite"))
    try:
        _schema(copy)
        report = import_paths(copy, [target], fmt=fmt)
        assert not report.errors, report.problems
        wanted = labels_of(labelled, who=keeps_who)
        assert wanted[TEXTS[0]]  # the test would pass on nothing otherwise
        assert labels_of(copy, who=keeps_who) == wanted
    finally:
        copy.close()


def test_each_format_writes_the_labels_where_its_tool_looks(labelled, tmp_path):
    export(labelled, tmp_path / "p.jsonl", "prodigy")
    task = orjson.loads((tmp_path / "p.jsonl").read_bytes().splitlines()[0])
    assert sorted(task["accept"]) == ["check-worthy", "politics", "sport"]
    assert {o["id"] for o in task["options"]} == {"check-worthy", "not check-worthy", "politics", "sport"}
    export(labelled, tmp_path / "d.jsonl", "doccano")
    assert orjson.loads((tmp_path / "d.jsonl").read_bytes().splitlines()[1])["cats"] == ["not check-worthy", "sport"]
    export(labelled, tmp_path / "l.json", "labelstudio")
    [result] = [r for r in orjson.loads((tmp_path / "l.json").read_bytes())[1]["annotations"][0]["result"]
                if r["from_name"] == "checkworthy"]
    assert result["type"] == "choices" and result["value"] == {"choices": ["not check-worthy"]}


def test_doccano_text_classification_labels_and_unknown_sets(tmp_path):
    source = tmp_path / "classes.jsonl"
    source.write_bytes(orjson.dumps({"text": "Terrible service.", "label": ["negative", "urgent"]}) + b"\n")
    project = open_location(str(tmp_path / "p.sqlite"))
    try:
        report = import_paths(project, [source], fmt="doccano")
        assert report.added == 1
        assert any("negative" in p.message and "not in the project's schema" in p.message for p in report.problems)
        assert labels_of(project) == {"Terrible service.": set()}  # reported, never stored unknown
        report = import_paths(project, [source], fmt="doccano", add_labels=True)
        assert "document:category:negative" in report.new_labels
        added = schema_of(project).label_set("category")
        assert added.labels == ["negative", "urgent"] and added.multiple  # two labels on one document
        wanted = {("category", "negative", None), ("category", "urgent", None)}
        assert labels_of(project) == {"Terrible service.": wanted}
    finally:
        project.close()


@pytest.mark.parametrize(
    "name", ["dev_JSON.json", "dev_JSON_snapshot_full_predictions.json", "dev_JSON_MIN.json", "dev_CSV.csv", "dev_TSV.csv"]
)
def test_label_studio_peer_exports_bring_their_document_choices(tmp_path, corpus, name):
    folder = corpus / "annotated/peer_exports/label_studio"
    gold = [orjson.loads(line) for line in (folder / "gold.jsonl").read_bytes().splitlines()]
    project = open_location(str(tmp_path / "p.sqlite"))
    try:
        _schema(project, [LabelSet("checkworthy", (Choice("check-worthy"), Choice("not check-worthy")))])
        report = import_paths(project, [folder / name], add_labels=True)
        assert not report.errors, report.problems
        assert report.document_labels == len(gold) + 1 and "13 document label(s)" in report.summary()
        found = labels_of(project)
        assert set(found) == {g["text"] for g in gold}
        for g in gold:
            # The README: news articles were chosen check-worthy, the tweets not; the doubly annotated
            # tweet got the same choice from both people, each kept under their own name.
            wanted = "check-worthy" if g["source"].startswith("wikinews") else "not check-worthy"
            people = {who for _, _, who in found[g["text"]]}
            assert {(s, label) for s, label, _ in found[g["text"]]} == {("checkworthy", wanted)}
            assert len(people) == (2 if "second_annotator_spans" in g else 1)
    finally:
        project.close()


@pytest.mark.parametrize(("fmt", "suffix"), [("jsonl", ".jsonl"), ("labelstudio", ".json"), ("spacy", ".spacy")])
def test_two_annotators_keep_their_own_labels_where_the_format_can_say_who(labelled, tmp_path, fmt, suffix):
    schema = schema_of(labelled)
    first = next(doc for batch in labelled_batches(labelled) for doc, *_ in batch if doc.text == TEXTS[0])
    notes = annotating.open_annotations(labelled, first.id, "ben", schema)
    annotating.save(labelled, notes.choose_label(CHECK, "not check-worthy"))
    target = tmp_path / f"out{suffix}"
    export(labelled, target, fmt)
    copy = open_location(str(tmp_path / "copy.sqlite"))
    try:
        _schema(copy)
        assert not import_paths(copy, [target], fmt=fmt).errors
        found = labels_of(copy)[TEXTS[0]]
        assert {("checkworthy", "check-worthy", "ana"), ("checkworthy", "not check-worthy", "ben")} <= found
        assert found == labels_of(labelled)[TEXTS[0]]
    finally:
        copy.close()


def test_a_prediction_s_document_choice_is_noted_and_left_out(tmp_path):
    task = {"data": {"text": TEXTS[0]}, "predictions": [{"model_version": "m@1", "result": [
        {"id": "p", "from_name": "checkworthy", "to_name": "text", "type": "choices",
         "value": {"choices": ["check-worthy"]}}]}]}
    source = tmp_path / "tasks.json"
    source.write_bytes(orjson.dumps([task]))
    project = open_location(str(tmp_path / "p.sqlite"))
    try:
        _schema(project)
        report = import_paths(project, [source])
        assert report.added == 1 and any("prediction" in p.message and p.warning for p in report.problems)
        assert labels_of(project) == {TEXTS[0]: set()}
    finally:
        project.close()


def test_a_single_choice_set_takes_one_label_per_person_and_the_other_is_reported(tmp_path):
    source = tmp_path / "two.jsonl"
    source.write_bytes(orjson.dumps({"text": TEXTS[0], "cats": ["check-worthy", "not check-worthy"]}) + b"\n")
    project = open_location(str(tmp_path / "p.sqlite"))
    try:
        _schema(project)
        report = import_paths(project, [source], fmt="doccano")
        assert any("single choice" in p.message and "not check-worthy" in p.message for p in report.problems)
        assert labels_of(project) == {TEXTS[0]: {("checkworthy", "check-worthy", None)}}
    finally:
        project.close()
