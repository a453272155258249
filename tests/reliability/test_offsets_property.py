"""Offsets, proven on random text: astral characters, combining marks, ZWJ sequences, flags, bidi controls.

Random spans go into a real SQLite project, out through every export (native JSONL, Label Studio JSON, doccano
JSONL, brat, Prodigy JSONL, spaCy DocBin, CoNLL), back in through import, and must come back with the same code
points; what a token-based format cannot hold is listed as lost, never silently dropped. The code point <->
UTF-16 map is exact both ways, and what the article view paints, selects and marks is exactly
``text[start:end]``, grown to whole characters where a span cuts one (half a flag).

Texts are generated as the project stores them: line endings are normalised to \\n at import, so no \\r.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.core.graphemes import end_of, is_boundary, start_of
from annotator.core.model import Document, Layer, Span, State
from annotator.services.documents import list_documents, load_document
from annotator.services.exporting import ExportFilter, export
from annotator.services.importing import import_paths
from annotator.store.documents import add_documents
from annotator.store.project import open_project
from annotator.store.spans import add_spans
from annotator.ui.offsets import OffsetMap

SPECIALS = [
    "👩‍👩‍👧",  # ZWJ family
    "🇷🇺",  # flag: two regional indicators
    "🇦🇲🇷🇺",
    "e\u0301",  # combining acute
    "Z\u0351\u036b\u0343\u036a\u0302",  # stacked combining marks
    "\U0001d11e",  # musical symbol G clef, astral
    "👍🏽",  # skin tone modifier
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u2067שלום\u2069",  # isolate around Hebrew
    "مرحبا",
    "\u200d",
    "\u200b",
    "\ufeff",  # a BOM inside (or at the start of) the text
    "\ufffe",
    "𠀀",  # CJK extension B
    "\n",
    "\n\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\t",
    "Lavrov",
    " ",
]
NO_CR = st.characters(codec="utf-8", exclude_characters="\r")  # every code point but surrogates and CR
texts = (
    st.lists(st.one_of(st.text(NO_CR, max_size=6), st.sampled_from(SPECIALS)), min_size=1, max_size=16)
    .map("".join)
    .filter(lambda text: text.strip() != "")
)
LABELS = {Layer.ENTITY: ["PERSON", "ORG", "GPE"], Layer.STATEMENT: ["STATEMENT"], Layer.CLAIM: ["CLAIM"]}


@st.composite
def ranges(draw, edges: list[int]):
    first = draw(st.integers(0, len(edges) - 2))
    return edges[first], edges[draw(st.integers(first + 1, len(edges) - 1))]


@st.composite
def annotated(draw, whole: bool = False):
    """A text and spans on it: entities that do not overlap (the default schema does not nest them),
    statements and claims anywhere. With ``whole`` every edge lies between characters as a reader sees
    them, as the app makes and imports them; without, edges may split a flag or a ZWJ sequence in code
    points, as a span stored by an older version may."""
    text = draw(texts)
    edges = [i for i in range(len(text) + 1) if not whole or is_boundary(text, i)]
    spans, taken = [], []
    for start, end in draw(st.lists(ranges(edges), max_size=6)):
        if all(end <= a or b <= start for a, b in taken):
            taken.append((start, end))
            label = draw(st.sampled_from(LABELS[Layer.ENTITY]))
            state = draw(st.sampled_from([State.ACCEPTED, State.SUGGESTED, State.EDITED]))
            spans.append(Span(start, end, label, Layer.ENTITY, origin="test@1", state=state))
    for layer in (Layer.STATEMENT, Layer.CLAIM):
        # One mark per place, as the app allows.
        for start, end in draw(st.lists(ranges(edges), max_size=2, unique=True)):
            spans.append(Span(start, end, LABELS[layer][0], layer, origin="analyst", annotator="analyst"))
    return text, spans


def keys(spans) -> list[tuple[str, int, int, str]]:
    return sorted((str(s.layer), s.start, s.end, s.label) for s in spans)


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


# -- the map --------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(annotated())
def test_the_map_is_exact_both_ways_and_cuts_the_same_characters(article):
    text, spans = article
    offsets = OffsetMap(text)
    encoded = utf16(text)
    assert offsets.length_utf16 == len(encoded) // 2
    # Every UTF-16 position maps to the character it is in: the start of a surrogate pair's character.
    starts = []
    for index, char in enumerate(text):
        starts += [index] * (2 if ord(char) > 0xFFFF else 1)
    starts.append(len(text))
    assert [offsets.to_code_point(u) for u in range(len(encoded) // 2 + 1)] == starts
    assert [offsets.to_utf16(i) for i in range(len(text) + 1)] == [
        len(utf16(text[:i])) // 2 for i in range(len(text) + 1)
    ]
    for span in spans:
        a, b = offsets.span_to_utf16(span.start, span.end)
        assert encoded[2 * a : 2 * b].decode("utf-16-le") == text[span.start : span.end]
        assert (offsets.to_code_point(a), offsets.to_code_point(b)) == (span.start, span.end)


# -- store, export, import --------------------------------------------------------------------------


def _stored(project, text: str):
    found = [load_document(project, s.id) for s in list_documents(project)]
    assert [f.document.text for f in found] == [text]
    return found[0]


EVERY_SPAN = ExportFilter(suggestions=True)  # doccano and CoNLL too, unreviewed or not


CHARACTER_OFFSETS = {  # format -> the file it writes: each holds every span at its code points
    "jsonl": "out.jsonl",
    "labelstudio": "out.json",
    "doccano": "doccano.jsonl",
    "brat": "brat",
    "prodigy": "prodigy.jsonl",
}
TOKENS = {"spacy": "out.spacy", "conll": "out.conll"}  # hold what starts and ends on token edges


def _imported(folder: Path, name: str, fmt: str):
    """The one document and the report of importing ``name`` into a new project."""
    project = open_project(folder / f"from-{name}.annotator.sqlite")
    try:
        report = import_paths(project, [folder / name], fmt=fmt)
        assert [str(p) for p in report.problems if not p.warning] == [], fmt
        found = [load_document(project, s.id) for s in list_documents(project)]
        assert len(found) == 1, fmt
        return found[0], report
    finally:
        project.close()


def _unlisted(spans, lost) -> list[Span]:
    """The spans no message of the export names (by their label and offsets) as left out, lost or moved."""
    dropped = [str(p) for p in lost if any(word in p.message for word in ("left out", "lost", "written as"))]
    return [
        s for s in spans if not any(f"{s.label} " in m and f" at {s.start}-{s.end} " in m for m in dropped)
    ]


def assert_carried(back: list[Span], spans: list[Span], lost) -> None:
    """Every span the export did not list came back exactly; what else came back lies inside a listed one."""
    remaining = keys(back)
    for key in keys(_unlisted(spans, lost)):
        assert key in remaining, key
        remaining.remove(key)
    listed = [s for s in spans if s not in _unlisted(spans, lost)]
    for layer, start, end, label in remaining:
        assert any((str(s.layer), s.label) == (layer, label) and s.start <= start < end <= s.end for s in listed)


def characters(text: str) -> list[str]:
    """The characters as a reader sees them, white space left out (also from an accent on a space: no token
    can hold the space)."""
    found = ("".join(c for c in cluster if not c.isspace()) for cluster in regex.findall(r"\X", text))
    return [cluster for cluster in found if cluster]


# What joins the character before it: after the space CoNLL puts between tokens, such a mark is part of the
# space, and a span never starts on a mark on white space (core.graphemes.outward), so it starts after it.
JOINS_A_SPACE = regex.compile(r"^[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]+")


def squeezed(words: str) -> str:
    """Words without white space: CoNLL rebuilds the text with one space between tokens, and a token that
    begins with a mark gives it to that space."""
    return JOINS_A_SPACE.sub("", "".join(words.split()))


@settings(max_examples=30, deadline=None)
@given(annotated(whole=True))
@example(("\ufeffLavrov 🇷🇺 e\u0301", [Span(1, 7, "PERSON"), Span(8, 10, "GPE"), Span(11, 13, "ORG")]))
@example(("👩‍👩‍👧\u202eLavrov\n𠀀", [Span(0, 5, "PERSON"), Span(6, 12, "GPE", Layer.ENTITY)]))
@example(("Netanyahu 🇮🇱🇷🇺 said.", [
    Span(10, 12, "GPE"), Span(12, 14, "GPE"), Span(0, 20, "CLAIM", Layer.CLAIM),
]))
@example(("\x95\u200dz\x175", [Span(1, 4, "PERSON")]))  # in CoNLL the ZWJ follows a space and joins it
@example(("0", [Span(0, 1, "PERSON"), Span(0, 1, "STATEMENT", Layer.STATEMENT)]))  # CoNLL lists only the statement
def test_spans_survive_store_export_and_import_unchanged(article):
    text, spans = article
    with tempfile.TemporaryDirectory(prefix="annotator-offsets-") as folder:
        folder = Path(folder)
        first = open_project(folder / "first.annotator.sqlite")
        lost = {}
        try:
            document = add_documents(first, [Document(text, title="random")]).added[0]
            add_spans(first, document.id, spans)
            stored = _stored(first, text)
            assert keys(stored.spans) == keys(spans)
            for fmt, name in {**CHARACTER_OFFSETS, **TOKENS}.items():
                # Suggestions too, though doccano and CoNLL cannot mark them: their offsets are what is tested.
                report = export(first, folder / name, fmt, only=EVERY_SPAN)
                assert report.documents == 1 and report.spans == len(spans), fmt
                lost[fmt] = report.lost
        finally:
            first.close()

        record = orjson.loads((folder / "out.jsonl").read_bytes())
        assert record["text"] == text
        exported = []
        for layer, key in ((Layer.ENTITY, "entities"), (Layer.STATEMENT, "statements"), (Layer.CLAIM, "claims")):
            for item in record[key]:
                assert item["text"] == text[item["start"] : item["end"]]
                exported.append((str(layer), item["start"], item["end"], item["label"]))
        assert sorted(exported) == keys(spans)

        for fmt, name in CHARACTER_OFFSETS.items():
            back, report = _imported(folder, name, fmt)
            assert back.document.text == text, fmt
            assert not [w for w in report.warnings if "inside a character" in w.message], fmt  # nothing widened
            # brat lines cannot hold a line break, Prodigy spans need a token: such spans are listed as lost.
            assert_carried(back.spans, spans, lost[fmt])
        assert lost["jsonl"] == lost["labelstudio"] == lost["doccano"] == []

        # DocBin: the same text; each span on token edges comes back, each other one is listed as lost.
        back, _report = _imported(folder, "out.spacy", "spacy")
        assert back.document.text == text
        assert keys(back.spans) == keys(_unlisted(spans, lost["spacy"]))

        # CoNLL: tokens one per line, entities only; the text comes back as its tokens with spaces between.
        back, _report = _imported(folder, "out.conll", "conll")
        entities = [s for s in spans if s.layer == Layer.ENTITY]
        kept = _unlisted(entities, lost["conll"])
        assert characters(back.document.text) == characters(text)  # no flag or emoji comes back in pieces
        assert sorted((s.label, squeezed(s.text_in(back.document.text))) for s in back.spans) == sorted(
            (s.label, squeezed(s.text_in(text))) for s in kept
        )
        for span in back.spans:
            assert is_boundary(back.document.text, span.start) and is_boundary(back.document.text, span.end)


# -- on screen ----------------------------------------------------------------------------------------

BLOCK_SEPARATORS = {"\n", "\u2029"}  # Qt draws these between blocks, not as characters of a block


def painted(view) -> dict[int, tuple[bool, object, str]]:
    """UTF-16 position -> (background?, underline style, text colour) the highlighter gave it, read back
    from each block's layout."""
    from PySide6.QtCore import Qt

    found = {}
    block = view.editor.document().begin()
    while block.isValid():
        for fmt in block.layout().formats():
            char = fmt.format
            look = (
                char.background().style() != Qt.BrushStyle.NoBrush,
                char.underlineStyle(),
                char.foreground().color().name(),
            )
            for position in range(block.position() + fmt.start, block.position() + fmt.start + fmt.length):
                found[position] = look
        block = block.next()
    return found


