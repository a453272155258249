"""Figure 4: importing into a new project, against raw sqlite3 in the same run.

Articles (no NLP): 10,000 articles from one JSON Lines file and from a folder of 10,000 .txt files
in the agency format. The baseline writes the same rows (documents and their full-text index
entries) with ``sqlite3.executemany`` in one transaction on a new project with WAL and
synchronous=FULL. Each import runs in turns with the baseline, five times; the ratio is the median
of the five runs' ratios.

Annotated: doccano's own benchmark file (../shared/bench/bulk5000.jsonl, 5,000 articles with
363,237 entity spans; doccano 1.8.4 took 43.2 s) through the real import service, the clock
running from opening the project to closing it. The baseline inserts the same document, full-text
and span rows, built before its clock starts, with ``sqlite3.executemany`` into the same tables in
one transaction (synchronous=NORMAL, as the import's batches commit). The two run in turns, five
times, and the ratio is the median of the five runs' ratios. The figure checks that the project then
holds as many documents and spans as the file."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import orjson
from common import (
    DOCUMENT_INSERT,
    CORPUS,
    SPAN_INSERT,
    STAMP,
    Windows,
    arguments,
    document_row,
    paired_times,
    new_project_file,
    report,
)

REPEATS = 5  # pairs of runs (the import and its baseline in turns)


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

    for name, source in (("one JSON Lines file", jsonl), ("a folder of .txt files", texts)):
        baseline, measured, ratio = paired_times(raw, imported(source), REPEATS, setup=fresh)
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

    bulk_import(args, target, fresh)


# --- the annotated import: doccano's own benchmark file -----------------------------------------------

# Beside the corpus (../shared/bench), or where ANNOTATOR_BENCH says.
BULK = Path(os.environ.get("ANNOTATOR_BENCH", CORPUS.parent.parent / "bench")) / "bulk5000.jsonl"
DOCCANO_SECONDS = 43.2  # doccano 1.8.4 importing the same file on this kind of machine


def bulk_rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    """The document and span rows the file holds, as the import writes them (made before the clock starts)."""
    docs, found = [], []
    for number, line in enumerate(path.read_bytes().splitlines(), 1):
        record = orjson.loads(line)
        docs.append(document_row(number, record["text"], "", None, "import:doccano"))
        found.extend(
            (f"s{number:023x}{j:08x}", number, start, end, label, "import:doccano", "accepted", None, STAMP, STAMP)
            for j, (start, end, label) in enumerate(record["label"])
        )
    return docs, found


def bulk_import(args, target: Path, fresh) -> None:
    from annotator.services import importing, projects

    if not BULK.exists():
        report("4", "Import doccano's bulk5000.jsonl (annotated)", None, "≤ 4.3 s", False, error=f"no {BULK}")
        return
    docs, found = bulk_rows(BULK)

    def raw() -> None:
        conn = sqlite3.connect(target, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # what the import's batches commit with
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(DOCUMENT_INSERT, docs)
        conn.executemany("INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)",
                         [(row[0], row[3], row[2]) for row in docs])
        conn.executemany(SPAN_INSERT, found)
        conn.execute("COMMIT")
        conn.close()

    written: list[tuple[int, int]] = []

    def imported() -> None:
        project = projects.open_location(str(target), create=False)
        try:
            result = importing.import_paths(project, [BULK])
        finally:
            project.close()
        assert result.ok, result.summary()
        conn = sqlite3.connect(target)
        written.append(tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                             for table in ("documents", "spans")))
        conn.close()

    repeats = 1 if args.quick else REPEATS
    baseline, measured, ratio = paired_times(raw, imported, repeats, setup=fresh)
    done = all(counts == (len(docs), len(found)) for counts in written)
    report(
        "4",
        f"Import doccano's bulk5000.jsonl: {len(docs):,} articles, {len(found):,} entity spans",
        measured,
        "≤ 4.3 s (≥ 10 × doccano's 43.2 s), speed ≥ 0.5 × raw",
        done and measured <= 4.3 and ratio >= 0.5,
        baseline=baseline,
        baseline_name="raw sqlite3.executemany of the same document, full-text and span rows",
        ratio=ratio,
        ratio_of="the median of the ratios of runs in turns",
        ratio_kind="speed",
        doccano_seconds=DOCCANO_SECONDS,
        times_doccano=DOCCANO_SECONDS / measured,
        written={"documents": written[-1][0], "spans": written[-1][1]} if written else None,
        in_file={"documents": len(docs), "spans": len(found)},
    )


if __name__ == "__main__":
    main()
