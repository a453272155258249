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
from dataclasses import dataclass, field

from anyascii import anyascii
from rapidfuzz import fuzz, process

from annotator.core.registry_words import DEMONYMS, PRONOUNS, TITLE_WORDS, TITLES, TRAILING_TITLES

PERSON, ORG, GPE, OTHER = "PERSON", "ORG", "GPE", "OTHER"
KINDS = (PERSON, ORG, GPE, OTHER)
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


def _tokens(text: str) -> list[str]:
    """The name's words as written, without punctuation or possessives ("Armenia's" -> "Armenia")."""
    return [t for t in _NOT_WORD.split(_POSSESSIVE.sub("", text)) if t]


def words(text: str) -> list[str]:
    return [t.casefold() for t in _tokens(text)]


def _core(tokens: list[str], kind: str) -> tuple[int, int, str]:
    """Where the naming words are among ``tokens``, and the kind they were read as: past a leading "the"
    and, for a person, past leading titles and nationality adjectives and a trailing "spokesman". A speaker
    of no kind is read as a person when what is left is written as a name ("Foreign Minister Sergey
    Lavrov"), else as an organisation ("the German government" keeps its country). A name that is all title
    keeps its words ("the President")."""
    lower = [t.casefold() for t in tokens]
    start, end = 0, len(lower)
    while start < end and lower[start] == "the":
        start += 1
    if kind not in (PERSON, ""):
        return start, end, kind
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
    if kind == "" and (i >= j or not all(t[:1].isupper() or not t[:1].islower() for t in tokens[i:j])):
        return start, end, ORG
    return (i, j, PERSON) if i < j else (start, end, PERSON)


def core_words(text: str, kind: str = PERSON) -> list[str]:
    """The words that name it, lower case: "Russian Foreign Minister Sergey Lavrov" -> sergey lavrov. For
    anything but a person a demonym becomes its country ("Armenian Foreign Ministry" -> armenia foreign
    ministry)."""
    tokens = _tokens(text)
    i, j, read_as = _core(tokens, kind)
    found = [t.casefold() for t in tokens[i:j]]
    return found if read_as == PERSON else [DEMONYMS.get(w, w) for w in found]


def display_name(text: str, kind: str = PERSON) -> str:
    """The name as written, without "the", titles or possessive: "Russian Foreign Minister Sergey Lavrov's"
    -> "Sergey Lavrov"."""
    tokens = _tokens(text)
    i, j, _ = _core(tokens, kind)
    return " ".join(tokens[i:j]) or text.strip()


def plain_key(text: str, kind: str = PERSON) -> str:
    """Equal plain keys: the same name, written alike but for case, titles and punctuation."""
    return " ".join(core_words(text, kind))


def key(text: str, kind: str = PERSON) -> str:
    """Equal keys: the same name once transliterated to ASCII (Лавров and Lavrov)."""
    return " ".join(words(anyascii(plain_key(text, kind))))


def surname(text: str, kind: str = PERSON) -> str:
    """A person's last word (transliterated) when the name has two or more; else ""."""
    parts = key(text, kind).split()
    return parts[-1] if kind in (PERSON, "") and len(parts) >= 2 else ""


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
    surnames: dict[str, list[KnownEntry]] = field(default_factory=lambda: defaultdict(list))
    by_kind: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[KnownEntry]) -> _Index:
        index = cls()
        for entry in entries:
            for name in {entry.name, *entry.aliases}:
                _add_once(index.plain[plain_key(name, entry.kind)], entry)
                _add_once(index.keys[key(name, entry.kind)], entry)
                last = surname(name, entry.kind)
                if last:
                    _add_once(index.surnames[last], entry)
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
    display: str
    kind: str
    entry_id: int | None


_Target = tuple  # (entry id or None, new entry's key or None, kind, reason, score)


def suggest(mentions: Iterable[Mention], entries: Iterable[KnownEntry]) -> list[LinkSuggestion]:
    """Suggested links for the mentions not linked yet, surest first: to an entry, grouped by entry and
    reason, or to a new entry, one suggestion per new name. Linked mentions only give context (a linked
    "Sergey Lavrov" leads the article's "Lavrov" to his entry)."""
    mentions = [m for m in mentions if m.kind is not None]
    entries = list(entries)
    index, by_id = _Index.of(entries), {e.id: e for e in entries}
    local = _full_names(mentions)
    memo: dict[tuple[str, str], _Target | None] = {}
    groups: dict[_Target, list[Mention]] = defaultdict(list)
    unmatched = []
    for mention in mentions:
        if mention.entry_id is not None or not _nameable(mention):
            continue
        target = _match(mention, index, by_id, local.get(mention.document_id, {}), memo)
        if target is None:
            unmatched.append(mention)
        else:
            groups[target].append(mention)
    suggestions = [_to_entry(target, members) for target, members in groups.items()]
    suggestions += _new_entries(unmatched, local)
    suggestions.sort(key=lambda s: (-s.score, -len(s.span_ids), s.new_name or "", s.entry_id or 0))
    return suggestions


