"""Tables of articles (CSV, TSV, Excel) before they are imported: their columns, a few rows, and the
reader's guess of which column is the text, the title, the date and the id (formats.tables)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.formats import tables
from annotator.services.formats import detect, entry

PREVIEW_ROWS = 5


@dataclass(frozen=True)
class TableColumns:
    path: Path
    header: list[str]
    rows: list[list[str]]  # the first few rows, as plain text, each as wide as the header
    guess: dict[str, Any]  # role -> column (None: none found), and "meta": the other columns


def table_columns(path: str | Path, rows: int = PREVIEW_ROWS, encoding: str | None = None) -> TableColumns:
    """The table's header, its first rows and the reader's guess; AnnotatorError naming the file if it
    cannot be read."""
    path = Path(path)
    try:
        header, preview = tables.head(path, rows, encoding)
    except tables.TableError as exc:
        raise AnnotatorError(f"{path}: not imported: {exc}") from None
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    return TableColumns(path, header, preview, tables.guess_columns(header))


def tables_to_map(paths: Iterable[str | Path]) -> list[Path]:
    """The files among ``paths`` (folders aside) that an import reads as tables of articles, whose columns
    a person maps first."""
    found = []
    for path in map(Path, paths):
        name = detect(path) if path.is_file() else None
        if name is not None and entry(name).columns:
            found.append(path)
    return found
