"""The registry as JSON (``--format registry``): every entry with its kind, aliases and counts.

    {"format": "annotator-registry/1",
     "entries": [{"id": "<entry uid>", "name": "Sergey Lavrov", "kind": "PERSON", "aliases": ["Лавров"],
                  "mentions": 12, "statements": 4, "claims": 3}, ...]}

The counts are over the documents exported (the export's filters apply: ``--since``/``--until`` give one
month's): ``mentions`` the spans linked to the entry, ``statements`` those whose speaker is one of them,
``claims`` the claims made in those statements (linked to them, or overlapping them). An entry nothing exported names is listed with zeros.
Entries come by name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import orjson

from annotator.core.errors import Problem
from annotator.core.model import Layer
from annotator.core.records import ExportOptions, Record, statement_claims
from annotator.core.vocabulary import SPEAKER
from annotator.formats.entry import Entry

FORMAT = "annotator-registry/1"


def counted(records: Iterable[Record]) -> tuple[Counter, Counter, Counter]:
    """Entry uid -> mentions, statements spoken, claims in them, over ``records``."""
    mentions, statements, claims = Counter(), Counter(), Counter()
    for record in records:
        if not record.entities:
            continue
        mentions.update(record.entities.values())
        layer = {s.uid: s.layer for s in record.spans}
        speaker_of = {r.head: record.entities[r.tail] for r in record.relations
                      if r.label == SPEAKER and r.tail in record.entities and layer.get(r.head) == Layer.STATEMENT}
        statements.update(speaker_of.values())
        by_entry: dict[str, set[str]] = {}  # a claim in two statements of one speaker counts once
        for statement, made in statement_claims(record).items():
            if statement in speaker_of:
                by_entry.setdefault(speaker_of[statement], set()).update(c.uid for c in made)
        claims.update({uid: len(made) for uid, made in by_entry.items()})
    return mentions, statements, claims


def write(records: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    mentions, statements, claims = counted(records)
    entries = [
        {"id": e.uid, "name": e.name, "kind": e.kind, "aliases": list(e.aliases), "mentions": mentions[e.uid],
         "statements": statements[e.uid], "claims": claims[e.uid]}
        for e in sorted(options.registry, key=lambda e: (e.name.casefold(), e.uid))
    ]
    target.write_bytes(orjson.dumps({"format": FORMAT, "entries": entries}, option=orjson.OPT_INDENT_2))
    return []


ENTRY = Entry(
    name="registry",
    title="Registry of people, organisations and places (JSON)",
    suffix=".json",
    write=write,
    marks_suggestions=True,  # it holds no spans: nothing would pass for a checked label
    keeps="The registry's entries with kind, aliases and how often the exported articles name them.",
    entities=True,
)
