"""Rolling backups of SQLite projects, and restoring one: used by the window and the command line.

Backups live in the data folder, ``backups/<project>-<hash of its path>/<UTC time>.sqlite``. Each new
backup prunes the folder: backups older than the project's ``keep days`` (default 14) go, but the newest
few are always kept. PostgreSQL projects are not backed up here: that is the database administrator's
job (pg_dump).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator import paths
from annotator.core.errors import DamagedProjectError, ProjectError
from annotator.services import recovery
from annotator.services.backup_policy import DEFAULT_KEEP_DAYS, KEEP_NEWEST
from annotator.services.projects import open_location
from annotator.store import backups as store
from annotator.store.project import Project, read_only_reason
from annotator.store.settings import get_setting, set_setting

KEEP_DAYS_SETTING = "backups.keep_days"
ON_OPEN = timedelta(hours=1)  # opening a project backs it up unless a backup is younger than this
DAILY = timedelta(hours=24)  # while it stays open: at most one backup a day
BEFORE_RESTORE = "before-restore"

Progress = Callable[..., None]


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: datetime  # UTC
    size: int  # bytes
    documents: int | None  # None: the file cannot be read
    tag: str = ""

    @property
    def local_time(self) -> str:
        return self.taken.astimezone().strftime("%Y-%m-%d %H:%M:%S")

    @property
    def note(self) -> str:
        return {BEFORE_RESTORE: "made before a restore"}.get(self.tag, self.tag.replace("-", " "))


@dataclass
class BackupReport:
    project: str
    path: Path
    size: int
    removed: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        text = f"Backed up {self.project} to {self.path} ({human_size(self.size)})"
        if self.removed:
            text += f"; {len(self.removed)} old backup{'s' if len(self.removed) != 1 else ''} removed"
        return text


@dataclass
class RestoreReport:
    project: Path
    restored_from: Path
    documents: int | None
    saved_before: Path | None  # the state before the restore, itself a backup

    def summary(self) -> str:
        count = "" if self.documents is None else f" ({self.documents} document{'s' if self.documents != 1 else ''})"
        before = f"; the state before was saved as {self.saved_before}" if self.saved_before else ""
        return f"Restored {self.project} from {self.restored_from}{count}{before}"


def postgres_message(where: str) -> str:
    return (
        f"{where} is a server database: Annotator does not back it up; its administrator does, "
        "with pg_dump and the server's own backups"
    )


def backs_up(project: Project) -> bool:
    """Whether Annotator keeps backups of this project (SQLite files only)."""
    return project.path is not None


def folder_of(location: str | Project | None) -> Path:
    """The backups folder of a project (a Project, or what ``--project`` names)."""
    return recovery.backups_folder(_project_file(location))


def keep_days(project: Project) -> int:
    value = get_setting(project, KEEP_DAYS_SETTING)
    return int(value) if isinstance(value, int) and value >= 1 else DEFAULT_KEEP_DAYS


def set_keep_days(project: Project, days: int) -> None:
    if days < 1:
        raise ValueError(f"backups must be kept for at least 1 day, not {days}")
    set_setting(project, KEEP_DAYS_SETTING, int(days))


def backup_now(
    project: Project,
    tag: str = "",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
) -> BackupReport:
    """Back the project up now, then prune its old backups. Safe while the project is in use.

    A damaged project is not backed up (DamagedProjectError, naming its newest sound backup), and then
    nothing is pruned either: the sound backups it has are what can bring it back."""
    if project.path is None:
        raise ProjectError(postgres_message(project.safe_location))
    now = now or datetime.now(UTC)
    folder = folder_of(project)
    try:
        path = store.take_backup(project.path, folder, now, tag, read_only=bool(project.read_only))
    except DamagedProjectError as exc:
        raise recovery.explained(exc) from None
    removed = [] if project.read_only else prune(project, now=now)
    return BackupReport(project.name, path, path.stat().st_size, removed)


def backup_location(location: str | None, keep_days: int | None = None) -> BackupReport:
    """``annotator backup``: open the project ``--project`` names, back it up (and from now on keep its
    backups for ``keep_days`` days, when given)."""
    _project_file(location)  # a server database is refused before connecting to it
    project = open_location(location, create=False)
    try:
        if keep_days is not None:
            set_keep_days(project, keep_days)
        return backup_now(project)
    finally:
        project.close()


def backup_if_due(
    project: Project,
    every: timedelta = DAILY,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
) -> BackupReport | None:
    """Back up unless the newest backup is younger than ``every``; None when nothing was done (a
    recent backup exists, the work was cancelled, or the project lives on a server or is read-only:
    nothing done through Annotator can change it)."""
    if project.path is None or project.read_only or (cancel is not None and cancel.is_set()):
        return None
    now = now or datetime.now(UTC)
    newest = store.backups_in(folder_of(project))
    if newest and now - newest[0].taken < every:
        return None
    return backup_now(project, now=now)


def list_backups(location: str | Project | None = None) -> list[BackupInfo]:
    """The project's backups, newest first, with the number of documents each holds."""
    return [
        BackupInfo(b.path, b.taken, b.size, store.document_count(b.path), b.tag)
        for b in store.backups_in(folder_of(location))
    ]


