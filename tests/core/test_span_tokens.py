"""Tokens cut at span edges, so a token-based export can hold every span."""

from annotator.core.model import Span
from annotator.core.span_tokens import span_edges, split_at_edges


def test_tokens_are_cut_only_where_an_edge_falls_inside_one():
    text = "MOSCOW (/TASS/). Lavrov's aides"
    tokens = [(0, 6), (7, 8), (8, 14), (14, 15), (15, 16), (17, 25), (26, 31)]  # "/TASS/" as one token
    tass, lavrov = text.index("TASS"), text.index("Lavrov")
    spans = [Span(tass, tass + 4, "ORG"), Span(lavrov, lavrov + 6, "PERSON"), Span(0, 6, "GPE")]
    cut = split_at_edges(tokens, span_edges(spans))
    assert [text[s:e] for s, e in cut] == ["MOSCOW", "(", "/", "TASS", "/", ")", ".", "Lavrov", "'s", "aides"]
    assert split_at_edges(tokens, []) == tokens


def test_a_statements_cue_edges_cut_tokens_too():
    statement = Span(0, 20, "STATEMENT", attributes={"cue": [3, 7]})
    assert span_edges([statement]) == [0, 20, 3, 7]
    assert split_at_edges([(0, 10)], span_edges([statement])) == [(0, 3), (3, 7), (7, 10)]
