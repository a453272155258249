"""(being written) conll: see docs/formats.md."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import Problem
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record


def write(records: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    raise NotImplementedError


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    raise NotImplementedError


def sniff(path: Path) -> bool:
    return False
