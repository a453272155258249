"""SQLite project files as files: opening one without creating it, checking its pages, copying it whole.

Opening a project (store.project) checks the file and copies it before a migration; backups
(store.backups) copy and restore it. Both build on this module, which builds on neither.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from annotator.core.errors import DamagedProjectError, ProjectError

QUICK_CHECK_PROBLEMS = 3  # how many of quick_check's findings a message quotes


def connect(path: Path, mode: str, timeout: float = 15.0) -> sqlite3.Connection:
    """Never creates a file. ``ro``: opened immutable, for backups (nothing is written beside them);
    ``read``: read-only, seeing what others commit; ``rw``: read and write."""
    query = {"ro": "mode=ro&immutable=1", "read": "mode=ro"}.get(mode, "mode=rw")
    return sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=timeout, isolation_level=None)


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None when every page of the database is sound; else what PRAGMA quick_check found, on one line.

    quick_check reads every page and checks each b-tree's structure (not that indexes match their
    tables, which integrity_check does at ~7 times the cost): ~60 ms for a 60 MB project."""
    try:
        found = [str(row[0]) for row in conn.execute(f"PRAGMA quick_check({QUICK_CHECK_PROBLEMS})")]
    except sqlite3.DatabaseError as exc:  # so damaged that the check itself cannot run
        return str(exc)
    if found == ["ok"]:
        return None
    lines = (" ".join(line.replace("*** in database main ***", "").split()) for line in found)
    return "; ".join(line for line in lines if line) or "quick_check failed"


def file_project_name(path: Path) -> str:
    """A project's name as the window shows it: its file's name without the suffix."""
    return path.name.removesuffix(".annotator.sqlite").removesuffix(".sqlite")


def page_problem(path: Path, mode: str = "read") -> str | None:
    """quick_check of a project file on a connection of its own (``mode`` as for ``connect``): None when
    it is sound, else what is wrong, including a file too damaged to open."""
    try:
        conn = connect(path, mode)
        try:
            return quick_check(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)


def copy_database(source: Path, target: Path, mode: str = "rw") -> Path:
    """Copy a (live) SQLite database to ``target`` with the backup API; a damaged one is refused
    (DamagedProjectError) and no copy appears. ``mode`` "read" for a project opened read-only."""
    if not source.is_file():
        raise ProjectError(f"{source}: no such project file to back up")
    try:
        src = connect(source, mode)
        try:
            return write_copy(src, target, source)
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{source} could not be backed up: {exc}") from exc


def write_copy(src: sqlite3.Connection, target: Path, source: Path) -> Path:
    """The database behind ``src`` (the file ``source``) copied to ``target``: written beside it as a
    private temporary file, made self-contained (journal_mode=DELETE), checked, synced, then renamed
    into place. A copy whose pages fail quick_check never appears: the project it came from is damaged."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)  # mode 0600
    os.close(fd)
    temporary = Path(name)
    try:
        dst = sqlite3.connect(temporary, isolation_level=None)
        try:
            src.backup(dst)  # one step: one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, nothing beside it
            # The snapshot's pages are the project's, byte for byte: checking the copy checks exactly
            # what was copied, without reading the live project a second time.
            problem = quick_check(dst)
        finally:
            dst.close()
        if problem is not None:
            raise DamagedProjectError(source, problem)
        fsync(temporary)
        os.replace(temporary, target)
        fsync_folder(target.parent)
    finally:
        temporary.unlink(missing_ok=True)
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    return target


def raw_copy(source: Path, target: Path) -> Path:
    """The bytes of ``source`` (and its -wal) copied to ``target``, private: for a file SQLite cannot use."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").is_file():
            fd = os.open(f"{target}{suffix}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out, open(f"{source}{suffix}", "rb") as inp:
                shutil.copyfileobj(inp, out)
    return target


def fsync(path: Path) -> None:
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
