"""The suggestion models: the stock pipeline and the models trained in the app, and which one each project uses.

Trained models live in ``<data folder>/models/<name>/<version>/`` (nlp.model_meta describes a folder).
A model is named by ``NAME@VERSION`` (the origin its suggestions record) or by ``NAME`` alone, meaning its
newest version. The stock pipeline (en_core_web_sm) is always there and cannot be deleted.

Each project keeps its choice in its settings (``suggestion_model``: a pinned ``NAME@VERSION``, or nothing
for the stock pipeline), so a new training run changes nothing until someone chooses its model. A training
run writes into a ``.partial-<pid>-...`` folder beside the models and renames it into place only when
it is complete: a cancelled or killed run never leaves half a model where a project could choose it, and
the leftovers of a killed run (its process gone) are swept away the next time the models are listed.

Each document has a language (core.languages), and a project may choose a pipeline per language
(``language_models``: a language -> a model as ``--model`` names it, or None for none). A language without
an entry: the project's default language gets the suggestion model above; any other gets no pipeline, so
no suggestions rather than an English pipeline's nonsense. ``default_language`` (else English) is what
a document in Latin letters that names no language is taken to be.

No spaCy here: the window lists the models without loading any.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from annotator import paths
from annotator.core.errors import AnnotatorError, ModelError
from annotator.core.languages import checked_language, normalised
from annotator.nlp.model_meta import STOCK_PIPELINES, read_meta
from annotator.store.documents import DEFAULT_LANGUAGE_SETTING, language_counts
from annotator.store.project import Project
from annotator.store.settings import get_setting, set_setting

SETTING = "suggestion_model"  # the project's choice: "NAME@VERSION", or None for the stock pipeline
STOCK = "stock"  # what `models use stock` and the window call the stock pipeline
PARTIAL = ".partial-"
LANGUAGES = "language_models"  # the project's pipeline per language: {"he": "he-news@2", "th": None, ...}
NONE = "none"  # what `models --language th=none` and the window call "no pipeline for this language"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class ModelInfo:
    ref: str  # what --model and `models use` take: "my-news@3", or the stock pipeline's package name
    name: str
    version: int | None = None  # None: the stock pipeline
    path: Path | None = None
    layers: tuple[str, ...] = ()  # the layers its trained components suggest; the rest as its base does
    base: str = ""  # the origin of the pipeline it was trained from
    project: str = ""
    created: str = ""
    meta: dict = field(default_factory=dict, compare=False, repr=False)
    in_use: bool = False  # by the project the list was made for

    @property
    def stock(self) -> bool:
        return self.version is None

    def describe(self) -> str:
        """One line for a terminal or a list."""
        use = "  (in use)" if self.in_use else ""
        if self.stock:
            return f"{self.ref}  stock pipeline: entities; statements and claims by the rules{use}"
        layers = ", ".join(self.layers) or "nothing"
        when = self.created[:16].replace("T", " ")
        return f"{self.ref}  trained for {layers} from {self.base}, project {self.project}, {when}{use}"


def models_dir() -> Path:
    folder = paths.data_dir() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stock_model() -> ModelInfo | None:
    """The stock pipeline that is installed (found without importing spaCy), or None."""
    for name in STOCK_PIPELINES:
        if importlib.util.find_spec(name) is not None:
            return ModelInfo(ref=name, name=name)
    return None


def list_models(project: Project | None = None) -> list[ModelInfo]:
    """The stock pipeline, then every trained model by name and version; ``in_use`` marks the project's."""
    sweep()
    chosen = chosen_model(project) if project is not None else None
    found = []
    stock = stock_model()
    if stock is not None:
        found.append(_marked(stock, chosen is None))
    for folder in sorted(models_dir().iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        for info in sorted(_versions(folder), key=lambda i: i.version or 0):
            found.append(_marked(info, info.ref == chosen))
    return found


def find_model(ref: str) -> ModelInfo | None:
    """A trained model by ``NAME@VERSION`` or ``NAME`` (its newest version), or a stock pipeline by name."""
    if ref == STOCK:
        return stock_model()
    if ref in STOCK_PIPELINES:
        return ModelInfo(ref=ref, name=ref) if importlib.util.find_spec(ref) is not None else None
    name, _, version = ref.partition("@")
    if not _NAME.fullmatch(name) or version and not version.isdigit():
        return None
    folder = models_dir() / name
    if not folder.is_dir():
        return None
    versions = _versions(folder)
    if version:
        return next((v for v in versions if v.version == int(version)), None)
    return max(versions, key=lambda v: v.version or 0, default=None)


def chosen_model(project: Project) -> str | None:
    """The project's suggestion model as stored (``NAME@VERSION``); None: the stock pipeline."""
    value = get_setting(project, SETTING)
    return value if isinstance(value, str) and value else None


def resolve(project: Project | None, model: str | None) -> str | None:
    """What load_pipeline is to load for ``model``: a trained model's folder, a stock or installed pipeline's
    name or a folder as given; for None the project's choice (None again: the stock pipeline)."""
    if model is None:
        if project is None or (chosen := chosen_model(project)) is None:
            return None
        info = find_model(chosen)
        if info is None or info.path is None:
            raise ModelError(
                f"this project's suggestion model {chosen} is not in {models_dir()} (deleted?); choose another "
                f"with 'annotator models use NAME' or go back to the stock pipeline with 'annotator models use stock'"
            )
        return str(info.path)
    if model == STOCK:
        return None
    info = find_model(model) if "/" not in model and os.sep not in model else None
    if info is not None and info.path is not None:
        return str(info.path)
    return model  # an installed pipeline or a folder: load_pipeline says if it is neither


def use_model(project: Project, ref: str) -> ModelInfo:
    """Make ``ref`` the project's suggestion model (``stock`` or the stock pipeline's name: the stock one).
    A name without a version pins its newest version."""
    info = find_model(ref)
    if info is None:
        raise ModelError(f"no model '{ref}': 'annotator models' lists them")
    set_setting(project, SETTING, None if info.stock else info.ref)
    return _marked(info, True)


@dataclass(frozen=True)
class LanguageChoice:
    """Which pipeline suggests for a language's documents in a project."""

    language: str
    documents: int  # of that language in the project
    ref: str | None  # a model as --model names it; None: no pipeline (its documents get no suggestions)
    default: bool = False  # the project's default language, whose pipeline is the suggestion model
    explicit: bool = False  # chosen for this language, not by the rule for languages without a choice

    def describe(self) -> str:
        pipeline = self.ref or "none: no suggestions"
        how = "" if self.explicit else " (the suggestion model)" if self.default else " (none chosen)"
        return f"{self.language}  {self.documents} document(s)  {pipeline}{how}"


def default_language(project: Project) -> str:
    from annotator.core.languages import DEFAULT_LANGUAGE

    return normalised(get_setting(project, DEFAULT_LANGUAGE_SETTING)) or DEFAULT_LANGUAGE


def set_default_language(project: Project, language: str) -> str:
    """What documents in Latin letters that name no language are taken to be, from the next import on."""
    code = _language(language)
    set_setting(project, DEFAULT_LANGUAGE_SETTING, code)
    return code


def language_models(project: Project) -> dict[str, str | None]:
    """The pipelines chosen per language, as stored (None: none for that language)."""
    value = get_setting(project, LANGUAGES)
    if not isinstance(value, dict):
        return {}
    return {code: ref if isinstance(ref, str) and ref else None for key, ref in value.items()
            if (code := normalised(key)) is not None}


def set_language_model(project: Project, language: str, ref: str) -> LanguageChoice:
    """Choose the pipeline for ``language``'s documents: a model trained here (NAME pins its newest version),
    ``stock``, an installed pipeline, a pipeline folder, or ``none``. For the default language a model
    from the list becomes the suggestion model, as `models use` makes it."""
    code = _language(language)
    chosen = language_models(project)
    if ref.strip().lower() == NONE:
        chosen[code] = None
    elif code == default_language(project) and find_model(ref) is not None:
        use_model(project, ref)
        chosen.pop(code, None)
    else:
        chosen[code] = _pinned(ref)
    set_setting(project, LANGUAGES, chosen)
    return next(c for c in language_choices(project) if c.language == code)


def language_choices(project: Project, model: str | None = None) -> list[LanguageChoice]:
    """Each language the project's documents are in (most documents first), the default language and every
    language with a choice, with the pipeline that suggests for it. ``model`` (``--model``): the default
    language's pipeline for one run instead of the project's."""
    counts = language_counts(project)
    chosen, default = language_models(project), default_language(project)
    found = []
    for code in [*counts, *sorted((set(chosen) | {default}) - set(counts))]:
        is_default = code == default
        if is_default and model is not None:
            ref, explicit = model, True
        elif code in chosen:
            ref, explicit = chosen[code], True
        elif is_default:
            ref, explicit = chosen_model(project) or (stock_model() or ModelInfo(STOCK, STOCK)).ref, False
        else:
            ref, explicit = None, False
        found.append(LanguageChoice(code, counts.get(code, 0), ref, is_default, explicit))
    return found


def _language(value: str) -> str:
    try:
        return checked_language(value)
    except ValueError as exc:
        raise AnnotatorError(str(exc)) from None


def _pinned(ref: str) -> str:
    """``ref`` as a project keeps it: a trained model by NAME@VERSION, an installed pipeline by its name,
    a folder by its full path."""
    info = find_model(ref)
    if info is not None:
        return info.ref
    path = Path(ref).expanduser()
    if path.is_dir():
        return str(path.resolve())
    if "/" not in ref and os.sep not in ref and _installed(ref):
        return ref
    raise ModelError(f"no model, installed pipeline or pipeline folder '{ref}': 'annotator models' lists the models")


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # "a.b" whose "a" is not installed, or not a module name at all
        return False


def delete_model(ref: str, project: Project | None = None, force: bool = False) -> ModelInfo:
    """Delete a trained model's version. The stock pipeline cannot be deleted; the project's own model only
    with ``force`` (the project goes back to the stock pipeline)."""
    info = find_model(ref)
    if info is None:
        raise ModelError(f"no model '{ref}': 'annotator models' lists them")
    if info.stock:
        raise ModelError(f"{info.ref} is the stock pipeline, which always stays")
    name, _, version = ref.partition("@")
    if not version and len(_versions(models_dir() / name)) > 1:
        numbers = ", ".join(info.ref for info in sorted(_versions(models_dir() / name), key=lambda i: i.version or 0))
        raise ModelError(f"{name} has several versions ({numbers}): name the one to delete")
    in_use = project is not None and chosen_model(project) == info.ref
    if in_use and not force:
        raise ModelError(f"{info.ref} is this project's suggestion model; choose another first, or delete it anyway "
                         f"with --force (the project then goes back to the stock pipeline)")
    assert info.path is not None
    shutil.rmtree(info.path)
    if not any(info.path.parent.iterdir()):
        info.path.parent.rmdir()
    if in_use and project is not None:
        set_setting(project, SETTING, None)
    return info


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name) or name == STOCK or name in STOCK_PIPELINES:
        raise AnnotatorError(
            f"'{name}' cannot name a model: use up to 64 letters, digits, '.', '-' or '_', starting with a letter "
            f"or digit, and not '{STOCK}' or a stock pipeline's name"
        )
    return name


