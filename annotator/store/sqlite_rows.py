"""Rows read from SQLite as plain tuples, made into core objects, without SQLAlchemy.

SQLite keeps dates and JSON as text. SQLAlchemy's per-value converters (a regex per date) and its row
objects cost more than the rest of reading a span, so the store reads spans and documents from SQLite
as tuples and converts them here, to the values SQLAlchemy's JSON and DateTime types would give. The
window's first paint (store.first_view) reads with these too, before SQLAlchemy is even imported.
"""

from __future__ import annotations

import json
from datetime import datetime
from operator import itemgetter

from annotator.core.model import Document, Layer, Span, State, Status
from annotator.core.schema import Choice, Label, LabelSchema, LabelSet

# Each a column list for a SELECT; the converters below take the columns in this order.
SPAN_COLUMNS = 'id, uid, document_id, layer, start, "end", label, attributes, origin, state, annotator, created, updated'
DOCUMENT_COLUMNS = "id, uid, text, title, date, source, meta, status, suggested_by, suggested_layers"
SPAN_ORDER = itemgetter(2, 4, 5, 0)  # by document, start, end, id
EMPTY_JSON = frozenset({None, "{}", "null"})
# The settings that hold the rest of the label schema (store.labels writes them).
ATTRIBUTES_KEY = "schema.attributes"
OPTIONS_KEY = "schema.options"


class _Dates(dict):
    """Stamp text -> datetime, each distinct stamp parsed once (the spans a batch saved share one)."""

    def __missing__(self, text: str | None) -> datetime | None:
        value = self[text] = None if text is None else datetime.fromisoformat(text)
        return value


class _Enums(dict):
    def __init__(self, kind) -> None:
        super().__init__((str(member), member) for member in kind)
        self.kind = kind

    def __missing__(self, text: str):
        return self.kind(text)  # raises for a value the code does not know, as SQLAlchemy's reading did


_LAYER_OF = _Enums(Layer)
_STATE_OF = _Enums(State)
_STATUS_OF = _Enums(Status)


def spans_from_text(rows: list[tuple]) -> list[Span]:
    """Spans from rows of SPAN_COLUMNS. One comprehension, no call per row: an export reads two million."""
    dates, layers, states, loads = _Dates(), _LAYER_OF, _STATE_OF, json.loads
    return [
        Span(
            r[4],  # start
            r[5],  # end
            r[6],  # label
            layers[r[3]],
            r[8],  # origin
            states[r[9]],
            {} if r[7] in EMPTY_JSON else dict(loads(r[7]) or {}),  # attributes
            r[10],  # annotator
            r[1],  # uid
            r[0],  # id
            r[2],  # document_id
            dates[r[11]],  # created
            dates[r[12]],  # updated
        )
        for r in rows
    ]


def document_from_text(row: tuple) -> Document:
    """A document from a row of DOCUMENT_COLUMNS (the status being the latest anyone set)."""
    id_, uid, text_, title, date, source, meta, status, suggested, layers = row
    return Document(
        text=text_,
        title=title,
        date=date,
        source=source,
        meta={} if meta in EMPTY_JSON else dict(json.loads(meta) or {}),
        status=_STATUS_OF[status],
        uid=uid,
        id=id_,
        suggested_by=suggested,
        suggested_layers=layers or 0,
    )


def json_value(text: str | None):
    """A JSON column's value as SQLAlchemy's JSON type reads it (None for SQL NULL)."""
    return None if text is None else json.loads(text)


def schema_from_rows(labels: list, attributes, options, label_sets: list) -> LabelSchema | None:
    """The schema from its rows: labels as (layer, name, colour, description) by position, the
    attributes and options settings (JSON values) and label sets as (name, labels, multiple,
    description) with ``labels`` decoded. None for a project that has no labels stored yet."""
    if not labels:
        return None
    options = options or {}
    return LabelSchema(
        tuple(Label(name, Layer(layer), colour, description) for layer, name, colour, description in labels),
        dict(attributes or {}),
        bool(options.get("nested_entities", False)),
        str(options.get("name", "")),
        tuple(
            LabelSet(
                name,
                tuple(Choice(str(item.get("name", "")), str(item.get("key") or "")) for item in choices or []),
                bool(multiple),
                description,
            )
            for name, choices, multiple, description in label_sets
        ),
    )
