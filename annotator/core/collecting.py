"""Pausing Python's cycle collector while many small objects are made.

Opening a long article or exporting a batch of documents makes tens of thousands of small objects
(spans, their keys, records), none in a reference cycle: they are freed by reference counting as
soon as they are no longer used. Meanwhile the cycle collector would stop again and again to scan
them, for nothing (measured: a third of the time to open a 20,000-span article, a sixth of an
export). Paused for such a stretch, it runs as usual afterwards and finds any cycle then.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
