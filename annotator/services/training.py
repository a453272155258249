"""Learning from the analysts: train suggestion models on a project's reviewed annotations, compare each with
the model it would replace, and keep it versioned in the data folder (services.models).

What is learned (annotator.nlp.training and its train_* modules):

- entities: the base pipeline's recogniser fine-tuned, with the project's labels; accepted and edited spans
  are gold, rejected suggestions negatives;
- statements: a tagger of SOURCE, CUE, CONTENT and O tokens, decoded into statements with their cue and
  speaker (annotator.nlp.trained);
- claims: a sentence classifier whose probability is the check-worthiness score.

Which documents. ``documents="reviewed"`` (the default): the documents marked done (as evaluation reads
them); every one counts for every layer trained, so a done document without claims teaches what is no
claim. ``"annotated"``: per layer, every document with an accepted or edited span of that layer, done or not,
for a gold set imported whole (PolNeAR's brat files come in not marked done). Suggestions nobody reviewed
are never taken as right or wrong. Where several people annotated one layer of a document, the annotations
of the one who made the most are used (two overlapping versions of one statement would teach nonsense).

The held-back part: a fixed share of the documents (``dev``, 0.2), chosen by a hash of each document's
uid, so the same documents are held back on every run and for every model; the new model and the one it
would replace (the project's suggestion model: the stock pipeline and the rules if none was chosen) are
scored on them alike. A share of 0 trains on everything and compares nothing.

``train`` runs here; ``train_elsewhere`` runs it in a process of its own with progress and cancel, for the
window and the command line. A cancelled, failed or killed run leaves no model and changes no project's
choice: the model is written into a temporary folder and renamed into place when complete.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import shutil
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer
from annotator.core.scoring import Scores
from annotator.services import models
from annotator.services.evaluating import evaluate
from annotator.services.evaluation import Evaluation
from annotator.services.training_data import (
    ANNOTATED,
    REVIEWED,
    NothingToTrain,
    Selection,
    gold_of,
    layers_to_train,
    loaded,
    select,
)
from annotator.store.project import Project, open_project

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (stage, done, total): stage is a phrase fit to show
GRACE = 5.0  # seconds a cancelled run gets to stop by itself before its process is killed


@dataclass(frozen=True)
class TrainingOptions:
    name: str | None = None  # the model's name (default: the project's); each run adds a version
    layers: frozenset[Layer] | None = None  # None: every layer that has annotations to learn from
    dev: float = 0.2  # the share held back to compare the new model with the one it would replace
    base: str | None = None  # the pipeline to start from (default: the stock one); a trained model too
    documents: str = REVIEWED  # or ANNOTATED: see the module's docstring
    epochs: int | None = None  # None: each layer's own (entities 5, statements 4, claims 4)
    use: bool = False  # make the new model the project's suggestion model when done


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a layer and label (or a measure of its own), old and new side by side."""

    layer: Layer
    label: str  # "(all)", a label, or a measure: "content characters", "speaker", "cue", "average precision"
    match: str  # "exact", "overlap", "characters", "accuracy" or "ranking"
    old: Scores | float | None
    new: Scores | float | None


