"""Claim suggestions: which sentences assert something a fact-checker could check, and how much.

A rule, not a trained model: a handful of features read off a parsed spaCy Doc (en_core_web_sm with
all its components: sentences, tags, lemmas, dependencies, entities), each with a weight, summed and
squashed to a check-worthiness score in [0, 1]. Nothing is learned at run time, so the same text
always gets the same scores and it costs little beyond the parse itself.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from annotator.core.tokens import without_spaces

# Below this score no claim is suggested. It is where the default schema's "non-factual" class ends
# (vocabulary.checkworthiness_class): a claim suggested as "non-factual" would contradict itself.
# Everything scores, so a suggester that ranks can still walk all sentences (sentence_scores).
THRESHOLD = 0.25
ORIGIN = "claim-rules@1"  # recorded on what this rule suggests; the number goes up when it changes

# --- the rule's weights ---------------------------------------------------------------------------------
# Log-odds, added up per sentence (a feature that counts, like "named", adds its weight per count).
# Features, signs and sizes are set by hand in three tiers: 1.0 for what makes a sentence checkable in
# itself (a figure, a rate, money, a measurement), 0.5 for what anchors it (a date, a past event, a
# record, a name, a comparison, a source), and the negatives by how surely they mean "not asserted as a
# fact" (a question or a greeting -2; an opinion, an ought, a promise, an order -1; hedges and talk to
# the hearer -0.5). Nothing here was fitted to a data set: the package ships no model trained on
# research-only data, and a model the analyst trains in the app is theirs. With the bias, a sentence
# with nothing checkable scores about 0.12, and one figure in a past-tense sentence about a named
# subject reaches 0.5, where the default schema's "check-worthy factual" class begins.
BIAS = -2.0
WEIGHTS = {
    # What can be checked: figures, and what figures and records are about.
    "number": 1.0,  # a figure that is not a date: "3.5", "twelve", "40,000"
    "percent": 1.0,  # a rate, on top of its number: "3.5 percent", "12%"
    "money": 1.0,  # "$4 billion", "500 dollars"
    "statistic": 1.0,  # words of measurement: rate, average, million, increase, deficit, poll
    "date": 0.5,  # a date with a digit ("2019", "March 3") anchors a fact in time
    "named": 0.5,  # per named person, organisation, place, group, law or event (up to three)
    "noun_subject": 0.5,  # the main verb's subject is a noun or a name, not a pronoun: about something
    "compare": 0.5,  # comparatives and superlatives: "more than", "the lowest"
    "past": 0.5,  # a verb in the past tense: something happened
    "record": 0.5,  # what someone did on the record: voted, signed, passed, vetoed, cut, raised
    "cause": 0.5,  # causal links: caused, led to, due to, because of
    "reported": 0.5,  # said, reported, announced, according to: a claim carried by a source
    "long": 0.5,  # twenty words or more: room for several facts
    # What cannot be checked, or is not asserted as a fact.
    "question": -2.0,  # ends with "?"
    "greeting": -2.0,  # thank you, good evening, welcome, congratulations
    "imperative": -1.0,  # "Vote for me.", "Let's go."
    "opinion": -1.0,  # "I think", "we believe", "in my opinion"
    "should": -1.0,  # "we should", "we must", "we need to": what ought to be, not what is
    "future": -1.0,  # will, going to: promises and predictions cannot be checked yet
    "short": -1.0,  # two or three words: too little to assert much
    "hedge": -0.5,  # may, might, could, would, perhaps, probably
    "you": -0.5,  # talking to the hearer: "you know", "you can"
    "vague": -0.5,  # only a pronoun as subject and nothing named or counted: "That's not true."
}

# --- the words the features look for (lemmas in lower case, entity labels) ------------------------------
NAMED = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW", "EVENT", "PRODUCT"}
NUMBERED = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY"}
NOT_FIGURES = {"DATE", "TIME", "ORDINAL"}  # "2019" is a date, "first" an order: not figures
STATISTIC = {
    "percent", "percentage", "rate", "average", "median", "million", "billion", "trillion", "thousand",
    "hundred", "half", "third", "quarter", "majority", "number", "total", "increase", "decrease", "rise",
    "fall", "drop", "grow", "growth", "decline", "double", "triple", "record", "statistic", "data", "poll",
    "survey", "study", "report", "per", "deficit", "debt", "budget", "unemployment", "tax", "income",
    "cost", "price", "case", "death",
}
RECORD = {
    "vote", "sign", "pass", "veto", "cut", "raise", "spend", "create", "lose", "ban", "propose", "oppose",
    "support", "fund", "approve", "reject", "invest",
}
# "because" alone is left out: in speech it mostly gives the reason for an opinion ("because I
# believe..."); "because of" names a cause.
CAUSE_VERBS = {"cause", "lead", "result", "contribute", "trigger", "prevent", "reduce", "kill"}
CAUSE_WORDS = {"due", "therefore", "consequently", "thanks"}
REPORTED = {"say", "report", "announce", "claim", "confirm", "deny", "according"}
OPINION_VERBS = {
    "think", "believe", "feel", "hope", "guess", "suppose", "wish", "want", "like", "love", "hate", "agree",
    "disagree", "doubt", "trust", "expect", "promise", "intend",
}
FIRST_PERSON = {"i", "we"}
HEDGES = {"may", "might", "could", "would", "perhaps", "maybe", "probably", "possibly", "seem", "appear"}
GREETINGS = {
    "thank", "thanks", "hello", "hi", "welcome", "congratulations", "congratulate", "goodbye", "bye",
    "evening", "morning", "applause", "laughter", "pleasure", "honor", "honour",
}
VAGUE_SUBJECTS = {"it", "that", "this", "there", "which", "what"}
SUBJECTS = ("nsubj", "nsubjpass", "expl")
SENTENCE_END = set(".!?…:;\"”’'»)")
HEADLINE_WORDS = 15  # a line without closing punctuation up to this long is a headline, not a claim


def load_parser(name: str | None = None) -> Language:
    """The whole pipeline (tagger, parser, lemmatizer, entities): claims need all of it, unlike entity
    suggestions (pipelines.load_pipeline turns the rest off)."""
    import spacy

    from annotator.nlp.pipelines import default_model

    return spacy.load(name or default_model())


def sentence_scores(doc: Doc, offset: int = 0) -> list[tuple[int, int, float]]:
    """(start, end, score) of every sentence, in order, for suggesters that rank: code-point offsets
    shifted by ``offset``, trimmed of surrounding whitespace. Headlines and one-word lines score 0."""
    found = []
    # spaCy rebuilds doc.text from every token on each read, and a Span's .ents filters all of the Doc's:
    # both once per Doc here, not once per sentence (they were most of the rule's time).
    text = doc.text
    entities = list(doc.ents)
    starts = [e.start for e in entities]
    for piece in _pieces(doc):
        start, end = without_spaces(text, piece.start_char, piece.end_char)
        if end > start:
            inside = entities[bisect_left(starts, piece.start) : bisect_left(starts, piece.end)]
            inside = [e for e in inside if e.end <= piece.end]
            worth = 0.0 if _no_claim(piece, start, end, text) else score(piece, inside)
            found.append((start + offset, end + offset, worth))
    return found


def claim_sentences(doc: Doc, offset: int = 0, threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """(start, end, score) of each sentence that asserts something checkable: its score is
    ``threshold`` or more. Offsets as in sentence_scores."""
    return [found for found in sentence_scores(doc, offset) if found[2] >= threshold]


def score(sentence: Span, entities: list[Span] | None = None) -> float:
    """The check-worthiness of one sentence in [0, 1]: the logistic of the bias plus its features'
    weights. ``entities``: the sentence's own, when the caller has them at hand."""
    total = BIAS + sum(WEIGHTS[name] * value for name, value in features(sentence, entities).items())
    return 1 / (1 + math.exp(-total))


