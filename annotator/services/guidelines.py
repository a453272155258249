"""The annotation guidelines: Markdown kept in the project, so every annotator reads the same rules.

A project without its own guidelines shows the default ones (resources/guidelines/news.md).
"""

from __future__ import annotations

from pathlib import Path

from annotator import paths
from annotator.core.errors import AnnotatorError
from annotator.store.project import Project
from annotator.store.settings import get_setting, set_setting

__all__ = ["default_guidelines", "guidelines_of", "load_guidelines_file", "set_guidelines"]

GUIDELINES_KEY = "guidelines"
DEFAULT_GUIDELINES_FILE = "guidelines/news.md"
MAX_BYTES = 2_000_000  # guidelines are pages of prose; anything bigger is the wrong file


def default_guidelines() -> str:
    return load_guidelines_file(paths.resources_dir() / DEFAULT_GUIDELINES_FILE)


def guidelines_of(project: Project) -> str:
    stored = get_setting(project, GUIDELINES_KEY)
    return stored if isinstance(stored, str) else default_guidelines()


def set_guidelines(project: Project, markdown: str) -> None:
    """Store the project's guidelines; empty text brings back the default ones."""
    set_setting(project, GUIDELINES_KEY, markdown if markdown.strip() else None)


def load_guidelines_file(path: str | Path) -> str:
    """The text of a Markdown (or plain text) file, UTF-8 with or without a BOM."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise AnnotatorError(f"{path}: too large for guidelines (more than {MAX_BYTES // 1_000_000} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot read the guidelines: {exc.strerror or exc}") from exc
    if b"\0" in data:
        raise AnnotatorError(f"{path}: not a text file; guidelines are Markdown or plain text in UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnnotatorError(
            f"{path}: not UTF-8 text (byte {exc.start} is not UTF-8); save the guidelines as UTF-8"
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
