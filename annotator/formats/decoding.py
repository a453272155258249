"""Bytes to text: find the encoding, refuse what is not text, normalise line endings."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from annotator.core.text import normalise_newlines

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class NotText(ValueError):
    """The bytes are not a text we can read; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was in, line endings normalised to ``\\n``.

    A BOM decides; then strict UTF-8 (most files); then charset-normalizer's guess among legacy
    code pages (cp1251, latin-1...). A BOM at the start is dropped; every other character is kept.
    """
    if not data:
        raise NotText("the file is empty")
    encoding = _encoding_of(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise NotText(f"it is not valid {encoding} (byte {exc.start})") from None
    if "\x00" in text:
        raise NotText("it contains NUL bytes, so it looks like a binary file, not text")
    if not text.strip():
        raise NotText("it contains only white space")
    return normalise_newlines(text), encoding


def _encoding_of(data: bytes) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        # charset-normalizer may call NUL-laden data UTF-16 without a BOM; we do not guess that.
        raise NotText("it contains NUL bytes, so it looks like a binary file, not text")
    best = from_bytes(data).best()
    if best is None:
        raise NotText("its encoding could not be recognised (is it a binary file?)")
    return best.encoding
