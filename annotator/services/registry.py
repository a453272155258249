"""The registry of people, organisations and places, as the window and the command line use it.

An entry (``EntrySummary``) is one referent with its name, kind (PERSON, ORG, GPE, OTHER), aliases and
counts. Spans link to entries: entity mentions, and so statement speakers (a speaker is an entity span).
Links are only ever suggested by the program (``suggest_links``) and confirmed by a person (``confirm``).

Reading:
- ``entries(project, kind=None, text="")``: the entry list with counts (mentions, statements spoken, claims
  in them): mentions kept by the database, the rest one query over the speaker relations.
- ``appearances(project, entry_id, ...)``: every mention and every statement of one entry, with cue,
  content and claims, by date.
- ``suggest_links(project, document_ids=None, progress=None, cancel=None)``: suggestions, computed from
  plain reads (no write transaction): safe on a worker thread.

Changing: ``confirm``, ``unlink``, ``create_entry``, ``merge``, ``split``, ``rename``, ``add_alias``,
``remove_alias`` each run in one short transaction and return a ``RegistryChange``; ``undo_change`` and
``redo_change`` write its snapshot back exactly (same ids and uids), so every step can be undone.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer, default_annotator
from annotator.core.registry import (
    KINDS,
    OTHER,
    KnownEntry,
    LinkSuggestion,
    display_name,
    key,
    kind_of,
    suggest,
    surname,
)
from annotator.core.find import snippet
from annotator.core.records import RegistryRecord, within_dates
from annotator.core.registry_changes import RegistryChange
from annotator.core.vocabulary import CHECKWORTHINESS, CHECKWORTHINESS_CLASSES, CUE, KIND, SCORE
from annotator.store import registry as store
from annotator.store.project import Project

Suggestion = LinkSuggestion  # re-exported: what suggest_links returns and confirm takes
Progress = Callable[[int, int], None]  # (documents read, of how many)
SNIPPET = 120  # characters of context shown around a mention or statement


@dataclass(frozen=True, slots=True)
class EntrySummary:
    id: int
    uid: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    mentions: int  # linked spans
    statements: int  # statements whose speaker is one of them (rejected ones aside)
    claims: int  # claims made in those statements


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    checkworthiness: str | None  # a class of the schema, e.g. "check-worthy factual"
    score: float | None  # a model's check-worthiness score, when one gave it


@dataclass(frozen=True, slots=True)
class Appearance:
    """One row of an entry's appearances: a mention of it, or a statement it made."""

    kind: str  # "mention" or "statement"
    document_id: int
    document_uid: str
    title: str
    date: str | None
    start: int  # of the mention, or of the statement's content
    end: int
    label: str  # the mention's entity label, or the statement's label
    text: str  # the mention's words, or the statement's content
    snippet: str  # about SNIPPET characters around it, on one line
    span_id: int
    speaker: str = ""  # a statement's speaker words
    cue: str = ""  # a statement's cue ("said")
    statement_kind: str | None = None  # direct, indirect, ...
    claims: tuple[Claim, ...] = ()


# --- reading ----------------------------------------------------------------------------------------------


def entries(project: Project, kind: str | None = None, text: str = "") -> list[EntrySummary]:
    """The entries, by name; ``kind`` one of KINDS or None; ``text`` in the name or an alias (any case,
    any script: "lavrov" finds Лавров)."""
    with project.reading() as conn:
        rows = store.entry_names(conn)
        aliases = store.aliases_by_entry(conn)
        counted = store.counts(conn)
    wanted, wanted_key = wanted_words(text)
    found = []
    for entry_id, uid, name, entry_kind in rows:
        if kind is not None and entry_kind != kind:
            continue
        own = tuple(aliases.get(entry_id, ()))
        if not names_match((name, *own), wanted, wanted_key):
            continue
        mentions, statements, claims = counted.get(entry_id, (0, 0, 0))
        found.append(EntrySummary(entry_id, uid, name, entry_kind, own, mentions, statements, claims))
    found.sort(key=lambda e: (e.name.casefold(), e.id))
    return found


def wanted_words(text: str) -> tuple[str, str]:
    """A filter's words as ``names_match`` takes them: casefolded, and their key ("" for no words)."""
    wanted = text.strip().casefold()
    return wanted, key(text, OTHER) if wanted else ""


