"""Text rules shared by every importer: what is stored is exactly what is shown and exported."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes.

    Qt's setPlainText folds CRLF into one character, which would shift every later offset,
    so the text is normalised once at import. Other separators (U+2028, U+0085...) are kept:
    each is one code point and one UTF-16 unit, so they shift nothing.
    """
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def newline_map(text: str) -> tuple[str, Callable[[int], int]]:
    """The text with newlines normalised, and a function taking an offset in ``text`` to the same
    place in the normalised text: annotated imports keep every span on its words."""
    if "\r" not in text:
        return text, lambda offset: offset
    removed = [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"]  # each CR of a CRLF
    return normalise_newlines(text), lambda offset: offset - bisect_left(removed, offset)
