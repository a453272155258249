"""What every benchmark shares: the corpus, generated data, raw project building, timing and results.

Each figure runs in its own process (``python benchmarks/<figure>.py --data DIR``) so that memory and
start-up figures are not disturbed by another figure's leftovers; it prints one JSON line per result.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import re
import resource
import sqlite3
import statistics
import sys
import time
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CORPUS = Path(os.environ.get("ANNOTATOR_CORPUS", REPO.parent / "shared" / "corpus")) / "news"
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "DATE", "NORP", "LOC", "CARDINAL", "EVENT")
MODEL_ORIGIN = "en_core_web_sm@3.8.0"
STAMP = "2026-11-01 12:00:00.000000"  # how SQLAlchemy stores a DateTime in SQLite
_HEADER = re.compile(r"date[ \t]+(\d{4}-\d{1,2}-\d{1,2})[ \t]*([^\n]*)\n\s*")
_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*")
_WORD = re.compile(r"\b[a-z]{5,}\b")


# --- timing and results -------------------------------------------------------------------------------


def median_time(function: Callable[[], object], repeats: int = 5, setup: Callable[[], object] | None = None) -> float:
    """Median wall time of ``function`` over ``repeats`` runs (other work shares this machine)."""
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_times(
    baseline: Callable[[], object], measured: Callable[[], object], repeats: int, setup: Callable[[], object]
) -> tuple[float, float, float]:
    """(median baseline time, median measured time, median of their ratios) over ``repeats`` pairs run
    one right after the other. This machine's speed drifts by a third within minutes (another guest on
    the host); a ratio of two runs seconds apart drifts far less than one of two medians taken apart."""
    pairs = []
    for _ in range(repeats):
        pair = []
        for function in (baseline, measured):
            setup()
            gc.collect()
            start = time.perf_counter()
            function()
            pair.append(time.perf_counter() - start)
        pairs.append(pair)
    return (
        statistics.median(b for b, _ in pairs),
        statistics.median(m for _, m in pairs),
        statistics.median(b / m for b, m in pairs),
    )


def rss_mb() -> float:
    """Resident memory now, from /proc (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(
    figure: str,
    name: str,
    measured: float,
    target: str,
    passed: bool,
    unit: str = "s",
    baseline: float | None = None,
    baseline_name: str = "",
    ratio: float | None = None,
    **extra,
) -> dict:
    """One row of the table: printed as a JSON line for benchmarks/run.py to collect."""
    row = {
        "figure": figure,
        "name": name,
        "measured": measured,
        "unit": unit,
        "target": target,
        "baseline": baseline,
        "baseline_name": baseline_name,
        "ratio": ratio,
        "pass": bool(passed),
        **extra,
    }
    print("RESULT " + json.dumps(row), flush=True)
    return row


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, type=Path, help="folder for generated data (shared by figures)")
    parser.add_argument("--quick", action="store_true", help="smaller data, for trying the scripts out")
    return parser.parse_args()


# --- the corpus ---------------------------------------------------------------------------------------


def corpus_articles() -> list[tuple[str, str | None, str]]:
    """(title, date, body) of every news article in the shared corpus, in name order."""
    found = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        header = _HEADER.match(text)
        if header:
            found.append((header.group(2).strip() or path.stem, header.group(1), text[header.end() :]))
        else:
            found.append((path.stem, None, text))
    if not found:
        raise SystemExit(f"no corpus at {CORPUS} (set ANNOTATOR_CORPUS)")
    return found


def huge_text(words: int = 200_000) -> str:
    """The corpus bodies one after another (again from the start if need be) up to ``words`` words."""
    parts, count = [], 0
    articles = corpus_articles()
    while count < words:
        for _title, _date, body in articles:
            body_words = body.split()
            if count + len(body_words) >= words:
                parts.append(" ".join(body_words[: words - count]))
                count = words
                break
            parts.append(body.strip())
            count += len(body_words)
    return "\n\n".join(parts)


