"""Statements as a spreadsheet (``--format statements-csv``): one row per statement, by date.

Columns: date, title, document (its uid), speaker entry (the registry entry's name, when the speaker is
linked), speaker (the words), cue, content, kind (direct, indirect, ...), label, claims (each claim made
in the statement with its check-worthiness in brackets, one a line), most check-worthy (the worthiest
class among them). UTF-8 with a byte order mark, so Excel reads the accents; a cell that starts with
``= + - @`` (or a tab or carriage return) gets a leading apostrophe, so a quote is never run as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from annotator.core.errors import Problem
from annotator.core.model import Layer
from annotator.core.records import ExportOptions, Record, statement_claims
from annotator.core.vocabulary import CHECKWORTHINESS, CHECKWORTHINESS_CLASSES, CUE, KIND, SPEAKER, SPEAKER_TEXT
from annotator.formats.entry import Entry

COLUMNS = ("date", "title", "document", "speaker entry", "speaker", "cue", "content", "kind", "label", "claims",
           "most check-worthy")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> str:
    """A cell's text, never a formula (spreadsheet injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def rows(record: Record, registry: dict[str, str]) -> list[list[str]]:
    """The record's statements as rows (``registry``: entry uid -> name)."""
    doc, text = record.document, record.document.text
    by_uid = {s.uid: s for s in record.spans}
    speaker_of = {r.head: r.tail for r in record.relations if r.label == SPEAKER}
    claims = statement_claims(record)
    found = []
    for span in record.spans:
        if span.layer != Layer.STATEMENT:
            continue
        speaker = by_uid.get(speaker_of.get(span.uid, ""))
        words = text[speaker.start : speaker.end] if speaker else str(span.attributes.get(SPEAKER_TEXT) or "")
        entry = registry.get(record.entities.get(speaker.uid, ""), "") if speaker else ""
        cue = span.attributes.get(CUE)
        cue_words = text[cue[0] : cue[1]] if isinstance(cue, list | tuple) and len(cue) == 2 else ""
        made = claims.get(span.uid, [])
        classes = [c.attributes.get(CHECKWORTHINESS) for c in made]
        listed = "\n".join(f"{text[c.start : c.end]} [{k or 'not rated'}]" for c, k in zip(made, classes, strict=True))
        worthiest = next((k for k in CHECKWORTHINESS_CLASSES if k in classes), "")
        values = [doc.date or "", doc.title, doc.uid, entry, words, cue_words, text[span.start : span.end],
                  span.attributes.get(KIND) or "", span.label, listed, worthiest]
        found.append([safe(v) for v in values])
    return found


def write(records: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    registry = {e.uid: e.name for e in options.registry}
    found = [row for record in records for row in rows(record, registry)]
    found.sort(key=lambda row: row[0].lstrip("'") or "9999")  # by date, undated last; stable within a day
    with target.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(found)
    return []


ENTRY = Entry(
    name="statements-csv",
    title="Statements as a spreadsheet (CSV)",
    suffix=".csv",
    write=write,
    marks_suggestions=False,
    keeps="One row per statement: date, article, speaker (and registry entry), cue, content, kind, claims.",
    entities=True,
)
