"""Seeing what another window or program changed: a cheap "anything new?" and what changed in an article.

Two instances may work on one project at the same time (SQLite queues their writes on the busy
timeout). Each window asks ``watch(project).changed()`` when it is activated and every few seconds;
only when the answer is yes does it reload its document list, and it reloads the open article only
when ``compare`` finds that article different from what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.annotations import Annotations
from annotator.store.changes import ChangeWatcher
from annotator.store.project import Project

__all__ = ["ChangeWatcher", "Difference", "compare", "watch"]


def watch(project: Project, since=None) -> ChangeWatcher:
    """``since``: the FirstView the window painted before the project was open; a commit made after it
    was read counts as a change, so nothing saved in between goes unseen."""
    if since is None:
        return ChangeWatcher(project)
    return ChangeWatcher(project, (since.connection, since.data_version))


@dataclass(frozen=True)
class Difference:
    added: int = 0  # spans or links that are new
    changed: int = 0  # spans or links that were shown and are now different or gone, or the status

    def __bool__(self) -> bool:
        return bool(self.added or self.changed)


def compare(shown: Annotations, stored: Annotations | None) -> Difference:
    """How the stored article differs from the one on screen. Only what a person sees counts (offsets,
    labels, states, attributes, who made it, links, the status), not timestamps."""
    old_spans, old_links = _spans(shown), _links(shown)
    if stored is None:  # the article itself is gone
        return Difference(changed=max(1, len(old_spans) + len(old_links)))
    new_spans, new_links = _spans(stored), _links(stored)
    added = len(new_spans.keys() - old_spans.keys()) + len(new_links.keys() - old_links.keys())
    changed = sum(1 for uid, value in old_spans.items() if new_spans.get(uid) != value)
    changed += sum(1 for uid, value in old_links.items() if new_links.get(uid) != value)
    changed += int(shown.status != stored.status)
    added += len(stored.labels.keys() - shown.labels.keys())  # document labels set elsewhere
    changed += len(shown.labels.keys() - stored.labels.keys())  # and cleared elsewhere
    return Difference(added, changed)


def _spans(notes: Annotations) -> dict[str, tuple]:
    return {
        s.uid: (s.start, s.end, s.label, str(s.layer), str(s.state), s.attributes, s.origin, s.annotator)
        for s in notes.spans.values()
    }


def _links(notes: Annotations) -> dict[str, tuple]:
    return {r.uid: (r.head, r.tail, r.label, r.attributes) for r in notes.relations.values()}
