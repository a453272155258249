"""The registry of people, organisations and places: one entry per real-world referent, with its aliases.

"Lavrov", "Sergey Lavrov", "Russian Foreign Minister Sergey Lavrov" and "Лавров" are one person; "The
Armenian Foreign Ministry" and "Armenia's Foreign Ministry" one speaker. This module says how a name is
normalised into the keys that match, and suggests which entry each mention belongs to, with a reason a
person can judge. Nothing here links anything: the analyst confirms (services.registry).

Matching, in order of trust: the same normalised name (titles, "the", possessives and case dropped),
the same name once transliterated (anyascii: Лавров -> Lavrov), within an article a surname that follows
the full name mentioned there, across articles a surname only one person in the registry has, and a fuzzy
match (rapidfuzz token_sort_ratio >= 90) of the same kind only. A mention that matches no entry joins a
group by its key, and each group is suggested as a new entry.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process

from annotator.core import registry_words
from annotator.core.registry_words import (
    DEMONYMS,
    FEMALE_HONORIFICS,
    FEMALE_NAMES,
    GPE,
    GROUP_WORDS,
    MALE_HONORIFICS,
    MALE_NAMES,
    NOT_NAME_STARTS,
    ORG,
    ORG_HEADS,
    ORG_WORDS,
    OTHER,
    PARTICLES,
    PERSON,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_WORDS,
    SUFFIXES,
    TITLE_WORDS,
    TITLES,
    TRAILING_TITLES,
    US_STATES,
)

KINDS = registry_words.KINDS  # re-exported, with PERSON, ORG, GPE and OTHER: where the kinds are read from
FUZZY_CUTOFF = 90  # token_sort_ratio: "Sergei Lavrov" ~ "Sergey Lavrov" is 92, "Sergey Lavrov" ~ "Sergey Ryabkov" 70

# A span's label -> the kind of entry it names. None: not a name (dates, numbers); "": a SPEAKER span
# ("the ministry's press service"), whose kind nobody said, so it may join an entry of any kind.
_KIND_OF_LABEL = {
    "PERSON": PERSON, "PER": PERSON,
    "ORG": ORG, "ORGANIZATION": ORG, "ORGANISATION": ORG,
    "GPE": GPE, "LOC": GPE, "LOCATION": GPE, "FAC": GPE,
    "SPEAKER": "",
}
_NOT_NAMES = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LAW", "LANGUAGE", "EVENT",
     "WORK_OF_ART", "PRODUCT"}
)


def kind_of(label: str) -> str | None:
    """The entry kind an entity label names, "" when unknown (a SPEAKER span), None when it names nothing."""
    label = label.upper()
    if label in _NOT_NAMES:
        return None
    return _KIND_OF_LABEL.get(label, OTHER)


def compatible(first: str, second: str) -> bool:
    return first == second or not first or not second


# --- names and keys ---------------------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"(?<=\w)['’`]s?(?=\W|$)")
_NOT_WORD = re.compile(r"[\W_]+")
_WORD_OR_OWNER = re.compile(r"[^\W_]+|\x01")
_PARENTHESES = re.compile(r"\([^)]*\)?")
# Where a speaker span says more than a name: "Ann Lewis, a longtime adviser", "Byrne — who was posted".
_SEGMENTS = re.compile(r"\s*(?:[,;:—–]|\s-\s|\bwho\b|\bwhich\b|\bwhose\b)\s*")
_AND = re.compile(r"\s(?:and|&)\s|/", re.IGNORECASE)
_TITLED = frozenset(w for t in TITLES for w in t) | ROLE_WORDS  # a word of a title or role before a name
_BREAKS = _TITLED | TITLE_WORDS | frozenset(DEMONYMS) | PREPOSITIONS | GROUP_WORDS | {"the", "and"}
_NOT_PROPER = _BREAKS | US_STATES | SUFFIXES
_FUNCTION = PARTICLES | PREPOSITIONS | {"the", "and"}
_COUNTRIES = frozenset(DEMONYMS.values())


def _tokens(text: str) -> list[str]:
    """The name's words as written, without punctuation or possessives ("Armenia's" -> "Armenia")."""
    return [t for t in _NOT_WORD.split(_POSSESSIVE.sub("", text)) if t]


