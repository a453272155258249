"""Document labels in the store: saved with an Edit, undone by its inverse, kept by the schema, and
the first release's projects upgraded to hold them."""

import shutil
import sqlite3
from pathlib import Path

from annotator.core.model import Document, DocumentLabel
from annotator.core.schema import Choice, LabelSchema, LabelSet
from annotator.services import annotating
from annotator.services.schema import change_schema, default_schema, schema_of
from annotator.store.document_labels import document_labels_of
from annotator.store.documents import add_documents
from annotator.store.labels import load_schema, save_schema
from annotator.store.project import open_project

CHECK = LabelSet("checkworthy", (Choice("check-worthy", "1"), Choice("not check-worthy", "2")))
FIXTURE_0001 = Path(__file__).parent.parent / "fixtures" / "project-0001.sqlite"


def _with_sets(project):
    schema = default_schema()
    save_schema(project, LabelSchema(schema.labels, schema.attributes, schema.nested_entities, schema.name, (CHECK,)))
    return schema_of(project)


def test_label_sets_are_stored_with_the_schema(any_project):
    schema = _with_sets(any_project)
    assert load_schema(any_project).label_sets == (CHECK,)
    assert schema.label_set("checkworthy").choices[0].key == "1"


def test_a_label_is_saved_with_its_annotator_and_undo_takes_it_off(any_project):
    schema = _with_sets(any_project)
    doc = add_documents(any_project, [Document("Lavrov said the talks went well.")]).added[0]
    notes = annotating.open_annotations(any_project, doc.id, "ana", schema)
    edit = notes.choose_label(CHECK, "check-worthy")
    annotating.save(any_project, edit)
    assert document_labels_of(any_project, doc.id) == [DocumentLabel("checkworthy", "check-worthy", "ana", "ana")]
    again = annotating.open_annotations(any_project, doc.id, "ana", schema)
    assert again.labels_in("checkworthy", "ana") == ["check-worthy"]
    annotating.save(any_project, edit.inverse())
    assert document_labels_of(any_project, doc.id) == []


def test_removing_a_label_from_the_schema_takes_it_off_the_documents(any_project):
    schema = _with_sets(any_project)
    doc = add_documents(any_project, [Document("Lavrov said the talks went well.")]).added[0]
    notes = annotating.open_annotations(any_project, doc.id, "ana", schema)
    annotating.save(any_project, notes.choose_label(CHECK, "check-worthy"))
    smaller = LabelSet("checkworthy", (Choice("not check-worthy"),))
    report = change_schema(any_project, LabelSchema(schema.labels, schema.attributes, label_sets=(smaller,)), {})
    assert report.unset == {("checkworthy", "check-worthy"): 1}
    assert document_labels_of(any_project, doc.id) == []


def test_a_first_release_project_upgrades_to_hold_document_labels(tmp_path):
    path = tmp_path / "old.annotator.sqlite"
    shutil.copyfile(FIXTURE_0001, path)
    with sqlite3.connect(path) as conn:
        documents = conn.execute("SELECT id, uid FROM documents ORDER BY id").fetchall()
    project = open_project(path)
    try:
        schema = _with_sets(project)
        notes = annotating.open_annotations(project, documents[0][0], "ana", schema)
        annotating.save(project, notes.choose_label(CHECK, "not check-worthy"))
        assert [d.label for d in document_labels_of(project, documents[0][0])] == ["not check-worthy"]
        with project.reading() as conn:
            assert conn.exec_driver_sql("SELECT id, uid FROM documents ORDER BY id").fetchall() == documents
    finally:
        project.close()


def test_a_label_set_in_another_window_is_seen_as_new_and_one_cleared_as_changed(project):
    from annotator.services.changes import compare

    schema = _with_sets(project)
    doc = add_documents(project, [Document("Lavrov said the talks went well.")]).added[0]
    shown = annotating.open_annotations(project, doc.id, "ana", schema)
    elsewhere = annotating.open_annotations(project, doc.id, "ben", schema)
    annotating.save(project, elsewhere.choose_label(CHECK, "check-worthy"))
    after = annotating.open_annotations(project, doc.id, "ana", schema)
    difference = compare(shown, after)
    assert (difference.added, difference.changed) == (1, 0)
    ben = annotating.open_annotations(project, doc.id, "ben", schema)
    annotating.save(project, ben.clear_labels("checkworthy"))
    assert compare(after, annotating.open_annotations(project, doc.id, "ana", schema)).changed == 1


def test_setting_a_label_someone_else_already_saved_is_refused_not_doubled(project):
    from annotator.store.edits import ChangedElsewhere

    schema = _with_sets(project)
    doc = add_documents(project, [Document("Lavrov said the talks went well.")]).added[0]
    first, stale = (annotating.open_annotations(project, doc.id, "ana", schema) for _ in range(2))
    annotating.save(project, first.choose_label(CHECK, "check-worthy"))
    try:
        annotating.save(project, stale.choose_label(CHECK, "check-worthy"))  # the same person's other window
    except ChangedElsewhere:
        pass
    else:
        raise AssertionError("a second window's stale step must be refused")
    assert len(document_labels_of(project, doc.id)) == 1


def test_stats_count_the_documents_carrying_each_label(project):
    from annotator.services.stats import format_stats, project_stats

    schema = _with_sets(project)
    docs = add_documents(project, [Document("One article."), Document("Another article.")]).added
    for doc, who in ((docs[0], "ana"), (docs[0], "ben"), (docs[1], "ana")):
        notes = annotating.open_annotations(project, doc.id, who, schema)
        annotating.save(project, notes.choose_label(CHECK, "check-worthy"))
    stats = project_stats(project)
    assert stats["document_labels"] == {"checkworthy: check-worthy": 2}  # documents, not people
    assert "checkworthy: check-worthy 2" in " ".join(format_stats(stats).split())
