"""Characters as a reader sees them (Unicode extended grapheme clusters), so that no span edge cuts one.

A flag is two code points (regional indicators), a family emoji several joined by ZWJ, "é" may be "e"
and a combining accent, an emoji may carry a skin tone, a Hangul syllable may be written as jamo, and
CRLF is one character too. A span that ends inside one of those shows loose letters, a bare accent or
half a flag, and exports a string no reader asked for; every edge is therefore moved to a cluster
boundary (``outward``). The segmentation is the `regex` package's ``\\X`` (Unicode's rules, which the
standard library does not carry).

Everything is local: whether a position is a boundary is decided from the characters around it, and
only where a character that can join its neighbours is near (most positions of most texts take one
comparison). No pass over the whole text, so a keystroke on a long article stays cheap.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _patterns():
    """The \\X cluster and three classes of characters. `regex` is imported on the first edge that needs it
    (15 ms): the window's first paint needs none, as most news text is decided by ``may_split`` alone."""
    import regex

    return (
        regex.compile(r"\X"),
        # After one of these the next character may continue the same cluster (CR LF, Prepend, Hangul
        # jamo and syllables, the second of a flag's pair, a ZWJ sequence, an Indic conjunct after a virama).
        regex.compile(
            r"[\p{GCB=CR}\p{GCB=Prepend}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}"
            r"\p{GCB=Regional_Indicator}\p{GCB=ZWJ}\p{GCB=Extend}]"
        ),
        # These join whatever stands before them (accents, skin tones, variation selectors, ZWJ, vowel signs).
        regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]"),
        # These join whatever follows them, even a printable ASCII character (a few Arabic and Indic signs).
        regex.compile(r"\p{GCB=Prepend}"),
    )


# Latin letters, general punctuation, currency and letterlike symbols: none joins a neighbour, and a news
# text seldom has anything else. Finding a character outside them is a fast scan; a class of Unicode
# properties, as above, scans several times slower (measured: 0.6 s against 0.08 s on 22 million characters).
_PLAIN = re.compile("[^\x00-\x0c\x0e-\u02ff\u2010-\u205f\u20a0-\u20c0\u2100-\u214f]")


def may_split(text: str) -> bool:
    """Whether an offset in ``text`` might fall inside a character: False for most news texts, at the
    cost of one scan; True whenever it can, and sometimes when it cannot (then each edge is checked)."""
    if text.isascii():
        return "\r" in text
    return _PLAIN.search(text) is not None


def surely_boundary(text: str, k: int) -> bool:
    """True where Unicode's rules break between text[k-1] and text[k] whatever comes before them."""
    before, after = text[k - 1], text[k]
    # No ASCII character continues the one before it (but LF after CR), and of ASCII before, only CR
    # holds on to what follows: at the edge of a word in Hindi or Arabic one class is looked up, not two.
    if after < "\x80":
        if before < "\x80" or after < " " or after == "\x7f":  # a control breaks after anything but CR
            return before != "\r" or after != "\n"
        return _patterns()[3].match(before) is None
    _, holds, joins, _ = _patterns()
    if before < "\x80":
        return before == "\r" or joins.match(after) is None  # CR breaks before anything but LF
    return holds.match(before) is None and joins.match(after) is None


def cluster_at(text: str, i: int) -> tuple[int, int] | None:
    """The character (start, end) that offset ``i`` falls strictly inside, or None at a boundary."""
    if i <= 0 or i >= len(text) or surely_boundary(text, i):
        return None
    k = i - 1  # back to a certain boundary: a flag's pairs, say, are counted from the start of their run
    while k > 0 and not surely_boundary(text, k):
        k -= 1
    for found in _patterns()[0].finditer(text, k):
        if found.end() == i:
            return None
        if found.end() > i:
            return found.start(), found.end()
    return None


def is_boundary(text: str, i: int) -> bool:
    return cluster_at(text, i) is None


def start_of(text: str, i: int) -> int:
    """``i``, or the start of the character it falls inside."""
    inside = cluster_at(text, i)
    return i if inside is None else inside[0]


def end_of(text: str, i: int) -> int:
    """``i``, or the end of the character it falls inside."""
    inside = cluster_at(text, i)
    return i if inside is None else inside[1]


def outward(text: str, start: int, end: int) -> tuple[int, int]:
    """The range grown to whole characters: a start inside one moves to its start, an end to its end.

    Except a mark on white space (a stray ZWJ or accent after a space, common in pasted news text): a
    range starting inside one starts after it, one ending inside it ends before it, so that no span
    takes in a space it did not mark. Where that would leave nothing, the range grows instead."""
    first, last = cluster_at(text, start), cluster_at(text, end)
    grown = (start if first is None else first[0], end if last is None else last[1])
    if first is not None and text[first[0]].isspace():
        start = first[1]
    elif first is not None:
        start = first[0]
    if last is not None and text[last[0]].isspace():
        end = last[0]
    elif last is not None:
        end = last[1]
    return (start, end) if start < end or grown[0] == grown[1] else grown


def whole_tokens(text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A tokenizer's (start, end) tokens with none cutting a character: spaCy's makes a token of each of
    a flag's two letters, which a CoNLL file would then write apart ("🇷 🇺"). Tokens that share a
    character become one. A token never takes in white space: of an accent on a space (a character
    of its own) only the accent is a token, since no token-based format can hold a space in a token."""
    if not may_split(text):
        return tokens
    whole: list[tuple[int, int]] = []
    for start, end in tokens:
        start, end = start_of(text, start), end_of(text, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if whole and start < whole[-1][1]:
            whole[-1] = (whole[-1][0], max(end, whole[-1][1]))
        else:
            whole.append((start, end))
    return whole
