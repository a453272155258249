"""Tables of articles: CSV (comma, semicolon), TSV and Excel, columns mapped or guessed."""

from datetime import datetime

import openpyxl
import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ImportOptions
from annotator.formats import tables


def _read(path, **columns):
    found = list(tables.read(path, ImportOptions(columns=columns)))
    return [d for d in found if isinstance(d, Document)], [p for p in found if isinstance(p, Problem)]


def _workbook(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_comma_csv_is_read_by_the_guessed_columns_and_keeps_the_others_as_metadata(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        'Headline,Body,Published,URL,section\n'
        'Lavrov meets Mirzoyan,"Moscow, January 13. The ministers met, talked, and parted.",2021-01-13,'
        'https://example.org/1,World\n'
        'Boat fire,"Dozens dead.\r\nSecond paragraph.",2019-09-04T10:00:00Z,https://example.org/2,US\n',
        encoding="utf-8",
    )
    docs, problems = _read(path)
    assert problems == []
    assert [(d.title, d.date, d.text, d.meta, d.source) for d in docs] == [
        ("Lavrov meets Mirzoyan", "2021-01-13", "Moscow, January 13. The ministers met, talked, and parted.",
         {"section": "World", "id": "https://example.org/1"}, "news.csv"),
        ("Boat fire", "2019-09-04", "Dozens dead.\nSecond paragraph.", {"section": "US", "id": "https://example.org/2"},
         "news.csv"),
    ]
    assert len({d.uid for d in docs}) == 2 and all(d.uid != d.meta["id"] for d in docs)


def test_a_semicolon_csv_with_a_mapping_reads_only_the_mapped_metadata(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "uid;headline;story;when;section;author;views\n"
        "a1;Budget passed;Parliament passed the budget, 230 to 12, on Tuesday.;2020-03-01;Politics;Ann Lee;120\n",
        encoding="cp1252",
    )
    docs, problems = _read(path, text="story", title="headline", date="when", id="uid", meta=["section", "author"])
    assert problems == []
    assert [(d.title, d.date, d.text, d.meta) for d in docs] == [
        ("Budget passed", "2020-03-01", "Parliament passed the budget, 230 to 12, on Tuesday.",
         {"section": "Politics", "author": "Ann Lee", "id": "a1"})
    ]


def test_a_cp1251_csv_is_decoded_and_the_guess_reported(tmp_path):
    path = tmp_path / "ru.csv"
    path.write_bytes("title,text\nЛавров,Сергей Лавров заявил журналистам о переговорах.\n".encode("cp1251"))
    docs, problems = _read(path)
    assert [(d.title, d.text) for d in docs] == [("Лавров", "Сергей Лавров заявил журналистам о переговорах.")]
    assert [p.warning for p in problems] == [True] and "cp1251" in problems[0].message


def test_a_tsv_is_split_on_tabs_only(tmp_path):
    path = tmp_path / "a.tsv"
    path.write_text("title\tcontent\nOne, two\tText; with, commas\tand a stray cell\n", encoding="utf-8")
    docs, problems = _read(path)
    assert [(d.title, d.text) for d in docs] == [("One, two", "Text; with, commas")]
    assert [(p.line, p.warning) for p in problems] == [(2, True)]
    assert "3 cells, the header 2" in problems[0].message


def test_an_excel_workbook_with_dates_and_numbers(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", [
        ["ID", "Title", "Article", "Date", "Words"],
        [101, "Mars brines", "Simple animals could live in Martian brines.", datetime(2019, 1, 9, 15, 30), 7],
        [102, "Boat fire", "Dozens dead in California boat fire.", "4 September 2019", 6.0],
        [103, "Odd date", "A text.", "yesterday", None],
    ])
    docs, problems = _read(path)
    assert [(d.title, d.date, d.meta) for d in docs] == [
        ("Mars brines", "2019-01-09", {"Words": "7", "id": "101"}),
        ("Boat fire", "2019-09-04", {"Words": "6", "id": "102"}),
        ("Odd date", None, {"date": "yesterday", "id": "103"}),
    ]
    assert [(p.line, p.warning) for p in problems] == [(4, True)]
    assert "'yesterday'" in problems[0].message and "kept in the metadata" in problems[0].message


def test_rows_with_an_empty_text_are_reported_by_row_and_the_rest_read(tmp_path):
    path = _workbook(tmp_path / "gaps.xlsx", [
        ["title", "body"], ["First", "Text one."], ["Empty", "   "], [None, None], ["Third", "Text three."],
    ])
    docs, problems = _read(path)
    assert [d.title for d in docs] == ["First", "Third"]
    assert [(p.line, p.warning, p.message) for p in problems] == [
        (3, False, "the text column 'body' is empty; row left out")
    ]


