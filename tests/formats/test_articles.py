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


def test_a_bad_date_is_reported_and_the_article_still_imported(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("date 2021-13-45 Title\n\nBody.\n", encoding="utf-8")
    docs, problems = _read(path)
    assert [(d.title, d.date, d.text) for d in docs] == [("Title", None, "Body.\n")]
    assert [str(p) for p in problems] == [f"{path}:1: '2021-13-45' is not a date of the form YYYY-MM-DD; imported without a date"]


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
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
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


def test_folders_are_walked_in_order_without_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "a.txt", ".hidden.txt", ".git/x.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in article_files([tmp_path])] == ["a.txt", "b/2.txt"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\x03binary"])
def test_unreadable_text_files_are_problems_not_crashes(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    docs, problems = _read(path)
    assert docs == [] and problems[0].message.startswith("not imported:")
