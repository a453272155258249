"""Figure 11: a team on one PostgreSQL database. N processes are N annotators; for ``--seconds`` each adds,
edits and deletes entities, makes statements with their speaker (the statement and its link in one action),
sets statuses, and edits spans every annotator shares (deliberate conflicts), all through the services the
window's session saves an Edit with (services.annotating.open_annotations / save).

Every action is written to its client's journal once the save returned (acknowledged), with what it was
meant to change. Afterwards the database is checked against the journals:
- every acknowledged add and statement is stored exactly once, every acknowledged delete is gone, and
  nothing is stored that no client asked for;
- no span is doubled (two entities, or two statements, over the same words);
- every statement has its speaker link (they were saved together: never one without the other);
- the shared spans' edits form one chain per span: each acknowledged edit started from the state the one
  before it left, so none was overwritten unseen (a stale edit must be refused: "changed elsewhere");
- each annotator's last acknowledged status is the stored one.

The baseline, measured in the same run: the same number of raw psycopg single-row INSERT+COMMIT
transactions by the same number of processes on the same server. ``tests/reliability/test_team_load.py``
runs the same with 4 clients for ~10 s, one of them killed with SIGKILL inside a transaction.

    python benchmarks/bench_team.py --url postgresql+psycopg://postgres@127.0.0.1:54329/postgres --seconds 60
(or ANNOTATOR_BENCH_POSTGRES_URL / ANNOTATOR_TEST_POSTGRES_URL: a server it may create a database on).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import statistics
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DOCUMENTS = 6
WORDS = 240  # words per article: word i belongs to client i % (clients + 1); the last lane is shared
SHARED_PER_DOCUMENT = 4
LABELS = ("PERSON", "ORG", "GPE", "DATE")
STATUSES = ("in_progress", "done", "skipped")
ARMED = "armed"  # the victim's marker file: it is inside a transaction, its rows written, not committed


def article(number: int) -> str:
    return " ".join(f"w{number}x{i}" for i in range(WORDS))


def word_at(text: str, index: int) -> tuple[int, int]:
    start = len(" ".join(text.split(" ")[:index])) + (1 if index else 0)
    return start, start + len(text.split(" ")[index])


# --- the database ------------------------------------------------------------------------------------


def create_database(server_url: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"annotator_team_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def prepare(url: str, clients: int) -> dict[str, str]:
    """The project: DOCUMENTS articles, each with SHARED_PER_DOCUMENT accepted entities in the shared lane.
    Returns the shared spans' uids (their notes start empty)."""
    from annotator.core.model import Document, Span, State
    from annotator.services import projects
    from annotator.store.documents import add_documents
    from annotator.store.spans import add_spans

    project = projects.open_location(url)
    try:
        added = add_documents(project, [Document(article(n), title=f"Article {n}") for n in range(DOCUMENTS)]).added
        shared: dict[str, str] = {}
        lane = [i for i in range(WORDS) if i % (clients + 1) == clients]
        for doc in added:
            spans = [
                Span(*word_at(doc.text, index), "ORG", origin="setup", state=State.ACCEPTED, annotator="setup")
                for index in lane[:SHARED_PER_DOCUMENT]
            ]
            add_spans(project, doc.id, spans)
            shared.update({span.uid: "" for span in spans})
    finally:
        project.close()
    return shared


# --- one annotator -----------------------------------------------------------------------------------


