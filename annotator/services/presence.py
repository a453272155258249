"""Who else is working on which document: each window's heartbeat, and what the others' say.

A window keeps one ``Heartbeat``. On its refresh timer it calls ``beat`` with the document it shows: the
row is written when the document changed or ``EVERY`` has passed since the last one, in a tiny transaction
that gives up at once on a busy database (the beat is skipped, the next tick tries again). A read-only
project (or a role that may not write) writes nothing and still shows the others. ``others`` reads who has
which document open now, the window's own annotator left out; ``leave`` deletes the row when it closes.

A heartbeat is no change to the project's work: a server's change fingerprint does not look at the presence
table. On SQLite any commit changes ``PRAGMA data_version``, so another window's heartbeat makes a window
read its list again; the open article is then compared with what is stored (services.changes.compare) and
finds it the same, so it is never reloaded for a heartbeat.
"""

from __future__ import annotations

import logging
import time
import uuid

from annotator.core.errors import AnnotatorError, ReadOnlyProjectError
from annotator.store import presence as store
from annotator.store.presence import GONE_AFTER, PresenceBusy, Seen
from annotator.store.project import Project

__all__ = ["EVERY", "GONE_AFTER", "Heartbeat", "Seen", "others", "seen_text"]
log = logging.getLogger(__name__)
EVERY = 15.0  # seconds between heartbeats while the same document stays open


class Heartbeat:
    """One window's presence in its project."""

    def __init__(self, every: float = EVERY, clock=time.monotonic) -> None:
        self.session = uuid.uuid4().hex  # this window's row
        self.every = every
        self._clock = clock
        self._last: tuple[int, int | None, str] | None = None  # (project, document, annotator) last written
        self._when = 0.0  # the clock when it was written
        self._silenced: set[int] = set()  # projects (by id()) that refused a write: not asked again

    def beat(self, project: Project, annotator: str, document_id: int | None, force: bool = False) -> bool:
        """Confirm that this window shows ``document_id``, when due; True when a row was written."""
        if project.read_only or id(project) in self._silenced:
            return False
        wanted = (id(project), document_id, annotator)
        if not force and wanted == self._last and self._clock() - self._when < self.every:
            return False
        try:
            store.beat(project, self.session, annotator, document_id)
        except PresenceBusy as exc:
            log.info("heartbeat skipped: %s", exc)
            return False
        except ReadOnlyProjectError as exc:  # a role that may not write this table: stay quiet from now on
            log.info("presence not recorded: %s", exc)
            self._silenced.add(id(project))
            return False
        except AnnotatorError as exc:
            log.warning("heartbeat skipped: %s", exc)
            return False
        self._last, self._when = wanted, self._clock()
        return True

    def leave(self, project: Project) -> None:
        """The window closes (or leaves the project): its row goes; a failure leaves it to go stale."""
        if project.read_only or id(project) in self._silenced or self._last is None:
            return
        try:
            store.leave(project, self.session)
        except AnnotatorError as exc:
            log.info("presence left to go stale: %s", exc)
        self._last = None


def others(project: Project, annotator: str) -> dict[int, tuple[Seen, ...]] | None:
    """Per document, who else (not ``annotator``) has it open now; None when the project could not be read
    (busy, gone): keep showing what was shown."""
    try:
        return store.present(project, but=annotator)
    except AnnotatorError as exc:
        log.info("could not read who else is working: %s", exc)
        return None


def seen_text(seen: Seen) -> str:
    """"ana, seen 14:03:12 (20 s ago)", the time in this computer's zone."""
    when = seen.seen.astimezone().strftime("%H:%M:%S")
    return f"{seen.annotator}, seen {when} ({round(seen.age)} s ago)"
