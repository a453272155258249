"""Prodigy JSONL: one task per line, as ``prodigy db-out`` writes and ``prodigy db-in`` reads.

A task is ``text``, ``meta``, ``tokens`` (from the project's tokenizer, cut where a span edge falls
inside a token, so "TASS" tagged in "/TASS/." is a token of its own), ``spans`` with character and
inclusive token offsets, ``relations`` in the form of Prodigy's relations interface, ``answer`` and
the two hashes. Statements and claims are spans with their labels; speaker and claim-statement
links are relations. Prodigy has no place for span attributes (kind, cue, typed speaker, claim
attributes), so they travel in an extra ``attributes`` key on the span: Prodigy keeps keys it does
not know, and our reader restores them. Document labels are the choice interface's ``options``
(every label of the schema's label sets) and ``accept`` (the ids of those set); a binary
classification task's accepted top-level ``label`` is read as one too. docs/formats.md
lists what survives.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import Problem
from annotator.core.model import DocumentLabel, Layer, Relation, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record, Tokenize, origin_of_import
from annotator.core import choices
from annotator.core.span_tokens import span_edges, split_at_edges
from annotator.formats.jsonl import first_record, plain_document, records, span_place, without_bad_cue
from annotator.formats.entry import Entry
from annotator.formats.jsonl import preview
from annotator.formats.native import FORMAT as NATIVE_FORMAT
from annotator.formats.native import write_record

ANSWER_STATES = {"accept": State.ACCEPTED, "reject": State.REJECTED, None: State.SUGGESTED}


# ---------------------------------------------------------------- writing


def write(records_: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    if options.tokenize is None:
        raise ValueError("the Prodigy export needs the project's tokenizer (tokens and token offsets)")
    problems: list[Problem] = []
    with target.open("wb") as out:
        for record in records_:
            task, notes = task_of(record, options.tokenize, options.label_sets)
            write_record(task, out)
            name = record.document.title or record.document.uid
            problems.extend(Problem.note(name, None, note) for note in notes)
    return problems


def task_of(record: Record, tokenize: Tokenize, label_sets=()) -> tuple[dict[str, Any], list[str]]:
    """A Prodigy task for one document, and notes on spans whose edges are not token edges."""
    doc = record.document
    # Cut at the span edges, so each span's token indices point at exactly its characters.
    offsets = split_at_edges(tokenize(doc.text), span_edges(record.spans))
    starts = [start for start, _ in offsets]
    notes: list[str] = []
    spans: dict[str, dict[str, Any]] = {}
    for span in sorted(record.spans, key=lambda s: (s.start, s.end)):
        item, note = span_item(span, doc.text, offsets, starts)
        if note:
            notes.append(note)
        if item is not None:
            spans[span.uid] = item
    task: dict[str, Any] = {
        "text": doc.text,
        "meta": {"title": doc.title, "date": doc.date, "source": doc.source, **doc.meta},
        "tokens": token_items(doc.text, offsets),
        "spans": list(spans.values()),
        "relations": [relation_item(r, spans) for r in record.relations if r.head in spans and r.tail in spans],
        "answer": "accept",
    }
    if record.labels or label_sets:
        task["options"] = choice_options(record, label_sets)
        task["accept"] = choices.names_of(record.labels, label_sets)
        note = choices.annotators_note(record.labels)
        if note:
            notes.append(note)
    annotators = {s.annotator for s in record.spans if s.annotator}
    annotators |= {d.annotator for d in record.labels if d.annotator}
    if len(annotators) == 1:
        task["_annotator_id"] = annotators.pop()
    task["_input_hash"] = input_hash(doc.text)
    task["_task_hash"] = task_hash(task["_input_hash"], task["spans"], task["relations"])
    return task, notes


def choice_options(record: Record, label_sets) -> list[dict[str, Any]]:
    """The choice interface's options: every label of the schema's sets, and any other label set here."""
    every = [DocumentLabel(s.name, label) for s in label_sets for label in s.labels]
    options = {}
    for label in [*every, *record.labels]:
        name = choices.written_name(label, label_sets)
        options.setdefault(name, {"id": name, "text": label.label, "label_set": label.label_set})
    return list(options.values())


def token_items(text: str, offsets: list[tuple[int, int]]) -> list[dict[str, Any]]:
    return [
        {"text": text[start:end], "start": start, "end": end, "id": i, "ws": text[end : end + 1].isspace()}
        for i, (start, end) in enumerate(offsets)
    ]


def span_item(
    span: Span, text: str, offsets: list[tuple[int, int]], starts: list[int] | None = None
) -> tuple[dict[str, Any] | None, str]:
    """The span with the tokens it overlaps. Its character offsets stay exact even when they cut a
    token (only white space at an edge can, once tokens are cut at span edges): moving them would
    change the annotation; the note says so instead. ``starts``: the tokens' starts, to bisect."""
    words = text[span.start : span.end]
    starts = starts if starts is not None else [start for start, _ in offsets]
    first = bisect.bisect_right(starts, span.start) - 1  # the last token starting at or before the span
    if first < 0 or offsets[first][1] <= span.start:
        first += 1  # that token ends before the span: the next one is the first it covers
    last = bisect.bisect_left(starts, span.end) - 1  # the last token starting before the span's end
    if first >= len(offsets) or last < first:
        return None, f"{span.label} span {words!r} at {span.start}-{span.end} covers no token; left out"
    edges = []
    if offsets[first][0] != span.start:
        edges.append("start")
    if offsets[last][1] != span.end:
        edges.append("end")
    note = f"span {words!r} does not {'/'.join(edges)} on a token edge" if edges else ""
    item: dict[str, Any] = {
        "start": span.start,
        "end": span.end,
        "token_start": first,
        "token_end": last,
        "label": span.label,
        "text": words,
    }
    if span.attributes:
        item["attributes"] = span.attributes
    if span.state == State.SUGGESTED:
        # Prodigy marks a model's span by its "source"; "state" is ours, so a suggestion stays one.
        item["source"] = span.origin
        item["state"] = str(State.SUGGESTED)
    return item, note


