"""PDF and Word files made by a real converter (LibreOffice, headless) from corpus articles.

Each article is written as flat ODF (.fodt: a heading, a date line, the body's paragraphs, its title,
author and creation date in the document's properties), then converted once per session. Without
``soffice`` the tests that need these files skip, or fail where REQUIRE_CORPUS=1 (CI) says they must run.
"""

from __future__ import annotations

import base64
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.conftest import CORPUS, missing, shared_corpus

SOURCES = {
    "seed": "seed/000_9e3e56c2a80dc7e3.txt",
    "boat": "news/wikinews_2019-09-04_Dozens_dead_in_California_boat_fire.txt",
    "mars": "news/wikinews_2019-01-09_Simple_animals_could_live_in_Martian_brines_Wikinews_intervi.txt",
}
AUTHOR = "Wikinews contributors"
TABLE = [("Aboard", "Rescued"), ("39", "5")]  # the Word file's table (boat): people on the Conception


@dataclass
class Article:
    title: str
    date: str
    paragraphs: list[str]  # the body's paragraphs as in the corpus file


@dataclass
class Converted:
    folder: Path
    articles: dict[str, Article] = field(default_factory=dict)

    def __truediv__(self, name: str) -> Path:
        return self.folder / name


def read_article(path: Path) -> Article:
    first, _, body = path.read_text(encoding="utf-8").partition("\n")
    _, day, title = first.split(maxsplit=2)
    return Article(title.strip(), day, [line.strip() for line in body.split("\n") if line.strip()])


