import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.formats.articles import article_files, read_file


def _read(path):
    found = list(read_file(path))
    return [d for d in found if isinstance(d, Document)], [p for p in found if isinstance(p, Problem)]


def test_sample_format_gives_date_title_and_the_body_exactly(tmp_path):
    path = tmp_path / "a.txt"
    body = "YEREVAN, January 13. /TASS/. Lavrov said.\n\n“Quoted,” she said.  Two spaces.\n"
    path.write_bytes((" date 2021-01-13 Armenian minister talks with Lavrov \r\n\r\n" + body).encode("utf-8"))
    docs, problems = _read(path)
    assert problems == []
    assert [(d.title, d.date, d.source, d.text) for d in docs] == [
        ("Armenian minister talks with Lavrov", "2021-01-13", "a.txt", body)
    ]


def test_plain_text_is_kept_whole_and_titled_by_its_file_name(tmp_path):
    path = tmp_path / "notes from kyiv.txt"
    path.write_text("First line.\n\nSecond paragraph with date 2020-01-01 inside.\n", encoding="utf-8")
    docs, problems = _read(path)
    assert problems == []
    assert [(d.title, d.date, d.text) for d in docs] == [
        ("notes from kyiv", None, "First line.\n\nSecond paragraph with date 2020-01-01 inside.\n")
    ]


