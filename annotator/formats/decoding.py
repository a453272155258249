"""Bytes to text: find the encoding, refuse what is not text, normalise line endings.

UTF-8 (with or without BOM), UTF-16 and UTF-32 (with BOM) are certain. Anything else is a legacy
code page and a guess. charset-normalizer guesses well on long texts but, measured on short ones
("Лавров" in cp1251, "Zürich" in cp1252), it picked big5, cp1250 or even UTF-16. So every
candidate, its guess included, is judged by how plausible the decoded text looks, and callers
report the guess so a person can check it (or name the encoding).
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterator

from charset_normalizer import from_bytes

from annotator.core.errors import Problem
from annotator.core.text import normalise_newlines

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte code pages news arrives in, most common first: on a tie the earlier one wins.
LEGACY = (
    "cp1252", "cp1251", "cp1250", "koi8_r", "cp1253", "cp1254", "cp1257",
    "cp866", "koi8_u", "cp1255", "cp1256", "iso8859_15", "latin_1",
)
SAMPLE = 4_096  # bytes judged, from the first non-ASCII one: enough to tell, cheap for a 50 MB file
CERTAIN = {"utf-8", "utf-8-sig", "utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}
_WORD = re.compile(r"[^\W\d_]+")
_TYPOGRAPHY = set("«»“”„‘’‚–—…•·№€£¥§°±×÷‰†‡¡¿©®™")


class NotText(ValueError):
    """The bytes are not a text we can read; the message says why."""


class DamagedUtf8(NotText):
    """UTF-8 with a few invalid bytes: refused as a whole text, but a line-by-line reader can read
    it as UTF-8 and report only the lines with the bad bytes."""


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding it was read with, line endings normalised to ``\\n``.

    ``encoding`` names the encoding and skips detection. A BOM at the start is dropped; every
    other character is kept.
    """
    if not data:
        raise NotText("the file is empty")
    # A BOM decides even over a named encoding: it cannot be mistaken.
    encoding = bom_encoding(data) or encoding
    if encoding is None:
        try:  # most files are UTF-8: decoded once here instead of once to detect it and once to read it
            return _checked(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            encoding = detect(data)
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise NotText(f"it is not valid {encoding} (byte {exc.start})") from None
    except LookupError:
        raise NotText(f"'{encoding}' is not an encoding Python knows") from None
    return _checked(text), encoding


def _checked(text: str) -> str:
    if "\x00" in text:
        raise NotText("it contains NUL bytes, so it looks like a binary file, not text")
    if not text.strip():
        raise NotText("it contains only white space")
    return normalise_newlines(text)


def codec_name(encoding: str) -> str:
    """Python's own name for an encoding (``UTF-16LE``, ``utf16`` and ``utf_16_le`` are one codec);
    LookupError if Python knows none by that name."""
    return codecs.lookup(encoding).name


def _known(encoding: str) -> str:
    try:
        return codec_name(encoding)
    except LookupError:
        return encoding


def is_guess(encoding: str) -> bool:
    return _known(encoding) not in CERTAIN


def stream_codec(encoding: str) -> str:
    """The codec to read a whole file with: the BOM-aware one, so the BOM is dropped."""
    return "utf-8-sig" if _known(encoding) == "utf-8" else encoding


def wide_newline(encoding: str) -> bool:
    """Whether a line break is more than the byte \\n in this encoding (UTF-16, UTF-32): then lines
    cannot be split in the bytes."""
    return "\n".encode(encoding) != b"\n"


def utf8_lines(handle, encoding: str | None = None) -> Iterator[bytes]:
    """The lines (split on \\n) of a binary file as UTF-8 bytes, whatever its encoding: a BOM
    decides, then ``encoding``; without either the bytes are passed on as they are (UTF-8, the
    caller's checks report bad bytes by line). A UTF-8 BOM is left for the caller to drop.
    A lone surrogate is passed on as bytes no UTF-8 reader accepts, so that its line is reported;
    UnicodeDecodeError if a file in another encoding is otherwise not valid in it."""
    head = handle.read(4)
    handle.seek(0)
    used = bom_encoding(head) or encoding
    if used is None or codec_name(used) in ("utf-8", "utf-8-sig"):
        yield from handle
        return
    text = io.TextIOWrapper(handle, encoding=stream_codec(used), errors="surrogatepass", newline="\n")
    try:
        for line in text:
            yield line.removeprefix("\ufeff").encode("utf-8", errors="surrogatepass")
    finally:
        text.detach()


def stream_failed(encoding: str | None, exc: UnicodeError, after: int) -> str:
    """Why a file stopped decoding part way: a bad byte, or (UTF-16/32 named without its byte order)
    a stream that lacks the BOM the codec needs to know which byte comes first."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid {exc.encoding} after line {after}; the rest of the file is not read"
    width = _known(encoding) if encoding else None
    hint = f" (name the byte order: --encoding {width}-le or {width}-be)" if width in ("utf-16", "utf-32") else ""
    rest = "nothing of it is imported" if after == 0 else f"the lines after line {after} are not read"
    return f"cannot be read as {encoding}: {exc}{hint}; {rest}"


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def detect(data: bytes, complete: bool = True) -> str:
    """The encoding of ``data``; with complete=False, ``data`` is the head of a longer file and may end
    inside a character."""
    bom = bom_encoding(data)
    if bom:
        return bom
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if b"\x00" in data[:65_536]:
        # Without a BOM this is binary, or UTF-16 we cannot tell from binary: refuse, never guess.
        raise NotText("it contains NUL bytes, so it looks like a binary file, not text")
    _refuse_damaged_utf8(data, first_bad)
    start = next((i for i, byte in enumerate(data) if byte > 127), 0)
    return _likeliest_legacy(data[max(0, start - 256) : start + SAMPLE])


def _refuse_damaged_utf8(data: bytes, first_bad: int) -> None:
    """UTF-8 with a few broken bytes is damaged UTF-8, not a legacy code page: reading it as one
    would garble every other non-ASCII character, so it is refused with where the damage is."""
    decoded = data.decode("utf-8", errors="replace")
    broken = decoded.count("\ufffd")
    intact = sum(1 for ch in decoded if ord(ch) > 127 and ch != "\ufffd")
    if intact > broken:
        raise DamagedUtf8(
            f"it is UTF-8 with {broken} invalid byte(s), the first at byte {first_bad}; "
            "repair the file, or name its encoding with --encoding"
        )


def _single_byte_ascii(encoding: str) -> bool:
    try:
        decoded = bytes(range(256)).decode(encoding, errors="replace")
    except LookupError:
        return False
    return len(decoded) == 256 and decoded[:128] == bytes(range(128)).decode("ascii")


def _likeliest_legacy(sample: bytes) -> str:
    scored = []
    for rank, name in enumerate(_candidates(sample)):
        try:
            score = _implausibility(sample.decode(name))
        except UnicodeDecodeError:
            continue
        if score == 0:
            return name  # flawless, and no later (rarer) candidate could beat it
        scored.append((score, rank, name))
    if not scored:
        raise NotText("its encoding could not be recognised (is it a binary file?)")
    return min(scored)[2]


def _candidates(sample: bytes):
    """Our code pages, then charset-normalizer's guess (asked only if none of ours reads flawlessly)."""
    yield from LEGACY
    library_guess = from_bytes(sample).best()
    if library_guess is not None and library_guess.encoding not in LEGACY and _single_byte_ascii(library_guess.encoding):
        yield library_guess.encoding


def _implausibility(text: str) -> int:
    """How wrong a decoding looks. Real text has words of one script, in regular case, without
    symbols inside them; a wrong code page makes mixed scripts, "рТЙЧЕФ" casing, "Za¿ó³æ"."""
    bad = 0
    for ch in text:
        if ord(ch) > 127 and ch not in _TYPOGRAPHY:
            category = unicodedata.category(ch)
            if category == "Cc" or 0x2500 <= ord(ch) <= 0x259F:  # C1 controls, box drawing
                bad += 3
            elif not category.startswith(("L", "M", "Z")):
                bad += 1
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        scripts = {unicodedata.name(ch, "UNKNOWN").split()[0] for ch in word}
        if len(scripts) > 1:
            bad += 2
        if not (word.islower() or word.isupper() or word.istitle()):
            bad += 2
        if "LATIN" in scripts and len(word) > 2 and sum(not ch.isascii() for ch in word) * 2 > len(word):
            bad += 1  # "Ďđčâĺň": Cyrillic read as Central European
    return bad


def read_decoded(path, encoding: str | None) -> tuple[str | None, str, list[Problem]]:
    """A whole text file decoded (``encoding``, else detected): its text and the encoding used, or None
    with the problem that stopped it; a guessed code page comes with a note saying so."""
    try:
        text, used = decode(path.read_bytes(), encoding)
    except OSError as exc:
        return None, "", [Problem.at(path, None, f"cannot be read: {exc.strerror or exc}")]
    except NotText as exc:
        return None, "", [Problem.at(path, None, f"not imported: {exc}")]
    return text, used, [guess_note(path, used)] if encoding is None and is_guess(used) else []


def guess_note(path, used: str) -> Problem:
    return Problem.note(path, None, f"not UTF-8; read as {used} (a guess: check the text; --encoding names it)")
