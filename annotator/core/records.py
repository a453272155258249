"""What the interchange formats read and write: one document with its annotations.

Writers get ``Record``s (rejected suggestions already left out, filters already applied) and readers
yield ``Imported`` items or ``Problem``s. Offsets are code points, as everywhere outside the UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import Document, DocumentLabel, Relation, Span

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
