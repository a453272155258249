"""Label Studio JSON: an array of tasks, one per document. docs/formats.md describes the mapping.

People's spans go in ``annotations`` (one per annotator), a model's suggestions in ``predictions``
(one per model). Statement and claim attributes are per-region results sharing the region's id, a
statement's cue is a ``Cue`` region linked from it by a ``cue`` relation.

Offsets are code points: Label Studio's Text tag has counted code points since 2022 (its frontend's
"Should calculate offsets by code points in text" test). Older versions counted UTF-16 units; a
region whose text only matches that way is converted and reported.

Document labels are ``choices`` results that belong to no region: ``from_name`` is the label set,
``value.choices`` its labels, one result per set in each annotator's annotation. JSON-MIN writes them
as the set's name with the label (or ``{"choices": [...]}`` for several); such a field is read as
document labels when the schema has a label set of that name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

import orjson

from annotator.core.checks import span_offsets
from annotator.core.errors import Problem
from annotator.core.model import Document, DocumentLabel, Layer, Relation, Span, State, new_uid
from annotator.core.records import (
    ExportOptions,
    Imported,
    ImportOptions,
    Record,
    origin_of_import,
)
from annotator.core.vocabulary import SCORE, SPEAKER, STATEMENT_OF
from annotator.formats.decoding import NotText, bom_encoding, codec_name, decode, stream_codec
from annotator.formats.entry import Entry

LABELS = "label"  # from_name of the Labels tag
TEXT = "text"  # to_name: the Text tag, and the data field it shows
CUE = "Cue"  # region label of a statement's cue word
CUE_RELATION = "cue"  # relation statement -> its Cue region
CHOICES = {"kind", "checkworthiness", "claim_type"}  # written as choices even without a schema
DATA_KEYS = {"text", "title", "date", "source", "uid", "meta"}
TABLE_SUFFIXES = (".csv", ".tsv")
TABLE_MARKS = {"annotator", "annotation_id"}  # columns only Label Studio's table exports have


# ---------------------------------------------------------------- writing


def write(records: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    problems: list[Problem] = []
    with target.open("wb") as out:
        out.write(b"[")
        for index, record in enumerate(records, start=1):
            if index > 1:
                out.write(b",")
            task, notes = task_of(record, index, options)
            write_task(task, out)
            name = record.document.title or record.document.uid
            problems.extend(Problem.note(name, None, note) for note in notes)
        out.write(b"\n]\n")
    return problems


def write_task(task: dict[str, Any], out: IO[bytes]) -> None:
    # One task per line: the file stays readable by line-oriented tools, and each task is encoded alone.
    out.write(b"\n" + orjson.dumps(task, option=orjson.OPT_NON_STR_KEYS))


def task_of(record: Record, index: int, options: ExportOptions) -> tuple[dict[str, Any], list[str]]:
    doc = record.document
    data = {TEXT: doc.text, "title": doc.title, "date": doc.date, "source": doc.source, "uid": doc.uid}
    if doc.meta:
        data["meta"] = doc.meta
    writer = ResultWriter(doc.text, options)
    buckets = writer.buckets(record)
    for span in record.spans:
        writer.span(span, buckets[span.uid])
    for relation in record.relations:
        writer.relation(relation)
    writer.document_labels(record.labels)
    annotations = [
        {"result": result, "ground_truth": False, **({"annotator": who} if who else {})}
        for (kind, who), result in writer.results.items()
        if kind == "annotation"
    ]
    predictions = [
        {"model_version": model or "unknown", "result": result, **_overall_score(result)}
        for (kind, model), result in writer.results.items()
        if kind == "prediction"
    ]
    return {"id": index, "data": data, "annotations": annotations, "predictions": predictions}, writer.notes


def _overall_score(result: list[dict[str, Any]]) -> dict[str, float]:
    """A prediction's score, as Label Studio sorts and samples tasks by it: its least sure region's."""
    scores = [item["score"] for item in result if isinstance(item.get("score"), int | float)]
    return {"score": min(scores)} if scores else {}


Bucket = tuple[str, str | None]  # ("annotation", annotator) or ("prediction", model)


@dataclass
class ResultWriter:
    text: str
    options: ExportOptions
    results: dict[Bucket, list[dict[str, Any]]] = field(default_factory=dict)
    region_of: dict[str, tuple[str, Bucket]] = field(default_factory=dict)  # span uid -> region id, bucket
    notes: list[str] = field(default_factory=list)

    def buckets(self, record: Record) -> dict[str, Bucket]:
        """Which result each span goes in. Label Studio links regions only within one result, so spans
        joined by relations go together: in a person's annotation if any of them is a person's."""
        own = {s.uid: bucket_of(s) for s in record.spans}
        parent = {uid: uid for uid in own}

        def root(uid: str) -> str:
            while parent[uid] != uid:
                parent[uid] = parent[parent[uid]]
                uid = parent[uid]
            return uid

        for relation in record.relations:
            if relation.head in own and relation.tail in own:
                parent[root(relation.tail)] = root(relation.head)
        chosen: dict[str, Bucket] = {}
        for span in record.spans:  # the first person's span of a group decides, else its first span
            group = root(span.uid)
            if group not in chosen or (chosen[group][0] == "prediction" and own[span.uid][0] == "annotation"):
                chosen[group] = own[span.uid]
        result = {uid: chosen[root(uid)] for uid in own}
        moved = [s for s in record.spans if result[s.uid] != own[s.uid]]
        if moved:
            self.notes.append(
                f"{len(moved)} span(s) linked to another annotator's or model's span are written in the same "
                f"{'annotation' if result[moved[0].uid][0] == 'annotation' else 'prediction'} (Label Studio links "
                "regions only within one)"
            )
        return result

    def document_labels(self, labels: list[DocumentLabel]) -> None:
        """One choices result per label set and annotator, with no region: a choice of the whole task."""
        grouped: dict[tuple[str | None, str], list[str]] = {}
        for label in labels:
            grouped.setdefault((label.annotator, label.label_set), []).append(label.label)
        for number, ((who, name), chosen) in enumerate(grouped.items(), start=1):
            value = {"choices": chosen}
            item = {"id": f"d{number}", "from_name": name, "to_name": TEXT, "type": "choices", "value": value}
            self.add(("annotation", who), item)

    def region_id(self) -> str:
        return f"r{len(self.region_of) + 1}"

    def add(self, bucket: Bucket, item: dict[str, Any]) -> None:
        self.results.setdefault(bucket, []).append(item)

    def region(self, bucket: Bucket, rid: str, start: int, end: int, label: str, span: Span | None) -> None:
        value = {"start": start, "end": end, "text": self.text[start:end], "labels": [label]}
        item = {"id": rid, "from_name": LABELS, "to_name": TEXT, "type": "labels", "value": value}
        if bucket[0] == "annotation":
            item["origin"] = "prediction-changed" if span is not None and span.state == State.EDITED else "manual"
        score = span.attributes.get(SCORE) if span is not None else None
        if isinstance(score, int | float) and not isinstance(score, bool):
            item["score"] = score  # a region's own confidence, in Label Studio's place for it
        self.add(bucket, item)

    def span(self, span: Span, bucket: Bucket) -> None:
        rid = self.region_id()
        self.region_of[span.uid] = (rid, bucket)
        self.region(bucket, rid, span.start, span.end, span.label, span)
        for key, value in span.attributes.items():
            if value is None or key == SCORE:  # the score went on the region itself
                continue
            if key == "cue":
                self.cue(span, rid, bucket, value)
            elif self.is_choice(span.layer, key, value):
                choices = [value] if isinstance(value, str) else list(value)
                self.attribute(bucket, rid, span, key, "choices", {"choices": choices})
            elif isinstance(value, str):
                self.attribute(bucket, rid, span, key, "textarea", {"text": [value]})
            else:
                self.notes.append(f"attribute {key!r} of {span.label} at {span.start}-{span.end} is not text; left out")

    def is_choice(self, layer: Layer, key: str, value: Any) -> bool:
        if isinstance(value, list):
            return all(isinstance(v, str) for v in value)
        schema = (self.options.attributes or {}).get(str(layer)) or {}
        return isinstance(value, str) and (key in CHOICES or isinstance(schema.get(key), list))

    def attribute(self, bucket: Bucket, rid: str, span: Span, key: str, kind: str, value: dict[str, Any]) -> None:
        # A per-region result: the region's id and offsets, and the control's value.
        item = {
            "id": rid,
            "from_name": key,
            "to_name": TEXT,
            "type": kind,
            "value": {"start": span.start, "end": span.end, **value},
        }
        if bucket[0] == "annotation":
            item["origin"] = "manual"
        self.add(bucket, item)

    def cue(self, statement: Span, rid: str, bucket: Bucket, cue: Any) -> None:
        ok = isinstance(cue, list | tuple) and len(cue) == 2 and all(isinstance(x, int) for x in cue)
        if not ok or not 0 <= cue[0] < cue[1] <= len(self.text):
            self.notes.append(
                f"the cue {cue!r} of the statement at {statement.start}-{statement.end} is not in the text"
            )
            return
        cue_id = f"{rid}c"
        self.region(bucket, cue_id, cue[0], cue[1], CUE, None)
        self.add(bucket, relation_item(rid, cue_id, CUE_RELATION))

    def relation(self, relation: Relation) -> None:
        head, tail = self.region_of.get(relation.head), self.region_of.get(relation.tail)
        if head is not None and tail is not None:
            self.add(head[1], relation_item(head[0], tail[0], relation.label))


def bucket_of(span: Span) -> Bucket:
    return ("prediction", span.origin) if span.state == State.SUGGESTED else ("annotation", span.annotator)


def relation_item(head: str, tail: str, label: str) -> dict[str, Any]:
    return {"from_id": head, "to_id": tail, "type": "relation", "direction": "right", "labels": [label]}


def config_xml(labels: dict[str, list[str]], attributes: dict[str, Any], label_sets=()) -> str:
    """A Label Studio labelling config for these files: paste it into the project's Labeling Interface.

    ``labels`` and ``attributes`` are ExportOptions': layer -> label names, layer -> {attribute: choices}."""
    view = ElementTree.Element("View")
    # pre-wrap: without it Label Studio trims spaces, and the offsets would not be the text's.
    ElementTree.SubElement(view, "Style").text = ".htx-text { white-space: pre-wrap; }"
    names = [name for layer in Layer for name in labels.get(str(layer), [])] or ["STATEMENT", "CLAIM"]
    tag = ElementTree.SubElement(view, "Labels", name=LABELS, toName=TEXT)
    for name in [*names, CUE]:
        ElementTree.SubElement(tag, "Label", value=name)
    ElementTree.SubElement(view, "Text", name=TEXT, value=f"${TEXT}")
    relations = ElementTree.SubElement(view, "Relations")
    for label in (SPEAKER, STATEMENT_OF, CUE_RELATION):
        ElementTree.SubElement(relations, "Relation", value=label)
    for layer in (Layer.STATEMENT, Layer.CLAIM):
        shown = {"perRegion": "true", "toName": TEXT, "visibleWhen": "region-selected"}
        layer_labels = labels.get(str(layer), [])
        if len(layer_labels) == 1:
            shown["whenLabelValue"] = layer_labels[0]
        for key, choices in ((attributes or {}).get(str(layer)) or {}).items():
            if isinstance(choices, list):
                tag = ElementTree.SubElement(view, "Choices", name=key, choice="single", **shown)
                for choice in choices:
                    ElementTree.SubElement(tag, "Choice", value=str(choice))
        free = "speaker_text" if layer == Layer.STATEMENT else "note"
        ElementTree.SubElement(view, "TextArea", name=free, editable="true", maxSubmissions="1", **shown)
    for label_set in label_sets:  # document labels: choices of the whole text
        kind = "multiple" if label_set.multiple else "single"
        tag = ElementTree.SubElement(view, "Choices", name=label_set.name, toName=TEXT, choice=kind)
        for label in label_set.labels:
            ElementTree.SubElement(tag, "Choice", value=label)
    ElementTree.indent(view)
    return ElementTree.tostring(view, encoding="unicode") + "\n"