def names_match(names: Iterable[str], wanted: str, wanted_key: str) -> bool:
    """The filter's words (``wanted_words``) in one of ``names`` (an entry's name and aliases), in any case
    or script ("lavrov" finds Лавров); no words match everything."""
    if not wanted:
        return True
    return any(wanted in n.casefold() or (wanted_key and wanted_key in key(n, OTHER)) for n in names)


def entry_names(project: Project) -> dict[int, str]:
    """Entry id -> name: one plain read, without the counts ``entries`` works out."""
    with project.reading() as conn:
        return {entry_id: name for entry_id, _uid, name, _kind in store.entry_names(conn)}


def appearances(
    project: Project,
    entry_id: int,
    date_from: str | None = None,
    date_to: str | None = None,
    labels: Iterable[str] | None = None,
    min_checkworthiness: str | float | None = None,
    kinds: Iterable[str] = ("mention", "statement"),
) -> list[Appearance]:
    """Every mention of the entry and every statement it made, by article date (undated last), then place.

    ``date_from``/``date_to``: ISO days, both included (an undated article is then left out). ``labels``:
    only rows whose span has one of these labels (a mention's entity label, a statement's label).
    ``min_checkworthiness``: only statements with a claim at least this worthy: a class of
    CHECKWORTHINESS_CLASSES (most worthy first), or a score in [0, 1]; mentions are then left out."""
    kinds = set(kinds)
    if min_checkworthiness is not None:
        kinds.discard("mention")
    with project.reading() as conn:
        rows = _mentions(conn, entry_id) if "mention" in kinds else []
        if "statement" in kinds:
            rows += _statements(conn, entry_id)
    labels = set(labels) if labels is not None else None
    kept = [
        row for row in rows
        if (labels is None or row.label in labels)
        and within_dates(row.date, date_from, date_to)
        and (min_checkworthiness is None or _worthy(row.claims, min_checkworthiness))
    ]
    kept.sort(key=lambda r: (r.date is None, r.date or "", r.document_id, r.start, r.kind))
    return kept


def _mentions(conn, entry_id: int) -> list[Appearance]:
    found = []
    # Rows unpacked, not read by name: a name costs a microsecond, and an entry has tens of thousands.
    for span_id, document_id, start, end, label, uid, title, date, low, window in store.mention_rows(conn, entry_id):
        here, there = start - low, end - low
        found.append(Appearance("mention", document_id, uid, title, date, start, end, label, window[here:there],
                                _snippet(window, here, there), span_id))
    return found


def _statements(conn, entry_id: int) -> list[Appearance]:
    rows = store.statement_rows(conn, entry_id)
    claims: dict[int, list[Claim]] = defaultdict(list)
    for statement_id, _claim, _start, _end, attributes, words in store.claim_rows(conn, entry_id):
        attributes = attributes or {}
        claims[statement_id].append(Claim(words or "", attributes.get(CHECKWORTHINESS), attributes.get(SCORE)))
    found = []
    for statement_id, document_id, start, end, label, attributes, uid, title, date, low, window, speaker in rows:
        attributes = attributes or {}
        here, there = start - low, end - low
        found.append(Appearance(
            "statement", document_id, uid, title, date, start, end, label, window[here:there],
            _snippet(window, here, there), statement_id, speaker=speaker or "",
            cue=_cue(conn, document_id, low, window, attributes.get(CUE)),
            statement_kind=attributes.get(KIND), claims=tuple(claims.get(statement_id, ())),
        ))
    return found


def _cue(conn, document_id: int, low: int, window: str, cue) -> str:
    if not (isinstance(cue, list | tuple) and len(cue) == 2):
        return ""
    start, end = cue[0] - low, cue[1] - low
    if 0 <= start <= end <= len(window):
        return window[start:end]
    return store.text_at(conn, document_id, cue[0], cue[1])  # a cue far from its content


def _snippet(window: str, start: int, end: int) -> str:
    """The words around ``start:end``, on one line: whole words only, with "…" where the text goes on."""
    return snippet(window, [(start, end)], SNIPPET)[0]


