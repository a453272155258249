"""Tokens for token-based exports: a long text tokenised in pieces gives the tokens of the whole."""

import spacy

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
