"""The assignments table (migration 0008) on SQLite and PostgreSQL: a project an 0007 version left is
upgraded to it with its documents as they were, one person has a document once, and the store's reads
(who has what, the counts per annotator) give the same on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, inspect
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError

from annotator.core.model import Document, now
from annotator.store import assignments
from annotator.store.documents import add_documents, document_summaries
from annotator.store.project import SCHEMA_HEAD, open_project
from annotator.store.tables import document_assignments


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "earlier.annotator.sqlite"
    return request.getfixturevalue("postgres_url")


def as_version_0007_left_it(location) -> None:
    project = open_project(location)
    try:
        add_documents(project, [Document(f"Article {i} about the harbour.", title=f"Article {i}") for i in range(3)])
        with project.writing() as conn:
            conn.execute(sql("DROP TABLE presence"))  # 0009 adds it
            conn.execute(sql("DROP TABLE document_assignments"))
            conn.execute(sql("UPDATE alembic_version SET version_num = '0007'"))
    finally:
        project.close()


def test_an_0007_project_is_upgraded_to_an_empty_assignments_table(location):
    as_version_0007_left_it(location)
    project = open_project(location)
    try:
        with project.reading() as conn:
            assert conn.execute(sql("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            found = inspect(conn)
            assert "document_assignments" in found.get_table_names()
            indexes = {index["name"] for index in found.get_indexes("document_assignments")}
            uniques = found.get_unique_constraints("document_assignments")
        assert "ix_document_assignments_annotator" in indexes
        assert [set(u["column_names"]) for u in uniques] == [{"document_id", "annotator"}]
        assert [s.title for s in document_summaries(project)] == ["Article 0", "Article 1", "Article 2"]
        assert not assignments.has_assignments(project)
    finally:
        project.close()


def row(document_id: int, annotator: str) -> dict:
    return {"document_id": document_id, "annotator": annotator, "assigned_at": now(), "assigned_by": "lead"}


def test_a_person_has_a_document_once(any_project):
    [doc] = add_documents(any_project, [Document("One article.", title="One")]).added
    with any_project.writing() as conn:
        conn.execute(insert(document_assignments), [row(doc.id, "ana"), row(doc.id, "ben")])
    with pytest.raises(IntegrityError), any_project.writing() as conn:
        conn.execute(insert(document_assignments), [row(doc.id, "ana")])
    assert assignments.assignees(any_project) == {doc.id: ("ana", "ben")}


def test_dealing_reads_and_writes_in_one_transaction_on_both_backends(any_project):
    docs = add_documents(any_project, [Document(f"Text {i}.", title=f"T{i}") for i in range(4)]).added
    ids = [d.id for d in docs]

    def decide(dealing):
        assert dealing.selected == ids and dealing.assigned == {} and dealing.started == set()
        return [], [(ids[0], "ana"), (ids[0], "ben"), (ids[1], "ben"), (ids[2], "cy")]

    assignments.deal(any_project, "new", decide, by="lead")
    assert assignments.assignees(any_project, [ids[0], ids[3]]) == {ids[0]: ("ana", "ben")}
    assert assignments.assigned_ids(any_project, "ben") == {ids[0], ids[1]}
    assert assignments.assignment_counts(any_project) == {"ana": (1, 0), "ben": (2, 0), "cy": (1, 0)}
    assert assignments.known_assignees(any_project) == ["ana", "ben", "cy"]

    def take_back(dealing):
        assert dealing.assigned == {ids[0]: {"ana", "ben"}, ids[1]: {"ben"}, ids[2]: {"cy"}}
        assert dealing.load == {"ana": 1, "ben": 2, "cy": 1}
        return [(ids[0], "ben"), (ids[2], "cy")], [(ids[3], "cy")]

    assignments.deal(any_project, None, take_back, by="lead")
    assert assignments.assignees(any_project) == {ids[0]: ("ana",), ids[1]: ("ben",), ids[3]: ("cy",)}
    with any_project.reading() as conn:
        assert conn.execute(sql("SELECT DISTINCT assigned_by FROM document_assignments")).scalars().all() == ["lead"]


def test_the_first_view_lists_assigned_documents_first_as_the_open_project_does(tmp_path):
    from annotator.services import documents, projects
    from annotator.store.first_view import read_first_view

    path = tmp_path / "p.annotator.sqlite"
    project = projects.open_location(str(path))  # with its label schema stored, as the window finds it
    try:
        ids = [d.id for d in add_documents(project, [Document(f"Text {i}.", title=f"T{i}") for i in range(5)]).added]
        pairs = [(ids[3], "ana"), (ids[3], "ben"), (ids[1], "ben"), (ids[4], "ana")]
        assignments.deal(project, None, lambda _dealing: ([], pairs), by="lead")
        for who in ("ana", "ben", "cy"):
            view = read_first_view(path, who, None)
            try:
                assert view.ids == documents.list_ids(project, annotator=who)
                assert view.rows(view.ids) == documents.list_rows(project, view.ids, who)
            finally:
                view.connection.close()
        assert documents.list_ids(project, annotator="ana") == [ids[3], ids[4], ids[0], ids[1], ids[2]]
        [row] = documents.list_rows(project, [ids[3]], "ana")
        assert row.mine and row.others == ("ben",)
    finally:
        project.close()