# ---------------------------------------------------------------- reading


def sniff(path: Path) -> bool:
    """A JSON array (or object) whose first kilobytes name Label Studio's task keys."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).removeprefix(b"\xef\xbb\xbf").lstrip()
    except OSError:
        return False
    if head[:1] == b"{":
        return _single_task(path)
    return head[:1] == b"[" and any(key in head for key in (b'"annotations"', b'"predictions"', b'"completions"'))


def _single_task(path: Path) -> bool:
    try:
        value = orjson.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    except (OSError, orjson.JSONDecodeError):
        return False  # JSON Lines, for example
    return (
        isinstance(value, dict)
        and isinstance(value.get("data"), dict)
        and ("annotations" in value or "predictions" in value)
    )


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    """Label Studio's JSON export: an array of tasks, a single task, or the JSON-MIN export; its CSV and
    TSV exports (JSON-MIN's rows in a table)."""
    if path.suffix.lower() in TABLE_SUFFIXES:
        yield from read_table(path, options)
        return
    try:
        value = orjson.loads(_utf8(path.read_bytes(), options.encoding))
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    except LookupError:
        yield Problem.at(path, None, f"not imported: '{options.encoding}' is not an encoding Python knows")
        return
    except UnicodeError as exc:
        yield Problem.at(path, None, f"not imported: it is not valid {options.encoding or 'UTF-8'} ({exc})")
        return
    except orjson.JSONDecodeError as exc:
        yield Problem.at(path, None, f"not valid JSON ({exc}); expected a Label Studio JSON export (an array of tasks)")
        return
    tasks = [value] if isinstance(value, dict) else value
    if not isinstance(tasks, list):
        yield Problem.at(path, None, "expected a JSON array of Label Studio tasks")
        return
    fields: set[str] = set()
    for number, task in enumerate(tasks, start=1):
        yield from read_task(path, number, task, options)
        fields |= unread_choices(task, options)
    yield from _kept_as_metadata(path, fields)


def _utf8(data: bytes, encoding: str | None) -> bytes | str:
    """The JSON to parse: Label Studio writes UTF-8 (read as it is, the quick way); a BOM or a named
    encoding says otherwise (a file another tool saved)."""
    used = bom_encoding(data) or encoding
    if used is None or codec_name(used) in ("utf-8", "utf-8-sig"):
        return data.removeprefix(b"\xef\xbb\xbf")
    return data.decode(stream_codec(used)).removeprefix("\ufeff")


def sniff_table(path: Path) -> bool:
    """A CSV or TSV whose header row names Label Studio's columns: the text and the annotator."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(65536).removeprefix(b"\xef\xbb\xbf")
    except OSError:
        return False
    names = {name.strip().strip('"') for name in first.replace(b"\t", b",").decode("utf-8", "replace").split(",")}
    return TEXT in names and bool(names & TABLE_MARKS)


def read_table(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    """One row per annotation, as JSON-MIN; list cells (the regions) are JSON inside the cell."""
    try:
        text, _ = decode(path.read_bytes(), options.encoding)
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    except NotText as exc:
        yield Problem.at(path, None, f"cannot be read as text: {exc}")
        return
    delimiter = "\t" if "\t" in text.partition("\n")[0] else ","
    csv.field_size_limit(2**31 - 1)  # a whole article is one cell
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows, [])
        if TEXT not in header:
            yield Problem.at(path, 1, f"expected a header row naming a '{TEXT}' column (Label Studio's CSV export)")
            return
        line, fields = rows.line_num, set()
        for cells in rows:
            number, line = line + 1, rows.line_num  # a row's first line: a quoted cell may span several
            if not any(cells):
                continue
            if len(cells) != len(header):
                yield Problem.at(path, number, f"expected {len(header)} cells as in the header, found {len(cells)}")
                continue
            task = {name: _cell(value) for name, value in zip(header, cells)}
            yield from read_task(path, number, task, options)
            fields |= unread_choices(task, options)
        yield from _kept_as_metadata(path, fields)
    except csv.Error as exc:
        yield Problem.at(path, rows.line_num, f"not a readable CSV row ({exc}); the rows after it are not read")


def _cell(value: str) -> Any:
    if value[:1] in ("[", "{"):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            pass  # text that happens to start with a bracket
    return value


def read_task(path: Path, number: int, task: Any, options: ImportOptions) -> Iterator[Imported | Problem]:
    if not isinstance(task, dict):
        yield Problem.at(path, number, f"expected a task object, found {type(task).__name__}")
        return
    data = task.get("data")
    minimal = not isinstance(data, dict)  # JSON-MIN: the data's fields and the results side by side
    data = task if minimal else data
    text = data.get(TEXT)
    if not isinstance(text, str) or not text:
        yield Problem.at(path, number, "expected the text in data.text (a non-empty string)")
        return
    reader = TaskReader(path, number, text, options)
    if minimal:
        yield from reader.result(minimal_result(task, options), "annotation", annotator_of(task))
    for key in ("annotations", "completions", "predictions"):
        if task.get(key) is not None and not isinstance(task[key], list):
            yield Problem.at(path, number, f"expected '{key}' to be a list, found {type(task[key]).__name__}; left out")
    annotations = task.get("annotations") or task.get("completions")
    yield from reader.not_objects(annotations, "annotation")
    for annotation in _dicts(annotations):
        yield from reader.result(annotation.get("result"), "annotation", annotator_of(annotation))
    predictions = task.get("predictions")
    if isinstance(predictions, list) and any(_is_id(item) for item in predictions):
        yield Problem.note(
            path, number, "predictions are given by id only (Label Studio's plain JSON export), so they are not "
            "read; export with full predictions (the snapshot API) to import them as suggestions"
        )
        predictions = [item for item in predictions if not _is_id(item)]
    yield from reader.not_objects(predictions, "prediction")
    for prediction in _dicts(predictions):
        model = prediction.get("model_version")
        model = str(model) if isinstance(model, str | int | float) and not isinstance(model, bool) and model != "" else None
        yield from reader.result(prediction.get("result"), "prediction", model)
    spans = sorted(reader.spans, key=lambda s: (s.start, s.end))
    if minimal:
        data = {k: v for k, v in data.items() if k not in options.label_sets}  # read as labels, not meta
    yield Imported(document_of(data, text), spans, reader.relations, str(path), number, reader.labels)


# Fields of a JSON-MIN row that Label Studio adds for the annotation itself, never a choice.
ANNOTATION_FIELDS = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"}


def unread_choices(task: Any, options: ImportOptions) -> set[str]:
    """A JSON-MIN row's plain-text fields that may have been a choice of the whole text: JSON-MIN, CSV and
    TSV do not tell a choice (``"checkworthy": "check-worthy"``) from a data field (``"licence": ...``),
    so one is read as document labels only when the schema has a label set of its name."""
    if not isinstance(task, dict) or isinstance(task.get("data"), dict):
        return set()  # the full export: its choices are results, named as such
    return {key for key, value in task.items() if isinstance(value, str) and value and key not in DATA_KEYS
            and key not in ANNOTATION_FIELDS and key not in options.label_sets}


def _kept_as_metadata(path: Path, fields: set[str]) -> Iterator[Problem]:
    if fields:
        yield Problem.note(
            path, None, f"kept as each document's metadata: {', '.join(sorted(fields))}. Label Studio's JSON-MIN, "
            "CSV and TSV exports do not say which fields are choices of the whole text; if one is, add a document "
            "label set of its name (Project > Label Schema) and import the file again (nothing is doubled), or "
            "import Label Studio's full JSON export"
        )


def _is_id(item: Any) -> bool:
    return isinstance(item, int | str) and not isinstance(item, bool)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def document_of(data: dict[str, Any], text: str) -> Document:
    meta = dict(data["meta"]) if isinstance(data.get("meta"), dict) else {}
    for key, value in data.items():  # the task's other data fields: kept, like a JSONL import's meta
        if (
            key not in DATA_KEYS
            and key not in ("annotations", "predictions", "annotator", "id")
            and isinstance(value, str | int | float | bool)
        ):
            meta.setdefault(key, value)
    date = data.get("date")
    return Document(
        text=text,
        title=data["title"] if isinstance(data.get("title"), str) else "",
        date=date if isinstance(date, str) and date else None,
        source=str(data.get("source") or ""),
        meta=meta,
    )


def annotator_of(annotation: dict[str, Any]) -> str | None:
    """Label Studio's completed_by: a user id, or {"email": ...}; JSON-MIN and our files say "annotator"."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    if who is None or who == "":
        who = annotation.get("annotator")
    return str(who) if who not in (None, "") else None


def minimal_result(task: dict[str, Any], options: ImportOptions) -> list[dict[str, Any]]:
    """JSON-MIN keeps, per control, the list of its regions' values: the labels ones become regions.
    A whole-task choice is the chosen label itself (or {"choices": [...]}): read when the schema
    has a label set of that name, or when it has the choices form."""
    result = []
    for key, value in task.items():
        chosen = value.get("choices") if isinstance(value, dict) else None
        if chosen is None and key in options.label_sets and isinstance(value, str) and value:
            chosen = [value]
        if isinstance(chosen, list):
            result.append({"id": f"{key}-choices", "type": "choices", "from_name": key, "value": {"choices": chosen}})
            continue
        for index, item in enumerate(_dicts(value)):
            if "labels" in item:
                result.append({"id": f"{key}-{index}", "type": "labels", "from_name": key, "value": item})
    return result


@dataclass
class Region:
    start: int
    end: int
    label: str
    state: State
    attributes: dict[str, Any] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid)
    cue_of: bool = False  # a Cue region some statement links to


