from hypothesis import given
from hypothesis import strategies as st

from annotator.ui.offsets import OffsetMap

TEXT = "Hi 😀 Lavrov said. 🇷🇺 Lavrov again, café Lavrov"


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_the_notes_example_maps_each_name_exactly():
    offsets = OffsetMap(TEXT)
    starts = [i for i in range(len(TEXT)) if TEXT.startswith("Lavrov", i)]
    as_utf16 = TEXT.encode("utf-16-le")
    for start in starts:
        a, b = offsets.span_to_utf16(start, start + 6)
        assert as_utf16[2 * a : 2 * b].decode("utf-16-le") == "Lavrov"
    assert [offsets.to_utf16(s) - s for s in starts] == [1, 3, 3]


def test_plain_bmp_text_is_the_identity():
    offsets = OffsetMap("Ольга Петренко, José, 中文, עברית")
    assert offsets.is_identity
    assert [offsets.to_utf16(i) for i in range(5)] == list(range(5))


def test_a_position_inside_a_surrogate_pair_snaps_to_its_character():
    offsets = OffsetMap("a😀b")
    assert [offsets.to_code_point(u) for u in range(5)] == [0, 1, 1, 2, 3]
    assert offsets.length_utf16 == 4


text_with_astral = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        # Pieces of emoji, flags (regional indicators), skin tones and ZWJ sequences, one code point each.
        st.sampled_from(list("😀🇷🇺👩🏽\u200d🔬𠀀\u0301\n")),
    ),
    max_size=80,
)


@given(text_with_astral)
def test_code_points_and_utf16_map_exactly_both_ways(text):
    offsets = OffsetMap(text)
    assert offsets.length_utf16 == utf16_length(text)
    for index in range(len(text) + 1):
        position = offsets.to_utf16(index)
        assert position == utf16_length(text[:index])
        assert offsets.to_code_point(position) == index
