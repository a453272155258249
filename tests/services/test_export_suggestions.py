"""Unreviewed suggestions in exports: kept where the format marks them as unreviewed, left out by default
where it cannot (there a model's guess would look like a label a person checked), included when asked."""

from __future__ import annotations

import orjson
import pytest

from annotator.core.model import Document, Span, State
from annotator.services.exporting import EXPORT_FORMATS, FORMATS, ExportFilter, export
from annotator.services.projects import open_location
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans

TEXT = "Sergey Lavrov spoke in Moscow."


@pytest.fixture
def project(tmp_path):
    project = open_location(str(tmp_path / "p.annotator.sqlite"))
    (doc,) = add_documents(project, [Document(TEXT, title="Talks")]).added
    add_spans(
        project,
        doc.id,
        [
            Span(0, 13, "PERSON", state=State.ACCEPTED, annotator="ana"),
            Span(23, 29, "GPE", state=State.SUGGESTED, origin="en_core_web_sm@3.8.0"),
        ],
    )
    yield project
    project.close()


def doccano_labels(target) -> list[str]:
    (record,) = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    return [e["label"] for e in record["entities"]]


def test_doccano_leaves_unreviewed_suggestions_out_unless_asked(project, tmp_path):
    target = tmp_path / "out.jsonl"
    report = export(project, target, "doccano")
    assert doccano_labels(target) == ["PERSON"]
    assert report.unreviewed_left_out == 1
    assert "1 unreviewed suggestion(s) left out, as the doccano format cannot mark them" in report.summary()

    report = export(project, target, "doccano", only=ExportFilter(suggestions=True))
    assert doccano_labels(target) == ["PERSON", "GPE"] and report.unreviewed_left_out == 0
    assert "suggestion" not in report.summary().replace(str(target), "")


def test_formats_that_mark_suggestions_keep_them_as_suggestions_by_default(project, tmp_path):
    target = tmp_path / "out.jsonl"
    export(project, target, "jsonl")
    (record,) = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert [(e["label"], e["state"]) for e in record["entities"]] == [("PERSON", "accepted"), ("GPE", "suggested")]
    export(project, target, "jsonl", only=ExportFilter(suggestions=False))
    (record,) = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert [e["label"] for e in record["entities"]] == ["PERSON"]


# The interchange formats: written and read back (the registry and statements-csv exports are for
# analysis: they hold no spans to compare).
@pytest.mark.parametrize("fmt", [f for f in EXPORT_FORMATS if FORMATS[f].read is not None])
def test_every_format_by_default_writes_the_suggestion_only_if_it_can_mark_it(project, tmp_path, fmt):
    target = tmp_path / ("out" + (FORMATS[fmt].suffix or ""))
    report = export(project, target, fmt)
    written = target.read_bytes() if target.is_file() else b"".join(p.read_bytes() for p in target.rglob("*.*"))
    if fmt == "spacy":
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        (doc,) = DocBin().from_bytes(written).get_docs(Vocab())
        written = " ".join(e.label_ for e in doc.ents).encode()
    marks = FORMATS[fmt].marks_suggestions
    assert (b"GPE" in written) is marks, fmt
    assert report.unreviewed_left_out == (0 if marks else 1)


def prodigy_spans(target) -> list[dict]:
    (task,) = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert task["answer"] == "accept"  # Prodigy trains on every span of an accepted task as a checked label
    return task["spans"]


def test_prodigy_leaves_unreviewed_suggestions_out_by_default_and_says_so(project, tmp_path):
    target = tmp_path / "out.jsonl"
    report = export(project, target, "prodigy")
    assert [s["label"] for s in prodigy_spans(target)] == ["PERSON"]
    assert report.unreviewed_left_out == 1
    assert "1 unreviewed suggestion(s) left out, as the prodigy format cannot mark them" in report.summary()


def test_prodigy_with_suggestions_asked_for_writes_them_and_reads_them_back_as_suggestions(project, tmp_path):
    from annotator.services.importing import import_paths
    from tests.services.interchange_data import annotations_of

    target = tmp_path / "out.jsonl"
    report = export(project, target, "prodigy", only=ExportFilter(suggestions=True))
    assert report.unreviewed_left_out == 0
    assert [(s["label"], s.get("state")) for s in prodigy_spans(target)] == [("PERSON", None), ("GPE", "suggested")]
    copy = open_location(str(tmp_path / "copy.annotator.sqlite"))
    assert import_paths(copy, [target], fmt="prodigy").ok
    states = {row[4]: row[-1] for row in annotations_of(copy, states=True)[TEXT]}
    copy.close()
    assert states == {"Sergey Lavrov": str(State.ACCEPTED), "Moscow": str(State.SUGGESTED)}
