"""doccano JSONL, in both of doccano's span forms. docs/formats.md lists what each keeps.

- ``write``: the relation-extraction form, ``entities`` (``id``, ``label``, ``start_offset``,
  ``end_offset``) and ``relations`` (``from_id``, ``to_id``, ``type``). Statements and claims are
  entities with their labels, speaker and claim-statement links are relations. Span attributes
  (kind, cue, typed speaker, claim attributes) have no place in doccano: they go in an extra
  ``attributes`` key on the entity, which doccano ignores and our reader restores.
- ``write_labels``: the sequence-labelling form, ``label`` as ``[start, end, label]`` triples:
  spans only.

Both write the document's labels as ``cats``, a list of label names (doccano's text classification
keeps its categories so). Reading takes ``cats`` (a list, or spaCy's {label: score} with the
labels scored 0.5 or more) and a ``label`` list of names (doccano's text classification export).

The document's title, date and source are top-level keys (doccano keeps unknown keys as the
example's metadata); its other metadata is under ``meta``. doccano does not tell a person's span
from a model's, so everything read is accepted.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.checks import offset, span_offsets
from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Relation, Span, State, new_uid
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record, origin_of_import
from annotator.core import choices
from annotator.formats.jsonl import documents, records, without_bad_cue
from annotator.formats.entry import Entry
from annotator.formats.jsonl import preview
from annotator.formats.native import FORMAT as NATIVE_FORMAT
from annotator.formats.native import write_record

ORIGIN = origin_of_import("doccano")
SPAN_KEYS = ("entities", "label", "labels")  # "labels": doccano before 1.0
STRUCTURE = {"id", "text", "entities", "relations", "label", "labels", "cats", "Comments", "comments", "meta"}
MAX_MEMBER_BYTES = 2**30  # a member bigger than this (unpacked) is refused, not read
MAX_MEMBERS = 10_000
SNIFF_LINES = 50  # the first lines may have no spans: look further for one that tells


# ---------------------------------------------------------------- writing


def write(records_: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    with target.open("wb") as out:
        next_id = 1
        for number, record in enumerate(records_, start=1):
            line, next_id = relation_form(record, number, next_id)
            write_record(line | _cats(record, options), out)
    return []


def relation_form(record: Record, number: int, next_id: int) -> tuple[dict[str, Any], int]:
    """One line; entity and relation ids count on from ``next_id`` through the file, as doccano's
    own database ids are unique across a project."""
    ids: dict[str, int] = {}
    entities = []
    for span in sorted(record.spans, key=lambda s: (s.start, s.end)):
        ids[span.uid] = next_id
        entity: dict[str, Any] = {
            "id": next_id,
            "label": span.label,
            "start_offset": span.start,
            "end_offset": span.end,
        }
        if span.attributes:
            entity["attributes"] = span.attributes
        entities.append(entity)
        next_id += 1
    relations = []
    for relation in record.relations:
        if relation.head in ids and relation.tail in ids:
            relations.append(
                {"id": next_id, "from_id": ids[relation.head], "to_id": ids[relation.tail], "type": relation.label}
            )
            next_id += 1
    line = {"id": number, "text": record.document.text, "entities": entities, "relations": relations}
    return line | _metadata(record), next_id


def write_labels(records_: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    with target.open("wb") as out:
        for record in records_:
            spans = sorted(record.spans, key=lambda s: (s.start, s.end))
            line = {"text": record.document.text, "label": [[s.start, s.end, s.label] for s in spans]}
            write_record(line | _metadata(record) | _cats(record, options), out)
    return []


def _cats(record: Record, options: ExportOptions) -> dict[str, Any]:
    return {"cats": choices.names_of(record.labels, options.label_sets)} if record.labels else {}


def _metadata(record: Record) -> dict[str, Any]:
    doc = record.document
    fields: dict[str, Any] = {"title": doc.title, "date": doc.date, "source": doc.source}
    if doc.meta:
        fields["meta"] = doc.meta
    return fields


# ---------------------------------------------------------------- reading


def sniff(path: Path) -> bool:
    """True if the first line with spans has doccano's: entities with ``start_offset``, or
    ``label``/``labels`` as [start, end, label] triples. Lines with empty lists do not tell."""
    for index, (_, value) in enumerate(records(path)):
        if index >= SNIFF_LINES or not isinstance(value, dict) or value.get("format") == NATIVE_FORMAT:
            return False
        if _category_names(value.get("label")) or isinstance(value.get("cats"), list | dict):
            return True  # text classification: document labels, no spans
        found = [value[key] for key in SPAN_KEYS if key in value]
        if not found or not all(isinstance(items, list) for items in found):
            return False
        items = [item for listed in found for item in listed]
        if items:
            return all(_is_entity(item) or _is_triple(item) for item in items)
    return False


def _category_names(items: Any) -> bool:
    return isinstance(items, list) and bool(items) and all(isinstance(item, str) for item in items)


def looks_like(record: dict[str, Any]) -> bool:
    """A record with doccano's spans, or its text classification's labels (an empty list does not tell)."""
    if record.get("format") == NATIVE_FORMAT:
        return False
    if _category_names(record.get("label")) or isinstance(record.get("cats"), list | dict):
        return True
    found = [record[key] for key in SPAN_KEYS if key in record]
    if not found or not all(isinstance(items, list) for items in found):
        return False
    items = [item for listed in found for item in listed]
    return bool(items) and all(_is_entity(item) or _is_triple(item) for item in items)


def _is_entity(item: Any) -> bool:
    return isinstance(item, dict) and "start_offset" in item and "end_offset" in item


def _is_triple(item: Any) -> bool:
    return isinstance(item, list) and len(item) == 3 and offset(item[0]) is not None and offset(item[1]) is not None


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    """Either form, line by line (a file may even mix them); a ``.zip`` as doccano exports it."""
    if path.suffix.lower() == ".zip":
        yield from read_zip(path, options)
        return
    for found in documents(path, _fields, options.encoding):
        if isinstance(found, Problem):
            yield found
        else:
            yield from read_line(path, *found, options)


def read_zip(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    """doccano's export: one JSONL per project member, named after them (``admin.jsonl``). Each
    member's spans carry that member's name as their annotator."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        yield Problem.at(path, None, f"cannot be read as a zip archive: {exc}")
        return
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_MEMBERS:
            yield Problem.at(path, None, f"expected at most {MAX_MEMBERS} files in the archive, found {len(members)}")
            return
        for info in members:
            where = Path(f"{path}!{info.filename}")
            if not info.filename.lower().endswith((".jsonl", ".json")):
                yield Problem.at(where, None, "expected a .jsonl file (one per project member); left out")
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                yield Problem.at(where, None, f"larger than {MAX_MEMBER_BYTES} bytes unpacked; left out")
                continue
            who = Path(info.filename).stem
            try:
                handle = archive.open(info)
            except (OSError, zipfile.BadZipFile, NotImplementedError) as exc:
                yield Problem.at(where, None, f"cannot be unpacked: {exc}")
                continue
            for found in documents(where, _fields, options.encoding, handle):
                if isinstance(found, Problem):
                    yield found
                    continue
                for item in read_line(where, *found, options):
                    yield _by(item, who) if isinstance(item, Imported) else item