def _worthy(claims: tuple[Claim, ...], least: str | float) -> bool:
    if isinstance(least, str):
        if least not in CHECKWORTHINESS_CLASSES:
            raise AnnotatorError(f"unknown check-worthiness '{least}' (known: {', '.join(CHECKWORTHINESS_CLASSES)})")
        allowed = set(CHECKWORTHINESS_CLASSES[: CHECKWORTHINESS_CLASSES.index(least) + 1])
        return any(c.checkworthiness in allowed for c in claims)
    return any(c.score is not None and c.score >= least for c in claims)


# --- suggesting -------------------------------------------------------------------------------------------


def suggest_links(
    project: Project,
    document_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    batch: int = 2000,
) -> list[LinkSuggestion]:
    """Suggested links for the mentions nobody linked yet (of ``document_ids``, else of every document),
    surest first. Only reads, a batch of documents a transaction: run it on a worker thread. A cancelled
    run returns []."""
    with project.reading() as conn:
        ids = list(document_ids) if document_ids is not None else store.document_ids(conn)
        known = _known_entries(conn)
    found = []
    for first in range(0, len(ids), batch):
        if cancel is not None and cancel.is_set():
            return []
        with project.reading() as conn:
            found += store.mentions(conn, ids[first : first + batch])
        if progress is not None:
            progress(min(first + batch, len(ids)), len(ids))
    return suggest(found, known)


def suggestion_articles(project: Project, suggestions: Iterable[LinkSuggestion]) -> dict[int, tuple[int, str]]:
    """Span id -> (document id, title) of the suggested mentions: which articles a suggestion is about, for
    the analyst judging it. Only reads: run it on the worker thread with suggest_links."""
    span_ids = {i for s in suggestions for i in s.span_ids}
    with project.reading() as conn:
        places = store.spans_by_id(conn, span_ids)
    from annotator.store.documents import document_titles  # every title: one read, not one per article

    titles = {row[0]: row[1] for row in document_titles(project)} if places else {}
    return {span_id: (place[0], titles.get(place[0], "")) for span_id, place in places.items()}


def export_entries(project: Project) -> tuple[RegistryRecord, ...]:
    """Every entry with its aliases, as export formats receive them (ExportOptions.registry)."""
    with project.reading() as conn:
        aliases = store.aliases_by_entry(conn)
        return tuple(RegistryRecord(row.uid, row.name, row.kind, tuple(aliases.get(row.id, ())))
                     for row in store.entry_rows(conn))


def has_links(project: Project) -> bool:
    """Whether any span is linked to an entry: an export asks once, not batch by batch."""
    with project.reading() as conn:
        return store.has_links(conn)


def export_links(project: Project, document_ids: list[int], linked: bool | None = None) -> dict[int, str]:
    """Span id -> entry uid for the linked spans of these documents (an export's batch); {} at once in a
    project nobody linked anything in. ``linked``: ``has_links``, when the caller asked it already."""
    with project.reading() as conn:
        if not (store.has_links(conn) if linked is None else linked):
            return {}
        return store.links_of_documents(conn, document_ids)


def _known_entries(conn) -> list[KnownEntry]:
    aliases = store.aliases_by_entry(conn)
    return [KnownEntry(row.id, row.name, row.kind, tuple(aliases.get(row.id, ()))) for row in store.entry_rows(conn)]


# --- changing ---------------------------------------------------------------------------------------------


