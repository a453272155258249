"""Ranges to select around a position: the sentence, the paragraph, the quoted text.

Selecting a 300-character quote by Shift+arrows takes a dozen keys; these give the range in one. Each
takes the current selection (``start == end`` for a bare cursor) in code points and returns a range in
code points, its edges between whole characters (core.graphemes), white space at its edges left out.

A paragraph is a line of the text (what the article view shows as one block). A sentence ends after
. ! ? or … (with any closing quotes or brackets after them) before white space and a word that does not
begin in lower case, but not after a lone initial or a common abbreviation ("Mr.", "U.S."); it never
runs over a line break. Quoted text is the content of the innermost pair of quotation marks around the
selection, in any style core.vocabulary knows; asked again with that content selected, it widens to
take in the marks, then to the next pair out.
"""

from __future__ import annotations

import re

from annotator.core.graphemes import is_boundary, outward
from annotator.core.tokens import is_word, without_spaces
from annotator.core.vocabulary import ASCII_CLOSING, ASCII_OPENING, QUOTES

# Quotes are looked for this far either side of the selection, within its paragraph: a line of a
# million characters stays quick.
QUOTE_REACH = 20_000

_END = re.compile(r"[.!?…]+[\"'”’»«」』)\]]*(?=\s)")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr jr gen col lt sgt capt gov sen rep pres rev hon vs etc inc ltd corp co no fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx dept est univ".split()
)
_QUOTE_MARKS = re.compile("''|``|[" + re.escape("".join(set(QUOTES) | set("".join(QUOTES.values())))) + "]")
_MARKS_AT_END = ".!?…\"'”’»«」』)]"
_APOSTROPHES = "’‘'"  # between two letters: an apostrophe (don't, Moscow’s, rock‘n’roll), no quote


def paragraph_range(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The paragraph (line) at ``start``, through the one at ``end``, without the white space around it."""
    end = start if end is None else end
    first = text.rfind("\n", 0, start) + 1
    last_at = max(start, end - 1) if end > start else start
    last = text.find("\n", last_at)
    last = len(text) if last < 0 else last
    return _whole(text, *without_spaces(text, first, last))


def sentence_range(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The sentence at ``start``, through the one at ``end`` when a selection runs on."""
    end = start if end is None else end
    first = _sentence_at(text, start)
    last = _sentence_at(text, max(start, end - 1)) if end > start else first
    return _whole(text, first[0], max(first[1], last[1]))


def quotation_range(text: str, start: int, end: int | None = None) -> tuple[int, int] | None:
    """The quoted text around the selection, without its marks; with them when just that is selected
    already; then the next pair out. None when no pair of quotation marks encloses the selection."""
    end = start if end is None else end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lo, hi = max(line_start, start - QUOTE_REACH), min(line_end, end + QUOTE_REACH)
    candidates = []
    for open_start, open_end, close_start, close_end in quote_pairs(text, lo, hi):
        if open_start <= start and end <= close_end:
            inner = _whole(text, *without_spaces(text, open_end, close_start))
            candidates += [inner, (open_start, close_end)]
    selected = (start, end)
    wider = [
        c
        for c in candidates
        if c[0] <= start and end <= c[1] and c != selected and c[0] < c[1]
    ]
    if not wider:
        return None
    return min(wider, key=lambda c: (c[1] - c[0], -c[0]))


def quote_pairs(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, int, int]]:
    """Pairs of quotation marks in text[lo:hi], each as (opening start, opening end, closing start,
    closing end). A mark first closes the innermost open quote it can close, else opens one; an
    apostrophe inside a word (don't, Moscow’s) is neither, and marks left open are no pair."""
    hi = len(text) if hi is None else hi
    stack: list[tuple[str, int, int]] = []  # (mark, start, end)
    pairs = []
    for found in _QUOTE_MARKS.finditer(text, lo, hi):
        mark, at, after = found.group(), found.start(), found.end()
        if mark in _APOSTROPHES and _between_letters(text, at):
            continue
        closes = None
        for depth in range(len(stack) - 1, -1, -1):
            if mark in _closers(stack[depth][0]):
                closes = depth
                break
        if closes is not None:
            opening = stack[closes]
            del stack[closes:]
            pairs.append((opening[1], opening[2], at, after))
        elif mark in QUOTES or mark in ASCII_OPENING:  # a ’ that closes nothing (the ministers’) is left out
            stack.append((mark, at, after))
    return pairs


