"""``annotator --self-test``: proves that this installation works, offline, end to end.

Made for the frozen bundle (a file PyInstaller left out fails a step here, not on a user's desk) and
just as runnable from a checkout. Each step prints one line; the first failure names its step and its
error, and the exit code is 1. Nothing outside the self-test's own folder is read or written: it
sets ANNOTATOR_HOME to that folder, so the user's projects, settings and log are never touched.

Like app.py, this is a composition module above ui and services: it drives both, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from annotator import __version__, paths

DEMO_ARTICLE = "01_harbour_bridge.txt"
PROJECT_FILE = "selftest.annotator.sqlite"
EXPORT_FILE = "export.jsonl"
SCREENSHOT_FILE = "main-window.png"
ABOUT_FILE = "about.png"
DASHBOARD_FILE = "dashboard.png"


class StepFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


class SelfTest:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.project = None
        self.window = None
        self.app = None

    # --- the steps, in order; each returns its one line of evidence ----------------------------------

    def version(self) -> str:
        check(not __version__.endswith("+unknown"), f"the package metadata is missing (version {__version__})")
        return f"Annotator {__version__}, Python {sys.version.split()[0]}, {'frozen' if is_frozen() else 'source'}"

    def startup(self) -> str:
        """The window's modules load without spaCy: the window appears first, spaCy loads afterwards."""
        import annotator.ui.application  # noqa: F401 (everything the window imports)

        heavy = sorted(name for name in ("spacy", "thinc", "torch") if name in sys.modules)
        check(not heavy, f"starting the window imports {', '.join(heavy)}; it must load in the background")
        return "the window's modules load without spaCy"

    def project_and_migrations(self) -> str:
        from alembic.script import ScriptDirectory

        from annotator.services import projects
        from annotator.store.project import MIGRATIONS

        self.project = projects.open_location(str(self.folder / PROJECT_FILE))
        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
        revision = _sqlite_revision(self.folder / PROJECT_FILE)
        check(head is not None, f"no migration scripts found in {MIGRATIONS}")
        check(revision == head, f"the project is at revision {revision}, the scripts' head is {head}")
        labels = len(projects.schema_of(self.project).labels)
        return f"created {PROJECT_FILE}, migrated to {revision}, {labels} labels in the schema"

    def import_demo(self) -> str:
        from annotator.services import importing, projects

        article = projects.demo_folder() / DEMO_ARTICLE
        check(article.is_file(), f"the demo article {article} is missing")
        report = importing.import_paths(self.project, [article])
        check(report.ok and report.added == 1, f"import failed: {report.summary()}")
        return f"imported {DEMO_ARTICLE}"

    def preannotate(self) -> str:
        from annotator.services import preannotating

        started = time.monotonic()
        report = preannotating.preannotate(self.project)
        check(report.documents == 1, f"{report.documents} documents pre-annotated, expected 1")
        check(report.spans > 0, f"the pipeline {report.origin} suggested no entities")
        return f"{report.spans} entities suggested by {report.origin} in {time.monotonic() - started:.1f} s"

    def export_jsonl(self) -> str:
        from annotator.services import exporting

        target = self.folder / EXPORT_FILE
        report = exporting.export(self.project, target, "jsonl")
        check(not report.cancelled and target.is_file(), f"no export written: {report.summary()}")
        lines = target.read_text(encoding="utf-8").splitlines()
        check(len(lines) == 1, f"{len(lines)} lines exported, expected 1")
        record = json.loads(lines[0])
        check(record.get("format") == "annotator/1", f"format is {record.get('format')!r}, expected 'annotator/1'")
        entities = record.get("entities") or []
        check(entities, "the exported document has no entities")
        text = record["text"]
        for span in entities:
            check(
                text[span["start"] : span["end"]] == span["text"],
                f"span {span['id']} ({span['start']}-{span['end']}) does not match its text {span['text']!r}",
            )
        return f"{EXPORT_FILE}: {len(entities)} entities, every offset matches its text"

    def article_formats(self) -> str:
        """A saved page, a feed, a PDF, a Word file and a spreadsheet, read into a project of their own; and
        the registry's matching (RapidFuzz, anyascii) on what they hold."""
        from annotator import selftest_samples
        from annotator.core import registry as registry_core
        from annotator.services import importing, projects
        from annotator.store.documents import iter_documents

        files = selftest_samples.write_all(self.folder / "formats")
        project = projects.open_location(str(self.folder / "formats.annotator.sqlite"))
        try:
            report = importing.import_paths(project, files)
            check(report.ok, f"importing the sample files failed: {report.summary()}; "
                  + "; ".join(str(p) for p in report.errors))
            check(report.added == len(files), f"{report.added} of {len(files)} sample articles imported")
            texts = {doc.source: doc.text for batch in iter_documents(project) for doc in batch}
        finally:
            project.close()
        missing = [name for name, text in texts.items() if selftest_samples.SENTENCE not in " ".join(text.split())]
        check(not missing, f"the sample sentence is missing from {', '.join(missing)}")
        known = [registry_core.KnownEntry(1, "Sergey Lavrov", registry_core.PERSON)]
        found = registry_core.suggest([registry_core.Mention(1, 1, 0, "Лавров", registry_core.PERSON)], known)
        check(found and found[0].entry_id == 1, f"the registry does not match Лавров to Sergey Lavrov: {found}")
        return f"read {', '.join(sorted(texts))}; Лавров matches Sergey Lavrov ({found[0].reason})"

    def render_window(self) -> str:
        # The ui layer and Qt are imported only here, as app.py does for the window.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QCoreApplication, QEventLoop
        from PySide6.QtWidgets import QApplication

        from annotator.ui import fonts
        from annotator.ui.about import AboutDialog, licence_texts
        from annotator.ui.application import app_settings
        from annotator.ui.main_window import MainWindow

        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        fonts.register_bundled_fonts()  # as the window's start does
        self.window = MainWindow(self.project, app_settings())
        self.window.resize(1280, 800)
        self.window.show()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not self.window.article.editor.toPlainText():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        shown = self.window.article.editor.toPlainText()
        check(shown, "the window shows no article")
        # What the window does right after it is shown, before its first paint on a screen: Qt shows or
        # hides a scroll bar in a queued call once the text's size is known. Drawn before that, the article
        # had a horizontal scroll bar it never shows on screen (its lines wrap).
        settled = time.monotonic() + 0.2
        while time.monotonic() < settled:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        check(
            not self.window.article.editor.horizontalScrollBar().isVisible(),
            "the article shows a horizontal scroll bar",
        )
        boxes = fonts.scripts_without_glyphs()
        if is_frozen():  # the bundle carries a font for each; a checkout relies on the system's
            check(not boxes, f"no font draws {', '.join(boxes)} text: it shows as empty boxes")
        about = AboutDialog(self.window)
        missing = [c.name for c in about.components if c.version is None]
        check(not missing, f"the About dialog finds no version for {', '.join(missing)}")
        if is_frozen():  # the bundle must carry every licence text; a checkout may lack the interpreter's
            untold = [c.name for c in about.components if not licence_texts(c)]
            check(not untold, f"no licence text bundled for {', '.join(untold)}")
        about.resize(760, 620)
        about.grab().save(str(self.folder / ABOUT_FILE), "PNG")
        about.deleteLater()
        charts = self._dashboard()
        target = self.folder / SCREENSHOT_FILE
        image = self.window.grab().toImage()
        check(image.width() >= 640 and image.height() >= 400, f"the window is {image.width()}x{image.height()}")
        colours = {image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)}
        check(len(colours) > 8, "the rendered window is blank")
        check(image.save(str(target), "PNG"), f"could not write {target}")
        scripts = f"no font for {', '.join(boxes)}" if boxes else f"fonts for {len(fonts.SAMPLES)} scripts"
        return (f"{SCREENSHOT_FILE}: {image.width()}x{image.height()}, {len(shown)} characters shown, {scripts}; "
                f"dashboard: {charts} charts")

    def _dashboard(self) -> int:
        """Project ▸ Dashboard drawn (pyqtgraph, loaded only now, as in the window) and saved as a PNG."""
        from PySide6.QtCore import QCoreApplication, QEventLoop

        from annotator.ui.dashboard import show_dashboard

        dialog = show_dashboard(self.window)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not dialog.counted:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        check(dialog.counted, "the dashboard did not finish counting in 20 s")
        image = dialog.grab().toImage()
        check(image.width() >= 400, f"the dashboard is {image.width()}x{image.height()}")
        check(image.save(str(self.folder / DASHBOARD_FILE), "PNG"), f"could not write {DASHBOARD_FILE}")
        count = len(dialog.charts)
        dialog.close()
        return count

    # --- running --------------------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("version", self.version),
            ("startup", self.startup),
            ("project", self.project_and_migrations),
            ("import", self.import_demo),
            ("pre-annotate", self.preannotate),
            ("export", self.export_jsonl),
            ("formats", self.article_formats),
            ("window", self.render_window),
        ]

    def run(self, out=None) -> int:
        out = out or sys.stdout
        print(f"Annotator self-test in {self.folder}", file=out, flush=True)
        try:
            for name, step in self.steps():
                try:
                    evidence = step()
                except Exception as exc:  # every failure is reported as the step's, with its cause
                    print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out, flush=True)
                    if not isinstance(exc, StepFailed):
                        traceback.print_exc(file=sys.stderr)
                    return 1
                print(f"ok   {name}: {evidence}", file=out, flush=True)
        finally:
            self.close()
        print("self-test passed", file=out, flush=True)
        return 0

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            if not self.window.workers.wait(5_000):
                print("warning: background work was still running at the end", file=sys.stderr)
        if self.project is not None:
            self.project.close()


def run(folder: str | None = None, setup_logging: Callable[[], object] | None = None) -> int:
    """The self-test in ``folder`` (kept, with the project, the export and the screenshot), or in a
    temporary folder removed afterwards. Its log goes to that folder too."""
    keep = folder is not None
    where = Path(folder).expanduser().resolve() if keep else Path(tempfile.mkdtemp(prefix="annotator-selftest-"))
    where.mkdir(parents=True, exist_ok=True)
    paths.set_home(where / "home")
    if setup_logging is not None:
        setup_logging()
    try:
        return SelfTest(where).run()
    finally:
        if not keep:
            shutil.rmtree(where, ignore_errors=True)


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _sqlite_revision(path: Path) -> str | None:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    return row[0] if row else None
