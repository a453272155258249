"""Importing the real third-party corpus: nothing refused, every text stored exactly."""

import re

import pytest

from annotator.services.documents import list_documents, load_document
from annotator.services.importing import import_paths

HEADER = re.compile(r"[ \t]*date \d{4}-\d{2}-\d{2} [^\n]*\n\n*")


@pytest.mark.corpus
def test_news_seed_and_unicode_import_with_zero_problems_and_exact_texts(project, corpus):
    folders = [corpus / "news", corpus / "seed", corpus / "unicode"]
    files = sorted(p for folder in folders for p in folder.iterdir() if p.is_file())
    report = import_paths(project, folders)
    assert report.problems == []
    assert report.files == len(files)
    assert report.added + len(report.duplicates) == len(files)
    assert report.added >= 220

    by_source = {}
    for summary in list_documents(project):
        document = load_document(project, summary.id).document
        by_source[document.source] = document
    for path in files:
        if path.name not in by_source:
            continue  # reported as a duplicate of another file's text
        stored = by_source[path.name].text
        original = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        assert original.endswith(stored), path.name
        cut = original[: len(original) - len(stored)]
        assert cut == "" or HEADER.fullmatch(cut), f"{path.name}: only the 'date ... Title' line may be cut"


@pytest.mark.corpus
def test_importing_the_same_files_again_adds_nothing(project, corpus):
    first = import_paths(project, [corpus / "seed"])
    again = import_paths(project, [corpus / "seed"])
    assert (first.added, again.added) == (1, 0)
    assert len(again.duplicates) == 1 and "same text as 'Armenian foreign minister" in again.duplicates[0]


def test_a_bad_file_is_reported_and_the_rest_imported(project, tmp_path):
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "good.txt").write_text("date 2020-01-01 Good\n\nFine text.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "lines.jsonl").write_text('{"text": "ok"}\nnot json\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    report = import_paths(project, [tmp_path])
    assert report.added == 2
    assert sorted((p.path.rsplit("/", 1)[-1], p.line) for p in report.problems) == [("empty.txt", None), ("lines.jsonl", 2)]
    assert report.summary() == "2 documents imported from 3 file(s), 2 problem(s), 1 other file(s) in folders ignored"
