"""Native JSONL, format ``annotator/1``: one document per line. docs/formats.md is the full spec.

Every span carries ``text == document_text[start:end]`` with offsets in code points, so a reader can
check each span without any tokenizer. Rejected suggestions are left out of the layers.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.core.errors import Problem
from annotator.core.model import Document, DocumentLabel, Layer, Relation, Span, State, new_uid
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record, RegistryRecord
from annotator.core.registry import KINDS, OTHER
from annotator.core.vocabulary import CLAIM_KEYS, SCORE, SPEAKER, STATEMENT_OF
from annotator.formats.jsonl import first_record, iso_day, records, span_place
from annotator.formats.entry import Entry
from annotator.formats.jsonl import preview

FORMAT = "annotator/1"
LAYER_KEYS = {Layer.ENTITY: "entities", Layer.STATEMENT: "statements", Layer.CLAIM: "claims"}


def document_record(
    doc: Document,
    spans: Iterable[Span],
    relations: Iterable[Relation] = (),
    statuses: dict[str, str] | None = None,
    labels: Iterable[DocumentLabel] = (),
) -> dict[str, Any]:
    spans, relations = list(spans), list(relations)
    links = {(r.head, r.label): r.tail for r in relations}
    # Only a statement's speaker (a relation) is looked up by uid: without relations no table is needed.
    by_uid = {s.uid: s for s in spans} if relations else {}
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
        "labels": [
            {"set": d.label_set, "label": d.label, "annotator": d.annotator, "origin": d.origin} for d in labels
        ],
        "format": FORMAT,
    }
    text, entities, rejected, entity = doc.text, record["entities"], State.REJECTED, Layer.ENTITY
    for span in spans:
        if span.state == rejected:
            continue
        if span.layer == entity:  # most spans: the same record as span_record's, without the call
            entities.append(
                {
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
            )
        else:
            record[LAYER_KEYS[span.layer]].append(span_record(span, text, links, by_uid))
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
        for key in CLAIM_KEYS:
            record[key] = span.attributes.get(key)
        record[SCORE] = span.attributes.get(SCORE)  # check-worthiness, when a model gave it
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
    # Keys are text (what the store gives back went through JSON); other keys take the slower option.
    try:
        data = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        data = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS)
    out.write(data)


def write(records_: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    registry = {entry.uid: entry for entry in options.registry}
    with target.open("wb") as out:
        for record in records_:
            data = document_record(record.document, record.spans, record.relations, record.statuses, record.labels)
            if record.entities:
                with_entities(data, record.entities, registry)
            write_record(data, out)
    return []


def with_entities(data: dict[str, Any], entities: dict[str, str], registry: dict[str, Any]) -> None:
    """The registry in a document's record: ``entity`` (an entry's uid) on each linked entity and on a
    statement's speaker, and ``registry``, the entries named on this line, so each line stands alone."""
    for item in data["entities"]:
        if item["id"] in entities:
            item["entity"] = entities[item["id"]]
    for item in data["statements"]:
        speaker = item.get("speaker")
        if speaker and speaker.get("id") in entities:
            speaker["entity"] = entities[speaker["id"]]
    named = sorted(set(entities.values()))
    data["registry"] = [
        {"id": uid, "name": registry[uid].name, "kind": registry[uid].kind, "aliases": list(registry[uid].aliases)}
        for uid in named if uid in registry
    ]


def sniff(path: Path) -> bool:
    first = first_record(path)
    return first is not None and looks_like(first)


def looks_like(record: dict[str, Any]) -> bool:
    # any version of ours: a newer one is read only to be refused clearly
    return isinstance(record.get("format"), str) and record["format"].startswith("annotator/")


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    """Our own export read back: every layer, attribute, origin, state and relation, and the registry
    (each span's ``entity``, the line's ``registry``). Span ids are kept only to rebuild relations and
    registry links; the project gives imported spans new ones."""
    for number, value in records(path, options.encoding):
        if isinstance(value, Problem):
            yield value
            continue
        yield from _imported(path, number, value)