def entity_ranges(text: str, count: int) -> list[tuple[int, int, str]]:
    """``count`` non-overlapping entity-like ranges spread over the text: capitalised names first,
    longer lower-case words where there are not enough names."""
    names = [(m.start(), m.end()) for m in _NAME.finditer(text)]
    if len(names) < count:
        taken = {start for start, _ in names}
        names += [(m.start(), m.end()) for m in _WORD.finditer(text) if m.start() not in taken]
        names = _non_overlapping(sorted(names))
    step = max(len(names) / count, 1.0)
    chosen = [names[int(i * step)] for i in range(min(count, len(names)))]
    return [(start, end, ENTITY_LABELS[i % len(ENTITY_LABELS)]) for i, (start, end) in enumerate(chosen)]


def _non_overlapping(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept, last_end = [], -1
    for start, end in ranges:
        if start >= last_end:
            kept.append((start, end))
            last_end = end
    return kept


class Windows:
    """Many distinct article-sized texts cut from the corpus: windows of ~``size`` characters starting
    at word boundaries, each a real stretch of news text. Names in them are found once, up front."""

    def __init__(self, size: int = 1_500) -> None:
        self.size = size
        self.articles = corpus_articles()
        self.text = "\n\n".join(body.strip() for _t, _d, body in self.articles)
        self.starts = [m.start() for m in re.finditer(r"(?<=\s)\S", self.text)]
        names = [(m.start(), m.end()) for m in _NAME.finditer(self.text)]
        self.name_starts = [s for s, _ in names]
        self.name_ends = [e for _, e in names]
        self.word_spans = [(m.start(), m.end()) for m in _WORD.finditer(self.text)]
        self.word_starts = [s for s, _ in self.word_spans]
        bounds, at = [], 0
        for title, date, body in self.articles:
            bounds.append((at, title, date))
            at += len(body.strip()) + 2
        self.bounds = bounds
        self.bound_starts = [b[0] for b in bounds]

    def document(self, number: int, spans: int = 20) -> tuple[str, str, str | None, list[tuple[int, int, str]]]:
        """(text, title, date, entity ranges) of the ``number``-th window; distinct for distinct numbers
        (below ~``len(starts)`` x 3)."""
        first = self.starts[(number * 7919) % (len(self.starts) - 2000)]
        lap = number // (len(self.starts) - 2000)
        size = self.size + (number % 97) + lap * 131
        end = self.text.rfind(" ", first, first + size)
        end = end if end > first else first + size
        text = self.text[first:end]
        i = bisect_left(self.bound_starts, first + 1) - 1
        _at, title, date = self.bounds[max(i, 0)]
        if not spans:
            return text, f"{title} ({number + 1})", date, []
        found = []
        lo = bisect_left(self.name_starts, first)
        hi = bisect_left(self.name_starts, end)
        for k in range(lo, hi):
            if self.name_ends[k] <= end:
                found.append((self.name_starts[k] - first, self.name_ends[k] - first))
        if len(found) < spans:
            lo = bisect_left(self.word_starts, first)
            hi = bisect_left(self.word_starts, end)
            taken = {s for s, _ in found}
            extra = [(s - first, e - first) for s, e in self.word_spans[lo:hi] if e <= end and (s - first) not in taken]
            found = _non_overlapping(sorted(found + extra))
        step = max(len(found) / spans, 1.0)
        chosen = [found[int(i * step)] for i in range(min(spans, len(found)))]
        labelled = [(s, e, ENTITY_LABELS[(number + j) % len(ENTITY_LABELS)]) for j, (s, e) in enumerate(chosen)]
        return text, f"{title} ({number + 1})", date, labelled


# --- projects built with raw sqlite3 ------------------------------------------------------------------


def new_project_file(path: Path) -> None:
    """An empty, migrated project with the default schema, made by the application itself."""
    from annotator.services import projects

    if path.exists():
        path.unlink()
    project = projects.open_location(str(path))
    project.close()


def document_row(number: int, text: str, title: str, date: str | None, suggested: str | None) -> tuple:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return (number, f"d{number:031x}", text, title, date, "bench", "{}", digest, "new", suggested, STAMP, STAMP)


DOCUMENT_INSERT = (
    "INSERT INTO documents (id, uid, text, title, date, source, meta, content_hash, status, suggested_by, "
    "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SPAN_INSERT = (
    'INSERT INTO spans (uid, document_id, layer, start, "end", label, attributes, origin, state, annotator, '
    "created, updated) VALUES (?, ?, 'entity', ?, ?, ?, '{}', ?, ?, ?, ?, ?)"
)


def span_rows(document_id: int, ranges: list[tuple[int, int, str]]) -> list[tuple]:
    rows = []
    for j, (start, end, label) in enumerate(ranges):
        accepted = j % 3 == 0  # a third reviewed by a person, the rest the model's suggestions
        rows.append(
            (
                f"s{document_id:023x}{j:08x}",
                document_id,
                start,
                end,
                label,
                MODEL_ORIGIN,
                "accepted" if accepted else "suggested",
                "analyst" if accepted else None,
                STAMP,
                STAMP,
            )
        )
    return rows


def build_project(path: Path, documents: int, spans_per_document: int = 20, windows: Windows | None = None) -> dict:
    """A project of ``documents`` corpus windows with ``spans_per_document`` entity spans each, written
    with raw sqlite3 in large transactions, its full-text index rebuilt once at the end. Already
    suggested (no pre-annotation pending). Returns facts about what was built."""
    windows = windows or Windows()
    new_project_file(path)
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    total_spans = 0
    batch_docs, batch_spans = [], []
    for number in range(1, documents + 1):
        text, title, date, ranges = windows.document(number - 1, spans_per_document)
        batch_docs.append(document_row(number, text, title, date, MODEL_ORIGIN))
        batch_spans.extend(span_rows(number, ranges))
        if len(batch_docs) >= 5_000:
            conn.executemany(DOCUMENT_INSERT, batch_docs)
            conn.executemany(SPAN_INSERT, batch_spans)
            total_spans += len(batch_spans)
            batch_docs, batch_spans = [], []
    conn.executemany(DOCUMENT_INSERT, batch_docs)
    conn.executemany(SPAN_INSERT, batch_spans)
    total_spans += len(batch_spans)
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"documents": documents, "spans": total_spans, "seconds": time.perf_counter() - started}