def _by(item: Imported, who: str) -> Imported:
    origin = origin_of_import("doccano", who)
    spans = [replace(span, annotator=who, origin=origin) for span in item.spans]
    return replace(item, spans=spans, labels=[replace(d, annotator=who, origin=origin) for d in item.labels])


def read_line(
    path: Path, number: int, value: dict[str, Any], document: Document, options: ImportOptions
) -> Iterator[Imported | Problem]:
    text = document.text
    spans: list[Span] = []
    ids: dict[Any, str] = {}
    names, problems = category_names(value)
    yield from (Problem.at(path, number, problem) for problem in problems)
    sets = list(options.label_sets.values())
    labels = [choices.read_name(name, sets, None, origin_of_import("doccano")) for name in names]
    for key in SPAN_KEYS:
        items = value.get(key)
        if items is None or (key == "label" and _category_names(items)):
            continue
        if not isinstance(items, list):
            yield Problem.at(path, number, f"expected '{key}' to be a list of spans; left out")
            continue
        triples = _triples(items, key, len(text), options)
        if triples is not None:
            spans += triples
            continue
        for index, item in enumerate(items):
            span = read_span(item, text, options, f"{key}{index}")
            if isinstance(span, str):
                yield Problem.at(path, number, f"{key} {_name(item, index)}: {span}; left out")
                continue
            if span.attributes:  # most spans have none, so no cue to check
                span, note = without_bad_cue(span, text)
                if note:
                    yield Problem.note(path, number, note)
            spans.append(span)
            if isinstance(item, dict) and "id" in item:
                if _hashable(item["id"]):
                    ids[item["id"]] = span.uid
                else:
                    yield Problem.note(path, number, f"{key} {index}: id {item['id']!r} is not a number or a string, "
                                       "so no relation can refer to it")
    relations = []
    listed = value.get("relations")
    if listed is not None and not isinstance(listed, list):
        yield Problem.at(path, number, f"expected 'relations' to be a list, found {type(listed).__name__}; left out")
        listed = []
    for index, item in enumerate(listed or []):
        relation = read_relation(item, ids)
        if isinstance(relation, str):
            yield Problem.at(path, number, f"relation {_name(item, index)}: {relation}; left out")
        else:
            relations.append(relation)
    yield Imported(document, spans, relations, str(path), number, labels)


