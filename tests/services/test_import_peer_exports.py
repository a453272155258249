"""Real exports of the peers imported through the service into a project file: each person's
annotations are kept under their name, none dropped as overlapping or already there."""

from __future__ import annotations

from dataclasses import replace

import orjson
import pytest

from annotator.services.importing import import_paths
from annotator.services.schema import schema_of
from annotator.store.labels import save_schema


def stored(project) -> dict[str, list[tuple]]:
    from annotator.store.annotated import annotated_batches

    found: dict[str, list[tuple]] = {}
    for batch in annotated_batches(project):
        for doc, spans, _, _ in batch:
            found[doc.text] = sorted((s.start, s.end, s.label, s.annotator) for s in spans)
    return found


@pytest.mark.parametrize("nested", [True, False])
@pytest.mark.parametrize("name", ["jsonl_plain.zip", "jsonl_relation.zip"])
def test_both_members_of_a_doccano_zip_keep_their_spans(project, corpus, name, nested):
    folder = corpus / "annotated/peer_exports/doccano"
    save_schema(project, replace(schema_of(project), nested_entities=nested))
    report = import_paths(project, [folder / name], add_labels=True)
    gold = [orjson.loads(line) for line in (folder / "gold.jsonl").read_bytes().splitlines() if line.strip()]
    found = stored(project)
    for want in gold:
        spans = [(s["start"], s["end"], s["label"], "admin") for s in want["spans"]]
        spans += [(s["start"], s["end"], s["label"], "annotator2") for s in want.get("second_annotator_spans", [])]
        got = found[want["text"].rstrip()]
        if nested:
            assert got == sorted(spans)
        else:  # overlaps within one person's spans are still left out, never across people
            assert set(got) <= set(spans)
            assert {s for s in spans if s[3] == "annotator2"} <= set(got)
    assert report.already_there == 0


@pytest.mark.parametrize("export", ["jsonl_plain", "jsonl_relation"])
def test_a_doccano_exports_member_files_imported_with_their_persons_match_the_gold(project, corpus, export):
    """The zip's members as a user unpacks them: each file named by its person keeps that person's spans,
    exactly as the server held them, and gives what importing the zip gives."""
    folder = corpus / "annotated/peer_exports/doccano"
    save_schema(project, replace(schema_of(project), nested_entities=True))
    for person in ("admin", "annotator2"):
        report = import_paths(project, [folder / f"{export}__{person}.jsonl"], add_labels=True, annotator=person)
        assert report.errors == [] and report.already_there == 0, report.problems
    gold = [orjson.loads(line) for line in (folder / "gold.jsonl").read_bytes().splitlines() if line.strip()]
    found = stored(project)
    assert len(found) == len(gold)
    for want in gold:
        spans = [(s["start"], s["end"], s["label"], "admin") for s in want["spans"]]
        spans += [(s["start"], s["end"], s["label"], "annotator2") for s in want.get("second_annotator_spans", [])]
        assert found[want["text"].rstrip()] == sorted(spans), want["title"]


def test_member_files_imported_without_a_person_say_how_to_keep_each_persons_spans(project, corpus):
    folder = corpus / "annotated/peer_exports/doccano"
    members = [folder / "jsonl_relation__admin.jsonl", folder / "jsonl_relation__annotator2.jsonl"]
    report = import_paths(project, members, add_labels=True)
    assert report.already_there == 3
    [note] = [p for p in report.problems if p.path == str(members[1])]
    assert note.warning and "3 of its annotations were already there" in note.message
    assert "import the export's .zip" in note.message and "--annotator NAME" in note.message
    assert not [p for p in report.problems if p.path == str(members[0])]


def test_the_same_doccano_file_imported_again_says_nothing_of_members(project, corpus):
    """All its spans already there and none new: the same file again (as "Add labels and Import Again" does),
    not a second person's."""
    path = corpus / "annotated/peer_exports/doccano/jsonl_relation__admin.jsonl"
    import_paths(project, [path], add_labels=True)
    again = import_paths(project, [path], add_labels=True)
    assert again.spans == 0 and again.already_there > 0
    assert not [p for p in again.problems if "already there" in p.message], again.problems
