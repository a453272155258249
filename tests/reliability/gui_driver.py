"""The crash-safety analyst at the real window: keys typed into MainWindow (offscreen), not service calls.

Run as ``python gui_driver.py PROJECT SEED``. It opens the project in the real main window and presses
keys as an analyst would: select words with Shift+Right and press a label's number, Tab to an
annotation and accept (A), reject (X) or move its edge (Alt+arrows), mark a statement (S), undo and
redo (Ctrl+Z, Ctrl+Shift+Z), Done and Next (Ctrl+Return). It prints the same lines as
session_driver.py: "saving" as the window hands an Edit to ``annotating.save``, "shown" when the window
has drawn it (the session's ``changed`` signal), so the same ledger checks what survives a SIGKILL.
"""

from __future__ import annotations

import os
import random
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from session_driver import describe, say  # noqa: E402 (this folder is sys.path[0])

from annotator.services import annotating, projects  # noqa: E402
from annotator.ui.application import app_settings  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

Key, Mod = Qt.Key, Qt.KeyboardModifier
LABEL_KEYS = [Key.Key_1, Key.Key_2, Key.Key_3, Key.Key_4, Key.Key_6, Key.Key_8]


def main() -> int:
    location, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    app = QApplication.instance() or QApplication(sys.argv)
    project = projects.open_location(location, create=False)
    steps = {"saving": 0, "shown": 0}
    save = annotating.save

    def saving(project_, edit):  # the window's own save, announced first
        say(describe("saving", steps["saving"], edit))
        steps["saving"] += 1
        save(project_, edit)

    annotating.save = saving
    window = MainWindow(project, app_settings())

    def shown(edit):
        say(describe("shown", steps["shown"], edit))
        steps["shown"] += 1

    window.session.changed.connect(shown)
    window.show()
    window.activateWindow()
    editor = window.article.editor

    def key(k, modifier=Mod.NoModifier):
        QTest.keyClick(editor, k, modifier)

    def act():
        if window.session.annotations is None:
            key(Key.Key_Return, Mod.ControlModifier)
            return
        choice = rng.random()
        text = editor.toPlainText()
        if choice < 0.4 and text:
            cursor = editor.textCursor()
            cursor.setPosition(rng.randrange(len(text)))
            editor.setTextCursor(cursor)
            for _ in range(rng.randint(1, 10)):
                key(Key.Key_Right, Mod.ShiftModifier)
            key(rng.choice(LABEL_KEYS) if rng.random() < 0.9 else Key.Key_S)
        elif choice < 0.55:
            for _ in range(rng.randint(1, 3)):
                key(Key.Key_Tab)
            key(rng.choice([Key.Key_A, Key.Key_X, Key.Key_X]))
        elif choice < 0.65:
            key(Key.Key_Tab)
            key(rng.choice([Key.Key_Left, Key.Key_Right]), Mod.AltModifier | rng.choice([Mod.ShiftModifier, Mod(0)]))
        elif choice < 0.85:
            key(Key.Key_Z, Mod.ControlModifier)
        elif choice < 0.95:
            key(Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
        else:
            key(Key.Key_Return, Mod.ControlModifier)  # done and on to the next article

    def loop():
        if not window.isActiveWindow():
            window.activateWindow()
        act()
        QTimer.singleShot(0, loop)

    def start():
        editor.setFocus()
        say("ready")
        loop()

    QTimer.singleShot(0, start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