def _closers(opening: str) -> tuple[str, ...]:
    if opening in ASCII_OPENING:
        return (ASCII_CLOSING,)
    return tuple(QUOTES.get(opening, ""))


def _between_letters(text: str, at: int) -> bool:
    return 0 < at < len(text) - 1 and is_word(text[at - 1]) and is_word(text[at + 1])


def sentences_between(text: str, start: int, end: int) -> int:
    """How many sentences end in ``text[start:end]``, by sentence_range's rule, a line break (or a run of
    blank lines) ending one too; 0 when both places are in one sentence. ``start`` may fall after the
    marks that end its sentence (a quotation ending ``.”``): those marks are read as part of the stretch.
    It tells a place nearby from one paragraphs away (a cue far from its statement)."""
    if end <= start:
        return 0
    while start > 0 and text[start - 1] in _MARKS_AT_END:
        start -= 1
    count, position = 0, start
    while True:
        line_break = text.find("\n", position, end)
        line_end = text.find("\n", position)
        line_end = len(text) if line_end < 0 else line_end
        stop = end if line_break < 0 else line_break
        count += sum(1 for found in _END.finditer(text, position, stop)
                     if _ends_sentence(text, found.start(), found.end(), line_end))
        if line_break < 0:
            return count
        count += 1
        position = line_break + 1
        while position < end and text[position].isspace():
            position += 1


def sentences_apart(text: str, first: tuple[int, int], second: tuple[int, int]) -> int:
    """How many sentences the range ``second`` lies after (positive) or before (negative) the range
    ``first``; 0 when it is in a sentence ``first`` covers."""
    if second[0] >= first[1]:
        return sentences_between(text, first[1] - 1, second[0])
    if second[1] <= first[0]:
        return -sentences_between(text, second[1] - 1, first[0])
    return 0


def _sentence_at(text: str, i: int) -> tuple[int, int]:
    """The sentence holding position ``i`` (white space after a sentence counts as its own)."""
    line_start = text.rfind("\n", 0, i) + 1
    if i < len(text) and text[i] == "\n" and i > line_start:
        i -= 1  # at the end of a line: its last sentence
    line_end = text.find("\n", i)
    line_end = len(text) if line_end < 0 else line_end
    begin = line_start
    for found in _END.finditer(text, line_start, line_end):
        if not _ends_sentence(text, found.start(), found.end(), line_end):
            continue
        after = found.end()
        while after < line_end and text[after].isspace():
            after += 1
        if i < after:
            return without_spaces(text, begin, found.end())
        begin = after
    return without_spaces(text, begin, line_end)


def _ends_sentence(text: str, stop: int, end: int, line_end: int) -> bool:
    nxt = end
    while nxt < line_end and text[nxt].isspace():
        nxt += 1
    if nxt < line_end and text[nxt].islower():
        return False  # "e.g. the", "… and then"
    if text[stop] != ".":
        return True
    word_start = stop
    while word_start > 0 and (is_word(text[word_start - 1]) or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:stop]
    if len(word) == 1 and word.isupper():
        return False  # an initial: "John F. Kennedy"
    if "." in word and all(len(part) <= 2 for part in word.split(".")):
        return False  # "U.S.", "a.m."
    return word.lower() not in _ABBREVIATIONS


def _whole(text: str, start: int, end: int) -> tuple[int, int]:
    return outward(text, start, end) if start < end else (start, end)


def mentions(text: str, words: str) -> list[tuple[int, int]]:
    """Every occurrence of exactly ``words`` in ``text`` that is whole tokens: not part of a longer
    word ("Iran" is no mention in "Iranian") and not cutting a character, as (start, end)."""
    found: list[tuple[int, int]] = []
    if not words.strip():
        return found
    size = len(words)
    at = text.find(words)
    while at >= 0:
        end = at + size
        joined_before = at > 0 and is_word(text[at - 1]) and is_word(text[at])
        joined_after = end < len(text) and is_word(text[end - 1]) and is_word(text[end])
        if not joined_before and not joined_after and is_boundary(text, at) and is_boundary(text, end):
            found.append((at, end))
            at = text.find(words, end)
        else:
            at = text.find(words, at + 1)
    return found