def features(sentence: Span, entities: list[Span] | None = None) -> dict[str, float]:
    """The features a sentence has, by name (absent ones are left out): why it scores what it does."""
    tokens = [t for t in sentence if not t.is_space and not _noise(t)]
    words = [t for t in tokens if t.is_alpha or t.like_num]
    lemmas = {t.lemma_.lower() for t in tokens}
    lowered = {t.lower_ for t in tokens}
    entities = [e for e in (sentence.ents if entities is None else entities) if not _noise(e[0])]
    labels = [e.label_ for e in entities]
    figure = any(_figure(t) for t in tokens)
    found = {
        "number": figure,
        "percent": "PERCENT" in labels or bool({"percent", "%"} & lowered),
        "money": "MONEY" in labels or "$" in lowered,
        "date": any(e.label_ == "DATE" and _has_digit(e.text) for e in entities),
        "named": min(3, sum(label in NAMED for label in labels)),
        "noun_subject": any(t.pos_ in ("NOUN", "PROPN") for t in _subjects(sentence)),
        "compare": any(t.tag_ in ("JJR", "JJS", "RBR", "RBS") for t in tokens),
        "statistic": bool(STATISTIC & lemmas),
        "past": any(t.tag_ == "VBD" for t in tokens),
        "record": any(t.pos_ == "VERB" and t.lemma_.lower() in RECORD for t in tokens),
        "cause": _cause(tokens),
        "reported": bool(REPORTED & lemmas),
        "long": len(words) >= 20,
        "question": _question(tokens),
        "imperative": _imperative(sentence),
        "opinion": _opinion(tokens),
        "should": _should(tokens),
        "hedge": bool(HEDGES & lemmas),
        "future": _future(tokens),
        "you": "you" in lowered,
        "vague": _vague(sentence) and not entities and not figure,
        "greeting": bool(GREETINGS & lemmas) and len(words) < 12,
        "short": len(words) < 4,
    }
    return {name: float(value) for name, value in found.items() if value}


