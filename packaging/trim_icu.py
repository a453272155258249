"""Rebuild Qt's ICU data library with only the parts Qt uses: 32 MB down to about 3.

    python packaging/trim_icu.py dist/Annotator

Qt 6 links ICU for case mapping, normalisation, collation and legacy text codecs; its own tables do
the rest (locale names and formats come from Qt's CLDR copy, text boundaries from qunicodetools and
libthai). The ICU data library (libicudata.so.NN, one symbol ``icudtNN_dat`` holding a "CmnD" package)
also carries what Qt never asks for: locale display names, currencies, units and time-zone names,
transliteration, number spell-out rules, break-iterator dictionaries and some 200 legacy converters.
Dropping those made room in the 300 MB budget for the article readers (trafilatura, lxml, pypdf...).
A missing item is only ever a "missing resource" status to ICU's caller, never a crash: collation
falls back to the root order, a converter name to "not available". The bundle's self-test runs on
the trimmed library.

Linux only (the Windows and macOS wheels ship ICU differently); needs a C compiler for the new
library. The package format is ICU's common data (ucmndata.h): a data header, a table of contents of
(name offset, data offset) pairs sorted by name, the names, then each item aligned to 16 bytes.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# Items kept, by their path inside the package (after "icudtNNl/"). Everything at the top level that is
# not a locale's own resource bundle: properties (.icu), normalisation (.nrm), string prep (.spp),
# confusables (.cfu), converter aliases, time-zone rules, plural and likely-subtag data; the root and
# English locales; the root collation with its UCA table.
KEEP_PATTERNS = (
    r"[^/]+\.(icu|nrm|spp|cfu)",
    r"(root|en|en_US|en_US_POSIX|en_001|en_GB|res_index|pool)\.res",
    r"(supplementalData|likelySubtags|metadata|zoneinfo64|timezoneTypes|windowsZones|metaZones|numberingSystems"
    r"|plurals|dayPeriods|icuver|icustd|keyTypeData|genderList|grammaticalFeatures|units|currencyNumericCodes)\.res",
    r"coll/(root|res_index|en|ucadata)\.(res|icu)",
)
_KEEP = re.compile("|".join(f"(?:{pattern})" for pattern in KEEP_PATTERNS))


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(the data header, [(item name, item bytes)]) of a little-endian CmnD package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    (count,) = struct.unpack_from("<I", blob, header_size)
    toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_offset, data_offset) in enumerate(toc):
        start = header_size + name_offset
        name = blob[start : blob.index(b"\0", start)].decode("ascii")
        end = toc[index + 1][1] if index + 1 < count else len(blob) - header_size
        items.append((name, blob[header_size + data_offset : header_size + end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    items = sorted(items, key=lambda item: item[0].encode("ascii"))  # ICU looks names up by binary search
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    data_start = _aligned(len(header) + toc_size + len(names)) - len(header)
    name_offsets, data_offsets, body = [], [], bytearray()
    position = toc_size
    for name, _ in items:
        name_offsets.append(position)
        position += len(name) + 1
    position = data_start
    for _, data in items:
        data_offsets.append(position)
        padded = data + b"\0" * (_aligned(len(data)) - len(data))
        body += padded
        position += len(padded)
    toc = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
    )
    gap = b"\0" * (data_start - toc_size - len(names))
    return header + toc + names + gap + bytes(body)


def _aligned(size: int) -> int:
    return (size + 15) // 16 * 16


def kept(items: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return [(name, data) for name, data in items if _KEEP.fullmatch(name.partition("/")[2])]


def symbol(library: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the library's one data symbol, read with nm and readelf."""
    out = subprocess.run(["nm", "-D", "-S", str(library)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^([0-9a-f]+) ([0-9a-f]+) R (icudt\d+_dat)$", out, re.MULTILINE)
    if found is None:
        raise ValueError(f"{library}: no icudtNN_dat symbol")
    address, size, name = int(found.group(1), 16), int(found.group(2), 16), found.group(3)
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], capture_output=True, text=True, check=True).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            return name, address - section_address + section_offset, size
    raise ValueError(f"{library}: no .rodata section")


def build_library(package: bytes, symbol_name: str, soname: str, target: Path) -> None:
    """A shared library exporting ``symbol_name`` as the package, 16-byte aligned as ICU expects."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise SystemExit("trim_icu: no C compiler (cc or gcc) to build the trimmed ICU data library")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "icudata.dat"
        data.write_bytes(package)
        source = Path(folder) / "icudata.S"
        source.write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol_name}\n"
            f"\t.type {symbol_name}, @object\n"
            "\t.balign 16\n"
            f"{symbol_name}:\n"
            f'\t.incbin "{data}"\n'
            f"\t.size {symbol_name}, {len(package)}\n"
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        built = Path(folder) / soname
        subprocess.run([compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", str(built), str(source)],
                       check=True)
        shutil.copyfile(built, target)


def trim(library: Path) -> tuple[int, int]:
    """Replace ``library`` by its trimmed copy; returns (bytes before, bytes after)."""
    before = library.stat().st_size
    name, offset, size = symbol(library)
    raw = library.read_bytes()
    header, items = read_package(raw[offset : offset + size])
    build_library(write_package(header, kept(items)), name, library.name, library)
    return before, library.stat().st_size


def main(argv: list[str] | None = None) -> int:
    bundle = Path((argv or sys.argv[1:])[0])
    if not sys.platform.startswith("linux"):
        return 0
    libraries = sorted(p for p in bundle.rglob("libicudata.so.*") if p.is_file() and not p.is_symlink())
    for library in libraries:
        before, after = trim(library)
        print(f"trim_icu: {library.name} {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