def test_a_mapped_column_missing_from_the_header_stops_the_file_and_lists_the_columns(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("headline,body\nA,Text.\n", encoding="utf-8")
    docs, problems = _read(path, text="story")
    assert docs == []
    assert [str(p) for p in problems] == [
        f"{path}:1: the text column 'story' is not in the header; its columns are 'headline', 'body'; nothing imported"
    ]


def test_without_a_text_column_the_problem_says_how_to_name_one(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("headline,paragraphs\nA,Text.\n", encoding="utf-8")
    docs, problems = _read(path)
    assert docs == []
    assert len(problems) == 1 and str(path) in str(problems[0])
    assert "'headline', 'paragraphs'" in problems[0].message and "--columns text=COLUMN" in problems[0].message
    docs, problems = _read(path, text="paragraphs")
    assert [(d.title, d.text) for d in docs] == [("A", "Text.")] and problems == []


def test_hostile_cell_text_is_kept_as_written(tmp_path):
    hostile = '<b>x</b> <script>alert(1)</script> =cmd|"/c calc"!A1 &amp;'
    path = tmp_path / "h.csv"
    path.write_text(f'title,text\n"<i>t</i>","{hostile.replace(chr(34), chr(34) * 2)}"\n', encoding="utf-8")
    docs, _problems = _read(path)
    assert [(d.title, d.text) for d in docs] == [("<i>t</i>", hostile)]


def test_a_mapped_title_of_none_titles_rows_by_file_and_row(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,text\nIgnored,Text one.\n", encoding="utf-8")
    docs, _ = _read(path, title=None, meta=[])
    assert [(d.title, d.meta) for d in docs] == [("a.csv row 2", {})]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00", b"\n\n"])
def test_an_unreadable_text_file_is_one_problem(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    docs, problems = _read(path)
    assert docs == [] and len(problems) == 1 and not problems[0].warning
    assert problems[0].path == str(path) and problems[0].message.startswith("not imported:")


def test_a_file_named_xlsx_that_is_no_workbook_is_one_problem(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("title,text\nA,B\n", encoding="utf-8")
    docs, problems = _read(path)
    assert docs == [] and len(problems) == 1 and "not a readable Excel workbook" in problems[0].message
    assert not tables.sniff(path)


def test_header_preview_and_guess_for_the_mapping_step(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", [
        ["guid", "headline", "content", "pubdate", None, "desk"],
        ["g1", "One", "Text one.", datetime(2020, 1, 2), "x", "World"],
        ["g2", "Two", "Text two."],
    ])
    assert tables.header(path) == ["guid", "headline", "content", "pubdate", "column 5", "desk"]
    assert tables.preview_rows(path, 5) == [
        ["g1", "One", "Text one.", "2020-01-02", "x", "World"], ["g2", "Two", "Text two.", "", "", ""],
    ]
    assert tables.preview_rows(path, 1) == [["g1", "One", "Text one.", "2020-01-02", "x", "World"]]
    assert tables.guess_columns(tables.header(path)) == {
        "text": "content", "title": "headline", "date": "pubdate", "id": "guid", "meta": ["column 5", "desk"],
    }
    assert tables.sniff(path)


def test_a_large_csv_streams(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("title,text\n")
        for n in range(20_000):
            handle.write(f"Article {n},\"Text of article {n}, with a comma.\"\n")
    read = tables.read(path, ImportOptions())
    first = next(read)
    assert first.title == "Article 0"
    assert sum(1 for _ in read) == 19_999


def test_the_delimiter_sniffed_from_the_head(tmp_path):
    assert tables.sniff_delimiter("title;text\nA;One, two, three.\nB;Four, five.\n") == ";"
    assert tables.sniff_delimiter("title,text\nA,\"One; two\"\n") == ","
    assert tables.sniff_delimiter("title|text\nA|B\n") == "|"


def test_a_conll_file_in_a_tsv_is_no_table_of_articles(tmp_path):
    conll = tmp_path / "ner.tsv"
    conll.write_text("EU\tB-ORG\nrejects\tO\nGerman\tB-MISC\ncall\tO\n", encoding="utf-8")
    table = tmp_path / "articles.tsv"
    table.write_text("title\ttext\nA\tText.\n", encoding="utf-8")
    assert not tables.sniff(conll) and tables.sniff(table)
