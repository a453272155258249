"""Crash safety: kill -9 at random moments while an analyst works; nothing that was shown is lost.

A scripted session (session_driver.py, a real process using the real services) makes annotation
actions on one project file and prints each change once it is saved and shown. The test kills it with
SIGKILL after a random pause, reopens the file and checks that:

- ``PRAGMA integrity_check`` is ok and no foreign key dangles;
- every change printed as shown is in the database, exactly: spans with their attributes (a statement's
  cue and free-text speaker among them), the relations table row by row (a statement's speaker, a
  claim's statement: head, tail, label, each end a span of the relation's own document), and statuses;
  the one change that was being saved when the kill came (printed as "saving", never as "shown") is
  either wholly there or wholly absent;
- nothing else changed;
- the next session opens the same file and carries on.

ANNOTATOR_SOAK_KILLS sets the number of kills (20 by default, 200 in ``make soak``);
ANNOTATOR_SOAK_SEED replays a run (the seed is printed, and shown when a check fails).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from annotator.core.vocabulary import SPEAKER, STATEMENT_OF
from annotator.core.model import Document, Layer, Span, State
from annotator.services import annotating, projects
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions

DRIVER = Path(__file__).with_name("session_driver.py")
GUI_DRIVER = Path(__file__).with_name("gui_driver.py")
KILLS = int(os.environ.get("ANNOTATOR_SOAK_KILLS", "20"))
GUI_KILLS = max(5, KILLS // 4)
MODEL = "en_test@1"
ARTICLES = [
    "Sergey Lavrov said on Tuesday that “talks will go on 😀 until 2027.” The ministry’s press service "
    "added that wheat prices rose 12% in Moscow.",
    "Elena Varga opened the bridge in Riverton 🇷🇺 on Monday, the city council said in a statement.",
    "Officials in Moscow denied the report. “Nothing of the kind happened,” a spokesman told reporters.",
    "A quiet day in Riverton: the market opened late and closed early, traders said.",
]
SUGGESTED = [("Lavrov", "PERSON", 0), ("Moscow", "GPE", 0), ("Elena Varga", "PERSON", 1), ("Moscow", "GPE", 2)]


def make_project(path: Path) -> None:
    project = projects.open_location(str(path))
    added = add_documents(project, [Document(text, title=f"Article {i}") for i, text in enumerate(ARTICLES)]).added
    by_doc: dict[int, list[Span]] = {}
    for words, label, index in SUGGESTED:
        start = ARTICLES[index].index(words)
        span = Span(start, start + len(words), label, origin=MODEL, state=State.SUGGESTED)
        by_doc.setdefault(added[index].id, []).append(span)
    save_suggestions(project, list(by_doc.items()), MODEL)
    link_statements(project, ARTICLES[0], "Sergey Lavrov", "talks will go on", "said", "wheat prices rose 12%")
    project.close()


def link_statements(project, text: str, speaker: str, quote: str, cue: str, claim: str) -> None:
    """The first article gets a statement with its speaker and cue, and a claim linked to it, as an
    analyst makes them: every later session starts with links to keep, change or undo."""
    schema = projects.schema_of(project)

    def step(make) -> None:
        notes = annotating.open_annotations(project, 1, "seed", schema)
        annotating.save(project, make(notes))

    def at(words: str) -> tuple[int, int]:
        return text.index(words), text.index(words) + len(words)

    step(lambda n: n.tag(Layer.ENTITY, "PERSON", *at(speaker)))
    step(lambda n: n.tag(Layer.STATEMENT, "STATEMENT", *at(quote)))
    step(lambda n: n.tag(Layer.CLAIM, "CLAIM", *at(claim)))

    def only(notes, layer):
        return next(s for s in notes.visible(layer) if text[s.start : s.end] in (speaker, quote, claim))

    step(lambda n: n.set_speaker(only(n, Layer.STATEMENT).uid, only(n, Layer.ENTITY).uid))
    step(lambda n: n.set_cue(only(n, Layer.STATEMENT).uid, *at(cue)))
    step(lambda n: n.set_statement(only(n, Layer.CLAIM).uid, only(n, Layer.STATEMENT).uid))


class Ledger:
    """What the database must hold: the initial spans, then every change the sessions showed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.spans, self.statuses, self.relations = read_state(path)
        self.shown = self.kills_mid_save = 0
        self.links_shown = {SPEAKER: 0, STATEMENT_OF: 0, "cue": 0}  # links made, found after the kills

    def settle(self, lines: list[str], context: str) -> None:
        """Check the file against the shown changes; the change being saved at the kill may go either way."""
        pending = None
        for number, line in enumerate(lines):
            event = json.loads(line)
            if event["event"] == "saving":
                pending = event
            else:
                before = lines[number - 1] if number else "(nothing)"
                assert pending is not None and pending["step"] == event["step"], (
                    f"{context}: shown without its saving line: {line!r} after {before!r} (line {number})"
                )
                self._apply(event, self.spans, self.statuses, self.relations)
                self._count_links(event)
                self.shown += 1
                pending = None
        spans, statuses, relations = read_state(self.path)
        maybe_spans, maybe_statuses, maybe_relations = {}, {}, {}
        if pending is not None:
            self.kills_mid_save += 1
            self._apply(pending, maybe_spans, maybe_statuses, maybe_relations)
        for uid in self.relations.keys() | relations.keys():
            want, got = self.relations.get(uid), relations.get(uid)
            allowed = [want] + ([maybe_relations[uid]] if uid in maybe_relations else [])
            assert got in allowed, f"{context}: relation {uid} is {got}, expected {' or '.join(map(str, allowed))}"
        for uid in self.spans.keys() | spans.keys():
            want, got = self.spans.get(uid), spans.get(uid)
            allowed = [want] + ([maybe_spans[uid]] if uid in maybe_spans else [])
            assert got in allowed, f"{context}: span {uid} is {got}, expected {' or '.join(map(str, allowed))}"
        for key in self.statuses.keys() | statuses.keys():
            want, got = self.statuses.get(key), statuses.get(key)
            allowed = [want] + ([maybe_statuses[key]] if key in maybe_statuses else [])
            assert got in allowed, f"{context}: status of {key} is {got}, expected {' or '.join(map(str, allowed))}"
        if pending is not None:  # either way is right; from now on the file says which it was
            for uid in maybe_spans:
                self._put(self.spans, uid, spans.get(uid))
            for key in maybe_statuses:
                self._put(self.statuses, key, statuses.get(key))
            for uid in maybe_relations:
                self._put(self.relations, uid, relations.get(uid))

    def _count_links(self, event: dict) -> None:
        for relation in event["relations"]:
            if relation["label"] in self.links_shown:
                self.links_shown[relation["label"]] += 1
        self.links_shown["cue"] += sum(1 for s in event["spans"] if s["attributes"].get("cue"))

    @staticmethod
    def _put(mapping: dict, key, value) -> None:
        if value is None:
            mapping.pop(key, None)
        else:
            mapping[key] = value

    def _apply(self, event: dict, spans: dict, statuses: dict, relations: dict) -> None:
        for uid in event["relations_gone"]:
            relations[uid] = None
        for r in event["relations"]:
            relations[r["uid"]] = (r["head"], r["tail"], r["label"])
        if relations is self.relations:
            for uid in [u for u, v in relations.items() if v is None]:
                del relations[uid]
        for uid in event["gone"]:
            spans[uid] = None
        for s in event["spans"]:
            spans[s["uid"]] = (s["start"], s["end"], s["label"], s["layer"], s["state"], s["attributes"])
        if event["changes_status"]:
            statuses[(event["doc"], event["annotator"])] = event["status"]
        if spans is self.spans:
            for uid in [u for u, v in spans.items() if v is None]:
                del spans[uid]
        if statuses is self.statuses:
            for key in [k for k, v in statuses.items() if v is None]:
                del statuses[key]


