"""The layers hold: core is pure, only ui imports Qt, only store speaks SQL, only nlp spaCy."""

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    done = subprocess.run([command], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" not in done.stdout.lower().replace("0 broken", "")


def test_the_window_code_does_not_import_spacy():
    """spaCy takes a second to import: the window must be able to appear before it is loaded."""
    code = "import sys, annotator.app, annotator.ui.main_window; print(sorted(m for m in ('spacy', 'thinc') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cli_commands_do_not_import_qt():
    code = "import sys, annotator.app, annotator.cli; print('PySide6' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