def test_a_bad_date_is_a_warning_and_the_article_still_imported(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("date 2021-13-45 Title\n\nBody.\n", encoding="utf-8")
    docs, problems = _read(path)
    assert [(d.title, d.date, d.text) for d in docs] == [("Title", None, "Body.\n")]
    assert [(str(p), p.warning) for p in problems] == [
        (f"{path}:1: '2021-13-45' is not a real date of the form YYYY-MM-DD; imported without a date", True)
    ]


def test_a_first_line_about_dates_is_text_not_a_header(tmp_path):
    path = tmp_path / "ideas.txt"
    text = "date night ideas for couples\nSome text about evenings out.\n"
    path.write_text(text, encoding="utf-8")
    docs, problems = _read(path)
    assert problems == [] and [(d.title, d.text) for d in docs] == [("ideas", text)]


def test_header_without_title_and_blank_lines_with_spaces(tmp_path):
    path = tmp_path / "untitled.txt"
    path.write_text("date 2021-01-13\n  \n\t\n  Body starts indented.\n", encoding="utf-8")
    docs, problems = _read(path)
    assert problems == []
    assert [(d.title, d.date, d.text) for d in docs] == [("untitled", "2021-01-13", "  Body starts indented.\n")]


def test_a_header_without_a_body_is_reported(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("date 2021-01-13 Only a title\n\n\n", encoding="utf-8")
    docs, problems = _read(path)
    assert docs == []
    assert problems[0].line == 1 and "not followed by any text" in problems[0].message


def test_jsonl_reports_each_bad_line_by_number_and_keeps_the_rest(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        '{"text": "Good one 😀.", "meta": {"title": "First", "date": "2020-05-01", "source": "wire", "lang": "en"}}',
        "{broken json",
        "",
        '["a list"]',
        '{"meta": {"title": "no text"}}',
        '{"text": "   "}',
        '{"text": "Meta is wrong", "meta": 3}',
        '{"text": "Second good\\r\\nline"}',
    ]
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    docs, problems = _read(path)
    assert [(d.title, d.date, d.source, d.meta, d.text) for d in docs] == [
        ("First", "2020-05-01", "wire", {"lang": "en"}, "Good one 😀."),
        ("Second good", None, "articles.jsonl:8", {}, "Second good\nline"),
    ]
    assert [(p.line, p.message.split(" (")[0]) for p in problems if not p.warning] == [
        (2, "not valid JSON"),
        (4, "expected a JSON object with a 'text' field, found list"),
        (5, "expected a non-empty string in 'text'"),
        (6, "expected a non-empty string in 'text'"),
        (7, "expected 'meta' to be a JSON object"),
    ]
    assert all(p.path == str(path) for p in problems)


def test_unsupported_and_missing_files_are_reported(tmp_path):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG")
    docs, problems = _read(picture)
    assert docs == [] and "expected .txt or .jsonl" in problems[0].message
    found = list(article_files([tmp_path / "absent.txt"]))
    assert isinstance(found[0], Problem) and found[0].message == "no such file or folder"


def test_folders_are_walked_in_order_without_hidden_or_other_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "a.txt", "c.JSONL", ".hidden.txt", ".git/x.txt", "README.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    skipped = []
    found = [p.relative_to(tmp_path).as_posix() for p in article_files([tmp_path], skipped)]
    assert found == ["a.txt", "b/2.txt", "c.JSONL"]
    assert [p.name for p in skipped] == ["README.md"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\x03binary"])
def test_unreadable_text_files_are_problems_not_crashes(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    docs, problems = _read(path)
    assert docs == [] and problems[0].message.startswith("not imported:")


def test_jsonl_in_utf16_and_dates_that_are_not_dates(tmp_path):
    path = tmp_path / "utf16.jsonl"
    lines = [
        '{"text": "Лавров 😀 said.", "meta": {"title": "One", "date": "2020-05-01"}}',
        '{"text": "Second.", "meta": {"title": "Two", "date": "yesterday"}}',
    ]
    path.write_bytes("\n".join(lines).encode("utf-16"))  # with a BOM, as Windows tools write it
    docs, problems = _read(path)
    assert [(d.title, d.date, d.text, d.meta) for d in docs] == [
        ("One", "2020-05-01", "Лавров 😀 said.", {}),
        ("Two", None, "Second.", {"date_given": "yesterday"}),
    ]
    assert [(p.line, p.warning) for p in problems] == [(2, True)]
    assert "meta.date 'yesterday' is not a date" in problems[0].message


def test_jsonl_strings_may_hold_raw_line_separators(tmp_path):
    path = tmp_path / "sep.jsonl"
    raw = '{"text": "a\u2028b\u2029c\x85d"}'
    path.write_bytes((raw + "\n" + '{"text": "second"}' + "\n").encode("utf-8"))
    docs, problems = _read(path)
    assert problems == [] and [d.text for d in docs] == ["a\u2028b\u2029c\x85d", "second"]


def test_legacy_encodings_are_read_and_reported_as_a_guess(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes("date 2021-01-13 Лавров\n\nСергей Лавров заявил.\n".encode("cp1251"))
    docs, problems = _read(path)
    assert [(d.title, d.text) for d in docs] == [("Лавров", "Сергей Лавров заявил.\n")]
    assert [(p.warning, p.message) for p in problems] == [
        (True, "not UTF-8; read as cp1251 (a guess: check the text; --encoding names it)")
    ]
    named = list(read_file(path, "cp1251"))
    assert [type(x) for x in named] == [Document]


def test_a_wrong_or_unknown_named_encoding_is_an_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Zürich".encode("cp1252"))
    for encoding, message in (("utf-8", "not valid utf-8"), ("no-such-codec", "not an encoding Python knows")):
        docs, problems = _read_with(path, encoding)
        assert docs == [] and message in problems[0].message


def _read_with(path, encoding):
    found = list(read_file(path, encoding))
    return [d for d in found if isinstance(d, Document)], [p for p in found if isinstance(p, Problem)]


def test_damaged_utf8_is_refused_not_garbled(tmp_path):
    path = tmp_path / "damaged.txt"
    good = "Министр иностранных дел России Сергей Лавров заявил.".encode()
    path.write_bytes(good[:40] + b"\x96" + good[40:])
    docs, problems = _read(path)
    assert docs == []
    assert problems[0].message == (
        "not imported: it is UTF-8 with 1 invalid byte(s), the first at byte 40; "
        "repair the file, or name its encoding with --encoding"
    )


def test_a_long_jsonl_is_read_line_by_line_and_a_line_with_bad_bytes_is_skipped(tmp_path):
    path = tmp_path / "long.jsonl"
    lines = [f'{{"text": "Article {i} about Лавров."}}' for i in range(3000)]
    path.write_bytes("\n".join(lines[:2000]).encode() + b"\n" + b'{"text": "bad \xff byte"}\n' + "\n".join(lines[2000:]).encode())
    docs, problems = _read(path)
    assert len(docs) == 3000 and docs[1999].text == "Article 1999 about Лавров." and docs[2000].source == "long.jsonl:2002"
    assert [(p.line, p.message) for p in problems] == [(2001, "not valid utf-8 (byte 14 of the line); line skipped")]


def test_a_header_alone_without_a_final_newline_is_reported(tmp_path):
    path = tmp_path / "only.txt"
    path.write_text("date 2021-01-13 Only a title", encoding="utf-8")
    docs, problems = _read(path)
    assert docs == [] and "not followed by any text" in problems[0].message


def test_jsonl_dates_are_days_or_the_day_of_a_timestamp(tmp_path):
    path = tmp_path / "dates.jsonl"
    values = ["2021-01-13", "2021-01-13T10:00:00Z", "20210113", "2021-W02-3"]
    path.write_text("\n".join(f'{{"text": "t{i}", "meta": {{"date": "{v}"}}}}' for i, v in enumerate(values)), encoding="utf-8")
    docs, problems = _read(path)
    assert [d.date for d in docs] == ["2021-01-13", "2021-01-13", None, None]
    assert [p.line for p in problems] == [3, 4] and all(p.warning for p in problems)
