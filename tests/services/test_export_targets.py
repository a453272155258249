"""Where exports go: a folder export replaces only a folder this app wrote, and what a killed export
left beside its target is cleared by the next export once its process is gone, never while it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from annotator.core.model import Document, Span, State
from annotator.services import export_targets
from annotator.services.exporting import export
from annotator.services.projects import open_location
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans


@pytest.fixture
def project(tmp_path):
    project = open_location(str(tmp_path / "p.annotator.sqlite"))
    (doc,) = add_documents(project, [Document("Sergey Lavrov spoke in Moscow.", title="Talks")]).added
    add_spans(project, doc.id, [Span(0, 13, "PERSON", state=State.ACCEPTED, annotator="ana")])
    yield project
    project.close()


def users_folder(tmp_path, name="c"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "a.txt").write_text("my own notes", encoding="utf-8")
    (folder / "x.json").write_text('{"mine": true}', encoding="utf-8")
    return folder


def contents(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("fmt", "dev"), [("brat", 0.0), ("spacy", 0.2)])
def test_a_folder_of_the_users_own_files_is_never_replaced(project, tmp_path, fmt, dev):
    folder = users_folder(tmp_path)
    before = contents(folder)
    with pytest.raises(ValueError, match=rf"{folder} is not an earlier export of Annotator"):
        export(project, folder, fmt, dev_fraction=dev)
    assert contents(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".c.")) == []


@pytest.mark.parametrize(("fmt", "dev"), [("brat", 0.0), ("spacy", 0.2)])
def test_an_earlier_export_is_replaced_and_carries_the_marker(project, tmp_path, fmt, dev):
    folder = tmp_path / "c"
    export(project, folder, fmt, dev_fraction=dev)
    marker = json.loads((folder / export_targets.MARKER).read_text(encoding="utf-8"))
    assert marker["written_by"] == "Annotator" and marker["format"] == fmt
    assert set(marker["files"]) == set(contents(folder)) - {export_targets.MARKER}
    report = export(project, folder, fmt, dev_fraction=dev)
    assert report.documents == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".c.")] == []


def test_an_earlier_export_with_someones_files_added_is_not_replaced(project, tmp_path):
    folder = tmp_path / "c"
    export(project, folder, "brat")
    (folder / "my-notes.docx").write_text("mine")
    (folder / "sub").mkdir()
    (folder / "sub" / "more.txt").write_text("mine too")
    before = contents(folder)
    with pytest.raises(ValueError, match=r"earlier export, but Annotator did not write my-notes.docx, sub/more.txt"):
        export(project, folder, "brat")
    assert contents(folder) == before and (folder / "sub" / "more.txt").read_text() == "mine too"


def test_an_empty_folder_is_taken_and_a_file_is_refused(project, tmp_path):
    (tmp_path / "empty").mkdir()
    assert export(project, tmp_path / "empty", "brat").documents == 1
    assert (tmp_path / "empty" / export_targets.MARKER).is_file()
    (tmp_path / "file").write_text("mine")
    with pytest.raises(NotADirectoryError, match="is a file"):
        export(project, tmp_path / "file", "brat")
    assert (tmp_path / "file").read_text() == "mine"


def test_files_named_like_an_export_do_not_make_a_folder_an_earlier_export(project, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "report.txt").write_text("mine")  # .txt, .ann, .json: what a brat export holds, but not ours
    (folder / "report.ann").write_text("mine")
    (folder / export_targets.MARKER).write_text("not our marker")
    with pytest.raises(ValueError, match="not an earlier export"):
        export(project, folder, "brat")
    assert (folder / "report.txt").read_text() == "mine"


def test_a_sibling_old_folder_of_the_users_is_never_deleted(project, tmp_path):
    sibling = users_folder(tmp_path, ".c.old")
    before = contents(sibling)
    export(project, tmp_path / "c", "brat")
    export(project, tmp_path / "c", "brat")  # replaces the first: that one steps aside, then goes
    assert contents(sibling) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".c.")) == [".c.old"]


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_leftovers_of_a_process_that_is_gone_are_cleared_and_a_live_ones_are_kept(project, tmp_path):
    host = export_targets.owner_tag().split("@", 1)[1]
    gone = dead_pid()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        dead_file = tmp_path / f".out.jsonl.{gone}@{host}.abc123.part"
        live_file = tmp_path / f".out.jsonl.{running.pid}@{host}.def456.part"
        own_file = tmp_path / f".out.jsonl.{os.getpid()}@{host}.ghi789.part"  # another thread's export here
        other_machine = tmp_path / f".out.jsonl.{gone}@elsewhere.jkl012.part"
        users_own = tmp_path / ".out.jsonl.my-notes.part"  # no name an export gives, however old
        for part in (dead_file, live_file, own_file, other_machine, users_own):
            part.write_text("half an export")
        day_ago = time.time() - 86_400
        os.utime(users_own, (day_ago, day_ago))
        export(project, tmp_path / "out.jsonl")
        assert not dead_file.exists()
        assert live_file.exists() and own_file.exists() and other_machine.exists() and users_own.exists()
    finally:
        running.kill()
        running.wait()
    export(project, tmp_path / "out.jsonl")  # now that one is gone too
    assert not live_file.exists()


def test_an_earlier_export_set_aside_by_a_killed_export_is_cleared_only_if_ours(project, tmp_path):
    host = export_targets.owner_tag().split("@", 1)[1]
    gone = dead_pid()
    export(project, tmp_path / "c", "brat")
    ours = tmp_path / f".c.{gone}@{host}.0a1b2c3d.old"
    os.rename(tmp_path / "c", ours)  # as if killed between the two renames of a swap
    part = tmp_path / f".c.{gone}@{host}.zz9_x.part"
    part.mkdir()
    (part / "half.ann").write_text("T1\tPERSON 0 5\tSerge")
    not_ours = users_folder(tmp_path, f".c.{gone}@{host}.ffffffff.old")
    export(project, tmp_path / "c", "brat")
    assert not ours.exists() and not part.exists()
    assert contents(not_ours) == {"a.txt": b"my own notes", "x.json": b'{"mine": true}'}


def test_the_process_check_sees_this_process_and_a_finished_one():
    assert export_targets.process_alive(os.getpid())
    assert not export_targets.process_alive(dead_pid())


def test_an_empty_folder_or_a_link_added_to_an_earlier_export_is_refused_and_kept(project, tmp_path):
    folder = tmp_path / "c"
    export(project, folder, "brat")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "keep.txt").write_text("the link's target")
    (folder / "mine").mkdir()
    (folder / "lnk").symlink_to(linked, target_is_directory=True)
    (folder / "file-link").symlink_to(linked / "keep.txt")
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(ValueError, match=r"did not write file-link, lnk, mine/ in it; nothing was written"):
        export(project, folder, "brat")
    assert sorted(p.name for p in folder.iterdir()) == before
    assert (folder / "mine").is_dir() and (folder / "lnk").is_symlink() and (folder / "file-link").is_symlink()
    assert (linked / "keep.txt").read_text() == "the link's target"


def test_an_earlier_export_set_aside_is_kept_when_someone_added_an_empty_folder(project, tmp_path):
    folder = tmp_path / "c"
    export(project, folder, "brat")
    (folder / "mine").mkdir()
    export_targets._remove_earlier_export(folder)  # what happens to the old export after a swap
    assert (folder / "mine").is_dir()


def test_a_link_inside_an_earlier_export_is_not_followed_into_its_target(project, tmp_path):
    folder = tmp_path / "c"
    export(project, folder, "brat")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "deep.txt").write_text("not below the export")
    (folder / "lnk").symlink_to(elsewhere, target_is_directory=True)
    assert export_targets.foreign_files(folder) == ["lnk"]  # the link itself, not what it points at
