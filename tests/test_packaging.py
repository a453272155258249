"""A regular install (a wheel, not the editable checkout) carries everything the app reads at run time."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_wheel_holds_resources_and_migrations_and_finds_them(tmp_path):
    # Built from a copy: a build in the checkout would leave build/ behind, and a stale build/ leaks
    # deleted modules into later wheels.
    source = tmp_path / "source"
    shutil.copytree(
        REPO, source,
        ignore=shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("annotator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "annotator/resources/schema/news.json",
        "annotator/resources/guidelines/news.md",
        "annotator/store/migrations/versions/0002_document_statuses.py",
        "annotator/store/migrations/versions/0003_document_labels.py",
        "annotator/resources/icons/annotator.svg",
        "annotator/resources/demo/01_harbour_bridge.txt",
        "annotator/store/migrations/env.py",
        "annotator/store/migrations/script.py.mako",
        "annotator/store/migrations/versions/0001_initial.py",
    ):
        assert needed in names, needed

    # Unpacked as site-packages would hold it, away from the checkout: a new project opens with its schema.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import annotator, annotator.paths as p;"
        "from annotator.services import projects;"
        "project = projects.open_location(sys.argv[2]);"
        "print(annotator.__file__.startswith(sys.argv[1]), p.resources_dir().is_relative_to(sys.argv[1]),"
        " projects.schema_of(project).colour_for('PERSON'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(site), str(tmp_path / "p.annotator.sqlite")],
        capture_output=True, text=True, cwd=tmp_path, check=True,
    )
    assert done.stdout.split() == ["True", "True", "#ffc98b"]
