"""Dealing documents out to annotators (``annotator assign``, Project ▸ Assign Documents…).

The documents the status filter selects (by default those whose latest status is new) are shuffled with a
seed, so the same seed deals the same way, and dealt round-robin: each to one annotator, and a share
(``overlap``) to ``per_overlap`` annotators, who can then be compared. The round goes through the
annotators with the fewest assignments first, so every annotator's load is even to within one, over this
run and, as far as it can be, over the earlier ones. Documents someone already has are left as they are;
``replace`` takes back the assignments of documents nobody assigned to them has started (no status of
their own other than new, no span of theirs) and deals those again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.store import assignments as stored
from annotator.store.assignments import ANY_STATUS, OPEN, Dealing, Pair
from annotator.store.project import Project

STATUS_CHOICES = ("new", "in_progress", "done", "skipped", OPEN, ANY_STATUS)


@dataclass
class AssignmentReport:
    annotators: list[str]
    seed: int
    status: str
    selected: int = 0  # documents the status filter selected
    dealt: int = 0  # of those, dealt out now
    shared: int = 0  # of those, to more than one annotator
    left: int = 0  # selected documents already assigned and left as they were
    kept_started: int = 0  # replace: assigned documents kept because someone had started them
    taken_back: int = 0  # replace: assignments taken back to be dealt again
    per_annotator: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (documents, shared)
    replace: bool = False

    def as_dict(self) -> dict:
        return {
            "seed": self.seed, "status": self.status, "selected": self.selected, "dealt": self.dealt,
            "shared": self.shared, "left_as_they_were": self.left, "kept_started": self.kept_started,
            "taken_back": self.taken_back,
            "annotators": {name: {"assigned": n, "shared": s} for name, (n, s) in self.per_annotator.items()},
        }  # fmt: skip

    def summary(self) -> str:
        which = "every document" if self.status == ANY_STATUS else (
            "documents not done yet" if self.status == OPEN
            else f"documents whose status is {self.status.replace('_', ' ')}"
        )
        lines = [f"{self.selected} {_documents(self.selected, bare=True)} selected ({which})."]
        if self.dealt:
            shared = f", {self.shared} of them shared for agreement" if self.shared else ""
            lines.append(f"Assigned {self.dealt} {_documents(self.dealt, bare=True)}{shared} (seed {self.seed}):")
            width = max(len(name) for name in self.per_annotator)
            for name, (n, s) in self.per_annotator.items():
                lines.append(f"  {name:<{width}}  {_documents(n)}, {s} shared")
        else:
            lines.append("Nothing to assign.")
        if self.replace:
            if self.taken_back:
                lines.append(f"{self.taken_back} earlier assignment(s) of unstarted documents were dealt again.")
            if self.kept_started:
                lines.append(f"{_documents(self.kept_started)} already started kept their annotators.")
        elif self.left:
            lines.append(
                f"{_documents(self.left)} already assigned were left as they were "
                "(--replace deals the unstarted ones again)."
            )
        return "\n".join(lines)


def _documents(n: int, bare: bool = False) -> str:
    word = "document" if n == 1 else "documents"
    return word if bare else f"{n} {word}"


def annotator_names(text: str | list[str]) -> list[str]:
    """Names from "ana, ben,cy" (or a list): stripped, empty ones dropped, each once, in the order given."""
    parts = text.split(",") if isinstance(text, str) else text
    names: list[str] = []
    for part in parts:
        name = " ".join(part.split())
        if name and name not in names:
            names.append(name)
    return names


def check(annotators: list[str], overlap: float, per_overlap: int) -> None:
    if not annotators:
        raise AnnotatorError("name at least one annotator to assign documents to")
    if not 0.0 <= overlap <= 1.0:
        raise AnnotatorError(f"the overlap is a share between 0 and 1, such as 0.2, not {overlap:g}")
    if overlap > 0 and per_overlap < 2:
        raise AnnotatorError("a shared document goes to at least 2 annotators")
    if overlap > 0 and per_overlap > len(annotators):
        raise AnnotatorError(
            f"a shared document goes to {per_overlap} annotators, but only {len(annotators)} "
            f"{'is' if len(annotators) == 1 else 'are'} named"
        )


def plan(
    ids: list[int], annotators: list[str], overlap: float, per_overlap: int, seed: int,
    load: dict[str, int] | None = None,
) -> list[Pair]:
    """The (document, annotator) pairs that deal ``ids`` out: shuffled by ``seed``; round(overlap × n) of
    them to ``per_overlap`` annotators each, the rest to one; the round starting with the least loaded."""
    rng = random.Random(seed)
    order = sorted(ids)
    rng.shuffle(order)
    names = list(annotators)
    rng.shuffle(names)
    load = load or {}
    names.sort(key=lambda name: load.get(name, 0))  # stable: equal loads stay in the shuffled order
    shared = int(overlap * len(order) + 0.5) if overlap > 0 else 0
    pairs: list[Pair] = []
    turn = 0
    for position, document_id in enumerate(order):
        takers = per_overlap if position < shared else 1
        for _ in range(takers):  # consecutive turns of the round: never one annotator twice
            pairs.append((document_id, names[turn % len(names)]))
            turn += 1
    return pairs


def assign(
    project: Project,
    annotators: list[str],
    overlap: float = 0.0,
    per_overlap: int = 2,
    status: str = "new",
    seed: int | None = None,
    replace: bool = False,
    by: str = "",
) -> AssignmentReport:
    """Deal the documents ``status`` selects out to ``annotators`` (see the module); ``by``: who deals."""
    annotators = annotator_names(annotators)
    check(annotators, overlap, per_overlap)
    if status not in STATUS_CHOICES:
        raise AnnotatorError(f"unknown status '{status}': expected one of {', '.join(STATUS_CHOICES)}")
    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    report = AssignmentReport(annotators, seed, status, replace=replace)

    def decide(dealing: Dealing) -> tuple[list[Pair], list[Pair]]:
        report.selected = len(dealing.selected)
        load = dict(dealing.load)
        removed: list[Pair] = []
        if replace:
            kept = [i for i in dealing.selected if i in dealing.started]
            report.kept_started = len(kept)
            for document_id, names in dealing.assigned.items():
                if document_id not in dealing.started:
                    for name in names:
                        removed.append((document_id, name))
                        load[name] -= 1
            report.taken_back = len(removed)
            free = [i for i in dealing.selected if i not in dealing.started]
        else:
            free = [i for i in dealing.selected if i not in dealing.assigned]
            report.left = len(dealing.selected) - len(free)
        added = plan(free, annotators, overlap, per_overlap, seed, load)
        counts = {name: [0, 0] for name in annotators}
        takers: dict[int, int] = {}
        for document_id, _name in added:
            takers[document_id] = takers.get(document_id, 0) + 1
        for document_id, name in added:
            counts[name][0] += 1
            counts[name][1] += takers[document_id] > 1
        report.dealt = len(takers)
        report.shared = sum(1 for n in takers.values() if n > 1)
        report.per_annotator = {name: (n, s) for name, (n, s) in counts.items()}
        return removed, added

    stored.deal(project, None if status == ANY_STATUS else status, decide, by or "")
    return report


def assignees(project: Project, document_ids: list[int] | None = None) -> dict[int, tuple[str, ...]]:
    """Who has each document (all, or these); unassigned documents are left out."""
    return stored.assignees(project, document_ids)


def assigned_ids(project: Project, annotator: str) -> set[int]:
    return stored.assigned_ids(project, annotator)


def has_assignments(project: Project) -> bool:
    return stored.has_assignments(project)


def known_assignees(project: Project) -> list[str]:
    return stored.known_assignees(project)


def assignment_counts(project: Project) -> dict[str, tuple[int, int]]:
    """Per annotator: (documents assigned, of those marked done by them)."""
    return stored.assignment_counts(project)
