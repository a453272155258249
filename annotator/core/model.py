"""The domain: documents, spans and relations as plain values.

Offsets are code points (Python ``str`` indices) everywhere outside ``annotator.ui``.
Objects are frozen: a change is a new object, which keeps the store the only owner of state.
"""

from __future__ import annotations

import getpass
import hashlib
import itertools
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Layer(StrEnum):
    ENTITY = "entity"
    STATEMENT = "statement"
    CLAIM = "claim"


def layer_bits(layers) -> int:
    """Layers as one number (entity 1, statement 2, claim 4): what a document has had suggested is
    stored so, and "which documents still need statements" is one comparison in SQL."""
    return sum(1 << list(Layer).index(Layer(layer)) for layer in set(layers))


class State(StrEnum):
    SUGGESTED = "suggested"  # made by a model, not yet seen by a person
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # kept so the model's mistake is not suggested again
    EDITED = "edited"  # a person changed a suggestion's boundaries or label


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


def new_uid() -> str:
    """32 hex digits unique across projects: 80 random bits drawn once per process, then a counter.
    uuid4() per id was a tenth of an annotated import (two a span: the file's and the stored one)."""
    return f"{_uid_prefix}{next(_uid_counter):012x}"


def _new_uid_series() -> None:
    global _uid_prefix, _uid_counter
    _uid_prefix, _uid_counter = os.urandom(10).hex(), itertools.count()


_new_uid_series()
if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_new_uid_series)  # a forked worker must not repeat its parent's ids


def now() -> datetime:
    return datetime.now(UTC)


def content_hash(text: str) -> str:
    """Identity of a text for duplicate detection: same characters, same hash."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)  # a value like Span, and not frozen for the same reason: an export builds 100,000
class Document:
    text: str
    title: str = ""
    date: str | None = None  # ISO 8601 day, as the source gave it
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    status: Status = Status.NEW
    uid: str = field(default_factory=new_uid)
    id: int | None = None  # row number in one project; never exported
    suggested_by: str | None = None  # pipeline that last pre-annotated it
    suggested_layers: int = 0  # the layers a model has suggested for (or an import brought), as layer_bits()

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


# Treated as a value: a change is a new Span (with_changes), never an assignment. It is not frozen
# because a frozen dataclass sets each field through object.__setattr__, six times slower: opening an
# article builds all its spans at once (20,000: 40 ms instead of 7), an export two million.
@dataclass(slots=True)
class Span:
    start: int
    end: int
    label: str
    layer: Layer = Layer.ENTITY
    origin: str = ""  # "model@version", an annotator's name, or "import:<format>"
    state: State = State.ACCEPTED
    attributes: dict[str, Any] = field(default_factory=dict)
    annotator: str | None = None
    uid: str = field(default_factory=new_uid)
    id: int | None = None
    document_id: int | None = None
    created: datetime | None = None
    updated: datetime | None = None

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    def with_changes(self, **changes: Any) -> Span:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Relation:
    head: str  # span uid
    tail: str  # span uid
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid)
    id: int | None = None
    document_id: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentLabel:
    """A label of the whole document from one of the schema's label sets (e.g. check-worthy), set by
    one annotator. Each person keeps their own, as with spans; None: the source named nobody."""

    label_set: str
    label: str
    annotator: str | None = None
    origin: str = ""  # an annotator's name, or "import:<format>"

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.label_set, self.label, self.annotator)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of the document list: enough to show, cheap to load."""

    id: int
    uid: str
    title: str
    date: str | None
    status: Status
    entity_count: int
    labels: tuple[str, ...] = ()  # the document labels anyone set, each once, by name
    others: tuple[str, ...] = ()  # the others the document is assigned to, by name (not the list's annotator)
    mine: bool = False  # assigned to the list's annotator


@dataclass(frozen=True)
class ListQuery:
    """Which documents the list shows, in which order."""

    words: str = ""  # the title holds this (any case), or the text holds these words
    status: str | None = None  # a Status value, "open" (not done or skipped), or None for any
    order: str | None = None  # "title", "date", "status", "entities", "labels", or None: import order
    descending: bool = False
    # (label set, label): documents someone gave that label; NO_LABEL: documents nobody labelled yet
    label: tuple[str, str] | None = None


NO_LABEL = ("", "")
ASSIGNED_TO_ME = "mine"  # ListQuery.status: the documents assigned to the list's annotator, whatever their status


def default_annotator() -> str:
    """Who is annotating, until they say otherwise: the login name (a laptop usually has one person)."""
    try:
        return getpass.getuser() or "analyst"
    except (KeyError, OSError):  # no user database entry (containers) or no login name
        return "analyst"