class TaskReader:
    def __init__(self, path: Path, number: int, text: str, options: ImportOptions) -> None:
        self.path, self.number, self.text, self.options = path, number, text, options
        self.spans: list[Span] = []
        self.relations: list[Relation] = []
        self.labels: list[DocumentLabel] = []
        self._utf16: list[int] | None = None

    def problem(self, message: str, warning: bool = False) -> Problem:
        make = Problem.note if warning else Problem.at
        return make(self.path, self.number, message)

    def not_objects(self, items: Any, what: str) -> Iterator[Problem]:
        """A problem for each entry of a list that is not an object (the rest of the list is read)."""
        for index, item in enumerate(items if isinstance(items, list) else [], start=1):
            if not isinstance(item, dict):
                found = "null" if item is None else type(item).__name__
                yield self.problem(f"task {self.number}: {what} {index} is not a JSON object (found {found}); left out")

    def result(self, items: Any, kind: str, who: str | None) -> Iterator[Problem]:
        """One annotation's or prediction's results: regions first, then what refers to them by id."""
        if items is not None and not isinstance(items, list):
            yield self.problem(f"expected an {kind}'s 'result' to be a list, found {type(items).__name__}; left out")
            return
        yield from self.not_objects(items, f"{kind} result")
        items = _dicts(items)
        for item in items:
            if "value" in item and not isinstance(item["value"], dict):
                what = f"result {item.get('id', '?')} ({item.get('type')})"
                yield self.problem(f"{what}: expected 'value' to be an object, found {item['value']!r}; left out")
        items = [item for item in items if isinstance(item.get("value", {}), dict)]
        regions: dict[str, Region] = {}
        for item in items:
            if item.get("type") == "labels" or "labels" in (item.get("value") or {}):
                yield from self.region(item, kind, regions)
        for item in items:
            if item.get("type") == "relation":
                yield from self.relation(item, regions)
            elif item.get("type") in ("choices", "textarea") and item.get("id") in regions:
                value = attribute_value(item)
                if value is None:
                    what = f"result {item['id']} ({item['type']})"
                    yield self.problem(f"{what}: expected {ATTRIBUTE_SHAPES[item['type']]}; left out")
                else:
                    regions[item["id"]].attributes[str(item.get("from_name"))] = value
            elif item.get("type") == "choices" and "start" not in (item.get("value") or {}):
                yield from self.document_choice(item, kind, who)
            elif item.get("type") not in ("labels", "relation") and "labels" not in (item.get("value") or {}):
                what = f"result {item.get('id', '?')} ({item.get('type')})"
                yield self.problem(f"{what}: not a region, its attribute or a relation; left out", True)
        for rid, region in regions.items():
            if region.label == CUE:
                if not region.cue_of:
                    yield self.problem(
                        f"region {rid}: expected a 'cue' relation from a statement to this {CUE} region; left out"
                    )
                continue
            self.spans.append(self.span(region, kind, who))

    def document_choice(self, item: dict[str, Any], kind: str, who: str | None) -> Iterator[Problem]:
        """A choice of the whole task: the document's labels in the set ``from_name``."""
        name, chosen = item.get("from_name"), (item.get("value") or {}).get("choices")
        where = f"result {item.get('id', '?')} (choices)"
        if not isinstance(name, str) or not name:
            yield self.problem(f"{where}: expected from_name, the label set's name; left out")
            return
        if not isinstance(chosen, list) or not all(isinstance(c, str) and c for c in chosen):
            yield self.problem(f"{where}: expected value.choices, a list of label names; left out")
            return
        if kind == "prediction":  # a model's guess at a document label has no suggested state to go in
            yield self.problem(f"{where}: a prediction's document labels {chosen} are not imported", True)
            return
        origin = origin_of_import("labelstudio", who)
        self.labels += [DocumentLabel(name, label, who, origin) for label in chosen]

    def span(self, region: Region, kind: str, who: str | None) -> Span:
        return Span(
            start=region.start,
            end=region.end,
            label=region.label,
            layer=Layer(self.options.layers.get(region.label, Layer.ENTITY)),
            origin=origin_of_import("labelstudio", who),
            state=region.state,
            attributes=region.attributes,
            annotator=who if kind == "annotation" else None,
            uid=region.uid,
        )

    def region(self, item: dict[str, Any], kind: str, regions: dict[str, Region]) -> Iterator[Problem]:
        rid, value = str(item.get("id", "?")), item.get("value") or {}
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
            yield self.problem(f"region {rid}: expected value.labels, a list of label names; left out")
            return
        offsets = self.offsets(value)
        if isinstance(offsets, str):
            yield self.problem(f"region {rid}: {offsets}; left out")
            return
        if offsets[2]:
            yield self.problem(
                f"region {rid}: offsets counted in UTF-16 units (an older Label Studio); converted", True
            )
        if len(labels) > 1:
            yield self.problem(f"region {rid} has labels {labels}; only the first, {labels[0]}, is read", True)
        state = State.SUGGESTED if kind == "prediction" else State.ACCEPTED
        if kind == "annotation" and item.get("origin") == "prediction-changed":
            state = State.EDITED
        regions[rid] = Region(offsets[0], offsets[1], labels[0], state)
        score = item.get("score")
        if isinstance(score, int | float) and not isinstance(score, bool) and 0 <= score <= 1:
            regions[rid].attributes[SCORE] = score

    def offsets(self, value: dict[str, Any]) -> tuple[int, int, bool] | str:
        """(start, end, converted from UTF-16), or why the region does not fit the text."""
        start, end, words = value.get("start"), value.get("end"), value.get("text")
        place = span_offsets(start, end, None)
        if place is None:
            return f"expected integer offsets 0 <= start < end, found {start!r}-{end!r}"
        start, end = place
        if end <= len(self.text) and (words is None or self.text[start:end] == words):
            return start, end, False
        converted = self.from_utf16(start, end)
        if converted is not None and (words is None or self.text[converted[0] : converted[1]] == words):
            return converted[0], converted[1], True
        if end > len(self.text):
            return f"expected offsets within the text (0-{len(self.text)}), found {start}-{end}"
        return f"its text {words!r} is not the text at {start}-{end} ({self.text[start:end]!r})"

    def from_utf16(self, start: int, end: int) -> tuple[int, int] | None:
        if self._utf16 is None:
            # UTF-16 unit index -> code point index; -1 inside a surrogate pair. Built once per task.
            self._utf16 = []
            for index, char in enumerate(self.text):
                self._utf16 += [index, -1] if ord(char) > 0xFFFF else [index]
            self._utf16.append(len(self.text))
        if len(self._utf16) == len(self.text) + 1 or end >= len(self._utf16):
            return None  # no characters beyond the BMP: UTF-16 offsets would be the same
        first, last = self._utf16[start], self._utf16[end]
        return (first, last) if first >= 0 and last > first else None

    def relation(self, item: dict[str, Any], regions: dict[str, Region]) -> Iterator[Problem]:
        head, tail = regions.get(str(item.get("from_id"))), regions.get(str(item.get("to_id")))
        labels = item.get("labels") or []
        where = f"relation {item.get('from_id')}->{item.get('to_id')}"
        if head is None or tail is None:
            missing = item.get("from_id") if head is None else item.get("to_id")
            yield self.problem(f"{where}: expected regions of the same result; {missing} is not")
            return
        if item.get("direction") == "left":
            head, tail = tail, head
        label = str(labels[0]) if isinstance(labels, list) and labels else ""
        if label == CUE_RELATION or CUE in (head.label, tail.label):
            if tail.label != CUE or label != CUE_RELATION or head.label == CUE:
                yield self.problem(f"{where}: expected a 'cue' relation from a statement to a {CUE} region")
                return
            head.attributes["cue"] = [tail.start, tail.end]
            tail.cue_of = True
        elif not label:
            yield self.problem(f"{where}: expected a label (speaker or statement); left out")
        else:
            self.relations.append(Relation(head=head.uid, tail=tail.uid, label=label))


