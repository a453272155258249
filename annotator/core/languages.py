"""Which language a document is in: the one its source names, else a guess from its script.

The guess reads only which writing system the letters are in, offline and without a dependency: Hebrew
letters mean Hebrew, Thai letters Thai, Armenian letters Armenian. Some scripts serve several languages
(Arabic letters also write Persian and Urdu, Cyrillic Ukrainian and Bulgarian, Devanagari Marathi and
Nepali): those get the script's most common news language, which the source's own field overrides.
Latin letters say nothing about the language (English, French, Turkish...): they get the project's default
language. What a pipeline is for is spaCy's ``nlp.lang`` (the same codes: ISO 639-1 where there is one).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from typing import Any

DEFAULT_LANGUAGE = "en"
# The statement and claim rules (nlp.statements, nlp.claims) read English: its speech verbs' lemmas, its
# pronouns, the dependency labels and tags en_core_web_sm gives it. Other languages get those layers only
# from components trained for them.
RULES_LANGUAGE = "en"
LATIN = "latin"
SAMPLE = 4_000  # characters read to guess: enough letters to outvote quoted names in another script

# (first, last code point, script or language). Scripts that write one language name it directly.
_RANGES = sorted([
    (0x0041, 0x005A, LATIN), (0x0061, 0x007A, LATIN), (0x00C0, 0x024F, LATIN), (0x1E00, 0x1EFF, LATIN),
    (0x0370, 0x03FF, "el"), (0x1F00, 0x1FFF, "el"),
    (0x0400, 0x052F, "ru"),
    (0x0530, 0x058F, "hy"), (0xFB13, 0xFB17, "hy"),
    (0x0590, 0x05FF, "he"), (0xFB1D, 0xFB4F, "he"),
    (0x0600, 0x06FF, "ar"), (0x0750, 0x077F, "ar"), (0x08A0, 0x08FF, "ar"), (0xFB50, 0xFDFF, "ar"),
    (0xFE70, 0xFEFF, "ar"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0A80, 0x0AFF, "gu"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"),
    (0x0D00, 0x0D7F, "ml"),
    (0x0D80, 0x0DFF, "si"),
    (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"),
    (0x0F00, 0x0FFF, "bo"),
    (0x1000, 0x109F, "my"),
    (0x10A0, 0x10FF, "ka"),
    (0x1200, 0x137F, "am"),
    (0x1780, 0x17FF, "km"),
    (0x1100, 0x11FF, "ko"), (0x3130, 0x318F, "ko"), (0xAC00, 0xD7AF, "ko"),
    (0x3040, 0x30FF, "kana"), (0x31F0, 0x31FF, "kana"), (0xFF66, 0xFF9F, "kana"),
    (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xF900, 0xFAFF, "han"), (0x20000, 0x2FA1F, "han"),
])
_STARTS = [first for first, _, _ in _RANGES]

NAMES = {
    "en": "English", "he": "Hebrew", "ar": "Arabic", "th": "Thai", "hi": "Hindi", "hy": "Armenian",
    "ru": "Russian", "zh": "Chinese", "ko": "Korean", "ja": "Japanese", "el": "Greek", "bn": "Bengali",
    "pa": "Punjabi", "gu": "Gujarati", "ta": "Tamil", "te": "Telugu", "kn": "Kannada", "ml": "Malayalam",
    "si": "Sinhala", "lo": "Lao", "bo": "Tibetan", "my": "Burmese", "ka": "Georgian", "am": "Amharic",
    "km": "Khmer", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "uk": "Ukrainian", "fa": "Persian", "ur": "Urdu",
    "xx": "multi-language",
}
_CODE = re.compile(r"[a-z]{2,3}")
_ASCII = re.compile(r"[\x00-\x7f]+")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
META_KEYS = ("language", "lang")  # a source's own field, in meta or (JSONL articles) beside the text


def _script(char: str) -> str | None:
    point = ord(char)
    at = bisect_right(_STARTS, point) - 1
    if at >= 0 and point <= _RANGES[at][1]:
        return _RANGES[at][2]
    return None


def detect_language(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The language the letters of ``text`` are written for (see the module's docstring); ``default`` for
    Latin letters or none at all."""
    sample = text[:SAMPLE]
    if sample.isascii():  # most news: decided at C speed (a character a time took 3.5 s for 1,000 pages)
        return default
    counts = Counter(script for script in map(_script, _ASCII.sub("", sample)) if script is not None)
    latin = len(_ASCII_LETTERS.findall(sample))
    if latin:
        counts[LATIN] += latin
    if not counts:
        return default
    kana, han = counts.pop("kana", 0), counts.pop("han", 0)
    if kana + han:
        counts["cjk"] = kana + han
    script = counts.most_common(1)[0][0]
    if script == LATIN:
        return default
    if script == "cjk":  # Japanese mixes kana with its Han characters; Chinese has none
        return "ja" if kana * 10 >= kana + han else "zh"
    return script


def normalised(value: Any) -> str | None:
    """A language code as a source may give it ("he", "HE", "he-IL", "en_US") as spaCy's code ("he"),
    or None if it is not one."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if _CODE.fullmatch(code) else None


def given_language(meta: Mapping[str, Any]) -> str | None:
    """The language a document's source named in its meta (``language`` or ``lang``), or None."""
    for key in META_KEYS:
        code = normalised(meta.get(key))
        if code is not None:
            return code
    return None


def language_of(meta: Mapping[str, Any], text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The source's own language field if it has one, else the guess from the text's script."""
    return given_language(meta) or detect_language(text, default)


def checked_language(value: str) -> str:
    """A language code typed by a person, or ValueError saying what one looks like."""
    code = normalised(value)
    if code is None or code != value.strip().lower():
        raise ValueError(f"'{value}' is not a language code: expected two or three letters as spaCy names "
                         f"languages (en, he, ar, hi, th, hy, zh, ...)")
    return code


def described(code: str) -> str:
    """'he (Hebrew)' for a list; the code alone when its name is not known here."""
    name = NAMES.get(code)
    return f"{code} ({name})" if name else code