def default_name(project: Project) -> str:
    """The project's name, made fit to name a model."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", project.name).strip("-._")[:64]
    return name if name and name != STOCK and name not in STOCK_PIPELINES else "model"


def next_version(name: str) -> int:
    folder = models_dir() / name
    numbers = [int(p.name) for p in folder.iterdir() if p.name.isdigit()] if folder.is_dir() else []
    return max(numbers, default=0) + 1


def partial_folder(name: str) -> Path:
    """A new folder for a training run to write into, named after this process (see sweep)."""
    folder = models_dir() / f"{PARTIAL}{os.getpid()}-{name}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    return folder


def install(partial: Path, name: str, version: int) -> int:
    """Rename a finished run's folder into place as ``name``'s ``version`` (the next free one if another run
    took it meanwhile); returns the version it got. A rename within one folder is atomic."""
    (models_dir() / name).mkdir(exist_ok=True)
    while True:
        target = models_dir() / name / str(version)
        try:
            os.rename(partial, target)
            return version
        except OSError:
            if not target.exists():
                raise
            version += 1


def sweep() -> None:
    """Remove what runs whose process is gone left behind (killed, or the machine went down)."""
    for folder in models_dir().glob(f"{PARTIAL}*"):
        pid = folder.name[len(PARTIAL):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _versions(folder: Path) -> list[ModelInfo]:
    found = []
    for path in folder.iterdir():
        meta = read_meta(path) if path.name.isdigit() and path.is_dir() else None
        if meta is None:
            continue
        found.append(ModelInfo(
            ref=f"{folder.name}@{int(path.name)}",
            name=folder.name,
            version=int(path.name),
            path=path,
            layers=tuple(meta.get("layers", ())),
            base=str((meta.get("base") or {}).get("origin", "")),
            project=str(meta.get("project", "")),
            created=str(meta.get("created", "")),
            meta=meta,
        ))
    return found


def _marked(info: ModelInfo, in_use: bool) -> ModelInfo:
    from dataclasses import replace

    return replace(info, in_use=in_use)
