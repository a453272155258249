"""Files written safely: an export appears whole or not at all; what holds the analysts' work is readable by
its owner only; nothing the app reads is ever unpickled.

Exports are stopped half-way two ways: cancelled (the Cancel button's event) and killed (SIGKILL of a real
process that is in the middle of writing). Either way the target is absent, or still the earlier export,
byte for byte.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from annotator.core.model import Document
from annotator.services import backups, exporting, projects
from annotator.store.documents import add_documents

PACKAGE = Path(__file__).resolve().parents[2] / "annotator"
MANY = 1_200  # more than two of the exporter's batches of 500, so there is a middle to stop in


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def big_project(tmp_path):
    project = projects.open_location(str(tmp_path / "big.annotator.sqlite"))
    add_documents(
        project, [Document(f"Article number {i}: Lavrov spoke in Moscow.", title=f"A{i}") for i in range(MANY)]
    )
    yield project
    project.close()


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


# --- exports: whole or not at all -------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "out.jsonl"), ("brat", "brat-out")])
def test_a_cancelled_export_leaves_no_target_and_keeps_an_earlier_one(big_project, tmp_path, fmt, name):
    target = tmp_path / name
    cancel = threading.Event()
    seen = []

    def progress(done: int) -> None:
        seen.append(done)
        assert leftovers(tmp_path, name)  # half-way: the writing goes to a temporary file or folder
        cancel.set()

    report = exporting.export(big_project, target, fmt, progress=progress, cancel=cancel)
    assert report.cancelled and seen == [500]
    assert not target.exists() and leftovers(tmp_path, name) == []
    assert "cancelled; no file was written" in report.summary()

    exporting.export(big_project, target, fmt)  # a whole export, then a cancelled one over it
    before = snapshot(target)
    cancel.clear()
    assert exporting.export(big_project, target, fmt, progress=progress, cancel=cancel).cancelled
    assert snapshot(target) == before and leftovers(tmp_path, name) == []


def snapshot(target: Path) -> dict[str, bytes]:
    if target.is_file():
        return {target.name: target.read_bytes()}
    return {p.name: p.read_bytes() for p in sorted(target.iterdir())}


KILLED_EXPORT = textwrap.dedent(
    """
    import sys, time
    from annotator.services import exporting
    from annotator.store.project import open_project

    project = open_project(sys.argv[1], create=False)

    def progress(done):
        print("half-way", flush=True)
        time.sleep(600)  # killed here, in the middle of writing

    exporting.export(project, sys.argv[2], sys.argv[3], progress=progress)
    print("finished", flush=True)
    """
)


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "out.jsonl"), ("brat", "brat-out")])
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_export_killed_half_way_leaves_the_earlier_export_whole(big_project, tmp_path, fmt, name):
    target = tmp_path / name
    exporting.export(big_project, target, fmt)
    before = snapshot(target)
    add_documents(big_project, [Document("One more article, so a new export would differ.", title="More")])

    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, str(big_project.path), str(target), fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "half-way", process.stderr.read()
        partial = leftovers(tmp_path, name)
        assert partial  # it was writing, beside the target
        assert all(f".{process.pid}@" in p for p in partial)  # under its process's name
        # Another export to the same place meanwhile (a second copy of the app) leaves that one's files alone.
        exporting.export(big_project, target, fmt)
        assert set(partial) <= set(leftovers(tmp_path, name))
        before = snapshot(target)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=60)
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert snapshot(target) == before  # never a partial target
    # What a kill leaves is a hidden temporary beside the target; the next export clears it at once.
    assert leftovers(tmp_path, name)
    add_documents(big_project, [Document("And another.", title="More still")])
    exporting.export(big_project, target, fmt)
    assert snapshot(target) != before
    assert leftovers(tmp_path, name) == []


# --- owner-only files ----------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_project_its_wal_and_shm_and_its_backups_are_readable_by_the_owner_only(tmp_path):
    old_umask = os.umask(0o022)  # the usual umask: files would be world-readable by default
    try:
        project = projects.open_location(str(tmp_path / "private.annotator.sqlite"))
        try:
            add_documents(project, [Document("Unpublished work.", title="Secret")])
            with project.reading() as conn:  # a live connection keeps the -wal and -shm files there
                conn.exec_driver_sql("SELECT count(*) FROM documents").scalar()
                files = [project.path, Path(f"{project.path}-wal"), Path(f"{project.path}-shm")]
                assert all(f.exists() for f in files)
                assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
            report = backups.backup_now(project)
        finally:
            project.close()
    finally:
        os.umask(old_umask)
    assert mode(report.path) == 0o600
    assert mode(report.path.parent) == 0o700
    assert not any(mode(p) & 0o077 for p in report.path.parent.iterdir())


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_log_is_readable_by_the_owner_only(annotator_home):
    import logging

    from annotator import app, paths

    old_umask = os.umask(0o022)
    logger = logging.getLogger("annotator")
    kept = list(logger.handlers)
    for handler in kept:
        logger.removeHandler(handler)
    try:
        handler = app.setup_logging()
        logging.getLogger("annotator.test").warning("a line naming a project")
        handler.flush()
        assert paths.log_file().is_file() and mode(paths.log_file()) == 0o600
    finally:
        os.umask(old_umask)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
        for handler in kept:
            logger.addHandler(handler)


# --- nothing is unpickled --------------------------------------------------------------------------------

UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "shelve", "marshal", "dill", "cloudpickle", "joblib", "jsonpickle"}
UNSAFE_CALLS = {("torch", "load"), ("pandas", "read_pickle"), ("yaml", "unsafe_load"), ("yaml", "full_load")}


def unpickling_in(source: str, filename: str = "<source>") -> list[str]:
    """Every place the source could unpickle: imports of pickle-like modules, their loads, pickle-reading
    calls, and numpy.load or similar with allow_pickle set to anything but False."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where}: import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in UNSAFE_MODULES:
            found.append(f"{where}: from {node.module} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.value.id in UNSAFE_MODULES or (func.value.id, func.attr) in UNSAFE_CALLS:
                    found.append(f"{where}: {func.value.id}.{func.attr}()")
            for keyword in node.keywords:
                if keyword.arg == "allow_pickle" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    found.append(f"{where}: allow_pickle={ast.unparse(keyword.value)}")
        elif isinstance(node, ast.Name) and node.id in {"__reduce__", "__setstate__"}:
            found.append(f"{where}: {node.id}")
    return found


def test_the_checker_finds_what_it_looks_for():
    source = textwrap.dedent(
        """
        import pickle, numpy as np
        from shelve import open
        import marshal
        data = pickle.loads(b"")
        arr = np.load("x.npy", allow_pickle=True)
        other = np.load("x.npy", allow_pickle=flag)
        fine = np.load("x.npy", allow_pickle=False)
        model = torch.load("m.pt")
        """
    )
    found = unpickling_in(source)
    assert len(found) == 7, found  # the import of pickle, shelve, marshal; loads; two allow_pickle; torch.load
    assert not any("allow_pickle=False" in f for f in found)


def test_nothing_in_the_package_unpickles():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 30  # the whole package, not an empty folder
    found = [hit for path in files for hit in unpickling_in(path.read_text(encoding="utf-8"), str(path))]
    assert found == []
    # The same by a plain grep, which also sees strings handed to eval/exec and code in comments' examples.
    loads = re.compile(r"\b(c?pickle|_pickle|shelve|marshal|dill|cloudpickle|joblib)\s*\.\s*(loads?|open|Unpickler)\b")
    grepped = [
        f"{path}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if loads.search(line) or re.search(r"allow_pickle\s*=\s*True", line)
    ]
    assert grepped == []
    # spaCy's DocBin (import and export of .spacy files) is msgpack, not pickle: DocBin.from_bytes and
    # from_disk never unpickle, so .spacy files are safe to read.
