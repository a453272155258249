"""Hostile records: each is one problem naming its file and line, and the rest of the file and the
other files of the same import are still imported."""

from __future__ import annotations

from dataclasses import replace

import orjson
import pytest

from annotator.app import main
from annotator.services import importing
from annotator.services.documents import list_documents
from annotator.services.exporting import export
from annotator.services.importing import import_paths

TEXT = "Sergey Lavrov met Elena Varga in Moscow."
LAVROV = {"id": "e1", "start": 0, "end": 13, "label": "PERSON", "text": "Sergey Lavrov"}


def native(text: str = TEXT, **fields) -> bytes:
    record = {"format": "annotator/1", "text": text, "meta": {"title": text[:12]}, "entities": [LAVROV]}
    record.update(fields)
    return orjson.dumps(record) + b"\n"


GOOD = native("Elena Varga spoke in Moscow.", entities=[])
HOSTILE = {
    "meta is a list": native(meta=["a"]),
    "entities is a number": native(entities=5),
    "statements is a string": native(statements="none"),
    "relations is a number": native(relations=3),
    "attributes is a list": native(entities=[{**LAVROV, "attributes": [1]}]),
    "span id is a list": native(entities=[{**LAVROV, "id": ["x"]}]),
    "annotator is a number": native(entities=[{**LAVROV, "annotator": 7}]),
    "relation attributes are a list": native(
        entities=[LAVROV, {"id": "e2", "start": 33, "end": 39, "label": "GPE", "text": "Moscow"}],
        relations=[{"id": "r", "head": "e1", "tail": "e2", "label": "x", "attributes": [1]}],
    ),
    "a newer format": orjson.dumps({"format": "annotator/99", "text": TEXT}) + b"\n",
}


@pytest.mark.parametrize("shape", HOSTILE)
def test_a_hostile_native_record_is_one_problem_and_the_rest_imports(project, tmp_path, shape):
    path = tmp_path / "export.jsonl"
    path.write_bytes(GOOD + HOSTILE[shape] + native("Moscow is big.", entities=[]))
    report = import_paths(project, [path])
    assert [(p.path, p.line) for p in report.errors] == [(str(path), 2)], report.problems
    titles = {d.title for d in list_documents(project)}
    assert {"Elena Varga ", "Moscow is bi"} <= titles


def test_a_newer_format_is_refused_by_name(project, tmp_path):
    path = tmp_path / "future.jsonl"
    path.write_bytes(orjson.dumps({"format": "annotator/99", "text": TEXT}) + b"\n")
    report = import_paths(project, [path])
    assert "annotator/99" in str(report.errors[0]) and report.added == 0


def test_a_date_that_is_not_a_day_is_reported(project, tmp_path):
    path = tmp_path / "dated.jsonl"
    path.write_bytes(native(meta={"title": "t", "date": "yesterday"}) + native("Other text.", meta={"date": 5}))
    report = import_paths(project, [path])
    assert [p.line for p in report.warnings] == [1, 2]
    assert all(d.date is None for d in list_documents(project))


def test_a_cue_that_is_not_offsets_is_left_out_and_the_project_still_exports(project, tmp_path):
    statement = {"id": "s1", "start": 0, "end": 24, "label": "STATEMENT", "attributes": {"cue": ["a", "b"]}}
    path = tmp_path / "cue.jsonl"
    path.write_bytes(native(statements=[statement]))
    report = import_paths(project, [path])
    assert report.errors and "cue" in report.errors[0].message and report.errors[0].line == 1
    assert report.spans == 2  # the statement is kept, without its cue
    for fmt in ("jsonl", "prodigy", "brat"):
        export(project, tmp_path / f"out.{fmt}", fmt)


def test_a_readers_mistake_costs_its_own_file_only(project, tmp_path, monkeypatch, caplog):
    def broken(path, options):
        yield from ()
        raise RuntimeError("surprise")

    monkeypatch.setitem(importing.FORMATS, "conll", replace(importing.FORMATS["conll"], read=broken))
    (tmp_path / "a.jsonl").write_bytes(GOOD)
    (tmp_path / "b.conll").write_text("Lavrov B-PER\n")
    (tmp_path / "c.jsonl").write_bytes(native("Moscow is big.", entities=[]))
    report = import_paths(project, [tmp_path / "a.jsonl", tmp_path / "b.conll", tmp_path / "c.jsonl"])
    assert [p.path for p in report.errors] == [str(tmp_path / "b.conll")]
    assert "RuntimeError" in report.errors[0].message and report.added == 2
    assert "surprise" in caplog.text


def test_the_command_line_names_the_file_and_line_and_imports_the_rest(tmp_path, capsys):
    bad = tmp_path / "b.jsonl"
    bad.write_bytes(native("Talks went on.", entities=5))
    (tmp_path / "a.jsonl").write_bytes(GOOD)
    (tmp_path / "c.jsonl").write_bytes(native("Moscow is big.", entities=[]))
    project = str(tmp_path / "p.annotator.sqlite")
    argv = ["import", str(tmp_path / "a.jsonl"), str(bad), str(tmp_path / "c.jsonl"), "--project", project]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert f"{bad}:1" in captured.err and "'entities'" in captured.err
    assert "3 documents imported" in captured.out + captured.err


