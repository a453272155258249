"""Evaluation: run the suggesters on reviewed documents and score what they would suggest against what
people accepted. Nothing is written to the project.

Reviewed documents are those marked done: by the status the document list shows (the latest anyone
set, else the one it was imported with), or by any annotator's own status. Their gold is every span
a person accepted or edited; suggestions nobody reviewed and rejected spans are not gold. Each
reviewed document counts for every layer evaluated, so a done document without claims is a claim
negative.

The suggestions are those pre-annotation would store for the document had nobody annotated it yet
(``to_store`` with nothing stored), with the project's labels. See services.evaluation for the measures.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer, Status
from annotator.core.suggestions import to_store
from annotator.services.evaluation import Comparison, Evaluation
from annotator.services.models import resolve as resolve_model
from annotator.services.preannotating import ALL_LAYERS, suggesters_for
from annotator.store.annotated import Annotated, load_annotated
from annotator.store.documents import document_ids
from annotator.store.edits import annotator_names
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.nlp.pipelines import Pipeline

Progress = Callable[[int, int], None]  # (documents scored, reviewed documents)
NO_REVIEWED = "no reviewed documents: mark documents done first"


class NothingToEvaluate(AnnotatorError):
    """The project has no document marked done."""


def reviewed_ids(project: Project) -> list[int]:
    """Ids of the documents marked done, by the latest status or by any annotator's own, in import order."""
    done = str(Status.DONE)
    found = set(document_ids(project, status=done))
    for name in annotator_names(project):
        found.update(document_ids(project, name, done))
    return sorted(found)


def evaluate(
    project: Project,
    model: str | None = None,
    layers: Iterable[Layer] | None = None,
    *,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    batch_size: int = 32,
    ids: list[int] | None = None,
) -> Evaluation:
    """Score the suggestions of ``layers`` (None: every layer the pipeline can suggest) on the reviewed
    documents, or on the documents ``ids`` (training's held-back part). ``model`` as in preannotate (None:
    the project's suggestion model). Cancelled, the scores cover the documents finished, and say so."""
    ids = reviewed_ids(project) if ids is None else list(ids)
    if not ids:  # before loading spaCy, which takes seconds
        raise NothingToEvaluate(NO_REVIEWED)
    # spaCy is imported here, not at the top: importing it takes a second, and the window must not wait.
    from annotator.nlp.pipelines import load_pipeline
    from annotator.nlp.suggest import suggest

    asked = frozenset(layers) if layers is not None else ALL_LAYERS
    pipeline = pipeline or load_pipeline(resolve_model(project, model), asked, required=layers is not None)
    chosen = asked & pipeline.layers
    not_evaluated = ""
    if asked - chosen:
        names = " and ".join(f"{layer}s" for layer in Layer if layer in asked - chosen)
        not_evaluated = f"{names} not evaluated: {pipeline.origin} has no parser"
    suggesters = suggesters_for(project, pipeline.origin, pipeline.trained)
    comparison = Comparison(chosen)
    waiting: dict[int, Annotated] = {}  # read, not yet scored: only what spaCy's batch holds
    if progress:
        progress(0, len(ids))
    results = suggest(pipeline, _texts(project, ids, waiting), chosen, batch_size)
    cancelled = False
    try:
        for doc_id, found in results:
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
            document, spans, relations = waiting.pop(doc_id)
            predicted, links = to_store(found, suggesters, [], set(chosen))
            comparison.add(doc_id, document.text, spans, relations, predicted, links)
            if progress:
                progress(comparison.documents, len(ids))
    finally:
        results.close()
    return comparison.result(pipeline.origin, cancelled, not_evaluated)


def _texts(project: Project, ids: list[int], waiting: dict[int, Annotated]) -> Iterator[tuple[str, int]]:
    """(text, id) of each document as spaCy asks for it; its annotations wait until its suggestions come."""
    for doc_id in ids:
        loaded = load_annotated(project, doc_id)
        if loaded is None:  # deleted since it was listed
            continue
        waiting[doc_id] = loaded
        yield loaded[0].text, doc_id
