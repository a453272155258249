"""The tokens token-based exports (Prodigy, CoNLL, DocBin) are written with: a long text tokenised in
pieces gives the tokens of the whole, and no token ends inside a character."""

import spacy

from annotator.core.graphemes import is_boundary
from annotator.nlp.tokens import _in_pieces, blank_tokenizer


def test_pieces_give_the_same_tokens_as_the_whole_text():
    text = ("Sergey Lavrov (TASS) said: \u201cWe'll see.\u201d\nMOSCOW, Dec. 4 /TASS/.  Talks went on. ") * 400
    nlp = spacy.blank("en")
    whole = [(t.idx, t.idx + len(t.text)) for t in nlp.make_doc(text) if not t.is_space]
    assert _in_pieces(nlp, size=1_000)(text) == whole  # about 30 pieces, cut at line breaks


def test_a_text_over_spacys_limit_is_tokenised():
    text = "Word " * 250_001  # 1,250,005 characters: spaCy's make_doc alone refuses it (E088)
    tokens = blank_tokenizer()(text)
    assert len(tokens) == 250_001 and tokens[-1] == (len(text) - 5, len(text) - 1)


def test_tokens_that_share_a_character_become_one():
    text = "Netanyahu 🇮🇱🇷🇺 said 👍🏽 x \u0301y"
    tokens = blank_tokenizer()(text)  # spaCy alone gives 🇮 🇱 🇷 🇺 and 👍 🏽 as tokens of their own
    assert [text[s:e] for s, e in tokens] == ["Netanyahu", "🇮🇱", "🇷🇺", "said", "👍🏽", "x", "\u0301y"]


def test_a_long_text_with_flags_is_tokenised_whole_in_pieces():
    text = "Talks in 🇮🇱 went on.\n" * 60_000  # over the piece size
    tokens = blank_tokenizer()(text)
    assert sum(1 for s, e in tokens if text[s:e] == "🇮🇱") == 60_000


def test_an_accented_letter_where_a_piece_ends_stays_one_token():
    # Chinese or Japanese text has no space or line break to cut at: the piece ends at its size,
    # which here falls between the "e" and its accent.
    text = "\u6f22\u5b57" * 49_999 + "\u6f22e\u0301 " + "\u5b57" * 1_000
    tokens = blank_tokenizer()(text)
    assert all(is_boundary(text, start) and is_boundary(text, end) for start, end in tokens)
    assert "e\u0301" in [text[start:end] for start, end in tokens]  # not an "e" here and an accent there