def confirm(
    project: Project,
    what: LinkSuggestion | Iterable[LinkSuggestion] | Iterable[int],
    entry_id: int | None = None,
    new_name: str | None = None,
    kind: str | None = None,
    annotator: str | None = None,
) -> RegistryChange:
    """Link spans to an entry, as one undoable step. ``what``: a suggestion, several, or span ids. For
    span ids say where: ``entry_id``, or ``new_name`` (and ``kind``, else the spans' own) for a new entry.
    For suggestions ``entry_id``/``new_name`` override where each goes (the analyst chose another entry).
    The mentions' names the entry does not know yet become its aliases (a lone surname does not)."""
    annotator = annotator or default_annotator()
    if isinstance(what, LinkSuggestion):
        what = [what]
    what = list(what)
    if all(isinstance(item, int) for item in what):
        if entry_id is None and not (new_name or "").strip():
            raise AnnotatorError("say which entry the spans are linked to (an entry id, or a name for a new one)")
        plans = [(tuple(what), entry_id, new_name, kind)]
    else:
        plans = [(s.span_ids, entry_id if entry_id is not None else s.entry_id,
                  new_name if new_name is not None or entry_id is not None else s.new_name, kind or s.kind)
                 for s in what]
    span_ids = {i for plan in plans for i in plan[0]}
    targets = {plan[1] for plan in plans if plan[1] is not None}
    count = len(span_ids)

    def act(conn, scope):
        words = _entity_words(conn, span_ids)
        rows = {row.id: row for row in store.entry_rows(conn, targets)}
        missing = targets - set(rows)
        if missing:
            raise AnnotatorError(f"no registry entry {', '.join(map(str, sorted(missing)))} (deleted meanwhile?)")
        for ids, target, name, wanted_kind in plans:
            if target is None:
                kinds = [kind_of(words[i][1]) for i in ids]
                wanted_kind = wanted_kind or next((k for k in kinds if k), OTHER)
                name = (name or "").strip() or display_name(words[ids[0]][0], wanted_kind)
                target = store.insert_entry(conn, name, _checked_kind(wanted_kind))
                scope.made.append(target)
                entry_name, entry_kind = name, wanted_kind
            else:
                entry_name, entry_kind = rows[target].name, rows[target].kind
            store.link_spans(conn, ids, target, annotator)
            store.add_aliases(conn, target, _new_aliases(conn, target, entry_name, entry_kind,
                                                         [words[i][0] for i in ids]))
            store.touch(conn, target)

    return store.changing(project, f"Link {count} mention(s)", targets, span_ids, act)


