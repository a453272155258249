"""Token edges for snapping selections and moving span boundaries, found locally in the text.

No tokenizer runs here: a token is a run of word characters (letters, digits, combining marks) or a
single other character. Looking only at the characters around a position keeps every keystroke cheap
on a 200,000-word article, and this is all a boundary needs. Every edge found lies between two
characters as a reader sees them (core.graphemes): never inside a flag, an emoji or a letter with its accent.
"""

from __future__ import annotations

import unicodedata

from annotator.core.graphemes import end_of, outward, start_of


def is_word(char: str) -> bool:
    if char.isalnum() or char == "_":
        return True
    # Combining marks and joiners belong to the word they are in ("é" written e + U+0301, ZWJ in names).
    return unicodedata.category(char)[0] == "M" or char in "\u200c\u200d"


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a selection to whole tokens and drop the spaces at its edges. Empty if only spaces."""
    start, end = _without_spaces(text, max(0, min(start, end)), min(len(text), max(start, end)))
    if start == end:
        return start, start
    while start > 0 and is_word(text[start]) and is_word(text[start - 1]):
        start -= 1
    while end < len(text) and is_word(text[end - 1]) and is_word(text[end]):
        end += 1
    whole = outward(text, start, end)
    # Stepping past an accent on a space can land on the next space: drop it, then whole again.
    for _ in range(len(text)):  # each round moves an edge inward: it ends
        if not (whole[0] < whole[1] and (text[whole[0]].isspace() or text[whole[1] - 1].isspace())):
            break
        start, end = _without_spaces(text, *whole)
        if start == end:
            return start, start
        if (start, end) == whole:
            break
        whole = outward(text, start, end)
    return whole


def _without_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def next_edge(text: str, position: int) -> int:
    """The end of the token at or after ``position``."""
    i = position
    while i < len(text) and text[i].isspace():
        i += 1
    if i < len(text) and is_word(text[i]):
        while i < len(text) and is_word(text[i]):
            i += 1
    elif i < len(text):
        i += 1
    return end_of(text, i)


def previous_edge(text: str, position: int) -> int:
    """The start of the token at or before ``position``."""
    i = position
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i > 0 and is_word(text[i - 1]):
        while i > 0 and is_word(text[i - 1]):
            i -= 1
    elif i > 0:
        i -= 1
    return start_of(text, i)


def move_edge(text: str, start: int, end: int, edge: str, step: int) -> tuple[int, int]:
    """Move the ``edge`` ("start" or "end") of a span one token left (step -1) or right (+1).

    A span never becomes empty: a move that would empty it is ignored.
    """
    if edge == "start":
        if step < 0:
            new = previous_edge(text, start)
        else:
            new = next_edge(text, start)
            while new < end and text[new].isspace():
                new += 1
            new = start_of(text, new)
        return (new, end) if new < end else (start, end)
    if step > 0:
        new = next_edge(text, end)
    else:
        new = previous_edge(text, end)
        while new > start and text[new - 1].isspace():
            new -= 1
        new = end_of(text, new)
    return (start, new) if new > start else (start, end)
