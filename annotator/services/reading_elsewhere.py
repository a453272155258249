"""Read slow article files (saved web pages, PDF, Word) in other processes, in order, a few ahead.

Extracting a web page's article takes 20-40 ms of pure Python (trafilatura, lxml): one process reads
about 30 pages a second. An import of hundreds of them reads them on every core instead, while the
importing thread stores what comes back in the order the files were given. At most a few files per
process are in flight, so memory stays flat however many files there are.

Spawned, not forked: the window's threads and locks must not be copied into the readers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from annotator.core.errors import Problem
from annotator.core.records import ImportOptions

AHEAD = 4  # files in flight per process: enough to keep it busy, few enough to keep memory flat
PARALLEL_FROM = 8  # slow files at which starting the processes (about a second) pays


def read_one(name: str, path: Path, options: ImportOptions) -> list:
    """Everything one file yields (Documents and Problems), read in this process."""
    from annotator.services import formats

    try:
        return list(formats.entry(name).read(path, options))
    except Exception as exc:  # a reader's own mistake costs this file only
        return [Problem.at(path, None, f"reading it failed ({type(exc).__name__}: {exc}); it is not imported")]


class ReadAhead:
    """Reads the given (format name, path, options) in other processes, a few ahead of ``take``,
    which hands back one file's items in the order the files were given."""

    def __init__(self, work: Iterable[tuple[str, Path, ImportOptions]], processes: int | None = None) -> None:
        self._todo = deque(work)
        workers = max(1, min(processes or os.cpu_count() or 1, len(self._todo)))
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        self._ahead: deque[tuple[Path, Future]] = deque()
        self._window = workers * AHEAD
        self._fill()

    def _fill(self) -> None:
        while self._todo and len(self._ahead) < self._window:
            name, path, options = self._todo.popleft()
            self._ahead.append((path, self._pool.submit(read_one, name, path, options)))

    def take(self, path: Path) -> list:
        """The items of ``path``, the next file in the given order."""
        expected, future = self._ahead.popleft()
        if expected != path:
            raise ValueError(f"read ahead out of order: {path} asked, {expected} next")
        self._fill()
        return future.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def worth_it(count: int) -> bool:
    return count >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