def client(url: str, index: int, clients: int, start_at: float, seconds: float, journal: str, victim: bool) -> None:
    """One annotator's process: random actions until the time is up, each acknowledged in the journal."""
    from sqlalchemy import event

    from annotator.core.errors import AnnotatorError
    from annotator.core.model import Layer, Relation, Status
    from annotator.core.vocabulary import SPEAKER
    from annotator.services import annotating, projects
    from annotator.store.edits import ChangedElsewhere
    from annotator.store.project import open_project

    rng = random.Random(index * 7919 + int(start_at))
    name = f"annotator{index}"
    project = open_project(url, create=False)
    schema = projects.schema_of(project)
    documents = sorted(_document_ids(project))
    armed = {"now": False}

    def hold_commit(_conn) -> None:
        # The victim, once armed: its statement and link are written, the COMMIT not yet sent. Say so, wait.
        if armed["now"]:
            Path(journal + "." + ARMED).write_text("in transaction")
            time.sleep(60)

    if victim:
        event.listen(project.engine, "commit", hold_commit)
    out = open(journal, "a", encoding="utf-8")

    def log(entry: dict) -> None:
        out.write(json.dumps(entry) + "\n")
        out.flush()

    while time.time() < start_at:
        time.sleep(0.005)
    deadline = start_at + seconds
    sequence = 0
    while time.time() < deadline:
        sequence += 1
        doc = rng.choice(documents)
        notes = annotating.open_annotations(project, doc, name, schema)
        text = notes.document.text
        # What this annotator made (a shared span it edited names it as annotator too, but stays shared).
        mine = [s for s in notes.spans.values() if s.origin == name]
        speakers = {r.tail for r in notes.relations.values()}
        entities = [s for s in mine if s.layer == Layer.ENTITY]
        roll = rng.random()
        entry: dict = {"client": index, "seq": sequence, "doc": doc}
        try:
            if roll < 0.25:
                shared = [s for s in notes.spans.values() if s.origin == "setup"]
                if not shared:
                    continue
                span = rng.choice(shared)
                token = f"c{index}-{sequence}"
                time.sleep(rng.random() * 0.01)  # the analyst looks before changing it: others may act meanwhile
                if rng.random() < 0.05:
                    edit = notes.reject(span.uid)
                    entry.update(kind="shared_delete", uid=span.uid, before=span.attributes.get("note", ""))
                else:
                    edit = notes.set_attributes(span.uid, note=token)
                    entry.update(kind="shared_edit", uid=span.uid, before=span.attributes.get("note", ""), after=token)
            elif roll < 0.50:
                taken = {(s.start, s.end) for s in notes.spans.values() if s.layer == Layer.ENTITY}
                free = [i for i in range(index, WORDS, clients + 1) if word_at(text, i) not in taken]
                if not free:
                    continue
                start, end = word_at(text, rng.choice(free))
                edit = notes.tag(Layer.ENTITY, rng.choice(LABELS), start, end)
                entry.update(kind="add", uid=edit.after[0].uid, start=start, end=end)
            elif roll < 0.62:
                if not entities:
                    continue
                span = rng.choice(entities)
                token = f"c{index}-{sequence}"
                edit = notes.set_attributes(span.uid, note=token)
                entry.update(kind="edit", uid=span.uid, before=span.attributes.get("note", ""), after=token)
            elif roll < 0.72:
                deletable = [s for s in mine if s.uid not in speakers]
                if not deletable:
                    continue
                span = rng.choice(deletable)
                edit = notes.reject(span.uid)
                gone = [r.uid for r in notes.relations_of(span.uid)]
                entry.update(kind="delete", uid=span.uid, relations=gone)
            elif roll < 0.88:
                if not entities:
                    continue
                first = rng.randrange(index, WORDS - 4, clients + 1)
                start, end = word_at(text, first)[0], word_at(text, first + 3)[1]
                tagged = notes.tag(Layer.STATEMENT, "STATEMENT", start, end)
                if tagged is None:
                    continue
                statement = tagged.after[0]
                speaker = rng.choice(entities)
                relation = Relation(statement.uid, speaker.uid, SPEAKER, document_id=doc)
                # The statement and its speaker in one action, as accepting a suggested statement saves them.
                edit = tagged.__class__(
                    doc, (), (statement,), (), (relation,), annotator=name, description="Statement with speaker"
                )
                entry.update(kind="link", uid=statement.uid, relation=relation.uid, speaker=speaker.uid)
                if victim and time.time() > start_at + seconds / 3:
                    armed["now"] = True
            else:
                status = rng.choice(STATUSES)
                edit = notes.set_status(Status(status))
                if edit is None:
                    continue
                entry.update(kind="status", status=status)
        except AnnotatorError:
            continue
        if edit is None:
            continue
        log({**entry, "intent": True})
        began = time.perf_counter()
        try:
            annotating.save(project, edit)
        except ChangedElsewhere:
            log({**entry, "refused": True, "ms": (time.perf_counter() - began) * 1000})
            continue
        log({**entry, "ms": (time.perf_counter() - began) * 1000})
    out.close()
    project.close()