def words(text: str) -> list[str]:
    return [t.casefold() for t in _tokens(text)]


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a mention's words name, read once per text and kind."""

    tokens: tuple[str, ...]  # the naming words as written: "Presumptive ... nominee Hillary Clinton" -> Hillary Clinton
    kind: str  # what it was read as: PERSON, ORG or GPE for a speaker of no kind, else the label's kind
    sure: bool  # the kind is known: labelled, titled ("Mr. Lou"), or a person's name of two words or more
    gender: str  # "f" after Mrs./Ms., "m" after Mr., else ""
    is_name: bool  # False for a description ("a Chinese official") or a list ("Clinton and Sanders")
    plain: str  # the words lower case (for anything but a person a demonym becomes its country)
    key: str  # plain, transliterated to ASCII


def _reading(tokens: list[str], kind: str, sure: bool = True, gender: str = "", is_name: bool = True) -> _Reading:
    found = [t.casefold() for t in tokens]
    if kind != PERSON:
        found = [DEMONYMS.get(w, w) for w in found]
    plain = " ".join(found)
    has_capital = any(c.isalpha() and not c.islower() for t in tokens for c in t[:1])  # "Лавров", "拉夫罗夫" too
    return _Reading(tuple(tokens), kind, sure, gender, is_name and has_capital, plain,
                    " ".join(words(anyascii(plain))))


@lru_cache(maxsize=1 << 16)  # a big project names the same people a million times
def _read(text: str, kind: str) -> _Reading:
    """A person's name (or a speaker's) is the last run of capitalised words after titles, roles and
    descriptors, in the first part of the span that has one: "The finance minister, Lou Jiwei," -> Lou
    Jiwei. Past a leading "the". A speaker of no kind with no such name is read as an organisation."""
    if "://" in text:
        return _reading(_tokens(text), kind, is_name=False)
    if kind not in (PERSON, ""):
        tokens = _tokens(text)
        start = _past_the([t.casefold() for t in tokens])
        return _reading(tokens[start:], kind, is_name=_described(tokens))
    segments = [s for s in _SEGMENTS.split(_PARENTHESES.sub(" ", text)) if s and s.strip()] or [text]
    first = None
    for n, segment in enumerate(segments):
        tokens, owners = _marked(segment)
        if not _described(tokens):
            continue
        if _listed(segment) or (n > 0 and re.match(r"(?:and|&)\s", segment)):
            return _reading(tokens, kind, is_name=False)
        if n == 0:
            first = tokens  # what an organisation's name would be
        person = _person(tokens, owners)
        if person is not None and n > 0 and not all(w.casefold() in _BREAKS for w in tokens[: person[0]]):
            person = None  # a later part names the speaker only as an appositive: "Mr. Lew's deputy, Nathan Sheets"
        if person is not None:
            i, j, titled, gender = person
            listed = any(re.match(r"(?:and|&)\s+\S*[A-Z]", s) for s in segments[n + 1 :])
            if not titled and kind == "" and " ".join(tokens[i:j]).casefold() in _COUNTRIES:
                return _reading(tokens[i:j], GPE, is_name=not listed)
            sure = kind == PERSON or titled or sum(len(t) > 1 for t in tokens[i:j]) > 1  # not "Wealth-X"
            return _reading(tokens[i:j], PERSON, sure, gender, not listed)
    if first is None:
        return _reading(_tokens(text), kind, is_name=False)
    if kind == PERSON:
        lower = [t.casefold() for t in first]
        start = _past_the(lower)
        i, j = _past_titles(lower, start, len(lower))
        return _reading(first[i:j] if i < j else first[start:], PERSON, is_name=i < j)
    start = _past_the([t.casefold() for t in first])
    return _reading(first[start:], ORG, is_name=_organisation(first[start:]))


def _marked(text: str) -> tuple[list[str], list[bool]]:
    """The words, and which end in a possessive: in "Gallup's Jeffrey M. Jones" Gallup owns the rest."""
    tokens: list[str] = []
    owners: list[bool] = []
    for t in _WORD_OR_OWNER.findall(_POSSESSIVE.sub(" \x01 ", text)):
        if t != "\x01":
            tokens.append(t)
            owners.append(False)
        elif owners:
            owners[-1] = True
    return tokens, owners


