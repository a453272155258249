"""Pre-annotation: a spaCy pipeline suggests entities for documents that have none yet."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.store.documents import count_documents, unsuggested_texts
from annotator.store.project import Project
from annotator.store.spans import save_suggestions

if TYPE_CHECKING:
    from annotator.nlp.pipelines import Pipeline

Progress = Callable[[int, int], None]  # (documents done, documents to do)


@dataclass
class PreannotateReport:
    origin: str
    documents: int = 0
    spans: int = 0
    cancelled: bool = False

    def summary(self) -> str:
        what = f"{self.spans} entities suggested in {self.documents} document(s) by {self.origin}"
        return what + (" (cancelled; finished documents were kept)" if self.cancelled else "")


def pending_count(project: Project) -> int:
    return count_documents(project, only_unsuggested=True)


def preannotate(
    project: Project,
    model: str | None = None,
    *,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    batch_size: int = 64,
    n_process: int = 1,
) -> PreannotateReport:
    """Suggest entities for every document no pipeline has seen; each batch is saved as it finishes.

    One nlp.pipe stream over all pending documents: with n_process > 1 spaCy starts its worker
    processes once, not once per batch.
    """
    # spaCy is imported here, not at the top: importing it takes a second, and the window must not wait.
    from annotator.nlp.pipelines import load_pipeline
    from annotator.nlp.suggest import suggest_entities

    total = pending_count(project)
    pipeline = pipeline or load_pipeline(model)
    report = PreannotateReport(pipeline.origin)
    if progress:
        progress(0, total)
    items = ((text, doc_id) for batch in unsuggested_texts(project, batch_size) for doc_id, text in batch)
    finished: list = []
    results = suggest_entities(pipeline, items, n_process=n_process)
    try:
        for result in results:
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            finished.append(result)
            if len(finished) >= batch_size:
                _save(project, finished, report, progress, total)
        _save(project, finished, report, progress, total)  # the last batch, or what was done before a cancel
    finally:
        results.close()  # stops spaCy's worker processes when cancelled
    return report


def _save(project: Project, finished: list, report: PreannotateReport, progress: Progress | None, total: int) -> None:
    if not finished:
        return
    documents, spans = save_suggestions(project, finished, report.origin)
    report.documents += documents
    report.spans += spans
    finished.clear()
    if progress:
        progress(report.documents, total)
