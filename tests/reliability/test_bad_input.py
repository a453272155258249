"""The bad input catalogue: whatever lands in an import, the user gets a clear problem with its file and
line, everything valid beside it is imported, and the project is left as it was (same documents, same
annotations, PRAGMA integrity_check ok).

Real SQLite files through the import service, real widgets offscreen for what the analyst sees.
"""

from __future__ import annotations

import codecs
import io
import random
import sqlite3
import struct
import tracemalloc
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest

from annotator.core.model import Layer, Span
from annotator.services.documents import list_documents, load_document
from annotator.services.exporting import export
from annotator.services.importing import import_paths
from annotator.services.projects import schema_of

RUSSIAN = "Министр иностранных дел России Сергей Лавров заявил, что переговоры продолжатся.\n"

# The project every bad import is tried against: two articles with annotations of every layer.
SEED_TEXTS = [
    "Sergey Lavrov met Elena Varga in Moscow on Wednesday. “Talks will go on,” Lavrov said.",
    "Wheat prices rose 12% as the Foreign Ministry 🇷🇺 spoke in Riverton.",
]


def _entity(text: str, words: str, label: str) -> dict:
    start = text.index(words)
    return {"id": f"{label}-{start}", "start": start, "end": start + len(words), "label": label, "text": words}


def native_line(text: str, entities=(), statements=(), relations=(), **extra) -> bytes:
    record = {"format": "annotator/1", "text": text, "meta": {"title": text[:20]}, "entities": list(entities)}
    record.update(statements=list(statements), relations=list(relations), **extra)
    return orjson.dumps(record) + b"\n"


@pytest.fixture
def seeded(project, tmp_path):
    """A project with annotated articles, and its state before the bad import."""
    text0, text1 = SEED_TEXTS
    quote = _entity(text0, "“Talks will go on,”", "STATEMENT")
    seed = tmp_path / "seed.jsonl"
    seed.write_bytes(
        native_line(
            text0,
            [_entity(text0, "Sergey Lavrov", "PERSON"), _entity(text0, "Moscow", "GPE")],
            [quote],
            [{"id": "r1", "head": quote["id"], "tail": "PERSON-0", "label": "speaker"}],
        )
        + native_line(text1, [_entity(text1, "Foreign Ministry", "ORG"), _entity(text1, "Riverton", "GPE")])
    )
    report = import_paths(project, [seed])
    assert (report.problems, report.added, report.spans) == ([], 2, 5)
    return project, database_state(project)


@dataclass(frozen=True)
class State:
    documents: frozenset  # (uid, text, title, date, source, status)
    spans: frozenset  # (document uid, layer, start, end, label, state, origin)
    relations: int
    integrity: str


def database_state(project) -> State:
    """Read straight from the file, beside the project's own connections."""
    with sqlite3.connect(project.path) as conn:
        docs = conn.execute("SELECT uid, text, title, date, source, status FROM documents").fetchall()
        spans = conn.execute(
            'SELECT d.uid, s.layer, s.start, s."end", s.label, s.state, s.origin '
            "FROM spans s JOIN documents d ON d.id = s.document_id"
        ).fetchall()
        relations = conn.execute("SELECT count(*) FROM relations").fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return State(frozenset(docs), frozenset(spans), relations, integrity)


