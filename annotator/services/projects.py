"""Opening projects, and giving a brand-new default project its demo articles and schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator import paths
from annotator.core.errors import DamagedProjectError
from annotator.services import recovery
from annotator.services.schema import default_schema, schema_of
from annotator.store.documents import count_documents
from annotator.store.labels import load_schema, save_schema
from annotator.store.project import Project, check_pages, open_project

__all__ = ["Project", "open_location", "check", "default_schema", "schema_of", "add_demo_articles", "is_default"]
from annotator.store.settings import get_setting, set_setting

if TYPE_CHECKING:
    from annotator.services.importing import ImportReport

DEMO_SEEDED = "demo.seeded"


def open_location(
    location: str | None = None, create: bool = True, read_only: bool = False, check: bool = True
) -> Project:
    """Open the project ``--project`` names (None: the default project), creating and migrating it.
    A damaged project is refused, naming the newest sound backup (DamagedProjectError). ``check``
    False: its pages are checked later, with ``check`` below (the window does it on a worker)."""
    try:
        project = open_project(paths.project_location(location), create=create, read_only=read_only, check=check)
    except DamagedProjectError as exc:
        raise recovery.explained(exc) from None
    if not project.read_only and load_schema(project) is None:
        save_schema(project, default_schema())
    return project


def check(project: Project) -> None:
    """Raise DamagedProjectError, naming the newest sound backup, when the project's pages are damaged."""
    try:
        check_pages(project)
    except DamagedProjectError as exc:
        raise recovery.explained(exc) from None


def demo_folder() -> Path:
    return paths.resources_dir() / "demo"


def is_default(project: Project) -> bool:
    return project.path is not None and project.path == paths.default_project().resolve()


def add_demo_articles(project: Project) -> ImportReport | None:
    """Give a brand-new default project our demo articles, once. A default project that already
    holds articles (imported with the CLI, say) never gets them, nor does one whose demos were deleted."""
    if not is_default(project) or project.read_only or get_setting(project, DEMO_SEEDED):
        return None
    set_setting(project, DEMO_SEEDED, True)
    if count_documents(project):
        return None
    # Every format's reader comes with importing: imported here, not when the window starts.
    from annotator.services.importing import import_paths

    return import_paths(project, [demo_folder()])