def read_state(path: Path) -> tuple[dict, dict, dict]:
    """Reopen the file as a fresh program would (recovering the write-ahead log) and read it whole:
    spans, statuses and relations (by the uids of their ends)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        spans = {
            uid: (start, end, label, layer, state, json.loads(attributes))
            for uid, start, end, label, layer, state, attributes in conn.execute(
                'SELECT uid, start, "end", label, layer, state, attributes FROM spans'
            )
        }
        statuses = {
            (doc, who): status
            for doc, who, status in conn.execute("SELECT document_id, annotator, status FROM document_statuses")
        }
        relations = {}
        for uid, head, tail, label, doc, head_doc, tail_doc in conn.execute(
            "SELECT r.uid, h.uid, t.uid, r.label, r.document_id, h.document_id, t.document_id FROM relations r "
            "JOIN spans h ON h.id = r.head_span_id JOIN spans t ON t.id = r.tail_span_id"
        ):
            assert doc == head_doc == tail_doc, f"relation {uid} links spans of other documents"
            relations[uid] = (head, tail, label)
        assert len(relations) == conn.execute("SELECT count(*) FROM relations").fetchone()[0]
    finally:
        conn.close()
    return spans, statuses, relations


def run_driver(
    path: Path, seed: int, err: Path, pause: float | None, from_spawn: bool, steps: int | None = None, driver=DRIVER
):
    """Start a session; kill it ``pause`` seconds after it is ready (or after it was started)."""
    command = [sys.executable, str(driver), str(path), str(seed)] + ([str(steps)] if steps else [])
    with err.open("w") as stderr:
        # Unbuffered bytes: communicate() reads the pipe itself, so nothing may sit in a reader's buffer.
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, bufsize=0)
        if pause is None:
            out, _ = proc.communicate(timeout=120)
            return proc.returncode, _lines(out)
        if not from_spawn:
            first = proc.stdout.readline()  # the project is open: the kill lands among the actions
            assert first == b"ready\n", f"the session did not start: {err.read_text()}"
        time.sleep(pause)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        return proc.returncode, _lines(out)


def _lines(out: bytes) -> list[str]:
    """Whole lines only: one cut off by the kill was never shown. (Not splitlines: U+2028 is text.)"""
    return out.decode("utf-8", errors="replace").split("\n")[:-1]


def test_sigkill_at_random_moments_loses_nothing_that_was_shown(tmp_path):
    seed = int(os.environ.get("ANNOTATOR_SOAK_SEED") or random.SystemRandom().randrange(2**32))
    print(f"crash-safety: {KILLS} kills, seed {seed} (ANNOTATOR_SOAK_SEED={seed} replays the pauses)")
    rng = random.Random(seed)
    path = tmp_path / "crash.annotator.sqlite"
    make_project(path)
    ledger = Ledger(path)
    for kill in range(KILLS):
        pause = rng.uniform(0.05, 0.6)
        from_spawn = kill % 5 == 4  # now and then while the program is still starting and opening the file
        err = tmp_path / f"driver-{kill}.err"
        code, lines = run_driver(path, rng.randrange(2**32), err, pause, from_spawn)
        context = f"kill {kill + 1} of {KILLS} (seed {seed}, pause {pause:.3f} s)"
        assert code == -signal.SIGKILL, f"{context}: the session ended by itself ({code}): {err.read_text()}"
        if lines and lines[0] == "ready":
            lines = lines[1:]
        ledger.settle(lines, context)
    print(f"crash-safety: {ledger.shown} changes shown and found, {ledger.kills_mid_save} kills during a save")
    print(f"crash-safety: links made and found: {ledger.links_shown}")
    assert ledger.shown > 0
    assert all(ledger.links_shown.values()), f"the sessions made no link of some kind: {ledger.links_shown}"

    # After all that, a session runs to its end on the same file and its work is there too.
    code, lines = run_driver(path, rng.randrange(2**32), tmp_path / "last.err", None, False, steps=15)
    assert code == 0, (tmp_path / "last.err").read_text()
    assert lines[0] == "ready"
    before = ledger.shown
    ledger.settle(lines[1:], f"the final session (seed {seed})")
    assert ledger.shown - before == 15

    # And the application's own code opens it and reads every article.
    project = projects.open_location(str(path), create=False)
    try:
        schema = projects.schema_of(project)
        loaded = {}
        for doc_id in range(1, len(ARTICLES) + 1):
            notes = annotating.open_annotations(project, doc_id, "driver", schema)
            assert notes is not None and notes.text == ARTICLES[doc_id - 1]
            loaded |= {r.uid: (r.head, r.tail, r.label) for r in notes.relations.values()}
            for statement in notes.visible(Layer.STATEMENT):  # each speaker link leads to a span shown
                speaker = notes.linked(statement.uid, SPEAKER)
                assert speaker is None or speaker.layer == Layer.ENTITY
        assert loaded == ledger.relations
    finally:
        project.close()


def test_sigkill_while_typing_into_the_real_window_loses_nothing_that_was_shown(tmp_path):
    """The same, with keys pressed in the real main window (offscreen): what the window drew is on disk."""
    seed = int(os.environ.get("ANNOTATOR_SOAK_SEED") or random.SystemRandom().randrange(2**32))
    print(f"crash-safety (window): {GUI_KILLS} kills, seed {seed}")
    rng = random.Random(seed)
    path = tmp_path / "window.annotator.sqlite"
    make_project(path)
    ledger = Ledger(path)
    for kill in range(GUI_KILLS):
        pause = rng.uniform(0.05, 0.6)
        err = tmp_path / f"window-{kill}.err"
        code, lines = run_driver(path, rng.randrange(2**32), err, pause, False, driver=GUI_DRIVER)
        context = f"window kill {kill + 1} of {GUI_KILLS} (seed {seed}, pause {pause:.3f} s)"
        assert code == -signal.SIGKILL, f"{context}: the window ended by itself ({code}): {err.read_text()}"
        assert "Traceback" not in err.read_text(), f"{context}: {err.read_text()}"
        ledger.settle(lines, context)  # "ready" was read before the pause
    print(f"crash-safety (window): {ledger.shown} changes shown and found, {ledger.kills_mid_save} kills during a save")
    assert ledger.shown > 0
