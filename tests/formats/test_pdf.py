"""PDF articles: files LibreOffice made from corpus articles (conftest.converted), read back whole."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.formats import pdf


def _read(path):
    found = list(pdf.read(path))
    return [d for d in found if isinstance(d, Document)], [p for p in found if isinstance(p, Problem)]


def _plain(text: str) -> str:
    return " ".join(text.split())


def _unbroken(text: str) -> str:
    """Whitespace normalised, and a hyphen between two lower-case letters dropped: by the reader's rule a
    compound broken at a line end ("energy-" / "intensive") is joined, as a hyphenated word is."""
    return re.sub(r"(?<=[a-z])-(?=[a-z])", "", _plain(text))


def _creation_day(path) -> str:
    found = re.search(rb"/CreationDate\s*\(D:(\d{4})(\d{2})(\d{2})", path.read_bytes())
    return "-".join(part.decode() for part in found.groups())


@pytest.mark.parametrize("name", ["boat", "seed"])
def test_each_paragraph_comes_out_whole_as_its_own_paragraph(converted, name):
    article = converted.articles[name]
    docs, problems = _read(converted / f"{name}.pdf")
    assert problems == []
    [doc] = docs
    assert [_plain(p) for p in doc.text.split("\n\n")] == [_plain(article.title)] + [_plain(p) for p in article.paragraphs]
    assert "\n\n\n" not in doc.text and doc.text == doc.text.strip()


@pytest.mark.parametrize("name", ["mars", "columns"])
def test_a_long_article_reads_whole_and_in_order_over_pages_and_columns(converted, name):
    article = converted.articles["mars"]
    [doc], problems = _read(converted / f"{name}.pdf")
    assert problems == []
    text = _unbroken(doc.text)
    at = 0
    for paragraph in [article.title, *article.paragraphs]:
        found = text.find(_unbroken(paragraph), at)
        assert found >= at, f"not found whole after offset {at}: {paragraph[:60]!r}"
        at = found + len(_unbroken(paragraph))
    assert len(doc.meta["pages"]) == 2


def test_the_two_column_page_is_read_column_by_column(converted):
    path = converted / "columns.pdf"
    # The file really has two columns: laid out as on paper, a line holds text from both.
    layout = PdfReader(path).pages[0].extract_text(extraction_mode="layout")
    assert any(re.search(r"\S {5,}\S", line) for line in layout.splitlines()[3:])
    [doc], _ = _read(path)
    paragraphs = [_unbroken(p) for p in doc.text.split("\n\n")]
    first = _unbroken(converted.articles["mars"].paragraphs[1])  # the whole of it is in the left column
    assert first in paragraphs


def test_title_date_and_author_come_from_the_pdf_properties(converted):
    path = converted / "boat.pdf"
    [doc], _ = _read(path)
    assert doc.title == "Dozens dead in California boat fire"
    assert doc.date == _creation_day(path)  # LibreOffice stamps the time of the export
    assert doc.meta["author"] == "Wikinews contributors"
    assert doc.source == "boat.pdf"


def test_without_a_title_property_the_first_paragraph_is_the_title(converted):
    [doc], problems = _read(converted / "untitled.pdf")
    assert problems == []
    assert (doc.title, doc.meta.get("author")) == (converted.articles["seed"].title, None)


def test_page_starts_point_at_each_page_s_first_words(converted):
    [seed], _ = _read(converted / "seed.pdf")
    third = converted.articles["seed"].paragraphs[2]  # the paragraph a page break was put before
    assert seed.meta["pages"][0] == 0
    assert seed.text[seed.meta["pages"][1] :].startswith(third)
    for name in ("mars", "columns", "hyphens"):
        path = converted / f"{name}.pdf"
        [doc], _ = _read(path)
        assert doc.meta["pages"][0] == 0
        for start, page in zip(doc.meta["pages"], PdfReader(path).pages, strict=True):
            first_words = _plain(page.extract_text())[:15]
            assert _plain(doc.text[start:])[:15] == first_words


def test_words_hyphenated_at_line_ends_are_joined_and_real_hyphens_kept(converted):
    path = converted / "hyphens.pdf"
    raw = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    broken = re.findall(r"([a-z]+)-\n([a-z]+)", raw)
    assert len(broken) >= 3, "the narrow page should break some words at line ends"
    [doc], problems = _read(path)
    assert problems == []
    article = converted.articles["boat"]
    assert [_plain(p) for p in doc.text.split("\n\n")] == [_plain(article.title)] + [_plain(p) for p in article.paragraphs]
    for left, right in broken:
        assert f"{left}{right}" in doc.text
    for compound in ("three-day", "worst-case", "24-hour"):
        assert doc.text.count(compound) == 1


def test_a_pdf_without_text_is_reported_as_scanned(converted):
    path = converted / "scanned.pdf"
    assert _read(path) == ([], [Problem.at(path, None, "no text layer (scanned?): none of its 1 page(s) holds text; "
                                                      "run it through OCR and import the result")])


def test_a_password_protected_pdf_is_reported_and_a_merely_restricted_one_read(converted):
    path = converted / "encrypted.pdf"
    docs, problems = _read(path)
    assert docs == []
    assert [str(p) for p in problems] == [f"{path}: encrypted: it needs a password to open; save an unlocked copy and import that"]
    [doc], problems = _read(converted / "restricted.pdf")  # an owner password only: it opens without one
    assert problems == [] and doc.title == "Dozens dead in California boat fire"


def test_broken_and_false_pdfs_are_problems_naming_the_file(converted, tmp_path):
    truncated = converted / "broken.pdf"
    renamed = tmp_path / "notes.pdf"
    renamed.write_text("date 2021-01-13 Title\n\nBody.\n", encoding="utf-8")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    for path in (truncated, renamed, empty, tmp_path / "missing.pdf"):
        docs, problems = _read(path)
        assert docs == [] and len(problems) == 1 and not problems[0].warning
        assert problems[0].path == str(path)
    assert _read(renamed)[1][0].message == "not a PDF: expected a file starting with %PDF-"
    assert "damaged or incomplete" in _read(truncated)[1][0].message
    assert _read(tmp_path / "missing.pdf")[1][0].message == "cannot be read: No such file or directory"


def test_entry_sniffs_pdfs_and_previews_them(converted):
    assert pdf.ENTRY.name == "pdf" and pdf.ENTRY.articles and pdf.ENTRY.suffixes == (".pdf",)
    assert pdf.ENTRY.sniff(converted / "boat.pdf")
    assert not pdf.ENTRY.sniff(converted / "boat.docx")
    shown = pdf.ENTRY.preview(converted / "mars.pdf").splitlines()
    assert shown[:3] == ["PDF, 2 pages", f"Title: {converted.articles['mars'].title}", "Author: Wikinews contributors"]
    assert "Wednesday, January 9, 2019" in shown
    assert pdf.ENTRY.preview(converted / "encrypted.pdf").startswith("encrypted:")
    assert pdf.ENTRY.preview(converted / "broken.pdf").startswith("not a readable PDF")
