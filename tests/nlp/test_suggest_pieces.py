"""Long texts go to spaCy in pieces (it refuses texts over 1,000,000 characters): a cut between two
pieces never falls inside a character as a reader sees it, even where there is no line break or
space to cut at, so no "é" or flag is split between two pieces."""

from annotator.core.graphemes import is_boundary
from annotator.nlp import suggest, tokens

CJK = "\u6f22\u5b57\u306e\u6587"  # four characters, no space between them


def cuts(text, size):
    bounds = list(suggest.piece_bounds(text, size))
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    return [end for _, end in bounds[:-1]]


def test_an_accented_letter_at_the_piece_size_is_not_cut_in_two():
    text = CJK * 25_000  # 100,000 characters
    text = text[:99_999] + "e\u0301" + text[:50_000]  # the accent is character 100,000
    for size in (suggest.PIECE, tokens.PIECE):
        found = cuts(text, size)
        assert 100_000 not in found
        assert all(is_boundary(text, cut) for cut in found), size
        assert all(end - start <= size for start, end in suggest.piece_bounds(text, size))


def test_flags_and_an_accent_on_a_space_are_never_cut():
    flags = "\U0001f1ee\U0001f1f1" * 200  # 400 code points, 200 flags: every other position is inside one
    assert all(is_boundary(flags + "x", cut) for cut in cuts(flags + "x", 101))
    spaced = ("word " + " \u0301") * 40  # an accent on a space is one character with the space
    assert all(is_boundary(spaced, cut) for cut in cuts(spaced, 50))


def test_a_character_longer_than_a_piece_is_kept_whole():
    text = "a" + "e" + "\u0301" * 300 + "b"  # one "e" carrying 300 accents
    found = cuts(text, 100)
    assert all(is_boundary(text, cut) for cut in found)
    assert len(found) >= 1  # still cut, after that character