def category_names(value: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The document's label names from ``cats`` and a ``label`` list of names; and what is wrong."""
    names, problems = [], []
    cats = value.get("cats")
    if isinstance(cats, dict):  # spaCy's form: label -> score
        scores = [(k, float(v)) for k, v in cats.items() if isinstance(v, int | float)]  # True counts as 1.0
        names += [str(k) for k, v in scores if v >= 0.5]
        if len(scores) != len(cats):
            problems.append("expected 'cats' to map labels to scores between 0 and 1; the others are left out")
    elif isinstance(cats, list):
        names += [item for item in cats if isinstance(item, str) and item]
        if len(names) != len(cats):
            problems.append("expected 'cats' to be a list of label names; the others are left out")
    elif cats is not None:
        problems.append(f"expected 'cats' to be a list of label names, found {type(cats).__name__}; left out")
    if _category_names(value.get("label")):
        names += value["label"]
    return list(dict.fromkeys(names)), problems


def _fields(value: dict[str, Any]) -> dict[str, Any]:
    """The document's metadata: ``meta``'s keys and every top-level key that is not structure."""
    fields = {key: item for key, item in value.items() if key not in STRUCTURE}
    meta = value.get("meta")
    if isinstance(meta, dict):
        fields = {**meta, **fields}
    return fields


def _triples(items: list, key: str, length: int, options: ImportOptions) -> list[Span] | None:
    """The spans of a list of plain [start, end, label] triples, all in range, in one pass: doccano's
    sequence form, and most of a big file (5,000 articles: 363,000 spans). None if any item is
    anything else (then each is read on its own, to say what is wrong with it)."""
    layers, entity, accepted = options.layers, Layer.ENTITY, State.ACCEPTED
    try:
        spans = [
            Span(start, end, label, layers.get(label, entity), ORIGIN, accepted, {}, None, f"{key}{index}")
            for index, (start, end, label) in enumerate(items)
            if start.__class__ is int and end.__class__ is int and 0 <= start < end <= length
            and label.__class__ is str and label
        ]
    except (TypeError, ValueError):  # an item that does not unpack into three
        return None
    return spans if len(spans) == len(items) else None


def read_span(item: Any, text: str, options: ImportOptions, uid: str = "") -> Span | str:
    """A span from an entity object or a [start, end, label] triple, or why it does not fit.

    ``uid`` names it within its record (the import gives every span a new one): a 5,000-article file
    has 363,000 spans, so this is the reader's hot path and takes integer offsets the short way."""
    attributes: dict[str, Any] = {}
    if item.__class__ is list and len(item) == 3:
        start, end, label = item
    elif isinstance(item, dict):
        start, end, label = item.get("start_offset"), item.get("end_offset"), item.get("label")
        if isinstance(item.get("attributes"), dict):
            attributes = dict(item["attributes"])
    elif isinstance(item, list) and len(item) == 3:
        start, end, label = item
    else:
        return "expected an entity object or a [start, end, label] triple"
    length = len(text)
    if start.__class__ is not int or end.__class__ is not int or not 0 <= start < end <= length:
        place = span_offsets(start, end, length)  # whole-number floats are offsets; booleans are not
        if place is None:
            return f"expected 0 <= start < end <= {length} (the text's length), found {start!r}-{end!r}"
        start, end = place
    if label.__class__ is not str or not label:
        if not isinstance(label, str) or not label:
            return "expected a label"
    return Span(start, end, label, options.layers.get(label, Layer.ENTITY), ORIGIN, State.ACCEPTED, attributes,
                None, uid or new_uid())


def read_relation(item: Any, ids: dict[Any, str]) -> Relation | str:
    if not isinstance(item, dict):
        return "expected a JSON object"
    head, tail = item.get("from_id"), item.get("to_id")
    if not _hashable(head) or not _hashable(tail) or head not in ids or tail not in ids:
        return "expected 'from_id' and 'to_id' to be ids of entities on this line"
    label = item.get("type")
    return Relation(head=ids[head], tail=ids[tail], label=str(label) if label else "")


def _hashable(value: Any) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


def _name(item: Any, index: int) -> str:
    return str(item["id"]) if isinstance(item, dict) and _hashable(item.get("id")) else str(index)


ENTRIES = (
    Entry(
        name="doccano",
        title="doccano JSONL (entities and relations)",
        suffix=".jsonl",
        write=write,
        read=read,
        sniff=sniff,
        suffixes=(".jsonl", ".ndjson", ".zip"),  # .zip: doccano's export, one JSONL per project member
        rank=40,
        looks_like=looks_like,
        files_per_person=True,
        keeps="Spans, links, document labels (cats); attributes in an extra key. Origins, review states are lost.",
        preview=preview,
    ),
    # Written for doccano's sequence labelling projects; read as doccano (no suffixes: never detected).
    Entry(
        name="doccano-seq",
        title="doccano JSONL (sequence labelling)",
        suffix=".jsonl",
        write=write_labels,
        read=read,
        keeps="Spans and labels only: no links, no attributes.",
        preview=preview,
    ),
)
