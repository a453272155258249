"""What a format module declares about itself: its entry in the format catalogue.

Each module in ``annotator.formats`` (and ``annotator.nlp.docbin``) has a module-level ``ENTRY`` (or
``ENTRIES``, a tuple, when one module reads or writes several shapes). ``services.formats`` gathers them
into the catalogue, which import detection, the file dialogs' filters, the export dialog and the command
line's choices all read: adding a format touches its own module and the catalogue's list only.
"""

from __future__ import annotations

# The type is in core: nlp.docbin declares an entry too, and nlp and formats may not import each other.
from annotator.core.format_entry import (
    ArticleReader,
    Entry,
    Preview,
    Reader,
    RecordTest,
    Sniffer,
    Writer,
    entries_of,
)

__all__ = ["ArticleReader", "Entry", "Preview", "Reader", "RecordTest", "Sniffer", "Writer", "entries_of"]
