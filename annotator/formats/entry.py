"""What a format module declares about itself: its entry in the format catalogue.

Each module in ``annotator.formats`` (and ``annotator.nlp.docbin``) has a module-level ``ENTRY`` (or
``ENTRIES``, a tuple, when one module reads or writes several shapes). ``services.formats`` gathers them
into the catalogue, which import detection, the file dialogs' filters, the export dialog and the command
line's choices all read: adding a format touches its own module and the catalogue's list only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record

Writer = Callable[[Iterable[Record], Path, ExportOptions], list[Problem]]
# Annotated formats yield Imported records; article formats (articles=True) yield plain Documents.
Reader = Callable[[Path, ImportOptions], Iterator[Any]]
ArticleReader = Callable[[Path, ImportOptions], Iterator[Document | Problem]]
Sniffer = Callable[[Path], bool]  # True if a file's content is in this format
Preview = Callable[[Path], str]  # a few plain-text lines about what a file holds, before importing it


@dataclass(frozen=True)
class Entry:
    name: str  # on the command line: --format NAME
    title: str  # in the GUI
    suffix: str = ""  # of the file written; "" for a folder (when it writes)
    write: Writer | None = None
    read: Reader | None = None
    sniff: Sniffer | None = None
    # File name endings it reads, lower case with the dot (".html"). A suffix claimed by one entry only
    # decides by itself; where several entries claim one (".jsonl", ".json", ".csv"), their sniffers decide
    # in ``rank`` order.
    suffixes: tuple[str, ...] = ()
    rank: int = 100  # lower sniffs first among the entries sharing a suffix
    sniff_any_suffix: bool = False  # its sniffer is tried on files whose suffix no entry claims (.tsv CoNLL)
    articles: bool = False  # read yields Documents (articles without annotations), not Imported records
    reads_folders: bool = False  # a folder is one input (brat: .txt beside .ann)
    tokens: bool = False  # the writer needs the project's tokenizer
    keeps: str = ""  # what an export in it holds, in a line (docs/formats.md has the whole story)
    # It can mark a model's suggestion as not yet reviewed. One that cannot would make it look like a
    # checked label, so unreviewed suggestions are left out of it unless asked for.
    marks_suggestions: bool = False
    preview: Preview | None = None
    columns: bool = False  # a table: its columns are mapped to text, title, date, id and metadata first

    @property
    def writes_folder(self) -> bool:
        return self.write is not None and self.suffix == ""

    def file_filter(self) -> str:
        """'Saved web page (*.html *.htm)' for a file dialog."""
        patterns = " ".join(f"*{suffix}" for suffix in self.suffixes) or "*"
        return f"{self.title} ({patterns})"


def entries_of(module: Any) -> tuple[Entry, ...]:
    """A format module's entries: its ENTRIES, or its ENTRY alone."""
    found = getattr(module, "ENTRIES", None)
    if found is not None:
        return tuple(found)
    return (module.ENTRY,)