def prune(
    project: Project, days: int | None = None, keep_newest: int = KEEP_NEWEST, now: datetime | None = None
) -> list[Path]:
    """Delete backups older than ``days`` (the project's setting), always keeping the newest few."""
    days = days if days is not None else keep_days(project)
    now = now or datetime.now(UTC)
    removed = []
    for old in store.backups_in(folder_of(project))[keep_newest:]:
        if now - old.taken > timedelta(days=days):
            old.path.unlink(missing_ok=True)
            removed.append(old.path)
    return removed


def find_backup(location: str | Project | None, name: str | Path) -> Path:
    """A backup named by its path, or by its file name in the project's backups folder."""
    given = Path(name).expanduser()
    if given.is_file():
        return given.resolve()
    inside = folder_of(location) / given.name
    if inside.is_file():
        return inside
    raise ProjectError(f"{name}: no such backup (see `annotator backups` for the list)")


def restore(
    location: str | None,
    backup: str | Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
) -> RestoreReport:
    """Replace the project's content with a backup's. The project must be closed everywhere, this
    process included (a project open elsewhere is refused, untouched). The current state is backed up
    first (tagged ``before-restore``), so a restore can itself be undone by restoring that."""
    target = _project_file(location)
    source = find_backup(location, backup)
    store.check_backup(source)  # refuse a bad backup before anything is written
    why = read_only_reason(target) if target.exists() else ""
    if why:  # the superuser could write it anyway; whoever made it read-only did not want that
        raise ProjectError(f"{target.name} cannot be restored: {why}; nothing was changed")
    now = now or datetime.now(UTC)
    folder = folder_of(location)
    if not store.is_database(target):  # unreadable: keep its bytes, then put the backup in its place
        saved = store.copy_raw(target, folder, now, BEFORE_RESTORE)
        store.replace_damaged(source, target)
        return RestoreReport(target, source, store.document_count(source), saved)
    saved = store.new_backup_path(folder, now, BEFORE_RESTORE)
    store.restore_into(source, target, save_to=saved)
    kept = next((p for p in (saved, saved.with_suffix(".damaged")) if p.exists()), None)
    return RestoreReport(target, source, store.document_count(source), kept)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def _project_file(location: str | Project | None) -> Path:
    if isinstance(location, Project):
        if location.path is None:
            raise ProjectError(postgres_message(location.safe_location))
        return location.path
    resolved = paths.project_location(location)
    path = store.project_file(resolved)
    if path is None:
        raise ProjectError(postgres_message(store.shown_location(resolved)))
    return path
