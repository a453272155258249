"""One road off the GUI thread: run a plain function on the thread pool, get signals back.

The function receives plain values (ids, paths, an Event to cancel) and returns a plain object;
signals are delivered on the GUI thread because their receivers live there.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from annotator.core.errors import AnnotatorError

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # the function's result
    failed = Signal(str, str)  # one-line message, traceback


class Worker(QRunnable):
    """Runs ``function(*args, progress=..., cancel=...)``; keep a reference until it has finished."""

    def __init__(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; Qt deleting it under us would crash the signals
        self.signals = WorkerSignals()
        self.cancel_event = threading.Event()
        self._call = lambda: function(*args, progress=self._progress, cancel=self.cancel_event, **kwargs)

    def _progress(self, done: int, total: int = 0) -> None:
        self.signals.progress.emit(done, total)

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            result = self._call()
        except (AnnotatorError, OSError, ValueError) as exc:  # refusals a user can act on
            log.warning("background task refused: %s", exc)
            self.signals.failed.emit(str(exc) or type(exc).__name__, "")
            return
        except Exception as exc:  # a bug: reported to the user, logged in full; the GUI stays up
            log.exception("background task failed")
            self.signals.failed.emit(str(exc) or type(exc).__name__, traceback.format_exc())
            return
        self.signals.finished.emit(result)


class Workers:
    """Keeps running workers alive, cancels them, and runs callbacks once none is left."""

    def __init__(self) -> None:
        self.pool = QThreadPool.globalInstance()
        self._running: set[Worker] = set()
        self._when_idle: list[Callable[[], None]] = []

    def start(self, worker: Worker) -> Worker:
        self._running.add(worker)
        worker.signals.finished.connect(lambda _result: self._done(worker))
        worker.signals.failed.connect(lambda *_: self._done(worker))
        self.pool.start(worker)
        return worker

    def _done(self, worker: Worker) -> None:
        self._running.discard(worker)
        if not self._running:
            callbacks, self._when_idle = self._when_idle, []
            for callback in callbacks:
                callback()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call back now if nothing runs, else as soon as the last running worker has finished."""
        if self._running:
            self._when_idle.append(callback)
        else:
            callback()

    def cancel_all(self) -> None:
        for worker in list(self._running):
            worker.cancel()

    def wait(self, wait_ms: int = 10_000) -> bool:
        """Block until the workers have stopped: only for shutting down, never while the window is in use."""
        return self.pool.waitForDone(wait_ms)
