"""Rule-based statement suggestions: who said what, with which cue (PARC 3.0 / PolNeAR's shape).

An attribution has a content (what was said), a source (who said it) and a cue (the words that tie
them: "said", "according to"). The rules read spaCy's dependency parse: a speech or cognition verb
gives the cue, its subject the source, its clausal complement (or a quotation next to it) the content.
Quotations are found in the characters, not in the parse, since the parser often cuts a quote that
spans two sentences; a quote split by its attribution ("…," he said, "…") is one content.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from annotator.core.suggestions import Attribution
from annotator.core.vocabulary import ASCII_CLOSING, ASCII_OPENING, CLOSING_QUOTES, DIRECT, INDIRECT, QUOTES

# Lemmas of verbs that report speech or thought. A verb here with a clause or a quote is a cue; the
# object-taking ones below also make their direct object the content ("announced a ceasefire").
SPEECH = {
    "say", "tell", "add", "announce", "emphasize", "emphasise", "stress", "state", "claim", "argue", "insist",
    "warn", "note", "explain", "write", "report", "suggest", "believe", "think", "accuse", "deny", "confirm",
    "acknowledge", "admit", "reply", "respond", "predict", "estimate", "contend", "assert", "declare",
    "maintain", "complain", "vow", "promise", "pledge", "urge", "testify", "concede", "recall", "reveal",
    "agree", "hope", "fear", "feel", "expect", "worry", "doubt", "know", "conclude", "indicate", "observe",
    "remark", "comment", "allege", "charge", "boast", "joke", "quip", "tweet", "post", "ask", "wonder",
    "speculate", "recommend", "propose", "demand", "threaten", "predict", "forecast", "acknowledge", "reiterate",
    "repeat", "contend", "signal", "hint", "imply", "figure", "guess", "reckon", "assume", "understand",
    "show", "find", "point", "mention", "describe", "call", "question", "dispute", "counter", "caution",
    "insist", "plead", "shout", "yell", "whisper", "mutter", "exclaim", "declare", "proclaim", "recount",
    "disclose", "inform", "assure", "convince", "remind", "notify", "advise", "brag", "lament", "regret",
    "criticize", "criticise", "praise", "blame", "mock", "decry", "denounce", "condemn", "slam", "attack",
    "want", "prefer", "like", "support", "oppose", "favor", "favour", "reject", "refuse",
    "speak", "talk", "refer", "cite", "defend", "echo", "offer",
}
OBJECT_CONTENT = {
    "announce", "deny", "confirm", "reveal", "acknowledge", "admit", "emphasize", "emphasise", "stress",
    "predict", "promise", "pledge", "report", "claim", "disclose", "criticize", "criticise", "praise", "blame",
    "mock", "decry", "denounce", "condemn", "slam", "attack", "support", "oppose", "favor", "favour", "reject",
    "propose", "recommend", "demand", "question", "dispute", "describe", "reiterate", "mention", "forecast",
    "estimate", "want", "prefer", "like", "cite", "defend", "echo", "offer",
}
# Verbs whose infinitive complement is what was said: "vowed to fight", "urged Congress to act".
INFINITIVE_CONTENT = {"vow", "promise", "pledge", "threaten", "urge", "ask", "call", "refuse", "want", "plan"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
ASIDE_VERBS = {"say", "add", "note", "argue", "insist", "explain", "write", "warn", "claim", "think", "believe"}
ASIDE = 0.7  # the score of a statement around its tag
# Verbs whose preposition's object is what was said: lemma -> (preposition, whether it opens the content).
PREPOSITION_CONTENT = {
    "ask": ("about", True), "call": ("for", False), "speak": ("about", True), "talk": ("about", True),
    "refer": ("to", False), "complain": ("about", True), "comment": ("on", True), "warn": ("of", True),
    "testify": ("about", True), "boast": ("about", True), "joke": ("about", True),
}
CLAUSES = {"ccomp", "parataxis"}
# Parts of a subject's phrase that are not who spoke: "Smith, who heads the panel, said".
NOT_SOURCE = {"relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "prep"}
PRONOUNS = {
    "he": {"PERSON"}, "she": {"PERSON"}, "him": {"PERSON"}, "her": {"PERSON"},
    "they": {"PERSON", "ORG", "NORP", "GPE"}, "it": {"ORG", "GPE"},
}
GUILLEMETS = "«»"  # French sets them off with spaces: « Nous gagnerons »
MIN_QUOTE_WORDS = 4  # a shorter quotation is a term or scare quote ("so-called “peace”"), not a statement


ORIGIN = "statement-rules@1"  # recorded on what these rules suggest; the number goes up when they change


def attributions(doc: Doc) -> list[Attribution]:
    """The attributions the rules find in a parsed Doc (with tagger, parser and entity recogniser)."""
    text = doc.text  # spaCy joins every token's text anew on each doc.text: read it once
    quotes = quotations(text)
    found: list[Attribution] = []
    taken: list[tuple[int, int]] = []  # contents already suggested: a quote is one statement, not two
    for token in doc:
        attribution = _from_cue(doc, text, token, quotes)
        if attribution is None or any(_same(attribution.content, other) for other in taken):
            continue
        taken.append(attribution.content)
        found.append(attribution)
    for start, end in quotes:  # quoted sentences no cue claimed: a statement whose speaker is unknown
        if any(_overlaps((start, end), other) for other in taken) or not _is_statement_quote(doc, start, end):
            continue
        found.append(Attribution((start, end), None, None, None, DIRECT, 0.4))
    found.sort(key=lambda a: a.content)
    return found


# --- quotations ---------------------------------------------------------------------------------------


def quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, its marks included, outermost only. A mark that could be an
    apostrophe (’ in "Ministry’s") closes a quote only when no letter follows it."""
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text[i : i + 2] in ASCII_OPENING and (i == 0 or not text[i - 1].isalnum()):
            end = text.find(ASCII_CLOSING, i + 2, i + 3000)
            while end != -1 and text[end + 2 : end + 3].isalpha():
                end = text.find(ASCII_CLOSING, end + 2, i + 3000)
            if end != -1 and "\n\n" not in text[i:end]:
                found.append((i, end + 2))
                i = end + 2
                continue
        if char in QUOTES and _opens(text, i):
            end = _closing(text, i)
            if end is not None:
                found.append((i, end))
                i = end
                continue
        i += 1
    return found


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace() and text[i] not in GUILLEMETS:
        return False
    if text[i] in "'‚‘" or text[i] in CLOSING_QUOTES:  # also an apostrophe or a closing mark: only after a gap
        return not before.isalnum()
    return True


