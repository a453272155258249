"""Export and import through the services, as the CLI and the window use them: real project files."""

from __future__ import annotations

import orjson
import pytest

from annotator.core.model import Layer, State
from annotator.services import exporting, importing
from annotator.services.exporting import ExportFilter, export
from annotator.services.importing import detect, import_paths
from annotator.services.projects import open_location
from tests.services.interchange_data import FIRST, SECOND, annotate, annotations_of


@pytest.fixture
def annotated(any_project):
    annotate(any_project)
    return any_project


def fresh(tmp_path, name="copy"):
    return open_location(str(tmp_path / f"{name}.sqlite"))


def test_native_jsonl_round_trip_keeps_every_annotation_link_and_attribute(annotated, tmp_path):
    target = tmp_path / "all.jsonl"
    report = export(annotated, target)
    assert (report.documents, report.lost) == (3, [])
    copy = fresh(tmp_path)
    imported = import_paths(copy, [target])
    assert imported.ok, imported.problems
    assert imported.added == 3
    assert annotations_of(copy, states=True) == annotations_of(annotated, states=True)
    statement = next(row for row in annotations_of(copy)[FIRST] if row[4] == "\u201cThe talks were useful,\u201d")
    assert dict(statement[5])["cue"] == "said" and dict(statement[6]) == {"speaker": "Sergey Lavrov"}


def test_importing_an_export_again_adds_nothing_twice(annotated, tmp_path):
    target = tmp_path / "all.jsonl"
    export(annotated, target)
    before = annotations_of(annotated)
    report = import_paths(annotated, [target])
    assert report.added == 0 and report.spans == 0
    assert report.already_there == sum(len(rows) for rows in before.values())
    assert annotations_of(annotated) == before


def test_annotations_made_elsewhere_are_merged_onto_the_stored_article(annotated, tmp_path):
    line = {
        "format": "annotator/1",
        "text": SECOND,
        "meta": {"title": "again"},
        "entities": [
            {"id": "e1", "start": SECOND.index("Tuesday"), "end": SECOND.index("Tuesday") + 7, "label": "DATE"}
        ],
    }
    source = tmp_path / "more.jsonl"
    source.write_bytes(orjson.dumps(line) + b"\n")
    report = import_paths(annotated, [source])
    assert (report.added, report.merged, report.spans) == (0, 1, 1)
    assert ("entity", "DATE", "Tuesday") in {(r[0], r[3], r[4]) for r in annotations_of(annotated)[SECOND]}


def test_a_label_the_schema_lacks_is_reported_with_its_line_unless_added(tmp_path):
    source = tmp_path / "other.jsonl"
    lines = [
        {
            "format": "annotator/1",
            "text": "Acme Corp hired Jo.",
            "entities": [
                {"id": "a", "start": 0, "end": 9, "label": "COMPANY"},
                {"id": "b", "start": 16, "end": 18, "label": "PERSON"},
            ],
        },
        {
            "format": "annotator/1",
            "text": "No entities here.",
            "entities": [{"id": "c", "start": 3, "end": 99, "label": "PERSON"}],
        },
    ]
    source.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    project = fresh(tmp_path, "strict")
    report = import_paths(project, [source])
    messages = [str(p) for p in report.errors]
    assert any(m.startswith(f"{source}:1: label 'COMPANY'") for m in messages), messages
    assert any(m.startswith(f"{source}:2:") and "3-99" in m for m in messages), messages
    assert report.added == 2 and report.spans == 1  # the documents and PERSON came in
    loose = fresh(tmp_path, "loose")
    report = import_paths(loose, [source], add_labels=True)
    assert report.new_labels == ["entity:COMPANY"] and report.spans == 2
    from annotator.services.projects import schema_of

    assert schema_of(loose).has_label("COMPANY", Layer.ENTITY)


