"""CoNLL-U with entities as in GUM and CorefUD (import only). docs/formats.md has the details.

The text is rebuilt from the word forms: a space after each token unless its MISC says
``SpaceAfter=No`` (or gives ``SpacesAfter``), sentences of a paragraph joined by that space,
paragraphs (``# newpar``) by a blank line. A multiword token ("Trump's" = "Trump" + "'s") is
written once, as its surface form; empty nodes (``21.1``) have no text and are skipped.

Entities are the bracketed mentions of MISC ``Entity=``: ``(1-person-new-...`` opens mention 1 at
this word, ``1)`` closes it, ``(5-place-...)`` is a one-word mention. They nest and all are
imported. The label is the entity type upper-cased (``person`` -> ``PERSON``); the other fields
named by ``# global.Entity`` become span attributes (``entity_id``, ``infstat``, ``identity`` ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Span, State
from annotator.core.records import Imported, ImportOptions, origin_of_import
from annotator.formats.conll import lines
from annotator.formats.entry import Entry

# GUM's declaration; CorefUD files name their own fields in "# global.Entity = ...".
GUM_ENTITY_FIELDS = ["GRP", "etype", "infstat", "salience", "centering", "minspan", "link", "identity"]
ID_FIELDS = {"GRP", "eid"}  # the mention's entity (coreference chain) id
MENTION = re.compile(r"\(([^()]*)(\))?|([^()]+)\)")
WORD_ID = re.compile(r"^\d+$")
RANGE_ID = re.compile(r"^(\d+)-(\d+)$")
EMPTY_ID = re.compile(r"^\d+\.\d+$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
SPACES_AFTER = {"\\s": " ", "\\t": "\t", "\\n": "\n", "\\r": "", "\\p": "|", "\\\\": "\\"}
SNIFF_BYTES = 64 * 1024


@dataclass
class Mention:
    entity: str
    start: int
    line: int
    fields: dict[str, str]


@dataclass
class Builder:
    """One document as it is read."""

    path: Path
    options: ImportOptions
    line: int
    source: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    pieces: list[str] = field(default_factory=list)
    length: int = 0
    gap: str = ""  # white space owed before the next token
    paragraph: bool = False  # a # newpar came since the last token
    spans: list[Span] = field(default_factory=list)
    open: dict[str, list[Mention]] = field(default_factory=dict)
    sentence_start: int | None = None
    sentence_text: tuple[int, str] | None = None  # (line, "# text = ...") of the current sentence
    multiword: tuple[int, str, str, list[list[str]]] | None = None  # last id, surface, misc, its words

    @property
    def empty(self) -> bool:
        return not self.pieces and not self.meta and not self.source

    def place(self, form: str) -> tuple[int, int]:
        """Add a token's text after the white space owed; its offsets."""
        if self.length:
            separator = "\n\n" if self.paragraph else self.gap
            self.pieces.append(separator)
            self.length += len(separator)
        self.paragraph = False
        if self.sentence_start is None:
            self.sentence_start = self.length
        start = self.length
        self.pieces.append(form)
        self.length += len(form)
        return start, self.length


def read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    fields = list(GUM_ENTITY_FIELDS)
    builder = Builder(path, options, 1)
    for number, line in lines(path, options.encoding):
        if isinstance(line, Problem):
            yield line
        elif line.startswith("#"):
            if _is_marker(line, "# newdoc"):
                if not builder.empty:
                    yield from finish(builder)
                builder = Builder(path, options, number, source=_value(line))
            elif line.startswith("# global.Entity"):
                fields = _value(line).split("-")
            else:
                comment(builder, number, line)
        elif not line.strip():
            yield from end_sentence(builder)
        else:
            yield from token(builder, number, line, fields)
    if not builder.empty:
        yield from finish(builder)


def _is_marker(line: str, marker: str) -> bool:
    return line == marker or line.startswith(marker + " ")


