"""Figure 12: importing a folder of 1,000 saved web pages, against raw trafilatura in the same run.

The pages are the corpus's saved news pages (../shared/corpus/web, those with an article), each copied
with one number written into its longest paragraph so that every copy is a new article. The import runs
through the real service (the folder walked, each page's article extracted in one process per core,
stored in batches); the baseline extracts the same pages with bare ``trafilatura.extract`` in one
process and writes the texts with raw ``sqlite3.executemany``. Target: at least 50 pages a second on
two cores, and memory flat: the importing process's peak RSS grows no more for 1,000 pages than for 250
(plus 30 MB).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from html import unescape
from pathlib import Path

from common import CORPUS, DOCUMENT_INSERT, arguments, document_row, new_project_file, peak_rss_mb, report, rss_mb

WEB = CORPUS.parent / "web"
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def make_pages(folder: Path, count: int) -> list[Path]:
    pages = [p for p in sorted(WEB.glob("*.html")) if "martin" not in p.name]  # the one page with no article
    if folder.is_dir() and len(list(folder.glob("*.html"))) == count:
        return sorted(folder.glob("*.html"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from annotator.core.records import ImportOptions
    from annotator.formats import web

    sources = []
    for page in pages:
        html = page.read_text(encoding="utf-8", errors="replace")
        [article] = [d for d in web.read(page, ImportOptions()) if hasattr(d, "text")]
        flat = " ".join(article.text.split())
        # The longest paragraph the extraction keeps: a number written there makes a new article.
        kept = [m for m in _PARAGRAPH.finditer(html) if " ".join(unescape(_TAG.sub("", m.group(1))).split())[:60] in flat]
        for match in sorted(kept, key=lambda m: -len(m.group(1))):  # the first whose number the reader keeps
            trial = folder / "trial.html"
            trial.write_text(html[: match.end(1)] + " (copy 0)" + html[match.end(1) :], encoding="utf-8")
            if any("(copy 0)" in getattr(d, "text", "") for d in web.read(trial, ImportOptions())):
                sources.append((page, html, match.end(1)))
                break
        trial.unlink()
    for number in range(count):
        page, html, at = sources[number % len(sources)]
        copy = html[:at] + f" (copy {number})" + html[at:]
        (folder / f"{number:05d}-{page.name}").write_text(copy, encoding="utf-8")
    return sorted(folder.glob("*.html"))


def import_folder(folder: Path, target: Path) -> tuple[float, int, float]:
    from annotator.services import importing, projects

    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    new_project_file(target)
    project = projects.open_location(str(target), create=False)
    before = rss_mb()
    started = time.perf_counter()
    try:
        result = importing.import_paths(project, [folder])
    finally:
        project.close()
    return time.perf_counter() - started, result.added, peak_rss_mb() - before


def raw(pages: list[Path], target: Path) -> float:
    import trafilatura

    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    new_project_file(target)
    started = time.perf_counter()
    rows = []
    for number, page in enumerate(pages, 1):
        text = trafilatura.extract(page.read_text(encoding="utf-8"), favor_precision=True, include_comments=False,
                                   include_tables=False) or ""
        rows.append(document_row(number, text, page.stem, None, None))
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(DOCUMENT_INSERT.replace("INSERT", "INSERT OR IGNORE", 1), rows)  # bare settings may drop a copy's number
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    args = arguments()
    os.environ["ANNOTATOR_HOME"] = str(args.data / "home-web")
    count = 200 if args.quick else 1_000
    if not WEB.is_dir():
        report("12", f"Import {count:,} saved web pages", None, "≥ 50 pages/s", False, error=f"no {WEB}")
        return
    small_folder, folder = args.data / f"web-{count // 4}", args.data / f"web-{count}"
    small = make_pages(small_folder, count // 4)
    pages = make_pages(folder, count)
    target = args.data / "web.annotator.sqlite"
    baseline = raw(pages, args.data / "web-raw.annotator.sqlite")
    _, _, small_growth = import_folder(small_folder, target)
    seconds, added, growth = import_folder(folder, target)
    assert added == count, f"{added} of {count} pages imported"
    speed = count / seconds
    report(
        "12",
        f"Import a folder of {count:,} saved web pages ({os.cpu_count()} cores)",
        speed,
        "≥ 50 pages/s, memory flat",
        speed >= 50 and growth <= small_growth + 30,
        unit=" pages/s",
        baseline=count / baseline,
        baseline_name="bare trafilatura.extract in one process + raw sqlite3.executemany",
        ratio=baseline / seconds,
        ratio_kind="speed",
        seconds=seconds,
        peak_rss_growth_mb={len(small): small_growth, count: growth},
    )


if __name__ == "__main__":
    main()
