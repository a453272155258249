"""packaging/trim_icu.py rebuilds Qt's ICU data library with what Qt uses; the rest of the bundle stays.

The bundle's self-test in CI runs the app on the trimmed library; here the package surgery itself is
checked on the real library PySide6 ships, and Qt is run on the trimmed copy in a child process.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("trim_icu", REPO / "packaging" / "trim_icu.py")
trim_icu = importlib.util.module_from_spec(spec)
spec.loader.exec_module(trim_icu)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the ICU trimming is for Linux bundles")


def _qt_icu() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    found = [path for path in found if not path.is_symlink()]
    if not found:
        pytest.skip("this PySide6 wheel ships no ICU data library")
    return found[0]


def _package(library: Path) -> bytes:
    name, offset, size = trim_icu.symbol(library)
    return library.read_bytes()[offset : offset + size]


def test_a_package_written_back_whole_reads_as_the_same_items():
    header, items = trim_icu.read_package(_package(_qt_icu()))
    again_header, again = trim_icu.read_package(trim_icu.write_package(header, items))
    assert again_header == header
    assert [name for name, _ in again] == sorted(name for name, _ in items)
    assert dict(again) == {name: data + b"\0" * (trim_icu._aligned(len(data)) - len(data)) for name, data in items}


def test_the_trimmed_library_keeps_what_qt_reads_and_is_a_tenth_of_the_size(tmp_path):
    library = tmp_path / _qt_icu().name
    shutil.copyfile(_qt_icu(), library)
    before, after = trim_icu.trim(library)
    assert after < before / 8
    _, items = trim_icu.read_package(_package(library))
    names = {name.partition("/")[2] for name, _ in items}
    _, whole = trim_icu.read_package(_package(_qt_icu()))
    properties = {name.partition("/")[2] for name, _ in whole if name.endswith((".icu", ".nrm", ".spp"))}
    assert "cnvalias.icu" in properties and "nfkc.nrm" in properties
    assert properties <= names  # normalisation, string prep, names, converter aliases: all kept
    for needed in ("root.res", "coll/root.res", "coll/ucadata.icu", "zoneinfo64.res", "likelySubtags.res"):
        assert needed in names
    assert not any(name.startswith(("lang/", "curr/", "translit/", "brkitr/")) for name in names)


def test_qt_collates_and_maps_case_on_the_trimmed_library(tmp_path):
    """A copy of PySide6 whose ICU data is trimmed: sorting and Turkish upper case still work."""
    import PySide6
    import shiboken6

    site = tmp_path / "site"
    shutil.copytree(Path(PySide6.__file__).parent, site / "PySide6", symlinks=True,
                    ignore=shutil.ignore_patterns("Qt6*", "examples", "include", "*.pyi", "translations", "qml"))
    shutil.copytree(Path(shiboken6.__file__).parent, site / "shiboken6", symlinks=True)
    library = site / "PySide6" / "Qt" / "lib" / _qt_icu().name
    trim_icu.trim(library)
    script = (
        "from PySide6.QtCore import QCollator, QLocale\n"
        "c = QCollator(QLocale('de'))\n"
        "print('|'.join(sorted(['Zebra', 'äpfel', 'Apfel', 'zoo'], key=c.sortKey)))\n"
        "print(QLocale('tr').toUpper('istanbul'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    sorted_line, upper = out.stdout.split()
    assert sorted_line == "Apfel|äpfel|Zebra|zoo"
    assert upper == "İSTANBUL"
