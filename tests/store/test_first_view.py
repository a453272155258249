"""The window's first paint is read with plain sqlite3 (store.first_view): it must give exactly what the
project's own reads give once it is open, or the analyst would see one thing and then another."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import replace

import pytest

from annotator.core.model import Layer, Status
from annotator.core.schema import Choice, LabelSet
from annotator.services import annotating, changes, documents, first_view, projects, schema
from annotator.services.schema import change_schema
from annotator.store.first_view import read_first_view
from tests.services.interchange_data import annotate


def rich_project(path):
    """Two annotators, statuses, statements with speakers and cues, a claim, a suggestion, a rejected
    one, document labels, label sets, attributes and nested entities in the schema."""
    project = projects.open_location(str(path))
    ids = annotate(project, "ana")
    stored = schema.schema_of(project)
    sets = (LabelSet("Worth checking", (Choice("yes", "y"), Choice("no", "n"))), LabelSet("Topic", (Choice("politics"),), True))
    change_schema(project, replace(stored, nested_entities=True, label_sets=sets), {})
    stored = schema.schema_of(project)
    ben = annotating.open_annotations(project, ids["first"], "ben", stored)
    for edit in (
        ben.choose_label(stored.label_set("Worth checking"), "yes"),
        ben.choose_label(stored.label_set("Topic"), "politics"),
        ben.reject(next(s for s in ben.visible(Layer.ENTITY) if s.label == "GPE").uid),
        ben.set_status(Status.SKIPPED),
    ):
        annotating.save(project, edit)
        ben.apply(edit)
    second = annotating.open_annotations(project, ids["second"], "ana", stored)
    annotating.save(project, second.set_status(Status.DONE))
    return project, ids


def same_annotations(a, b) -> None:
    assert a.document == b.document
    assert a.spans == b.spans
    assert a.relations == b.relations
    assert a.status == b.status and a.annotator == b.annotator
    assert a.labels == b.labels
    assert a.nested_entities == b.nested_entities


@pytest.mark.parametrize("annotator", ["ana", "ben", "someone new"])
def test_the_first_view_is_what_the_open_project_reads(tmp_path, annotator):
    path = tmp_path / "rich.annotator.sqlite"
    project, ids = rich_project(path)
    view = read_first_view(path, annotator, ids["first"])
    assert view is not None
    try:
        stored = schema.schema_of(project)
        assert view.schema == stored
        assert view.schema.label_sets and view.schema.nested_entities  # the test holds what it compares
        assert view.ids == documents.list_ids(project, annotator=annotator)
        assert view.rows(view.ids) == documents.list_rows(project, view.ids, annotator)
        assert view.rows(view.ids[::-1]) == documents.list_rows(project, view.ids[::-1], annotator)
        shown = annotating.open_annotations(project, ids["first"], annotator, stored)
        same_annotations(view.annotations, shown)
        assert view.annotations.relations and view.annotations.labels  # speakers, cues, document labels
        rows = {row.id: row for row in view.rows(view.ids)}
        assert rows[ids["first"]].labels == ("politics", "yes")
    finally:
        view.connection.close()


def test_a_blind_projects_first_paint_shows_only_ones_own_work_and_the_suggestions(tmp_path):
    from annotator.services import visibility

    path = tmp_path / "blind.annotator.sqlite"
    project, ids = rich_project(path)
    visibility.set_blind(project, True)
    visibility.set_curators(project, ["cy"])
    stored = schema.schema_of(project)
    for who, others in (("ben", "ana"), ("cy", None)):
        view = read_first_view(path, who, ids["first"])
        try:
            shown = annotating.open_annotations(project, ids["first"], who, stored,
                                                visibility.effective_view(project, who, None))
            same_annotations(view.annotations, shown)  # the first paint and the open project agree
            if others:  # ben, no curator: ana's work is not even painted first
                assert not [s for s in view.annotations.spans.values() if s.annotator == others]
            else:  # the curator sees it
                assert [s for s in view.annotations.spans.values() if s.annotator == "ana"]
        finally:
            view.connection.close()


def test_a_document_gone_since_is_replaced_by_the_first_one(tmp_path):
    path = tmp_path / "rich.annotator.sqlite"
    project, ids = rich_project(path)
    view = read_first_view(path, "ana", 999_999)
    try:
        assert view.annotations.document.id == min(ids.values())
    finally:
        view.connection.close()


def test_what_is_not_a_current_project_file_opens_the_usual_way(tmp_path):
    path = tmp_path / "p.annotator.sqlite"
    project, ids = rich_project(path)
    project.close()
    assert first_view.read(None, "ana", lambda _where: None) is None
    assert first_view.read("postgresql://u@h/db", "ana", lambda _where: None) is None
    assert first_view.read(str(tmp_path / "missing.sqlite"), "ana", lambda _where: None) is None
    not_ours = tmp_path / "notes.sqlite"
    sqlite3.connect(not_ours).execute("CREATE TABLE notes (x)").connection.commit()
    assert first_view.read(str(not_ours), "ana", lambda _where: None) is None
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    assert first_view.read(str(garbage), "ana", lambda _where: None) is None
    older = tmp_path / "older.annotator.sqlite"
    shutil.copy(path, older)
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert first_view.read(str(older), "ana", lambda _where: None) is None
    read_only = tmp_path / "ro" / "p.annotator.sqlite"
    read_only.parent.mkdir()
    shutil.copy(path, read_only)
    read_only.chmod(0o444)
    if not os.access(read_only, os.W_OK):  # root writes anyway
        assert first_view.read(str(read_only), "ana", lambda _where: None) is None
    asked: list[str] = []
    view = first_view.read(str(path), "ana", lambda where: asked.append(where) or ids["second"])
    try:
        assert asked == [str(path.resolve())] and view.annotations.document.id == ids["second"]
    finally:
        view.connection.close()


def test_a_commit_after_the_first_read_is_seen_by_the_change_watcher(tmp_path):
    path = tmp_path / "p.annotator.sqlite"
    project, ids = rich_project(path)
    view = read_first_view(path, "ana", ids["third"])
    elsewhere = projects.open_location(str(path))
    notes = annotating.open_annotations(elsewhere, ids["third"], "cy", schema.schema_of(elsewhere))
    annotating.save(elsewhere, notes.tag(Layer.ENTITY, "PERSON", 3, 9))  # saved between the paint and the open
    watcher = changes.watch(project, since=view)
    try:
        assert watcher.changed()
        assert not watcher.changed()
    finally:
        watcher.close()
    quiet = read_first_view(path, "ana", ids["third"])
    watcher = changes.watch(project, since=quiet)
    try:
        assert not watcher.changed()
    finally:
        watcher.close()
