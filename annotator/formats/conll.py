"""CoNLL-2003 / IOB: one token per line with its entity tag. docs/formats.md has the details.

Written: the two-column form ``TOKEN TAG`` (IOB2: ``B-LABEL``, ``I-LABEL``, ``O``), which spaCy's
``convert``, Flair, seqeval and most NER scripts read (they take the first and the last column).
``-DOCSTART- -X- -X- O`` and a blank line open each document; a blank line ends each sentence,
and a sentence is a line of the document's text. Only entities fit: one entity per token, on
token edges (the tokens are cut at entity edges that fall inside one); any other entity, and one
whose label holds white space (the columns are split at white space), is reported as lost, never moved.
Each statement and claim, and a document's labels, are reported as left out.

Read: two to four columns (token first, tag last), IOB1, IOB2 and BIOES/BILOU tags. The text is
rebuilt: tokens joined by one space, sentences by a newline, so offsets are those of the rebuilt
text, not of whatever text the file was made from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record, origin_of_import
from annotator.core.span_tokens import span_edges, split_at_edges
from annotator.formats.decoding import stream_failed, utf8_lines
from annotator.formats.entry import Entry

DOCSTART = "-DOCSTART-"
DOCSTART_LINE = "-DOCSTART- -X- -X- O\n"
TAG = re.compile(r"^(?:O|[BIESLU]-\S+)$")
WHITESPACE = re.compile(r"\s+")
SNIFF_BYTES = 64 * 1024
SNIFF_LINES = 40


# --- writing ---------------------------------------------------------------------------------


def write(records: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    if options.tokenize is None:
        raise ValueError("CoNLL export needs the project's tokenizer (ExportOptions.tokenize)")
    problems: list[Problem] = []
    with target.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            tokens = split_at_edges(options.tokenize(record.document.text), span_edges(_entities(record)))
            problems.extend(write_document(record, tokens, out))
    return problems


def write_document(record: Record, tokens: list[tuple[int, int]], out: IO[str]) -> list[Problem]:
    text, name = record.document.text, _name(record)
    entities, problems = token_entities(record, tokens)
    problems.extend(left_out(record))
    out.write(DOCSTART_LINE + "\n")
    if not tokens:
        return problems + [Problem.note(name, None, "has no tokens: written as an empty document")]
    tags = iob_tags(len(tokens), entities)
    inside = _inside_entity(len(tokens), entities)
    for index, (start, end) in enumerate(tokens):
        # A line of text is a sentence, but never split an entity: IOB readers end entities there.
        if index and "\n" in text[tokens[index - 1][1] : start] and not inside[index]:
            out.write("\n")
        word = text[start:end]
        if WHITESPACE.search(word):
            problems.append(
                Problem.note(name, None, f"token {word!r} at {start}-{end} holds white space: written with _")
            )
            word = WHITESPACE.sub("_", word)
        out.write(f"{word} {tags[index]}\n")
    out.write("\n")
    return problems


def token_entities(record: Record, tokens: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str]], list[Problem]]:
    """The entities IOB can hold as (first token, last token + 1, label), and a note for each it cannot."""
    text, name = record.document.text, _name(record)
    first_at = {start: i for i, (start, _) in enumerate(tokens)}
    last_at = {end: i for i, (_, end) in enumerate(tokens)}
    kept: list[tuple[int, int, str]] = []
    problems: list[Problem] = []
    kept_span: Span | None = None
    # Longest first among spans starting together: the outer entity of a nest is the one kept.
    for span in sorted(_entities(record), key=lambda s: (s.start, -s.end)):
        where = f"{span.label} {text[span.start : span.end]!r} at {span.start}-{span.end}"
        if not span.label or WHITESPACE.search(span.label):
            # The columns are split at white space: "B-Key Person" would read as a token and two tags.
            problems.append(Problem.note(name, None, f"entity {where}: CoNLL cannot hold a label with spaces: lost"))
        elif span.start not in first_at or span.end not in last_at:
            problems.append(Problem.note(name, None, f"entity {where} does not start and end on token edges: lost"))
        elif kept_span is not None and span.start < kept_span.end:
            other = f"{kept_span.label} {text[kept_span.start : kept_span.end]!r}"
            problems.append(
                Problem.note(name, None, f"entity {where} overlaps {other}; IOB holds one entity per token: lost")
            )
        else:
            kept.append((first_at[span.start], last_at[span.end] + 1, span.label))
            kept_span = span
    return kept, problems


def left_out(record: Record) -> list[Problem]:
    """A note for each statement and claim (with its links) and for the document labels: IOB tags hold
    entities only, and an analyst must see what the file does not carry."""
    text, name = record.document.text, _name(record)
    problems = [
        Problem.note(
            name, None,
            f"{span.layer} {span.label} {text[span.start : span.end]!r} at {span.start}-{span.end} "
            "is not an entity; CoNLL holds entities only: left out",
        )
        for span in record.spans
        if span.layer != Layer.ENTITY
    ]
    if record.labels:
        names = ", ".join(sorted({label.label for label in record.labels}))
        problems.append(Problem.note(name, None, f"document labels {names}: CoNLL holds no document labels: left out"))
    return problems


def iob_tags(count: int, entities: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * count
    for first, stop, label in entities:
        tags[first] = f"B-{label}"
        for index in range(first + 1, stop):
            tags[index] = f"I-{label}"
    return tags


def _inside_entity(count: int, entities: list[tuple[int, int, str]]) -> list[bool]:
    """True for tokens that continue an entity (every token of it but the first)."""
    inside = [False] * count
    for first, stop, _ in entities:
        for index in range(first + 1, stop):
            inside[index] = True
    return inside


def _entities(record: Record) -> list[Span]:
    return [s for s in record.spans if s.layer == Layer.ENTITY]


def _name(record: Record) -> str:
    return record.document.title or record.document.uid


# --- reading ---------------------------------------------------------------------------------


def lines(path: Path, encoding: str | None = None) -> Iterator[tuple[int, str | Problem]]:
    """(line number, line without its line break) of a UTF-8 file (or the encoding its BOM or
    ``encoding`` names), streamed; split on \\n only. A line that is not UTF-8 is a Problem, and
    the lines after it are still read."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield 0, Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")
        return
    number = 0
    with handle:
        try:
            for number, raw in enumerate(utf8_lines(handle, encoding), start=1):
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                try:
                    yield number, raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    yield number, Problem.at(path, number, f"expected UTF-8, found the byte {raw[exc.start]:#04x}")
        except LookupError:
            yield 0, Problem.at(path, None, f"not imported: '{encoding}' is not an encoding Python knows")
        except UnicodeError as exc:  # not just a bad byte: a UTF-16 stream without its BOM fails so too
            yield number + 1, Problem.at(path, None, stream_failed(encoding, exc, number))


