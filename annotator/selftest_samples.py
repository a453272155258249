"""Small files of every article format, written by the self-test to prove the bundle reads them.

Each sample carries the same sentence, so the self-test can find it in what was imported. The PDF is
written by hand (one page, Helvetica, a text layer) because no library here writes PDF text; the Word
and Excel files by python-docx and openpyxl, which also proves their templates and data are bundled.
"""

from __future__ import annotations

from pathlib import Path

SENTENCE = "Foreign Minister Sergey Lavrov said the talks would resume in March"

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Talks to resume - Example News</title>
<meta property="og:title" content="Talks to resume">
<meta name="date" content="2021-01-13"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Talks to resume</h1>
<p>{SENTENCE}, after a pause of several weeks that both sides blamed on the other.</p>
<p>The ministry did not say where the meetings would take place, nor who would attend them for each side.</p>
<p>Officials in both capitals described the earlier rounds as difficult but useful, and said more work was needed.</p>
</article>
<footer>Copyright Example News. All rights reserved. Subscribe to our newsletter.</footer></body></html>
"""

FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example News</title><link>https://example.org/</link>
<item><title>Talks to resume</title><link>https://example.org/talks</link>
<pubDate>Wed, 13 Jan 2021 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{SENTENCE}, the feed says.&lt;/p&gt;</description></item>
</channel></rss>
"""


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "talks.html", folder / "feed.rss", folder / "talks.pdf", folder / "talks.docx",
               folder / "talks.xlsx"]
    written[0].write_text(PAGE, encoding="utf-8")
    written[1].write_text(FEED, encoding="utf-8")
    written[2].write_bytes(pdf(f"{SENTENCE}, the PDF says."))
    _docx(written[3])
    _xlsx(written[4])
    return written


def pdf(line: str) -> bytes:
    """A one-page PDF whose text layer holds ``line`` (ASCII), with a correct cross-reference table."""
    text = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 11 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Talks to resume) /CreationDate (D:20210113100000Z) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Talks to resume"
    document.add_heading("Talks to resume", level=1)
    document.add_paragraph(f"{SENTENCE}, the Word file says.")
    document.save(str(path))


def _xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["headline", "body", "published"])
    sheet.append(["Talks to resume", f"{SENTENCE}, a table row says.", "2021-01-13"])
    book.save(str(path))
