"""After PyInstaller: strip debug symbols from the extension modules and put the licence texts on top.

    python packaging/finish_bundle.py dist/Annotator

Only ``strip --strip-debug``, only on Linux, and only on Python extension modules (``*.cpython-*.so``,
``*.abi3.so``) and on other libraries that carry DWARF sections (here: a libpython built by pyenv,
23 MB of which 18 are debug info), never on the libraries auditwheel patched (``*.libs/`` folders):
PyInstaller's own ``--strip`` strips every library and then the bundle fails to load numpy's OpenBLAS
("ELF load command address/offset not page-aligned").
On macOS the libraries are code-signed by PyInstaller, so they are left alone; Windows DLLs carry
no DWARF to strip.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

EXTENSIONS = ("*.cpython-*.so", "*.abi3.so")


def internal(bundle: Path) -> Path:
    """Where PyInstaller 6 puts everything but the executables."""
    return bundle / "_internal" if (bundle / "_internal").is_dir() else bundle


def strip_debug(bundle: Path) -> tuple[int, int]:
    """strip --strip-debug every extension module; returns (files, bytes saved)."""
    strip = shutil.which("strip")
    if strip is None:
        print("finish_bundle: no 'strip' here; debug symbols stay", file=sys.stderr)
        return 0, 0
    files = {p for pattern in EXTENSIONS for p in bundle.rglob(pattern) if p.is_file() and not p.is_symlink()}
    files |= {p for p in bundle.rglob("*.so*") if _other_library_with_debug_info(p)}
    files = sorted(p for p in files if not any(part.endswith(".libs") for part in p.parts))
    before = sum(p.stat().st_size for p in files)
    for batch in range(0, len(files), 200):
        subprocess.run([strip, "--strip-debug", *map(str, files[batch : batch + 200])], check=True)
    after = sum(p.stat().st_size for p in files)
    return len(files), before - after


def _other_library_with_debug_info(path: Path) -> bool:
    if not path.is_file() or path.is_symlink() or any(path.match(pattern) for pattern in EXTENSIONS):
        return False
    with path.open("rb") as f:
        if f.read(4) != b"\x7fELF":
            return False
    sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True, text=True).stdout
    return ".debug_info" in sections


def licences_on_top(bundle: Path) -> Path | None:
    """A copy of _internal/licenses/ as licenses/ beside the executable, where people look for it
    (the app itself reads the one inside, sys._MEIPASS/licenses)."""
    source = internal(bundle) / "licenses"
    if not source.is_dir() or source == bundle / "licenses":
        return None
    target = bundle / "licenses"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the onedir bundle, e.g. dist/Annotator")
    args = parser.parse_args(argv)
    if not args.bundle.is_dir():
        parser.error(f"{args.bundle} is not a folder")
    if sys.platform.startswith("linux"):
        files, saved = strip_debug(args.bundle)
        print(f"finish_bundle: stripped debug symbols from {files} libraries, {saved / 1e6:.0f} MB saved")
    if sys.platform != "darwin":
        target = licences_on_top(args.bundle)
        if target is not None:
            folders = sum(1 for p in target.iterdir() if p.is_dir())
            print(f"finish_bundle: licence texts of {folders} components in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
