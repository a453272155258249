"""Errors and problem reports. Messages say what was expected, where, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AnnotatorError(Exception):
    """An error a user can act on; its message is shown as it is, on one line."""


class ProjectError(AnnotatorError):
    """A project cannot be opened or changed."""


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
