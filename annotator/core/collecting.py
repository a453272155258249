"""Pausing Python's cycle collector while many small objects are made.

Opening a long article or exporting a batch of documents makes tens of thousands of small objects
(spans, their keys, records), none in a reference cycle: they are freed by reference counting as
soon as they are no longer used. Meanwhile the cycle collector would stop again and again to scan
them, for nothing (measured: a third of the time to open a 20,000-span article, a sixth of an
export). Paused for such a stretch, it runs as usual afterwards and finds any cycle then.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The collector is the whole program's, and an import or an export on a worker thread may overlap an
# article opening on the window's: pauses are counted, and the collector comes back when the last
# one ends (not when the first does, halfway through the other), only if it was on before the first.
_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
