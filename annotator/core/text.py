"""Text rules shared by every importer: what is stored is exactly what is shown and exported."""

from __future__ import annotations


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes.

    Qt's setPlainText folds CRLF into one character, which would shift every later offset,
    so the text is normalised once at import. Other separators (U+2028, U+0085...) are kept:
    each is one code point and one UTF-16 unit, so they shift nothing.
    """
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
