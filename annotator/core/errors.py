"""Errors and problem reports. Messages say what was expected, where, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AnnotatorError(Exception):
    """An error a user can act on; its message is shown as it is, on one line."""


class ProjectError(AnnotatorError):
    """A project cannot be opened or changed."""


class DamagedProjectError(ProjectError):
    """A project file whose pages fail SQLite's quick_check. Nothing was changed (no backup was made from
    it, none was removed); the newest sound backup, when one was found, is named so it can be restored."""

    def __init__(
        self,
        path: Path,
        problem: str,
        backup: Path | None = None,
        taken: str = "",
        documents: int | None = None,
        restore_hint: str = "",
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.backup = backup  # the newest backup that passed integrity_check
        self.taken = taken  # when it was taken, local time, fit to show
        self.documents = documents
        self.restore_hint = restore_hint  # how to restore it, e.g. the command line
        super().__init__(self.found())

    def found(self) -> str:
        return f"{self.path} is damaged ({self.problem}); nothing was changed"

    def offer(self) -> str:
        """The newest sound backup, or that there is none."""
        if self.backup is None:
            return "No sound backup of it was found."
        count = "" if self.documents is None else f", {self.documents} document{'s' if self.documents != 1 else ''}"
        return f"The newest sound backup is {self.backup.name} (taken {self.taken}{count})."

    def __str__(self) -> str:
        hint = f" {self.restore_hint}" if self.backup is not None and self.restore_hint else ""
        return f"{self.found()}. {self.offer()}{hint}"


class ReadOnlyProjectError(ProjectError):
    """A change asked of a project opened read-only: it was not saved."""


class ModelError(AnnotatorError):
    """A spaCy pipeline cannot be found or loaded."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in an input that was skipped (an error) or needs a look (a warning), with where and why."""

    path: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    @classmethod
    def at(cls, path: str | Path, line: int | None, message: str) -> Problem:
        return cls(str(path), line, message)

    @classmethod
    def note(cls, path: str | Path, line: int | None, message: str) -> Problem:
        """A warning: the input was imported, but a person should check this."""
        return cls(str(path), line, message, warning=True)
