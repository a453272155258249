"""spaCy DocBin (``.spacy``), the training data of ``spacy train``. docs/formats.md has the details.

Each document becomes a Doc made from the project's tokens, cut where a span or cue edge falls
inside a token, so ``doc.text`` is the document's text exactly (white space between tokens kept as
spaCy keeps it: a trailing space, or a white-space token). Entities go to ``doc.ents`` (one per
token: the longest win where they overlap, the others are reported) and all of them to
``doc.spans["entities"]``; statements to ``doc.spans["statements"]``, their cue words to
``doc.spans["cues"]``, claims to ``doc.spans["claims"]``. ``doc.user_data["annotator"]`` keeps
what spaCy has no place for: the title, date, source and meta, span attributes and the speaker and
statement links. A span that still is not on token edges (an edge in white space) cannot be in a
Doc: it is reported and left out, never moved.
"""

from __future__ import annotations

import hashlib
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from annotator.core import choices
from annotator.core.checks import iso_day
from annotator.core.errors import Problem
from annotator.core.model import Document, DocumentLabel, Layer, Relation, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record, Tokenize, origin_of_import
from annotator.core.span_tokens import span_edges, split_at_edges
from annotator.core.format_entry import Entry

# spaCy (and numpy, srsly) take a second to import: they load when a DocBin is written or read, so the
# format catalogue can list this module's entry for free.
if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan
    from spacy.vocab import Vocab

FORMAT = "annotator/1"
USER_DATA_KEY = "annotator"
ENTITIES, STATEMENTS, CLAIMS, CUES = "entities", "statements", "claims", "cues"
GROUPS = {Layer.ENTITY: ENTITIES, Layer.STATEMENT: STATEMENTS, Layer.CLAIM: CLAIMS}
# The layer our own groups say; doc.ents and any other group go by the schema's label.
LAYER_OF_GROUP = {STATEMENTS: Layer.STATEMENT, CLAIMS: Layer.CLAIM}
CUE_LABEL = "CUE"
# Only what the Doc needs: words, spaces and entities. spaCy's default also keeps tags, heads,
# lemmas and more, which we never set, at eight bytes a token each.
ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"]
TRAIN, DEV = "train.spacy", "dev.spacy"


# --- writing ---------------------------------------------------------------------------------