def _entity_words(conn, span_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Span id -> (words, label); refused unless every span is an entity there is."""
    found = store.spans_by_id(conn, span_ids)
    wrong = sorted(i for i in span_ids if i not in found or found[i][1] != str(Layer.ENTITY))
    if wrong:
        raise AnnotatorError(f"span(s) {', '.join(map(str, wrong[:10]))} are not entities of this project: only "
                             "entities and speakers link to registry entries")
    return {i: (found[i][3], found[i][2]) for i in span_ids}


def _new_aliases(conn, entry_id: int, name: str, kind: str, texts: Iterable[str]) -> dict[str, str]:
    have = {key(name, kind)} | {key(a, kind) for a in store.aliases_by_entry_of(conn, entry_id)}
    last = surname(name, kind)
    found = {}
    for text in texts:
        alias = display_name(text, kind)
        alias_key = key(alias, kind)
        if alias_key and alias_key not in have and alias_key != last:
            found[alias] = alias_key
            have.add(alias_key)
    return found


def _checked_kind(kind: str) -> str:
    if kind not in KINDS:
        raise AnnotatorError(f"unknown entry kind '{kind}' (known: {', '.join(KINDS)})")
    return kind


def unlink(project: Project, span_ids: Iterable[int]) -> RegistryChange:
    span_ids = set(span_ids)
    return store.changing(project, f"Unlink {len(span_ids)} mention(s)", (), span_ids,
                          lambda conn, scope: store.unlink_spans(conn, span_ids))


def create_entry(project: Project, name: str, kind: str = OTHER, aliases: Iterable[str] = ()) -> RegistryChange:
    name, kind, aliases = _checked_name(name), _checked_kind(kind), list(aliases)

    def act(conn, scope):
        entry_id = store.insert_entry(conn, name, kind)
        scope.made.append(entry_id)
        store.add_aliases(conn, entry_id, {a: key(a, kind) for a in aliases if a.strip() and a != name})

    return store.changing(project, f"New entry {name}", (), (), act)


def merge(project: Project, source_ids: Iterable[int], into_id: int) -> RegistryChange:
    """The sources' links and aliases (and names, as aliases) go to ``into_id``; the sources go."""
    sources = sorted(set(source_ids) - {into_id})
    if not sources:
        raise AnnotatorError("nothing to merge: name other entries than the one they merge into")

    def act(conn, scope):
        rows = {row.id: row for row in store.entry_rows(conn, [*sources, into_id])}
        missing = [i for i in [*sources, into_id] if i not in rows]
        if missing:
            raise AnnotatorError(f"no registry entry {', '.join(map(str, missing))}")
        into = rows[into_id]
        names = [rows[i].name for i in sources]
        for i in sources:
            names += store.aliases_by_entry_of(conn, i)
        store.move_links(conn, into_id, entry_ids=sources)  # each link keeps who confirmed it, and when
        store.delete_entries(conn, sources)
        store.add_aliases(conn, into_id, {n: key(n, into.kind) for n in names if n != into.name})
        store.touch(conn, into_id)

    return store.changing(project, f"Merge {len(sources)} entr{'y' if len(sources) == 1 else 'ies'} into entry "
                          f"{into_id}", [*sources, into_id], (), act)


def split(project: Project, entry_id: int, new_name: str, span_ids: Iterable[int] = (),
          aliases: Iterable[str] = (), kind: str | None = None) -> RegistryChange:
    """A new entry ``new_name`` takes ``span_ids`` (linked to ``entry_id``) and ``aliases`` from it."""
    new_name, span_ids, aliases = _checked_name(new_name), set(span_ids), set(aliases)

    def act(conn, scope):
        [row] = store.entry_rows(conn, [entry_id]) or [None]
        if row is None:
            raise AnnotatorError(f"no registry entry {entry_id}")
        linked = set(store.linked_span_ids(conn, [entry_id]))
        strangers = sorted(span_ids - linked)
        if strangers:
            raise AnnotatorError(f"span(s) {', '.join(map(str, strangers[:10]))} are not linked to {row.name}")
        had = set(store.aliases_by_entry_of(conn, entry_id))
        new_kind = _checked_kind(kind or row.kind)
        made = store.insert_entry(conn, new_name, new_kind)
        scope.made.append(made)
        keys = {a: key(a, new_kind) for a in aliases & had}
        store.remove_aliases(conn, entry_id, keys)
        store.add_aliases(conn, made, keys)
        store.move_links(conn, made, span_ids=span_ids)
        store.touch(conn, entry_id)

    return store.changing(project, f"Split {new_name} off entry {entry_id}", [entry_id], (), act)


def rename(project: Project, entry_id: int, name: str, kind: str | None = None) -> RegistryChange:
    """A new name (and kind); the old name stays as an alias, so its mentions still match."""
    name = _checked_name(name)

    def act(conn, scope):
        [row] = store.entry_rows(conn, [entry_id]) or [None]
        if row is None:
            raise AnnotatorError(f"no registry entry {entry_id}")
        new_kind = _checked_kind(kind or row.kind)
        store.touch(conn, entry_id, name=name, kind=new_kind)
        store.remove_aliases(conn, entry_id, [name])
        if row.name != name and key(row.name, new_kind) != key(name, new_kind):
            store.add_aliases(conn, entry_id, {row.name: key(row.name, new_kind)})

    return store.changing(project, f"Rename entry {entry_id} to {name}", [entry_id], (), act)


def add_alias(project: Project, entry_id: int, alias: str) -> RegistryChange:
    alias = _checked_name(alias)

    def act(conn, scope):
        [row] = store.entry_rows(conn, [entry_id]) or [None]
        if row is None:
            raise AnnotatorError(f"no registry entry {entry_id}")
        store.add_aliases(conn, entry_id, {alias: key(alias, row.kind)})
        store.touch(conn, entry_id)

    return store.changing(project, f"Add alias {alias}", [entry_id], (), act)


def remove_alias(project: Project, entry_id: int, alias: str) -> RegistryChange:
    def act(conn, scope):
        store.remove_aliases(conn, entry_id, [alias])
        store.touch(conn, entry_id)

    return store.changing(project, f"Remove alias {alias}", [entry_id], (), act)


def undo_change(project: Project, change: RegistryChange) -> None:
    """Put back what the change found: the same entries (ids, uids), aliases and links."""
    store.restore(project, change, change.before)


def redo_change(project: Project, change: RegistryChange) -> None:
    store.restore(project, change, change.after)


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise AnnotatorError("a registry entry needs a name")
    return name
