"""Pre-annotation: a spaCy pipeline suggests entities for documents that have none yet."""

from __future__ import annotations

import logging
import multiprocessing
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.store.documents import count_documents, unsuggested_texts
from annotator.store.project import Project, open_project
from annotator.store.spans import save_suggestions

if TYPE_CHECKING:
    from annotator.nlp.pipelines import Pipeline

log = logging.getLogger(__name__)
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


def preannotate_elsewhere(
    project: Project,
    model: str | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    n_process: int = 1,
) -> PreannotateReport:
    """preannotate() in a process of its own, for the window: spaCy is never imported into the window's
    process, so loading it and running it never hold the window's interpreter (measured in a worker
    thread: the event loop stalled up to 100 ms while spaCy loaded). The other process opens the same
    project and saves each batch itself; progress comes back here, a cancel goes there."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks inherited
    incoming, outgoing = context.Pipe(duplex=False)
    stop = context.Event()
    location = str(project.path) if project.path is not None else project.location
    worker = context.Process(
        target=_preannotate_there,
        args=(location, model, n_process, outgoing, stop),
        name="annotator-preannotate",
        daemon=True,
    )
    worker.start()
    outgoing.close()
    try:
        while True:
            if cancel is not None and cancel.is_set():
                stop.set()
            if not incoming.poll(0.1):
                if not worker.is_alive() and not incoming.poll(0):
                    raise AnnotatorError(f"pre-annotation stopped unexpectedly (exit code {worker.exitcode})")
                continue
            try:
                kind, *payload = incoming.recv()
            except EOFError:
                raise AnnotatorError(f"pre-annotation stopped unexpectedly (exit code {worker.exitcode})") from None
            if kind == "progress" and progress is not None:
                progress(*payload)
            elif kind == "done":
                return payload[0]
            elif kind == "error":
                error, details = payload
                log.error("pre-annotation failed in its process:\n%s", details)
                raise error
    finally:
        stop.set()
        worker.join(timeout=10)
        if worker.is_alive():  # still inside a document: what was finished is saved already
            worker.terminate()
            worker.join(timeout=5)
        incoming.close()


def _preannotate_there(location: str, model: str | None, n_process: int, out, stop) -> None:
    """The other process of preannotate_elsewhere: open the project, run, report back."""
    try:
        project = open_project(location, create=False)
        try:
            report = preannotate(
                project,
                model,
                progress=lambda done, total: out.send(("progress", done, total)),
                cancel=stop,
                n_process=n_process,
            )
        finally:
            project.close()
        out.send(("done", report))
    except BaseException as exc:
        details = traceback.format_exc()
        try:
            out.send(("error", exc, details))
        except Exception:  # an exception that cannot be pickled: its words are enough
            out.send(("error", AnnotatorError(f"{type(exc).__name__}: {exc}"), details))
    finally:
        out.close()


def _save(project: Project, finished: list, report: PreannotateReport, progress: Progress | None, total: int) -> None:
    if not finished:
        return
    documents, spans = save_suggestions(project, finished, report.origin)
    report.documents += documents
    report.spans += spans
    finished.clear()
    if progress:
        progress(report.documents, total)