def _value(line: str) -> str:
    return line.partition("=")[2].strip()


def comment(builder: Builder, number: int, line: str) -> None:
    if _is_marker(line, "# newpar"):
        builder.paragraph = builder.length > 0
    elif line.startswith("# meta::"):
        key, _, value = line.removeprefix("# meta::").partition("=")
        builder.meta[key.strip()] = value.strip()
    elif line.startswith("# text ="):
        builder.sentence_text = (number, line.partition("=")[2].strip())


def end_sentence(builder: Builder) -> Iterator[Problem]:
    """A blank line: compare the rebuilt sentence with its # text. The white space after its last
    word stays owed: UD's SpaceAfter=No there means the next sentence follows without a space."""
    if builder.multiword is not None:
        last, surface = builder.multiword[0], builder.multiword[1]
        yield Problem.at(builder.path, None, f"multiword token {surface!r} lacks its words up to {last}; left out")
        builder.multiword = None
    if builder.sentence_start is not None and builder.sentence_text is not None:
        number, expected = builder.sentence_text
        rebuilt = "".join(builder.pieces)[builder.sentence_start :]
        if rebuilt != expected:
            yield Problem.note(
                builder.path, number, f"the words give {rebuilt!r} but # text is {expected!r}; the words are used"
            )
    builder.sentence_start = builder.sentence_text = None


def token(builder: Builder, number: int, line: str, fields: list[str]) -> Iterator[Problem]:
    columns = line.split("\t")
    if len(columns) != 10:
        yield Problem.at(builder.path, number, f"expected 10 tab-separated columns, found {len(columns)}")
        return
    ident, form, misc = columns[0], columns[1], columns[9]
    if EMPTY_ID.match(ident):
        if "Entity=" in misc:
            yield Problem.note(builder.path, number, f"empty node {ident} has no text: its Entity mentions left out")
        return
    if match := RANGE_ID.match(ident):
        builder.multiword = (int(match.group(2)), form, misc, [])
        return
    if not WORD_ID.match(ident):
        yield Problem.at(builder.path, number, f"expected a word id (1, 1-2 or 1.1), found {ident!r}")
        return
    if builder.multiword is not None:
        yield from _multiword_word(builder, number, int(ident), form, misc, fields)
        return
    start, end = builder.place(form)
    builder.gap = _space_after(misc)
    yield from mentions(builder, number, misc, start, end, fields)


def _multiword_word(
    builder: Builder, number: int, ident: int, form: str, misc: str, fields: list[str]
) -> Iterator[Problem]:
    """Words of a multiword token are kept until its last one, then placed together."""
    last, surface, token_misc, words = builder.multiword
    words.append([form, misc, str(number)])
    if ident < last:
        return
    builder.multiword = None
    if "".join(w[0] for w in words) == surface:
        # "Trump's" = "Trump" + "'s": each word keeps its own offsets, so mentions stay exact.
        places = [builder.place(words[0][0])]
        for word in words[1:]:
            start = builder.length
            builder.pieces.append(word[0])
            builder.length += len(word[0])
            places.append((start, builder.length))
    else:
        # "del" = "de" + "el": the words are not in the text; their mentions cover the whole token.
        places = [builder.place(surface)] * len(words)
    builder.gap = _space_after(token_misc)
    for (start, end), (_, word_misc, word_line) in zip(places, words, strict=True):
        yield from mentions(builder, int(word_line), word_misc, start, end, fields)


def _space_after(misc: str) -> str:
    for item in misc.split("|"):
        key, _, value = item.partition("=")
        if key == "SpaceAfter" and value == "No":
            return ""
        if key == "SpacesAfter":
            return re.sub(r"\\[stnrp\\]", lambda m: SPACES_AFTER[m.group(0)], value)
    return " "


