"""The catalogue of interchange formats: what each is called, where it writes, how it is recognised."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import Problem
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record
from annotator.formats import brat, claims, conll, conllu, doccano, labelstudio, native, prodigy, tagged_jsonl


# spaCy takes a second to import: the DocBin functions load it only when they are used.
def _docbin_write(records: Iterable[Record], target: Path, options: ExportOptions) -> list[Problem]:
    from annotator.nlp import docbin

    return docbin.write(records, target, options)


def _docbin_read(path: Path, options: ImportOptions) -> Iterator[Imported | Problem]:
    from annotator.nlp import docbin

    return docbin.read(path, options)


def _docbin_sniff(path: Path) -> bool:
    from annotator.nlp import docbin

    return docbin.sniff(path)


Writer = Callable[[Iterable[Record], Path, ExportOptions], list[Problem]]
Reader = Callable[[Path, ImportOptions], Iterator[Imported | Problem]]


@dataclass(frozen=True)
class Format:
    name: str  # on the command line
    title: str  # in the GUI
    suffix: str  # of the file written; "" for a folder
    write: Writer | None = None
    read: Reader | None = None
    sniff: Callable[[Path], bool] | None = None  # True if a file's content is in this format
    tokens: bool = False  # the writer needs the project's tokenizer
    keeps: str = ""  # what an export in it holds, in a line (docs/formats.md has the whole story)
    # It can mark a model's suggestion as not yet reviewed. One that cannot would make it look like a
    # checked label, so unreviewed suggestions are left out of it unless asked for.
    marks_suggestions: bool = False


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "jsonl", "Annotator JSONL (everything)", ".jsonl", native.write, native.read, native.sniff,
            marks_suggestions=True,
            keeps="Everything: all layers, links, attributes, origins, states, statuses and document labels.",
        ),
        Format(
            "prodigy", "Prodigy JSONL", ".jsonl", prodigy.write, prodigy.read, prodigy.sniff, tokens=True,
            # Our state/source keys say "suggested", but Prodigy trains on every span of an accepted
            # task as gold: to Prodigy's own tools they would be checked labels.
            marks_suggestions=False,
            keeps="Spans on tokens; links as relations; attributes in an extra key; document labels as accept.",
        ),
        Format(
            "doccano", "doccano JSONL (entities and relations)", ".jsonl", doccano.write, doccano.read, doccano.sniff,
            keeps="Spans, links, document labels (cats); attributes in an extra key. Origins, review states are lost.",
        ),
        Format(
            "doccano-seq", "doccano JSONL (sequence labelling)", ".jsonl", doccano.write_labels, doccano.read,
            keeps="Spans and labels only: no links, no attributes.",
        ),
        Format(
            "spacy", "spaCy DocBin", ".spacy", _docbin_write, _docbin_read, _docbin_sniff,
            keeps="Entities in doc.ents; statements, cues, claims in span groups; doc.cats; the rest in user_data.",
        ),
        Format(
            "conll", "CoNLL-2003 (IOB)", ".conll", conll.write, conll.read, conll.sniff, tokens=True,
            keeps="Entities only, on tokens; statements, claims, document labels, overlapping entities and labels with "
            "spaces are listed as left out.",
        ),
        Format(
            "brat", "brat standoff (folder)", "", brat.write, brat.read, brat.sniff, marks_suggestions=True,
            keeps="Spans, links, attributes and notes: a .txt and an .ann file per document.",
        ),
        Format(
            "labelstudio", "Label Studio JSON", ".json", labelstudio.write, labelstudio.read, labelstudio.sniff,
            marks_suggestions=True,
            keeps="Spans, links, attributes and document choices; unreviewed suggestions as predictions.",
        ),
        Format("conllu", "CoNLL-U with entities (GUM)", ".conllu", None, conllu.read, conllu.sniff),
        Format("tagged-jsonl", "JSONL with tokens and BIO tags", ".jsonl", None, tagged_jsonl.read, tagged_jsonl.sniff),
        Format("claims", "Sentence-level claims (ClaimBuster, CheckThat!, CSV/TSV/JSONL)", ".json", None, claims.read,
               claims.sniff),
    )
}
EXPORT_FORMATS = [name for name, f in FORMATS.items() if f.write is not None]
IMPORT_FORMATS = [name for name, f in FORMATS.items() if f.read is not None]