def _past_the(lower: list[str]) -> int:
    start = 0
    while start < len(lower) and lower[start] == "the":
        start += 1
    return start


def _past_titles(lower: list[str], start: int, end: int) -> tuple[int, int]:
    """Past leading titles and nationality adjectives, before a trailing "spokesman"."""
    i = start
    while i < end:
        step = next((len(t) for t in TITLES if tuple(lower[i : i + len(t)]) == t), 0)
        if not step and (lower[i] in TITLE_WORDS or lower[i] in DEMONYMS):
            step = 1
        if not step:
            break
        i += step
    j = end
    while j > i and lower[j - 1] in TRAILING_TITLES:
        j -= 1
    return i, j


def _described(tokens: list[str]) -> bool:
    """Not a description by its first word: "a Chinese official", "some Democrats", "his counterpart"."""
    return bool(tokens) and tokens[0].casefold() not in NOT_NAME_STARTS


def _listed(segment: str) -> bool:
    """Names joined by "and": "Donald J. Trump and Senator Bernie Sanders", "Mr. Xi and other leaders"
    ("the Department of Health and Human Services" is one name)."""
    found = _AND.search(segment)
    if found is None:
        return False
    before = segment[: found.start()]
    of = before.find(" of ")  # "Department of Health and Human Services", not "the cities of Blackpool and"
    if of > 0 and before[:of].split()[-1][:1].isupper():
        return False
    return any(t[:1].isupper() for t in _tokens(before) if t.casefold() != "the")


def _person(tokens: list[str], owners: list[bool]) -> tuple[int, int, bool, str] | None:
    """Where a person's name is among ``tokens`` (the last run of capitalised words, past titles, roles,
    possessors and descriptors), whether a title came before it, and the gender its honorific says."""
    lower = [t.casefold() for t in tokens]
    start, end = _past_the(lower), len(lower)
    while end > start and (lower[end - 1] in TRAILING_TITLES or lower[end - 1] in SUFFIXES):
        end -= 1
    for _ in range(4):  # "Mayor Frank G. Jackson of Cleveland": past "of Cleveland", to the name before it
        i = end
        while i > start and (i == end or not owners[i - 1]) and _in_name(tokens, lower, i - 1, end):
            i -= 1
        while i < end and tokens[i][:1].islower():  # a particle: "de Gaulle" alone is Gaulle
            i += 1
        if i == end:
            return None
        before = lower[i - 1] if i > start else ""
        if _complement(lower, start, i):
            end = i - 1
            while end > start and lower[end - 1] in _FUNCTION:
                end -= 1
            continue
        if any(w in ORG_WORDS for w in lower[i:end]) or all(w in _NOT_PROPER for w in lower[i:end]):
            return None  # "the Associated Press", "the Vermont Senator"
        if end - i > 1 and all(t.isupper() for t in tokens[i:end]):
            return None  # "AFL-CIO": an acronym
        gender = "f" if before in FEMALE_HONORIFICS else "m" if before in MALE_HONORIFICS else ""
        return i, end, before in _TITLED, gender
    return None


def _complement(lower: list[str], start: int, at: int) -> bool:
    """Whether the words before ``at`` make what follows a place or body, past a country's abbreviation:
    "Jackson of Cleveland", "secretary of the Treasury", "in the U.S. Capitol" (not "Secretary of State")."""
    k = at - 1
    while k >= start and lower[k] in TITLE_WORDS and lower[k] not in _TITLED:
        k -= 1
    return k >= start and (lower[k] in PREPOSITIONS or lower[k] == "the")


def _in_name(tokens: list[str], lower: list[str], at: int, end: int) -> bool:
    word = tokens[at]
    if word[:1].islower() and lower[at] in PARTICLES:
        return at < end - 1
    if len(word) == 1 and word.isupper():  # an initial, but not of "U.S."
        return lower[at] != "u" and (at == 0 or lower[at - 1] != "u")
    if not word[:1].isalpha() or word[:1].islower():
        return False
    if lower[at] not in _BREAKS:
        return True
    # a title word ending a name: "Martin Luther King"
    return at == end - 1 and lower[at] not in ROLE_WORDS and at > 0 and tokens[at - 1][:1].isupper() and lower[at - 1] not in _BREAKS


