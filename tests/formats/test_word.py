"""Word articles: .docx files LibreOffice made from corpus articles (conftest.converted), read back whole."""

from __future__ import annotations

import zipfile

import docx
import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.formats import word
from tests.formats.conftest import TABLE


def _read(path):
    found = list(word.read(path))
    return [d for d in found if isinstance(d, Document)], [p for p in found if isinstance(p, Problem)]


@pytest.mark.parametrize("name", ["boat", "mars"])
def test_heading_and_paragraphs_come_out_exactly_one_per_paragraph(converted, name):
    article = converted.articles[name]
    [doc], problems = _read(converted / f"{name}.docx")
    assert problems == []
    # Word keeps the text as written, so only the corpus's double spaces may differ: the fodt collapses them.
    assert doc.text.split("\n\n") == [article.title] + [" ".join(p.split()) for p in article.paragraphs]


def test_title_date_and_author_come_from_the_document_properties(converted):
    path = converted / "mars.docx"
    # The file's own title property, which LibreOffice files under a name python-docx does not look for.
    assert docx.Document(str(path)).core_properties.title == "Word Document"
    [doc], _ = _read(path)
    assert (doc.title, doc.date, doc.meta, doc.source) == (
        converted.articles["mars"].title, "2019-01-09", {"author": "Wikinews contributors"}, "mars.docx")


def test_without_properties_the_first_heading_is_the_title(converted):
    [doc], problems = _read(converted / "untitled.docx")
    assert problems == []
    assert (doc.title, doc.date, doc.meta) == (converted.articles["seed"].title, None, {})


def test_a_table_is_read_where_it_stands_one_row_per_paragraph(converted):
    [doc], _ = _read(converted / "table.docx")
    paragraphs = doc.text.split("\n\n")
    body = converted.articles["boat"].paragraphs
    at = paragraphs.index(body[1])
    assert paragraphs[at + 1 : at + 4] == ["\t".join(TABLE[0]), "\t".join(TABLE[1]), body[2]]


def test_a_file_python_docx_writes_reads_too(tmp_path):
    path = tmp_path / "memo.docx"
    made = docx.Document()
    made.add_heading("Minister resigns", level=1)
    made.add_paragraph("First line.").add_run().add_break()
    made.paragraphs[-1].add_run("Second line of the same paragraph.")
    made.add_paragraph("")
    made.add_paragraph("Last paragraph.")
    made.core_properties.author = "Desk"
    made.save(path)
    [doc], problems = _read(path)
    assert problems == []
    assert (doc.title, doc.meta["author"]) == ("Minister resigns", "Desk")
    assert doc.text == "Minister resigns\n\nFirst line.\nSecond line of the same paragraph.\n\nLast paragraph."


def test_broken_and_false_word_files_are_problems_naming_the_file(converted, tmp_path):
    old_doc = tmp_path / "old.docx"
    old_doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE (Word 97) file renamed
    other_zip = tmp_path / "photos.docx"
    with zipfile.ZipFile(other_zip, "w") as package:
        package.writestr("photo.txt", "not a document")
    cut = tmp_path / "cut.docx"
    cut.write_bytes((converted / "boat.docx").read_bytes()[:2000])
    empty = tmp_path / "empty.docx"
    docx.Document().save(empty)
    for path in (old_doc, other_zip, cut, empty, tmp_path / "missing.docx"):
        docs, problems = _read(path)
        assert docs == [] and len(problems) == 1 and problems[0].path == str(path) and not problems[0].warning
    assert "an old .doc file" in _read(old_doc)[1][0].message
    assert _read(empty)[1][0].message == "not imported: the document has no text"
    assert _read(tmp_path / "missing.docx")[1][0].message == "cannot be read: No such file or directory"


def test_entry_sniffs_word_files_and_previews_them(converted):
    assert word.ENTRY.name == "word" and word.ENTRY.articles and word.ENTRY.suffixes == (".docx",)
    assert word.ENTRY.sniff(converted / "boat.docx")
    assert not word.ENTRY.sniff(converted / "boat.pdf")
    shown = word.ENTRY.preview(converted / "boat.docx").splitlines()
    assert shown[1:5] == ["Title: Dozens dead in California boat fire", "Author: Wikinews contributors",
                          "Date: 2019-09-04", "Dozens dead in California boat fire"]
