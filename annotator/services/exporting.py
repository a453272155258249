"""Export a project. The file appears only when it is complete: written aside, then renamed."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator

from annotator.formats import native
from annotator.store.documents import iter_documents
from annotator.store.project import Project
from annotator.store.spans import relations_for_documents, spans_for_documents

FORMATS = ("jsonl",)
Progress = Callable[[int], None]  # documents written so far


@dataclass
class ExportReport:
    documents: int = 0
    spans: int = 0
    target: str = ""

    def summary(self) -> str:
        return f"{self.documents} document(s) with {self.spans} span(s) written to {self.target}"


def export(project: Project, target: str | Path, fmt: str = "jsonl", progress: Progress | None = None) -> ExportReport:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (known: {', '.join(FORMATS)})")
    report = ExportReport(target="standard output" if str(target) == "-" else str(target))
    with _output(target) as out:
        for docs in iter_documents(project):
            ids = [doc.id for doc in docs]
            with project.reading() as conn:
                spans = spans_for_documents(conn, ids)
                relations = relations_for_documents(conn, ids)
            for doc in docs:
                record = native.document_record(doc, spans.get(doc.id, []), relations.get(doc.id, []))
                report.spans += sum(len(record[key]) for key in native.LAYER_KEYS.values())
                native.write_record(record, out)
            report.documents += len(docs)
            if progress:
                progress(report.documents)
    return report


@contextmanager
def _output(target: str | Path) -> Iterator[IO[bytes]]:
    if str(target) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target).expanduser()
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name to export to")
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
