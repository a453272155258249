"""A change to the registry as two snapshots, so undo and redo restore it exactly.

Every registry action (confirm, unlink, merge, split, rename, an alias added or removed) touches some
entries and some spans' links. Its ``RegistryChange`` holds, for exactly those entries and spans, the rows
before and after: each entry (or its absence), all of its aliases, each span's link (or its absence). Undo
writes ``before`` back, redo ``after``, with the same ids and uids, so exports and merges between projects
see the same entries again.

Scope rule: every link to an entry in ``entry_ids`` has its span in ``span_ids``, before and after, so
writing a snapshot never leaves a link to an entry it removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: int
    uid: str
    name: str
    kind: str
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class AliasRow:
    entry_id: int
    alias: str
    key: str  # core.registry.key(alias, kind)


@dataclass(frozen=True, slots=True)
class LinkRow:
    span_id: int
    entry_id: int
    annotator: str | None
    created: datetime


@dataclass(frozen=True, slots=True)
class RegistryState:
    """The rows of some entries and some spans' links at one moment (absent ones are simply not here)."""

    entries: tuple[EntryRow, ...] = ()
    aliases: tuple[AliasRow, ...] = ()
    links: tuple[LinkRow, ...] = ()


@dataclass(frozen=True, slots=True)
class RegistryChange:
    description: str  # for the Edit menu: "Merge 2 entries into Sergey Lavrov"
    entry_ids: frozenset[int]
    span_ids: frozenset[int]
    before: RegistryState
    after: RegistryState
    made: tuple[int, ...] = ()  # entries this change created (a confirmed new entry, a split's new one)

    @property
    def changed(self) -> bool:
        return self.before != self.after
