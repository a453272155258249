"""An analyst drops a folder of saved pages, PDFs, Word files and a feed: clean articles with titles and
dates, the slow files read in other processes, in order, with the same result as reading them here."""

from __future__ import annotations

import shutil

import pytest

from annotator.services import importing, reading_elsewhere
from annotator.store.documents import iter_documents


def _mixed_folder(corpus, converted, folder):
    folder.mkdir()
    pages = sorted((corpus / "web").glob("*.html"))
    for page in pages:
        shutil.copy(page, folder / page.name)
    for name in ("feed1.atom", "feed2.rss"):
        shutil.copy(corpus / "web" / name, folder / name)
    for name in ("seed.pdf", "mars.pdf", "columns.pdf", "boat.docx", "table.docx"):
        shutil.copy(converted / name, folder / name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<\n")  # cut short
    return folder


def list_documents(project):
    return [doc for batch in iter_documents(project) for doc in batch]


def _articles(project):
    return sorted((d.title, d.date or "", d.text) for d in list_documents(project))


@pytest.fixture
def folder(corpus, converted, tmp_path):
    return _mixed_folder(corpus, converted, tmp_path / "drop")


def test_a_dropped_folder_of_pages_pdfs_word_files_and_feeds_becomes_clean_articles(project, folder, monkeypatch):
    monkeypatch.setattr(reading_elsewhere, "PARALLEL_FROM", 2)  # read in other processes
    report = importing.import_paths(project, [folder])
    documents = list_documents(project)
    titles = {d.title: d for d in documents}
    sources = {d.source for d in documents}
    assert any(name.endswith(".pdf") for name in sources) and any(name.endswith(".docx") for name in sources)
    assert any(name.endswith(".html") for name in sources)
    assert any(d.meta.get("feed") for d in titles.values())  # feed items are articles of their own
    assert all(d.title for d in titles.values())
    assert sum(1 for d in titles.values() if d.date) >= len(titles) * 0.8
    broken = [p for p in report.errors if p.path.endswith("broken.pdf")]
    assert broken, report.problems  # named, and the rest imported
    assert "martin" in " ".join(str(p) for p in report.problems)  # the page with no article is reported
    assert report.added == len(documents) >= 15


def test_reading_in_other_processes_gives_what_reading_here_gives(tmp_path, folder, monkeypatch):
    from annotator.services import projects

    here = projects.open_location(str(tmp_path / "here.annotator.sqlite"))
    elsewhere = projects.open_location(str(tmp_path / "elsewhere.annotator.sqlite"))
    try:
        monkeypatch.setattr(reading_elsewhere, "PARALLEL_FROM", 10_000)
        first = importing.import_paths(here, [folder])
        monkeypatch.setattr(reading_elsewhere, "PARALLEL_FROM", 2)
        second = importing.import_paths(elsewhere, [folder])
        assert _articles(here) == _articles(elsewhere)
        assert [d.source for d in list_documents(here)] == [d.source for d in list_documents(elsewhere)]  # same order
        assert sorted(map(str, first.problems)) == sorted(map(str, second.problems))
    finally:
        here.close()
        elsewhere.close()
