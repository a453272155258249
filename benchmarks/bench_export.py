"""Figure 5: exporting 100,000 documents with 2,000,000 spans to native JSONL, against raw orjson.

The baseline reads the same documents and spans with raw sqlite3 in the same batches, builds the
same native records (every field the export writes) and serialises them with orjson to a file.
Memory: each export runs in a fresh process, once on a 10,000-document project and once on the
100,000-document one; the growth of peak RSS over the RSS before the export must stay flat.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import orjson
from common import arguments, peak_rss_mb, report, rss_mb, shared_project

REPEATS = 3
SPAN_KEYS = ("entities", "statements", "claims")  # a native record's span layers (relations are not spans)


def raw_export(path: Path, target: Path) -> None:
    """What the native export writes, with nothing between sqlite3 and orjson."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    last = 0
    with target.open("wb") as out:
        while True:
            docs = conn.execute(
                "SELECT id, uid, text, title, date, source, meta, status FROM documents WHERE id > ? "
                "ORDER BY id LIMIT 500",
                (last,),
            ).fetchall()
            if not docs:
                break
            last = docs[-1][0]
            by_doc: dict[int, list] = {}
            for row in conn.execute(
                'SELECT document_id, uid, layer, start, "end", label, attributes, origin, state, annotator '
                'FROM spans WHERE document_id BETWEEN ? AND ? ORDER BY document_id, start, "end", id',
                (docs[0][0], last),
            ):
                by_doc.setdefault(row[0], []).append(row)
            for doc_id, uid, text, title, date, source, meta, status in docs:
                record = {
                    "id": uid,
                    "text": text,
                    "meta": {"title": title, "date": date, "source": source, **orjson.loads(meta)},
                    "entities": [],
                    "statements": [],
                    "claims": [],
                    "relations": [],
                    "status": status,
                    "statuses": {},
                    "format": "annotator/1",
                }
                for _d, suid, layer, start, end, label, attributes, origin, state, annotator in by_doc.get(doc_id, ()):
                    if state == "rejected":
                        continue
                    record[layer + "s" if layer != "entity" else "entities"].append(
                        {
                            "id": suid,
                            "start": start,
                            "end": end,
                            "label": label,
                            "text": text[start:end],
                            "origin": origin,
                            "state": state,
                            "annotator": annotator,
                            "attributes": orjson.loads(attributes),
                        }
                    )
                out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
    conn.close()


def written_counts(target: Path) -> dict:
    """The documents (lines) and spans (every layer's) the JSONL file at ``target`` holds."""
    documents = spans = 0
    with target.open("rb") as lines:
        for line in lines:
            record = orjson.loads(line)
            documents += 1
            spans += sum(len(record[key]) for key in SPAN_KEYS)
    return {"documents": documents, "spans": spans}


def held_counts(path: Path) -> dict:
    """The documents and the spans a person sees (all but rejected ones) the project holds: what the
    export is to write."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    spans = conn.execute("SELECT count(*) FROM spans WHERE state != 'rejected'").fetchone()[0]
    conn.close()
    return {"documents": documents, "spans": spans}


def child(kind: str, path: Path, target: Path) -> None:
    """One export in this (fresh) process: prints seconds, memory, what the export said it wrote and
    what the file holds (counted after the clock and the memory were read) as JSON."""
    from annotator.services import exporting, projects

    project = projects.open_location(str(path), create=False)
    before = rss_mb()
    start = time.perf_counter()
    if kind == "raw":
        raw_export(path, target)
        said = None
    else:
        result = exporting.export(project, target, "jsonl")
        said = {"documents": result.documents, "spans": result.spans}
    seconds = time.perf_counter() - start
    growth = peak_rss_mb() - before
    project.close()
    written = written_counts(target)
    target.unlink()
    print(json.dumps({"seconds": seconds, "growth_mb": growth, "said": said, "written": written}))


def run_child(kind: str, path: Path, target: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    args = arguments()
    os.environ["ANNOTATOR_HOME"] = str(args.data / "home-export")
    small, large = (1_000, 10_000) if args.quick else (10_000, 100_000)
    large_path = shared_project(args.data, large)
    small_path = shared_project(args.data, small)
    target = args.data / "export.jsonl"

    ours, raw = [], []
    for _ in range(REPEATS):  # interleaved, so a busy moment of the machine falls on both
        raw.append(run_child("raw", large_path, target))
        ours.append(run_child("ours", large_path, target))
    held = held_counts(large_path)

    def done(run: dict, expected: dict) -> bool:
        """The file holds every document and span the project holds (and ours said it wrote as much)."""
        return run["written"] == expected and run["said"] in (None, expected)

    exported = all(done(r, held) for r in ours + raw)
    measured = statistics.median(r["seconds"] for r in ours)
    baseline = statistics.median(r["seconds"] for r in raw)
    spans = json.loads(large_path.with_suffix(".built").read_text())["spans"]
    report(
        "5",
        f"Export {large:,} documents with {spans:,} spans to native JSONL",
        measured,
        "speed ≥ 0.5 × raw; the file holds every document and span",
        exported and baseline / measured >= 0.5,
        baseline=baseline,
        baseline_name="raw sqlite3 rows -> the same records -> orjson",
        ratio=baseline / measured,
        ratio_kind="speed",
        documents_per_second=large / measured,
        written=[r["written"] for r in ours],
        raw_written=[r["written"] for r in raw],
        in_project=held,
    )
    small_held = held_counts(small_path)
    smalls = [run_child("ours", small_path, target) for _ in range(2)]
    small_exported = all(done(r, small_held) for r in smalls)
    small_growth = statistics.median(r["growth_mb"] for r in smalls)
    large_growth = statistics.median(r["growth_mb"] for r in ours)
    flat = large_growth <= small_growth * 1.5 + 16
    report(
        "5",
        f"Export memory: peak RSS growth at {large:,} vs {small:,} documents",
        large_growth,
        f"flat (≤ 1.5 × the {small:,}-document growth + 16 MB); every document and span written",
        exported and small_exported and flat,
        unit="MB",
        baseline=small_growth,
        baseline_name=f"the same export of {small:,} documents",
        ratio=large_growth / small_growth if small_growth > 0 else None,
        ratio_kind="time",
        small_written=[r["written"] for r in smalls],
        small_in_project=small_held,
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
