"""Import articles from files and folders into a project."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.formats.articles import article_files, read_file
from annotator.store.documents import add_documents
from annotator.store.project import Project

log = logging.getLogger(__name__)
BATCH = 500  # documents per transaction: bulk speed without holding the write lock for long

Progress = Callable[[int], None]  # called with the number of files finished so far


@dataclass
class ImportReport:
    files: int = 0
    added: int = 0
    duplicates: list[str] = field(default_factory=list)  # one line each: which and of what
    problems: list[Problem] = field(default_factory=list)  # errors (skipped input) and warnings
    skipped_files: list[Path] = field(default_factory=list)  # non-article files met in folders
    cancelled: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        parts = [f"{self.added} document{'s' if self.added != 1 else ''} imported from {self.files} file(s)"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate(s) skipped")
        if self.errors:
            parts.append(f"{len(self.errors)} problem(s)")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        if self.skipped_files:
            parts.append(f"{len(self.skipped_files)} other file(s) in folders ignored")
        if self.cancelled:
            parts.append("cancelled (what was read so far is kept)")
        return ", ".join(parts)


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Read every file; store documents in batches; report duplicates and problems, never stop on one.

    ``encoding`` names the encoding of every file instead of detecting it."""
    report = ImportReport()
    pending: list[Document] = []
    for item in article_files([Path(p) for p in paths], report.skipped_files):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        report.files += 1
        for found in read_file(item, encoding):
            if isinstance(found, Problem):
                log.warning("import: %s", found)
                report.problems.append(found)
            else:
                pending.append(found)
                if len(pending) >= BATCH:
                    _store(project, pending, report)
        if progress:
            progress(report.files)
    _store(project, pending, report)
    return report


def _store(project: Project, pending: list[Document], report: ImportReport) -> None:
    if not pending:
        return
    result = add_documents(project, pending)
    report.added += len(result.added)
    report.duplicates.extend(
        f"{doc.source or doc.title}: same text as '{kept}', skipped" for doc, kept in result.duplicates
    )
    pending.clear()


def count_files(paths: Iterable[str | Path]) -> int:
    """How many files an import will read (for a progress bar's total)."""
    return sum(1 for item in article_files([Path(p) for p in paths]) if not isinstance(item, Problem))