def _organisation(tokens: list[str]) -> bool:
    """A speaker phrase that names an organisation: "the Clinton campaign", "Armenia's Foreign Ministry",
    "Democrats"; not "Clinton aides", "The talks", "House Democrats", "The French president"."""
    if not tokens or not tokens[-1][:1].isalpha():
        return False
    lower = [t.casefold() for t in tokens]
    if lower[-1] in GROUP_WORDS:
        return len(lower) == 1
    if tokens[-1][:1].islower() and lower[-1] not in ORG_HEADS or lower[-1] in _TITLED:
        return False  # people described: "Clinton aides", "The French president", "Former Clinton Pollster"
    if sum(1 for t, w in zip(tokens, lower) if t[:1].islower() and w not in _FUNCTION) > 2:
        return False
    capitals = [w for t, w in zip(tokens, lower) if not t[:1].islower()]
    return any(w not in _TITLED and w not in DEMONYMS and w not in US_STATES for w in capitals)


def display_name(text: str, kind: str = PERSON) -> str:
    """The name as written, without "the", titles or possessive: "Russian Foreign Minister Sergey Lavrov's"
    -> "Sergey Lavrov"."""
    return " ".join(_read(text, kind).tokens) or text.strip()


def plain_key(text: str, kind: str = PERSON) -> str:
    """Equal plain keys: the same name, written alike but for case, titles and punctuation."""
    return _read(text, kind).plain


def key(text: str, kind: str = PERSON) -> str:
    """Equal keys: the same name once transliterated to ASCII (Лавров and Lavrov)."""
    return _read(text, kind).key


def surname(text: str, kind: str = PERSON) -> str:
    """A person's last word (transliterated) when the name has two or more; else ""."""
    found = _read(text, kind)
    parts = found.key.split()
    return parts[-1] if found.kind == PERSON and len(parts) >= 2 else ""


# --- suggesting links -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """A span that may name an entry: an entity, or a statement's speaker."""

    span_id: int
    document_id: int
    start: int
    text: str
    kind: str  # kind_of(its label)
    entry_id: int | None = None  # the entry it is linked to already (context only: never suggested again)


@dataclass(frozen=True, slots=True)
class KnownEntry:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkSuggestion:
    """Link ``span_ids`` to entry ``entry_id``, or to a new entry ``new_name`` of ``kind`` (entry_id None)."""

    span_ids: tuple[int, ...]
    texts: tuple[str, ...]  # the mentions' words, each once, most frequent first
    entry_id: int | None
    new_name: str | None
    kind: str
    reason: str  # "same name", "transliteration", "surname of Sergey Lavrov in this article", "fuzzy 92", "new entry"
    score: float  # 0..1: how sure the suggestion is

    @property
    def is_new(self) -> bool:
        return self.entry_id is None


@dataclass
class _Index:
    plain: dict[str, list[KnownEntry]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[str, list[KnownEntry]] = field(default_factory=lambda: defaultdict(list))
    by_kind: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[KnownEntry]) -> _Index:
        index = cls()
        for entry in entries:
            for name in {entry.name, *entry.aliases}:
                _add_once(index.plain[plain_key(name, entry.kind)], entry)
                _add_once(index.keys[key(name, entry.kind)], entry)
        return index

    def of_kind(self, kind: str) -> list[str]:
        """The keys of the entries of ``kind``, for fuzzy matching (built once a kind)."""
        if kind not in self.by_kind:
            self.by_kind[kind] = [k for k, found in self.keys.items() if any(e.kind == kind for e in found)]
        return self.by_kind[kind]

    def one(self, table: dict[str, list[KnownEntry]], wanted: str, kind: str) -> KnownEntry | None:
        """The one entry of a compatible kind under ``wanted``; None if none, or if several (ambiguous)."""
        found = [e for e in table.get(wanted, ()) if compatible(e.kind, kind)]
        return found[0] if len(found) == 1 else None


def _add_once(items: list[KnownEntry], entry: KnownEntry) -> None:
    if all(e.id != entry.id for e in items):
        items.append(entry)


