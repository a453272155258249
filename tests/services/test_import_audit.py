"""What an audit of the import found: a named encoding every reader takes, a file it cannot decode
costs that file alone, annotated records late in a file of articles are reported, links out of a
folder are reported, Label Studio entries of the wrong type are reported."""

from __future__ import annotations

import json

import orjson

from annotator.services.documents import list_documents
from annotator.services.importing import import_paths

DOCCANO = {"text": "Ana spoke.", "entities": [{"id": 1, "start_offset": 0, "end_offset": 3, "label": "PERSON"}]}


def test_a_doccano_file_in_the_named_encoding_imports_with_its_annotations(project, tmp_path):
    path = tmp_path / "d16.jsonl"
    path.write_bytes((json.dumps(DOCCANO) + "\n").encode("utf-16-le"))
    report = import_paths(project, [path], encoding="utf-16-le", add_labels=True)
    assert report.errors == [] and report.added == 1 and report.spans == 1


def test_a_file_the_named_encoding_cannot_read_costs_that_file_only(project, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Good article.\n")
    bad = tmp_path / "a16.jsonl"
    bad.write_bytes('{"text": "Article one."}\n'.encode("utf-16-le"))
    report = import_paths(project, [good, bad], encoding="utf16")
    assert report.added == 1 and [d.title for d in list_documents(project)] == ["good"]
    assert [p.path for p in report.errors] == [str(bad)]
    assert "utf16" in report.errors[0].message and "BOM" in report.errors[0].message


def test_an_annotated_record_after_the_first_500_is_reported_with_its_line(project, tmp_path):
    path = tmp_path / "late.jsonl"
    articles = [json.dumps({"text": f"Article {i}."}) for i in range(600)]
    path.write_text("\n".join([*articles, json.dumps(DOCCANO)]) + "\n")
    report = import_paths(project, [path], add_labels=True)
    assert report.added == 601
    notes = [p for p in report.warnings if "doccano" in p.message]
    assert [(p.path, p.line) for p in notes] == [(str(path), 601)]
    assert "annotations were not imported" in notes[0].message and "--format doccano" in notes[0].message


def test_a_tagged_record_without_text_in_a_file_of_articles_is_named_as_tagged(project, tmp_path):
    path = tmp_path / "late.jsonl"
    articles = [json.dumps({"text": f"Article {i}."}) for i in range(600)]
    tagged = json.dumps({"tokens": ["Bo", "spoke", "."], "tags": ["B-PERSON", "O", "O"]})
    path.write_text("\n".join([*articles, tagged]) + "\n")
    report = import_paths(project, [path])
    assert report.added == 600
    [note] = [p for p in report.warnings if "tagged" in p.message.lower()]
    assert note.line == 601 and "--format tagged-jsonl" in note.message


def test_a_record_of_an_annotated_format_is_reported_once_when_read_as_articles(project, tmp_path):
    path = tmp_path / "mixed.jsonl"
    prodigy = {"text": "Bo spoke.", "_input_hash": 1, "spans": [{"start": 0, "end": 2, "label": "PERSON"}]}
    path.write_text("\n".join([json.dumps({"text": "Plain."}), json.dumps(DOCCANO), json.dumps(prodigy)]) + "\n")
    report = import_paths(project, [path], add_labels=True)
    assert sorted(p.line for p in report.warnings) == [2, 3] and report.added == 3


def test_plain_articles_with_extra_keys_have_no_warning(project, tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_text(json.dumps({"text": "Plain.", "title": "T", "id": 4, "label": "x"}) + "\n")
    report = import_paths(project, [path])
    assert report.problems == [] and report.added == 1


def test_a_linked_folder_leading_out_of_the_imported_folder_is_reported(project, tmp_path):
    outside = tmp_path / "out"
    outside.mkdir()
    (outside / "s.txt").write_text("Secret text.")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "k.txt").write_text("Kept text.")
    (folder / "linkdir").symlink_to(outside, target_is_directory=True)
    report = import_paths(project, [folder])
    assert [p.path for p in report.errors] == [str(folder / "linkdir")]
    assert "outside the folder" in report.errors[0].message and "skipped" in report.errors[0].message
    assert [d.title for d in list_documents(project)] == ["k"]


def test_a_linked_folder_leading_out_of_a_brat_folder_is_reported(project, tmp_path):
    outside = tmp_path / "out"
    outside.mkdir()
    (outside / "b.txt").write_text("Secret text.")
    (outside / "b.ann").write_text("")
    folder = tmp_path / "brat"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Elena Varga spoke.")
    (folder / "a.ann").write_text("T1\tPERSON 0 11\tElena Varga\n")
    (folder / "sub" / "linkdir").symlink_to(outside, target_is_directory=True)
    report = import_paths(project, [folder])
    assert [p.path for p in report.errors] == [str(folder / "sub" / "linkdir")]
    assert "outside the folder" in report.errors[0].message
    assert report.added == 1 and report.spans == 1


def test_label_studio_entries_that_are_not_objects_are_reported_and_the_rest_imports(project, tmp_path):
    region = {"id": "a", "type": "labels", "value": {"start": 0, "end": 1, "text": "C", "labels": ["PERSON"]}}
    tasks = [{"data": {"text": "A b."}, "annotations": [5]},
             {"data": {"text": "C d."}, "annotations": [{"result": [region, "x"]}, None],
              "predictions": [[1], {"model_version": "m", "result": []}]}]
    path = tmp_path / "tasks.json"
    path.write_bytes(orjson.dumps(tasks))
    report = import_paths(project, [path], add_labels=True)
    assert report.added == 2 and report.spans == 1
    found = sorted((p.line, p.message) for p in report.errors)
    assert found == [
        (1, "task 1: annotation 1 is not a JSON object (found int); left out"),
        (2, "task 2: annotation 2 is not a JSON object (found null); left out"),
        (2, "task 2: annotation result 2 is not a JSON object (found str); left out"),
        (2, "task 2: prediction 1 is not a JSON object (found list); left out"),
    ]
    assert all(p.path == str(path) for p in report.errors)


def test_a_person_named_for_an_import_is_not_given_a_models_suggestions(project, tmp_path):
    from annotator.core.model import Document, Span, State
    from annotator.formats.native import document_record
    from annotator.store.annotated import annotated_batches

    text = "Lavrov met Blinken in Geneva."
    spans = [Span(0, 6, "PERSON"), Span(11, 18, "PERSON", origin="model@1", state=State.SUGGESTED)]
    path = tmp_path / "native.jsonl"
    path.write_bytes(orjson.dumps(document_record(Document(text), spans, [])) + b"\n")
    report = import_paths(project, [path], fmt="jsonl", annotator="ana")
    assert report.spans == 2
    [(_doc, stored, _, _)] = [row for batch in annotated_batches(project) for row in batch]
    assert sorted((s.start, s.annotator, str(s.state)) for s in stored) == [(0, "ana", "accepted"),
                                                                           (11, None, "suggested")]
