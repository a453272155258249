"""Token edges for snapping selections and moving span boundaries, found locally in the text.

No tokenizer runs here: a token is a run of word characters (letters, digits, combining marks) or a
single other character. Looking only at the characters around a position keeps every keystroke cheap
on a 200,000-word article, and this is all a boundary needs. Every edge found lies between two
characters as a reader sees them (core.graphemes): never inside a flag, an emoji or a letter with its accent.

Thai, Lao, Khmer, Myanmar, Chinese and Japanese are written without spaces between words: there a run of
word characters is a clause, not a word. Finding their words takes a dictionary, which core does not
have; a caller passes ``words``, a segmenter (ui.words uses Qt's), and only such runs are handed to it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from annotator.core.graphemes import end_of, outward, start_of

# A segmenter: the offsets (code points, 0 < offset < len) where words meet inside a run of word characters.
Words = Callable[[str], Iterable[int]]

# Scripts written without spaces between words: Thai, Lao, Myanmar (and its extensions), Khmer (and its
# symbols), Japanese kana, CJK ideographs (with extension A, compatibility and the astral planes),
# halfwidth katakana.
_SPACELESS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f\u1780-\u17ff\u19e0-\u19ff"
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f]"
)
_CONTEXT = 400  # characters of a long run either side of a position that a segmenter sees
APOSTROPHES = "'\u2019"


def is_word(char: str) -> bool:
    if char.isalnum() or char == "_":
        return True
    # Combining marks and joiners belong to the word they are in ("é" written e + U+0301, ZWJ in names).
    return unicodedata.category(char)[0] == "M" or char in "\u200c\u200d"


def snap(text: str, start: int, end: int, words: Words | None = None) -> tuple[int, int]:
    """Grow a selection to whole tokens and drop the spaces at its edges. Empty if only spaces."""
    start, end = without_spaces(text, max(0, min(start, end)), min(len(text), max(start, end)))
    if start == end:
        return start, start
    if 0 < start < len(text) and is_word(text[start]) and is_word(text[start - 1]):
        start = _break_before(text, start + 1, words)
    if 0 < end < len(text) and is_word(text[end - 1]) and is_word(text[end]):
        end = _break_after(text, end - 1, words)
    whole = outward(text, start, end)
    # Stepping past an accent on a space can land on the next space: drop it, then whole again.
    for _ in range(len(text)):  # each round moves an edge inward: it ends
        if not (whole[0] < whole[1] and (text[whole[0]].isspace() or text[whole[1] - 1].isspace())):
            break
        start, end = without_spaces(text, *whole)
        if start == end:
            return start, start
        if (start, end) == whole:
            break
        whole = outward(text, start, end)
    return whole


def without_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    """The range without the white space at its edges."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _run(text: str, i: int) -> tuple[int, int]:
    """The run of word characters that holds the character at ``i``."""
    lo, hi = i, i + 1
    while lo > 0 and is_word(text[lo - 1]):
        lo -= 1
    while hi < len(text) and is_word(text[hi]):
        hi += 1
    return lo, hi


def _breaks(text: str, lo: int, hi: int, i: int, words: Words | None) -> list[int]:
    """Where words begin and end in the run lo-hi, near ``i``: its ends, and what the segmenter finds
    inside when the run is in a script written without spaces."""
    if words is None or not _SPACELESS.search(text, lo, hi):
        return [lo, hi]
    # A segmenter sees a window of a long run (a page of Chinese without punctuation): its words are
    # found by the characters around them, and a keystroke stays cheap.
    first, last = max(lo, i - _CONTEXT), min(hi, i + _CONTEXT)
    inside = {first + b for b in words(text[first:last]) if 0 < b < last - first}
    return sorted({lo, hi, first, last} | inside)


def _break_after(text: str, i: int, words: Words | None) -> int:
    """The first word edge after the word character at ``i``."""
    lo, hi = _run(text, i)
    return min(b for b in _breaks(text, lo, hi, i, words) if b > i)


def _break_before(text: str, i: int, words: Words | None) -> int:
    """The last word edge before the word character at ``i - 1``."""
    lo, hi = _run(text, i - 1)
    return max(b for b in _breaks(text, lo, hi, i, words) if b < i)


def _possessive_after(text: str, i: int) -> int:
    """How many characters of a possessive ending (’s, 's, s’) follow a word that ends at ``i``."""
    def ends(at: int) -> bool:
        return at >= len(text) or not is_word(text[at])

    if i + 1 < len(text) and text[i] in APOSTROPHES and text[i + 1] in "sS" and ends(i + 2):
        return 2
    if i < len(text) and text[i] in APOSTROPHES and text[i - 1] in "sS" and ends(i + 1):
        return 1
    return 0


def _possessive_before(text: str, i: int) -> int:
    """How many characters of a possessive ending end at ``i`` (after a word)."""
    if i >= 3 and text[i - 1] in "sS" and text[i - 2] in APOSTROPHES and is_word(text[i - 3]):
        return 2 if _possessive_after(text, i - 2) == 2 else 0
    if i >= 2 and text[i - 1] in APOSTROPHES and is_word(text[i - 2]):
        return 1 if _possessive_after(text, i - 1) == 1 else 0
    return 0


def next_edge(text: str, position: int, words: Words | None = None) -> int:
    """The end of the token at or after ``position``; a possessive (’s, s’) belongs to its word."""
    i = position
    while i < len(text) and text[i].isspace():
        i += 1
    if i < len(text) and is_word(text[i]):
        i = _break_after(text, i, words)
        i += _possessive_after(text, i)
    elif i < len(text):
        i += 1
    return end_of(text, i)


def previous_edge(text: str, position: int, words: Words | None = None) -> int:
    """The start of the token at or before ``position``; a possessive (’s, s’) belongs to its word."""
    i = position
    while i > 0 and text[i - 1].isspace():
        i -= 1
    i -= _possessive_before(text, i)
    if i > 0 and is_word(text[i - 1]):
        i = _break_before(text, i, words)
    elif i > 0:
        i -= 1
    return start_of(text, i)


def move_edge(
    text: str, start: int, end: int, edge: str, step: int, words: Words | None = None
) -> tuple[int, int]:
    """Move the ``edge`` ("start" or "end") of a span one token left (step -1) or right (+1).

    A span never becomes empty: a move that would empty it is ignored.
    """
    if edge == "start":
        if step < 0:
            new = previous_edge(text, start, words)
        else:
            new = next_edge(text, start, words)
            while new < end and text[new].isspace():
                new += 1
            new = start_of(text, new)
        return (new, end) if new < end else (start, end)
    if step > 0:
        new = next_edge(text, end, words)
    else:
        new = previous_edge(text, end, words)
        while new > start and text[new - 1].isspace():
            new -= 1
        new = end_of(text, new)
    return (start, new) if new > start else (start, end)