@dataclass
class DocumentBuilder:
    """One document as it is read: sentences of (token, tag) and where it started."""

    line: int | None = None
    sentences: list[list[tuple[str, str]]] = field(default_factory=list)
    sentence: list[tuple[str, str]] = field(default_factory=list)

    def add(self, number: int, token: str, tag: str) -> None:
        if self.line is None:
            self.line = number
        self.sentence.append((token, tag))

    def end_sentence(self) -> None:
        if self.sentence:
            self.sentences.append(self.sentence)
            self.sentence = []


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    builder, count, reported = DocumentBuilder(), 0, False
    blocks_are_documents: bool | None = None  # decided by the first token line
    for number, line in lines(path, options.encoding):
        if isinstance(line, Problem):
            reported = True
            yield line
            continue
        fields = _fields(line)
        if fields and fields[0] != DOCSTART and blocks_are_documents is None:
            blocks_are_documents = is_label_studio_line(fields)
        if not fields:
            if blocks_are_documents and builder.line is not None:
                count += 1
                yield _imported(path, builder, count, options)
                builder = DocumentBuilder()
            else:
                builder.end_sentence()
        elif fields[0] == DOCSTART:
            if builder.line is not None:
                count += 1
                yield _imported(path, builder, count, options)
            builder = DocumentBuilder()
        elif len(fields) >= 2 and TAG.match(fields[-1]) and fields[0]:
            builder.add(number, fields[0], fields[-1])
        elif line.startswith("# "):
            continue  # a comment, as some CoNLL variants have ("# id = ...")
        else:
            reported = True
            yield Problem.at(path, number, f"expected 'TOKEN TAG' with a tag O, B-LABEL or I-LABEL, found {line!r}")
    if builder.line is not None:
        yield _imported(path, builder, count + 1, options)
    elif count == 0 and not reported:
        yield Problem.at(path, None, "no sentences found; expected lines of 'TOKEN TAG', sentences between blank lines")