# --- sentences ------------------------------------------------------------------------------------------


def _pieces(doc: Doc) -> Iterator[Span]:
    """The Doc's sentences, each cut again at line breaks: a headline or a list item the parser ran
    into the next sentence is a line of its own."""
    for sentence in doc.sents:
        start = sentence.start
        for token in sentence:
            if "\n" in token.text or "\n" in token.whitespace_:
                end = token.i if token.is_space else token.i + 1
                if end > start:
                    yield doc[start:end]
                start = token.i + 1
        if sentence.end > start:
            yield doc[start : sentence.end]


def _no_claim(piece: Span, start: int, end: int, text: str) -> bool:
    """One word, or a headline: a line of its own, not too long, that does not end as a sentence
    does and has more text after it (a tweet's only line is no headline)."""
    words = sum(1 for t in piece if (t.is_alpha or t.like_num) and not _noise(t))
    if words < 2:
        return True
    if words > HEADLINE_WORDS or text[end - 1] in SENTENCE_END:
        return False
    before = start - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    alone = (before < 0 or text[before] == "\n") and after < len(text) and text[after] == "\n"
    return alone and _MORE_TEXT.search(text, after) is not None


_MORE_TEXT = re.compile(r"\S")


# --- features -------------------------------------------------------------------------------------------


def _noise(token: Token) -> bool:
    """URLs, @mentions and #hashtags: their digits and the entities found in them are not facts
    ("#COVID19" is no figure)."""
    if token.like_url or token.text in ("#", "@") or token.text.startswith(("@", "#")):
        return True
    before = token.nbor(-1) if token.i > 0 else None
    return before is not None and before.text in ("#", "@") and not before.whitespace_


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _figure(token: Token) -> bool:
    if token.ent_type_ in NOT_FIGURES:
        return False
    return token.like_num or (token.ent_type_ in NUMBERED and _has_digit(token.text))


def _subjects(sentence: Span) -> list[Token]:
    return [c for c in sentence.root.children if c.dep_ in SUBJECTS]


def _next_word(tokens: list[Token], i: int) -> str:
    return tokens[i + 1].lower_ if i + 1 < len(tokens) else ""


def _cause(tokens: list[Token]) -> bool:
    for i, t in enumerate(tokens):
        lemma, after = t.lemma_.lower(), _next_word(tokens, i)
        if lemma in CAUSE_WORDS or (lemma == "because" and after == "of"):
            return True
        if lemma in CAUSE_VERBS and t.pos_ in ("VERB", "NOUN") and (lemma != "lead" or after == "to"):
            return True
    return False


def _question(tokens: list[Token]) -> bool:
    return bool(tokens) and "?" in tokens[-1].text


def _imperative(sentence: Span) -> bool:
    """The root is a bare verb with no subject, first in the sentence: "Vote for me", "Let's go"."""
    root = sentence.root
    if root.tag_ != "VB":
        return False
    if root.lower_ == "let":  # in "Let's go" the parser makes "'s" the subject; the hearer is meant
        return True
    if _subjects(sentence):
        return False
    first = next((t for t in sentence if t.is_alpha and t.pos_ not in ("INTJ", "CCONJ", "ADV")), None)
    return first is not None and first.i == root.i


def _opinion(tokens: list[Token]) -> bool:
    """I/we as the subject of a verb of opinion, or "in my opinion"/"in my view"."""
    for i, t in enumerate(tokens):
        if t.dep_ == "nsubj" and t.lower_ in FIRST_PERSON and t.head.lemma_.lower() in OPINION_VERBS:
            return True
        if t.lower_ == "my" and _next_word(tokens, i) in ("opinion", "view"):
            return True
    return False


def _should(tokens: list[Token]) -> bool:
    """Obligation: should, must, ought; need, have and got only as "need to", "have to", "got to"."""
    for i, t in enumerate(tokens):
        lemma = t.lemma_.lower()
        if lemma in ("should", "must", "ought"):
            return True
        # "had to", "needed to" report the past: that is a fact
        if lemma in ("need", "have", "get") and _next_word(tokens, i) == "to" and t.tag_ not in ("VBD", "VBN"):
            return True
    return False


def _future(tokens: list[Token]) -> bool:
    for i, t in enumerate(tokens):
        if t.lower_ in ("will", "'ll", "wo", "shall") and t.tag_ == "MD":  # "wo" of "won't"
            return True
        if t.lower_ == "going" and _next_word(tokens, i) == "to":
            return True
    return False


def _vague(sentence: Span) -> bool:
    """The subject is only a pronoun like it/that/this: "That's not true", "It is a disgrace"."""
    subjects = _subjects(sentence)
    return bool(subjects) and all(s.lower_ in VAGUE_SUBJECTS for s in subjects)