def _imported(path: Path, number: int, value: dict[str, Any]) -> Iterator[Imported | Problem]:
    text = value.get("text")
    if not isinstance(text, str) or not text:
        yield Problem.at(path, number, "expected a non-empty string in 'text'")
        return
    version = value.get("format")
    if isinstance(version, str) and version.startswith("annotator/") and version != FORMAT:
        yield Problem.at(
            path, number, f"written in format {version}, which this version of Annotator cannot read "
            f"(it reads {FORMAT}); import it with a newer Annotator"
        )
        return
    meta = value.get("meta")
    if not isinstance(meta, dict | None):
        yield Problem.at(path, number, f"expected 'meta' to be a JSON object, found {type(meta).__name__}")
        return
    meta = dict(meta or {})
    given = meta.pop("date", None)
    day = iso_day(given)
    if given is not None and (day is None or given != day):
        meta["date_given"] = given
        yield Problem.note(path, number, f"meta.date {given!r} is not a day of the form YYYY-MM-DD; kept as "
                           "meta.date_given")
        day = None
    document = Document(
        text=text,
        title=str(meta.pop("title", "") or ""),
        date=day,
        source=str(meta.pop("source", "") or ""),
        meta=meta,
    )
    spans: list[Span] = []
    entities: dict[str, str] = {}  # span uid -> registry entry uid
    for layer, key in LAYER_KEYS.items():
        items = value.get(key)
        if not isinstance(items, list | None):
            yield Problem.at(path, number, f"expected '{key}' to be a list, found {type(items).__name__}; left out")
            continue
        for item in items or []:
            span = _span(item, layer, text)
            if isinstance(span, str):
                yield Problem.at(path, number, f"{layer} {_id_of(item)}: {span}; left out")
                continue
            spans.append(span)
            if layer == Layer.ENTITY and item.get("entity") is not None:
                yield from _entity(path, number, f"entity {_id_of(item)}", item["entity"], span.uid, entities)
    yield from _speaker_entities(path, number, value.get("statements"), spans, entities)
    registry = yield from _registry(path, number, value.get("registry"))
    known = {s.uid for s in spans}
    relations = []
    items = value.get("relations")
    if not isinstance(items, list | None):
        yield Problem.at(path, number, f"expected 'relations' to be a list, found {type(items).__name__}; left out")
        items = []
    for item in items or []:
        if not isinstance(item, dict) or item.get("head") not in known or item.get("tail") not in known:
            yield Problem.at(
                path,
                number,
                f"relation {_id_of(item)}: expected 'head' and 'tail' to be ids of spans on this line; left out",
            )
            continue
        attributes = item.get("attributes")
        if not isinstance(attributes, dict | None):
            yield Problem.at(path, number, f"relation {_id_of(item)}: expected 'attributes' to be a JSON object; "
                             "left out")
            continue
        relations.append(
            Relation(
                head=item["head"],
                tail=item["tail"],
                label=str(item.get("label", "")),
                attributes=dict(attributes or {}),
            )
        )
    labels = []
    items = value.get("labels")
    if not isinstance(items, list | None):
        yield Problem.at(path, number, f"expected 'labels' to be a list, found {type(items).__name__}; left out")
        items = []
    for item in items or []:
        label = _document_label(item)
        if isinstance(label, str):
            yield Problem.at(path, number, f"document label {item!r}: {label}; left out")
        else:
            labels.append(label)
    yield Imported(document, spans, relations, str(path), number, labels, entities, registry)


def _entity(path: Path, number: int, what: str, given: Any, span_uid: str,
            entities: dict[str, str]) -> Iterator[Problem]:
    """``given`` (an ``entity`` value) as the span's registry entry, or a problem; the span stays either way."""
    if isinstance(given, str) and given:
        entities.setdefault(span_uid, given)
    else:
        yield Problem.at(path, number, f"{what}: expected 'entity' to be the id (a string) of a registry entry, "
                         f"found {given!r}; the span is imported without its link")


