"""A doccano export's members' files, imported together from the window: doccano names each person
only in the file's name, so the window asks, and each person's annotations stay their own."""

from __future__ import annotations

import shutil

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.services.importing import member_files
from annotator.store.annotated import annotated_batches


@pytest.fixture
def members(corpus, tmp_path):
    """The two members' files as unpacking doccano's export gives them: named after their person."""
    folder = corpus / "annotated/peer_exports/doccano"
    made = []
    for person in ("admin", "annotator2"):
        made.append(tmp_path / f"{person}.jsonl")
        shutil.copyfile(folder / f"jsonl_relation__{person}.jsonl", made[-1])
    return [str(path) for path in made]


def people(project) -> dict[str | None, int]:
    found: dict[str | None, int] = {}
    for batch in annotated_batches(project):
        for _doc, spans, _, _ in batch:
            for span in spans:
                found[span.annotator] = found.get(span.annotator, 0) + 1
    return found


def test_member_files_are_told_from_other_files(members, corpus, tmp_path):
    assert member_files(members) == {members[0]: "admin", members[1]: "annotator2"}
    assert member_files(members[:1]) == {}  # one person's file: nothing to tell apart
    zipped = corpus / "annotated/peer_exports/doccano/jsonl_relation.zip"
    articles = tmp_path / "articles.jsonl"
    articles.write_bytes(orjson.dumps({"text": "Plain."}) + b"\n")
    assert member_files([members[0], str(zipped), str(articles)]) == {}


def test_the_window_asks_and_imports_each_members_file_under_its_person(show_window, project, members, qtbot):
    window = show_window(project)
    window.import_paths(members)
    question = window.member_question
    qtbot.waitUntil(question.isVisible)
    assert question.textFormat() == Qt.TextFormat.PlainText
    assert "(admin, annotator2)" in question.text()
    qtbot.mouseClick(question.findChild(type(question.defaultButton()), "memberNamesButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.import_report is not None and window.import_report.isVisible(), timeout=15_000)
    assert people(project) == {"admin": 179, "annotator2": 4}  # as the server held them (gold.jsonl)
    assert "already there" not in window.import_report.text()
    window.import_report.close()


def test_as_they_are_imports_without_names_and_cancel_imports_nothing(show_window, project, members, qtbot):
    window = show_window(project)
    window.import_paths(members)
    qtbot.waitUntil(window.member_question.isVisible)
    window.member_question.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.wait(200)
    assert people(project) == {} and window.import_report is None
    window.import_paths(members)
    qtbot.waitUntil(window.member_question.isVisible)
    qtbot.mouseClick(window.member_question.findChild(type(window.member_question.defaultButton()), "asTheyAreButton"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.import_report is not None and window.import_report.isVisible(), timeout=15_000)
    assert people(project) == {None: 180}  # three spans both made count once, as nobody's
    window.import_report.close()
