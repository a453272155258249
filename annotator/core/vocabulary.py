"""The statement and claim model's words, in one place: relation names, attribute keys, the kinds of a
statement, the check-worthiness classes, the quotation marks the suggesters know, and how to tell a
model's span from a person's. Formats, suggesters, the store and the window import them from here,
so a name cannot drift between a reader and the writer that mirrors it.
"""

from __future__ import annotations

# Relations (head -> tail).
SPEAKER = "speaker"  # statement -> the span of who said it (PARC source): an entity or a SPEAKER span
STATEMENT_OF = "statement"  # claim -> the statement it was made in

# A speaker who is no named entity ("he", "the ministry's press service") gets an entity-layer span of
# this label, so the statement can link to it as to any entity.
SPEAKER_LABEL = "SPEAKER"

# Attribute keys of a statement.
KIND = "kind"  # DIRECT or INDIRECT (the schema may add more, e.g. paraphrase)
SPEAKER_TEXT = "speaker_text"  # a speaker typed by the analyst, not in the text
CUE = "cue"  # [start, end] of the cue ("said"), in code points
STATEMENT_KEYS = (KIND, SPEAKER_TEXT, CUE)

# Attribute keys of a claim.
CHECKWORTHINESS = "checkworthiness"
CLAIM_TYPE = "claim_type"
NOTE = "note"
CLAIM_KEYS = (CHECKWORTHINESS, CLAIM_TYPE, NOTE)

# A model's confidence in [0, 1], on any suggested span; for a claim, its check-worthiness score.
SCORE = "score"

DIRECT = "direct"  # the content is quoted
INDIRECT = "indirect"

# The default schema's check-worthiness classes, from most to least worth checking (ClaimBuster's three).
CHECK_WORTHY = "check-worthy factual"
UNIMPORTANT = "unimportant factual"
NON_FACTUAL = "non-factual"
CHECKWORTHINESS_CLASSES = (CHECK_WORTHY, UNIMPORTANT, NON_FACTUAL)

# Opening quotation mark -> the marks that may close it. German and Polish „…“ and „…”, French «…» (and
# Danish »…«), English “…” and ‘…’, straight quotes, Swedish ”…”, CJK corner brackets.
QUOTES: dict[str, str] = {
    "“": "”„",
    "„": "“”",
    "«": "»",
    "»": "«",
    "‘": "’",
    "‚": "‘’",
    '"': '"',
    "”": "”",
    "「": "」",
    "『": "』",
}
CLOSING_QUOTES = frozenset("".join(QUOTES.values()))
# Two characters that quote in plain ASCII: two apostrophes (''It's an expansion,'' she said, in the New
# York Times texts of PolNeAR) and the `` of Penn Treebank text; both close with two apostrophes.
ASCII_OPENING, ASCII_CLOSING = ("''", "``"), "''"


def is_model_origin(origin: str | None) -> bool:
    """A span's origin is a model's when it names one with its version ("en_core_web_sm@3.8.0", or
    "import:brat:en_core_web_sm@3.8.0" when a file said so); a person's origin is their name."""
    return bool(origin) and "@" in origin


def checkworthiness_class(score: float, classes: tuple[str, ...] = CHECKWORTHINESS_CLASSES) -> str:
    """The class a check-worthiness score falls in: the first of ``classes`` from 0.5 up, the second
    from 0.25, else the last (a schema with other names keeps its own order, most worthy first)."""
    if not classes:
        return ""
    if score >= 0.5 or len(classes) == 1:
        return classes[0]
    if score >= 0.25 and len(classes) > 2:
        return classes[1]
    return classes[-1]
