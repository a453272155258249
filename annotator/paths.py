"""The one owner of paths. Everything the app writes lives under these folders.

``ANNOTATOR_HOME`` (or ``--data-dir``, which sets it) moves all of them under one folder: for tests,
portable installs and development. Otherwise platformdirs picks each platform's usual places.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Annotator"
HOME_VARIABLE = "ANNOTATOR_HOME"
DEFAULT_PROJECT_NAME = "default"
PROJECT_SUFFIX = ".annotator.sqlite"


def set_home(path: str | Path) -> None:
    os.environ[HOME_VARIABLE] = str(Path(path).expanduser().resolve())


def _home() -> Path | None:
    value = os.environ.get(HOME_VARIABLE)
    return Path(value) if value else None


def _dir(kind: str) -> Path:
    home = _home()
    if home is not None:
        path = home / kind
    else:
        path = Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _dir("data")


def config_dir() -> Path:
    return _dir("config")


def log_dir() -> Path:
    return _dir("log")


def default_project() -> Path:
    return data_dir() / f"{DEFAULT_PROJECT_NAME}{PROJECT_SUFFIX}"


def project_location(value: str | None) -> str:
    """What ``--project`` means: a database URL, an existing or new file, or a project name.

    ``postgresql://...`` and other URLs pass through; ``news`` (no folder, no suffix) is the
    project ``news.annotator.sqlite`` in the data folder; anything else is a file path.
    """
    if not value:
        return str(default_project())
    if "://" in value:
        return value
    path = Path(value).expanduser()
    if path.exists() or path.suffix or len(path.parts) > 1:
        return str(path.resolve())
    return str(data_dir() / f"{value}{PROJECT_SUFFIX}")


def resources_dir() -> Path:
    """resources/: inside a PyInstaller bundle, inside an installed package, or in a source checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    package = Path(__file__).resolve().parent
    candidates = [Path(bundle) / "resources"] if bundle else []
    candidates += [package / "resources", package.parent / "resources"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Annotator's resources folder is missing (looked in {', '.join(map(str, candidates))})")


def licenses_dir() -> Path | None:
    """The licence texts of the bundled components, one folder per package: licenses/ inside a PyInstaller
    bundle (the build collects them there), or packaging/licenses in a source checkout (the texts that no
    package's metadata carries, such as Qt's LGPL). None in a regular install: the packages' metadata
    holds their texts."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "licenses"] if bundle else []
    candidates.append(Path(__file__).resolve().parent.parent / "packaging" / "licenses")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


def log_file() -> Path:
    """The log the window and the commands write (rotated: annotator.log.1, .2, ... beside it)."""
    return log_dir() / "annotator.log"


def backups_dir() -> Path:
    """Rolling backups of the projects, one folder per project; readable by their owner only."""
    path = data_dir() / "backups"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path
