"""Export a project. The file appears only when it is complete: written aside, then renamed."""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from annotator.formats import native
from annotator.store.annotated import annotated_batches
from annotator.store.project import Project

FORMATS = ("jsonl",)
Progress = Callable[[int], None]  # documents written so far


@dataclass
class ExportReport:
    documents: int = 0
    spans: int = 0
    target: str = ""
    cancelled: bool = False

    def summary(self) -> str:
        if self.cancelled:
            return f"export to {self.target} cancelled; no file was written"
        return f"{self.documents} document(s) with {self.spans} span(s) written to {self.target}"


class Cancelled(Exception):
    pass


def export(
    project: Project,
    target: str | Path,
    fmt: str = "jsonl",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportReport:
    """Stream every document (in a stable order) to ``target``; a cancelled export leaves no file."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (known: {', '.join(FORMATS)})")
    report = ExportReport(target="standard output" if str(target) == "-" else str(target))
    if str(target) != "-":
        _refuse_unsafe_target(project, str(target))
    try:
        _write(project, target, report, progress, cancel)
    except Cancelled:
        report.cancelled = True
    return report


def _write(project, target, report, progress, cancel) -> None:
    with _output(target) as out:
        for batch in annotated_batches(project):
            if cancel is not None and cancel.is_set():
                raise Cancelled
            for doc, spans, relations, statuses in batch:
                record = native.document_record(doc, spans, relations, statuses)
                report.spans += sum(len(record[key]) for key in native.LAYER_KEYS.values())
                native.write_record(record, out)
            report.documents += len(batch)
            if progress:
                progress(report.documents)


def _refuse_unsafe_target(project: Project, target: str) -> None:
    """An export replaces its target: never let that be a project, its journal, or a folder."""
    path = Path(target).expanduser()
    if target.endswith(("/", os.sep)) or path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name to export to")
    resolved = path.resolve()
    if project.path is not None:
        own = {project.path.with_name(project.path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")}
        if resolved in own:
            raise ValueError(f"{resolved} is the project itself; choose another file to export to")
    for suffix in ("-wal", "-shm", "-journal"):
        if resolved.name.endswith(suffix) and resolved.with_name(resolved.name.removesuffix(suffix)).is_file():
            raise ValueError(f"{resolved} belongs to the database beside it; choose another file to export to")
    if resolved.is_file():
        with resolved.open("rb") as existing:
            head = existing.read(16)
        if head == b"SQLite format 3\x00" or head[:4] in (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83"):
            raise ValueError(f"{resolved} is a database or its log, perhaps another project; choose another file to export to")


@contextmanager
def _output(target: str | Path) -> Iterator[IO[bytes]]:
    if str(target) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
