"""Figure 7: start-up to a visible window, against a bare PySide6 window, both in fresh processes.

The clock starts just before the process is started and stops at the first paint of the main window
(reported by the child through an application-wide event filter installed before anything else of
ours is imported). Ours is ``annotator.app.main`` as ``python -m annotator --project P`` runs it, on
the 10,000-document project; the baseline imports PySide6, makes a QApplication and shows an empty
QMainWindow. Runs alternate so that a busy moment falls on both.

The first window painted is the start window (ui.application.StartWindow), shown before the database
and the rest of the program are imported; the main window replaces it once the project is open. Both
times are reported; the target applies to the first.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import arguments, report, shared_project

REPEATS = 7

PROBE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    first = True

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            if self.first:
                self.first = False
                print(f"PAINTED {time.time():.6f}", flush=True)
            if sys.argv[1] == "bare" or type(watched).__name__ == "MainWindow":
                print(f"MAIN {time.time():.6f}", flush=True)
                os._exit(0)
        return False

app = QApplication(sys.argv[:1])
probe = FirstPaint()
app.installEventFilter(probe)
if sys.argv[1] == "bare":
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.exec()
else:
    from annotator.app import main
    main(["--data-dir", sys.argv[2], "--project", sys.argv[3]])
"""


def run_once(kind: str, home: Path, project: Path) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind, str(home), str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    times = {line.split()[0]: float(line.split()[1]) - start for line in done.stdout.splitlines() if " " in line}
    if "PAINTED" in times and "MAIN" in times:
        return times["PAINTED"], times["MAIN"]
    raise RuntimeError(f"{kind} never painted a window: {done.stderr[-2000:]}")


def main() -> None:
    args = arguments()
    project = shared_project(args.data, 1_000 if args.quick else 10_000)
    home = args.data / "home-startup"
    run_once("annotator", home, project)  # the first start makes the settings and a backup: not typical
    ours, bare = [], []
    for _ in range(REPEATS):
        bare.append(run_once("bare", home, project))
        ours.append(run_once("annotator", home, project))
    measured, baseline = statistics.median(t[0] for t in ours), statistics.median(t[0] for t in bare)
    full = statistics.median(t[1] for t in ours)
    report(
        "7",
        "Start-up to a painted window (fresh process): the start window saying which project opens",
        measured,
        "≤ 2 × bare PySide6 window",
        measured <= 2 * baseline,
        baseline=baseline,
        baseline_name="bare PySide6 QMainWindow to its first paint (fresh process)",
        ratio=measured / baseline,
        ratio_kind="time",
    )
    report(
        "7",
        "Start-up to the main window painted with the project's list and last article (for information)",
        full,
        "no target (information)",
        True,
        baseline=baseline,
        baseline_name="bare PySide6 QMainWindow to its first paint (fresh process)",
        ratio=full / baseline,
        ratio_kind="time",
    )


if __name__ == "__main__":
    main()
