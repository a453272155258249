"""Whose work is shown, as the project decides it: a blind project shows each annotator only the
suggestions and their own work until curation; its curators (the project setting ``curators``) see and
export everyone's. The views themselves are core.visibility's.

Blind is a working rule, not access control: the names are the ones people give the window
(Project ▸ Set Annotator Name) or the command line (``--annotator``). On a PostgreSQL server the
database roles are what keeps people out.
"""

from __future__ import annotations

from annotator.core.visibility import EVERYONE, MINE, ONE, View, allowed_view, refusal, shown_relations, shown_spans
from annotator.store.edits import annotator_names
from annotator.store.project import Project
from annotator.store.settings import get_setting, set_setting

__all__ = [
    "EVERYONE", "MINE", "ONE", "View", "annotators", "curators", "effective_view", "is_blind", "is_curator",
    "refusal", "set_blind", "set_curators", "shown_relations", "shown_spans",
]
BLIND, CURATORS = "blind", "curators"


def is_blind(project: Project) -> bool:
    return bool(get_setting(project, BLIND, False))


def set_blind(project: Project, on: bool) -> None:
    set_setting(project, BLIND, bool(on))


def curators(project: Project) -> list[str]:
    value = get_setting(project, CURATORS, [])
    return [str(name) for name in value] if isinstance(value, list) else []


def set_curators(project: Project, names: list[str]) -> None:
    set_setting(project, CURATORS, sorted({name.strip() for name in names if name.strip()}))


def is_curator(project: Project, name: str) -> bool:
    return name in curators(project)


def restricted(project: Project, name: str) -> bool:
    """Whether ``name`` sees only their own work and the suggestions: the project is blind and they
    are not one of its curators."""
    return is_blind(project) and not is_curator(project, name)


def effective_view(project: Project, me: str, chosen: View | None) -> View:
    """The view ``me`` gets when they choose ``chosen`` (None: everyone's, with suggestions)."""
    return allowed_view(chosen, restricted(project, me))


def annotators(project: Project, me: str | None = None) -> list[str]:
    """The project's annotators by name, for View ▸ Annotations ▸ One Annotator (``me`` among them)."""
    names = set(annotator_names(project))
    if me:
        names.add(me)
    return sorted(names, key=str.casefold)