def assert_intact(before: State, after: State) -> list[str]:
    """The project holds all it held, unchanged, and is a sound database. Returns the new texts."""
    assert after.integrity == "ok"
    assert before.documents <= after.documents, "a document stored before the import changed or vanished"
    old = {doc[0] for doc in before.documents}
    assert {s for s in after.spans if s[0] in old} == before.spans, "annotations stored before the import changed"
    assert after.relations >= before.relations
    return sorted(doc[1] for doc in after.documents - before.documents)


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_bytes() -> bytes:
    """A real archive of articles, as someone might drop a download on the window."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", "date 2021-01-13 Zipped\n\nSergey Lavrov said something.\n")
    return buffer.getvalue()


def damaged_utf8() -> bytes:
    good = RUSSIAN.encode()
    return good[:40] + b"\x96" + good[40:]


def jsonl(*texts: str) -> str:
    return "".join(orjson.dumps({"text": t}).decode() + "\n" for t in texts)


@dataclass
class Case:
    name: str
    files: dict[str, bytes]
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)  # file, line, words in the message
    warnings: list[tuple[str, int | None, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # the documents it must add, exactly


CATALOGUE = [
    Case(
        "empty files",
        {"empty.txt": b"", "empty.jsonl": b"", "blank.txt": b"  \r\n\t \n", "blank.jsonl": b"\n\n  \r\n"},
        errors=[
            ("empty.txt", None, "not imported: the file is empty"),
            ("empty.jsonl", None, "not imported: the file is empty"),
            ("blank.txt", None, "not imported: it contains only white space"),
            ("blank.jsonl", None, "not imported: the file is empty"),
        ],
    ),
    Case(
        "PNG image",
        {"photo.png": png_bytes(), "photo.txt": png_bytes(), "photo.jsonl": png_bytes()},
        errors=[
            ("photo.png", None, "skipped: '.png' files are not articles (expected .txt or .jsonl)"),
            ("photo.txt", None, "not imported: it contains NUL bytes, so it looks like a binary file, not text"),
            ("photo.jsonl", None, "not imported: it contains NUL bytes, so it looks like a binary file, not text"),
        ],
    ),
    Case(
        "ZIP archive",
        {"articles.zip": zip_bytes(), "articles.txt": zip_bytes(), "articles.jsonl": zip_bytes()},
        errors=[
            # read as doccano's export (one JSONL per member): a member of another kind is named and left out
            ("articles.zip!article.txt", None, "expected a .jsonl file (one per project member)"),
            ("articles.txt", None, "not imported: it contains NUL bytes, so it looks like a binary file, not text"),
            ("articles.jsonl", None, "not imported: it contains NUL bytes, so it looks like a binary file, not text"),
        ],
    ),
    Case(
        "invalid UTF-8",
        {
            "damaged.txt": damaged_utf8(),
            # The broken line is in the head the encoding is judged from: the file is still read line by line.
            "damaged.jsonl": jsonl("Сергей Лавров прибыл в Ереван.").encode()
            + b'{"text": "\xd0\x9f\xd1 broken \xff bytes"}\n'
            + jsonl("Переговоры продолжатся.").encode(),
        },
        errors=[
            ("damaged.txt", None, "it is UTF-8 with 1 invalid byte(s), the first at byte 40"),
            ("damaged.jsonl", 2, "not valid utf-8 (byte 12 of the line); line skipped"),
        ],
        texts=["Сергей Лавров прибыл в Ереван.", "Переговоры продолжатся."],
    ),
    Case(
        "UTF-16 with and without a BOM",
        {
            "utf16le.txt": codecs.BOM_UTF16_LE
            + "date 2021-01-13 Лавров 😀\r\n\r\nБлок 😀 Lavrov.\r\n".encode("utf-16-le"),
            "utf16be.jsonl": codecs.BOM_UTF16_BE
            + (jsonl("Ереван 🇦🇲 talks.") + "{broken\n" + jsonl("Second line 👩‍👩‍👧.")).encode("utf-16-be"),
            "utf16-no-bom.txt": "Lavrov without a BOM".encode("utf-16-le"),
        },
        errors=[
            ("utf16be.jsonl", 2, "not valid JSON"),
            ("utf16-no-bom.txt", None, "it contains NUL bytes, so it looks like a binary file, not text"),
        ],
        texts=["Блок 😀 Lavrov.\n", "Ереван 🇦🇲 talks.", "Second line 👩‍👩‍👧."],
    ),
    Case(
        "cp1251 Russian",
        {
            "russian.txt": ("date 2021-01-13 Лавров\n\n" + RUSSIAN).encode("cp1251"),
            "russian.jsonl": jsonl("Сергей Лавров — «Итоги»", "Москва, 13 января.").encode("cp1251"),
        },
        warnings=[
            ("russian.txt", None, "not UTF-8; read as cp1251 (a guess: check the text; --encoding names it)"),
            ("russian.jsonl", None, "not UTF-8; read as cp1251 (a guess: check the text; --encoding names it)"),
        ],
        texts=[RUSSIAN, "Сергей Лавров — «Итоги»", "Москва, 13 января."],
    ),
    Case(
        "CR-only and CRLF line endings",
        {
            "crlf.txt": b"date 2021-01-13 Windows\r\n\r\nFirst line.\r\nSecond line.\r\n",
            "cr.txt": b"Old Mac first line.\rSecond line.\r\rThird.\r",
            "mixed.txt": b"one\r\ntwo\rthree\nfour",
            "crlf.jsonl": b'{"text": "CRLF record"}\r\n{broken\r\n{"text": "Inner \\r\\n and \\r ends"}\r\n',
            "cr.jsonl": b'{"text": "CR record one"}\r{broken\r{"text": "CR record three"}\r',
        },
        errors=[("crlf.jsonl", 2, "not valid JSON"), ("cr.jsonl", 2, "not valid JSON")],
        texts=[
            "First line.\nSecond line.\n",
            "Old Mac first line.\nSecond line.\n\nThird.\n",
            "one\ntwo\nthree\nfour",
            "CRLF record",
            "Inner \n and \n ends",
            "CR record one",
            "CR record three",
        ],
    ),
    Case(
        "NUL bytes",
        {
            "nul.txt": b"Text with a NUL\x00 inside it, like a binary.",
            "nul.jsonl": b'{"text": "Clean record"}\n{"text": "raw \x00 NUL"}\n{"text": "escaped \\u0000 NUL"}\n',
        },
        errors=[
            ("nul.txt", None, "not imported: it contains NUL bytes, so it looks like a binary file, not text"),
            ("nul.jsonl", 2, "not valid JSON"),
            ("nul.jsonl", 3, "'text' contains NUL characters"),
        ],
        texts=["Clean record"],
    ),
]


def _problems(report, warning: bool) -> list[tuple[str, int | None, str]]:
    return sorted((Path(p.path).name, p.line, p.message) for p in report.problems if p.warning == warning)


def _matches(found, expected) -> bool:
    return len(found) == len(expected) and all(
        (name, line) == (n, ln) and words in message
        for (name, line, message), (n, ln, words) in zip(found, sorted(expected), strict=True)
    )


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.name for case in CATALOGUE])
def test_bad_input_is_reported_by_file_and_line_the_rest_imported_and_the_project_intact(seeded, tmp_path, case):
    project, before = seeded
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    good_text = f"A good article beside the {case.name}: Sergey Lavrov met Elena Varga.\n"
    (folder / "good.txt").write_text(good_text, encoding="utf-8")
    paths.append(folder / "good.txt")

    report = import_paths(project, paths)

    errors, warnings = _problems(report, False), _problems(report, True)
    assert _matches(errors, case.errors), errors
    assert _matches(warnings, case.warnings), warnings
    for problem in report.problems:  # each one names its file (and line) first, as the CLI prints it
        where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
        assert str(problem).startswith(f"{where}: ") and Path(problem.path).parent == folder
    assert assert_intact(before, database_state(project)) == sorted([good_text, *case.texts])
    assert report.added == len(case.texts) + 1 and report.duplicates == []


def test_the_same_bad_input_through_a_folder_is_reported_the_same_way(seeded, tmp_path):
    """Dropping a folder: article files are read and reported, a ZIP is read as doccano's export, other files (PNG) are listed as ignored."""
    project, before = seeded
    folder = tmp_path / "drop"
    folder.mkdir()
    everything = {name: data for case in CATALOGUE for name, data in case.files.items()}
    for name, data in everything.items():
        (folder / name).write_bytes(data)
    report = import_paths(project, [folder])
    expected_errors = [e for case in CATALOGUE for e in case.errors if not e[0].endswith(".png")]
    assert _matches(_problems(report, False), expected_errors)
    assert sorted(p.name for p in report.skipped_files) == ["photo.png"]
    expected_texts = sorted(t for case in CATALOGUE for t in case.texts)
    assert assert_intact(before, database_state(project)) == expected_texts


