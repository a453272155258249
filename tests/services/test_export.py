import threading

import orjson
import pytest

from annotator.core.model import Document, Span, State
from annotator.services.exporting import export
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans

TEXT = "Hi 😀 Lavrov said. 🇷🇺 Lavrov again, café Lavrov"


@pytest.fixture
def filled(any_project):
    project = any_project
    docs = add_documents(project, [Document(TEXT, title="emoji"), Document("Second article.", title="plain")]).added
    positions = [i for i in range(len(TEXT)) if TEXT.startswith("Lavrov", i)]
    add_spans(project, docs[0].id, [Span(p, p + 6, "PERSON", origin="m@1", state=State.SUGGESTED) for p in positions])
    add_spans(project, docs[0].id, [Span(0, 2, "X", origin="m@1", state=State.REJECTED)])
    return project


def test_export_writes_every_document_with_exact_span_texts(filled, tmp_path):
    target = tmp_path / "out" / "project.jsonl"
    report = export(filled, target)
    records = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert [r["meta"]["title"] for r in records] == ["emoji", "plain"]
    assert [[e["text"] for e in r["entities"]] for r in records] == [["Lavrov"] * 3, []]
    assert (report.documents, report.spans) == (2, 3)
    assert not list(target.parent.glob("*.part"))


def test_a_cancelled_export_leaves_no_file_and_keeps_an_older_one(filled, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "project.jsonl"
    target.write_text("previous export\n")
    cancel = threading.Event()
    cancel.set()
    report = export(filled, target, cancel=cancel)
    assert report.cancelled
    assert target.read_text() == "previous export\n"
    assert list(target.parent.iterdir()) == [target]


def test_export_to_a_folder_is_an_error(filled, tmp_path):
    with pytest.raises(IsADirectoryError, match="is a folder"):
        export(filled, tmp_path)


def test_export_never_overwrites_the_project_or_another_database(project, tmp_path):
    from annotator.store.project import open_project

    filled = project
    add_documents(filled, [Document(TEXT, title="emoji"), Document("Second article.", title="plain")])
    for target in (filled.path, filled.path.with_name(filled.path.name + "-wal")):
        with pytest.raises(ValueError, match="is the project itself"):
            export(filled, target)
    other = tmp_path / "other.annotator.sqlite"
    held = open_project(other)
    add_documents(held, [Document("Kept in the other project's log.", title="other")])  # its -wal is live
    with pytest.raises(ValueError, match="is a database or its log, perhaps another project"):
        export(filled, other)
    for suffix in ("-wal", "-shm"):
        with pytest.raises(ValueError, match="belongs to the database beside it"):
            export(filled, str(other) + suffix)
    held.close()
    with pytest.raises(IsADirectoryError, match="is a folder"):
        export(filled, str(tmp_path / "not-yet-a-folder") + "/")
    assert export(filled, tmp_path / "fine.jsonl").documents == 2  # the project still works