def shared_project(data: Path, documents: int) -> Path:
    """The project of ``documents`` documents for figures 5 and 6, built once per run."""
    path = data / f"project-{documents}.annotator.sqlite"
    done = path.with_suffix(".built")
    if not done.exists():
        facts = build_project(path, documents)
        done.write_text(json.dumps(facts))
        print(
            f"  built {path.name}: {facts['documents']:,} documents, {facts['spans']:,} spans "
            f"in {facts['seconds']:.1f} s",
            file=sys.stderr,
        )
    return path


def huge_project(data: Path) -> tuple[Path, int]:
    """A project holding the huge article (200,000 words, 20,000 entity spans); returns (path, id)."""
    path = data / "huge.annotator.sqlite"
    done = path.with_suffix(".built")
    if not done.exists():
        text = huge_text()
        ranges = entity_ranges(text, 20_000)
        new_project_file(path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN")
        conn.execute(DOCUMENT_INSERT, document_row(1, text, "The huge article", "2026-11-01", MODEL_ORIGIN))
        conn.executemany(SPAN_INSERT, span_rows(1, ranges))
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
        conn.execute("COMMIT")
        conn.close()
        done.write_text(json.dumps({"words": len(text.split()), "characters": len(text), "spans": len(ranges)}))
    return path, 1
