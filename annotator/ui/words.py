"""Word edges in scripts written without spaces, from Qt: the segmenter core.tokens is handed.

QTextBoundaryFinder finds Thai words with libthai's dictionary (Qt loads libthai.so.0 when it is
installed; Debian: libthai0), and puts an edge between CJK ideographs and around kana (Unicode's word
rules, no dictionary), so a selection there keeps the characters chosen instead of growing to a clause.
Qt counts UTF-16 units; the edges go back as code points through OffsetMap.
"""

from __future__ import annotations

from PySide6.QtCore import QTextBoundaryFinder

from annotator.ui.offsets import OffsetMap


def word_breaks(piece: str) -> list[int]:
    """Code-point offsets inside ``piece`` where one word ends and the next begins."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Word, piece)
    offsets = OffsetMap(piece)
    found = []
    position = finder.toNextBoundary()
    while position != -1:
        found.append(offsets.to_code_point(position))
        position = finder.toNextBoundary()
    return found