def test_a_damaged_first_line_does_not_make_an_export_plain_articles(project, tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"{broken\n" + native() + native("Moscow is big.", entities=[]))
    report = import_paths(project, [path])
    assert report.spans == 1 and [p.line for p in report.errors] == [1]


def test_a_utf16_native_export_keeps_its_annotations(project, tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes((native() + GOOD).decode().encode("utf-16"))
    report = import_paths(project, [path])
    assert report.ok and report.added == 2 and report.spans == 1


def test_a_lone_surrogate_in_utf16_is_one_line_and_the_rest_imports(project, tmp_path):
    bad_line = '{"text": "'.encode("utf-16-le") + b"\x00\xd8" + '"}\n'.encode("utf-16-le")
    data = b"\xff\xfe" + native().decode().encode("utf-16-le") + bad_line + GOOD.decode().encode("utf-16-le")
    path = tmp_path / "export.jsonl"
    path.write_bytes(data)
    report = import_paths(project, [path])
    assert [p.line for p in report.errors] == [2] and report.added == 2


def test_tagged_lines_with_number_tags_are_reported_not_imported_as_articles(project, tmp_path):
    path = tmp_path / "tagged.jsonl"
    path.write_bytes(orjson.dumps({"text": "Sergey Lavrov", "tokens": ["Sergey", "Lavrov"], "tags": [1, 2]}) + b"\n")
    report = import_paths(project, [path])
    assert [p.line for p in report.errors] == [1] and "tag" in report.errors[0].message


@pytest.mark.parametrize("name", ["utf-16-le", "utf16", "UTF-16LE", "utf_16_le"])
def test_any_name_python_knows_for_an_encoding_reads_articles(project, tmp_path, name):
    lines = [orjson.dumps({"text": f"Article number {i}.", "meta": {"title": f"a{i}"}}) for i in range(3)]
    path = tmp_path / "articles.jsonl"
    encoding = "utf-16-le" if name != "utf16" else "utf-16"
    path.write_bytes(b"\n".join(lines).decode().encode(encoding))
    report = import_paths(project, [path], encoding=name)
    assert report.ok and report.added == 3, report.problems


def test_a_named_encoding_reads_an_annotated_export_too(project, tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes(native("Лавров сказал.", entities=[]).decode().encode("cp1251"))
    report = import_paths(project, [path], encoding="cp1251", fmt="jsonl")
    assert report.ok and [d.title for d in list_documents(project)] == ["Лавров сказа"]


def _secret(tmp_path):
    secret = tmp_path / "elsewhere" / "passwords.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:secret\n")
    return secret


def test_a_link_out_of_an_imported_folder_is_reported_and_not_read(project, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "kept.txt").write_text("Elena Varga spoke in Moscow.")
    (folder / "inside.txt").symlink_to(folder / "kept.txt")
    (folder / "stolen.txt").symlink_to(_secret(tmp_path))
    report = import_paths(project, [folder])
    assert [p.path for p in report.errors] == [str(folder / "stolen.txt")] and "outside" in report.errors[0].message
    assert all("secret" not in d.title for d in list_documents(project)) and report.added == 1


def test_a_link_out_of_a_brat_folder_is_reported_and_not_read(project, tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Elena Varga spoke.")
    (folder / "a.ann").write_text("T1\tPERSON 0 11\tElena Varga\n")
    (folder / "b.txt").symlink_to(_secret(tmp_path))
    (folder / "b.ann").write_text("")
    report = import_paths(project, [folder])
    assert [p.path for p in report.errors] == [str(folder / "b.txt")] and "outside" in report.errors[0].message
    assert report.added == 1 and report.spans == 1
    assert all("root" not in d.title for d in list_documents(project))


def test_add_labels_refuses_names_the_schema_dialog_refuses(project, tmp_path):
    from annotator.services.projects import schema_of

    text = "Elena Varga spoke in Moscow."
    bad = [{"id": f"e{i}", "start": 0, "end": 5, "label": name, "text": "Elena"} for i, name in enumerate([" PER", "A\nB"])]
    path = tmp_path / "labels.jsonl"
    path.write_bytes(native(text, entities=[*bad, {"id": "g", "start": 21, "end": 27, "label": "TOWN", "text": "Moscow"}]))
    report = import_paths(project, [path], add_labels=True)
    assert len(report.errors) == 2 and all("one line" in p.message for p in report.errors)
    assert report.new_labels == ["entity:TOWN"]
    assert {label.name for label in schema_of(project).labels} >= {"TOWN"}
    assert not any(label.name in (" PER", "A\nB") for label in schema_of(project).labels)
