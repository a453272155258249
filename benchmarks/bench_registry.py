"""Figure 13: the registry and the dashboard on the 100,000-document project, against raw sqlite3.

A copy of the shared 100,000-document project (2 million entity spans) is given what a team's project
has after a few months: an entry for each of the 5,000 most frequent names among its PERSON, ORG and
GPE spans, every span with that text linked to it (confirmed), a statement in each of 20,000 documents
spoken by one of those mentions, with a claim inside it, and statuses by two annotators. Then:

- the entry list with its counts (``services.registry.entries``), target ≤ 200 ms;
- one speaker's statements with their claims (``services.registry.appearances``, the most quoted
  speaker), target ≤ 100 ms;
- the dashboard's figures (``services.dashboard.dashboard_figures``), target ≤ 1 s;
- link suggestions over the whole project (``services.registry.suggest_links``), which run on a worker
  thread: their time is reported, with no target.

Each is the median of five runs and is set against a raw sqlite3 query returning the same rows' core
(the grouped counts; the statements joined to their speaker links) in the same run.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import time
from collections import Counter
from pathlib import Path

from common import STAMP, arguments, report, shared_project

ENTRIES = 5_000
STATEMENTS = 20_000


def enrich(path: Path) -> dict:
    from annotator.services import projects

    projects.open_location(str(path), create=False).close()  # migrated to the current schema
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    rows = conn.execute(
        "SELECT s.id, s.document_id, s.label, substr(d.text, s.start + 1, s.\"end\" - s.start) "
        "FROM spans s JOIN documents d ON d.id = s.document_id WHERE s.layer = 'entity' AND s.label IN ('PERSON', 'ORG', 'GPE')"
    ).fetchall()
    names = Counter(text for _id, _doc, _label, text in rows)
    chosen = [name for name, _ in names.most_common(ENTRIES)]
    kind_of = {}
    for _id, _doc, label, text in rows:
        kind_of.setdefault(text, label)
    entry_ids = {}
    for number, name in enumerate(chosen, 1):
        conn.execute("INSERT INTO registry_entries (id, uid, name, kind, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                     (number, f"e{number:031x}", name, kind_of[name], STAMP, STAMP))
        conn.execute("INSERT INTO registry_aliases (entry_id, alias, key) VALUES (?, ?, ?)",
                     (number, name.upper(), name.casefold()))
        entry_ids[name] = number
    links = [(span_id, entry_ids[text], "analyst", STAMP) for span_id, _doc, _label, text in rows if text in entry_ids]
    conn.executemany("INSERT INTO registry_links (span_id, entry_id, annotator, created) VALUES (?, ?, ?, ?)", links)
    # Statements spoken by a linked mention, each with a claim inside it; the most quoted speaker
    # (the most frequent name) speaks in one in five.
    speakers = {}
    top = entry_ids[chosen[0]]
    for span_id, doc, _label, text in rows:
        if text in entry_ids and doc not in speakers and (entry_ids[text] == top or doc % 5):
            speakers[doc] = span_id
    documents = sorted(speakers)[:STATEMENTS]
    worth = ("check-worthy factual", "unimportant factual", "non-factual")
    statement_rows, claim_rows = [], []
    for doc in documents:
        statement_rows.append((f"st{doc:030x}", doc, "statement", 0, 60, "STATEMENT",
                               json.dumps({"kind": "direct", "cue": [61, 65]}), "analyst", "accepted", "analyst",
                               STAMP, STAMP))
        claim_rows.append((f"cl{doc:030x}", doc, "claim", 5, 40, "CLAIM",
                           json.dumps({"checkworthiness": worth[doc % 3], "claim_type": "numerical"}), "analyst",
                           "accepted", "analyst", STAMP, STAMP))
    insert = ('INSERT INTO spans (uid, document_id, layer, start, "end", label, attributes, origin, state, annotator, '
              "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    conn.executemany(insert, statement_rows)
    conn.executemany(insert, claim_rows)
    ids = dict(conn.execute("SELECT uid, id FROM spans WHERE layer IN ('statement', 'claim')"))
    relations = []
    for doc in documents:
        statement = ids[f"st{doc:030x}"]
        relations.append((f"rs{doc:030x}", doc, statement, speakers[doc], "speaker", "{}"))
        relations.append((f"rc{doc:030x}", doc, ids[f"cl{doc:030x}"], statement, "statement", "{}"))
    conn.executemany("INSERT INTO relations (uid, document_id, head_span_id, tail_span_id, label, attributes) "
                     "VALUES (?, ?, ?, ?, ?, ?)", relations)
    statuses = [(doc, who, "done" if doc % 3 else "in_progress", f"2026-11-{1 + doc % 28:02d} 12:00:00.000000")
                for doc in range(1, 100_001) for who in ("ana", "ben") if (doc % 2 == 0) == (who == "ana") or doc % 10 == 0]
    conn.executemany("INSERT OR REPLACE INTO document_statuses (document_id, annotator, status, updated) VALUES (?, ?, ?, ?)",
                     statuses)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return {"entries": len(chosen), "links": len(links), "statements": len(documents), "top": top}


def median(function, repeats: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    args = arguments()
    os.environ["ANNOTATOR_HOME"] = str(args.data / "home-registry")
    size = 10_000 if args.quick else 100_000
    source = shared_project(args.data, size)
    path = args.data / f"registry-{size}.annotator.sqlite"
    facts_file = path.with_suffix(".built")
    if not facts_file.exists():
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, path)
        facts_file.write_text(json.dumps(enrich(path)))
    facts = json.loads(facts_file.read_text())

    from annotator.services import dashboard, projects, registry

    project = projects.open_location(str(path), create=False)
    raw = sqlite3.connect(path)
    try:
        measured, listed = median(lambda: registry.entries(project))
        baseline, _ = median(lambda: raw.execute(
            "SELECT entry_id, count(*) FROM registry_links GROUP BY entry_id").fetchall())
        assert len(listed) == facts["entries"]
        report("13", f"Registry: the entry list with counts ({facts['entries']:,} entries, {facts['links']:,} links)",
               measured, "≤ 0.2 s", measured <= 0.2, baseline=baseline,
               baseline_name="raw sqlite3: links counted per entry", ratio=measured / baseline)

        top = facts["top"]
        measured, rows = median(lambda: registry.appearances(project, top, kinds=("statement",)))
        baseline, raw_rows = median(lambda: raw.execute(
            "SELECT s.id, s.document_id, s.start, s.\"end\", s.attributes FROM registry_links l "
            "JOIN relations r ON r.tail_span_id = l.span_id AND r.label = 'speaker' "
            "JOIN spans s ON s.id = r.head_span_id WHERE l.entry_id = ?", (top,)).fetchall())
        assert len(rows) == len(raw_rows) and all(row.claims for row in rows)
        report("13", f"Registry: one speaker's {len(rows):,} statements with their claims", measured, "≤ 0.1 s",
               measured <= 0.1, baseline=baseline, baseline_name="raw sqlite3: the statements joined to the speaker's links",
               ratio=measured / baseline)

        measured, figures = median(lambda: dashboard.dashboard_figures(project), repeats=3)
        baseline, _ = median(lambda: raw.execute(
            "SELECT layer, label, count(*) FROM spans GROUP BY layer, label").fetchall(), repeats=3)
        report("13", "Dashboard: all figures", measured, "≤ 1 s", measured <= 1.0, baseline=baseline,
               baseline_name="raw sqlite3: spans counted by layer and label", ratio=measured / baseline)

        started = time.perf_counter()
        suggestions = registry.suggest_links(project)
        seconds = time.perf_counter() - started
        report("13", f"Registry: link suggestions over the whole project ({len(suggestions):,}; on a worker thread)",
               seconds, "background", True)
    finally:
        raw.close()
        project.close()


if __name__ == "__main__":
    main()