@dataclass
class TrainingResult:
    model: models.ModelInfo | None  # None: cancelled
    trained: frozenset[Layer] = frozenset()
    skipped: dict[Layer, str] = field(default_factory=dict)  # layers asked for but not trained, and why
    documents: dict[str, dict[str, int]] = field(default_factory=dict)  # {"train"|"dev": {layer: documents}}
    new: Evaluation | None = None  # the new model on the held-back documents
    old: Evaluation | None = None  # the model it would replace, on the same documents
    replaced: str = ""  # that model's origin
    used: bool = False  # it became the project's suggestion model
    cancelled: bool = False
    seconds: float = 0.0

    def rows(self) -> list[Row]:
        """The comparison, per layer and label: entities matched exactly, statements and claims by overlap
        (their bounds are a matter of taste), then content characters, speaker, cue and claim ranking."""
        if self.new is None or self.old is None:
            return []
        rows = []
        for layer in Layer:
            if layer not in self.new.scores:
                continue
            match = "exact" if layer == Layer.ENTITY else "overlap"
            new, old = getattr(self.new.scores[layer], match), getattr(self.old.scores[layer], match)
            rows.append(Row(layer, "(all)", match, old.overall, new.overall))
            for label in sorted(set(new.labels) | set(old.labels)):
                rows.append(Row(layer, label, match, old.labels.get(label), new.labels.get(label)))
            if layer == Layer.STATEMENT:
                rows.append(Row(layer, "content characters", "characters", _overall(self.old.content),
                                _overall(self.new.content)))
                rows.append(Row(layer, "speaker", "accuracy", _value(self.old.speaker), _value(self.new.speaker)))
                rows.append(Row(layer, "cue", "accuracy", _value(self.old.cue), _value(self.new.cue)))
            if layer == Layer.CLAIM:
                rows.append(Row(layer, "average precision", "ranking", self.old.claim_ap, self.new.claim_ap))
        return rows

    def summary(self) -> str:
        if self.cancelled or self.model is None:
            return "Training cancelled: no model was saved and nothing was changed"
        layers = ", ".join(_plural(layer) for layer in Layer if layer in self.trained)
        train = max(self.documents.get("train", {}).values(), default=0)
        dev = max(self.documents.get("dev", {}).values(), default=0)
        text = (f"Trained {self.model.ref} ({layers}) from {self.model.base} on {train} document(s) in "
                f"{self.seconds:.0f} s; saved in {self.model.path}")
        text += f"; {dev} document(s) held back" if dev else "; nothing held back, so nothing was compared"
        for layer, why in self.skipped.items():
            text += f"\n{_plural(layer).capitalize()} not trained: {why}"
        if self.used:
            text += f"\nThe project's suggestions now come from {self.model.ref}"
        else:
            text += f"\nTo suggest with it: annotator models use {self.model.ref}"
        return text

    def table(self) -> str:
        """The summary, then the comparison as plain text for a terminal."""
        lines = [self.summary()]
        rows = self.rows()
        if not rows or self.model is None:
            return "\n".join(lines)
        assert self.new is not None
        width = max(len(r.label) for r in rows)
        column = max(20, len(self.replaced), len(self.model.ref))
        measures = f"{'P':>{column - 14}}{'R':>7}{'F1':>7}"
        lines += [
            "",
            f"On the {self.new.documents} held-back document(s), the model it would replace and the new one:",
            "",
            f"{'':<10} {'':<{width}} {'':<10}  {self.replaced:>{column}}  {self.model.ref:>{column}}",
            f"{'layer':<10} {'label':<{width}} {'match':<10}  {measures}  {measures}",
        ]
        for row in rows:
            lines.append(f"{row.layer!s:<10} {row.label:<{width}} {row.match:<10}  {_cells(row.old, column)}  "
                         f"{_cells(row.new, column)}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "model": None if self.model is None else self.model.ref,
            "path": None if self.model is None or self.model.path is None else str(self.model.path),
            "trained": [str(layer) for layer in Layer if layer in self.trained],
            "skipped": {str(layer): why for layer, why in self.skipped.items()},
            "documents": self.documents,
            "replaced": self.replaced,
            "scores": {"new": None if self.new is None else self.new.as_dict(),
                       "old": None if self.old is None else self.old.as_dict()},
            "used": self.used,
            "cancelled": self.cancelled,
            "seconds": round(self.seconds, 1),
        }


def _overall(report) -> Scores | None:
    return None if report is None else report.overall


def _value(share) -> float | None:
    return None if share is None else share.value


def _cells(value: Scores | float | None, width: int) -> str:
    if value is None:
        return f"{'n/a':>{width}}"
    if isinstance(value, Scores):
        return f"{value.precision:>{width - 14}.3f}{value.recall:>7.3f}{value.f1:>7.3f}"
    return f"{value:>{width}.3f}"


def _plural(layer: Layer) -> str:
    return "entities" if layer == Layer.ENTITY else f"{layer}s"


# --- running in a process of its own -----------------------------------------------------------------


