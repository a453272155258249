"""The registry travels with the work: a native JSONL export imported into a new project, and a merge of
another analyst's project file or export, bring the entries, their aliases and the confirmed links."""

import json

import pytest

from annotator.core.model import Document, Layer, Relation, Span
from annotator.core.vocabulary import SPEAKER
from annotator.services import exporting, registry
from annotator.services.importing import import_paths
from annotator.services.merging import merge
from annotator.store.documents import add_documents
from annotator.store.project import open_project
from annotator.store.spans import add_spans, insert_relations

TALKS = "Russian Foreign Minister Sergey Lavrov said talks in Yerevan went well. Лавров added nothing."
LATER = "Lavrov spoke again on Friday."


@pytest.fixture
def lavrov(project):
    """Two articles mention Sergey Lavrov (three mentions); he said one statement; an analyst confirmed all."""
    talks, later = add_documents(project, [Document(TALKS, title="Talks", date="2021-01-13"),
                                           Document(LATER, title="Later", date="2021-02-01")]).added
    start = TALKS.index("Sergey")
    full, said, cyrillic = add_spans(project, talks.id, [
        Span(start, start + 13, "PERSON", annotator="ana"),
        Span(TALKS.index("talks"), TALKS.index("well") + 4, "STATEMENT", Layer.STATEMENT, annotator="ana",
             attributes={"cue": [start + 14, start + 18], "kind": "indirect"}),
        Span(TALKS.index("Лавров"), TALKS.index("Лавров") + 6, "PERSON", annotator="ana"),
    ])
    [short] = add_spans(project, later.id, [Span(0, 6, "PERSON", annotator="ana")])
    with project.writing() as conn:
        insert_relations(conn, talks.id, [Relation(said.uid, full.uid, SPEAKER)])
    entry_id = registry.create_entry(project, "Sergey Lavrov", "PERSON", ["Lavrov", "Лавров"]).made[0]
    registry.confirm(project, [full.id, cyrillic.id, short.id], entry_id=entry_id, annotator="ana")
    return project


def exported(project, tmp_path):
    target = tmp_path / "lavrov.jsonl"
    exporting.export(project, target, fmt="jsonl")
    return target


def described(project):
    """What a person sees in the registry: each entry with its aliases and counts, and what it appears in."""
    found = []
    for entry in registry.entries(project):
        rows = registry.appearances(project, entry.id)
        found.append(((entry.uid, entry.name, entry.kind, entry.aliases),
                      (entry.mentions, entry.statements, entry.claims),
                      sorted((row.kind, row.title, row.text, row.speaker) for row in rows)))
    return found


@pytest.fixture
def other(tmp_path):
    opened = []

    def make(name):
        opened.append(open_project(tmp_path / f"{name}.annotator.sqlite"))
        return opened[-1]

    yield make
    for project in opened:
        project.close()


def test_an_export_imported_into_a_new_project_brings_the_entry_and_every_link(lavrov, other, tmp_path):
    expected = described(lavrov)
    assert expected[0][0][1:] == ("Sergey Lavrov", "PERSON", ("Lavrov", "Лавров")) and expected[0][1] == (3, 1, 0)
    target = exported(lavrov, tmp_path)
    fresh = other("fresh")

    report = import_paths(fresh, [target])
    assert report.ok, report.problems
    assert (report.registry_entries, report.registry_aliases, report.registry_links) == (1, 0, 3)
    assert "registry: 1 new entry, 0 new alias(es), 3 link(s)" in report.summary()
    assert described(fresh) == expected
    [entry] = registry.entries(fresh)
    [statement] = registry.appearances(fresh, entry.id, kinds=("statement",))
    assert (statement.title, statement.speaker, statement.cue) == ("Talks", "Sergey Lavrov", "said")

    again = import_paths(fresh, [target])
    assert (again.added, again.spans, again.registry_entries, again.registry_aliases, again.registry_links) == (
        0, 0, 0, 0, 0)
    assert "registry" not in again.summary() and not again.problems
    assert described(fresh) == expected


