"""Where an export is written: never over a project or a person's own files, and whole or not at all.

A file export is written to a ``.part`` file beside the target and renamed onto it once complete. A
folder export (brat, spaCy with a dev set) is written to a ``.part`` folder and swapped in; the
folder it replaces must be one this app wrote, which it knows by the marker file it puts in every
exported folder, listing the files written. A folder without the marker, or with files the marker
does not list, holds someone's own files and is never replaced.

Each temporary name carries the process id and machine of the export writing it, so the next
export clears what a killed one left behind as soon as that process is gone, while the temporary
files of an export that is still running, in this or another copy of the app, are left alone.
"""

from __future__ import annotations

import ctypes
import glob
import json
import os
import platform
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.store.project import Project

MARKER = ".annotator-export"  # in every folder an export writes; its content says who wrote it
WRITTEN_BY = "Annotator"
# Temporary files another machine left (a shared folder), or an older version that did not name its
# process: whether that export still runs cannot be known here, so only this old are they cleared.
STALE_PART_SECONDS = 3600


def refuse_unsafe_target(project: Project, target: str, folder: bool = False) -> None:
    """An export replaces its target: never let that be a project, its journal, or someone's folder."""
    path = Path(target).expanduser()
    if folder:
        if path.is_file():
            raise NotADirectoryError(f"{path} is a file; this format is written to a folder, give a folder name")
        refuse_foreign_folder(path)
        return
    if target.endswith(("/", os.sep)) or path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name to export to")
    resolved = path.resolve()
    if project.path is not None:
        own = {project.path.with_name(project.path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")}
        if resolved in own:
            raise ValueError(f"{resolved} is the project itself; choose another file to export to")
    for suffix in ("-wal", "-shm", "-journal"):
        if resolved.name.endswith(suffix) and resolved.with_name(resolved.name.removesuffix(suffix)).is_file():
            raise ValueError(f"{resolved} belongs to the database beside it; choose another file to export to")
    if resolved.is_file():
        with resolved.open("rb") as existing:
            head = existing.read(16)
        if head == b"SQLite format 3\x00" or head[:4] in (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83"):
            raise ValueError(
                f"{resolved} is a database or its log, perhaps another project; choose another file to export to"
            )


def refuse_foreign_folder(path: Path) -> None:
    """Raise unless ``path`` is missing, empty, or an earlier export holding only what it wrote."""
    if not path.is_dir() or not any(path.iterdir()):
        return
    if written_files(path) is None:
        raise ValueError(
            f"{path} is not an earlier export of Annotator (it has no {MARKER} file) and holds other files; "
            "nothing was written: choose an empty or new folder"
        )
    others = foreign_files(path)
    if others:
        named = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise ValueError(
            f"{path} is an earlier export, but Annotator did not write {named} in it; nothing was written: "
            "move those files away, or choose an empty or new folder"
        )


def written_files(folder: Path) -> set[str] | None:
    """The files an export wrote in ``folder`` (as its marker lists them), or None if it has no marker."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("written_by") != WRITTEN_BY:
        return None
    files = marker.get("files")
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else None


def foreign_files(folder: Path) -> list[str]:
    """What in an exported folder (and below) its export did not write: someone put it there.

    Files, links (an export writes none) and empty folders it did not make all count, an empty folder
    named with a trailing ``/``: replacing the export would delete them. A folder holding any of these
    is not named itself, its contents are."""
    written = written_files(folder) or set()
    ours = {MARKER, *written}
    folders_of_ours = {parent.as_posix() for name in written for parent in Path(name).parents}
    found = []
    for name, kind in _entries_below(folder):
        if kind == "file" and name not in ours:
            found.append(name)
        elif kind == "link":
            found.append(name)
        elif kind == "empty folder" and name not in folders_of_ours:
            found.append(name + "/")
    return sorted(found)


def _entries_below(folder: Path) -> Iterator[tuple[str, str]]:
    """Every entry below ``folder`` as (relative path, "file" | "link" | "folder" | "empty folder");
    links are never followed, so nothing outside the folder is looked at (or, later, deleted)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                yield entry.name, "link"
            elif entry.is_dir(follow_symlinks=False):
                below = [(f"{entry.name}/{inner}", kind) for inner, kind in _entries_below(Path(entry.path))]
                yield entry.name, "folder" if below else "empty folder"
                yield from below
            else:
                yield entry.name, "file"


def _files_below(folder: Path) -> list[str]:
    return [name for name, kind in _entries_below(folder) if kind == "file"]


@contextmanager
def output(target: str | Path) -> Iterator[Path]:
    """A temporary file beside the target for the writer; renamed onto the target once complete."""
    to_stdout = str(target) == "-"
    path = Path(tempfile.gettempdir()) / "annotator-export" if to_stdout else Path(target).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{owner_tag()}.", suffix=".part", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        if to_stdout:
            with temporary.open("rb") as written:
                shutil.copyfileobj(written, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            temporary.unlink()
            return
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def folder_output(target: str | Path, fmt: str) -> Iterator[Path]:
    """A temporary folder beside the target; it takes the target's name once complete (an earlier
    export there is replaced only then, so a failed export leaves the old one whole)."""
    path = Path(target).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.{owner_tag()}.", suffix=".part", dir=path.parent))
    try:
        yield temporary
        marker = {
            "written_by": WRITTEN_BY,
            "format": fmt,
            "note": "Annotator replaces this folder on the next export here, unless it holds other files",
            "files": sorted(_files_below(temporary)),
        }
        (temporary / MARKER).write_text(json.dumps(marker, ensure_ascii=False) + "\n", encoding="utf-8")
        _swap_in(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _swap_in(temporary: Path, path: Path) -> None:
    if not path.exists():
        os.replace(temporary, path)
        return
    refuse_foreign_folder(path)  # again: files may have been put there while the export ran
    if not any(path.iterdir()):
        path.rmdir()  # an empty folder: fails, and so keeps them, if files arrived just now
        os.replace(temporary, path)
        return
    # The earlier export steps aside under a name no one else uses, and is removed only once the new
    # one is in place; if the swap fails, it goes back.
    old = path.with_name(f".{path.name}.{owner_tag()}.{secrets.token_hex(4)}.old")
    os.rename(path, old)
    try:
        os.replace(temporary, path)
    except BaseException:
        os.rename(old, path)
        raise
    _remove_earlier_export(old)


def _remove_earlier_export(folder: Path) -> None:
    if written_files(folder) is not None and not foreign_files(folder):
        shutil.rmtree(folder, ignore_errors=True)


# --- what killed exports left behind ------------------------------------------------------------------


def owner_tag() -> str:
    """This process and machine, as they appear in its temporary names: ``<pid>@<host>``."""
    return f"{os.getpid()}@{_host()}"


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", platform.node())[:40]


def remove_leftovers(path: Path) -> None:
    """Clear the temporary files and folders of exports to ``path`` whose process is gone."""
    name = glob.escape(path.name)
    tagged = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)@([A-Za-z0-9-]*)\.[A-Za-z0-9_]+\.(part|old)$")
    # What older versions named their temporary files: mkstemp's eight random characters, no process.
    untagged = re.compile(rf"^\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.part$")
    for leftover in [*path.parent.glob(f".{name}.*.part"), *path.parent.glob(f".{name}.*.old")]:
        found = tagged.match(leftover.name)
        if not found and not untagged.match(leftover.name):
            continue  # not a name an export gives: someone's own file
        try:
            if found and found[2] == _host():
                gone = not process_alive(int(found[1]))
            else:  # another machine's, or from a version that did not name its process
                gone = leftover.stat().st_mtime < time.time() - STALE_PART_SECONDS
            if not gone:
                continue
            if leftover.suffix == ".old":
                _remove_earlier_export(leftover)  # only if its marker says this app wrote all of it
            elif leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: the export goes on


def process_alive(pid: int) -> bool:
    """True if a process with this id runs (or might: when in doubt, its files are kept)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: nothing is sent, only whether the process exists is checked
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else (PermissionError)
    return True


def _windows_process_alive(pid: int) -> bool:
    # os.kill would terminate the process on Windows; ask for its exit code instead.
    query_limited_information, still_active = 0x1000, 259
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it runs, as another user
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