def test_filters_choose_documents_and_annotations(annotated, tmp_path):
    def exported(only: ExportFilter) -> list[dict]:
        target = tmp_path / "f.jsonl"
        export(annotated, target, only=only)
        return [orjson.loads(line) for line in target.read_bytes().splitlines()]

    assert [r["meta"]["title"] for r in exported(ExportFilter(statuses=frozenset({"done"}), annotator="ana"))] == [
        "Lavrov meets Safadi"
    ]
    assert [r["meta"]["title"] for r in exported(ExportFilter(since="2021-05-05", until="2021-12-31"))] == [
        "Riverton \U0001f600 budget"
    ]
    only_entities = exported(ExportFilter(layers=frozenset({Layer.ENTITY})))
    assert all(not r["statements"] and not r["claims"] and not r["relations"] for r in only_entities)
    reviewed = exported(ExportFilter(suggestions=False))
    assert "Moscow" not in [e["text"] for e in reviewed[0]["entities"]]
    assert "Moscow" in [e["text"] for e in exported(ExportFilter())[0]["entities"]]
    nobody = exported(ExportFilter(annotator="someone else"))
    assert len(nobody) == 3 and all(not r["entities"] for r in nobody)


def test_a_folder_export_replaces_an_earlier_export_but_never_other_files(annotated, tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "notes.docx").write_text("mine")
    with pytest.raises(ValueError, match="not an earlier export"):
        export(annotated, folder, "brat")
    assert (folder / "notes.docx").read_text() == "mine"
    with pytest.raises(ValueError, match="folder"):
        export(annotated, "-", "brat")


def test_formats_are_detected_from_content(tmp_path, corpus):
    headlines = corpus / "annotated/prodigy_news_headlines/annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl"
    assert detect(headlines) == "prodigy"
    assert detect(corpus / "annotated/broad_twitter_corpus/e.stripped.jsonl") == "tagged-jsonl"
    assert detect(corpus / "annotated/prodigy_news_headlines/raw_news-headlines-nyt.jsonl") == "articles"
    assert detect(next((corpus / "annotated/gum_news/conllu").glob("*.conllu"))) == "conllu"
    assert detect(corpus / "annotated/broad_twitter_corpus/e.conll") == "conll"
    doccano = tmp_path / "d.jsonl"
    doccano.write_text('{"text": "Jo ran.", "label": [[0, 2, "PERSON"]]}\n')
    assert detect(doccano) == "doccano"
    assert detect(tmp_path / "x.docx") == "word"  # Word files are articles now
    assert detect(tmp_path / "x.odt") is None  # a suffix no format reads


def test_export_and_import_formats_are_listed_for_the_cli():
    assert set(exporting.EXPORT_FORMATS) >= {"jsonl", "prodigy", "doccano", "spacy", "conll", "brat", "labelstudio"}
    assert set(importing.FORMAT_CHOICES) >= {"articles", "prodigy", "doccano", "brat", "conllu", "spacy", "labelstudio"}


# What each format carries back, as docs/formats.md lists it.
EVERYTHING, SPANS, ENTITY_WORDS = "everything", "spans", "entity words"
ROUND_TRIPS = {
    "jsonl": EVERYTHING,
    "prodigy": EVERYTHING,
    "doccano": EVERYTHING,
    "doccano-seq": SPANS,
    "spacy": EVERYTHING,
    "brat": EVERYTHING,
    "labelstudio": EVERYTHING,
    "conll": ENTITY_WORDS,
}


@pytest.mark.parametrize("fmt", ROUND_TRIPS)
def test_every_format_exports_and_imports_back_the_same_annotations(fmt, project_with_schema, tmp_path):
    annotate(project_with_schema)
    target = tmp_path / ("out" + exporting.FORMATS[fmt].suffix)
    report = export(project_with_schema, target, fmt)  # each format's default choice of suggestions
    assert report.documents == 3 and not report.cancelled
    marks = exporting.FORMATS[fmt].marks_suggestions
    assert bool(report.unreviewed_left_out) is not marks
    copy = fresh(tmp_path)
    back = import_paths(copy, [target], fmt=fmt)
    assert back.ok, [str(p) for p in back.problems]
    carried = ROUND_TRIPS[fmt]
    if carried == ENTITY_WORDS:  # the text is rebuilt from tokens: compare each article's entities by words

        def words(project):
            return sorted(
                sorted((row[3], " ".join(row[4].split())) for row in rows)
                for rows in annotations_of(project, layers=(Layer.ENTITY,), attributes=False).values()
            )

        assert words(copy) == words(_reviewed(project_with_schema, tmp_path))
        return
    # Where the format cannot mark a suggestion as unreviewed, the export holds only reviewed spans.
    source = project_with_schema if marks else _reviewed(project_with_schema, tmp_path)
    original = annotations_of(source, attributes=carried == EVERYTHING)
    if carried == SPANS:
        original = {text: [row[:5] for row in rows] for text, rows in original.items()}
    assert annotations_of(copy, attributes=carried == EVERYTHING) == original


