"""Pre-annotation: a spaCy pipeline suggests entities, and the rules over its parse statements and claims,
for documents that have not had them yet.

Each language's documents go to the pipeline the project chose for that language (services.models); a
language without one is left out and reported, and a pipeline is only run on documents of the language it
is made for (spaCy's ``nlp.lang``; "xx": any). The statement and claim rules read English only: documents
in other languages get those layers only from a model trained for them.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.languages import RULES_LANGUAGE, described
from annotator.core.model import Layer, Span, State, layer_bits
from annotator.core.suggestions import Suggesters
from annotator.core.vocabulary import CHECKWORTHINESS, CHECKWORTHINESS_CLASSES
from annotator.services.models import LanguageChoice, find_model, language_choices
from annotator.services.models import resolve as resolve_model
from annotator.services.schema import schema_of
from annotator.store.documents import count_documents, document_language, get_document, unsuggested_texts
from annotator.store.project import Project, open_project
from annotator.store.spans import forget_suggestions, save_found, suggestion_origins

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
    origins: dict[str, str] = field(default_factory=dict)  # language -> the origin of the pipeline that ran
    left_out: dict[str, tuple[int, str]] = field(default_factory=dict)  # language -> (documents, why)

    @property
    def spans(self) -> int:
        return sum(self.by_layer.values())

    @property
    def documents_left_out(self) -> int:
        return sum(count for count, _ in self.left_out.values())

    def summary(self) -> str:
        counts = ", ".join(_counted(self.by_layer[layer], str(layer)) for layer in Layer if layer in self.layers)
        what = f"{counts} suggested in {self.documents} document(s) by {self.origin or 'no pipeline'}"
        what += " (cancelled; finished documents were kept)" if self.cancelled else ""
        for language, (count, why) in self.left_out.items():
            what += f"; {count} document(s) in {described(language)} left out: {why}"
        return what + (f"; {self.not_suggested}" if self.not_suggested else "")

    def ran(self, language: str, origin: str, layers: frozenset[Layer], not_suggested: str) -> None:
        self.origins[language] = origin
        shown = list(dict.fromkeys(self.origins.values()))
        self.origin = shown[0] if len(shown) == 1 else ", ".join(f"{o} ({lang})" for lang, o in self.origins.items())
        self.layers = self.layers | layers
        if not_suggested:
            self.not_suggested = "; ".join(filter(None, (self.not_suggested, not_suggested)))


def _counted(number: int, noun: str) -> str:
    plural = "entities" if noun == "entity" else f"{noun}s"
    return f"{number} {noun if number == 1 else plural}"


def pending_count(project: Project, layers: Iterable[Layer] = ALL_LAYERS, model: str | None = None) -> int:
    """Documents a pre-annotation would suggest for: those of a language with a pipeline still missing a
    layer it can suggest there. Without spaCy: a trained model's layers come from its description."""
    layers = frozenset(layers)
    return sum(
        count_documents(project, True, layer_bits(_layers_for(choice, layers)), languages=[choice.language])
        for choice in language_choices(project, model)
        if choice.ref is not None
    )


def _layers_for(choice: LanguageChoice, layers: frozenset[Layer]) -> frozenset[Layer]:
    """Of ``layers``, those a language's pipeline can be expected to suggest: the rules read English only."""
    if choice.language == RULES_LANGUAGE:
        return layers
    info = find_model(choice.ref) if choice.ref else None
    trained = {Layer(name) for name in (info.layers if info is not None else ()) if name in set(Layer)}
    return layers & ({Layer.ENTITY} | trained)


