"""Native JSONL, format ``annotator/1``: one document per line. docs/formats.md is the full spec.

Every span carries ``text == document_text[start:end]`` with offsets in code points, so a reader can
check each span without any tokenizer. Rejected suggestions are left out of the layers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import orjson

from annotator.core.model import Document, Layer, Relation, Span, State

FORMAT = "annotator/1"
LAYER_KEYS = {Layer.ENTITY: "entities", Layer.STATEMENT: "statements", Layer.CLAIM: "claims"}


SPEAKER = "speaker"  # relation statement -> entity (PARC source)
STATEMENT_OF = "statement"  # relation claim -> statement


def document_record(
    doc: Document,
    spans: Iterable[Span],
    relations: Iterable[Relation] = (),
    statuses: dict[str, str] | None = None,
) -> dict[str, Any]:
    spans, relations = list(spans), list(relations)
    links = {(r.head, r.label): r.tail for r in relations}
    by_uid = {s.uid: s for s in spans}
    record: dict[str, Any] = {
        "id": doc.uid,
        "text": doc.text,
        "meta": {"title": doc.title, "date": doc.date, "source": doc.source, **doc.meta},
        "entities": [],
        "statements": [],
        "claims": [],
        "relations": [_relation_record(r) for r in relations],
        "status": str(doc.status),
        "statuses": dict(statuses or {}),
        "format": FORMAT,
    }
    for span in spans:
        if span.state != State.REJECTED:
            record[LAYER_KEYS[span.layer]].append(span_record(span, doc.text, links, by_uid))
    return record


def span_record(
    span: Span, text: str, links: dict[tuple[str, str], str] | None = None, by_uid: dict[str, Span] | None = None
) -> dict[str, Any]:
    links, by_uid = links or {}, by_uid or {}
    record: dict[str, Any] = {
        "id": span.uid,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": text[span.start : span.end],
        "origin": span.origin,
        "state": str(span.state),
        "annotator": span.annotator,
        "attributes": span.attributes,
    }
    if span.layer == Layer.STATEMENT:
        record["speaker"] = _speaker(span, text, links, by_uid)
        cue = span.attributes.get("cue")
        record["cue"] = {"start": cue[0], "end": cue[1], "text": text[cue[0] : cue[1]]} if cue else None
        record["kind"] = span.attributes.get("kind")
    elif span.layer == Layer.CLAIM:
        record["statement"] = links.get((span.uid, STATEMENT_OF))
        for key in ("checkworthiness", "claim_type", "note"):
            record[key] = span.attributes.get(key)
    return record


def _speaker(statement: Span, text: str, links, by_uid) -> dict[str, Any] | None:
    """PARC's source: an entity in the text (its id and words) or a name typed by the analyst (id null)."""
    entity = by_uid.get(links.get((statement.uid, SPEAKER), ""))
    if entity is not None:
        return {"id": entity.uid, "text": text[entity.start : entity.end]}
    typed = statement.attributes.get("speaker_text")
    return {"id": None, "text": typed} if typed else None


def _relation_record(relation: Relation) -> dict[str, Any]:
    return {
        "id": relation.uid,
        "head": relation.head,
        "tail": relation.tail,
        "label": relation.label,
        "attributes": relation.attributes,
    }


def write_record(record: dict[str, Any], out: IO[bytes]) -> None:
    # orjson: the export's cost is JSON encoding, and orjson is several times faster than json.
    out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS))
