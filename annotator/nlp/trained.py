"""Suggesting with what a model trained in the app carries: a statement tagger and a claim classifier.

Both are spaCy's own components (``tagger`` and ``textcat``) under names of their own, kept disabled in
the saved pipeline: run as ordinary components, the tagger would overwrite the base tagger's tags, which
the rules read. Instead ``load_pipeline`` appends the ``annotator_suggester`` component defined here. It
runs them over each Doc the rest of the pipeline parsed and leaves what they found in ``doc.user_data``,
where ``suggest._found`` takes it instead of the rules' output.

Stacking. Both components read the rules' own output as a feature of every token, written for the time
of the prediction into the token's ``ENT_KB_ID`` (no component of the base pipelines sets it, and it is
put back afterwards): the statement tagger sees which tokens the rules call source, cue or content and
whether the token is quoted; the claim classifier sees the rule's score of the sentence, in tenths. The
models learn where the rules go wrong instead of learning attribution from nothing, which a tagger with a
window of a few words cannot (measured on PolNeAR's last tenth: content character F1 0.73 without the
feature, 0.81 with it, decoded alike). Training writes the same features the same way (``statement_features``,
``claim_feature``), so what a model learned from is what it is given.

Decoding the tagger's token labels into statements, measured on PolNeAR's last tenth by date (84
articles, the bench_statement_quality measures; rules alone: content F1 0.774, speaker 0.804, cue 0.848):

- every run of CONTENT tokens is a content, trimmed of punctuation at its edges (quotation marks stay);
- where the rules found a statement over it, the rules' cue and source are kept (they follow the parse:
  right for 81% of the statements both found, the nearest tagged run for 45% of the others) and the
  tagger's bounds are used (content F1 0.806 with nothing else);
- a content the rules did not find is kept only when a tagged cue governs it in the parse and a tagged
  source hangs on that cue (subject, agent): content F1 0.825, speaker 0.834, cue 0.865. Keeping every
  tagger content, with the nearest source, gives content F1 0.827 but speaker 0.715;
- the rules' statements the tagger has nothing over are kept as they are (the hybrid; it changes little,
  as the tagger sees the rules' output: speaker 0.835 without them).

Claims: every sentence claims.sentence_scores cuts gets the mean probability of CLAIM of the classifier's
members (train_claims says why there are several); the rule's threshold decides which are suggested.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from annotator.core.model import Layer
from annotator.core.suggestions import Attribution
from annotator.core.vocabulary import ASCII_CLOSING, ASCII_OPENING, CLOSING_QUOTES, DIRECT, INDIRECT, QUOTES
from annotator.nlp.model_meta import CLAIM_CLASSIFIER, STATEMENT_TAGGER

SUGGESTER = "annotator_suggester"
ATTRIBUTIONS = "annotator.attributions"  # doc.user_data keys: what the trained components found
CLAIMS = "annotator.claims"

# The statement tagger's labels: one per token, as PolNeAR annotates (a token in a content that is also
# its cue or source is the cue or source).
O, CONTENT, CUE, SOURCE = "O", "CONTENT", "CUE", "SOURCE"
STATEMENT_LABELS = (O, CONTENT, CUE, SOURCE)
PRIORITY = {O: 0, CONTENT: 1, SOURCE: 2, CUE: 3}
# The claim classifier's two classes (textcat with exclusive classes).
CLAIM, OTHER = "CLAIM", "OTHER"


@Language.factory(SUGGESTER)
def make_suggester(nlp: Language, name: str) -> Suggester:
    return Suggester(nlp)


class Suggester:
    """Runs the trained components over parsed Docs; ``layers`` says which are wanted (load_pipeline sets it)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.layers = frozenset(Layer)

    def __call__(self, doc: Doc) -> Doc:
        self._run([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            self._run(batch)
            yield from batch

    def _run(self, docs: list[Doc]) -> None:
        tagger = _component(self.nlp, STATEMENT_TAGGER) if Layer.STATEMENT in self.layers else None
        classifiers = [self.nlp.get_pipe(name) for name in claim_classifiers(self.nlp)]
        if tagger is not None:
            for doc, found in zip(docs, tag_statements(tagger, docs), strict=True):
                doc.user_data[ATTRIBUTIONS] = found
        if classifiers and Layer.CLAIM in self.layers:
            for doc, found in zip(docs, classify_sentences(classifiers, docs), strict=True):
                doc.user_data[CLAIMS] = found


def _component(nlp: Language, name: str):
    return nlp.get_pipe(name) if name in nlp.component_names else None


def claim_classifiers(nlp: Language) -> list[str]:
    """The names of the claim classifier's members (train_claims.MEMBERS: ``claim_classifier``, ``_2``, ...)."""
    return [n for n in nlp.component_names if n == CLAIM_CLASSIFIER or n.startswith(f"{CLAIM_CLASSIFIER}_")]


def trained_attributions(doc: Doc) -> list[Attribution] | None:
    """What the statement tagger found in this Doc; None when no tagger ran."""
    return doc.user_data.get(ATTRIBUTIONS)


def trained_claims(doc: Doc, threshold: float) -> list[tuple[int, int, float]] | None:
    """(start, end, probability) of the sentences the classifier scores ``threshold`` or more; None when no
    classifier ran."""
    found = doc.user_data.get(CLAIMS)
    return None if found is None else [claim for claim in found if claim[2] >= threshold]


# --- features shared by training and suggesting ---------------------------------------------------------


def token_labels(doc: Doc, ranges: Iterable[tuple[str, int, int]]) -> list[str]:
    """One statement label per token from (label, start, end) character ranges: a token any range touches
    takes its label, the cue over the source over the content; the rest are O. Space tokens stay O."""
    labels = [O] * len(doc)
    starts = [token.idx for token in doc]
    for label, start, end in ranges:
        i = max(bisect_right(starts, start) - 1, 0)
        while i < len(doc) and doc[i].idx < end:
            token = doc[i]
            if token.idx + len(token) > start and not token.is_space and PRIORITY[label] > PRIORITY[labels[i]]:
                labels[i] = label
            i += 1
    return labels


def attribution_ranges(found: Iterable[Attribution]) -> list[tuple[str, int, int]]:
    ranges = []
    for attribution in found:
        ranges.append((CONTENT, *attribution.content))
        if attribution.cue is not None:
            ranges.append((CUE, *attribution.cue))
        if attribution.source is not None:
            ranges.append((SOURCE, *attribution.source))
    return ranges


def statement_features(doc: Doc, found: list[Attribution]) -> list[str]:
    """Per token: the rules' label, with "/q" when the token is inside a quotation."""
    from annotator.nlp.statements import quotations

    quotes = quotations(doc.text)
    starts = [start for start, _ in quotes]
    features = []
    for token, label in zip(doc, token_labels(doc, attribution_ranges(found)), strict=True):
        i = bisect_right(starts, token.idx) - 1
        quoted = i >= 0 and quotes[i][0] <= token.idx < quotes[i][1]
        features.append(f"{label}/q" if quoted else label)
    return features


def write_features(doc: Doc, features: list[str]) -> list[int]:
    """Write one feature per token into ENT_KB_ID; returns what was there, for ``restore_features``."""
    saved = [token.ent_kb_id for token in doc]
    for token, feature in zip(doc, features, strict=True):
        token.ent_kb_id_ = feature
    return saved


def restore_features(doc: Doc, saved: list[int]) -> None:
    for token, value in zip(doc, saved, strict=True):
        token.ent_kb_id = value


def claim_feature(score: float) -> str:
    """The rule's score of a sentence in tenths: "rule0" to "rule9"."""
    return f"rule{min(int(score * 10), 9)}"


def sentence_docs(doc: Doc) -> list[tuple[int, int, float, Doc | None]]:
    """(start, end, rule score, the sentence as a Doc with its feature) of each sentence claims.sentence_scores
    finds. Sentences the rule sets aside (headlines, one-word lines: score 0) get no Doc: they stay 0."""
    from annotator.nlp.claims import sentence_scores

    found = []
    for start, end, score in sentence_scores(doc):
        span = doc.char_span(start, end, alignment_mode="expand") if score > 0 else None
        sentence = span.as_doc() if span is not None and len(span) else None
        if sentence is not None:
            write_features(sentence, [claim_feature(score)] * len(sentence))
        found.append((start, end, score, sentence))
    return found


# --- statements --------------------------------------------------------------------------------------


def tag_statements(tagger, docs: list[Doc]) -> list[list[Attribution]]:
    """The statements in each Doc: the tagger's labels decoded, with the rules' statements beside them."""
    from annotator.nlp.statements import attributions

    every, docs = docs, [doc for doc in docs if len(doc)]  # an empty piece has nothing to tag
    founds = [attributions(doc) for doc in docs]
    saved = [write_features(doc, statement_features(doc, found)) for doc, found in zip(docs, founds, strict=True)]
    try:
        scores = tagger.model.predict(docs) if docs else []
    finally:
        for doc, values in zip(docs, saved, strict=True):
            restore_features(doc, values)
    names = list(tagger.labels)
    found_in: dict[int, list[Attribution]] = {}
    for doc, found, table in zip(docs, founds, scores, strict=True):
        table = tagger.model.ops.to_numpy(table)
        labels = [names[i] for i in table.argmax(axis=1)]
        found_in[id(doc)] = decode(doc, labels, table[:, names.index(CONTENT)], found)
    return [found_in.get(id(doc), []) for doc in every]


Run = tuple[int, int]  # token indices [start, end)


def decode(doc: Doc, labels: list[str], content_scores, found: list[Attribution]) -> list[Attribution]:
    """Statements from token labels (see the module's docstring for each decision and what it measured)."""
    cues, sources = _runs(labels, CUE), _runs(labels, SOURCE)
    made: list[Attribution] = []
    used: set[int] = set()
    for run in _runs(labels, CONTENT):
        run = _trimmed(doc, run)
        if run is None:
            continue
        content = _chars(doc, run)
        score = float(sum(content_scores[run[0]:run[1]]) / (run[1] - run[0]))
        overlapping = [(i, a) for i, a in enumerate(found) if _overlaps(a.content, content)]
        if overlapping:
            i, rule = max(overlapping, key=lambda pair: _shared(pair[1].content, content))
            used.add(i)
            cue, source, speaker = rule.cue, rule.source, rule.speaker
            if source is None:  # a quotation the rules found no speaker for: the tagger's, if any
                cue_run, source_run = _associated(doc, run, cues, sources, strict=False)
                cue = cue if cue is not None else _chars(doc, cue_run)
                source, speaker = _chars(doc, source_run), _speaker(doc, source_run)
            made.append(Attribution(content, cue, source, speaker, _kind(doc.text, content), score))
            continue
        cue_run, source_run = _associated(doc, run, cues, sources, strict=True)
        if cue_run is None or source_run is None:
            continue
        made.append(Attribution(content, _chars(doc, cue_run), _chars(doc, source_run), _speaker(doc, source_run),
                                _kind(doc.text, content), score))
    for i, rule in enumerate(found):
        if i not in used and not any(_overlaps(rule.content, a.content) for a in made):
            made.append(rule)
    made.sort(key=lambda a: a.content)
    return made


def _runs(labels: list[str], wanted: str) -> list[Run]:
    runs, i = [], 0
    while i < len(labels):
        if labels[i] != wanted:
            i += 1
            continue
        j = i + 1
        while j < len(labels) and labels[j] == wanted:
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _trimmed(doc: Doc, run: Run) -> Run | None:
    start, end = run
    while end - start > 1 and _edge(doc[end - 1]):
        end -= 1
    while end - start > 1 and _edge(doc[start]):
        start += 1
    if all(token.is_punct or token.is_space for token in doc[start:end]):
        return None
    return start, end


def _edge(token) -> bool:
    return (token.is_punct and not token.is_quote) or token.is_space


def _associated(doc: Doc, run: Run, cues: list[Run], sources: list[Run], strict: bool) -> tuple[Run | None, Run | None]:
    """The cue and source of a content: the tagged cue in its sentences that governs the content's head most
    closely in the parse (else the nearest), and the tagged source hanging on that cue. ``strict``: both must
    be in the content's sentences and the source must hang on the cue; else neighbouring sentences count and
    the nearest source will do."""
    start, end = run
    first, last = doc[start].sent, doc[end - 1].sent
    low, high = first.start, last.end
    if not strict:
        low = doc[low - 1].sent.start if low > 0 else low
        high = doc[high].sent.end if high < len(doc) else high
    heads = [t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i]

    def distance(other: Run) -> int:
        return other[0] - end if other[0] >= end else start - other[1] if other[1] <= start else 0

    def governs(cue: Run) -> tuple:
        steps = [s for h in heads for k in range(*cue) if (s := _steps_up(h, doc[k])) is not None]
        return (not steps, min(steps, default=0), distance(cue))

    candidates = [c for c in cues if low <= c[0] and c[1] <= high]
    cue = min(candidates, key=governs) if candidates else None
    around = [s for s in sources if low <= s[0] and s[1] <= high]
    if cue is None:
        return None, (None if strict or not around else min(around, key=distance))
    on_cue = set(range(*cue))
    hanging = [s for s in around if any(_hangs_on(doc[k], on_cue) for k in range(*s))]
    if hanging:
        return cue, min(hanging, key=lambda s: min(abs(s[0] - cue[1]), abs(cue[0] - s[1])))
    if strict or not around:
        return cue, None
    return cue, min(around, key=lambda s: min(abs(s[0] - cue[1]), abs(cue[0] - s[1])))


def _steps_up(token, ancestor) -> int | None:
    """How many heads up from ``token`` to ``ancestor``; None when it is not one of its heads."""
    steps = 0
    while token.i != ancestor.i:
        if token.head.i == token.i or steps > 40:
            return None
        token, steps = token.head, steps + 1
    return steps


def _hangs_on(token, cue: set[int]) -> bool:
    """A child of the cue, or the object of its "by" or "to" ("said by the ministry", "according to her")."""
    return token.head.i in cue or token.head.head.i in cue and token.head.dep_ in ("agent", "prep")


def _speaker(doc: Doc, run: Run | None) -> tuple[int, int] | None:
    """Who the source is: a lone pronoun becomes the nearest fitting named entity before it."""
    from annotator.nlp.statements import PRONOUNS

    if run is None:
        return None
    token = doc[run[0]]
    fits = PRONOUNS.get(token.lower_) if run[1] - run[0] == 1 and token.pos_ == "PRON" else None
    if fits:
        for entity in reversed(doc.ents):
            if entity.end <= token.i and entity.label_ in fits:
                return entity.start_char, entity.end_char
    return _chars(doc, run)


def _chars(doc: Doc, run: Run | None) -> tuple[int, int] | None:
    if run is None:
        return None
    last = doc[run[1] - 1]
    return doc[run[0]].idx, last.idx + len(last)


def _kind(text: str, content: tuple[int, int]) -> str:
    start, end = content
    opens = text[start] in QUOTES or text[start:start + 2] in ASCII_OPENING
    closes = text[end - 1] in CLOSING_QUOTES or text[end - 2:end] == ASCII_CLOSING
    return DIRECT if opens and closes else INDIRECT


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _shared(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


# --- claims ------------------------------------------------------------------------------------------


def classify_sentences(classifiers: list, docs: list[Doc]) -> list[list[tuple[int, int, float]]]:
    """(start, end, probability of CLAIM) of every sentence of each Doc, as claims.sentence_scores cuts them:
    the mean of the classifiers' probabilities."""
    pieces = [sentence_docs(doc) for doc in docs]
    sentences = [sentence for found in pieces for *_, sentence in found if sentence is not None]
    each = [_claim_probabilities(classifier, sentences) for classifier in classifiers]
    probabilities = iter([sum(values) / len(values) for values in zip(*each, strict=True)])
    return [[(start, end, next(probabilities) if sentence is not None else 0.0) for start, end, _, sentence in found]
            for found in pieces]


def _claim_probabilities(classifier, sentences: list[Doc]) -> list[float]:
    if not sentences:
        return []
    column = list(classifier.labels).index(CLAIM)
    scores = classifier.model.ops.to_numpy(classifier.model.predict(sentences))
    return [float(row[column]) for row in scores]
