"""Figure 7: start-up to the main window with the project and its last article painted, against a bare
PySide6 window, both in fresh processes.

The clock starts just before the process is started. Ours is ``annotator.app.main`` as
``python -m annotator --project P`` runs it, on the 10,000-document project; it stops at the first
paint of the article's text in the main window once the text shown is the project's last article
(the one a warm-up run opened, not the first) and the document list holds every document of the
project: the child checks both after taking the time and reports what it saw. The moment the project is
open behind that window (the keys and menus work) is reported for information. The baseline imports
PySide6, makes a QApplication and shows an empty QMainWindow, stopping at its first paint. Runs
alternate so that a busy moment falls on both. Both run with bytecode, as an installed copy does (a
checkout where PYTHONDONTWRITEBYTECODE is set would otherwise compile the package at every start): the
warm-up runs compile into a folder of the run's own.
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

from common import arguments, report, shared_project

REPEATS = 7
LAST = 7_777  # the article the warm-up run leaves open (a 1,000-document project: the last one)

PROBE = r"""
import json, os, sqlite3, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

kind, home, project, last = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


class FirstPaint(QObject):
    first = True
    main_seen = False

    def eventFilter(self, watched, event):
        if event.type() != QEvent.Type.Paint:
            return False
        if self.first and isinstance(watched, QMainWindow):
            self.first = False
            print(f"PAINTED {time.time():.6f}", flush=True)
        if kind == "bare" and isinstance(watched, QMainWindow):
            print(f"MAIN {time.time():.6f}", flush=True)
            os._exit(0)
        window = watched.window() if hasattr(watched, "window") else None
        if type(window).__name__ == "MainWindow" and kind != "bare" and not self.main_seen:
            editor = window.article.editor
            if watched is editor.viewport() and editor.document().characterCount() > 1:
                self.main_seen = True
                print(f"MAIN {time.time():.6f}", flush=True)
                self.check(window)
        return False

    def check(self, window):
        shown = window.documents.current_id()
        conn = sqlite3.connect(project)
        text = conn.execute("SELECT text FROM documents WHERE id = ?", (shown,)).fetchone()[0]
        total = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        self.seen = {"document": shown, "text_matches": window.article.editor.toPlainText() == text,
                     "rows": window.documents.model.rowCount(), "documents": total,
                     "sqlalchemy_imported_at_paint": "sqlalchemy" in sys.modules}
        self.wait_until_ready(window)

    def wait_until_ready(self, window):
        # The painted window takes its project a moment later: that moment is reported too.
        if getattr(window, "owner", None) is None:
            QTimer.singleShot(1, lambda: self.wait_until_ready(window))
            return
        print(f"READY {time.time():.6f}", flush=True)
        if kind == "warmup":  # leave the chosen article open for the runs that follow
            window.open_document(last)
            window.settings.sync()
            os._exit(0)
        print("SEEN " + json.dumps(self.seen), flush=True)
        os._exit(0)


app = QApplication(sys.argv[:1])
probe = FirstPaint()
app.installEventFilter(probe)
if kind == "bare":
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.exec()
else:
    from annotator.app import main
    main(["--data-dir", home, "--project", project])
"""


def run_once(kind: str, home: Path, project: Path, last: int) -> tuple[dict, dict]:
    """The moments (PAINTED: any main window's first paint; MAIN: the list and article painted; READY:
    the project open behind them) in seconds from the start, and what the window showed."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    # As an installed copy starts (pip or the bundle bring bytecode): compiled once, by the warm-up runs,
    # into a folder of the run's own, even where PYTHONDONTWRITEBYTECODE is set.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache-startup")
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind, str(home), str(project), str(last)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    times, seen = {}, {}
    for line in done.stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word == "SEEN":
            seen = json.loads(rest)
        elif word in ("PAINTED", "MAIN", "READY"):
            times[word] = float(rest) - start
    if "PAINTED" in times and "MAIN" in times and (kind == "bare" or "READY" in times):
        return times, seen
    raise RuntimeError(f"{kind} never painted a window: {done.stderr[-2000:]}")


def main() -> None:
    args = arguments()
    project = shared_project(args.data, 1_000 if args.quick else 10_000)
    conn = sqlite3.connect(project)
    last = min(LAST, conn.execute("SELECT max(id) FROM documents").fetchone()[0])
    conn.close()
    home = args.data / "home-startup"
    # The first start makes the settings and a backup (not typical); it leaves article ``last`` open.
    run_once("warmup", home, project, last)
    run_once("bare", home, project, last)
    ours, bare = [], []
    for _ in range(3 if args.quick else REPEATS):
        bare.append(run_once("bare", home, project, last))
        ours.append(run_once("annotator", home, project, last))
    baseline = statistics.median(t[0]["MAIN"] for t in bare)
    measured = statistics.median(t[0]["MAIN"] for t in ours)
    seen = [t[1] for t in ours]
    done = all(s.get("document") == last and s.get("text_matches") and s.get("rows") == s.get("documents")
               for s in seen)
    report(
        "7",
        "Start-up to the main window painted with the project's list and its last article (fresh process)",
        measured,
        "≤ 0.4 s and ≤ 3 × bare PySide6 window",
        done and measured <= 0.4 and measured <= 3 * baseline,
        baseline=baseline,
        baseline_name="bare PySide6 QMainWindow to its first paint (fresh process)",
        ratio=measured / baseline,
        ratio_kind="time",
        work_done=done,
        seen=seen[-1],
    )
    ready = statistics.median(t[0]["READY"] for t in ours)
    report(
        "7",
        "Start-up until the painted window has its project open: keys, menus and panels live (for information)",
        ready,
        "no target (information)",
        True,
        baseline=baseline,
        baseline_name="bare PySide6 QMainWindow to its first paint (fresh process)",
        ratio=ready / baseline,
        ratio_kind="time",
    )

if __name__ == "__main__":
    main()
