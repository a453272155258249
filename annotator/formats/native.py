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


def document_record(doc: Document, spans: Iterable[Span], relations: Iterable[Relation] = ()) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": doc.uid,
        "text": doc.text,
        "meta": {"title": doc.title, "date": doc.date, "source": doc.source, **doc.meta},
        "entities": [],
        "statements": [],
        "claims": [],
        "relations": [_relation_record(r) for r in relations],
        "status": str(doc.status),
        "format": FORMAT,
    }
    for span in spans:
        if span.state != State.REJECTED:
            record[LAYER_KEYS[span.layer]].append(span_record(span, doc.text))
    return record


def span_record(span: Span, text: str) -> dict[str, Any]:
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
        for key in ("speaker", "cue", "kind"):
            record[key] = span.attributes.get(key)
    elif span.layer == Layer.CLAIM:
        record["statement"] = span.attributes.get("statement")
    return record


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