@dataclass(frozen=True, slots=True)
class _Full:
    """A full name an article mentions, which its surname alone may follow there."""

    key: str
    plain: str
    kind: str
    entry_id: int | None

    @property
    def identity(self) -> tuple[str, str]:
        return _identity(self.key)


def _identity(found: str) -> tuple[str, str]:
    """First and last word: "Donald J. Trump" and "Donald Trump", "Harry M. Reid" and "Harry Reid" are one."""
    parts = found.split()
    return parts[0], parts[-1]


def _fits(first: str, gender: str) -> bool:
    """Whether an honorific's gender fits a first name: "Mrs. Clinton" is not Bill Clinton."""
    return not (gender == "f" and first in MALE_NAMES or gender == "m" and first in FEMALE_NAMES)


@dataclass
class _People:
    """Across the project, the people of each surname: the entries' and the full names mentioned (linked
    mentions count for their entry). A bare surname across articles follows the one person who has it."""

    entries: dict[str, dict[tuple[str, str], set[int]]] = field(default_factory=lambda: defaultdict(dict))
    named: dict[str, dict[tuple[str, str], Counter]] = field(default_factory=lambda: defaultdict(dict))

    @classmethod
    def of(cls, mentions: list[Mention], entries: list[KnownEntry]) -> _People:
        people = cls()
        for entry in entries:
            for name in {entry.name, *entry.aliases}:
                if surname(name, entry.kind):
                    people._add_entry(key(name, entry.kind), entry.id)
        for mention in mentions:
            read = _read(mention.text, mention.kind)
            if read.kind == PERSON and read.sure and read.is_name and " " in read.key:
                if mention.entry_id is not None:
                    people._add_entry(read.key, mention.entry_id)
                else:
                    found = _identity(read.key)
                    people.named[found[1]].setdefault(found, Counter())[read.key] += 1
        return people

    def _add_entry(self, found: str, entry_id: int) -> None:
        identity = _identity(found)
        self.entries[identity[1]].setdefault(identity, set()).add(entry_id)

    def has(self, last: str) -> bool:
        return last in self.entries or last in self.named

    def only(self, last: str, gender: str) -> tuple[int | None, str] | None:
        """The one person of surname ``last`` (whose first name fits ``gender``): (their entry, None) or
        (None, the key of their new entry); None if nobody, or several (ambiguous)."""
        have = {i for i in (*self.entries.get(last, ()), *self.named.get(last, ())) if _fits(i[0], gender)}
        if len(have) != 1:
            return None
        [identity] = have
        ids = self.entries.get(last, {}).get(identity, set())
        if len(ids) > 1:
            return None
        return (next(iter(ids)), "") if ids else (None, self.canonical(" ".join(identity)))

    def canonical(self, found: str) -> str:
        """The most used full name of the person ``found`` names: "Donald J. Trump" -> donald trump."""
        identity = _identity(found)
        counted = self.named.get(identity[1], {}).get(identity)
        return max(counted, key=lambda k: (counted[k], -len(k), k)) if counted else found


_Target = tuple  # (entry id or None, new entry's key or None, kind, reason, score)
_LABELLED_ORG = "labelled ORG, same name as a person here"


def suggest(mentions: Iterable[Mention], entries: Iterable[KnownEntry]) -> list[LinkSuggestion]:
    """Suggested links for the mentions not linked yet, surest first: to an entry, grouped by entry and
    reason, or to a new entry, one suggestion per new name. Linked mentions only give context (a linked
    "Sergey Lavrov" leads the article's "Lavrov" to his entry)."""
    mentions, relabelled = _persons_labelled_org([m for m in mentions if m.kind is not None])
    entries = list(entries)
    index, by_id = _Index.of(entries), {e.id: e for e in entries}
    local, people = _full_names(mentions), _People.of(mentions, entries)
    memo: dict[tuple[str, str], _Target | None] = {}
    groups: dict[_Target, list[Mention]] = defaultdict(list)
    unmatched = []
    for mention in mentions:
        if mention.entry_id is not None or not _nameable(mention):
            continue
        target = _match(mention, index, by_id, local.get(mention.document_id, {}), people, memo)
        if target is None:
            unmatched.append(mention)
            continue
        if mention.span_id in relabelled:
            target = (*target[:3], f"{target[3]} ({_LABELLED_ORG})", target[4])
        groups[target].append(mention)
    suggestions = [_to_entry(target, members) for target, members in groups.items()]
    suggestions += _new_entries(unmatched, local, people, relabelled)
    suggestions.sort(key=lambda s: (-s.score, -len(s.span_ids), s.new_name or "", s.entry_id or 0))
    return suggestions