def covered(view, spans) -> set[int]:
    """The UTF-16 positions of every character of these spans, both halves of a surrogate pair, and the
    whole of a character a span cuts (the highlighter never draws half a flag)."""
    text = view.document.text
    positions = set()
    for span in spans:
        for index in range(start_of(text, span.start), end_of(text, span.end)):
            if text[index] not in BLOCK_SEPARATORS:
                positions.update(range(view.offsets.to_utf16(index), view.offsets.to_utf16(index + 1)))
    return positions


def selected(view, start: int, end: int) -> str:
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.editor.document())
    cursor.setPosition(view.offsets.to_utf16(start))
    cursor.setPosition(view.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def qt_text(text: str) -> str:
    return text.replace("\n", "\u2029")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(annotated())
@example(("\ufeffLavrov said", [Span(1, 7, "PERSON")]))
@example(("\ufffeLavrov 😀 said", [Span(1, 7, "PERSON"), Span(8, 9, "ORG")]))
@example(("\ufeff𐀀", [Span(0, 2, "PERSON"), Span(0, 1, "STATEMENT", Layer.STATEMENT)]))  # Qt joins a BOM to the next
@example(("a\u00ad\u0301b", [Span(0, 1, "PERSON"), Span(1, 2, "CLAIM", Layer.CLAIM)]))
@example(("0000\U0001f201\U0001f1e6\U0001f1e6", [Span(0, 6, "CLAIM", Layer.CLAIM)]))  # Qt's finder cuts this flag
def test_the_view_paints_selects_and_marks_exactly_the_spans_code_points(qtbot, article):
    from PySide6.QtGui import QTextCharFormat, QTextCursor

    from annotator.core.schema import LabelSchema
    from annotator.ui.article_view import ArticleView

    text, spans = article
    schema = LabelSchema.from_dict(
        {
            "labels": [
                {"name": "PERSON", "colour": "#ffd6a5"},
                {"name": "ORG", "colour": "#a0c4ff"},
                {"name": "GPE", "colour": "#caffbf"},
                {"name": "STATEMENT", "layer": "statement", "colour": "#cdb4db"},
                {"name": "CLAIM", "layer": "claim", "colour": "#ffafcc"},
            ]
        }
    )
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_document(Document(text), spans, schema)

    assert view.editor.document().toRawText() == qt_text(text)
    formats = painted(view)
    assert set(formats) == covered(view, spans)
    by_layer = {layer: [s for s in spans if s.layer == layer] for layer in Layer}
    background = {p for p, (filled, _, _) in formats.items() if filled}
    assert background == covered(view, by_layer[Layer.ENTITY])
    underlined = {p for p, (_, line, _) in formats.items() if line == QTextCharFormat.UnderlineStyle.SingleUnderline}
    assert underlined == covered(view, by_layer[Layer.STATEMENT])
    coloured = {p for p, (_, _, colour) in formats.items() if colour != "#000000"}
    assert coloured == covered(view, by_layer[Layer.CLAIM])
    # Back to code points: the painted characters are exactly those of the spans.
    assert {view.offsets.to_code_point(p) for p in formats} == {
        i for s in spans for i in range(start_of(text, s.start), end_of(text, s.end)) if text[i] not in BLOCK_SEPARATORS
    }

    for span in spans:
        assert selected(view, span.start, span.end) == qt_text(text[span.start : span.end])
        # The current-span mark (an extra selection) lies on the same characters.
        view.mark_current(span)
        marks = view.editor.extraSelections()
        assert marks, "the current span is marked"
        marked = {p for m in marks for p in range(m.cursor.selectionStart(), m.cursor.selectionEnd())}
        assert marked == set(range(*view.offsets.span_to_utf16(span.start, span.end)))
        # A selection the user makes over it comes back as the span's code points.
        cursor = QTextCursor(view.editor.document())
        cursor.setPosition(view.offsets.to_utf16(span.start))
        cursor.setPosition(view.offsets.to_utf16(span.end), QTextCursor.MoveMode.KeepAnchor)
        view.editor.setTextCursor(cursor)
        assert view.selection() == (span.start, span.end)
    view.mark_current(None)
    assert view.editor.extraSelections() == []
