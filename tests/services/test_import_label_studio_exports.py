"""Every file a real Label Studio 1.23.2 server exported, imported through the service into a project
file and compared with what the server held (gold.jsonl): each person's spans under their own name,
relations where the format has them, predictions as suggestions with their model version."""

from __future__ import annotations

import re

import orjson
import pytest

from annotator.core.model import State
from annotator.services.importing import detect, import_paths
from annotator.store.annotated import annotated_batches

FOLDER = "annotated/peer_exports/label_studio"
# file -> the two annotators' names as that export gives them, and whether it keeps relations
FULL = {
    "dev_JSON.json": (("1", "2"), True),
    "dev_JSON_snapshot_full_predictions.json": (("a@b.c", "second@example.org"), True),
    "dev_JSON_MIN.json": (("1", "2"), False),
    "dev_CSV.csv": (("1", "2"), False),
    "dev_TSV.csv": (("1", "2"), False),
}


def gold(corpus):
    path = corpus / FOLDER / "gold.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def stored(project):
    found = {}
    for batch in annotated_batches(project):
        for doc, spans, relations, _ in batch:
            found[doc.text] = (doc, spans, relations)
    return found


def place(span, who):
    return (span["start"], span["end"], span["label"], who)


@pytest.mark.parametrize("name", sorted(FULL))
def test_a_label_studio_export_imports_exactly_what_the_server_held(project, corpus, name):
    (first, second), has_relations = FULL[name]
    path = corpus / FOLDER / name
    assert detect(path) == "labelstudio"
    report = import_paths(project, [path], add_labels=True)
    assert report.errors == []
    found = stored(project)
    expected = gold(corpus)
    assert len(found) == len(expected) == 12
    for want in expected:
        doc, spans, relations = found[want["text"]]
        assert doc.title == want["title"]
        assert doc.source == want["source"]
        people = sorted((s.start, s.end, s.label, s.annotator) for s in spans if s.state != State.SUGGESTED)
        wanted = [place(s, first) for s in want["spans"]]
        wanted += [place(s, second) for s in want.get("second_annotator_spans", [])]
        assert people == sorted(wanted), want["title"]
        assert all(doc.text[s.start : s.end] for s in spans)
        by_uid = {s.uid: (s.start, s.end, s.label) for s in spans}
        got = sorted((by_uid[r.head], by_uid[r.tail], r.label) for r in relations)
        gold_spans = [(s["start"], s["end"], s["label"]) for s in want["spans"]]
        gold_relations = sorted((gold_spans[r["from"]], gold_spans[r["to"]], r["type"]) for r in want["relations"])
        assert got == (gold_relations if has_relations else [])


def test_label_studio_predictions_import_as_suggestions_from_their_model(project, corpus):
    path = corpus / FOLDER / "dev_JSON_snapshot_full_predictions.json"
    import_paths(project, [path], add_labels=True)
    tasks = orjson.loads(path.read_bytes())
    predicted = [t for t in tasks if t.get("predictions")]
    assert len(predicted) == 1
    results = predicted[0]["predictions"][0]["result"]
    doc, spans, _ = stored(project)[predicted[0]["data"]["text"]]
    suggestions = sorted((s.start, s.end, s.label, s.origin) for s in spans if s.state == State.SUGGESTED)
    assert suggestions == sorted(
        (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0], "import:labelstudio:regex-ner-0.1")
        for r in results
    )
    assert all(s.annotator is None for s in spans if s.state == State.SUGGESTED)


def test_predictions_given_by_id_only_are_reported_not_silently_dropped(project, corpus):
    report = import_paths(project, [corpus / FOLDER / "dev_JSON.json"], add_labels=True)
    notes = [str(p) for p in report.warnings if "predictions are given by id only" in str(p)]
    assert len(notes) == 1 and "dev_JSON.json:10" in notes[0]


def squeezed(text):
    return re.sub(r"\s+", "", text)


def test_label_studio_conll_export_reads_one_document_per_annotation(project, corpus):
    """Label Studio's CONLL2003 is lossy (whitespace tokens, overlapping spans collapsed); what it
    keeps comes through: one document per annotation, each span a gold span of the same label,
    give or take an emoji Label Studio glued to the word."""
    path = corpus / FOLDER / "dev_CONLL2003.conll"
    report = import_paths(project, [path], add_labels=True)
    assert report.errors == []
    expected = gold(corpus)
    documents = sorted(
        (doc for doc, _, _ in stored(project).values()), key=lambda d: int(d.title.rpartition("#")[2])
    )
    # the two annotations of the doubly annotated tweet have the same text: one document, both spans
    assert len(documents) == 12
    batches = {doc.text: spans for doc, spans, _ in stored(project).values()}
    kept = 0
    for doc, want in zip(documents, expected, strict=True):
        assert squeezed(doc.text) == squeezed(want["text"])
        gold_spans = [(squeezed(s["text"]), s["label"]) for s in want["spans"] + want.get("second_annotator_spans", [])]
        for span in batches[doc.text]:
            words = squeezed(doc.text[span.start : span.end])
            assert any(text in words and label == span.label for text, label in gold_spans), words
            kept += 1
    assert kept >= 100  # most of the 177 spans survive the export


@pytest.mark.parametrize("name", ["dev_JSON_MIN.json", "dev_CSV.csv", "dev_TSV.csv"])
def test_a_choice_in_a_minimal_export_is_said_to_be_metadata_until_its_label_set_exists(project, corpus, name):
    """JSON-MIN, CSV and TSV do not say "checkworthy" is a choice and "licence" a data field: both are kept as
    metadata and named in one note; with the label set added, the same file gives the document labels."""
    from dataclasses import replace

    from annotator.core.schema import Choice, LabelSet
    from annotator.services.schema import schema_of
    from annotator.store.document_labels import document_labels_of
    from annotator.store.labels import save_schema

    path = corpus / FOLDER / name
    report = import_paths(project, [path], add_labels=True)
    [note] = [p for p in report.problems if "kept as each document's metadata" in p.message]
    assert note.warning and note.line is None and "checkworthy, licence." in note.message
    assert report.document_labels == 0
    checkworthy = LabelSet("checkworthy", (Choice("check-worthy"), Choice("not check-worthy")))
    save_schema(project, replace(schema_of(project), label_sets=(checkworthy,)))
    again = import_paths(project, [path], add_labels=True)
    assert again.spans == 0 and again.document_labels == 13  # one per annotation: 12 tasks, one annotated twice
    assert [p for p in again.problems if "kept as each" in p.message][0].message.count("licence") == 1
    assert "checkworthy" not in [p for p in again.problems if "kept as each" in p.message][0].message
    found = stored(project)
    news = next(doc for doc, _, _ in found.values() if doc.title.startswith("Students compete"))
    assert {label.label for label in document_labels_of(project, news.id)} == {"check-worthy"}
