"""Format detection reads the first records; a file whose later records have another format's shape
is reported, so annotations are never dropped without a word."""

from __future__ import annotations

import json

from annotator.services.importing import import_paths
from annotator.services.documents import list_documents

DOCCANO = {"text": "Sergey Lavrov spoke in Yerevan.", "entities": [
    {"id": 1, "start_offset": 0, "end_offset": 13, "label": "PERSON"}]}
PRODIGY = {"text": "Ana spoke.", "_input_hash": 1, "_task_hash": 2, "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}


def lines(*records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_articles_first_then_annotated_records_are_read_with_their_annotations(project, tmp_path):
    path = tmp_path / "mixed.jsonl"
    articles = [{"text": f"Article number {i} has no annotations."} for i in range(30)]
    path.write_text(lines(*articles, DOCCANO), encoding="utf-8")
    report = import_paths(project, [path], add_labels=True)
    assert report.spans == 1
    notes = [p.message for p in report.warnings if p.message.startswith("read as doccano")]
    assert notes == ["read as doccano JSONL (entities and relations): its first record of that format is line 31"]
    assert len(list_documents(project)) == 31


def test_articles_with_records_of_two_formats_later_are_reported(project, tmp_path):
    path = tmp_path / "mixed.jsonl"
    articles = [{"text": f"Article number {i} has no annotations."} for i in range(30)]
    path.write_text(lines(*articles, DOCCANO, PRODIGY), encoding="utf-8")
    report = import_paths(project, [path], add_labels=True)
    notes = sorted((p.line, p.message) for p in report.warnings if "records disagree" in p.message)
    assert [line for line, _ in notes] == [31, 32]
    assert all("plain articles" in message for _, message in notes)
    assert "--format doccano" in notes[0][1] and "--format prodigy" in notes[1][1]
    assert len(list_documents(project)) == 32  # nothing is lost: every text is there


def test_a_native_export_in_bom_less_utf16_named_on_the_command_line_keeps_its_annotations(project, tmp_path):
    record = {"format": "annotator/1", "text": "Ana spoke in Yerevan.", "entities": [
        {"start": 0, "end": 3, "label": "PERSON"}]}
    path = tmp_path / "utf16.jsonl"
    path.write_bytes(lines(record).encode("utf-16-le"))
    report = import_paths(project, [path], encoding="utf-16-le", add_labels=True)
    assert report.errors == [] and report.spans == 1


def test_a_prodigy_line_in_a_doccano_file_is_reported_with_its_line(project, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(lines(DOCCANO, DOCCANO | {"text": DOCCANO["text"] + " Again."}, PRODIGY), encoding="utf-8")
    report = import_paths(project, [path], add_labels=True)
    notes = [p for p in report.warnings if "records disagree" in p.message]
    assert len(notes) == 1 and notes[0].line == 3 and "Prodigy" in notes[0].message
    assert "read as doccano" in notes[0].message


def test_a_file_of_one_format_has_no_such_warning(project, tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_text(lines(DOCCANO, {"text": "No spans here.", "entities": []}), encoding="utf-8")
    report = import_paths(project, [path], add_labels=True)
    assert not [p for p in report.problems if "records disagree" in p.message]
    assert report.spans == 1


def test_naming_the_format_reads_it_without_the_warning(project, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(lines(*[{"text": f"Article {i}."} for i in range(30)], DOCCANO), encoding="utf-8")
    report = import_paths(project, [path], fmt="doccano", add_labels=True)
    assert not [p for p in report.problems if "records disagree" in p.message]
    assert report.spans == 1