def _speaker_entities(path: Path, number: int, items: Any, spans: list[Span],
                      entities: dict[str, str]) -> Iterator[Problem]:
    """A statement's ``speaker.entity`` links its speaker span, when the span itself did not say."""
    speakers = {s.uid for s in spans if s.layer == Layer.ENTITY}
    for item in items if isinstance(items, list) else []:
        speaker = item.get("speaker") if isinstance(item, dict) else None
        if isinstance(speaker, dict) and speaker.get("entity") is not None and speaker.get("id") in speakers:
            yield from _entity(path, number, f"speaker of statement {_id_of(item)}", speaker["entity"],
                               speaker["id"], entities)


def _registry(path: Path, number: int, items: Any) -> Generator[Problem, None, tuple[RegistryRecord, ...]]:
    """The line's ``registry``: the entries it names, each with an id and a name."""
    if items is None:
        return ()
    if not isinstance(items, list):
        yield Problem.at(path, number, f"expected 'registry' to be a list, found {type(items).__name__}; left out")
        return ()
    found = []
    for item in items:
        entry = _registry_entry(item)
        if isinstance(entry, str):
            yield Problem.at(path, number, f"registry entry {_id_of(item)}: {entry}; left out")
            continue
        found.append(entry)
    return tuple(found)


def _registry_entry(item: Any) -> RegistryRecord | str:
    if not isinstance(item, dict):
        return "expected an object with 'id', 'name', 'kind' and 'aliases'"
    uid, name, kind, aliases = item.get("id"), item.get("name"), item.get("kind"), item.get("aliases")
    if not isinstance(uid, str) or not uid or not isinstance(name, str) or not name.strip():
        return "expected 'id' and 'name' to be non-empty strings"
    if kind not in (None, *KINDS):
        return f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})"
    if not isinstance(aliases, list | None) or not all(isinstance(a, str) for a in aliases or []):
        return "expected 'aliases' to be a list of names"
    return RegistryRecord(uid, name.strip(), kind or OTHER, tuple(a.strip() for a in aliases or [] if a.strip()))


def _document_label(item: Any) -> DocumentLabel | str:
    if not isinstance(item, dict):
        return "expected an object with 'set' and 'label'"
    name, label, annotator = item.get("set"), item.get("label"), item.get("annotator")
    if not isinstance(name, str) or not isinstance(label, str) or not name or not label:
        return "expected 'set' and 'label' to be names"
    if not isinstance(annotator, str | None):
        return f"expected 'annotator' to be a name, found {annotator!r}"
    return DocumentLabel(name, label, annotator or None, str(item.get("origin") or "import:jsonl"))


def _span(item: Any, layer: Layer, text: str) -> Span | str:
    """A span, or why it does not fit."""
    place = span_place(item, text)
    if isinstance(place, str):
        return place
    start, end, label = place
    state, attributes, annotator, uid = item.get("state"), item.get("attributes"), item.get("annotator"), item.get("id")
    if state not in (None, "", *State):
        return f"unknown state {state!r} (expected suggested, accepted or edited)"
    if not isinstance(attributes, dict | None):
        return f"expected 'attributes' to be a JSON object, found {type(attributes).__name__}"
    if not isinstance(annotator, str | None):
        return f"expected 'annotator' to be a name, found {annotator!r}"
    if not isinstance(uid, str | int | None):
        return f"expected 'id' to be a string, found {type(uid).__name__}"
    return Span(
        start=start,
        end=end,
        label=label,
        layer=layer,
        origin=str(item.get("origin") or "import:jsonl"),
        state=State(state or State.ACCEPTED),
        attributes=dict(attributes or {}),
        annotator=annotator,
        uid=str(uid or "") or new_uid(),
    )


def _id_of(item: Any) -> str:
    return str(item.get("id", "?")) if isinstance(item, dict) else "?"


ENTRY = Entry(
    name="jsonl",
    title="Annotator JSONL (everything)",
    suffix=".jsonl",
    write=write,
    read=read,
    sniff=sniff,
    suffixes=(".jsonl", ".ndjson"),
    rank=20,
    looks_like=looks_like,
    marks_suggestions=True,
    keeps="Everything: all layers, links, attributes, origins, states, statuses and document labels.",
    preview=preview,
    entities=True,
)
