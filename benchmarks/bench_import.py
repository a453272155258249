"""Figure 4: importing 10,000 articles (no NLP) into a new project, against raw sqlite3.

The baseline writes the same rows (documents and their full-text index entries) with
``sqlite3.executemany`` in one transaction on a new project with the same pragmas (WAL,
synchronous=FULL). The import reads the articles from files, as a user's import does: one JSON Lines
file of 10,000 articles, and a folder of 10,000 .txt files in the agency format.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

import orjson
from common import DOCUMENT_INSERT, Windows, arguments, document_row, median_time, new_project_file, report

REPEATS = 3


def main() -> None:
    args = arguments()
    os.environ["ANNOTATOR_HOME"] = str(args.data / "home-import")
    count = 1_000 if args.quick else 10_000
    folder = args.data / "import"
    folder.mkdir(parents=True, exist_ok=True)
    windows = Windows()
    articles = [windows.document(200_000 + i, 0)[:3] for i in range(count)]  # other windows than the projects'

    jsonl = folder / "articles.jsonl"
    texts = folder / "articles"
    if not jsonl.exists():
        with jsonl.open("wb") as out:
            for text, title, date in articles:
                out.write(orjson.dumps({"text": text, "meta": {"title": title, "date": date}}) + b"\n")
    if not texts.exists():
        partial = folder / "articles.part"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        for i, (text, title, date) in enumerate(articles):
            (partial / f"article-{i:05d}.txt").write_text(f"date {date} {title}\n\n{text}", encoding="utf-8")
        partial.rename(texts)

    from annotator.services import importing, projects

    target = folder / "imported.annotator.sqlite"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        new_project_file(target)

    rows = [document_row(i + 1, text, title, date or None, None) for i, (text, title, date) in enumerate(articles)]
    fts = [(i + 1, title, text) for i, (text, title, _date) in enumerate(articles)]

    def raw() -> None:
        conn = sqlite3.connect(target, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(DOCUMENT_INSERT, rows)
        conn.executemany("INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)", fts)
        conn.execute("COMMIT")
        conn.close()

    def imported(source):
        def run() -> None:
            project = projects.open_location(str(target), create=False)
            try:
                result = importing.import_paths(project, [source])
            finally:
                project.close()
            assert result.added == count, result.summary()

        return run

    baseline = median_time(raw, REPEATS, setup=fresh)
    for name, source in (("one JSON Lines file", jsonl), ("a folder of .txt files", texts)):
        measured = median_time(imported(source), REPEATS, setup=fresh)
        ratio = baseline / measured
        report(
            "4",
            f"Import {count:,} articles (no NLP) from {name}",
            measured,
            "speed ≥ 0.5 × raw",
            ratio >= 0.5,
            baseline=baseline,
            baseline_name="raw sqlite3.executemany of the same document and full-text rows",
            ratio=ratio,
            ratio_kind="speed",
            articles_per_second=count / measured,
        )


if __name__ == "__main__":
    main()