def _closing(text: str, i: int) -> int | None:
    closers = QUOTES[text[i]]
    limit = min(len(text), i + 3000)  # a quotation longer than a few paragraphs is an unmatched mark
    j = i + 1
    while j < limit:
        char = text[j]
        if char in closers and (not text[j - 1].isspace() or char in GUILLEMETS):
            after = text[j + 1] if j + 1 < limit else " "
            if not after.isalpha():
                return j + 1
        if char == "\n" and text[j + 1 : j + 2] == "\n" and text[j + 2 : j + 3] not in QUOTES:
            return None  # a paragraph ended unquoted; a new one that reopens the quote continues it
        j += 1
    return None


def _is_statement_quote(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if t.is_alpha]
    return len(words) >= MIN_QUOTE_WORDS and any(t.pos_ in ("VERB", "AUX") for t in span)


# --- cues ---------------------------------------------------------------------------------------------


def _from_cue(doc: Doc, text: str, token: Token, quotes: list[tuple[int, int]]) -> Attribution | None:
    if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        return _according_to(doc, token)
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in SPEECH:
        return None
    verb = token
    source_token = _subject(verb)
    cue = _cue_range(verb)
    quoted = _quoted_verb(verb)
    if quoted is not None:  # "was quoted as saying": the quoted one is the passive subject of "quoted"
        source_token = _subject(quoted)
        cue = (min(cue[0], _cue_range(quoted)[0]), cue[1])
    quote = _quote_beside(text, verb, quotes)
    if quote is not None:  # a quote split by its attribution holds the cue: one content over both parts
        content, kind, score = quote, DIRECT, 0.9
    else:
        clause = _content_clause(verb)
        if clause is None:
            return None
        content, kind, score = clause
        content = _quoted_whole(text, content, quotes)
        if _is_quote(quotes, content):
            kind = DIRECT
        aside = verb.dep_ == "parataxis" and score == ASIDE
        if cue[0] < content[1] and content[0] < cue[1] and not aside:
            return None  # the cue inside its own content: a parse that went astray
    source = _phrase(source_token) if source_token is not None else None
    speaker = _speaker(doc, source_token) if source_token is not None else None
    return Attribution(content, cue, source, speaker, kind, score)