ATTRIBUTE_SHAPES = {"choices": "value.choices, a list of strings", "textarea": "value.text, a list of strings"}


def attribute_value(item: dict[str, Any]) -> str | list[str] | None:
    """A per-region choice or text, or None if it is not of that shape."""
    value = item.get("value") or {}
    if item.get("type") == "choices":
        choices = value.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            return None
        return choices[0] if len(choices) == 1 else list(choices)
    text = value.get("text")
    if isinstance(text, str):
        return text
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        return "\n".join(text)
    return None


def sniff_file(path: Path) -> bool:
    """A JSON export, or a CSV or TSV export (its header tells)."""
    return sniff_table(path) if path.suffix.lower() in TABLE_SUFFIXES else sniff(path)


def config_note(options: ExportOptions) -> str:
    """What goes with an export: the labelling config that shows its tasks in Label Studio."""
    config = config_xml(options.labels, options.attributes, options.label_sets)
    return f"── the labelling config to paste into Label Studio ──\n{config}"


ENTRY = Entry(
    name="labelstudio",
    title="Label Studio JSON",
    suffix=".json",
    write=write,
    read=read,
    sniff=sniff_file,
    suffixes=(".json", *TABLE_SUFFIXES),
    rank=60,  # after the claim tables and JSON
    fallback=(".json",),  # a .json nothing recognised: its reader says what is wrong with it
    marks_suggestions=True,
    keeps="Spans, links, attributes and document choices; unreviewed suggestions as predictions.",
    export_note=config_note,
)
