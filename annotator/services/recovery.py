"""A damaged project: which backup can bring it back, and how to say so.

SQLite files only: opening a project (services.projects) and backing one up (services.backups) both
find damage with PRAGMA quick_check; this module names the newest backup that is sound (it passes
integrity_check) so the window can offer it and the command line can say which command restores it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from annotator import paths
from annotator.core.errors import DamagedProjectError, ProjectError
from annotator.store import backups as store


def backups_folder(project_file: Path) -> Path:
    """Where the backups of the project file are kept."""
    return paths.backups_dir() / store.folder_name(project_file)


def newest_sound_backup(project_file: Path) -> store.BackupFile | None:
    """The newest backup of the project that passes integrity_check and this version can open."""
    for found in store.backups_in(backups_folder(project_file)):
        try:
            store.check_backup(found.path)
        except ProjectError:
            continue
        return found
    return None


def explained(error: DamagedProjectError) -> DamagedProjectError:
    """The same error, naming the newest sound backup and the command that restores it."""
    sound = newest_sound_backup(error.path)
    if sound is None:
        return DamagedProjectError(error.path, error.problem)
    command = f"annotator restore {shlex.quote(sound.path.name)} --project {shlex.quote(str(error.path))}"
    return DamagedProjectError(
        error.path,
        error.problem,
        backup=sound.path,
        taken=sound.taken.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        documents=store.document_count(sound.path),
        restore_hint=f"Restore it with: {command}",
    )