def _nameable(mention: Mention) -> bool:
    """Written as a name, not a pronoun, a description ("a Chinese official", "the ministry's press
    office") or a list ("Clinton and Sanders") (a script without capitals counts as written so)."""
    read = _read(mention.text, mention.kind)
    return read.is_name and len(read.key) >= 2 and read.key not in PRONOUNS


def _is_single_person_word(read: _Reading) -> bool:
    return read.kind == PERSON and " " not in read.key


def _persons_labelled_org(mentions: list[Mention]) -> tuple[list[Mention], set[int]]:
    """The recogniser often labels "Trump" ORG: an ORG mention with the full name or surname of a person
    mentioned in the same article is read as that person."""
    names: dict[int, set[str]] = defaultdict(set)
    for mention in mentions:
        read = _read(mention.text, mention.kind)
        if mention.kind == PERSON or (read.kind == PERSON and read.sure):
            names[mention.document_id].update((read.key, read.key.rsplit(" ", 1)[-1]))
    relabelled: set[int] = set()
    found = []
    for mention in mentions:
        if mention.kind == ORG and key(mention.text, PERSON) in names.get(mention.document_id, ()):
            mention = replace(mention, kind=PERSON)
            relabelled.add(mention.span_id)
        found.append(mention)
    return found, relabelled


def _full_names(mentions: list[Mention]) -> dict[int, dict[str, _Full | None]]:
    """Per article: surname -> the full name with it there; None when two different people share it. A
    first word ("Lou" of Lou Jiwei, who is "Mr. Lou") is kept under "=" + it, for when no surname fits."""
    found: dict[int, dict[str, _Full | None]] = defaultdict(dict)
    for mention in mentions:
        read = _read(mention.text, mention.kind)
        if read.kind != PERSON or not read.sure or " " not in read.key or not read.is_name:
            continue
        full = _Full(read.key, read.plain, mention.kind, mention.entry_id)
        table = found[mention.document_id]
        for word in (read.key.rsplit(" ", 1)[-1], "=" + read.key.split(" ", 1)[0]):
            if word not in table:
                table[word] = full
            elif table[word] is not None and table[word].identity != full.identity:
                table[word] = None
            elif table[word] is not None and table[word].entry_id is None and full.entry_id is not None:
                table[word] = full  # the linked one says which entry
    return found


def _here(found: str, gender: str, local: dict[str, _Full | None]) -> tuple[bool, _Full | None]:
    """The full name a lone word follows in its article: (whether the article has one, which if one)."""
    for word in (found, "=" + found):
        if word in local:
            full = local[word]
            if full is not None and not _fits(full.identity[0], gender):
                return False, None  # "Mrs. Clinton" where only Bill Clinton is named
            return True, full
    return False, None


def _match(mention: Mention, index: _Index, by_id: dict[int, KnownEntry], local: dict[str, _Full | None],
           people: _People, memo: dict) -> _Target | None:
    read = _read(mention.text, mention.kind)
    kind, found, plain = mention.kind, read.key, read.plain
    if ("=" + plain, kind) not in memo:
        memo[("=" + plain, kind)] = _exact(plain, found, kind, index)
    target = memo[("=" + plain, kind)]
    if target is not None:
        return target
    if _is_single_person_word(read):
        known, full = _here(found, read.gender, local)
        if known:
            entry = None
            if full is not None:
                entry = by_id.get(full.entry_id) if full.entry_id is not None else (
                    index.one(index.plain, full.plain, full.kind) or index.one(index.keys, full.key, full.kind))
            if entry is None:
                return None  # ambiguous here, or its full name is new: it goes with it (_new_entries)
            return (entry.id, None, entry.kind, f"surname of {entry.name} in this article", 0.9)
        only = people.only(found, read.gender)
        entry = by_id.get(only[0]) if only is not None and only[0] is not None else None
        if entry is not None and compatible(entry.kind, kind):
            spelt = " (transliterated)" if found != plain else ""
            return (entry.id, None, entry.kind, f"surname of {entry.name} in other articles{spelt}", 0.7)
    fuzzy_key = ("~" + found, kind)
    if fuzzy_key not in memo:
        memo[fuzzy_key] = _fuzzy(found, kind, index)
    return memo[fuzzy_key]


