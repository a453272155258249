"""Reading JSON Lines for the annotated formats: one JSON object per line, with its line number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import Problem


def records(path: Path) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    """(line number, object) for each non-blank line; a line that is not a JSON object is a Problem.

    Streamed: memory stays flat however long the file. UTF-8 (a BOM is allowed), split on \\n only.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield 0, Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                yield number, Problem.at(path, number, f"not valid JSON ({exc.msg}); expected one JSON object per line")
                continue
            if not isinstance(value, dict):
                yield number, Problem.at(path, number, f"expected a JSON object, found {type(value).__name__}")
                continue
            yield number, value


def first_record(path: Path) -> dict[str, Any] | None:
    """The first JSON object in a JSONL file (for detecting which format it is), or None."""
    for _, value in records(path):
        return value if isinstance(value, dict) else None
    return None