def relation_item(relation: Relation, spans: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Prodigy's relations form: ``head`` and ``child`` are the index of each span's last token."""
    head, child = spans[relation.head], spans[relation.tail]
    return {
        "head": head["token_end"],
        "child": child["token_end"],
        "head_span": _bare(head),
        "child_span": _bare(child),
        "label": relation.label,
    }


def _bare(item: dict[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in ("start", "end", "token_start", "token_end", "label")}


def stable_hash(value: Any) -> int:
    """A signed 32-bit int from JSON with sorted keys. Prodigy uses murmurhash, which is not in the
    standard library; these hashes are stable across runs and machines, but not Prodigy's numbers."""
    digest = hashlib.blake2b(orjson.dumps(value, option=orjson.OPT_SORT_KEYS), digest_size=4).digest()
    return int.from_bytes(digest, "little", signed=True)


def input_hash(text: str) -> int:
    return stable_hash({"text": text})


def task_hash(input_hash_: int, spans: list[dict[str, Any]], relations: list[dict[str, Any]]) -> int:
    return stable_hash(
        {
            "input": input_hash_,
            "spans": [[s["start"], s["end"], s["label"]] for s in spans],
            "relations": [[r["head"], r["child"], r["label"]] for r in relations],
        }
    )


# ---------------------------------------------------------------- reading


def sniff(path: Path) -> bool:
    first = first_record(path)
    return first is not None and looks_like(first)


def looks_like(first: dict[str, Any]) -> bool:
    """A record only Prodigy writes: its hashes, spans on tokens, or token objects."""
    if first.get("format") == NATIVE_FORMAT:
        return False
    if "_input_hash" in first or "_task_hash" in first:
        return True
    spans, tokens = first.get("spans"), first.get("tokens")
    if isinstance(spans, list) and any(isinstance(s, dict) and "token_start" in s for s in spans):
        return True
    return isinstance(tokens, list) and bool(tokens) and all(isinstance(t, dict) for t in tokens)


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    for number, value in records(path, options.encoding):
        if isinstance(value, Problem):
            yield value
        else:
            yield from read_task(path, number, value, options)


def read_task(path: Path, number: int, task: dict[str, Any], options: ImportOptions) -> Iterator[Imported | Problem]:
    text = task.get("text")
    if not isinstance(text, str) or not text:
        yield Problem.at(path, number, "expected a non-empty string in 'text'")
        return
    answer = task.get("answer")
    if answer == "ignore":
        yield Problem.note(path, number, "answer 'ignore': the annotator skipped this task; not imported")
        return
    if not (answer is None or isinstance(answer, str)) or answer not in ANSWER_STATES:
        yield Problem.at(path, number, f"expected 'answer' to be accept, reject or ignore, found {answer!r}")
        return
    document, notes = plain_document(text, task.get("meta"), path, number)
    yield from (Problem.note(path, number, note) for note in notes)
    yield from (Problem.at(path, number, message) for message in token_problems(task.get("tokens"), text))
    who = task.get("_annotator_id") or task.get("_session_id")
    annotator = str(who) if who else None
    spans: list[Span] = []
    token_ends: dict[int, Span] = {}
    for key in ("spans", "relations"):
        if not isinstance(task.get(key), list | None):
            yield Problem.at(path, number, f"expected '{key}' to be a list, found {type(task[key]).__name__}; "
                             "imported without them")
    for index, item in enumerate(_list(task.get("spans"))):
        span = read_span(item, text, ANSWER_STATES[answer], annotator, options)
        if isinstance(span, str):
            yield Problem.at(path, number, f"span {index}: {span}; left out")
            continue
        span, note = without_bad_cue(span, text)
        if note:
            yield Problem.note(path, number, note)
        spans.append(span)
        if isinstance(item.get("token_end"), int) and not isinstance(item["token_end"], bool):
            token_ends.setdefault(item["token_end"], span)
    relations = []
    for index, item in enumerate(_list(task.get("relations"))):
        relation = read_relation(item, spans, token_ends)
        if isinstance(relation, str):
            yield Problem.at(path, number, f"relation {index}: {relation}; left out")
        else:
            relations.append(relation)
    labels = []
    accepted = task.get("accept")
    if accepted is not None and answer != "reject":
        if not isinstance(accepted, list) or not all(isinstance(x, str | int) for x in accepted):
            yield Problem.at(
                path, number, f"expected 'accept' to be a list of option ids, found {accepted!r}; left out"
            )
        else:
            labels = accepted_labels(accepted, task.get("options"), options, annotator)
    elif isinstance(task.get("label"), str) and task["label"] and answer == "accept":
        # Binary text classification (textcat.teach): the task's one label, accepted.
        labels = accepted_labels([task["label"]], None, options, annotator)
    yield Imported(document, spans, relations, str(path), number, labels)


def accepted_labels(accepted: list, given: Any, options: ImportOptions, annotator: str | None):
    """The document labels a choice task's ``accept`` names: by its option's ``label_set`` when it
    says, else by the schema's label sets (choices.read_name)."""
    by_id = {str(o.get("id")): o for o in _list(given) if isinstance(o, dict)}
    sets = list(options.label_sets.values())
    origin = origin_of_import("prodigy", annotator)
    found = []
    for value in accepted:
        option = by_id.get(str(value), {})
        named = option.get("label_set")
        text = option.get("text")
        if isinstance(named, str) and named and isinstance(text, str) and text:
            found.append(DocumentLabel(named, text, annotator, origin))
        else:
            found.append(choices.read_name(str(value), sets, annotator, origin))
    return found


def token_problems(tokens: Any, text: str) -> list[str]:
    """Tokens are not needed to import the spans (those have character offsets), but tokens that do
    not match the text mean the task was edited by hand or belongs to another text: worth a look."""
    if not isinstance(tokens, list):
        return []
    bad = []
    for index, token in enumerate(tokens):
        if not isinstance(token, dict):
            bad.append(f"token {index} is not a JSON object")
            continue
        start, end = token.get("start"), token.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            bad.append(f"token {index}: expected 0 <= start <= end <= {len(text)}, found {start}-{end}")
        elif "text" in token and token["text"] != text[start:end]:
            bad.append(
                f"token {index} {token['text']!r} does not match the text at {start}-{end} ({text[start:end]!r})"
            )
    if not bad:
        return []
    more = f" (and {len(bad) - 1} more token(s) like it)" if len(bad) > 1 else ""
    return [bad[0] + more]


def read_span(item: Any, text: str, state: State, annotator: str | None, options: ImportOptions) -> Span | str:
    """A span, or why it does not fit."""
    place = span_place(item, text)
    if isinstance(place, str):
        return place
    start, end, label = place
    own = item.get("state")
    if state != State.REJECTED and own in (State.SUGGESTED, State.EDITED):
        state = State(own)  # our own export marks suggestions nobody reviewed
    attributes = item.get("attributes")
    source = item.get("source")
    return Span(
        start=start,
        end=end,
        label=label,
        layer=options.layers.get(label, Layer.ENTITY),
        origin=origin_of_import("prodigy", source if isinstance(source, str) and source else annotator),
        state=state,
        attributes=dict(attributes) if isinstance(attributes, dict) else {},
        annotator=None if state == State.SUGGESTED else annotator,
    )


def read_relation(item: Any, spans: list[Span], token_ends: dict[int, Span]) -> Relation | str:
    """A relation between two imported spans, found by ``head_span``/``child_span`` (start, end,
    label) or, without those, by the spans' last tokens as ``head``/``child`` give them."""
    if not isinstance(item, dict):
        return "expected a JSON object"
    head = _span_for(item.get("head_span"), item.get("head"), spans, token_ends)
    child = _span_for(item.get("child_span"), item.get("child"), spans, token_ends)
    if head is None or child is None:
        return "expected 'head' and 'child' to be spans of this task (a relation between single tokens is not kept)"
    label = item.get("label")
    return Relation(head=head.uid, tail=child.uid, label=str(label) if label else "")


def _span_for(described: Any, token: Any, spans: list[Span], token_ends: dict[int, Span]) -> Span | None:
    if isinstance(described, dict):
        key = (described.get("start"), described.get("end"), described.get("label"))
        return next((s for s in spans if (s.start, s.end, s.label) == key), None)
    return token_ends.get(token) if isinstance(token, int) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


ENTRY = Entry(
    name="prodigy",
    title="Prodigy JSONL",
    suffix=".jsonl",
    write=write,
    read=read,
    sniff=sniff,
    suffixes=(".jsonl", ".ndjson"),
    rank=30,
    looks_like=looks_like,
    tokens=True,
    # Our state/source keys say "suggested", but Prodigy trains on every span of an accepted task as
    # gold: to Prodigy's own tools they would be checked labels.
    marks_suggestions=False,
    keeps="Spans on tokens; links as relations; attributes in an extra key; document labels as accept.",
    preview=preview,
)