def test_a_50_mb_article_imports_whole_with_its_exact_length(project, tmp_path):
    paragraph = "Sergey Lavrov met Elena Varga in Moscow, officials said. Жители 😀 города.\n"
    repeats = 50 * 1024 * 1024 // len(paragraph.encode())
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8", newline="") as out:
        for _ in range(repeats // 1000):
            out.write(paragraph * 1000)
    length = len(paragraph) * (repeats // 1000) * 1000
    size = path.stat().st_size
    assert size > 50_000_000

    tracemalloc.start()
    try:
        report = import_paths(project, [path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (report.added, report.problems) == (1, [])
    # The file, its decoded text (4 bytes a character once an emoji is in it), a UTF-8 copy for the hash
    # and for SQLite: about 8 times the file. A copy per character or per line would be far more.
    assert peak < 12 * size, f"importing a {size / 1e6:.0f} MB article took {peak / 1e6:.0f} MB of Python memory"
    stored = load_document(project, list_documents(project)[0].id).document
    assert len(stored.text) == length
    assert stored.text[: len(paragraph)] == paragraph and stored.text.endswith(paragraph)


BROKEN_LINES = [
    b"{broken json",
    b'{"text": "bad \xff\xfe byte"}',
    b'["a", "list"]',
    b'{"meta": {"title": "no text"}}',
    b'{"text": "   "}',
    b'{"text": "nul \\u0000 inside"}',
    b'{"text": "meta is wrong", "meta": 3}',
    b'"just a string"',
    b'{"text": 42}',
]


def test_a_100000_line_jsonl_reports_each_broken_line_by_number_and_imports_all_others(project, tmp_path):
    rng = random.Random(20261125)
    total = 100_000
    broken = {number: rng.choice(BROKEN_LINES) for number in rng.sample(range(1, total + 1), 250)}
    broken[1], broken[total] = BROKEN_LINES[0], BROKEN_LINES[1]  # the first and the last line too
    path = tmp_path / "many.jsonl"
    with path.open("wb") as out:
        for number in range(1, total + 1):
            if number in broken:
                out.write(broken[number] + b"\n")
            else:
                out.write(orjson.dumps({"text": f"Article {number}: Лавров 😀 said.", "meta": {"n": number}}) + b"\n")

    report = import_paths(project, [path])

    assert sorted(p.line for p in report.errors) == sorted(broken)
    assert all(p.path == str(path) for p in report.problems) and report.warnings == []
    assert report.added == total - len(broken) and report.duplicates == []
    with sqlite3.connect(project.path) as conn:
        numbers = sorted(orjson.loads(meta)["n"] for (meta,) in conn.execute("SELECT meta FROM documents"))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert numbers == [n for n in range(1, total + 1) if n not in broken]


def test_bad_spans_in_an_annotated_import_are_reported_by_line_and_the_good_ones_kept(seeded, tmp_path):
    project, before = seeded
    text = "Ольга Петренко 😀 met Sergey Lavrov in Yerevan 🇦🇲 on Monday."
    n = len(text)
    olga, lavrov, yerevan = (
        _entity(text, w, lab)
        for w, lab in [("Ольга Петренко", "PERSON"), ("Sergey Lavrov", "PERSON"), ("Yerevan", "GPE")]
    )
    variants = [
        [olga, lavrov, yerevan],  # 1: all good
        [olga, {**lavrov, "id": "far", "start": n - 2, "end": n + 5, "text": text[n - 2 :]}],  # 2: past the end
        [yerevan, {**lavrov, "id": "inverted", "start": lavrov["end"], "end": lavrov["start"]}],  # 3: inverted
        [olga, {**lavrov, "id": "empty", "start": 5, "end": 5, "text": ""}],  # 4: empty
        [olga, {**lavrov, "id": "negative", "start": -3, "end": 4, "text": text[:4]}],  # 5: negative
        [olga, {**lavrov, "id": "shifted", "start": lavrov["start"] + 1, "end": lavrov["end"] + 1}],  # 6: text differs
        [olga, {**yerevan, "id": "weapon", "label": "WEAPON"}],  # 7: not in the schema
        [olga, {**lavrov, "id": "string", "start": str(lavrov["start"])}],  # 8: not a number
    ]
    path = tmp_path / "annotated.jsonl"
    # Each line a different article, so none is merged into another.
    path.write_bytes(b"".join(native_line(text + " " * i, entities) for i, entities in enumerate(variants)))

    report = import_paths(project, [path])

    messages = {p.line: p.message for p in report.errors}
    assert sorted(messages) == [2, 3, 4, 5, 6, 7, 8] and len(report.errors) == 7
    for line, span_id in [(2, "far"), (3, "inverted"), (4, "empty"), (5, "negative"), (6, "shifted"), (8, "string")]:
        assert messages[line].startswith("entit") and f" {span_id}: " in messages[line]
        assert messages[line].endswith("; left out")
    assert f"expected 0 <= start < end <= {n + 1} (the text's length), found {n - 2}-{n + 5}" in messages[2]
    assert f"found {lavrov['end']}-{lavrov['start']}" in messages[3]
    assert "found 5-5" in messages[4] and "found -3-4" in messages[5]
    shifted = f"{lavrov['start'] + 1}-{lavrov['end'] + 1}"
    assert f"its text 'Sergey Lavrov' is not the text at {shifted} ('ergey Lavrov ')" in messages[6]
    assert "label 'WEAPON' (entity) is not in the project's schema; 1 annotation(s) left out" in messages[7]
    assert f"found '{lavrov['start']}'-{lavrov['end']}" in messages[8]  # the string shown as a string
    assert report.added == len(variants) and report.spans == 3 + 7  # line 1 keeps all three, the others one each

    new = assert_intact(before, database_state(project))
    assert len(new) == len(variants)
    for summary in list_documents(project):
        stored = load_document(project, summary.id)
        if stored.document.text.rstrip(" ") != text:
            continue
        for span in stored.spans:
            assert stored.document.text[span.start : span.end] in {"Ольга Петренко", "Sergey Lavrov", "Yerevan"}


def test_entities_overlapping_where_the_schema_does_not_allow_it_are_reported(seeded, tmp_path):
    project, before = seeded
    assert not schema_of(project).nested_entities
    text = "The Foreign Ministry of Armenia said on Monday that talks go on."
    ministry = _entity(text, "Foreign Ministry of Armenia", "ORG")
    crossing = _entity(text, "Armenia said", "GPE")
    path = tmp_path / "overlap.jsonl"
    path.write_bytes(native_line(text, [ministry, crossing]))
    report = import_paths(project, [path])
    assert [(p.line, "overlap" in p.message) for p in report.errors] == [(1, True)]
    assert report.spans == 1
    assert_intact(before, database_state(project))


def blns_lines(corpus: Path) -> list[str]:
    return (corpus / "unicode" / "blns.txt").read_bytes().decode("utf-8").split("\n")


@pytest.mark.corpus
def test_every_naughty_string_imports_as_exactly_its_text_or_is_reported_by_line(project, corpus, tmp_path, qtbot):
    lines = [line for line in blns_lines(corpus) if line]
    path = tmp_path / "blns.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"text": line}) + b"\n" for line in lines))

    report = import_paths(project, [path])

    stored = {}
    for summary in list_documents(project):
        document = load_document(project, summary.id).document
        stored[int(document.source.rsplit(":", 1)[1])] = document.text
    problems = {p.line: p.message for p in report.problems}
    duplicates = {int(d.split(":", 2)[1]) for d in report.duplicates}
    first_of = {}
    for number, line in enumerate(lines, start=1):
        first_of.setdefault(line, number)
        if not line.strip():
            assert problems.pop(number) == "expected a non-empty string in 'text'", number
        elif first_of[line] != number:
            duplicates.remove(number)
        else:
            assert stored.pop(number) == line, number
    assert (stored, problems, duplicates) == ({}, {}, set())
    assert report.added > 600

    # And each is shown exactly: the view holds the same characters, a highlight over all of it selects it all.
    from PySide6.QtGui import QTextCursor

    from annotator.ui.article_view import ArticleView

    view = ArticleView()
    qtbot.addWidget(view)
    schema = schema_of(project)
    for summary in list_documents(project):
        document = load_document(project, summary.id).document
        whole = Span(0, len(document.text), "PERSON")
        view.show_document(document, [whole], schema)
        assert view.editor.document().toRawText() == qt_raw(document.text), document.source
        cursor = QTextCursor(view.editor.document())
        cursor.setPosition(0)
        cursor.setPosition(view.offsets.length_utf16, QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == qt_raw(document.text), document.source


def qt_raw(text: str) -> str:
    """What QTextDocument holds for a plain text: each line break is a paragraph separator."""
    return text.replace("\n", "\u2029")


HTML_ARTICLE = (
    "<b>Bold?</b> Sergey Lavrov <script>alert('Lavrov')</script> said <i>nothing</i> &amp; left.\n"
    '<a href="http://example.com">a link</a> <img src="x.png" onerror="alert(1)"> <h1>Header</h1>\n'
    "<table><tr><td>cell</td></tr></table> <!-- comment --> <style>body{color:red}</style> &lt;b&gt;\n"
)


def formatted_code_points(view) -> set[int]:
    """Code points the highlighter painted, read back from each block's layout."""
    painted = set()
    block = view.editor.document().begin()
    while block.isValid():
        for fmt in block.layout().formats():
            for position in range(block.position() + fmt.start, block.position() + fmt.start + fmt.length):
                painted.add(view.offsets.to_code_point(position))
        block = block.next()
    return painted


def assert_plain(view) -> None:
    """The document has only plain characters: no bold, italics, links, images, tables or headings."""
    document = view.editor.document()
    assert document.rootFrame().childFrames() == []  # a <table> would be a frame
    plain = view.editor.document().begin().charFormat()
    block = document.begin()
    while block.isValid():
        assert block.blockFormat().headingLevel() == 0
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            assert not fmt.isImageFormat() and not fmt.isAnchor() and fmt.anchorHref() == ""
            assert (fmt.fontWeight(), fmt.fontItalic(), fmt.fontUnderline()) == (
                plain.fontWeight(),
                plain.fontItalic(),
                plain.fontUnderline(),
            )
            it += 1
        block = block.next()


def test_html_and_script_tags_in_an_article_are_shown_literally(project, tmp_path, qtbot):
    from annotator.ui.article_view import ArticleView

    path = tmp_path / "<b>tags<\\b>.txt"
    path.write_text("date 2021-01-13 <script>alert(1)</script> <b>Title</b>\n\n" + HTML_ARTICLE, encoding="utf-8")
    jsonl_path = tmp_path / "tags.jsonl"
    jsonl_path.write_bytes(orjson.dumps({"text": "<i>Only</i> <b>tags</b> & <script>x</script>"}) + b"\n")
    report = import_paths(project, [path, jsonl_path])
    assert (report.added, report.problems) == (2, [])
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    schema = schema_of(project)
    for summary in list_documents(project):
        document = load_document(project, summary.id).document
        assert document.text in (HTML_ARTICLE, "<i>Only</i> <b>tags</b> & <script>x</script>")
        spans = []
        if "Sergey Lavrov" in document.text:
            start = document.text.index("Sergey Lavrov")
            spans = [Span(start, start + len("Sergey Lavrov"), "PERSON")]
        view.show_document(document, spans, schema)
        shown = view.editor.toPlainText()
        assert shown == document.text
        for tag in ("<b>", "<script>", "</script>", "<i>"):
            assert tag in shown
        assert view.editor.document().toRawText() == qt_raw(document.text)
        assert "&lt;script&gt;" in view.editor.document().toHtml()  # held as characters, escaped for HTML
        assert_plain(view)
        assert formatted_code_points(view) == {i for s in spans for i in range(s.start, s.end)}
        assert view.title.text() == document.title and view.title.textFormat().name == "PlainText"
        if document.text == HTML_ARTICLE:
            assert document.title == "<script>alert(1)</script> <b>Title</b>"  # shown literally too


BIDI = [
    "Lavrov said \u202eexe.txt\u202c today in Moscow.",  # RIGHT-TO-LEFT OVERRIDE ... POP
    "\u202bשלום Lavrov\u202c and \u2067عمان\u2069 met Moscow.",  # embeddings and isolates
    "\u200fLavrov\u200e \u202dMoscow\u202c \u061cمرحبا\u2066x\u2069",  # marks
]


@pytest.mark.corpus
def test_right_to_left_and_bidi_override_text_imports_exactly_and_spans_keep_their_offsets(
    project, corpus, tmp_path, qtbot
):
    from PySide6.QtGui import QTextCursor

    from annotator.ui.article_view import ArticleView

    hebrew = (corpus / "unicode" / "he_iahltwiki_dialysis.txt").read_text(encoding="utf-8")
    arabic = (corpus / "unicode" / "ar_pud_news_sentences.txt").read_text(encoding="utf-8")
    texts = [hebrew[:3000], arabic[:3000], *BIDI]
    words = {0: ["דיאליזה", "Dialysis"], 1: ["أوباما", "الكابيتول"]}
    lines, expected = [], []
    for k, text in enumerate(texts):
        entities = []
        for word in words.get(k, ["Lavrov", "Moscow"]):
            start = text.index(word)
            entities.append(
                {"id": f"{k}-{start}", "start": start, "end": start + len(word), "label": "PERSON", "text": word}
            )
        lines.append(native_line(text, entities))
        expected.append((text, sorted((e["start"], e["end"]) for e in entities)))
    path = tmp_path / "bidi.jsonl"
    path.write_bytes(b"".join(lines))

    report = import_paths(project, [path])
    assert (report.added, report.problems) == (len(texts), [])

    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    schema = schema_of(project)
    stored = []
    for summary in list_documents(project):
        found = load_document(project, summary.id)
        stored.append((found.document.text, sorted((s.start, s.end) for s in found.spans)))
        view.show_document(found.document, found.spans, schema)
        assert view.editor.toPlainText() == found.document.text
        assert view.editor.document().toRawText() == qt_raw(found.document.text)
        for span in found.spans:
            cursor = QTextCursor(view.editor.document())
            a, b = view.offsets.span_to_utf16(span.start, span.end)
            cursor.setPosition(a)
            cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
            assert cursor.selectedText() == found.document.text[span.start : span.end]
        assert formatted_code_points(view) == {i for s in found.spans for i in range(s.start, s.end)}
    assert sorted(stored) == sorted(expected)

    out = tmp_path / "out.jsonl"
    export(project, out)
    exported = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert sorted((r["text"], sorted((e["start"], e["end"]) for e in r["entities"])) for r in exported) == sorted(
        expected
    )
    for record in exported:
        for entity in record["entities"]:
            assert record["text"][entity["start"] : entity["end"]] == entity["text"]


def test_a_statement_outside_its_text_is_reported_and_the_entity_inside_kept(seeded, tmp_path):
    """A statement outside its text is reported like an entity, and an entity inside it still imports."""
    project, before = seeded
    text = "“Talks go on,” Lavrov said in Moscow."
    path = tmp_path / "statements.jsonl"
    bad_statement = {"id": "s1", "start": 0, "end": len(text) + 10, "label": "STATEMENT"}
    path.write_bytes(native_line(text, [_entity(text, "Lavrov", "PERSON")], [bad_statement]))
    report = import_paths(project, [path])
    assert [(p.line, p.message.split(":")[0]) for p in report.errors] == [(1, "statement s1")]
    new = assert_intact(before, database_state(project))
    assert new == [text]
    document = next(
        load_document(project, s.id)
        for s in list_documents(project)
        if load_document(project, s.id).document.text == text
    )
    assert [(s.layer, text[s.start : s.end]) for s in document.spans] == [(Layer.ENTITY, "Lavrov")]


def test_an_annotated_import_with_crlf_in_its_text_shows_each_span_on_its_words(project, tmp_path, qtbot):
    from PySide6.QtGui import QTextCursor

    from annotator.ui.article_view import ArticleView

    text = "First line.\r\nSergey Lavrov said.\r\n"
    path = tmp_path / "crlf-annotated.jsonl"
    path.write_bytes(native_line(text, [_entity(text, "Sergey Lavrov", "PERSON")]))
    report = import_paths(project, [path])
    assert report.added == 1
    stored = load_document(project, list_documents(project)[0].id)
    assert [stored.document.text[s.start : s.end] for s in stored.spans] == ["Sergey Lavrov"]
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_document(stored.document, stored.spans, schema_of(project))
    cursor = QTextCursor(view.editor.document())
    a, b = view.offsets.span_to_utf16(stored.spans[0].start, stored.spans[0].end)
    cursor.setPosition(a)
    cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "Sergey Lavrov"
