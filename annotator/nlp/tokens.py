"""Tokenizers for token-based formats (Prodigy, CoNLL): the project's pipeline's own, so tokens
match what its entity recogniser saw.

spaCy refuses a text over ``nlp.max_length`` (1,000,000 characters, error E088). Tokens never hold
white space, so a long text is tokenised in pieces cut after a line break or a space, with the
offsets shifted back: the tokens are the same, and the limit never reaches the user.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from annotator.core.errors import ModelError
from annotator.core.records import Tokenize
from annotator.nlp.pipelines import default_model
from annotator.nlp.suggest import piece_bounds

PIECE = 100_000  # characters tokenised at once: the tokenizer needs no model memory, only the Doc's


def tokenizer(name_or_path: str | None = None) -> Tokenize:
    """The named pipeline's tokenizer (default: en_core_web_sm) as code-point (start, end) pairs."""
    return _in_pieces(_tokenizer_only(name_or_path or default_model()))


def blank_tokenizer(lang: str = "en") -> Tokenize:
    """spaCy's rule-based tokenizer for a language, with no pipeline to load (tests, fallbacks)."""
    return _in_pieces(spacy.blank(lang))


def _in_pieces(nlp: Language, size: int = PIECE) -> Tokenize:
    def tokenize(text: str) -> list[tuple[int, int]]:
        if len(text) <= size:
            return [(t.idx, t.idx + len(t.text)) for t in nlp.make_doc(text) if not t.is_space]
        tokens: list[tuple[int, int]] = []
        for start, end in piece_bounds(text, size):
            tokens += [
                (start + t.idx, start + t.idx + len(t.text)) for t in nlp.make_doc(text[start:end]) if not t.is_space
            ]
        return tokens

    return tokenize


@lru_cache(maxsize=4)
def _tokenizer_only(name_or_path: str) -> Language:
    path = Path(name_or_path).expanduser()
    try:
        # The components are not needed for tokens; a pipeline's tokenizer lives outside them.
        nlp = spacy.load(path if path.is_dir() else name_or_path)
    except (OSError, ValueError, ImportError) as exc:
        raise ModelError(f"cannot load the spaCy pipeline '{name_or_path}' for its tokenizer: {exc}") from exc
    return nlp
