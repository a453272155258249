"""Entity suggestions from a spaCy pipeline, batched with nlp.pipe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from annotator.core.model import Layer, Span, State
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
    """For each (text, key): the key and the pipeline's entities as suggested spans.

    spaCy's character offsets are code points, like ours, so they are stored as they come.
    """
    docs = pipeline.nlp.pipe(_pieces(items), as_tuples=True, batch_size=batch_size, n_process=n_process)
    try:
        yield from _entities(pipeline, docs)
    finally:
        docs.close()  # with n_process > 1 this ends spaCy's worker processes at once


def _pieces(items: Iterable[tuple[str, Key]]) -> Iterator[tuple[str, tuple[Key, int, bool]]]:
    for text, key in items:
        cuts = list(piece_bounds(text))
        for number, (start, end) in enumerate(cuts):
            yield text[start:end], (key, start, number == len(cuts) - 1)


def piece_bounds(text: str, size: int = PIECE) -> Iterator[tuple[int, int]]:
    """(start, end) of pieces of at most ``size`` characters, cut after a line break (else a space)."""
    start = 0
    while True:
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        yield start, end
        if end >= len(text):
            return
        start = end


def _entities(pipeline: Pipeline, docs) -> Iterator[tuple[Key, list[Span]]]:
    found: list[Span] = []
    for doc, (key, offset, last) in docs:
        found.extend(
            Span(
                start=offset + ent.start_char,
                end=offset + ent.end_char,
                label=ent.label_,
                layer=Layer.ENTITY,
                origin=pipeline.origin,
                state=State.SUGGESTED,
            )
            for ent in doc.ents
        )
        if last:
            yield key, found
            found = []
