"""The window's first paint: the document list and the article left open, read before the rest of the
program is imported (store/first_view.py says how). This module imports no SQLAlchemy: the window
imports it first, and the services that reach the project only once that paint is on screen."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.errors import DamagedProjectError
from annotator.store.first_view import FirstView, project_file, read_first_view
from annotator.store.sqlite_files import page_problem

__all__ = ["FirstView", "check_pages", "read"]


def read(location: str | None, annotator: str, remembered: Callable[[str], int | None]) -> FirstView | None:
    """What the window shows first for the project at ``location`` (a path), for ``annotator``:
    the article ``remembered(where)`` names, given where the project is as the window records it.
    None when the project must open the usual way (see store.first_view)."""
    path = project_file(location)
    if path is None:
        return None
    return read_first_view(path, annotator, remembered(str(path)))


def check_pages(view: FirstView) -> None:
    """quick_check of the project on a connection of its own; DamagedProjectError, naming the newest
    sound backup, when its pages are damaged. Nothing is written to the project before this passed."""
    problem = page_problem(view.path)
    if problem is not None:
        from annotator.services import recovery  # only for a damaged project: it imports SQLAlchemy

        raise recovery.explained(DamagedProjectError(view.path, problem))