def test_a_broken_entity_is_reported_by_line_and_the_rest_is_imported(lavrov, other, tmp_path):
    target = exported(lavrov, tmp_path)
    first, second = target.read_text(encoding="utf-8").splitlines()
    record = json.loads(first)
    record["entities"][0]["entity"] = {"uid": "?"}  # Sergey Lavrov's own mention, which also speaks
    del record["statements"][0]["speaker"]["entity"]
    target.write_text(json.dumps(record, ensure_ascii=False) + "\n" + second + "\n", encoding="utf-8")
    fresh = other("fresh")

    report = import_paths(fresh, [target])
    [problem] = report.problems
    assert problem.line == 1 and "expected 'entity' to be the id (a string) of a registry entry" in problem.message
    assert str(target) in str(problem)
    assert report.added == 2 and report.spans == 4 and report.registry_links == 2
    [entry] = registry.entries(fresh)
    assert (entry.mentions, entry.statements) == (2, 0)
    assert sorted(a.text for a in registry.appearances(fresh, entry.id)) == ["Lavrov", "Лавров"]


def test_an_analysts_own_link_is_never_overwritten_by_an_import(lavrov, other, tmp_path):
    target = exported(lavrov, tmp_path)
    fresh = other("fresh")
    import_paths(fresh, [target])
    [entry] = registry.entries(fresh)
    [short] = [a for a in registry.appearances(fresh, entry.id) if a.text == "Lavrov"]
    registry.confirm(fresh, [short.span_id], new_name="Lavrov the elder", kind="PERSON", annotator="bo")
    wanted = described(fresh)

    report = import_paths(fresh, [target])
    [warning] = report.warnings
    assert warning.line == 2 and "'Lavrov'" in warning.message and "'Lavrov the elder'" in warning.message
    assert "the project's link is kept" in warning.message
    assert report.registry_links == 0 and described(fresh) == wanted


def test_a_new_name_for_an_entry_the_project_has_becomes_an_alias(lavrov, other, tmp_path):
    target = exported(lavrov, tmp_path)
    record = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    record[1]["registry"][0]["aliases"].append("S. V. Lavrov")
    fresh = other("fresh")
    import_paths(fresh, [target])
    target.write_text("".join(json.dumps(r) + "\n" for r in record), encoding="utf-8")

    report = import_paths(fresh, [target])
    assert (report.registry_entries, report.registry_aliases, report.registry_links) == (0, 1, 0)
    assert registry.entries(fresh)[0].aliases == ("Lavrov", "S. V. Lavrov", "Лавров")


@pytest.mark.parametrize("source", ["project file", "JSONL export"])
def test_a_merge_brings_the_registry_once(lavrov, other, tmp_path, source):
    expected = described(lavrov)
    theirs = lavrov.path if source == "project file" else exported(lavrov, tmp_path)
    third = other("third")

    report = merge(third, theirs)
    assert report.kind == source
    assert (report.registry_entries, report.registry_aliases, report.registry_links) == (1, 0, 3)
    assert "registry: 1 new entry, 0 new alias(es), 3 link(s)" in report.summary()
    assert described(third) == expected

    again = merge(third, theirs)
    assert again.new == 0 and (again.registry_entries, again.registry_aliases, again.registry_links) == (0, 0, 0)
    assert described(third) == expected


def test_a_merge_keeps_the_projects_own_links(lavrov, other, tmp_path):
    third = other("third")
    merge(third, lavrov.path)
    [entry] = registry.entries(third)
    [short] = [a for a in registry.appearances(third, entry.id) if a.text == "Lavrov"]
    registry.unlink(third, [short.span_id])
    registry.confirm(third, [short.span_id], new_name="Lavrov the elder", kind="PERSON", annotator="bo")
    wanted = described(third)

    report = merge(third, lavrov.path)
    assert report.new == 0 and described(third) == wanted
    assert any("'Lavrov' is linked to 'Lavrov the elder'" in w and "kept" in w for w in report.warnings)


def test_a_project_files_entries_nobody_linked_come_along_too(lavrov, other):
    registry.create_entry(lavrov, "Armenian Foreign Ministry", "ORG", ["Armenia's Foreign Ministry"])
    third = other("third")
    report = merge(third, lavrov.path)
    assert report.registry_entries == 2
    assert [(e.name, e.kind, e.aliases, e.mentions) for e in registry.entries(third)] == [
        ("Armenian Foreign Ministry", "ORG", ("Armenia's Foreign Ministry",), 0),
        ("Sergey Lavrov", "PERSON", ("Lavrov", "Лавров"), 3),
    ]