def train_elsewhere(
    project: Project,
    options: TrainingOptions = TrainingOptions(),
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    grace: float = GRACE,
) -> TrainingResult:
    """train() in a process of its own (spawned: spaCy never enters the caller's process). Progress comes
    back here; a cancel goes there, and a run that has not stopped ``grace`` seconds later is killed. Whatever
    way it ends short of finishing, its folder is removed: no model, no change to the project."""
    name = models.check_name(options.name or models.default_name(project))
    _check_options(options)
    layers_to_train(select(project, options), options)  # bad input is told at once, before spaCy loads there
    partial = models.partial_folder(name)
    context = multiprocessing.get_context("spawn")
    incoming, outgoing = context.Pipe(duplex=False)
    stop = context.Event()
    location = str(project.path) if project.path is not None else project.location
    worker = context.Process(target=_train_there, args=(location, options, name, str(partial), outgoing, stop),
                             name="annotator-train", daemon=True)
    worker.start()
    outgoing.close()
    cancelled_at: float | None = None
    finished = False
    try:
        while True:
            if cancel is not None and cancel.is_set() and cancelled_at is None:
                stop.set()
                cancelled_at = time.monotonic()
            if cancelled_at is not None and time.monotonic() - cancelled_at > grace:
                return TrainingResult(None, cancelled=True)
            if not incoming.poll(0.1):
                if not worker.is_alive() and not incoming.poll(0):
                    if cancelled_at is not None:
                        return TrainingResult(None, cancelled=True)
                    raise AnnotatorError(f"training stopped unexpectedly (exit code {worker.exitcode}); "
                                         "no model was saved")
                continue
            try:
                kind, *payload = incoming.recv()
            except EOFError:  # its end of the pipe closed: the process is ending or ended
                if cancelled_at is not None:
                    return TrainingResult(None, cancelled=True)
                worker.join(timeout=grace)
                raise AnnotatorError(f"training stopped unexpectedly (exit code {worker.exitcode}); "
                                     "no model was saved") from None
            if kind == "progress" and progress is not None:
                progress(*payload)
            elif kind == "done":
                finished = True
                return payload[0]
            elif kind == "error":
                error, details = payload
                log.error("training failed in its process:\n%s", details)
                raise error
    finally:
        stop.set()
        worker.join(timeout=grace if finished else 0.5)
        if worker.is_alive():
            worker.terminate()
            worker.join(timeout=2)
        if worker.is_alive():
            worker.kill()
            worker.join(timeout=2)
        incoming.close()
        shutil.rmtree(partial, ignore_errors=True)  # gone already when the run finished: renamed into place


def _train_there(location: str, options: TrainingOptions, name: str, partial: str, out, stop) -> None:
    """The other process of train_elsewhere: open the project, train, report back."""
    _end_with_parent()
    try:
        project = open_project(location, create=False)
        try:
            result = train(project, options, name=name, partial=Path(partial), cancel=stop,
                           progress=lambda stage, done, total: out.send(("progress", stage, done, total)))
        finally:
            project.close()
        out.send(("done", result))
    except BaseException as exc:
        details = traceback.format_exc()
        try:
            out.send(("error", exc, details))
        except Exception:  # an exception that cannot be pickled, or the parent is gone
            try:
                out.send(("error", AnnotatorError(f"{type(exc).__name__}: {exc}"), details))
            except Exception:
                pass
    finally:
        out.close()


