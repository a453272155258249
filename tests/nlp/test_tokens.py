"""The tokens token-based exports (Prodigy, CoNLL, DocBin) are written with."""

from annotator.nlp.tokens import blank_tokenizer


def test_tokens_that_share_a_character_become_one():
    text = "Netanyahu 🇮🇱🇷🇺 said 👍🏽 x \u0301y"
    tokens = blank_tokenizer()(text)  # spaCy alone gives 🇮 🇱 🇷 🇺 and 👍 🏽 as tokens of their own
    assert [text[s:e] for s, e in tokens] == ["Netanyahu", "🇮🇱", "🇷🇺", "said", "👍🏽", "x", "\u0301y"]
