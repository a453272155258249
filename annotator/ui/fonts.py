"""Fonts for the scripts the articles are written in: Thai, Devanagari, Armenian, Hebrew, Arabic, CJK, emoji.

Qt draws a character that no font on the system has as an empty box. A desktop system has fonts for
these scripts; a minimal Linux system has DejaVu at most, which covers none of them. So the Linux
bundle carries one font for each (packaging/bundle_data.py copies them from Debian's fonts-noto-core,
fonts-noto-color-emoji and fonts-wqy-microhei into resources/fonts/), and at start each is added to
Qt's application fonts, where Qt's font fallback finds it for the characters the interface font lacks.
A font whose family the system has already is not added again. A checkout has no resources/fonts/:
it uses the system's fonts, which ``make run`` installs (packaging/linux/check-system-libs.sh).
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QTextLayout

from annotator import paths

log = logging.getLogger(__name__)

# The files the bundle carries (packaging/bundle_data.py lists the same names) and their families.
FAMILIES = {
    "NotoSansThai-Regular.ttf": "Noto Sans Thai",
    "NotoSansDevanagari-Regular.ttf": "Noto Sans Devanagari",
    "NotoSansArmenian-Regular.ttf": "Noto Sans Armenian",
    "NotoSansHebrew-Regular.ttf": "Noto Sans Hebrew",
    "NotoSansArabic-Regular.ttf": "Noto Sans Arabic",
    "wqy-microhei.ttc": "WenQuanYi Micro Hei",  # Chinese, Japanese and Korean (Hangul too) in 5 MB
    "NotoColorEmoji.ttf": "Noto Color Emoji",
}
EMOJI_FAMILY = "Noto Color Emoji"

# A few words of each script the corpus has, to check that each is drawn with real glyphs.
SAMPLES = {
    "Thai": "ข่าวภาษาไทย",
    "Devanagari": "हिन्दी समाचार",
    "Armenian": "Հայերեն լուրեր",
    "Hebrew": "חדשות בעברית",
    "Arabic": "أخبار عربية",
    "Chinese": "中文新闻报道",
    "Korean": "한국어 뉴스",
    "emoji": "😀🎉👍",
}


def bundled_fonts_dir() -> Path | None:
    """resources/fonts/ of the bundle, or None (a checkout or an installed package uses the system's fonts)."""
    folder = paths.resources_dir() / "fonts"
    return folder if folder.is_dir() else None


def font_file(name: str) -> Path | None:
    """Where the font file ``name`` is: in the bundle, else (a checkout on Linux) in the system's font folders."""
    folder = bundled_fonts_dir()
    if folder is not None and (folder / name).is_file():
        return folder / name
    for system in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        if system.is_dir():
            found = next(iter(sorted(system.rglob(name))), None)
            if found is not None:
                return found
    return None


def font_version(path: Path) -> str | None:
    """The font's revision from its 'head' table (the first font of a .ttc), e.g. '2.001'."""
    try:
        with path.open("rb") as f:
            start = 0
            if f.read(4) == b"ttcf":
                f.seek(12)
                start = struct.unpack(">I", f.read(4))[0]
            f.seek(start + 4)
            (tables,) = struct.unpack(">H", f.read(2))
            f.seek(start + 12)
            for _ in range(tables):
                tag, _checksum, offset, _length = struct.unpack(">4sIII", f.read(16))
                if tag == b"head":
                    f.seek(offset + 4)
                    (revision,) = struct.unpack(">i", f.read(4))
                    return f"{revision / 65536:.3f}"
    except (OSError, struct.error):
        pass
    return None


def register_bundled_fonts(folder: Path | None = None) -> list[str]:
    """Add the bundled fonts whose family the system lacks to Qt's application fonts; returns the families
    added. Call once the QApplication exists, before the first window. A few ms when the system has them
    all (one look-up per family), ~20 ms for all seven from the bundle."""
    folder = bundled_fonts_dir() if folder is None else folder
    if folder is None:
        return []
    added = []
    for name, family in FAMILIES.items():
        path = folder / name
        if not path.is_file() or QFontDatabase.hasFamily(family):
            continue  # the system's own copy serves, and Qt's fallback already knows it
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("could not load the bundled font %s", path)
            continue
        added.append(family)
        if family == EMOJI_FAMILY:  # emoji sequences are drawn with the emoji families, not by fallback
            QFontDatabase.addApplicationEmojiFontFamily(family)
    if added:
        log.info("bundled fonts added: %s", ", ".join(added))
    return added


def unshown(text: str, font: QFont | None = None) -> list[str]:
    """The parts of ``text`` that Qt draws as empty boxes: for each run of glyphs that no font of the
    system (nor of the application) has, the family of the font tried or "no font". Empty when every
    character is drawn. Needs a QGuiApplication.

    Two kinds of box: glyph 0 (".notdef") of a real font that lacks the character, and Qt's box engine
    when no font at all has it (its glyphs are numbered from 1, and it has no font tables: no 'cmap')."""
    layout = QTextLayout(text, font if font is not None else QFont())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    if text.strip() and not runs:
        return ["no font"]
    missing = []
    for run in runs:
        raw = run.rawFont()
        if not raw.isValid() or raw.fontTable("cmap").isEmpty():
            missing.append("no font")  # the box engine (its familyName() crashes)
        elif 0 in run.glyphIndexes():
            missing.append(raw.familyName())
    return missing


def scripts_without_glyphs(font: QFont | None = None) -> list[str]:
    """Which of SAMPLES' scripts would show empty boxes."""
    return [script for script, text in SAMPLES.items() if unshown(text, font)]
