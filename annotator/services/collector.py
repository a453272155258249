"""Python's cycle collector held off while a bulk job builds many small objects that hold no cycles.

An annotated import makes four or five container objects per span (the parsed JSON list, the Span,
its key, its row): 1.5 million for doccano's 5,000-article benchmark file. Each few hundred of them
start a collection, and the older generations are walked again and again while a batch grows; that
was ~15 % of the import (0.6-1.0 s of 5-6 s, measured). The objects are freed by reference counting
as each batch is stored, so holding the collector off for the job does not grow memory; anything
cyclic left over is collected as usual once it is back on.

The collector is process-wide and a job may run on a worker thread while the window works: the
pauses are counted, and the collector comes back when the last one ends, only if it was on before
the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
