"""Suggestions from a spaCy pipeline, batched with nlp.pipe: entities from its recogniser, statements and
claims from the rules in nlp.statements and nlp.claims over its parse."""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Iterable, Iterator
from typing import TypeVar

from annotator.core.graphemes import end_of, outward, start_of
from annotator.core.model import Layer, Span, State
from annotator.core.suggestions import Found
from annotator.nlp.pipelines import Pipeline

Key = TypeVar("Key")


# spaCy's models need memory in proportion to a text's length (6 GB for a 1.9-million-character
# article, measured), and refuse texts over 1,000,000 characters. Long articles go in pieces cut at
# line breaks, where no entity spans; offsets are shifted back, so nobody downstream can tell.
PIECE = 10_000  # times 32 documents a batch: at most ~320,000 characters in memory at once


def suggest_entities(
    pipeline: Pipeline,
    items: Iterable[tuple[str, Key]],
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[Key, list[Span]]]:
    """For each (text, key): the key and the pipeline's entities as suggested spans."""
    for key, found in suggest(pipeline, items, {Layer.ENTITY}, batch_size, n_process):
        yield key, [_suggested(pipeline, start, end, label) for start, end, label in found.entities]


def suggest(
    pipeline: Pipeline,
    items: Iterable[tuple[str, Key]],
    layers: Iterable[Layer] = (Layer.ENTITY,),
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[Key, Found]]:
    """For each (text, key): the key and what was found for ``layers``. With one process in the
    order given; with more, in the order they are finished.

    spaCy's character offsets are code points, like ours. Its tokenizer may split what a reader sees as
    one character (a flag's two regional indicators, an emoji and its skin tone): such an edge is
    moved outward to the whole character, so no suggestion shows half a flag.
    """
    layers = frozenset(layers)
    if n_process > 1:
        yield from _in_processes(pipeline, items, batch_size, n_process, layers)
        return
    docs = pipeline.nlp.pipe(_pieces(items), as_tuples=True, batch_size=batch_size)
    try:
        yield from _found(docs, layers)
    finally:
        docs.close()


# --- more than one process ---------------------------------------------------------------------------
# spaCy's own n_process sends every finished Doc back whole (serialised, then rebuilt in this process),
# which kept this process busy: two processes ran 1.4 times as fast as one. Here each worker process
# runs the pipeline on whole documents and sends back only what it found, as offsets.

TASK_CHARACTERS = 40_000  # text per task: small enough to share the last ones out evenly


def _in_processes(pipeline: Pipeline, items: Iterable[tuple[str, Key]], batch_size: int, n_process: int,
                  layers: frozenset[Layer]):
    # fork hands the loaded pipeline to each worker as it is; where there is no fork it is pickled.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    tasks, results = context.Queue(), context.Queue()
    workers = [
        context.Process(target=_work, args=(pipeline.nlp, tasks, results, batch_size, layers), daemon=True)
        for _ in range(n_process)
    ]
    for worker in workers:
        worker.start()
    source = _tasks(items)
    in_flight, exhausted, finished = 0, False, False
    try:
        while True:
            while not exhausted and in_flight < 2 * n_process:  # enough handed out to keep all busy
                task = next(source, None)
                if task is None:
                    exhausted = True
                else:
                    tasks.put(task)
                    in_flight += 1
            if in_flight == 0:
                break
            found = _result(results, workers)
            in_flight -= 1
            yield from found
        finished = True
    finally:
        if finished:
            for _ in workers:
                tasks.put(None)  # done: each worker ends after its last task
        for worker in workers:
            worker.join(timeout=10 if finished else 0)
            if worker.is_alive():  # cancelled or failed: no need to wait for a document to finish
                worker.terminate()
                worker.join(timeout=5)
        tasks.close()
        results.close()


def _tasks(items: Iterable[tuple[str, Key]]) -> Iterator[list[tuple[str, Key]]]:
    task: list[tuple[str, Key]] = []
    size = 0
    for text, key in items:
        task.append((text, key))
        size += len(text)
        if size >= TASK_CHARACTERS:
            yield task
            task, size = [], 0
    if task:
        yield task


def _result(results, workers) -> list:
    while True:
        try:
            kind, *payload = results.get(timeout=1)
        except queue.Empty:
            dead = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"a pre-annotation process stopped unexpectedly (exit code {dead[0]})") from None
            continue
        if kind == "error":
            message, details = payload
            raise RuntimeError(f"pre-annotation failed in a worker process: {message}\n{details}")
        return payload[0]


def _work(nlp, tasks, results, batch_size: int, layers: frozenset[Layer]) -> None:
    """A worker process: tasks of (text, key) in, (key, Found) out."""
    while True:
        task = tasks.get()
        if task is None:
            return
        try:
            found = list(_found(nlp.pipe(_pieces(task), as_tuples=True, batch_size=batch_size), layers))
            results.put(("ok", found))
        except BaseException as exc:  # reported to the process that waits for the result
            results.put(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            return


def _suggested(pipeline: Pipeline, start: int, end: int, label: str) -> Span:
    return Span(start=start, end=end, label=label, layer=Layer.ENTITY, origin=pipeline.origin, state=State.SUGGESTED)


def _pieces(items: Iterable[tuple[str, Key]]) -> Iterator[tuple[str, tuple[Key, int, bool, str]]]:
    """Each piece with (key, where it starts, whether it is the last, the whole text)."""
    for text, key in items:
        cuts = list(piece_bounds(text))
        for number, (start, end) in enumerate(cuts):
            yield text[start:end], (key, start, number == len(cuts) - 1, text)


def piece_bounds(text: str, size: int = PIECE) -> Iterator[tuple[int, int]]:
    """(start, end) of pieces of at most ``size`` characters, cut after a line break (else a space),
    and never inside a character as a reader sees it."""
    start = 0
    while True:
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
            # Text without spaces (Chinese, Japanese) is cut anywhere, and a space may carry an accent:
            # a cut there would leave a bare "e" in one piece and its accent, or half a flag, in the next.
            end = start_of(text, end)
            if end <= start:  # one character longer than a piece: it goes whole, a little over the size
                end = end_of(text, start + 1)
        yield start, end
        if end >= len(text):
            return
        start = end


def _found(docs, layers: frozenset[Layer]) -> Iterator[tuple[Key, Found]]:
    """(key, Found) per document from the Docs of its pieces, in order. Statements and claims come from a
    trained model's components when the pipeline has them (annotator.nlp.trained left them on the Doc),
    else from the rules."""
    if Layer.STATEMENT in layers:
        from annotator.nlp.statements import attributions
    if Layer.CLAIM in layers:
        from annotator.nlp.claims import THRESHOLD, claim_sentences
    if layers - {Layer.ENTITY}:
        from annotator.nlp.trained import trained_attributions, trained_claims
    found = Found()
    for doc, (key, offset, last, text) in docs:
        piece = Found()
        if Layer.ENTITY in layers:
            piece.entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        if Layer.STATEMENT in layers:
            trained = trained_attributions(doc)
            piece.attributions = attributions(doc) if trained is None else trained
        if Layer.CLAIM in layers:
            trained = trained_claims(doc, THRESHOLD)
            piece.claims = claim_sentences(doc) if trained is None else trained
        # Back to the whole text's offsets, each edge moved outward to a whole character (see suggest()).
        found.extend(piece.moved(lambda s, e, o=offset, t=text: outward(t, s + o, e + o)))
        if last:
            yield key, found
            found = Found()
