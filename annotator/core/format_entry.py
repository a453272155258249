"""What a format module declares about itself: its entry in the format catalogue.

Each module in ``annotator.formats`` (and ``annotator.nlp.docbin``) has a module-level ``ENTRY`` (or
``ENTRIES``, a tuple, when one module reads or writes several shapes). ``services.formats`` gathers them
into the catalogue, which import detection, the file dialogs' filters, the export dialog and the command
line's choices all read: adding a format touches its own module and the catalogue's list only.

The type lives in core because both ``formats`` and ``nlp`` (spaCy's DocBin) declare entries and neither
may import the other; ``annotator.formats.entry`` is where format modules take it from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.records import ExportOptions, ImportOptions, Record

Writer = Callable[[Iterable[Record], Path, ExportOptions], list[Problem]]
# Annotated formats yield Imported records; article formats (articles=True) yield plain Documents.
Reader = Callable[[Path, ImportOptions], Iterator[Any]]
ArticleReader = Callable[[Path, ImportOptions], Iterator[Document | Problem]]
Sniffer = Callable[[Path], bool]  # True if a file's content is in this format
Preview = Callable[[Path], str]  # a few plain-text lines about what a file holds, before importing it
RecordTest = Callable[[dict[str, Any]], bool]  # True if one JSON record has this format's shape


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
    # in ``rank`` order (an entry without a sniffer takes every file it is offered).
    suffixes: tuple[str, ...] = ()
    rank: int = 100  # lower sniffs first among the entries sharing a suffix
    # Its sniffer is tried on files whose suffix no entry claims, or that none of the entries claiming
    # their suffix recognised (CoNLL in a .tsv).
    sniff_any_suffix: bool = False
    articles: bool = False  # read yields Documents (articles without annotations), not Imported records
    reads_folders: bool = False  # a folder is one input (brat: .txt beside .ann)
    tokens: bool = False  # the writer needs the project's tokenizer
    keeps: str = ""  # what an export in it holds, in a line (docs/formats.md has the whole story)
    # It can mark a model's suggestion as not yet reviewed. One that cannot would make it look like a
    # checked label, so unreviewed suggestions are left out of it unless asked for.
    marks_suggestions: bool = False
    preview: Preview | None = None
    columns: bool = False  # a table: its columns are mapped to text, title, date, id and metadata first
    # One file takes tens of milliseconds to read (a web page's extraction, a PDF's layout): many of them
    # are read in other processes, one per core (services.reading_elsewhere).
    slow: bool = False
    # Of its suffixes, those it reads when no sniffer sharing them recognised the file: its reader then
    # says what is wrong with it (a .json is taken for Label Studio's export).
    fallback: tuple[str, ...] = ()
    # One JSON Lines record has its shape: a JSON Lines file read as another format (or as plain
    # articles) is checked record by record against it, so annotations are never lost unsaid.
    looks_like: RecordTest | None = None
    splits: bool = False  # it can write a dev share of the documents too, into a folder (spaCy)
    # Its export holds one file per person, each naming nobody (doccano's members' files): one such file
    # imported alone is said to merge into what the project holds.
    files_per_person: bool = False
    # Shown after the preview of an export: what goes with the file (Label Studio's labelling config).
    export_note: Callable[[ExportOptions], str] | None = None
    # Its writer names registry entries (Record.entities, ExportOptions.registry): an export in any other
    # format reads neither the entries nor the links.
    entities: bool = False

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