def _document_ids(project) -> list[int]:
    from annotator.store.documents import document_ids

    return list(document_ids(project))


# --- running the team, and the raw baseline ------------------------------------------------------------


def run_team(url: str, clients: int, seconds: float, folder: Path, kill_one: bool = False) -> dict:
    """Run the clients; with ``kill_one`` the last is killed with SIGKILL inside a transaction. Returns the
    journals' entries, the wall time and which client was killed."""
    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 2.0 + 0.6 * clients  # time for every process to import and connect
    journals = [str(folder / f"client{i}.jsonl") for i in range(clients)]
    processes = [
        context.Process(
            target=client,
            args=(url, i, clients, start_at, seconds, journals[i], kill_one and i == clients - 1),
            daemon=True,
        )
        for i in range(clients)
    ]
    for process in processes:
        process.start()
    killed = None
    if kill_one:
        marker = Path(journals[-1] + "." + ARMED)
        while not marker.exists() and time.time() < start_at + seconds:
            time.sleep(0.01)
        if marker.exists():
            os.kill(processes[-1].pid, signal.SIGKILL)
            killed = clients - 1
    for process in processes:
        process.join(timeout=seconds + 120)
    entries = []
    for path in journals:
        if Path(path).exists():
            entries += [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    return {
        "entries": entries,
        "wall": seconds,  # every client acts from start_at until start_at + seconds
        "killed": killed,
        "exit_codes": [p.exitcode for p in processes],
    }


def _raw_client(url: str, count: int, start_at: float, results) -> None:
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        while time.time() < start_at:
            time.sleep(0.005)
        began_all = time.perf_counter()
        times = []
        for n in range(count):
            began = time.perf_counter()
            conn.execute(
                "INSERT INTO team_baseline (client, n, payload) VALUES (%s, %s, %s)", (os.getpid(), n, f"raw {n}")
            )
            conn.commit()
            times.append((time.perf_counter() - began) * 1000)
        results.put((time.perf_counter() - began_all, times))


def raw_baseline(url: str, clients: int, total: int) -> dict:
    """``total`` single-row INSERT+COMMIT transactions split over ``clients`` processes: transactions/s
    (all done over the slowest process's time) and the 99th-percentile latency of one."""
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE team_baseline (id bigserial PRIMARY KEY, client int, n int, payload text)")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 1.0 + 0.3 * clients
    each = max(1, total // clients)
    processes = [context.Process(target=_raw_client, args=(url, each, start_at, results)) for _ in range(clients)]
    for process in processes:
        process.start()
    done = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    wall = max(seconds for seconds, _ in done)
    times = sorted(t for _, ts in done for t in ts)
    return {"per_second": each * clients / wall, "p99_ms": percentile(times, 99), "count": each * clients}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- the checks --------------------------------------------------------------------------------------


def check(url: str, shared: dict[str, str], run: dict) -> dict:
    """Compare the database with the journals. Returns counts and a list of problems (empty: all well)."""
    from sqlalchemy import create_engine, text

    from annotator.core.vocabulary import SPEAKER

    entries = run["entries"]
    killed = run["killed"]
    acked = [e for e in entries if not e.get("intent") and not e.get("refused")]
    refused = [e for e in entries if e.get("refused")]
    intents = {(e["client"], e["seq"]): e for e in entries if e.get("intent")}
    answered = {(e["client"], e["seq"]) for e in entries if not e.get("intent")}
    # An action whose save never returned: only the killed client may have one (it may or may not be stored).
    pending = [e for key, e in intents.items() if key not in answered]
    problems: list[str] = []
    if [e for e in pending if e["client"] != killed]:
        problems.append(f"actions never answered by a client that was not killed: {pending[:3]}")
    maybe = {e["uid"] for e in pending if e.get("kind") in ("add", "link")}

    engine = create_engine(url)
    with engine.connect() as conn:
        spans = conn.execute(
            text("SELECT uid, document_id, layer, start, \"end\", annotator, attributes, id FROM spans")
        ).all()
        relations = conn.execute(text("SELECT uid, head_span_id, tail_span_id, label FROM relations")).all()
        statuses = {
            (row.document_id, row.annotator): row.status
            for row in conn.execute(text("SELECT document_id, annotator, status FROM document_statuses"))
        }
    engine.dispose()
    stored = Counter(row.uid for row in spans)
    by_uid = {row.uid: row for row in spans}
    by_id = {row.id: row for row in spans}

    # Adds and statements: stored exactly once unless deleted later; deletes gone; nothing unasked for.
    deleted = {e["uid"] for e in acked if e["kind"] in ("delete", "shared_delete")}
    made = {e["uid"] for e in acked if e["kind"] in ("add", "link")}
    for uid in made - deleted:
        if stored[uid] != 1:
            problems.append(f"acknowledged span {uid} stored {stored[uid]} times")
    for uid in deleted:
        if stored[uid]:
            problems.append(f"acknowledged delete of {uid}, but it is stored")
    team_made = {row.uid for row in spans if row.annotator and row.annotator.startswith("annotator")}
    unasked = team_made - made - maybe - set(shared)
    if unasked:
        problems.append(f"{len(unasked)} stored spans no acknowledged action made, e.g. {sorted(unasked)[:3]}")

    # No doubles: two entities, or two statements, over the same words of one document.
    places = Counter((row.document_id, row.layer, row.start, row.end) for row in spans)
    doubled = [place for place, count in places.items() if count > 1]
    if doubled:
        problems.append(f"{len(doubled)} places hold two spans of one layer, e.g. {doubled[:3]}")

    # Whole actions: every statement has its speaker link, every link both its ends.
    heads = Counter(r.head_span_id for r in relations if r.label == SPEAKER)
    for row in spans:
        if row.layer == "statement" and heads[row.id] != 1:
            problems.append(f"statement {row.uid} stored with {heads[row.id]} speaker links")
    for relation in relations:
        if relation.head_span_id not in by_id or relation.tail_span_id not in by_id:
            problems.append(f"link {relation.uid} without one of its spans")
    for e in acked:
        if e["kind"] == "link" and e["uid"] not in deleted:
            if not any(r.uid == e["relation"] for r in relations):
                problems.append(f"acknowledged statement {e['uid']} without its speaker link {e['relation']}")

    # Edits: one chain per span. Two acknowledged edits from the same starting state: one was lost unseen.
    lost = 0
    chains: dict[str, list[dict]] = defaultdict(list)
    for e in acked:
        if e["kind"] in ("edit", "shared_edit", "shared_delete"):
            chains[e["uid"]].append(e)
    maybe_edits = {e["uid"]: e for e in pending if e.get("kind") in ("edit", "shared_edit", "shared_delete")}
    for uid, edits in chains.items():
        starts = Counter(e["before"] for e in edits)
        forks = sum(count - 1 for count in starts.values() if count > 1)
        if forks:
            lost += forks
            problems.append(f"span {uid}: {forks} acknowledged edit(s) overwritten unseen (started from one state)")
            continue
        step = {e["before"]: e for e in edits}
        if uid in maybe_edits:
            step.setdefault(maybe_edits[uid]["before"], maybe_edits[uid])
        current, walked, gone = shared.get(uid, ""), 0, False
        while current in step and not gone:
            e = step.pop(current)
            walked += 1 if e in edits else 0
            gone = e["kind"] == "shared_delete"
            current = e.get("after", "")
        if walked != len(edits):
            problems.append(f"span {uid}: {len(edits) - walked} acknowledged edit(s) not in its chain")
        row = by_uid.get(uid)
        note = "" if row is None else (row.attributes or {}).get("note", "")
        if gone and row is not None and uid in deleted:
            problems.append(f"span {uid}: deleted, but stored")
        elif not gone and row is not None and note != current:
            problems.append(f"span {uid}: stored note {note!r}, its last acknowledged edit left {current!r}")

    # Statuses: each annotator's last acknowledged one (or the killed client's unanswered last).
    last: dict[tuple[int, str], set[str]] = {}
    for e in acked:
        if e["kind"] == "status":
            last[(e["doc"], f"annotator{e['client']}")] = {e["status"]}
    for e in pending:
        if e.get("kind") == "status":
            last.setdefault((e["doc"], f"annotator{e['client']}"), set()).add(e["status"])
    for key, wanted in last.items():
        if statuses.get(key) not in wanted:
            problems.append(f"status of {key}: stored {statuses.get(key)!r}, acknowledged {sorted(wanted)}")

    shared_tries = [e for e in entries if not e.get("intent") and e["kind"].startswith("shared")]
    return {
        "acknowledged": len(acked),
        "refused": len(refused),
        "shared_edits": len(shared_tries),
        "lost": lost,
        "pending": len(pending),
        "spans": len(spans),
        "relations": len(relations),
        "kinds": dict(Counter(e["kind"] for e in acked)),
        "problems": problems,
    }


def server_url(given: str | None) -> str | None:
    return given or os.environ.get("ANNOTATOR_BENCH_POSTGRES_URL") or os.environ.get("ANNOTATOR_TEST_POSTGRES_URL")


def main() -> int:
    import tempfile

    from common import report

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="unused (run.py passes it to every figure)")
    parser.add_argument("--quick", action="store_true", help="15 s instead of 60")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--url", help="a PostgreSQL server URL it may create and drop a database on")
    args = parser.parse_args()
    seconds = args.seconds or (15 if args.quick else 60)
    server = server_url(args.url)
    if not server:
        report("11", "team on PostgreSQL: no server given (--url or ANNOTATOR_BENCH_POSTGRES_URL)", float("nan"),
               "a server", False, unit="")
        return 1
    url = create_database(server)
    try:
        shared = prepare(url, args.clients)
        with tempfile.TemporaryDirectory(prefix="annotator-team-") as folder:
            run = run_team(url, args.clients, seconds, Path(folder))
        checked = check(url, shared, run)
        times = [e["ms"] for e in run["entries"] if "ms" in e]
        per_second = checked["acknowledged"] / run["wall"]
        p99 = percentile(times, 99)
        raw = raw_baseline(url, args.clients, checked["acknowledged"] + checked["refused"])
    finally:
        drop_database(server, url)
    n = args.clients
    report("11", f"{n} annotators on one PostgreSQL database, {seconds:g} s: actions/s", per_second,
           "(speed)", per_second > 0, unit=" actions/s", baseline=raw["per_second"],
           baseline_name=f"raw psycopg INSERT+COMMIT, {n} processes", ratio=per_second / raw["per_second"],
           ratio_kind="speed", median_ms=statistics.median(times) if times else None)
    report("11", f"99th-percentile latency of one action at {n} clients", p99, "≤ 50 ms", p99 <= 50, unit="ms",
           baseline=raw["p99_ms"], baseline_name="one raw INSERT+COMMIT", ratio=p99 / raw["p99_ms"])
    problems = checked.pop("problems")
    report("11", "every acknowledged action stored once, conflicts refused, none lost, no doubles",
           float(len(problems)), "0 problems", not problems and checked["refused"] > 0, unit=" problems",
           **checked, first_problems=problems[:5])
    return 0


if __name__ == "__main__":
    sys.exit(main())