def _quoted_verb(verb: Token) -> Token | None:
    """"quoted" of "was quoted as saying" (parsed as saying <- as <- quoted, or saying <- quoted)."""
    if verb.lemma_ != "say":
        return None
    head = verb.head.head if verb.dep_ == "pcomp" else verb.head if verb.dep_ in ("xcomp", "advcl") else None
    return head if head is not None and head.lemma_ == "quote" else None


def _subject(verb: Token) -> Token | None:
    for _ in range(4):  # a few steps up: a verb's own subject, else that of the verb it hangs on
        for child in verb.children:
            if child.dep_ in SUBJECTS:
                return _antecedent(child)
        for child in verb.children:  # "…, said the ministry" may parse its subject as an object
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if verb.head is verb:
            return None
        if verb.dep_ in ("conj", "xcomp", "advcl"):  # "smiled and said", "spoke, saying": the first verb's
            verb = verb.head
        elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep":  # "launched his campaign by declaring"
            verb = verb.head.head
        else:
            return None
    return None


def _antecedent(subject: Token) -> Token:
    """"who" of "Trump, who is battling Carson, said": the noun the relative clause is about."""
    if subject.tag_ in ("WP", "WDT") and subject.head.dep_ == "relcl":
        return subject.head.head
    return subject


def _cue_range(verb: Token) -> tuple[int, int]:
    """The verb with its auxiliaries, negation and particle when they touch it ("don't like", "pointed out")."""
    first = last = verb.i
    parts = sorted((c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt")), key=lambda t: t.i)
    for part in reversed([p for p in parts if p.i < verb.i]):
        if part.i == first - 1:
            first = part.i
    phrasal = PREPOSITION_CONTENT.get(verb.lemma_.lower())
    if phrasal is not None and not phrasal[1]:  # "called for", "referring to"
        parts += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == phrasal[0]]
    for part in sorted((p for p in parts if p.i > verb.i), key=lambda t: t.i):
        if part.i == last + 1:
            last = part.i
    doc = verb.doc
    return doc[first].idx, doc[last].idx + len(doc[last])


def _content_clause(verb: Token) -> tuple[tuple[int, int], str, float] | None:
    children = list(verb.children)
    # A complement before a parataxis ("…: He says outlets undercount him" may hang the sentence before
    # on "says" as parataxis), and of two complements the one after the verb.
    clauses = sorted((c for c in children if c.dep_ in CLAUSES), key=lambda c: (c.dep_ != "ccomp", c.i < verb.i))
    clause = clauses[0] if clauses else None
    if clause is not None:
        return _subtree(clause), INDIRECT, 0.8
    lemma = verb.lemma_.lower()
    if lemma in INFINITIVE_CONTENT:
        infinitive = next((c for c in children if c.dep_ == "xcomp"), None)
        if infinitive is not None:
            return _subtree(infinitive), INDIRECT, 0.6
    if lemma in OBJECT_CONTENT:
        thing = next((c for c in children if c.dep_ == "dobj"), None)
        if thing is not None and thing.pos_ != "PRON":
            return _subtree(thing), INDIRECT, 0.5
    preposition = PREPOSITION_CONTENT.get(lemma)
    if preposition is not None:  # "asked about the merger", "called for a ban"
        found = next((c for c in children if c.dep_ == "prep" and c.lower_ == preposition[0]), None)
        if found is not None and any(c.dep_ == "pobj" for c in found.children):
            start, end = _subtree(found)
            if not preposition[1]:  # the preposition belongs to the cue ("called for"), not the content
                start = found.idx + len(found) + 1
            return (start, end), INDIRECT, 0.5
    if verb.dep_ == "parataxis" and verb.head is not verb and lemma in ASIDE_VERBS:
        # "The hashtag, he said, was more popular": the tag is an aside in what was said, which is the
        # whole clause around it (one statement over the tag, as a quote split by its tag).
        return _subtree(verb.head), INDIRECT, ASIDE
    return None


def _according_to(doc: Doc, according: Token) -> Attribution | None:
    """"According to the ministry, …": the rest of the sentence is the content."""
    to = doc[according.i + 1]
    source_token = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source_token is None:
        return None
    phrase = range(according.i, max(t.i for t in to.subtree) + 1)
    sentence = according.sent
    rest = [t for t in sentence if t.i not in phrase and not t.is_punct]
    if len(rest) < 3:
        return None
    before = [t for t in rest if t.i < according.i]
    after = [t for t in rest if t.i > phrase[-1]]
    part = after if len(after) >= len(before) else before  # the content is on one side of the cue
    if not part:
        return None
    content = (part[0].idx, part[-1].idx + len(part[-1]))
    cue = (according.idx, to.idx + len(to))
    return Attribution(content, cue, _phrase(source_token), _speaker(doc, source_token), INDIRECT, 0.7)


# --- content and source ---------------------------------------------------------------------------------


def _subtree(head: Token) -> tuple[int, int]:
    tokens = list(head.subtree)
    while len(tokens) > 1 and tokens[-1].is_punct and tokens[-1].text not in CLOSING_QUOTES:
        tokens.pop()
    while len(tokens) > 1 and tokens[0].is_punct and tokens[0].text not in QUOTES:
        tokens.pop(0)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _phrase(head: Token) -> tuple[int, int]:
    """The words naming the source: the subject's phrase without clauses or asides about it."""
    left = head.i
    for child in sorted(head.lefts, key=lambda t: -t.i):
        if child.dep_ in NOT_SOURCE or child.i != left - 1 and not _contiguous(child, left):
            break
        left = min(t.i for t in child.subtree)
    right = head.i
    for child in sorted(head.rights, key=lambda t: t.i):
        if child.dep_ in NOT_SOURCE:
            break
        right = max(t.i for t in child.subtree)
    doc = head.doc
    while left < head.i and not any(c.isalnum() for c in doc[left].text):  # an emoji glued on, a dash
        left += 1
    while right > head.i and not any(c.isalnum() for c in doc[right].text):
        right -= 1
    return doc[left].idx, doc[right].idx + len(doc[right])


def _contiguous(child: Token, left: int) -> bool:
    return max(t.i for t in child.subtree) == left - 1


def _speaker(doc: Doc, head: Token) -> tuple[int, int]:
    """Who the source is: a pronoun becomes the nearest fitting named entity before it."""
    fits = PRONOUNS.get(head.lower_)
    if fits and head.pos_ == "PRON":
        for entity in reversed(doc.ents):
            if entity.end <= head.i and entity.label_ in fits:
                return entity.start_char, entity.end_char
    return _phrase(head)


def _quote_beside(text: str, verb: Token, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The quotation the verb's clause reports: one that ends just before the attribution ("…,” she said)
    or starts just after it (she said: “…”), joined with its continuation after the attribution."""
    sentence: Span = verb.sent
    reported = [c for c in verb.children if c.dep_ in CLAUSES or c.dep_ == "dobj"]
    if any(not any(q[0] <= c.idx < q[1] for q in quotes) for c in reported):
        return None  # "He said he was targeted": the verb reports its own clause, not a quote beside it
    clause_tokens = [verb, *(t for c in verb.children if c.dep_ in SUBJECTS or c.dep_ in ("aux", "neg", "advmod") for t in c.subtree)]
    start = min(t.idx for t in clause_tokens)
    end = max(t.idx + len(t) for t in clause_tokens)
    before = [q for q in quotes if q[1] <= start and not text[q[1] : start].strip(" ,;:—–-\n")]
    after = [q for q in quotes if q[0] >= end and not text[end : q[0]].strip(" ,;:—–-\n")]
    # A quote before the tag belongs to it when the tag's sentence takes it in ("…,” she said), or when
    # the tag is all its sentence holds ("….” She said.): else it is the last sentence's quote.
    if before and (before[-1][1] > sentence.start_char or _only_a_tag(sentence, verb)):
        first = before[-1]
        if after:  # "…," he said, "…"
            return first[0], after[0][1]
        return first
    if after and after[0][0] < sentence.end_char + 2:
        return after[0]
    return None


def _only_a_tag(sentence: Span, verb: Token) -> bool:
    words = [t for t in sentence if not t.is_punct and not t.is_space]
    # "Kasich said on Sunday." is a tag; "Kasich said it" is not.
    return len(words) <= 8 and all(t.dep_ not in ("dobj", "ccomp", "xcomp") for t in verb.children)


def _quoted_whole(text: str, content: tuple[int, int], quotes: list[tuple[int, int]]) -> tuple[int, int]:
    """A clause the parser cut inside a quotation becomes the whole quotation; one that ends inside a
    quotation at its closing mark takes the mark ("that ‘the bill is dead’")."""
    for start, end in quotes:
        if start <= content[0] < end and content[1] <= end and content[0] - start <= 2:
            return start, end
        if content[0] < start < content[1] < end and not text[content[1] : end - 1].strip(" .,;:!?"):
            return content[0], end
    return content


def _is_quote(quotes: list[tuple[int, int]], content: tuple[int, int]) -> bool:
    return content in quotes


def _same(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a == b


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