def _exact(plain: str, found: str, kind: str, index: _Index) -> _Target | None:
    entry = index.one(index.plain, plain, kind)
    if entry is not None:
        return (entry.id, None, entry.kind, "same name", 1.0)
    entry = index.one(index.keys, found, kind)
    if entry is not None:
        return (entry.id, None, entry.kind, "transliteration", 0.95)
    return None


def _fuzzy(found: str, kind: str, index: _Index) -> _Target | None:
    """The one entry of the same kind whose key is within FUZZY_CUTOFF (names of four letters or more)."""
    if len(found) < 4 or not kind:
        return None
    choices = index.of_kind(kind)
    best = process.extractOne(found, choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF)
    if best is None:
        return None
    entry = index.one(index.keys, best[0], kind)
    if entry is None or entry.kind != kind:
        return None
    score = round(best[1])
    return (entry.id, None, entry.kind, f"fuzzy {score}", 0.6 + (score - FUZZY_CUTOFF) / 100)


def _to_entry(target: _Target, members: list[Mention]) -> LinkSuggestion:
    entry_id, _, kind, reason, score = target
    return LinkSuggestion(tuple(m.span_id for m in members), _texts(members), entry_id, None, kind, reason, score)


def _texts(members: list[Mention]) -> tuple[str, ...]:
    return tuple(text for text, _ in Counter(m.text for m in members).most_common())


def _new_entries(unmatched: list[Mention], local: dict[int, dict[str, _Full | None]], people: _People,
                 relabelled: set[int]) -> list[LinkSuggestion]:
    """One new entry per name and kind; a person's full names with and without a middle initial are one; a
    lone surname joins the full name of its article, or the only person with it in the project (whose
    first name fits its Mrs. or Mr.). A speaker of no kind takes the kind its name has elsewhere: a person's
    when titled or another's surname, else OTHER."""
    kinds: dict[str, Counter] = defaultdict(Counter)  # key -> the kinds its mentions have
    for mention in unmatched:
        read = _read(mention.text, mention.kind)
        if mention.kind or read.sure:
            kinds[read.key][mention.kind or read.kind] += 1
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    joined: Counter = Counter()  # group -> the surnames that joined it
    names: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for mention in unmatched:
        read = _read(mention.text, mention.kind)
        found, full = read.key, None
        if _is_single_person_word(read):
            known, here = _here(found, read.gender, local.get(mention.document_id, {}))
            if known and here is not None and here.entry_id is None:
                full = people.canonical(here.key)
            elif not known:
                only = people.only(found, read.gender)
                full = only[1] if only is not None and only[0] is None else None
        if full is not None:
            group = (full, PERSON)
            joined[group] += 1
        else:
            if read.kind == PERSON and " " in found and (mention.kind == PERSON or read.sure):
                found = people.canonical(found)
            kind = mention.kind or (read.kind if read.sure else "")
            if not kind:
                kind = kinds[found].most_common(1)[0][0] if kinds[found] else (
                    PERSON if people.has(found) else OTHER)
            group = (found, kind)
            names[group][display_name(mention.text, mention.kind)] += 1
        groups[group].append(mention)
    found_suggestions = []
    for group, members in groups.items():
        counted = names[group] or Counter({display_name(members[0].text, members[0].kind): 1})
        name = max(counted, key=lambda n: (counted[n], len(n), n))
        reason = "new entry"
        if joined[group]:
            reason += f", with {joined[group]} surname mention(s) of {name}"
        labelled = sum(1 for m in members if m.span_id in relabelled)
        if labelled:
            reason += f", {labelled} {_LABELLED_ORG}"
        found_suggestions.append(LinkSuggestion(tuple(m.span_id for m in members), _texts(members), None, name,
                                                group[1], reason, 0.5))
    return found_suggestions