def is_label_studio_line(fields: list[str]) -> bool:
    """Label Studio's CONLL2003 export writes ``TOKEN -X- _ TAG``, one -DOCSTART- for the whole file and
    one blank-line-separated block per annotation, not per sentence: there, a block is a document."""
    return len(fields) == 4 and fields[1] == "-X-" and fields[2] == "_"


def _fields(line: str) -> list[str]:
    # Tab-separated files may have spaces inside a token ("💔 " in the Broad Twitter Corpus).
    parts = line.split("\t") if "\t" in line else line.split()
    fields = [p.strip() for p in parts]
    return [] if not any(fields) else fields


def _imported(path: Path, builder: DocumentBuilder, count: int, options: ImportOptions) -> Imported:
    builder.end_sentence()
    texts, spans, offset = [], [], 0
    for sentence in builder.sentences:
        words = [token for token, _ in sentence]
        starts = _starts(words, offset)
        spans.extend(_spans(starts, words, [tag for _, tag in sentence], options))
        texts.append(" ".join(words))
        offset += len(texts[-1]) + 1
    document = Document(text="\n".join(texts), title=f"{path.stem} #{count}", source=path.name)
    return Imported(document, spans, [], str(path), builder.line)


def _starts(words: list[str], offset: int) -> list[int]:
    starts = []
    for word in words:
        starts.append(offset)
        offset += len(word) + 1
    return starts


def _spans(starts: list[int], words: list[str], tags: list[str], options: ImportOptions) -> list[Span]:
    return [
        Span(
            start=starts[first],
            end=starts[last] + len(words[last]),
            label=label,
            layer=options.layers.get(label, Layer.ENTITY),
            origin=origin_of_import("conll"),
            state=State.ACCEPTED,
        )
        for first, last, label in decode_tags(tags)
    ]


def decode_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entities as (first token, last token, label) from IOB1, IOB2 or BIOES tags.

    B- and S-/U- always start an entity; I-, E- and L- continue one of the same label just before,
    and otherwise start one (IOB1, and the stray I- of careless IOB2); E-, L-, S-, U- end it."""
    entities: list[tuple[int, int, str]] = []
    current: list | None = None  # [first, last, label]
    for index, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        continues = current is not None and current[2] == label and prefix in {"I", "E", "L"}
        if prefix == "O" or not continues:
            if current is not None:
                entities.append(tuple(current))
            current = None if prefix == "O" else [index, index, label]
        else:
            current[1] = index
        if current is not None and prefix in {"E", "L", "S", "U"}:
            entities.append(tuple(current))
            current = None
    if current is not None:
        entities.append(tuple(current))
    return entities


# --- recognising -----------------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """True when the file starts with -DOCSTART- or its first lines are all 'TOKEN ... TAG' with
    two to four columns (CoNLL-U has ten)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    found = text.split("\n")
    if len(head) == SNIFF_BYTES:
        found = found[:-1]  # cut short
    rows = [line for line in found if line.strip() and not (line.startswith("# ") and not _token_line(line))]
    rows = rows[:SNIFF_LINES]
    if not rows:
        return False
    if rows[0].split()[0] == DOCSTART:
        return True
    return all(_token_line(line) for line in rows)


def _token_line(line: str) -> bool:
    fields = _fields(line)
    return 2 <= len(fields) <= 4 and bool(fields[0]) and TAG.match(fields[-1]) is not None


ENTRY = Entry(
    name="conll",
    title="CoNLL-2003 (IOB)",
    suffix=".conll",
    write=write,
    read=read,
    sniff=sniff,
    suffixes=(".conll", ".iob", ".bio"),
    sniff_any_suffix=True,  # .tsv and suffix-less exports: the content tells
    tokens=True,
    keeps="Entities only, on tokens; statements, claims, document labels, overlapping entities and labels with "
    "spaces are listed as left out.",
)
