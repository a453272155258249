"""The registry's SQL: entries, aliases, confirmed links, and what an entry's mentions and statements are.

One entry's appearances start from its ``registry_links`` (only linked spans are touched, never the
project's millions of others) and find statements and claims through ``ix_relations_tail_label``. The entry
list reads mention counts from ``registry_entries.mentions`` (kept by triggers, migration 0011) and its
statements and claims from the speaker relations, far fewer than the links. Writes go through ``changing``: one short transaction that snapshots the rows
it touches before and after (core.registry_changes), so every action can be undone exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, case, delete, func, insert, literal, select, union, union_all, update

from annotator.core.model import Layer, State, new_uid, now
from annotator.core.records import RegistryRecord
from annotator.core.registry import KINDS, OTHER, Mention, key, kind_of
from annotator.core.registry_changes import AliasRow, EntryRow, LinkRow, RegistryChange, RegistryState
from annotator.core.vocabulary import SPEAKER, STATEMENT_OF
from annotator.store.project import Project
from annotator.store.tables import documents, registry_aliases, registry_entries, registry_links, relations, spans

CONTEXT = 60  # characters read on each side of a span, for its snippet
STATEMENT_CONTEXT = 200  # around a statement: its cue is usually this near


# --- snapshots and changes --------------------------------------------------------------------------------


def read_state(conn: Connection, entry_ids: Iterable[int], span_ids: Iterable[int]) -> RegistryState:
    entry_ids, span_ids = sorted(set(entry_ids)), sorted(set(span_ids))
    entries, aliases, links = [], [], []
    for chunk in _chunks(entry_ids):
        entries += [EntryRow(*row) for row in conn.execute(
            select(registry_entries.c.id, registry_entries.c.uid, registry_entries.c.name, registry_entries.c.kind,
                   registry_entries.c.created, registry_entries.c.updated).where(registry_entries.c.id.in_(chunk)))]
        aliases += [AliasRow(*row) for row in conn.execute(
            select(registry_aliases.c.entry_id, registry_aliases.c.alias, registry_aliases.c.key)
            .where(registry_aliases.c.entry_id.in_(chunk)))]
    for chunk in _chunks(span_ids):
        links += [LinkRow(*row) for row in conn.execute(
            select(registry_links.c.span_id, registry_links.c.entry_id, registry_links.c.annotator,
                   registry_links.c.created).where(registry_links.c.span_id.in_(chunk)))]
    return RegistryState(
        tuple(sorted(entries, key=lambda e: e.id)),
        tuple(sorted(aliases, key=lambda a: (a.entry_id, a.alias))),
        tuple(sorted(links, key=lambda link: link.span_id)),
    )


def write_state(conn: Connection, entry_ids: Iterable[int], span_ids: Iterable[int], state: RegistryState) -> None:
    """Make the rows of ``entry_ids`` and ``span_ids`` be ``state``: ids and uids as they were. A span
    deleted since (with its article) keeps no link."""
    entry_ids, span_ids = sorted(set(entry_ids)), sorted(set(span_ids))
    for chunk in _chunks(span_ids):
        conn.execute(delete(registry_links).where(registry_links.c.span_id.in_(chunk)))
    for chunk in _chunks(entry_ids):
        conn.execute(delete(registry_aliases).where(registry_aliases.c.entry_id.in_(chunk)))
    wanted = {e.id: e for e in state.entries}
    there = set()
    for chunk in _chunks(entry_ids):
        there |= set(conn.execute(select(registry_entries.c.id).where(registry_entries.c.id.in_(chunk))).scalars())
    gone = [i for i in entry_ids if i not in wanted and i in there]
    for chunk in _chunks(gone):
        conn.execute(delete(registry_entries).where(registry_entries.c.id.in_(chunk)))
    for entry in state.entries:
        values = {"uid": entry.uid, "name": entry.name, "kind": entry.kind, "created": entry.created,
                  "updated": entry.updated}
        if entry.id in there:
            conn.execute(update(registry_entries).where(registry_entries.c.id == entry.id).values(**values))
        else:
            conn.execute(insert(registry_entries).values(id=entry.id, **values))
    if state.aliases:
        conn.execute(insert(registry_aliases), [
            {"entry_id": a.entry_id, "alias": a.alias, "key": a.key} for a in state.aliases])
    existing = set()
    for chunk in _chunks([link.span_id for link in state.links]):
        existing |= set(conn.execute(select(spans.c.id).where(spans.c.id.in_(chunk))).scalars())
    links = [link for link in state.links if link.span_id in existing]
    if links:
        conn.execute(insert(registry_links), [
            {"span_id": link.span_id, "entry_id": link.entry_id, "annotator": link.annotator, "created": link.created}
            for link in links])


@dataclass
class Scope:
    """What an action may touch; the action adds what it creates (``made``) and links (``span_ids``)."""

    entry_ids: set[int]
    span_ids: set[int]
    made: list[int]


def changing(project: Project, description: str, entry_ids: Iterable[int], span_ids: Iterable[int],
             action: Callable[[Connection, Scope], None]) -> RegistryChange:
    """Run ``action`` in one write transaction and return the change it made as two snapshots. The spans
    linked to ``entry_ids`` join the scope by themselves (the scope rule of core.registry_changes)."""
    with project.writing() as conn:
        scope = Scope(set(entry_ids), set(span_ids), [])
        scope.span_ids |= set(linked_span_ids(conn, scope.entry_ids))
        before = read_state(conn, scope.entry_ids, scope.span_ids)
        action(conn, scope)
        scope.entry_ids |= set(scope.made)
        scope.span_ids |= set(linked_span_ids(conn, scope.made))
        after = read_state(conn, scope.entry_ids, scope.span_ids)
    return RegistryChange(description, frozenset(scope.entry_ids), frozenset(scope.span_ids), before, after,
                          tuple(scope.made))


def restore(project: Project, change: RegistryChange, state: RegistryState) -> None:
    with project.writing() as conn:
        write_state(conn, change.entry_ids, change.span_ids, state)


# --- writing, inside ``changing`` -------------------------------------------------------------------------


def insert_entry(conn: Connection, name: str, kind: str, uid: str | None = None) -> int:
    stamp = now()
    return conn.execute(
        insert(registry_entries).values(uid=uid or new_uid(), name=name, kind=kind, created=stamp, updated=stamp)
        .returning(registry_entries.c.id)
    ).scalar_one()


def touch(conn: Connection, entry_id: int, **values) -> None:
    conn.execute(update(registry_entries).where(registry_entries.c.id == entry_id).values(updated=now(), **values))


def add_aliases(conn: Connection, entry_id: int, aliases: dict[str, str]) -> None:
    """``aliases``: alias -> key; those the entry has already are left as they are."""
    have = set(conn.execute(select(registry_aliases.c.alias).where(registry_aliases.c.entry_id == entry_id)).scalars())
    rows = [{"entry_id": entry_id, "alias": a, "key": k} for a, k in aliases.items() if a not in have]
    if rows:
        conn.execute(insert(registry_aliases), rows)


def remove_aliases(conn: Connection, entry_id: int, aliases: Iterable[str]) -> None:
    conn.execute(delete(registry_aliases).where(registry_aliases.c.entry_id == entry_id,
                                                registry_aliases.c.alias.in_(list(aliases))))


def link_spans(conn: Connection, span_ids: Iterable[int], entry_id: int, annotator: str | None) -> None:
    span_ids = sorted(set(span_ids))
    unlink_spans(conn, span_ids)
    stamp = now()
    if span_ids:
        conn.execute(insert(registry_links), [
            {"span_id": i, "entry_id": entry_id, "annotator": annotator, "created": stamp} for i in span_ids])


def unlink_spans(conn: Connection, span_ids: Iterable[int]) -> None:
    for chunk in _chunks(sorted(set(span_ids))):
        conn.execute(delete(registry_links).where(registry_links.c.span_id.in_(chunk)))


def move_links(conn: Connection, into_id: int, entry_ids: Iterable[int] = (), span_ids: Iterable[int] = ()) -> None:
    """The links of ``entry_ids``, and of ``span_ids``, now lead to ``into_id`` (who made them, and when, stay)."""
    for chunk in _chunks(sorted(set(entry_ids))):
        conn.execute(update(registry_links).where(registry_links.c.entry_id.in_(chunk)).values(entry_id=into_id))
    for chunk in _chunks(sorted(set(span_ids))):
        conn.execute(update(registry_links).where(registry_links.c.span_id.in_(chunk)).values(entry_id=into_id))


def delete_entries(conn: Connection, entry_ids: Iterable[int]) -> None:
    conn.execute(delete(registry_entries).where(registry_entries.c.id.in_(list(entry_ids))))


@dataclass
class BroughtIn:
    """What ``bring_in`` added, and the links it left as they were."""

    entries: int = 0  # new entries
    aliases: int = 0  # names added to entries the project had
    links: int = 0
    differing: list[tuple[int, str, str]] = field(default_factory=list)  # (span id, its entry here, the one named)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (span id, an entry uid nobody described)


def bring_in(conn: Connection, records: Iterable[RegistryRecord], links: dict[int, str]) -> BroughtIn:
    """Entries and links from elsewhere (an import, a merge): ``links`` maps span ids here to entry uids.
    An entry is found by its uid (and gets the names it lacks) or added with that uid; a span linked
    already keeps its link, whatever the source says (an analyst's link is never overwritten). Nobody here
    confirmed the new links: their annotator is left empty. Bringing the same in twice adds nothing."""
    done, records = BroughtIn(), list(records)
    found = {row.uid: row for row in _entries_by_uid(conn, {r.uid for r in records} | set(links.values()))}
    for record in records:
        row = found.get(record.uid)
        if row is None:
            kind = record.kind if record.kind in KINDS else OTHER
            entry_id = insert_entry(conn, record.name, kind, record.uid)
            found[record.uid] = EntryRow(entry_id, record.uid, record.name, kind, None, None)
            add_aliases(conn, entry_id, {a: key(a, kind) for a in record.aliases if a != record.name})
            done.entries += 1
            continue
        have = {row.name, *aliases_by_entry_of(conn, row.id)}
        new = {a: key(a, row.kind) for a in (record.name, *record.aliases) if a not in have}
        if new:
            add_aliases(conn, row.id, new)
            touch(conn, row.id)
            done.aliases += len(new)
    linked: dict[int, int] = {}
    for chunk in _chunks(sorted(links)):
        linked.update(conn.execute(select(registry_links.c.span_id, registry_links.c.entry_id)
                                   .where(registry_links.c.span_id.in_(chunk))).all())
    names = {row.id: row.name for row in entry_rows(conn, set(linked.values()))} if linked else {}
    stamp, rows = now(), []
    for span_id, uid in sorted(links.items()):
        row = found.get(uid)
        if row is None:
            done.unknown.append((span_id, uid))
        elif span_id not in linked:
            rows.append({"span_id": span_id, "entry_id": row.id, "annotator": None, "created": stamp})
        elif linked[span_id] != row.id:
            done.differing.append((span_id, names.get(linked[span_id], ""), row.name))
    if rows:
        conn.execute(insert(registry_links), rows)
    done.links = len(rows)
    return done


def _entries_by_uid(conn: Connection, uids: Iterable[str]) -> list[EntryRow]:
    found: list[EntryRow] = []
    uids = sorted(set(uids))
    for first in range(0, len(uids), 500):
        found += [EntryRow(*row) for row in conn.execute(
            select(registry_entries.c.id, registry_entries.c.uid, registry_entries.c.name, registry_entries.c.kind,
                   registry_entries.c.created, registry_entries.c.updated)
            .where(registry_entries.c.uid.in_(uids[first : first + 500])))]
    return found


# --- reading ----------------------------------------------------------------------------------------------


def linked_span_ids(conn: Connection, entry_ids: Iterable[int]) -> list[int]:
    found: list[int] = []
    for chunk in _chunks(sorted(set(entry_ids))):
        found += conn.execute(select(registry_links.c.span_id).where(registry_links.c.entry_id.in_(chunk))).scalars()
    return found


def entry_rows(conn: Connection, entry_ids: Iterable[int] | None = None) -> list[EntryRow]:
    query = select(registry_entries.c.id, registry_entries.c.uid, registry_entries.c.name, registry_entries.c.kind,
                   registry_entries.c.created, registry_entries.c.updated).order_by(registry_entries.c.id)
    if entry_ids is not None:
        query = query.where(registry_entries.c.id.in_(list(entry_ids)))
    return [EntryRow(*row) for row in conn.execute(query)]


def aliases_by_entry(conn: Connection) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    query = select(registry_aliases.c.entry_id, registry_aliases.c.alias).order_by(
        registry_aliases.c.entry_id, registry_aliases.c.alias)
    for entry_id, alias in conn.execute(query):
        found.setdefault(entry_id, []).append(alias)
    return found


def entry_names(conn: Connection) -> list[tuple[int, str, str, str]]:
    """(id, uid, name, kind) of every entry: the list's columns, without the stamps (a tenth of its time)."""
    return [tuple(row) for row in conn.execute(
        select(registry_entries.c.id, registry_entries.c.uid, registry_entries.c.name, registry_entries.c.kind))]


def aliases_by_entry_of(conn: Connection, entry_id: int) -> list[str]:
    return list(conn.execute(select(registry_aliases.c.alias).where(registry_aliases.c.entry_id == entry_id)
                             .order_by(registry_aliases.c.alias)).scalars())


def counts(conn: Connection) -> dict[int, tuple[int, int, int]]:
    """Entry id -> (mentions, statements it spoke, claims in those). Mentions are the entry's own column
    (kept by triggers: counting every link took longer than the list may); statements and claims come from
    one query over the speaker relations, read once for both. Rejected statements and claims do not count;
    a statement's claims are those linked to it and those overlapping it (claims are suggested sentence by
    sentence, unlinked)."""
    found = {entry_id: [mentions, 0, 0] for entry_id, mentions in conn.execute(
        select(registry_entries.c.id, registry_entries.c.mentions))}
    spoken = _spoken().cte("spoken")  # used twice: both databases compute it once
    holds, linked, near = relations.alias("holds"), spans.alias("linked"), spans.alias("near")
    rejected = str(State.REJECTED)
    by_link = (select(spoken.c.entry_id, linked.c.id.label("claim_id"))
               .select_from(spoken.join(holds, and_(holds.c.tail_span_id == spoken.c.id, holds.c.label == STATEMENT_OF))
                            .join(linked, and_(linked.c.id == holds.c.head_span_id, linked.c.state != rejected))))
    by_place = (select(spoken.c.entry_id, near.c.id.label("claim_id"))
                .select_from(spoken.join(near, and_(*_overlapping(near, spoken), near.c.state != rejected))))
    claims = union_all(by_link, by_place).subquery()
    query = union_all(
        select(spoken.c.entry_id, literal(1), func.count(func.distinct(spoken.c.id))).group_by(spoken.c.entry_id),
        select(claims.c.entry_id, literal(2), func.count(func.distinct(claims.c.claim_id))).group_by(claims.c.entry_id),
    )
    for entry_id, which, number in conn.execute(query):
        if entry_id in found:
            found[entry_id][which] = number
    return {entry_id: tuple(values) for entry_id, values in found.items()}


def _spoken(entry_id: int | None = None):
    """(entry id, statement id, document id, start, end) of the statements the entries' spans spoke, rejected
    ones aside. For every entry it starts from the speaker relations (far fewer than the links)."""
    said, statement = relations.alias("said"), spans.alias("statement")
    query = (
        select(registry_links.c.entry_id, statement.c.id, statement.c.document_id, statement.c.start, statement.c.end)
        .select_from(said.join(registry_links, registry_links.c.span_id == said.c.tail_span_id)
                     .join(statement, statement.c.id == said.c.head_span_id))
        .where(said.c.label == SPEAKER, statement.c.state != str(State.REJECTED))
    )
    return query if entry_id is None else query.where(registry_links.c.entry_id == entry_id)


def _overlapping(claim, statement) -> tuple:
    """A claim of the statement's article overlapping it: found through (document_id, layer, start)."""
    return (claim.c.document_id == statement.c.document_id, claim.c.layer == str(Layer.CLAIM),
            claim.c.start < statement.c.end, claim.c.end > statement.c.start)


def has_links(conn: Connection) -> bool:
    return conn.execute(select(registry_links.c.span_id).limit(1)).first() is not None


def links_of_documents(conn: Connection, document_ids: list[int]) -> dict[int, str]:
    """Span id -> entry uid, for the linked spans of these documents (an export's batch)."""
    query = (select(registry_links.c.span_id, registry_entries.c.uid)
             .join(registry_entries, registry_entries.c.id == registry_links.c.entry_id)
             .join(spans, spans.c.id == registry_links.c.span_id)
             .where(spans.c.document_id.in_(document_ids)))
    return dict(conn.execute(query).all())


def document_ids(conn: Connection) -> list[int]:
    return list(conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars())


def mentions(conn: Connection, document_ids: list[int] | None = None) -> list[Mention]:
    """Every entity span that may name an entry (rejected ones aside), with its words and its link."""
    words = func.substr(documents.c.text, spans.c.start + 1, spans.c.end - spans.c.start)
    query = (
        select(spans.c.id, spans.c.document_id, spans.c.start, spans.c.label, words, registry_links.c.entry_id)
        .join(documents, documents.c.id == spans.c.document_id)
        .outerjoin(registry_links, registry_links.c.span_id == spans.c.id)
        .where(spans.c.layer == str(Layer.ENTITY), spans.c.state != str(State.REJECTED))
        .order_by(spans.c.document_id, spans.c.start)
    )
    if document_ids is not None:
        query = query.where(spans.c.document_id.in_(document_ids))
    found = []
    kinds: dict[str, str | None] = {}
    for span_id, document_id, start, label, text, entry_id in conn.execute(query):
        if label not in kinds:
            kinds[label] = kind_of(label)
        if kinds[label] is not None:
            found.append(Mention(span_id, document_id, start, text, kinds[label], entry_id))
    return found


def mention_rows(conn: Connection, entry_id: int) -> list:
    """The entry's linked spans with their article and the text around them (CONTEXT each side)."""
    low = case((spans.c.start > CONTEXT, spans.c.start - CONTEXT), else_=0)
    query = (
        select(spans.c.id, spans.c.document_id, spans.c.start, spans.c.end, spans.c.label, documents.c.uid,
               documents.c.title, documents.c.date, low.label("low"),
               func.substr(documents.c.text, low + 1, spans.c.end - low + CONTEXT).label("window"))
        .select_from(registry_links.join(spans, spans.c.id == registry_links.c.span_id)
                     .join(documents, documents.c.id == spans.c.document_id))
        .where(registry_links.c.entry_id == entry_id, spans.c.state != str(State.REJECTED))
    )
    return conn.execute(query).all()


def statement_rows(conn: Connection, entry_id: int) -> list:
    """The statements whose speaker is one of the entry's spans, with their article, the text around, and
    the speaker's words."""
    statement, speaker = spans.alias("statement"), spans.alias("speaker")  # a speaker relation's spans share a document
    low = case((statement.c.start > STATEMENT_CONTEXT, statement.c.start - STATEMENT_CONTEXT), else_=0)
    query = (
        select(statement.c.id, statement.c.document_id, statement.c.start, statement.c.end, statement.c.label,
               statement.c.attributes, documents.c.uid, documents.c.title, documents.c.date, low.label("low"),
               func.substr(documents.c.text, low + 1, statement.c.end - low + STATEMENT_CONTEXT).label("window"),
               func.substr(documents.c.text, speaker.c.start + 1, speaker.c.end - speaker.c.start).label("speaker_words"))
        .select_from(
            registry_links
            .join(relations, and_(relations.c.tail_span_id == registry_links.c.span_id, relations.c.label == SPEAKER))
            .join(statement, statement.c.id == relations.c.head_span_id)
            .join(documents, documents.c.id == statement.c.document_id)
            .join(speaker, speaker.c.id == registry_links.c.span_id)
        )
        .where(registry_links.c.entry_id == entry_id, statement.c.state != str(State.REJECTED))
    )
    return conn.execute(query).all()


def claim_rows(conn: Connection, entry_id: int) -> list:
    """(statement id, claim id, start, end, attributes, words) of the claims made in the statements the
    entry spoke (those of ``statement_rows``): linked to them, or overlapping them; each claim once a
    statement, in reading order. One query from the entry's links, however many statements it spoke."""
    spoken = _spoken(entry_id).cte("spoken")
    holds, near, claim = relations.alias("holds"), spans.alias("near"), spans.alias("claim")
    found = union(
        select(spoken.c.id.label("statement_id"), holds.c.head_span_id.label("claim_id"))
        .select_from(spoken.join(holds, and_(holds.c.tail_span_id == spoken.c.id, holds.c.label == STATEMENT_OF))),
        select(spoken.c.id, near.c.id).select_from(spoken.join(near, and_(*_overlapping(near, spoken)))),
    ).subquery()
    words = func.substr(documents.c.text, claim.c.start + 1, claim.c.end - claim.c.start)
    query = (
        select(found.c.statement_id, claim.c.id, claim.c.start, claim.c.end, claim.c.attributes, words)
        .select_from(found.join(claim, claim.c.id == found.c.claim_id)
                     .join(documents, documents.c.id == claim.c.document_id))
        .where(claim.c.state != str(State.REJECTED))
        .order_by(found.c.statement_id, claim.c.start, claim.c.id)
    )
    return conn.execute(query).all()


def text_at(conn: Connection, document_id: int, start: int, end: int) -> str:
    return conn.execute(select(func.substr(documents.c.text, start + 1, end - start))
                        .where(documents.c.id == document_id)).scalar() or ""


def spans_by_id(conn: Connection, span_ids: Iterable[int]) -> dict[int, tuple[int, str, str, str]]:
    """Span id -> (document id, layer, label, words)."""
    found = {}
    words = func.substr(documents.c.text, spans.c.start + 1, spans.c.end - spans.c.start)
    for chunk in _chunks(sorted(set(span_ids))):
        query = (select(spans.c.id, spans.c.document_id, spans.c.layer, spans.c.label, words)
                 .join(documents, documents.c.id == spans.c.document_id).where(spans.c.id.in_(chunk)))
        found.update({row[0]: tuple(row[1:]) for row in conn.execute(query)})
    return found


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for first in range(0, len(ids), size):
        yield ids[first : first + size]
