"""No span edge falls inside a character as a reader sees it: a flag, an emoji with its skin tone or
joined family, a letter with its accents, a Hangul syllable written as jamo, CRLF."""

import pytest
import regex

from annotator.core.annotations import Annotations
from annotator.core.checks import whole_characters
from annotator.core.graphemes import is_boundary, may_split, outward
from annotator.core.model import Document, Layer, Span
from annotator.core.tokens import move_edge, snap

# (text, the joined character in it)
JOINED = {
    "flag": ("Netanyahu 🇮🇱 said", "🇮🇱"),
    "three flags in a row": ("🇺🇸🇮🇱🇷🇺 here", "🇮🇱"),
    "ZWJ family": ("a family 👨\u200d👩\u200d👧\u200d👦 came", "👨\u200d👩\u200d👧\u200d👦"),
    "combining marks": ("Zoe\u0308\u0301 Brandt", "e\u0308\u0301"),
    "Hangul jamo": ("서울 \u1112\u1161\u11ab 강", "\u1112\u1161\u11ab"),
    "skin tone": ("thanks 👍🏽 Lavrov", "👍🏽"),
    "CRLF": ("one\r\ntwo", "\r\n"),
    "Devanagari conjunct": ("नमस्ते ok", "स्ते"),
}


def every_boundary(text: str) -> set[int]:
    """The boundaries from segmenting the whole text at once, the reference the local rules must match."""
    return {0} | {found.end() for found in regex.finditer(r"\X", text)}


@pytest.mark.parametrize("name", JOINED)
def test_no_offset_inside_a_joined_character_is_a_boundary_and_edges_move_out_of_it(name):
    text, joined = JOINED[name]
    start = text.index(joined)
    end = start + len(joined)
    assert len(joined) > 1 and may_split(text)
    inner = [i for i in range(len(text) + 1) if not is_boundary(text, i)]
    assert inner == sorted(i for found in regex.finditer(r"\X", text) for i in range(found.start() + 1, found.end()))
    assert set(range(start + 1, end)) <= set(inner)
    assert is_boundary(text, start) and is_boundary(text, end)
    for inside in range(start + 1, end):
        assert outward(text, inside, inside) == (start, end)
        if joined[0].isspace():  # a line break (CRLF) is not pulled into a span that ends or starts in it
            assert outward(text, 0, inside) == (0, start) and outward(text, inside, len(text)) == (end, len(text))
            continue
        assert outward(text, 0, inside) == (0, end)  # an end inside it takes the whole character
        assert outward(text, inside, len(text)) == (start, len(text))


def test_plain_texts_cost_one_scan_and_nothing_moves():
    texts = ("Sergey Lavrov said.", "“Café”, said Zoë — 100 €.", "Ольга Петренко, café, 北京, 😀 Lavrov", "שלום עולם")
    for text in texts:
        assert all(is_boundary(text, i) for i in range(len(text) + 1))
    assert not may_split("Sergey Lavrov said.") and not may_split("“Café”, said Zoë — 100 €.")


def test_what_counts_as_plain_text_never_joins_a_neighbour():
    from annotator.core import graphemes

    joins = regex.compile(
        r"[\p{GCB=CR}\p{GCB=Prepend}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}"
        r"\p{GCB=Regional_Indicator}\p{GCB=ZWJ}\p{GCB=Extend}\p{GCB=SpacingMark}]"
    )
    plain = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and not graphemes._PLAIN.match(chr(c))]
    assert len(plain) > 900
    assert [hex(ord(c)) for c in plain if joins.match(c)] == []


def test_the_local_rules_agree_with_whole_text_segmentation_on_the_stress_texts(corpus):
    files = sorted((corpus / "unicode").glob("*.txt"))
    assert len(files) >= 8
    for path in files:
        text = path.read_text(encoding="utf-8")
        wanted = every_boundary(text)
        found = {i for i in range(len(text) + 1) if is_boundary(text, i)}
        assert found == wanted, path.name


