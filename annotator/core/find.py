"""Finding words in text: the matches, the words of a search query, and a one-line excerpt around a hit.

Every position is a code point offset into the text, so a match can be highlighted and selected exactly.
Matching is case-insensitive, one character of the text for one character of the query: a regular
expression with IGNORECASE compares character by character, so unlike ``casefold`` ("ß" -> "ss") the
length of a match never drifts from the length of what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

ELLIPSIS = "…"
_WORD_EDGE = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation around a word: "(Kyiv," -> "Kyiv"
_ALNUM = re.compile(r"[^\W_]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # never part of a word; NUL would end an FTS5 string early
_COMBINING = "[\u0300-\u036f]*"  # accents typed as separate characters (NFD text) after a letter


@dataclass(frozen=True)
class SearchHit:
    """One document found by a search over the whole project."""

    document_id: int
    title: str
    snippet: str  # one line of the document's text around the first hit, "…" where it was cut
    snippet_hits: tuple[tuple[int, int], ...]  # where the hits are inside the snippet (code points)
    hits: int  # how many times the words occur in the document's text


def find_all(text: str, query: str, ignore_accents: bool = False) -> list[tuple[int, int]]:
    """Every non-overlapping occurrence of ``query`` in ``text``, ignoring case, as (start, end).

    An ASCII query folds ASCII letters only, so "k" never matches the Kelvin sign nor "s" the long s:
    a match always reads as the query does. ``ignore_accents`` also lets "cafe" match "café" and
    "cafe\u0301" (the accent as a separate character is then part of the match)."""
    if not query:
        return []
    return [m.span() for m in _pattern(query, ignore_accents).finditer(text)]


def find_terms(text: str, words: list[str], ignore_accents: bool = False) -> list[tuple[int, int]]:
    """Occurrences of any of the words, in text order; where two overlap the earlier one is kept."""
    found = sorted(hit for word in words for hit in find_all(text, word, ignore_accents))
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def terms(query: str) -> list[str]:
    """The words of a search query: split at spaces, punctuation around each word dropped, and words
    with no letter or digit left out (a lone quote or dash can match nothing). Control characters
    separate words."""
    words = (_WORD_EDGE.sub("", part) for part in _CONTROL.sub(" ", query).split())
    return [word for word in words if _ALNUM.search(word)]


def snippet(text: str, hits: list[tuple[int, int]], width: int = 80) -> tuple[str, list[tuple[int, int]]]:
    """About ``width`` characters of ``text`` on one line around the first hit, and the hits inside it.

    Line breaks and runs of spaces become one space; "…" marks each end that was cut. With no hits
    the excerpt is the beginning of the text."""
    start, end = _window(text, hits[0] if hits else (0, 0), width)
    line, position = _one_line(text, start, end)
    lead = ELLIPSIS if start > 0 else ""
    inside = [
        (position[max(s, start) - start] + len(lead), position[min(e, end) - start] + len(lead))
        for s, e in hits
        if s < end and e > start
    ]
    tail = ELLIPSIS if end < len(text) else ""
    return lead + line + tail, [(s, e) for s, e in inside if e > s]


def _window(text: str, hit: tuple[int, int], width: int) -> tuple[int, int]:
    """A range of about ``width`` characters with the hit a third of the way in, cut at spaces."""
    first, last = hit
    start = max(0, first - max(0, width - (last - first)) // 3)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))  # near the end of the text: show more before the hit
    if start > 0:  # begin after a space when one is near, so the first word is whole
        start = next((i + 1 for i in range(start, min(first, start + 15)) if text[i].isspace()), start)
    if end < len(text):  # and end before one
        end = next((i for i in range(end - 1, max(last, end - 15), -1) if text[i].isspace()), end)
    return start, end


def _one_line(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """``text[start:end]`` with each run of white space made one space, leading and trailing space
    dropped, and where each position (0 .. end - start) lands in the result."""
    out: list[str] = []
    position: list[int] = []
    for ch in text[start:end]:
        position.append(len(out))
        if not ch.isspace():
            out.append(ch)
        elif out and out[-1] != " ":
            out.append(" ")
    if out and out[-1] == " ":
        out.pop()
    position.append(len(out))
    return "".join(out), [min(p, len(out)) for p in position]


@lru_cache(maxsize=256)
def _pattern(query: str, ignore_accents: bool) -> re.Pattern[str]:
    if ignore_accents:
        return re.compile("".join(_accent_class(ch) for ch in _strip_accents(query)))
    flags = re.IGNORECASE | (re.ASCII if query.isascii() else 0)
    return re.compile(re.escape(query), flags)


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _accent_class(ch: str) -> str:
    """A character class matching ``ch`` in either case with or without accents, then any accents
    written as separate characters."""
    variants = {ch, ch.lower(), ch.upper()} if len(ch.lower()) == len(ch.upper()) == 1 else {ch}
    if not any(v.isalpha() for v in variants):
        return re.escape(ch)
    accented = _accented()
    found = set(variants).union(*(accented.get(v, ()) for v in variants))
    return "[" + "".join(re.escape(v) for v in sorted(found)) + "]" + _COMBINING


@cache
def _accented() -> dict[str, tuple[str, ...]]:
    """Each letter -> the precomposed letters that are it plus accents (e -> é, è, ê, ë, ...), for the
    Latin, Greek and Cyrillic blocks."""
    table: dict[str, list[str]] = {}
    for code in range(0xC0, 0x2000):
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) > 1 and all(unicodedata.combining(mark) for mark in decomposed[1:]):
            table.setdefault(decomposed[0], []).append(ch)
    return {base: tuple(chars) for base, chars in table.items()}