def origins_of(project: Project, document_id: int, shown: Iterable[Span] | None = None) -> tuple[str | None, list[str]]:
    """A document's language and the origins (``name@version``) of its pending suggestions, else of the
    pipeline that last suggested for it: what the window says about the open document. ``shown``: its
    spans already read (the open article's): their suggestions' origins, without reading 20,000 rows again."""
    language = document_language(project, document_id)
    if shown is not None:
        found = sorted({s.origin for s in shown if s.state == State.SUGGESTED and s.origin})
        if found:
            return language, found
    return language, suggestion_origins(project, document_id)


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
    """Suggest ``layers`` for every document that has not had them, each language's with its pipeline
    (see the module's docstring); each batch is saved as it finishes. None: every layer the pipeline can
    suggest (one without a parser suggests entities only). ``model``: for the project's default language, a
    model trained here (NAME or NAME@VERSION), an installed pipeline or a folder; None: the project's
    suggestion model (services.models), else the stock pipeline. ``pipeline``: that one, for the documents
    of its language only. The report says which documents were left out, and why.
    """
    # spaCy is imported here, not at the top: importing it takes a second, and the window must not wait.
    from annotator.nlp.pipelines import load_pipeline

    asked = frozenset(layers) if layers is not None else ALL_LAYERS
    report = PreannotateReport("", frozenset())
    runs: list[tuple[list[str] | None, Pipeline]] = []  # (languages, pipeline); None: every language
    if pipeline is not None:  # given by the caller: its own language's documents (every one's for "xx")
        runs.append((None if pipeline.lang == "xx" else [pipeline.lang], pipeline))
        _leave_out_others(project, report, asked, pipeline)
    else:
        loaded: dict[str | None, Pipeline] = {}
        for choice in language_choices(project, model):
            pending = count_documents(project, True, layer_bits(asked), languages=[choice.language])
            if not pending and not choice.default:
                continue
            if choice.ref is None:
                report.left_out[choice.language] = (pending, f"no pipeline for {choice.language} (choose one with "
                                                             f"'annotator models --language {choice.language}=PIPELINE')")
                continue
            target = resolve_model(project, None if choice.default and not choice.explicit else choice.ref)
            if target not in loaded:  # the default language's pipeline loads even with nothing to do, as always
                loaded[target] = load_pipeline(target, asked, required=layers is not None and choice.default)
            chosen = loaded[target]
            if not chosen.suits(choice.language):
                if pending:
                    report.left_out[choice.language] = (pending, f"{chosen.origin} is for '{chosen.lang}'")
                if choice.default and not report.origin:
                    report.origin = chosen.origin
                continue
            runs.append(([choice.language], chosen))
    planned = [(languages, p, asked & p.layers) for languages, p in runs]
    total = sum(count_documents(project, True, layer_bits(wanted), languages=languages)
                for languages, _p, wanted in planned)
    if progress:
        progress(0, total)
    for languages, chosen, wanted in planned:
        missing = asked - wanted
        names = " and ".join(f"{layer}s" for layer in Layer if layer in missing)
        where = "" if languages is None or chosen.lang == RULES_LANGUAGE else f" for documents in {languages[0]}"
        report.ran(",".join(languages or ["all"]), chosen.origin, wanted,
                   f"{names} not suggested{where}: {chosen.origin} {chosen.left_out or 'cannot'}" if missing else "")
        _run(project, chosen, wanted, languages, report, progress, total, cancel, batch_size, n_process)
        if report.cancelled:
            break
    return report


def _leave_out_others(project: Project, report: PreannotateReport, asked: frozenset[Layer], pipeline: Pipeline) -> None:
    if pipeline.lang == "xx":
        return
    for choice in language_choices(project):
        if choice.language != pipeline.lang:
            pending = count_documents(project, True, layer_bits(asked), languages=[choice.language])
            if pending:
                report.left_out[choice.language] = (pending, f"{pipeline.origin} is for '{pipeline.lang}'")


def _run(project: Project, pipeline: Pipeline, layers: frozenset[Layer], languages: list[str] | None,
         report: PreannotateReport, progress: Progress | None, total: int, cancel: threading.Event | None,
         batch_size: int, n_process: int) -> None:
    """One pipeline over the pending documents of ``languages``: one nlp.pipe stream (with n_process > 1
    the worker processes start once, not once per batch); each batch saved as it finishes."""
    from annotator.nlp.suggest import suggest

    if not layers:
        return
    suggesters = suggesters_for(project, pipeline.origin, pipeline.trained)
    bits = layer_bits(layers)
    items = ((text, doc_id) for batch in unsuggested_texts(project, batch_size, bits, languages)
             for doc_id, text in batch)
    finished: list = []
    results = suggest(pipeline, items, layers, n_process=n_process)

    def save() -> None:
        _save(project, finished, report, progress, total, suggesters, layers, pipeline.origin)

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