def fodt(article: Article, *, break_before: int | None = None, columns: bool = False, narrow: bool = False,
         soft_hyphens: bool = False, table: list[tuple[str, ...]] | None = None, properties: bool = True) -> str:
    """A flat ODF text document: the title as Heading 1, then the paragraphs in Text Body (spaced below,
    as LibreOffice's own style is). ``break_before``: the paragraph a new page starts with; ``columns``: the
    body in a two-column section; ``narrow``: a 2.4-inch justified page; ``soft_hyphens``: long words may
    break in their middle (U+00AD), so some lines end in a hyphenated word; ``properties``: False leaves the
    title, author and date out of the document's properties."""
    paragraphs = []
    for number, text in enumerate(article.paragraphs):
        if soft_hyphens:
            text = re.sub(r"\b([a-z]{4,})([a-z]{4,})\b", "\\1\u00ad\\2", text)
        style = "Break" if number == break_before else "Text_20_body"
        paragraphs.append(f'<text:p text:style-name="{style}">{escape(text)}</text:p>')
        if table and number == 1:
            paragraphs.append(_table(table))
    if columns:
        paragraphs = ['<text:section text:style-name="Columns" text:name="Body">', *paragraphs, "</text:section>"]
    page = ('fo:page-width="2.4in" fo:page-height="8in" fo:margin-left="0.3in" fo:margin-right="0.3in"'
            if narrow else 'fo:page-width="8.5in" fo:page-height="11in" fo:margin-left="1in" fo:margin-right="1in"')
    align = 'fo:text-align="justify"' if narrow else ""
    about = (f"<dc:title>{escape(article.title)}</dc:title><meta:initial-creator>{AUTHOR}</meta:initial-creator>"
             f"<dc:creator>{AUTHOR}</dc:creator><meta:creation-date>{article.date}T12:00:00</meta:creation-date>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NAMESPACES} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta>{about if properties else ""}</office:meta>
<office:styles>
<style:style style:name="Standard" style:family="paragraph"><style:text-properties fo:font-size="12pt"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard"
 style:default-outline-level="1"><style:paragraph-properties fo:margin-bottom="0.15in"/>
<style:text-properties fo:font-size="18pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-top="0in" fo:margin-bottom="0.1in" {align}/></style:style>
</office:styles>
<office:automatic-styles>
<style:style style:name="Break" style:family="paragraph" style:parent-style-name="Text_20_body">
<style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="Columns" style:family="section"><style:section-properties>
<style:columns fo:column-count="2" fo:column-gap="0.3in"/></style:section-properties></style:style>
<style:page-layout style:name="Page"><style:page-layout-properties {page} fo:margin-top="0.5in" fo:margin-bottom="0.5in"/>
</style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="Page"/></office:master-styles>
<office:body><office:text>
<text:h text:style-name="Heading_20_1" text:outline-level="1">{escape(article.title)}</text:h>
{chr(10).join(paragraphs)}
</office:text></office:body></office:document>
"""


_NAMESPACES = " ".join(
    f'xmlns:{prefix}="{uri}"'
    for prefix, uri in {
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
        "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
        "dc": "http://purl.org/dc/elements/1.1/",
        "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
        "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
        "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    }.items()
)


def _table(rows: list[tuple[str, ...]]) -> str:
    cells = "".join(
        "<table:table-row>"
        + "".join(f'<table:table-cell office:value-type="string"><text:p>{escape(cell)}</text:p></table:table-cell>' for cell in row)
        + "</table:table-row>"
        for row in rows
    )
    return f'<table:table table:name="People"><table:table-column table:number-columns-repeated="{len(rows[0])}"/>{cells}</table:table>'


def scan_fodt() -> str:
    """A page holding only a picture, as a scanner makes: grey bars where the lines of print would be."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NAMESPACES} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text><text:p><draw:frame svg:width="6in" svg:height="8in" text:anchor-type="as-char">
<draw:image><office:binary-data>{base64.b64encode(_png(480, 640)).decode()}</office:binary-data></draw:image>
</draw:frame></text:p></office:text></office:body></office:document>
"""


def _png(width: int, height: int) -> bytes:
    """A greyscale PNG: white, with a dark bar every 16 rows (no image library needed)."""
    rows = b"".join(b"\x00" + (b"\x30" if (y // 8) % 2 and y > 40 else b"\xff") * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        missing("LibreOffice (soffice) is not installed: it makes the PDF and Word test files")
    return found


def convert(program: str, target: str, files: list[Path], folder: Path, profile: Path) -> None:
    # A private profile: another soffice running on the machine (or a second test run) holds the
    # default profile's lock, and a conversion then silently writes nothing.
    subprocess.run(
        [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
         "--outdir", str(folder), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )
    for file in files:
        made = folder / f"{file.stem}.{target}"
        assert made.is_file(), f"LibreOffice did not convert {file.name} to {target}"


@pytest.fixture(scope="session")
def converted(tmp_path_factory) -> Converted:
    """seed.pdf (page 2 starts at the body's third paragraph), boat.pdf, boat.docx, table.docx (boat with a
    table after the second paragraph), untitled.docx and .pdf (seed, no properties), mars.pdf (two pages), mars.docx, columns.pdf (mars in two columns), hyphens.pdf
    (boat on a narrow page, words broken at line ends), scanned.pdf (a page image only), encrypted.pdf
    (boat.pdf with a password), broken.pdf (boat.pdf cut short)."""
    shared_corpus()
    program = soffice()
    made = Converted(tmp_path_factory.mktemp("converted"))
    sources = made.folder / "sources"
    sources.mkdir()
    made.articles = {name: read_article(CORPUS / path) for name, path in SOURCES.items()}
    seed, boat, mars = made.articles["seed"], made.articles["boat"], made.articles["mars"]
    documents = {
        "seed": fodt(seed, break_before=2),
        "boat": fodt(boat),
        "mars": fodt(mars),
        "columns": fodt(mars, columns=True),
        "hyphens": fodt(boat, narrow=True, soft_hyphens=True),
        "table": fodt(boat, table=TABLE),
        "untitled": fodt(seed, properties=False),
        "scanned": scan_fodt(),
    }
    for name, text in documents.items():
        (sources / f"{name}.fodt").write_text(text, encoding="utf-8")
    profile = made.folder / "profile"
    pdfs = [sources / f"{name}.fodt" for name in ("seed", "boat", "mars", "columns", "hyphens", "untitled")]
    convert(program, "pdf", pdfs, made.folder, profile)
    words = [sources / f"{name}.fodt" for name in ("boat", "mars", "table", "untitled")]
    convert(program, "docx", words, made.folder, profile)
    convert(program, "pdf", [sources / "scanned.fodt"], made.folder, profile)
    _encrypt(made / "boat.pdf", made / "encrypted.pdf", user="secret", owner="secret")
    _encrypt(made / "boat.pdf", made / "restricted.pdf", user="", owner="owner")
    (made / "broken.pdf").write_bytes((made / "boat.pdf").read_bytes()[:1500])
    return made


def _encrypt(source: Path, target: Path, *, user: str, owner: str) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password=owner)  # RC4: pypdf reads it without `cryptography`
    writer.write(target)
