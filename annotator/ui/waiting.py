"""One step the window must wait for, run off its thread so that the window keeps painting.

Opening a project checks every page of its file first (PRAGMA quick_check): ~1 s for a 900 MB project
of 100,000 articles, longer from a slow disk. Done on the window's thread, the window froze for that
long and the system called it not responding. SQLite lets go of Python's lock while it reads, so on a
thread the window goes on drawing; a busy dialog, modal, keeps the user's clicks from starting anything
else meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog, QStatusBar, QWidget

from annotator.ui.plain import plain_label

T = TypeVar("T")
QUIET_S = 0.15  # a step this quick shows no dialog (most projects open in a blink)
POLL_MS = 15


def busy_dialog(parent: QWidget | None, title: str, text: str, modality: Qt.WindowModality,
                shown_after_ms: int = 300) -> QProgressDialog:
    """A dialog for one step that cannot stop half-way: a busy bar, no Cancel, ``text`` as plain text."""
    progress = QProgressDialog("", "", 0, 0, parent)  # its own label would take a file's name for HTML
    progress.setLabel(plain_label(QLabel(text)))
    progress.setCancelButton(None)
    progress.setWindowTitle(title)
    progress.setWindowModality(modality)
    progress.setMinimumDuration(shown_after_ms)
    return progress


def wait_for(parent: QWidget | None, title: str, text: str, step: Callable[[], T]) -> T:
    """``step()`` on a thread of its own; its result, or the exception it raised. If it takes longer than
    a moment, a busy dialog without Cancel (the step cannot stop half-way) shows ``text`` until it ends."""
    outcome: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["result"] = step()
        except BaseException as exc:  # noqa: BLE001 (given back to the caller's thread, raised there)
            outcome["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=run, name="waited-step", daemon=True)
    thread.start()
    if not done.wait(QUIET_S):
        progress = busy_dialog(parent, title, text, Qt.WindowModality.ApplicationModal, shown_after_ms=0)
        progress.show()
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(POLL_MS)
        timer.timeout.connect(lambda: done.is_set() and loop.quit())
        timer.start()
        if not done.is_set():
            loop.exec()
        timer.stop()
        progress.reset()
        progress.deleteLater()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


@contextmanager
def busy_in(status_bar: QStatusBar, text: str, slow_s: float = 0.5) -> Iterator[None]:
    """A step that must run on the window's thread (it fills the article's widgets): the wait cursor and
    ``text`` in the status bar, painted before the step holds the thread, so a slow open (a first open
    with a cold font cache, the disk busy with pre-annotation) shows what the window is doing. A step
    slower than ``slow_s`` says how long it took; a quick one leaves no trace."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    status_bar.showMessage(text)
    status_bar.repaint()  # now: the event loop will not run until the step is over
    started = time.perf_counter()
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        took = time.perf_counter() - started
        if status_bar.currentMessage() == text:  # the step said nothing of its own
            if took > slow_s:
                status_bar.showMessage(f"{text.rstrip('…')}: {took:.1f} s", 5000)
            else:
                status_bar.clearMessage()
