"""Entity suggestions from a spaCy pipeline, batched with nlp.pipe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from annotator.core.model import Layer, Span, State
from annotator.nlp.pipelines import Pipeline

Key = TypeVar("Key")


def suggest_entities(
    pipeline: Pipeline,
    items: Iterable[tuple[str, Key]],
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[Key, list[Span]]]:
    """For each (text, key): the key and the pipeline's entities as suggested spans.

    spaCy's character offsets are code points, like ours, so they are stored as they come.
    """
    docs = pipeline.nlp.pipe(items, as_tuples=True, batch_size=batch_size, n_process=n_process)
    try:
        yield from _entities(pipeline, docs)
    finally:
        docs.close()  # with n_process > 1 this ends spaCy's worker processes at once


def _entities(pipeline: Pipeline, docs) -> Iterator[tuple[Key, list[Span]]]:
    for doc, key in docs:
        spans = [
            Span(
                start=ent.start_char,
                end=ent.end_char,
                label=ent.label_,
                layer=Layer.ENTITY,
                origin=pipeline.origin,
                state=State.SUGGESTED,
            )
            for ent in doc.ents
        ]
        yield key, spans
