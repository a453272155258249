"""Code points (our offsets) <-> UTF-16 code units (Qt's text positions). The only conversion.

Each character outside the Basic Multilingual Plane (emoji, flags, some CJK) is one code point but two
UTF-16 units, so every later position shifts by one per such character. Per document we keep the
sorted code-point positions of those characters; most texts have none and the map is the identity.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    __slots__ = ("_astral", "_astral_utf16", "length", "length_utf16")

    def __init__(self, text: str) -> None:
        # A regex scan runs in C: a 1.2-million-character article takes milliseconds.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # Where each astral character starts in UTF-16: its code-point index plus the astral ones before it.
        self._astral_utf16 = [p + k for k, p in enumerate(self._astral)]
        self.length = len(text)
        self.length_utf16 = len(text) + len(self._astral)

    @property
    def is_identity(self) -> bool:
        return not self._astral

    def to_utf16(self, index: int) -> int:
        """Code-point index -> UTF-16 position."""
        return index + bisect_left(self._astral, index)

    def to_code_point(self, position: int) -> int:
        """UTF-16 position -> code-point index. A position inside a surrogate pair maps to the start of
        its character, so a selection can never split one."""
        return position - bisect_left(self._astral_utf16, position)

    def span_to_utf16(self, start: int, end: int) -> tuple[int, int]:
        return self.to_utf16(start), self.to_utf16(end)
