"""The format catalogue (services.formats): each module declares its entry, and detection, the file
dialogs' filters and the choices all come from the entries. Adding a format is its module plus one
line in MODULES."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.formats.entry import Entry, entries_of
from annotator.services import formats
from annotator.services.documents import list_documents
from annotator.services.importing import import_paths, inputs

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Sergey Lavrov spoke in Yerevan."


def jsonl(*records) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def conllu_row(ident: str, form: str, misc: str = "_") -> str:
    return "\t".join([ident, form, "_", "_", "_", "_", "_", "_", "_", misc])


CONLLU = "\n".join(["# text = Ana spoke.", conllu_row("1", "Ana", "Entity=(1-person-new-sssss-cf1-1-sgl)"),
                    conllu_row("2", "spoke", "SpaceAfter=No"), conllu_row("3", "."), "", ""])
# One file per format, named as people name them; where several formats share a suffix, only the
# content tells them apart.
SAMPLES = {
    "jsonl": ("export.jsonl", jsonl({"format": "annotator/1", "text": TEXT,
                                     "entities": [{"start": 0, "end": 13, "label": "PERSON"}]})),
    "prodigy": ("tasks.jsonl", jsonl({"text": TEXT, "_input_hash": 1, "_task_hash": 2,
                                      "spans": [{"start": 0, "end": 13, "label": "PERSON"}]})),
    "doccano": ("admin.jsonl", jsonl({"text": TEXT, "entities": [
        {"id": 1, "start_offset": 0, "end_offset": 13, "label": "PERSON"}]})),
    "tagged-jsonl": ("tweets.ndjson", jsonl({"tokens": ["Ana", "spoke", "."], "tags": ["B-PER", "O", "O"]})),
    "claims": ("claimbuster.json", json.dumps([{"sentence_id": 1, "text": "Taxes rose by 5% last year.", "label": 1}])),
    "labelstudio": ("project.json", json.dumps([{"data": {"text": TEXT}, "annotations": [{"result": []}]}])),
    "conll": ("eng.testa.tsv", "-DOCSTART- -X- -X- O\n\nAna NNP B-NP B-PER\nspoke VBD B-VP O\n"),
    "conllu": ("GUM_news_ana", CONLLU),  # no suffix: the ten columns tell
    "brat": ("news.ann", "T1\tPERSON 0 13\tSergey Lavrov\n"),
    "articles": ("story.txt", "date 2021-01-13 Talks\n\n" + TEXT + "\n"),
}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_module_declares_entries_with_a_name_of_its_own():
    names = []
    for module in formats.MODULES:
        declared = entries_of(module)
        assert declared, module.__name__
        assert all(isinstance(entry, Entry) for entry in declared), module.__name__
        names += [entry.name for entry in declared]
    assert len(names) == len(set(names)), names
    assert list(formats.FORMATS) == names
    assert formats.NATIVE in formats.EXPORT_FORMATS and formats.ARTICLES in formats.IMPORT_FORMATS
    assert set(formats.IMPORT_FORMATS) == {e.name for e in formats.entries() if e.read is not None}
    assert set(formats.EXPORT_FORMATS) == {e.name for e in formats.entries() if e.write is not None}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_sample_of_each_format_is_detected_as_it(tmp_path, name):
    path = write(tmp_path, *SAMPLES[name])
    assert formats.detect(path) == name


def test_formats_told_by_their_suffix_alone(tmp_path):
    assert formats.detect(write(tmp_path, "test.conll", "Ana B-PER\n")) == "conll"
    assert formats.detect(write(tmp_path, "gum.conllu", CONLLU)) == "conllu"
    assert formats.detect(write(tmp_path, "notes.TEXT", "Just a note.")) == "articles"
    with zipfile.ZipFile(tmp_path / "doccano-export.zip", "w") as archive:
        archive.writestr("admin.jsonl", SAMPLES["doccano"][1])
    assert formats.detect(tmp_path / "doccano-export.zip") == "doccano"


def test_a_real_docbin_is_detected_as_spacy(tmp_path):
    from annotator.core.records import ExportOptions, Record

    path = tmp_path / "train.spacy"
    formats.FORMATS["spacy"].write([Record(Document(TEXT, title="T"), [], [])], path, ExportOptions())
    assert formats.detect(path) == "spacy"


def test_content_decides_where_formats_share_a_suffix_and_the_leftovers_go_where_they_did(tmp_path):
    table = write(tmp_path, "label-studio.csv", "text,annotator,annotation_id,label\n" + TEXT + ",1,7,[]\n")
    assert formats.detect(table) == "labelstudio"
    claims = write(tmp_path, "checkthat.tsv", "tweet_id\ttweet_text\tclass\n1\tTaxes rose by 5%.\t1\n")
    assert formats.detect(claims) == "claims"
    assert formats.detect(write(tmp_path, "plain.jsonl", jsonl({"text": TEXT}))) == "articles"
    # A .json nothing recognised goes to Label Studio's reader, which says what is wrong with it.
    assert formats.detect(write(tmp_path, "odd.json", '{"whatever": 1}')) == "labelstudio"
    assert formats.detect(write(tmp_path, "prices.csv", "a,b\n1,2\n")) in (None, *_csv_readers())
    assert formats.detect(write(tmp_path, "photo.png", "\x89PNG")) is None


def _csv_readers() -> tuple[str, ...]:
    """Article formats added since that take any table (formats.tables): a plain CSV is theirs."""
    return tuple(e.name for e in formats.entries() if e.articles and ".csv" in e.suffixes)


def test_a_brat_folder_is_one_input_and_its_texts_are_not_read_again_as_articles(tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    write(folder, "news.txt", TEXT)
    write(folder, "news.ann", "T1\tPERSON 0 13\tSergey Lavrov\n")
    assert list(inputs([folder], None)) == [(folder, "brat")]
    assert [entry.name for entry in formats.folder_formats()] == ["brat"]


def test_the_import_filter_lists_every_readable_suffix_first_then_each_format(tmp_path):
    groups = formats.import_filter().split(";;")
    every = re.fullmatch(r"All readable files \((.*)\)", groups[0])
    assert every is not None and groups[-1] == "All files (*)"
    listed = set(every.group(1).split())
    for entry in formats.entries():
        if entry.read is not None and entry.suffixes:
            assert {f"*{suffix}" for suffix in entry.suffixes} <= listed, entry.name
            assert entry.file_filter() in groups, entry.name
    assert {"*.txt", "*.jsonl", "*.json", "*.ann", "*.conll", "*.conllu", "*.spacy", "*.zip"} <= listed
    assert formats.export_filter("labelstudio").startswith("Label Studio JSON (*.json)")


def test_previews_show_the_first_lines_and_records_as_plain_text(tmp_path):
    story = write(tmp_path, "story.txt", "".join(f"line {n}\n" for n in range(40)))
    shown = formats.FORMATS["articles"].preview(story)
    assert shown.startswith("line 0\nline 1\n") and "line 30" not in shown
    records = write(tmp_path, "many.jsonl", jsonl(*({"text": f"Article {n}.", "meta": {}} for n in range(20))))
    shown = formats.FORMATS["articles"].preview(records)
    assert "Article 0." in shown and "Article 4." in shown and "Article 5." not in shown
    bad = write(tmp_path, "bad.jsonl", "{not json\n")
    assert "not valid JSON" in formats.FORMATS["jsonl"].preview(bad)


def _fake_module(found: list[Path]) -> types.SimpleNamespace:
    def read(path: Path, options):
        found.append(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                yield Document(line.strip(), title=f"Note {number}", source=path.name)
            else:
                yield Problem.at(path, number, "blank note")

    def sniff(path: Path) -> bool:
        return path.read_text(encoding="utf-8").startswith("NOTES")

    return types.SimpleNamespace(ENTRIES=(
        Entry(name="notes", title="Field notes", suffixes=(".fieldnotes",), read=read, articles=True),
        # Shares .jsonl, ranked before every other reader of it: its sniffer is asked first.
        Entry(name="notes-jsonl", title="Field notes in JSON Lines", suffixes=(".jsonl",), read=read,
              sniff=sniff, rank=1, articles=True),
    ))


def test_a_module_added_to_the_catalogue_is_detected_listed_and_imported(project, tmp_path, monkeypatch):
    found: list[Path] = []
    monkeypatch.setattr(formats, "MODULES", (*formats.MODULES, _fake_module(found)))
    notes = write(tmp_path, "trip.fieldnotes", "Ana met Lavrov.\n\nThey spoke of wheat.\n")
    shared = write(tmp_path, "trip.jsonl", "NOTES from the trip\n")
    assert formats.detect(notes) == "notes" and formats.detect(shared) == "notes-jsonl"
    assert formats.detect(write(tmp_path, "plain.jsonl", jsonl({"text": TEXT}))) == "articles"
    groups = formats.import_filter().split(";;")
    assert "*.fieldnotes" in groups[0] and "Field notes (*.fieldnotes)" in groups

    report = import_paths(project, [notes])
    assert found == [notes]
    assert report.added == 2
    assert [p.line for p in report.errors] == [2]
    assert sorted(d.title for d in list_documents(project)) == ["Note 1", "Note 3"]


def test_the_catalogue_loads_without_spacy():
    code = "import sys, annotator.services.formats; print('spacy' in sys.modules, 'numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_services_and_the_window_name_no_format_to_decide_by_it():
    """Formats are chosen by their entries' facts, never by comparing a name (services.formats alone knows them)."""
    names = "|".join(re.escape(name) for name in sorted(formats.FORMATS, key=len, reverse=True))
    quoted = rf"""["'](?:{names})["']"""
    patterns = [
        re.compile(rf"[=!]=\s*{quoted}"),
        re.compile(rf"{quoted}\s*[=!]="),
        re.compile(rf"\bin\s*[(\[{{][^)\]}}]*{quoted}"),  # fmt in ("spacy", "brat")
        re.compile(rf"""["']\.\w+["']\s*:\s*{quoted}"""),  # ".ann": "brat"
    ]
    files = [*sorted((ROOT / "annotator" / "services").glob("*.py")), *sorted((ROOT / "annotator" / "ui").glob("*.py"))]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files if path != ROOT / "annotator" / "services" / "formats.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(pattern.search(line) for pattern in patterns)
    ]
    assert found == []
    assert len(files) > 20  # the folders were found