def write(records: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    """One .spacy file, or with ``options.dev_fraction`` > 0 a folder with train.spacy and dev.spacy."""
    from spacy.vocab import Vocab

    from annotator.nlp.tokens import blank_tokenizer

    tokenize = options.tokenize or blank_tokenizer()
    vocab = Vocab()
    problems: list[Problem] = []
    if options.dev_fraction <= 0:
        parts = {target: DocBinWriter(target.parent)}
    else:
        target.mkdir(parents=True, exist_ok=True)
        parts = {target / TRAIN: DocBinWriter(target), target / DEV: DocBinWriter(target)}
    try:
        for record in records:
            doc, doc_problems = make_doc(record, tokenize, vocab, options.label_sets)
            problems.extend(doc_problems)
            part = target if options.dev_fraction <= 0 else _part(record.document.uid, options, target)
            parts[part].add(doc)
        for path, writer in parts.items():
            if options.dev_fraction > 0 and writer.count == 0:
                message = "no document fell in this part: add documents, or change the dev share or the seed"
                problems.append(Problem.note(path.name, None, message))
            writer.finish(path)
    finally:
        for writer in parts.values():
            writer.close()
    return problems


class DocBinWriter:
    """A DocBin written as it comes, so memory stays flat however many documents there are.

    spaCy's DocBin keeps every Doc's arrays in memory and copies them all again in to_bytes().
    This writer keeps each part of the DocBin message in a temporary file and at the end streams
    the same message (zlib-compressed msgpack, DocBin.to_bytes' keys and layout) into the target,
    which DocBin().from_disk() and ``spacy train`` read. Only the strings are kept in memory."""

    KEYS = ("cats", "flags", "span_groups", "user_data")  # msgpack arrays, one item per Doc

    def __init__(self, folder: Path) -> None:
        from spacy.tokens import DocBin

        self.template = DocBin(attrs=ATTRS, store_user_data=True)
        self.files = {key: tempfile.TemporaryFile(dir=folder) for key in ("tokens", "spaces", *self.KEYS)}
        self.lengths: list[int] = []
        self.strings: set[str] = set()

    @property
    def count(self) -> int:
        return len(self.lengths)

    def add(self, doc: Doc) -> None:
        import srsly
        from spacy.tokens import DocBin

        one = DocBin(attrs=ATTRS, store_user_data=True, docs=[doc])
        self.files["tokens"].write(one.tokens[0].tobytes("C"))
        self.files["spaces"].write(one.spaces[0].tobytes("C"))
        for key in self.KEYS:
            self.files[key].write(srsly.msgpack_dumps(getattr(one, key)[0]))
        self.lengths.append(len(one.tokens[0]))
        self.strings.update(one.strings)

    def finish(self, path: Path) -> None:
        import numpy
        import srsly

        head = {"version": self.template.version, "attrs": self.template.attrs}
        compress = zlib.compressobj()
        with path.open("wb") as out:

            def put(data: bytes) -> None:
                out.write(compress.compress(data))

            put(_map_header(len(head) + 8))
            for key, value in head.items():
                put(srsly.msgpack_dumps(key) + srsly.msgpack_dumps(value))
            for key in ("tokens", "spaces"):
                put(srsly.msgpack_dumps(key) + _bin_header(self.files[key].tell()))
                self._copy(key, put)
            lengths = numpy.asarray(self.lengths, dtype="int32").tobytes("C")
            put(srsly.msgpack_dumps("lengths") + srsly.msgpack_dumps(lengths))
            put(srsly.msgpack_dumps("strings") + srsly.msgpack_dumps(sorted(self.strings)))
            for key in self.KEYS:
                put(srsly.msgpack_dumps(key) + _array_header(self.count))
                self._copy(key, put)
            out.write(compress.flush())

    def _copy(self, key: str, put: Callable[[bytes], None]) -> None:
        handle = self.files[key]
        handle.seek(0)
        while chunk := handle.read(1 << 20):
            put(chunk)

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


# msgpack headers in their 32-bit forms, which every reader accepts whatever the size.
def _map_header(size: int) -> bytes:
    return b"\xdf" + struct.pack(">I", size)


def _array_header(size: int) -> bytes:
    return b"\xdd" + struct.pack(">I", size)


def _bin_header(size: int) -> bytes:
    return b"\xc6" + struct.pack(">I", size)


def _part(uid: str, options: ExportOptions, target: Path) -> Path:
    return target / (DEV if in_dev(uid, options.seed, options.dev_fraction) else TRAIN)


def in_dev(uid: str, seed: int, fraction: float) -> bool:
    """A stable draw from the uid and seed: the same project splits the same way on every export."""
    digest = hashlib.sha256(f"{seed}:{uid}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def make_doc(record: Record, tokenize: Tokenize, vocab: Vocab, label_sets=()) -> tuple[Doc, list[Problem]]:
    from spacy.tokens import Doc

    document = record.document
    name = document.title or document.uid
    # Cut at the span edges: a Doc holds only spans on token edges ("TASS" inside "/TASS/.").
    tokens = split_at_edges(tokenize(document.text), span_edges(record.spans))
    doc = Doc(vocab, *words_and_spaces(document.text, tokens))
    if doc.text != document.text:  # only a tokenizer giving overlapping tokens gets here
        raise ValueError(f"{name}: the tokens do not rebuild the text")
    problems: list[Problem] = []
    placed: dict[str, tuple[str, SpacySpan]] = {}  # span uid -> (group, Doc span)
    for span in record.spans:
        found = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if found is None:
            where = f"{span.layer} {span.label} {document.text[span.start : span.end]!r} at {span.start}-{span.end}"
            problems.append(Problem.note(name, None, f"{where} does not start and end on token edges: left out"))
        else:
            placed[span.uid] = (GROUPS[span.layer], found)
    for group in GROUPS.values():
        doc.spans[group] = [found for g, found in placed.values() if g == group]
    problems.extend(_set_ents(doc, doc.spans[ENTITIES], name))
    problems.extend(_set_cues(doc, record, placed, name))
    doc.user_data[USER_DATA_KEY] = _user_data(record, placed)
    doc.cats = cats_of(record, label_sets)
    return doc, problems


def cats_of(record: Record, label_sets) -> dict[str, float]:
    """spaCy's textcat gold: 1.0 for each label the document has, 0.0 for the schema's others. None
    at all when neither the schema nor the document has document labels."""
    every = [DocumentLabel(s.name, label) for s in label_sets for label in s.labels]
    cats = {choices.written_name(label, label_sets): 0.0 for label in every}
    for name in choices.names_of(record.labels, label_sets):
        cats[name] = 1.0
    return cats


def words_and_spaces(text: str, tokens: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags that rebuild ``text`` exactly: the first space of a gap is
    the token's trailing space; the rest of the gap (newlines, more spaces) is a white-space
    token, as spaCy's own tokenizer makes them."""
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for start, end in [*tokens, (len(text), len(text))]:
        gap = text[position:start]
        if gap.startswith(" ") and words:
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        position = end
    return words, spaces


def _set_ents(doc: Doc, entities: Iterable[SpacySpan], name: str) -> list[Problem]:
    """doc.ents holds one entity per token: the longest win, the others stay in doc.spans only.
    Tokens outside every entity are set to O (not missing): these are annotated documents."""
    chosen: list[SpacySpan] = []
    taken: set[int] = set()
    problems = []
    for span in sorted(entities, key=lambda s: (s.start - s.end, s.start)):
        if taken.isdisjoint(range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
        else:
            problems.append(
                Problem.note(
                    name,
                    None,
                    f"entity {span.label_} {span.text!r} at {span.start_char}-{span.end_char} overlaps a longer one: "
                    'only in doc.spans["entities"], not in doc.ents',
                )
            )
    doc.set_ents(sorted(chosen, key=lambda s: s.start), default="outside")
    return problems


def _set_cues(doc: Doc, record: Record, placed: dict[str, tuple[str, SpacySpan]], name: str) -> list[Problem]:
    cues, problems = [], []
    for span in record.spans:
        cue = span.attributes.get("cue") if span.uid in placed and span.layer == Layer.STATEMENT else None
        if not (isinstance(cue, list | tuple) and len(cue) == 2):
            continue
        found = doc.char_span(cue[0], cue[1], label=CUE_LABEL, alignment_mode="strict")
        if found is None:
            problems.append(
                Problem.note(name, None, f"cue at {cue[0]}-{cue[1]} is not on token edges: only in user_data")
            )
        else:
            cues.append(found)
    doc.spans[CUES] = cues
    return problems


def _user_data(record: Record, placed: dict[str, tuple[str, SpacySpan]]) -> dict[str, Any]:
    """What spaCy has no place for, as plain msgpack-able values. Spans are found again by
    their group, offsets and label, so a Doc edited by a script still matches what it can."""
    document = record.document
    spans = {}
    for span in record.spans:
        if span.uid in placed and span.attributes:
            spans[span_key(GROUPS[span.layer], span.start, span.end, span.label)] = _plain(span.attributes)
    keys = {uid: span_key(group, s.start_char, s.end_char, s.label_) for uid, (group, s) in placed.items()}
    relations = [
        [keys[r.head], keys[r.tail], r.label, _plain(r.attributes)]
        for r in record.relations
        if r.head in keys and r.tail in keys
    ]
    return {
        "format": FORMAT,
        "uid": document.uid,
        "title": document.title,
        "date": document.date,
        "source": document.source,
        "meta": _plain(document.meta),
        "spans": spans,
        "relations": relations,
        # Who set each document label: doc.cats holds only the names.
        "labels": [[d.label_set, d.label, d.annotator, d.origin] for d in record.labels],
    }


def span_key(group: str, start: int, end: int, label: str) -> str:
    return f"{group} {start} {end} {label}"


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    # msgpack takes JSON's types; anything else (a date, a set) is written as its text.
    return orjson.loads(orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS))


# --- reading ---------------------------------------------------------------------------------


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    """A .spacy file, or a folder of them (train.spacy and dev.spacy, or shards), in name order."""
    files = sorted(path.rglob("*.spacy")) if path.is_dir() else [path]
    if not files:
        yield Problem.at(path, None, "expected .spacy files in this folder, found none")
    from spacy.vocab import Vocab

    vocab = Vocab()
    for file in files:
        yield from _read_file(file, vocab, options)


# A DocBin inflates to a few times its size; a file that would inflate to far more is a zlib bomb
# (1 MB of zeros inflates to 1 GB) and is refused before it takes the memory.
MAX_RATIO = 50
MAX_BASE = 64 * 2**20


def _read_file(path: Path, vocab: Vocab, options: ImportOptions) -> Iterator[Imported | Problem]:
    from spacy.tokens import DocBin

    try:
        data = path.read_bytes()
        limit = MAX_BASE + MAX_RATIO * len(data)
        inflated = zlib.decompressobj().decompress(data, limit + 1)
        if len(inflated) > limit:
            yield Problem.at(
                path, None, f"it would inflate to more than {limit // 2**20} MB from {len(data) // 1024} KB, "
                "far more than a spaCy DocBin does; not imported"
            )
            return
        # DocBin reads only compressed bytes: stored without compression (level 0) costs a copy, not time.
        docbin = DocBin().from_bytes(zlib.compress(inflated, 0))
        del inflated
        docs = list(docbin.get_docs(vocab))
    except OSError as exc:
        yield Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    except Exception as exc:  # noqa: BLE001 - zlib, msgpack and numpy each raise their own errors
        yield Problem.at(path, None, f"expected a spaCy DocBin (.spacy), but it does not load: {exc}")
        return
    for number, doc in enumerate(docs, start=1):
        if not doc.text:
            yield Problem.at(path, number, "document has no text; left out")
            continue
        try:
            yield imported(doc, path, number, options)
        except Exception as exc:  # noqa: BLE001 - user_data is whatever the file's maker put there
            yield Problem.at(path, number, f"document {number} could not be read ({type(exc).__name__}: {exc}); left out")


def imported(doc: Doc, path: Path, number: int, options: ImportOptions) -> Imported:
    data = _lists(doc.user_data.get(USER_DATA_KEY))
    data = data if isinstance(data, dict) else {}
    attributes = data.get("spans") if isinstance(data.get("spans"), dict) else {}
    spans: dict[str, Span] = {}  # by key: what user_data's attributes and relations name
    seen: set[tuple[Layer, int, int, str]] = set()
    for group, found in _doc_spans(doc):
        layer = LAYER_OF_GROUP.get(group) or options.layers.get(found.label_, Layer.ENTITY)
        # doc.ents repeat doc.spans["entities"]; a span group may repeat doc.ents.
        if (layer, found.start_char, found.end_char, found.label_) in seen:
            continue
        seen.add((layer, found.start_char, found.end_char, found.label_))
        key = span_key(group, found.start_char, found.end_char, found.label_)
        spans[key] = Span(
            start=found.start_char,
            end=found.end_char,
            label=found.label_,
            layer=layer,
            origin=origin_of_import("spacy"),
            state=State.ACCEPTED,
            attributes=_attributes(attributes.get(key)),
        )
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    document = Document(
        text=doc.text,
        title=str(data.get("title") or f"{path.stem} #{number}"),
        date=iso_day(data.get("date")),
        source=str(data.get("source") or path.name),
        meta=dict(meta),
    )
    labels = _labels(data.get("labels"), doc.cats, options)
    return Imported(document, _sorted(spans.values()), _relations(data, spans), str(path), number, labels)


def _our_label(item: Any) -> bool:
    return isinstance(item, list) and len(item) == 4 and all(isinstance(x, str | None) for x in item) and bool(
        item[0] and item[1]
    )


def _labels(given: Any, cats: dict[str, float], options: ImportOptions) -> list[DocumentLabel]:
    """Our own record of who set each label when the file has it, else the labels doc.cats scores
    0.5 or more (spaCy's threshold for a category)."""
    origin = origin_of_import("spacy")
    if isinstance(given, list) and all(_our_label(item) for item in given):
        return [DocumentLabel(name, label, who or None, str(made or origin)) for name, label, who, made in given]
    sets = list(options.label_sets.values())
    return [
        choices.read_name(str(name), sets, None, origin)
        for name, score in cats.items()
        if isinstance(score, int | float) and score >= 0.5
    ]


def _attributes(value: Any) -> dict[str, Any]:
    """A span's attributes from user_data: only a mapping with text keys is one (the import's checks
    then look at each value)."""
    if not isinstance(value, dict):
        return {}
    return {key: item for key, item in value.items() if isinstance(key, str)}


def _doc_spans(doc: Doc) -> Iterator[tuple[str, SpacySpan]]:
    """Entities of doc.ents, then every span group but the cues (a statement attribute)."""
    for found in doc.ents:
        yield ENTITIES, found
    for group, spans in doc.spans.items():
        if group != CUES:
            for found in spans:
                yield group, found


def _relations(data: dict[str, Any], spans: dict[str, Span]) -> list[Relation]:
    relations = []
    given = data.get("relations")
    for item in given if isinstance(given, list) else []:
        if not (isinstance(item, list | tuple) and len(item) == 4):
            continue
        head, tail, label, attributes = item
        if head in spans and tail in spans:
            relations.append(
                Relation(
                    head=spans[head].uid,
                    tail=spans[tail].uid,
                    label=str(label),
                    attributes=dict(attributes) if isinstance(attributes, dict) else {},
                )
            )
    return relations


def _lists(value: Any) -> Any:
    """msgpack gives arrays back as tuples; the project stores JSON's lists (a cue is [start, end])."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value


def _sorted(spans: Iterable[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.layer != Layer.ENTITY))


# --- recognising -----------------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """A DocBin is zlib-compressed msgpack whose first key is "version" and which has "attrs":
    the head of the file is inflated to check, without loading the whole file."""
    if path.is_dir():
        return any(sniff(file) for file in sorted(path.glob("*.spacy"))[:1])
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
        inflated = zlib.decompressobj().decompress(head, 256)
    except (OSError, zlib.error):
        return False
    return b"version" in inflated[:16] and b"attrs" in inflated


ENTRY = Entry(
    name="spacy",
    title="spaCy DocBin",
    suffix=".spacy",
    write=write,
    read=read,
    sniff=sniff,
    suffixes=(".spacy",),
    tokens=True,
    splits=True,
    keeps="Entities in doc.ents; statements, cues, claims in span groups; doc.cats; the rest in user_data.",
)