def _reviewed(project, tmp_path):
    """The project without its unreviewed suggestions (what a CoNLL training export holds)."""
    target = tmp_path / "reviewed.jsonl"
    export(project, target, only=ExportFilter(suggestions=False))
    copy = fresh(tmp_path, "reviewed")
    import_paths(copy, [target])
    return copy


@pytest.fixture
def project_with_schema(tmp_path):
    return open_location(str(tmp_path / "source.sqlite"))


def test_unreviewed_suggestions_come_back_as_suggestions(project_with_schema, tmp_path):
    annotate(project_with_schema)
    target = tmp_path / "out.jsonl"
    export(project_with_schema, target)
    copy = fresh(tmp_path)
    import_paths(copy, [target])
    states = {row[4]: row[-1] for row in annotations_of(copy, states=True)[FIRST]}
    assert states["Moscow"] == str(State.SUGGESTED) and states["Sergey Lavrov"] == str(State.ACCEPTED)


def test_annotated_jsonl_with_old_mac_line_ends_is_read_line_by_line(tmp_path):
    lines = [
        {
            "format": "annotator/1",
            "text": "Jo Smith spoke.",
            "entities": [{"id": "a", "start": 0, "end": 8, "label": "PERSON"}],
        },
        {
            "format": "annotator/1",
            "text": "Ann Lee wrote.",
            "entities": [{"id": "b", "start": 0, "end": 40, "label": "PERSON"}],
        },
    ]
    source = tmp_path / "mac.jsonl"
    source.write_bytes(b"\r".join(orjson.dumps(line) for line in lines) + b"\r")
    project = fresh(tmp_path)
    report = import_paths(project, [source])
    assert report.added == 2 and report.spans == 1
    assert [(p.line, "0-40" in p.message) for p in report.errors] == [(2, True)]


def test_gum_conllu_imports_every_nested_mention_on_its_words_where_the_schema_allows_nesting(tmp_path, corpus):
    from dataclasses import replace

    from annotator.services.projects import schema_of
    from annotator.store.labels import save_schema

    project = fresh(tmp_path, "gum")
    save_schema(project, replace(schema_of(project), nested_entities=True))
    files = sorted((corpus / "annotated/gum_news/conllu").glob("*.conllu"))
    report = import_paths(project, files, add_labels=True)
    assert report.ok, [str(p) for p in report.errors][:5]
    assert report.added == len(files) == 24
    openings = sum(
        line.split("Entity=", 1)[1].split("|")[0].count("(")
        for f in files
        for line in f.read_text(encoding="utf-8").splitlines()
        if "Entity=" in line
    )
    # Two mentions of one entity type on the same words are one annotation here.
    assert report.spans + report.already_there == openings
    assert report.already_there < 10
    texts = annotations_of(project, attributes=False)
    assert all(row[4] == row[4].strip() and row[4] for rows in texts.values() for row in rows)


def test_the_broad_twitter_corpus_reports_bad_tweets_by_line_and_imports_the_rest(tmp_path, corpus):
    source = corpus / "annotated/broad_twitter_corpus/e.stripped.jsonl"
    report = import_paths(fresh(tmp_path), [source], add_labels=True)
    assert report.added == 200
    lines = {p.line for p in report.errors}
    assert len(lines) == 44 and all(str(p).startswith(f"{source}:") for p in report.errors)
    assert report.new_labels == ["entity:PER"]  # ORG and LOC are in the news schema already


def test_an_export_clears_what_an_older_version_left_behind_once_an_hour_old(annotated, tmp_path):
    """Temporary names without a process (older versions) cannot tell whether their export still runs.
    Named ones are cleared as soon as their process is gone (tests/services/test_export_targets.py)."""
    import os
    import time

    target = tmp_path / "out.jsonl"
    stale, fresh_part = tmp_path / ".out.jsonl.abc123xy.part", tmp_path / ".out.jsonl.def456xy.part"
    stale.write_text("half an export")
    fresh_part.write_text("an export running now")
    hour_ago = time.time() - 3700
    os.utime(stale, (hour_ago, hour_ago))
    export(annotated, target)
    assert target.is_file() and not stale.exists() and fresh_part.exists()
