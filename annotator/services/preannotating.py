"""Pre-annotation: a spaCy pipeline suggests entities, and the rules over its parse statements and claims,
for documents that have not had them yet."""

from __future__ import annotations

import logging
import multiprocessing
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer, layer_bits
from annotator.core.suggestions import Suggesters
from annotator.core.vocabulary import CHECKWORTHINESS, CHECKWORTHINESS_CLASSES
from annotator.services.models import resolve as resolve_model
from annotator.services.schema import schema_of
from annotator.store.documents import count_documents, unsuggested_texts
from annotator.store.project import Project, open_project
from annotator.store.spans import save_found

if TYPE_CHECKING:
    from annotator.nlp.pipelines import Pipeline

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (documents done, documents to do)
ALL_LAYERS = frozenset(Layer)


@dataclass
class PreannotateReport:
    origin: str
    layers: frozenset[Layer] = ALL_LAYERS  # those suggested (a pipeline without a parser: entities only)
    documents: int = 0
    by_layer: dict[Layer, int] = field(default_factory=lambda: dict.fromkeys(Layer, 0))
    cancelled: bool = False
    not_suggested: str = ""  # layers left out, and why

    @property
    def spans(self) -> int:
        return sum(self.by_layer.values())

    def summary(self) -> str:
        counts = ", ".join(_counted(self.by_layer[layer], str(layer)) for layer in Layer if layer in self.layers)
        what = f"{counts} suggested in {self.documents} document(s) by {self.origin}"
        what += " (cancelled; finished documents were kept)" if self.cancelled else ""
        return what + (f"; {self.not_suggested}" if self.not_suggested else "")


def _counted(number: int, noun: str) -> str:
    plural = "entities" if noun == "entity" else f"{noun}s"
    return f"{number} {noun if number == 1 else plural}"


def pending_count(project: Project, layers: Iterable[Layer] = ALL_LAYERS) -> int:
    return count_documents(project, only_unsuggested=True, layers=layer_bits(layers))


def suggesters_for(project: Project, origin: str, trained: Iterable[Layer] = ()) -> Suggesters:
    """Origins and labels of each layer's suggestions in this project (its schema names them). Statements and
    claims are the rules' unless the pipeline is a model trained for them (``trained``): then its origin,
    ``NAME@VERSION``, is theirs too."""
    from annotator.nlp.claims import ORIGIN as CLAIM_RULES
    from annotator.nlp.statements import ORIGIN as STATEMENT_RULES

    trained = frozenset(trained)
    schema = schema_of(project)
    statements = schema.labels_of(Layer.STATEMENT)
    claims = schema.labels_of(Layer.CLAIM)
    classes = tuple(schema.choices(Layer.CLAIM, CHECKWORTHINESS)) or CHECKWORTHINESS_CLASSES
    return Suggesters(
        entity_origin=origin,
        statement_origin=origin if Layer.STATEMENT in trained else STATEMENT_RULES,
        claim_origin=origin if Layer.CLAIM in trained else CLAIM_RULES,
        statement_label=statements[0].name if statements else "STATEMENT",
        claim_label=claims[0].name if claims else "CLAIM",
        checkworthiness=classes,
    )


def preannotate(
    project: Project,
    model: str | None = None,
    *,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    layers: Iterable[Layer] | None = None,
) -> PreannotateReport:
    """Suggest ``layers`` for every document that has not had them; each batch is saved as it finishes.
    None: every layer the pipeline can suggest (one without a parser suggests entities only). ``model``: a
    model trained here (NAME or NAME@VERSION), an installed pipeline or a folder; None: the project's
    suggestion model (services.models), else the stock pipeline.

    One nlp.pipe stream over all pending documents: with n_process > 1 the worker processes start
    once, not once per batch.
    """
    # spaCy is imported here, not at the top: importing it takes a second, and the window must not wait.
    from annotator.nlp.pipelines import load_pipeline
    from annotator.nlp.suggest import suggest

    asked = frozenset(layers) if layers is not None else ALL_LAYERS
    pipeline = pipeline or load_pipeline(resolve_model(project, model), asked, required=layers is not None)
    layers = asked & pipeline.layers
    total = pending_count(project, layers)
    report = PreannotateReport(pipeline.origin, layers)
    if asked - layers:
        names = " and ".join(f"{layer}s" for layer in Layer if layer in asked - layers)
        report.not_suggested = f"{names} not suggested: {pipeline.origin} has no parser"
    suggesters = suggesters_for(project, pipeline.origin, pipeline.trained)
    if progress:
        progress(0, total)
    bits = layer_bits(layers)
    items = ((text, doc_id) for batch in unsuggested_texts(project, batch_size, bits) for doc_id, text in batch)
    finished: list = []
    results = suggest(pipeline, items, layers, n_process=n_process)

    def save() -> None:
        _save(project, finished, report, progress, total, suggesters, layers)

    try:
        for result in results:
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            finished.append(result)
            if len(finished) >= batch_size:
                save()
        save()  # the last batch, or what was done before a cancel
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
    layers: Iterable[Layer] | None = None,
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
        args=(location, model, n_process, outgoing, stop, None if layers is None else [str(x) for x in layers]),
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


def _preannotate_there(location: str, model: str | None, n_process: int, out, stop, layers: list[str] | None) -> None:
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
                layers=None if layers is None else {Layer(name) for name in layers},
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


def _save(project: Project, finished: list, report: PreannotateReport, progress: Progress | None, total: int,
          suggesters: Suggesters, layers: frozenset[Layer]) -> None:
    if not finished:
        return
    documents, spans = save_found(project, finished, suggesters, set(layers), report.origin)
    report.documents += documents
    for layer, count in spans.items():
        report.by_layer[layer] += count
    finished.clear()
    if progress:
        progress(report.documents, total)