def test_word_snapping_and_moving_edges_never_cut_a_character():
    text = "Benjamin Netanyahu 🇮🇱 said 👍🏽 and Zoe\u0308 agreed 👨\u200d👩\u200d👧"
    flag = text.index("🇮🇱")
    assert snap(text, 0, flag + 1) == (0, flag + 2)  # the selection ended between the flag's two letters
    assert snap(text, flag + 1, flag + 2) == (flag, flag + 2)
    thumb = text.index("👍🏽")
    assert snap(text, thumb, thumb + 1) == (thumb, thumb + 2)  # with its skin tone
    family = text.index("👨")
    assert snap(text, family, family + 1) == (family, len(text))
    assert move_edge(text, 0, flag - 1, "end", 1) == (0, flag + 2)  # one step takes the whole flag
    assert move_edge(text, 0, flag + 2, "end", -1) == (0, flag - 1)
    assert move_edge(text, flag + 2, len(text), "start", -1) == (flag, len(text))
    edges = [i for i in range(len(text) + 1) if is_boundary(text, i)]
    for start in edges:
        for end in (e for e in edges if e > start):
            for edge in ("start", "end"):
                for step in (-1, 1):
                    moved = move_edge(text, start, end, edge, step)
                    assert is_boundary(text, moved[0]) and is_boundary(text, moved[1]), (start, end, edge, step)


def test_an_exact_selection_keeps_its_characters_but_whole_ones():
    text = "Netanyahu 🇮🇱 said"
    flag = text.index("🇮🇱")
    ann = Annotations(Document(text, id=1), [], [], "ana", None, False)
    edit = ann.tag(Layer.ENTITY, "GPE", flag + 1, flag + 2, exact=True)
    assert [text[s.start : s.end] for s in edit.after] == ["🇮🇱"]
    edit = ann.tag(Layer.ENTITY, "PERSON", 0, flag + 1, exact=True)  # "Netanyahu 🇮" as selected
    assert [text[s.start : s.end] for s in edit.after] == ["Netanyahu 🇮🇱"]


def test_spans_read_from_a_file_are_widened_and_named_once():
    text = "Benjamin Netanyahu 🇮🇱 said to Zoe\u0308"
    flag, zoe = text.index("🇮🇱"), text.index("Zoe")
    cut = Span(0, flag + 1, "PERSON")
    statement = Span(0, len(text), "STATEMENT", Layer.STATEMENT, attributes={"cue": [zoe, zoe + 3]})
    fine = Span(0, 8, "PERSON")
    spans, note = whole_characters([cut, statement, fine], text)
    assert [text[s.start : s.end] for s in spans] == ["Benjamin Netanyahu 🇮🇱", text, "Benjamin"]
    assert spans[1].attributes["cue"] == [zoe, zoe + 4] and spans[2] is fine
    assert spans[0].uid == cut.uid  # relations to it still hold
    assert note.startswith("2 annotation(s) began or ended inside a character")
    assert f"PERSON 0-{flag + 1} to 0-{flag + 2} 'Benjamin Netanyahu 🇮🇱'" in note
    assert whole_characters([fine], text) == ([fine], "")



def test_a_stray_mark_after_a_space_never_pulls_the_space_into_a_span():
    text = "Talks in \u200dKyiv and  \u0301Lviv"
    kyiv, lviv = text.index("Kyiv"), text.index("Lviv")
    assert not is_boundary(text, kyiv - 1)  # " " + ZWJ is one character
    assert outward(text, kyiv - 1, kyiv + 4) == (kyiv, kyiv + 4)  # from the ZWJ: starts at the word
    assert outward(text, 0, kyiv - 1) == (0, kyiv - 2)  # ending between the space and its ZWJ: before both
    assert outward(text, lviv - 1, lviv + 4) == (lviv, lviv + 4)
    assert outward(text, kyiv - 1, kyiv - 1) == (kyiv - 2, kyiv)  # nothing left: the whole character
    spans, note = whole_characters([Span(kyiv - 1, kyiv + 4, "GPE")], text)
    assert text[spans[0].start : spans[0].end] == "Kyiv" and "'Kyiv'" in note
