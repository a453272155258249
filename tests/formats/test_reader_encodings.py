"""Every reader takes the encoding named with --encoding, and a file it cannot decode is one problem
naming that file, never an exception that stops the import."""

from __future__ import annotations

import json
import zipfile

from annotator.core.errors import Problem
from annotator.core.records import Imported, ImportOptions
from annotator.formats import conll, doccano, labelstudio
from annotator.formats.jsonl import records

DOCCANO = {"text": "Ana spoke.", "entities": [{"id": 1, "start_offset": 0, "end_offset": 3, "label": "PERSON"}]}
UTF16 = ImportOptions(encoding="utf-16-le")


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def test_doccano_reads_a_file_in_the_named_encoding(tmp_path):
    path = tmp_path / "d16.jsonl"
    path.write_bytes((json.dumps(DOCCANO) + "\n").encode("utf-16-le"))
    imported, problems = split(doccano.read(path, UTF16))
    assert problems == []
    assert [(s.start, s.end, s.label) for s in imported[0].spans] == [(0, 3, "PERSON")]


def test_doccano_reads_zip_members_in_the_named_encoding(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ana.jsonl", (json.dumps(DOCCANO) + "\n").encode("utf-16-le"))
    imported, problems = split(doccano.read(path, UTF16))
    assert problems == [] and [s.annotator for s in imported[0].spans] == ["ana"]


def test_label_studio_json_is_read_in_the_named_encoding(tmp_path):
    task = {"data": {"text": "Zürich spoke."}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 6, "text": "Zürich", "labels": ["GPE"]}}]}]}
    path = tmp_path / "tasks.json"
    path.write_bytes(json.dumps([task], ensure_ascii=False).encode("cp1252"))
    imported, problems = split(labelstudio.read(path, ImportOptions(encoding="cp1252")))
    assert problems == [] and imported[0].document.text == "Zürich spoke." and len(imported[0].spans) == 1


def test_label_studio_json_not_in_the_named_encoding_is_one_problem(tmp_path):
    path = tmp_path / "tasks.json"
    path.write_bytes(b'[{"data": {"text": "\xff\xfe\xfd"}}]')
    imported, problems = split(labelstudio.read(path, ImportOptions(encoding="utf-8")))
    assert imported == [] and len(problems) == 1 and problems[0].path == str(path)


def test_utf16_named_without_byte_order_and_no_bom_is_a_problem_not_an_exception(tmp_path):
    path = tmp_path / "a16.jsonl"
    path.write_bytes('{"text": "Article one."}\n'.encode("utf-16-le"))
    found = [value for _, value in records(path, "utf16")]
    assert len(found) == 1 and isinstance(found[0], Problem) and found[0].path == str(path)
    assert "BOM" in found[0].message and "--encoding utf-16-le" in found[0].message
    conll_path = tmp_path / "a16.conll"
    conll_path.write_bytes("Ana B-PER\n".encode("utf-16-le"))
    lines = [line for _, line in conll.lines(conll_path, "utf16")]
    assert len(lines) == 1 and isinstance(lines[0], Problem) and "BOM" in lines[0].message