def _nameable(mention: Mention) -> bool:
    """Not a pronoun; and a speaker span (of no kind) only if it is written as a name: "officials" and
    "the ministry's press office" are no entry's name, "Aivazian" and "Лавров" are (a script without
    capitals counts as written so)."""
    found = key(mention.text, mention.kind)
    if len(found) < 2 or found in PRONOUNS:
        return False
    return bool(mention.kind) or any(c.isupper() for c in mention.text) or not any(c.islower() for c in mention.text)


def _is_single_person_word(found: str, kind: str) -> bool:
    return kind in (PERSON, "") and " " not in found


def _full_names(mentions: list[Mention]) -> dict[int, dict[str, _Full | None]]:
    """Per article: surname -> the full name with it there; None when two different people share it."""
    found: dict[int, dict[str, _Full | None]] = defaultdict(dict)
    for mention in mentions:
        last = surname(mention.text, mention.kind) if mention.kind == PERSON else ""
        if not last:
            continue
        full = _Full(key(mention.text, mention.kind), plain_key(mention.text, mention.kind),
                     display_name(mention.text, mention.kind), mention.kind, mention.entry_id)
        table = found[mention.document_id]
        if last not in table:
            table[last] = full
        elif table[last] is not None and table[last].key != full.key:
            table[last] = None
        elif table[last] is not None and table[last].entry_id is None and full.entry_id is not None:
            table[last] = full  # the linked one says which entry
    return found


def _match(mention: Mention, index: _Index, by_id: dict[int, KnownEntry], local: dict[str, _Full | None],
           memo: dict) -> _Target | None:
    kind, found, plain = mention.kind, key(mention.text, mention.kind), plain_key(mention.text, mention.kind)
    if ("=" + plain, kind) not in memo:  # a big project names the same people a million times
        memo[("=" + plain, kind)] = _exact(plain, found, kind, index)
    target = memo[("=" + plain, kind)]
    if target is not None:
        return target
    if _is_single_person_word(found, kind):
        if found in local:
            full = local[found]
            entry = None
            if full is not None:
                entry = by_id.get(full.entry_id) if full.entry_id is not None else (
                    index.one(index.plain, full.plain, full.kind) or index.one(index.keys, full.key, full.kind))
            if entry is None:
                return None  # ambiguous here, or its full name is new: it goes with it (_new_entries)
            return (entry.id, None, entry.kind, f"surname of {entry.name} in this article", 0.9)
        entry = index.one(index.surnames, found, kind)
        if entry is not None:
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


def _new_entries(unmatched: list[Mention], local: dict[int, dict[str, _Full | None]]) -> list[LinkSuggestion]:
    """One new entry per key and kind; a lone surname joins the full name of its article, or the only full
    name with it among the new ones. A speaker of no kind joins the kind its name has elsewhere (else OTHER)."""
    fulls: dict[str, set[str]] = defaultdict(set)  # surname -> keys of new full names of people
    kinds: dict[str, Counter] = defaultdict(Counter)  # key -> the kinds its mentions have
    for mention in unmatched:
        found = key(mention.text, mention.kind)
        if mention.kind:
            kinds[found][mention.kind] += 1
        if mention.kind == PERSON and " " in found:
            fulls[found.split()[-1]].add(found)
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    joined: Counter = Counter()  # group -> the surnames that joined it
    names: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for mention in unmatched:
        found, kind = key(mention.text, mention.kind), mention.kind
        here = local.get(mention.document_id, {})
        full = None
        if _is_single_person_word(found, kind):
            if here.get(found) is not None and here[found].entry_id is None:
                full = here[found].key
            elif found not in here and len(fulls.get(found, ())) == 1:
                full = next(iter(fulls[found]))
        if full is not None:
            group = (full, PERSON)
            joined[group] += 1
        else:
            group = (found, kind or (kinds[found].most_common(1)[0][0] if kinds[found] else OTHER))
            names[group][display_name(mention.text, mention.kind)] += 1
        groups[group].append(mention)
    found_suggestions = []
    for group, members in groups.items():
        counted = names[group] or Counter({display_name(members[0].text, group[1]): 1})
        name = max(counted, key=lambda n: (counted[n], len(n), n))
        reason = "new entry"
        if joined[group]:
            reason += f", with {joined[group]} surname mention(s) of {name}"
        found_suggestions.append(LinkSuggestion(tuple(m.span_id for m in members), _texts(members), None, name,
                                                group[1], reason, 0.5))
    return found_suggestions