def mentions(builder: Builder, number: int, misc: str, start: int, end: int, fields: list[str]) -> Iterator[Problem]:
    value = next((item[len("Entity=") :] for item in misc.split("|") if item.startswith("Entity=")), None)
    if value is None:
        return
    found = list(MENTION.finditer(value))
    if "".join(m.group(0) for m in found) != value:
        yield Problem.at(builder.path, number, f"expected Entity= brackets like (1-person-...) and 1), found {value!r}")
        return
    for match in found:
        if match.group(1) is not None:
            mention = _mention(match.group(1), start, number, fields)
            builder.open.setdefault(mention.entity, []).append(mention)
            if match.group(2):
                yield from close(builder, number, mention.entity, end)
        else:
            yield from close(builder, number, match.group(3), end)


def _mention(text: str, start: int, number: int, fields: list[str]) -> Mention:
    values = text.split("-", len(fields) - 1)
    named = dict(zip(fields, values, strict=False))
    entity = next((named[f] for f in fields if f in ID_FIELDS and f in named), values[0])
    return Mention(entity, start, number, named)


def close(builder: Builder, number: int, entity: str, end: int) -> Iterator[Problem]:
    stack = builder.open.get(entity)
    if not stack:
        yield Problem.at(builder.path, number, f"entity {entity} is closed here but no mention of it is open")
        return
    mention = stack.pop()
    builder.spans.append(_span(mention, end, builder.options))


def _span(mention: Mention, end: int, options: ImportOptions) -> Span:
    label = (mention.fields.get("etype") or "entity").upper()
    attributes: dict[str, Any] = {"entity_id": mention.entity}
    for name, value in mention.fields.items():
        if name not in ID_FIELDS and name != "etype" and value not in ("", "_"):
            attributes[name] = value
    return Span(
        start=mention.start,
        end=end,
        label=label,
        layer=options.layers.get(label, Layer.ENTITY),
        origin=origin_of_import("conllu"),
        state=State.ACCEPTED,
        attributes=attributes,
    )


def finish(builder: Builder) -> Iterator[Imported | Problem]:
    yield from end_sentence(builder)
    for stack in builder.open.values():
        for mention in stack:
            what = mention.fields.get("etype", "")
            yield Problem.at(builder.path, mention.line, f"entity {mention.entity} {what} opened here is never closed")
    if not builder.pieces:
        yield Problem.at(builder.path, builder.line, "expected word lines after # newdoc; document left out")
        return
    meta = dict(builder.meta)
    title = meta.pop("title", "") or builder.source or builder.path.stem
    created = meta.pop("dateCreated", "")
    day = created[:10] if DAY.match(created) else None
    if created and day is None:
        meta["dateCreated"] = created
    document = Document(
        text="".join(builder.pieces), title=title, date=day, source=builder.source or builder.path.name, meta=meta
    )
    spans = sorted(builder.spans, key=lambda s: (s.start, s.end))
    yield Imported(document, spans, [], str(builder.path), builder.line)


def sniff(path: Path) -> bool:
    """True when the head of the file has word lines of 10 tab-separated columns and nothing but
    those, comments and blank lines."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    rows = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace").split("\n")
    if len(head) == SNIFF_BYTES:
        rows = rows[:-1]  # cut short
    words = [row.rstrip("\r") for row in rows if row.strip() and not row.startswith("#")]
    return bool(words) and all(_word_row(row) for row in words)


def _word_row(row: str) -> bool:
    columns = row.split("\t")
    return len(columns) == 10 and bool(
        WORD_ID.match(columns[0]) or RANGE_ID.match(columns[0]) or EMPTY_ID.match(columns[0])
    )


ENTRY = Entry(
    name="conllu",
    title="CoNLL-U with entities (GUM)",
    suffix=".conllu",
    read=read,
    sniff=sniff,
    suffixes=(".conllu",),
    sniff_any_suffix=True,
    rank=110,  # after CoNLL-2003 on a file whose suffix does not tell
)