def _end_with_parent() -> None:
    """A run whose parent was killed (the command line's process, the window) must not go on by itself."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        while parent.is_alive():
            time.sleep(0.5)
        import os

        os._exit(1)  # its folder is swept by the next run or listing (services.models.sweep)

    threading.Thread(target=watch, name="annotator-train-watch", daemon=True).start()


# --- training ----------------------------------------------------------------------------------------


def train(
    project: Project,
    options: TrainingOptions = TrainingOptions(),
    *,
    progress: Progress | None = None,
    cancel=None,
    name: str | None = None,
    partial: Path | None = None,
) -> TrainingResult:
    """Train, compare and save a model in this process (spaCy is imported here). ``partial``: the folder to
    write into (train_elsewhere makes it, to remove it whatever happens); by default one is made here."""
    started = time.monotonic()
    name = models.check_name(name or options.name or models.default_name(project))
    _check_options(options)
    selection = select(project, options)
    if not selection.train:
        raise NothingToTrain(f"all {len(selection.dev)} selected document(s) fell in the held-back part: "
                             f"lower --dev or review more documents")
    layers = layers_to_train(selection, options)
    own_folder = partial is None
    partial = partial if partial is not None else models.partial_folder(name)
    try:
        return _train(project, options, name, partial, selection, layers, progress, cancel, started)
    finally:
        if own_folder:
            shutil.rmtree(partial, ignore_errors=True)


def _train(project: Project, options: TrainingOptions, name: str, partial: Path, selection: Selection,
           layers: dict[Layer, str | None], progress: Progress | None, cancel, started: float) -> TrainingResult:
    from annotator.nlp.claims import ORIGIN as CLAIM_RULES
    from annotator.nlp.model_meta import write_meta
    from annotator.nlp.pipelines import default_model, load_pipeline, origin_of
    from annotator.nlp.statements import ORIGIN as STATEMENT_RULES
    from annotator.nlp.training import Cancelled, Trainer, default_epochs, load_base

    trained = frozenset(layer for layer, why in layers.items() if why is None)
    skipped = {layer: why for layer, why in layers.items() if why is not None}
    base_name = options.base or default_model()
    base = models.find_model(base_name)
    nlp = load_base(models.resolve(None, base_name) or default_model(), trained)
    base_origin = base.ref if base is not None and not base.stock else origin_of(nlp)
    inherited = set((base.meta.get("layers", ()) if base is not None else ())) - {str(x) for x in trained}
    version = models.next_version(name)
    epochs = {layer: options.epochs or default_epochs(layer) for layer in trained}
    labels = sorted(selection.entity_labels)  # the labels analysts used: others the recogniser keeps (rehearsal)
    try:
        trainer = Trainer(nlp, cancel, progress)
        golds = (gold_of(*found, trained, options.documents) for found in loaded(project, selection.train))
        trainer.read(golds, len(selection.train))
        for layer in Layer:
            if layer in trained:
                trainer.train(layer, epochs[layer], labels)
        nlp.meta["name"] = f"annotator_{name}".replace("-", "_").replace(".", "_")
        trainer.save(partial)
    except Cancelled:
        return TrainingResult(None, cancelled=True)
    del trainer, nlp
    gc.collect()
    meta = {
        "name": name,
        "version": version,
        "origin": f"{name}@{version}",
        "layers": [str(x) for x in Layer if x in trained or str(x) in inherited],
        "base": {"name": base_name, "origin": base_origin},
        "rules": {str(Layer.STATEMENT): STATEMENT_RULES, str(Layer.CLAIM): CLAIM_RULES},
        "project": project.name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": {"selection": options.documents, "dev_share": options.dev,
                      "train": selection.counts("train", trained), "dev": selection.counts("dev", trained)},
        "epochs": {str(layer): n for layer, n in epochs.items()},
    }
    write_meta(partial, meta)
    new = old = None
    replaced = _replaced(project)
    if selection.dev:
        new = _evaluate(project, load_pipeline(str(partial), trained, required=True), trained, selection.dev,
                        "Evaluating the new model", progress, cancel)
        old = _evaluate(project, load_pipeline(models.resolve(project, None), trained, required=True), trained,
                        selection.dev, f"Evaluating {replaced}", progress, cancel)
        if new.cancelled or old.cancelled:
            return TrainingResult(None, cancelled=True)
        replaced = old.origin
    meta["scores"] = {"replaced": replaced, "new": None if new is None else new.as_dict(),
                      "old": None if old is None else old.as_dict()}
    meta["seconds"] = round(time.monotonic() - started, 1)
    write_meta(partial, meta)
    if cancel is not None and cancel.is_set():
        return TrainingResult(None, cancelled=True)
    installed = models.install(partial, name, version)
    if installed != version:  # another run took the number meanwhile: this one is the next
        meta.update(version=installed, origin=f"{name}@{installed}")
        write_meta(models.models_dir() / name / str(installed), meta)
    info = models.find_model(f"{name}@{installed}")
    if options.use and info is not None:
        info = models.use_model(project, info.ref)
    documents = {"train": meta["documents"]["train"], "dev": meta["documents"]["dev"]}
    return TrainingResult(info, trained, skipped, documents, new, old, replaced, options.use and info is not None,
                          seconds=time.monotonic() - started)


def _check_options(options: TrainingOptions) -> None:
    if options.documents not in (REVIEWED, ANNOTATED):
        raise AnnotatorError(f"documents must be '{REVIEWED}' or '{ANNOTATED}', not '{options.documents}'")
    if not 0.0 <= options.dev < 1.0:
        raise AnnotatorError(f"the held-back share must be at least 0 and below 1, not {options.dev}")
    if options.epochs is not None and options.epochs < 1:
        raise AnnotatorError(f"epochs must be at least 1, not {options.epochs}")


def _replaced(project: Project) -> str:
    """The project's suggestion model: its NAME@VERSION, or the stock pipeline's name."""
    chosen = models.chosen_model(project)
    if chosen is not None:
        return chosen
    from annotator.nlp.pipelines import default_model

    return default_model()


def _evaluate(project: Project, pipeline, layers: frozenset[Layer], ids: list[int], stage: str,
              progress: Progress | None, cancel) -> Evaluation:
    report = None if progress is None else (lambda done, total: progress(stage, done, total))
    return evaluate(project, layers=layers, pipeline=pipeline, progress=report, cancel=cancel, ids=ids)