def resuggest(
    project: Project,
    document_id: int,
    model: str | None = None,
    *,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> PreannotateReport:
    """Suggest anew for one document with ``model`` (None: the pipeline its language has in the project):
    its pending suggestions of the layers that pipeline suggests are replaced; what people accepted, edited
    or rejected stays (and is not suggested again). Refused for a pipeline made for another language."""
    from annotator.nlp.pipelines import load_pipeline
    from annotator.nlp.suggest import suggest

    language = document_language(project, document_id)
    if language is None:
        raise AnnotatorError(f"document {document_id} is not in the project (deleted?)")
    if pipeline is None:
        if model is None:
            choice = next((c for c in language_choices(project) if c.language == language), None)
            if choice is None or choice.ref is None:
                raise AnnotatorError(f"no pipeline is chosen for {described(language)}: choose one (Annotate > "
                                     f"Suggestion Model, or 'annotator models --language {language}=PIPELINE')")
            model = None if choice.default and not choice.explicit else choice.ref
        pipeline = load_pipeline(resolve_model(project, model), ALL_LAYERS, required=False)
    if not pipeline.suits(language):
        raise AnnotatorError(f"{pipeline.origin} is for '{pipeline.lang}' and this document is in {described(language)}: "
                             f"its suggestions would be wrong; choose a pipeline for '{language}'")
    layers = pipeline.layers
    report = PreannotateReport("", frozenset())
    report.ran(language, pipeline.origin, layers, "")
    forget_suggestions(project, document_id, layers)
    document = get_document(project, document_id)
    if progress:
        progress(0, 1)
    if cancel is not None and cancel.is_set():
        report.cancelled = True
        return report
    finished = list(suggest(pipeline, [(document.text, document_id)], layers))
    _save(project, finished, report, progress, 1, suggesters_for(project, pipeline.origin, pipeline.trained), layers,
          pipeline.origin)
    return report


def preannotate_elsewhere(
    project: Project,
    model: str | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    n_process: int = 1,
    layers: Iterable[Layer] | None = None,
    document_id: int | None = None,
) -> PreannotateReport:
    """preannotate() (or, for ``document_id``, resuggest()) in a process of its own, for the window: spaCy is never imported into the window's
    process, so loading it and running it never hold the window's interpreter (measured in a worker
    thread: the event loop stalled up to 100 ms while spaCy loaded). The other process opens the same
    project and saves each batch itself; progress comes back here, a cancel goes there."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks inherited
    incoming, outgoing = context.Pipe(duplex=False)
    stop = context.Event()
    location = str(project.path) if project.path is not None else project.location
    worker = context.Process(
        target=_preannotate_there,
        args=(location, model, n_process, outgoing, stop, None if layers is None else [str(x) for x in layers],
              document_id),
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


def _preannotate_there(location: str, model: str | None, n_process: int, out, stop, layers: list[str] | None,
                       document_id: int | None = None) -> None:
    """The other process of preannotate_elsewhere: open the project, run, report back."""
    try:
        project = open_project(location, create=False)
        try:
            if document_id is not None:
                report = resuggest(project, document_id, model, cancel=stop,
                                   progress=lambda done, total: out.send(("progress", done, total)))
            else:
                report = _preannotate_layers(project, model, out, stop, n_process, layers)
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


def _preannotate_layers(project: Project, model: str | None, out, stop, n_process: int,
                        layers: list[str] | None) -> PreannotateReport:
    return preannotate(
        project,
        model,
        progress=lambda done, total: out.send(("progress", done, total)),
        cancel=stop,
        n_process=n_process,
        layers=None if layers is None else {Layer(name) for name in layers},
    )


def _save(project: Project, finished: list, report: PreannotateReport, progress: Progress | None, total: int,
          suggesters: Suggesters, layers: frozenset[Layer], origin: str) -> None:
    if not finished:
        return
    documents, spans = save_found(project, finished, suggesters, set(layers), origin)
    report.documents += documents
    for layer, count in spans.items():
        report.by_layer[layer] += count
    finished.clear()
    if progress:
        progress(report.documents, total)
