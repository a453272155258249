"""Exports that carry the registry: native JSONL's ``entity``, the registry JSON, the statements CSV."""

import csv
import json

import pytest

from annotator.core.model import Document, Layer, Relation, Span
from annotator.core.vocabulary import CHECK_WORTHY, NON_FACTUAL, SPEAKER
from annotator.formats import registry_export, statements_csv
from annotator.services import exporting, registry
from annotator.services.exporting import ExportFilter
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans, insert_relations

TEXT = ("Russian Foreign Minister Sergey Lavrov said “=HYPERLINK(1) costs 5 percent more.” "
        "Лавров added that talks went well.")


@pytest.fixture
def registered(monkeypatch):
    """The two formats in the export catalogue, whether or not services.formats lists them yet."""
    for module in (registry_export, statements_csv):
        name = module.ENTRY.name
        if name not in exporting.FORMATS:
            monkeypatch.setitem(exporting.FORMATS, name, module.ENTRY)
        if name not in exporting.EXPORT_FORMATS:
            monkeypatch.setattr(exporting, "EXPORT_FORMATS", [*exporting.EXPORT_FORMATS, name])


@pytest.fixture
def said(project):
    """Lavrov said two things in two articles, one with a check-worthy claim; both mentions are linked."""
    first, second = add_documents(project, [
        Document(TEXT, title="Talks", date="2021-01-13"),
        Document("Lavrov spoke again; he said nothing new.", title="Later", date="2021-02-01"),
    ]).added
    quote = TEXT.index("“") + 1
    lavrov = TEXT.index("Sergey")
    entity, statement, claim = add_spans(project, first.id, [
        Span(0, lavrov + 13, "PERSON"),
        Span(quote, TEXT.index("”"), "STATEMENT", Layer.STATEMENT,
             attributes={"cue": [lavrov + 14, lavrov + 18], "kind": "direct"}),
        Span(quote, TEXT.index("”"), "CLAIM", Layer.CLAIM, attributes={"checkworthiness": CHECK_WORTHY}),
    ])
    cyrillic = add_spans(project, first.id, [Span(TEXT.index("Лавров"), TEXT.index("Лавров") + 6, "PERSON")])[0]
    later = add_spans(project, second.id, [
        Span(0, 6, "PERSON"), Span(28, 40, "STATEMENT", Layer.STATEMENT, attributes={"cue": [23, 27]}),
        Span(28, 40, "CLAIM", Layer.CLAIM, attributes={"checkworthiness": NON_FACTUAL}),
    ])
    with project.writing() as conn:
        insert_relations(conn, first.id, [Relation(statement.uid, entity.uid, SPEAKER)])
        insert_relations(conn, second.id, [Relation(later[1].uid, later[0].uid, SPEAKER)])
    change = registry.confirm(project, [entity.id, cyrillic.id, later[0].id], new_name="Sergey Lavrov", kind="PERSON")
    return change.made[0]


def test_the_registry_export_lists_each_entry_with_aliases_and_counts(project, said, registered, tmp_path):
    target = tmp_path / "registry.json"
    exporting.export(project, target, fmt="registry")
    data = json.loads(target.read_text(encoding="utf-8"))
    [entry] = data["entries"]
    assert data["format"] == "annotator-registry/1"
    assert (entry["name"], entry["kind"], entry["mentions"], entry["statements"], entry["claims"]) == (
        "Sergey Lavrov", "PERSON", 3, 2, 2)
    assert entry["id"] == registry.entries(project)[0].uid
    # one month: the filters apply to the counts
    exporting.export(project, target, fmt="registry", only=ExportFilter(since="2021-01-01", until="2021-01-31"))
    [entry] = json.loads(target.read_text(encoding="utf-8"))["entries"]
    assert (entry["mentions"], entry["statements"], entry["claims"]) == (2, 1, 1)


def test_the_statements_csv_has_a_row_per_statement_ready_for_a_spreadsheet(project, said, registered, tmp_path):
    target = tmp_path / "statements.csv"
    exporting.export(project, target, fmt="statements-csv", only=ExportFilter(suggestions=True))
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by its byte order mark
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    assert [(r["date"], r["title"], r["speaker entry"], r["speaker"], r["cue"]) for r in rows] == [
        ("2021-01-13", "Talks", "Sergey Lavrov", "Russian Foreign Minister Sergey Lavrov", "said"),
        ("2021-02-01", "Later", "Sergey Lavrov", "Lavrov", "said"),
    ]
    # a quote that would run as a formula is kept as text
    assert rows[0]["content"] == "'=HYPERLINK(1) costs 5 percent more."
    assert rows[0]["claims"] == f"'=HYPERLINK(1) costs 5 percent more. [{CHECK_WORTHY}]"
    assert rows[0]["most check-worthy"] == CHECK_WORTHY and rows[0]["kind"] == "direct"
    assert rows[1]["claims"] == f"nothing new. [{NON_FACTUAL}]"


def test_a_formula_never_starts_a_cell():
    assert [statements_csv.safe(v) for v in ("=1+1", "+7", "-2", "@SUM", "\tx", "plain", None)] == [
        "'=1+1", "'+7", "'-2", "'@SUM", "'\tx", "plain", ""]


def test_native_jsonl_names_the_entry_of_each_linked_mention_and_speaker(project, said, tmp_path):
    target = tmp_path / "out.jsonl"
    exporting.export(project, target, fmt="jsonl")
    first, second = (json.loads(line) for line in target.read_text(encoding="utf-8").splitlines())
    uid = registry.entries(project)[0].uid
    assert [e.get("entity") for e in first["entities"]] == [uid, uid]
    assert first["statements"][0]["speaker"]["entity"] == uid
    assert first["registry"] == [{"id": uid, "name": "Sergey Lavrov", "kind": "PERSON", "aliases": []}]
    assert second["entities"][0]["entity"] == uid


def test_native_jsonl_of_a_project_without_a_registry_is_as_before(project, tmp_path):
    add_documents(project, [Document("Lavrov spoke.")])
    target = tmp_path / "out.jsonl"
    exporting.export(project, target, fmt="jsonl")
    assert "registry" not in json.loads(target.read_text(encoding="utf-8"))
