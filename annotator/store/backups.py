"""Backups of SQLite projects, made and restored with SQLite's backup API.

The backup API copies a consistent snapshot of a live database (committed WAL pages included) while
the window keeps writing, so nobody has to close anything for a backup. A backup is a plain,
self-contained SQLite file (rollback journal, no -wal beside it), readable by its owner only, and it
appears under its final name only once it is complete.

File names are UTC timestamps, ``20261128T133212.123456Z.sqlite``, with an optional tag
(``...Z-before-restore.sqlite``), so they sort by age and say when they were taken.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.core.errors import DamagedProjectError, ProjectError
from annotator.store import revisions
from annotator.store.locations import hide_password, sqlite_path
from annotator.store.sqlite_files import copy_database, fsync, fsync_folder, raw_copy, write_copy
from annotator.store.sqlite_files import connect as _connect

SUFFIX = ".sqlite"
STAMP = "%Y%m%dT%H%M%S.%fZ"
_NAME = re.compile(r"^(\d{8}T\d{6}\.\d{6}Z)(?:-([a-z0-9-]+))?\.sqlite$")
LOCK_WAIT_S = 2.0  # how long a restore waits for the project to be free before refusing


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime  # UTC
    size: int  # bytes
    tag: str  # "" or e.g. "before-restore"


def project_file(location: str) -> Path | None:
    """The SQLite file a project location names; None for a server database."""
    return sqlite_path(location)


def shown_location(location: str) -> str:
    """A location fit to show: a server URL without its password."""
    return hide_password(location)


def folder_name(project_path: Path) -> str:
    """One folder per project, stable for its path: its name for people, a hash of the path to tell
    apart two projects of the same name in different folders."""
    path = Path(project_path).expanduser().resolve()
    name = path.name.removesuffix(".annotator.sqlite").removesuffix(".sqlite").removesuffix(".db")
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "project"
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:12]
    return f"{readable[:60]}-{digest}"


def backup_name(taken: datetime, tag: str = "") -> str:
    stamp = taken.astimezone(UTC).strftime(STAMP)
    return f"{stamp}-{tag}{SUFFIX}" if tag else f"{stamp}{SUFFIX}"


def parse_name(path: Path) -> tuple[datetime, str] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    taken = datetime.strptime(match.group(1), STAMP).replace(tzinfo=UTC)
    return taken, match.group(2) or ""


def backups_in(folder: Path) -> list[BackupFile]:
    """The backups in a project's folder, newest first. Half-written ones (``.part``) are not listed."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parsed = parse_name(path)
        if parsed is not None and path.is_file():
            found.append(BackupFile(path, parsed[0], path.stat().st_size, parsed[1]))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def make_folder(folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def take_backup(source: Path, folder: Path, taken: datetime, tag: str = "", read_only: bool = False) -> Path:
    """A consistent copy of the live project ``source`` in ``folder``, named by ``taken``; refused
    (DamagedProjectError) for a damaged project."""
    return copy_database(source, new_backup_path(folder, taken, tag), mode="read" if read_only else "rw")


def new_backup_path(folder: Path, taken: datetime, tag: str = "") -> Path:
    """Where a backup taken at ``taken`` goes (the folder is made, private)."""
    make_folder(folder)
    target = folder / backup_name(taken, tag)
    while target.exists():  # two backups in the same microsecond: keep both
        taken = taken + timedelta(microseconds=1)
        target = folder / backup_name(taken, tag)
    return target


def copy_raw(source: Path, folder: Path, taken: datetime, tag: str) -> Path:
    """A byte copy of a file SQLite cannot read (and its -wal), kept before a restore overwrites it."""
    target = new_backup_path(folder, taken, tag).with_suffix(".damaged")
    return raw_copy(source, target)


def document_count(path: Path) -> int | None:
    """How many articles a backup holds; None when it cannot be read."""
    try:
        conn = _connect(path, "ro")
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def integrity(path: Path) -> str:
    """``ok``, or what PRAGMA integrity_check found first."""
    conn = _connect(path, "ro")
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound backup of an Annotator project this version can open."""
    if not path.is_file():
        raise ProjectError(f"{path}: no such backup")
    try:
        conn = _connect(path, "ro")
        try:
            result = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path} is not a backup Annotator can restore: {exc}; nothing was changed") from None
    if result != "ok":
        raise ProjectError(f"{path} is damaged ({result}); nothing was changed")
    if revision is None or "documents" not in tables:
        raise ProjectError(f"{path} is not a backup of an Annotator project; nothing was changed")
    if not revisions.is_known(revision):
        raise ProjectError(
            f"{path} was written by a newer version of Annotator (schema {revision}); nothing was changed"
        )


def is_database(path: Path) -> bool:
    """Whether SQLite can read the file at all (a missing or empty file is not damaged: it has nothing)."""
    if not path.is_file() or path.stat().st_size == 0:
        return True
    try:
        conn = _connect(path, "rw")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
        return True
    except sqlite3.DatabaseError as exc:
        return "locked" in str(exc) or "busy" in str(exc)


def restore_into(backup: Path, target: Path, save_to: Path | None = None) -> None:
    """Replace the content of the project file ``target`` with the backup's, in one step.

    The project must not be open anywhere (this process included): everything runs under an exclusive
    lock, taken first, and is refused, with nothing changed, if anyone else has the file open. The
    present content is first copied to ``save_to`` (under the same lock, so nothing slips in between).
    The backup API then writes the backup's pages into the project in one transaction (a WAL project
    stays WAL): a crash part-way leaves the old content. The result must pass PRAGMA integrity_check."""
    check_backup(backup)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(mode=0o600)
    try:
        dst = _connect(target, "rw", timeout=LOCK_WAIT_S)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{target} cannot be opened to restore into: {exc}; nothing was changed") from None
    try:
        try:
            dst.execute("PRAGMA locking_mode=EXCLUSIVE")
            dst.execute("BEGIN EXCLUSIVE")
            has_content = dst.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
            dst.execute("COMMIT")  # the lock stays: exclusive locking mode keeps it until close
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise ProjectError(
                    f"{target.name} is open in another Annotator window or program; close it there and try "
                    "again. Nothing was changed."
                ) from None
            raise
        if save_to is not None and has_content:
            try:
                write_copy(dst, save_to, target)
            except (sqlite3.DatabaseError, DamagedProjectError):  # damaged inside: keep its bytes instead
                raw_copy(target, save_to.with_suffix(".damaged"))
        src = _connect(backup, "ro")
        try:
            src.backup(dst)  # pages=-1: all of it in one step, one transaction on the project
        finally:
            src.close()
        result = str(dst.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"restoring {target.name} from {backup.name} failed: {exc}") from exc
    finally:
        dst.close()
    if result != "ok":
        raise ProjectError(f"{target} failed its integrity check after the restore: {result}")


def replace_damaged(backup: Path, target: Path) -> None:
    """Restore over a file SQLite cannot read at all: copy the backup beside it, then rename it over
    the damaged file (its stale -wal and -shm go too: they belong to the damaged file)."""
    check_backup(backup)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        with open(backup, "rb") as inp, open(temporary, "wb") as out:
            shutil.copyfileobj(inp, out)
        result = integrity(temporary)
        if result != "ok":
            raise ProjectError(f"the copy of {backup.name} failed its integrity check: {result}; nothing was changed")
        fsync(temporary)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, target)
        fsync_folder(target.parent)
    finally:
        temporary.unlink(missing_ok=True)
