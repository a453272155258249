"""What the interchange formats read and write: one document with its annotations.

Writers get ``Record``s (rejected suggestions already left out, filters already applied) and readers
yield ``Imported`` items or ``Problem``s. Offsets are code points, as everywhere outside the UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import Document, DocumentLabel, Layer, Relation, Span
from annotator.core.vocabulary import STATEMENT_OF

# A tokenizer: a text's tokens as (start, end) code-point offsets, in order, without whitespace tokens.
Tokenize = Callable[[str], list[tuple[int, int]]]



@dataclass(frozen=True, slots=True)
class Record:
    document: Document
    spans: list[Span]  # sorted by (start, end); no rejected spans
    relations: list[Relation]  # between the spans above
    statuses: dict[str, str] = field(default_factory=dict)  # annotator -> status
    labels: list[DocumentLabel] = field(default_factory=list)  # the document's labels, by anyone
    entities: dict[str, str] = field(default_factory=dict)  # span uid -> registry entry uid (confirmed links)


@dataclass(frozen=True, slots=True)
class RegistryRecord:
    """A registry entry as exports name it (services.registry): one person, organisation or place."""

    uid: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Imported:
    """One document read from a file, with where it came from for error reports."""

    document: Document
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)  # head/tail are uids of ``spans``
    path: str = ""
    line: int | None = None  # line (JSONL, CoNLL) or record number (JSON array, DocBin) it starts at
    labels: list[DocumentLabel] = field(default_factory=list)  # labels of the whole document
    entities: dict[str, str] = field(default_factory=dict)  # span uid (of ``spans``) -> registry entry uid
    registry: tuple[RegistryRecord, ...] = ()  # the registry entries the record names (native JSONL)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    tokenize: Tokenize | None = None  # the project's pipeline's tokenizer, for token-based formats
    labels: dict[str, list[str]] = field(default_factory=dict)  # layer -> label names (brat's annotation.conf)
    attributes: dict[str, Any] = field(default_factory=dict)  # the schema's attribute choices per layer
    dev_fraction: float = 0.0  # spaCy: share of documents written to dev.spacy (0: one file)
    seed: int = 0  # spaCy: the split is a stable function of document uids and this seed
    label_sets: tuple[Any, ...] = ()  # the schema's document label sets (core.schema.LabelSet)
    registry: tuple[RegistryRecord, ...] = ()  # the project's registry entries, for formats that name them


def statement_claims(record: Record) -> dict[str, list[Span]]:
    """Statement uid -> the claims made in it: linked to it, or overlapping it (claims are suggested
    sentence by sentence, unlinked), each once, in reading order."""
    by_uid = {s.uid: s for s in record.spans}
    statements = [s for s in record.spans if s.layer == Layer.STATEMENT]
    claims = [s for s in record.spans if s.layer == Layer.CLAIM]
    found: dict[str, dict[str, Span]] = {s.uid: {} for s in statements}
    for r in record.relations:
        claim = by_uid.get(r.head)
        if r.label == STATEMENT_OF and claim is not None and claim.layer == Layer.CLAIM and r.tail in found:
            found[r.tail][claim.uid] = claim
    for statement in statements:
        for claim in claims:
            if claim.start < statement.end and statement.start < claim.end:
                found[statement.uid][claim.uid] = claim
    return {uid: sorted(made.values(), key=lambda c: (c.start, c.end)) for uid, made in found.items() if made}


def within_dates(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether an article of ``date`` (an ISO day, or None) is between the ISO days ``since`` and ``until``,
    both included; a bound None or empty is no bound. An undated article is out once a bound is given.
    ``until`` may be shorter than a day ("2024-03": the whole of March)."""
    if not since and not until:
        return True
    if not date:
        return False
    return (not since or date >= since) and (not until or date[: len(until)] <= until)


def origin_of_import(fmt: str, who: str | None = None) -> str:
    """The origin recorded on imported spans: the format, and the model or person if the source says."""
    return f"import:{fmt}" + (f":{who}" if who else "")


@dataclass(frozen=True, slots=True)
class ImportOptions:
    # label -> layer, from the project's schema: formats that carry only a label (Prodigy, doccano,
    # CoNLL, brat, Label Studio) put STATEMENT and CLAIM spans on their layers by it. Unknown: entity.
    layers: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None  # the encoding named on the command line (a BOM still decides)
    # The schema's document label sets by name: which fields of a Label Studio JSON-MIN row are choices.
    label_sets: dict[str, Any] = field(default_factory=dict)
    # A table's columns by role: {"text": "body", "title": "headline", "date": "published", "id": "uid",
    # "meta": [...]} (formats.tables); empty: the reader guesses from the header.
    columns: dict[str, Any] = field(default_factory=dict)
