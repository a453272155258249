"""Thai, Devanagari, Armenian, Hebrew, Arabic, Chinese, Korean and emoji are drawn with real glyphs, not boxes."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtGui import QFont

from annotator.ui import fonts

REPO = Path(__file__).resolve().parents[2]


def bundle_data():
    spec = importlib.util.spec_from_file_location("packaging_bundle_data", REPO / "packaging" / "bundle_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bundled_folder(tmp_path: Path) -> Path:
    """What the bundle's resources/fonts/ holds: the files bundle_data collects (links to them)."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    for source, dest in bundle_data().fonts():
        assert dest == "resources/fonts"
        (folder / Path(source).name).symlink_to(source)
    return folder


def test_the_bundle_carries_a_font_for_each_family_the_app_registers():
    assert sorted(name for _package, name in bundle_data().FONTS) == sorted(fonts.FAMILIES)


def test_every_script_of_the_corpus_is_drawn_with_real_glyphs_and_system_fonts_are_not_added_twice(qapp, tmp_path):
    # The system has these fonts (make run and CI install them): the bundled copies are not added again.
    assert fonts.register_bundled_fonts(bundled_folder(tmp_path)) == []
    for font in (QFont(), QFont("DejaVu Serif"), QFont("DejaVu Sans", 14, QFont.Weight.Bold)):
        for script, text in fonts.SAMPLES.items():
            assert fonts.unshown(text, font) == [], (script, font.family())


# In a process of its own whose fontconfig knows one Latin font only, like a minimal system.
BARE_SYSTEM = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from annotator.ui import fonts
    print("before", ",".join(fonts.scripts_without_glyphs()))
    print("added", ",".join(fonts.register_bundled_fonts(Path(sys.argv[1]))))
    print("after", ",".join(fonts.scripts_without_glyphs()))
    """
)


def test_on_a_system_without_those_fonts_the_bundled_ones_fill_in(tmp_path):
    system = tmp_path / "system-fonts"
    system.mkdir()
    latin = next(Path("/usr/share/fonts").rglob("NotoSans-Regular.ttf"))  # fonts-noto-core: Latin, Greek, Cyrillic
    (system / latin.name).symlink_to(latin)
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{system}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>'
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", BARE_SYSTEM, str(bundled_folder(tmp_path))],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) if " " in line else (line, "") for line in done.stdout.splitlines())
    assert lines["before"].split(",") == list(fonts.SAMPLES)  # every one of them a box: the test can fail
    assert sorted(lines["added"].split(",")) == sorted(fonts.FAMILIES.values())
    assert lines["after"] == ""
