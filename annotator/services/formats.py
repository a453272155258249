"""The catalogue of formats: every format module's entry, and what import, export, the file dialogs
and the command line read from it.

Each module declares its own entry (annotator.formats.entry): its name, suffixes, how its content is
recognised, what it writes. Adding a format is writing its module and adding the module to MODULES:
detection, the dialogs' filters, the export dialog and ``--format`` all follow.
"""

from __future__ import annotations

from operator import attrgetter
from pathlib import Path

from annotator.formats import articles, brat, claims, conll, conllu, doccano, labelstudio, native, prodigy, tagged_jsonl
from annotator.formats import feeds, pdf, registry_export, statements_csv, tables, web, word
from annotator.formats.entry import Entry, RecordTest, entries_of
from annotator.nlp import docbin  # spaCy loads only when a DocBin is written or read

Format = Entry  # its name before each module declared its own entry

# In the order the export dialog and the command line list them.
MODULES = (native, prodigy, doccano, docbin, conll, brat, labelstudio, conllu, tagged_jsonl, claims, articles,
           web, feeds, pdf, word, tables, registry_export, statements_csv)

NATIVE = native.ENTRY.name  # everything the project holds: the default export
ARTICLES = articles.ENTRY.name  # plain articles, no annotations: what a file nothing else reads is taken for
_RANK = attrgetter("rank")


def entries() -> tuple[Entry, ...]:
    """Every module's entries, in MODULES order. Read at each call, so a module added to MODULES later
    (a test's) counts at once."""
    return tuple(entry for module in MODULES for entry in entries_of(module))


def _by_name(found: tuple[Entry, ...]) -> dict[str, Entry]:
    named: dict[str, Entry] = {}
    for entry in found:
        if entry.name in named:
            raise ValueError(f"two formats are called '{entry.name}'")
        named[entry.name] = entry
    return named


def _reading(found: tuple[Entry, ...]) -> list[Entry]:
    """The entries that read, article formats first (what most imports are)."""
    readers = [entry for entry in found if entry.read is not None]
    return [entry for entry in readers if entry.articles] + [entry for entry in readers if not entry.articles]


FORMATS: dict[str, Entry] = _by_name(entries())
EXPORT_FORMATS = [name for name, entry in FORMATS.items() if entry.write is not None]
IMPORT_FORMATS = [entry.name for entry in _reading(tuple(FORMATS.values()))]


def entry(name: str) -> Entry:
    """The format called ``name`` (KeyError if none is)."""
    found = FORMATS.get(name)
    if found is None:  # a module added to MODULES after the catalogue was built
        found = _by_name(entries()).get(name)
    if found is None:
        raise KeyError(name)
    return found


def detect(path: Path) -> str | None:
    """The name of the format that reads ``path``, a file, from its suffix and, where several formats
    share the suffix, its content; None if no format reads it.

    The one entry claiming a suffix takes the file. Where several do, their sniffers decide in rank
    order (an entry without one takes any file it is offered), then an entry the suffix falls back to.
    A file nothing claimed or recognised is offered to the sniffers that look at any suffix (CoNLL in
    a .tsv)."""
    suffix = path.suffix.lower()
    known = entries()
    claiming = sorted((e for e in known if e.read is not None and suffix in e.suffixes), key=_RANK)
    if len(claiming) == 1:
        return claiming[0].name
    for candidate in claiming:
        if candidate.sniff is None or candidate.sniff(path):
            return candidate.name
    for candidate in claiming:
        if suffix in candidate.fallback:
            return candidate.name
    for candidate in sorted((e for e in known if e.sniff_any_suffix and e not in claiming), key=_RANK):
        if candidate.read is not None and candidate.sniff is not None and candidate.sniff(path):
            return candidate.name
    return None


def folder_formats() -> list[Entry]:
    """The formats that read a whole folder as one input (brat), in rank order."""
    return sorted((e for e in entries() if e.reads_folders and e.read is not None), key=_RANK)


def record_shapes() -> dict[str, RecordTest]:
    """Format name -> the test of one JSON Lines record's shape, in rank order: a JSON Lines file is
    checked against them, so records of another format are never read wrongly unsaid."""
    return {e.name: e.looks_like for e in sorted(entries(), key=_RANK) if e.looks_like is not None}


def import_filter() -> str:
    """The import file dialog's filter: every readable suffix first, then each format's, then all files."""
    readers = [e for e in _reading(entries()) if e.suffixes]
    every = " ".join(dict.fromkeys(f"*{suffix}" for e in readers for suffix in e.suffixes))
    return ";;".join([f"All readable files ({every})", *(e.file_filter() for e in readers), "All files (*)"])


def export_filter(name: str) -> str:
    """The save dialog's filter for an export to one file in format ``name``."""
    chosen = entry(name)
    return f"{chosen.title} (*{chosen.suffix});;All files (*)" if chosen.suffix else "All files (*)"
