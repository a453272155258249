"""Curation: one gold version of a document from its annotators' versions.

The annotators' spans of each layer are grouped into *items*, the places where someone marked
something: annotator by annotator, each one's spans are paired with the items found so far by
core.scoring.matched_pairs (overlap, one span per annotator per item), and a span left unpaired
starts an item of its own. An item is *agreed* when enough annotators (``needed``: all, a majority,
or at least N of those who annotated the document) gave it

- entities: the same offsets and label;
- statements and claims: an overlapping span with the same label and the same values of the
  attributes agreement compares (core.agreement_compare.ATTRIBUTES: a statement's kind and speaker,
  the speakers grouped by core.agreement.speaker_groups; a claim's check-worthiness and claim type).

Every other item is a disagreement, for the curator to settle. Each item has a *proposal*: the span
most annotators gave (its agreed version when there is one), which the agreed version of the document
(``agreed_spans``) and Accept use.

Gold is stored as spans (no table of its own): annotator ``GOLD``, origin ``curated:<curator>``
(``agreed:<policy>`` for what the agreed version filled in), state accepted; a place the curator
rejected keeps a *rejected* gold span over it, so it counts as settled and never comes back. A
statement's speaker comes with it: linked to a gold entity over the same words, or else a SPEAKER span
of its own. The gold annotator's status of the document is its curation status (done: curated).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from annotator.core.agreement import speaker_groups
from annotator.core.scoring import matched_pairs
from annotator.core.agreement_compare import ATTRIBUTES
from annotator.core.annotations import Annotations
from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Relation, Span, State, Status, now
from annotator.core.vocabulary import SPEAKER, SPEAKER_LABEL, SPEAKER_TEXT

GOLD = "gold"  # the annotator name gold spans and the curation status are stored under
CURATED_PREFIX = "curated:"
AGREED_PREFIX = "agreed:"
UNANIMOUS = "unanimous"
MAJORITY = "majority"
ANSWERS = frozenset({State.ACCEPTED, State.EDITED})  # an annotator's answer (as services.agreement takes it)

Policy = str | int  # UNANIMOUS, MAJORITY, or at least this many annotators


def needed(policy: Policy, annotators: int) -> int:
    """How many of ``annotators`` must give the same answer for it to be agreed."""
    if policy == UNANIMOUS:
        return max(annotators, 1)
    if policy == MAJORITY:
        return annotators // 2 + 1
    return max(int(policy), 1)


def describe_policy(policy: Policy) -> str:
    return str(policy) if isinstance(policy, str) else f"at least {policy}"


@dataclass
class Item:
    """One place where one or more annotators marked something of one layer."""

    number: int  # reading order among the document's items
    layer: Layer
    members: dict[str, Span]  # annotator -> their span here
    support: int  # how many annotators gave the proposal's answer
    proposal: Span  # the answer most gave (an annotator's span)
    agreed: bool

    @property
    def start(self) -> int:
        return min(s.start for s in self.members.values())

    @property
    def end(self) -> int:
        return max(s.end for s in self.members.values())


@dataclass
class Versions:
    """A document as each annotator left it, grouped into items."""

    document: Document
    annotators: tuple[str, ...]  # who annotated it (GOLD never), in name order: 1, 2, 3 ...
    spans: dict[str, list[Span]]  # annotator -> their answers (SPEAKER spans too)
    speakers: dict[str, Span]  # statement uid -> its speaker span
    items: list[Item] = field(default_factory=list)
    policy: Policy = MAJORITY

    @property
    def disagreements(self) -> list[Item]:
        return [item for item in self.items if not item.agreed]

    def number_of(self, annotator: str) -> int:
        return self.annotators.index(annotator) + 1


def versions(
    document: Document,
    spans: list[Span],
    relations: list[Relation],
    statuses: dict[str, str],
    policy: Policy = MAJORITY,
) -> Versions:
    """The annotators' versions of one document (everyone but GOLD who has a status other than new or an
    answer in it), with its items under ``policy``."""
    names = {name for name, status in statuses.items() if status != str(Status.NEW)}
    answers = [s for s in spans if s.annotator and s.state in ANSWERS]
    names |= {s.annotator for s in answers}
    names.discard(GOLD)
    names.discard(None)
    by_name: dict[str, list[Span]] = {name: [] for name in sorted(names)}
    for span in answers:
        if span.annotator in by_name:
            by_name[span.annotator].append(span)
    by_uid = {s.uid: s for s in answers}
    speakers = {}
    for relation in relations:
        if relation.label == SPEAKER and relation.tail in by_uid and relation.head in by_uid:
            speakers.setdefault(relation.head, by_uid[relation.tail])
    found = Versions(document, tuple(sorted(names)), by_name, speakers)
    return grouped(found, policy)


def grouped(found: Versions, policy: Policy) -> Versions:
    """``found`` with its items worked out (again) under ``policy``."""
    need = needed(policy, len(found.annotators))
    items: list[Item] = []
    for layer in Layer:
        clusters: list[dict[str, Span]] = []
        for name in found.annotators:
            mine = sorted((s for s in found.spans[name] if s.layer == layer and not _speaker_span(s)),
                          key=lambda s: (s.start, s.end))
            ranges = [(min(s.start for s in c.values()), max(s.end for s in c.values())) for c in clusters]
            paired = matched_pairs(ranges, [(s.start, s.end) for s in mine])
            for i, j in paired:
                clusters[i][name] = mine[j]
            taken = {j for _, j in paired}
            clusters += [{name: span} for j, span in enumerate(mine) if j not in taken]
        for members in clusters:
            proposal, support = _proposal(found, layer, members)
            items.append(Item(0, layer, members, support, proposal, support >= need))
    items.sort(key=lambda item: (item.start, -item.end, list(Layer).index(item.layer)))
    for number, item in enumerate(items, 1):
        item.number = number
    found.items = items
    found.policy = policy
    return found


def _speaker_span(span: Span) -> bool:
    """A SPEAKER span is made for a statement's speaker: part of the statement, not an entity of its own."""
    return span.layer == Layer.ENTITY and span.label == SPEAKER_LABEL


def _proposal(found: Versions, layer: Layer, members: dict[str, Span]) -> tuple[Span, int]:
    """The answer most members gave (of equal ones the first annotator's) and how many gave it."""
    answers = {name: _answer(found, layer, span, members) for name, span in members.items()}
    counts = Counter(answers.values())
    order = list(members)  # annotators in name order (they joined the cluster so)
    best = max(order, key=lambda name: (counts[answers[name]], -order.index(name)))
    support = counts[answers[best]]
    if layer != Layer.ENTITY:
        # The same answer: the most common boundaries among those who gave it.
        same = [name for name in order if answers[name] == answers[best]]
        ranges = Counter((members[name].start, members[name].end) for name in same)
        best = max(same, key=lambda name: (ranges[members[name].start, members[name].end], -same.index(name)))
    return members[best], support


def _answer(found: Versions, layer: Layer, span: Span, members: dict[str, Span]) -> tuple:
    if layer == Layer.ENTITY:
        return (span.start, span.end, span.label)
    values: list = [span.label]
    for name in ATTRIBUTES.get(layer, ()):
        if name == SPEAKER:
            values.append(_speaker_group(found, span, members))
        else:
            value = span.attributes.get(name)
            values.append(None if value in (None, "") else str(value))
    return tuple(values)


def _speaker_group(found: Versions, span: Span, members: dict[str, Span]):
    said = [_said(found, s) for s in members.values()]
    groups = speaker_groups(found.document.text, [s for s in said if s is not None])
    mine = _said(found, span)
    return None if mine is None else groups[mine]


def _said(found: Versions, statement: Span) -> tuple[int, int] | str | None:
    speaker = found.speakers.get(statement.uid)
    if speaker is not None:
        return (speaker.start, speaker.end)
    typed = statement.attributes.get(SPEAKER_TEXT)
    return typed.strip() if isinstance(typed, str) and typed.strip() else None


# --- the agreed version, and the gold -----------------------------------------------------------------------


def agreed_spans(found: Versions, origin: str | None = None) -> tuple[list[Span], list[Relation]]:
    """The agreed version as gold spans (not yet stored): each agreed item's proposal, with its speaker."""
    origin = origin or AGREED_PREFIX + describe_policy(found.policy)
    spans: list[Span] = []
    relations: list[Relation] = []
    for item in found.items:
        if item.agreed:
            copied, links = _copied(found, item.proposal, origin, spans)
            spans += copied
            relations += links
    return spans, relations


def _copied(found: Versions, span: Span, origin: str, gold: list[Span]) -> tuple[list[Span], list[Relation]]:
    """An annotator's span as a new gold span; a statement's speaker comes with it (linked to a gold entity
    over the same words, or a SPEAKER span of its own)."""
    stamp = now()
    made = _gold_span(span, origin, stamp)
    speaker = found.speakers.get(span.uid) if span.layer == Layer.STATEMENT else None
    if speaker is None:
        return [made], []
    same = next((s for s in gold if s.layer == Layer.ENTITY and s.state != State.REJECTED
                 and (s.start, s.end) == (speaker.start, speaker.end)), None)
    if same is not None:
        return [made], [Relation(made.uid, same.uid, SPEAKER, document_id=span.document_id)]
    entity = _gold_span(speaker, origin, stamp)
    return [made, entity], [Relation(made.uid, entity.uid, SPEAKER, document_id=span.document_id)]


def _gold_span(span: Span, origin: str, stamp) -> Span:
    return Span(span.start, span.end, span.label, span.layer, origin=origin, state=State.ACCEPTED,
                attributes=dict(span.attributes), annotator=GOLD, document_id=span.document_id, updated=stamp)


class Curation:
    """One document being curated: the annotators' versions and the gold (GOLD's spans), and the Edits
    the curator's keys make of them. As with core.annotations, nothing changes until the Edit is saved
    and ``apply``-ed; undo applies its inverse."""

    def __init__(self, found: Versions, gold_spans: list[Span], gold_relations: list[Relation],
                 status: Status | None, curator: str, nested_entities: bool = False) -> None:
        self.versions = found
        self.curator = curator
        self.gold = Annotations(found.document, gold_spans, gold_relations, GOLD, status, nested_entities)

    @property
    def document(self) -> Document:
        return self.versions.document

    @property
    def status(self) -> Status | None:
        return self.gold.status

    @property
    def origin(self) -> str:
        return CURATED_PREFIX + self.curator

    def regroup(self, policy: Policy) -> None:
        grouped(self.versions, policy)

    def apply(self, edit: Edit) -> None:
        self.gold.apply(edit)

    # --- reading -------------------------------------------------------------------------------------------

    def gold_in(self, item: Item) -> list[Span]:
        """The gold spans of the item's layer over its place, rejected ones too (SPEAKER spans are not
        entities of their own)."""
        return [s for s in self.gold.spans.values()
                if s.layer == item.layer and not _speaker_span(s) and s.start < item.end and item.start < s.end]

    def settled(self, item: Item) -> bool:
        return bool(self.gold_in(item))

    def state_of(self, item: Item) -> str:
        """What the gold says at the item, in a few words: open, rejected, or whose version it is."""
        gold = self.gold_in(item)
        if not gold:
            return "open"
        shown = [s for s in gold if s.state != State.REJECTED]
        if not shown:
            return "rejected"
        whose = [str(self.versions.number_of(name)) for name, span in item.members.items()
                 if any(_same(span, g) for g in shown)]
        return f"gold = {', '.join(whose)}" if whose else "gold edited"

    def current_gold(self, item: Item) -> Span | None:
        """The gold span the edit keys act on at the item (the first shown one)."""
        shown = sorted((s for s in self.gold_in(item) if s.state != State.REJECTED), key=lambda s: (s.start, s.end))
        return shown[0] if shown else None

    # --- the curator's steps, as Edits -------------------------------------------------------------------------

    def fill_agreed(self) -> Edit | None:
        """Fill in every agreed item the gold has nothing at yet (opening a document not curated yet)."""
        spans, relations = [], []
        for item in self.versions.items:
            if item.agreed and not self.settled(item):
                copied, links = _copied(self.versions, item.proposal, self.origin,
                                        [*self.gold.spans.values(), *spans])
                spans += copied
                relations += links
        if not spans:
            return None
        return self._edit([], spans, [], relations,
                          f"Fill in the agreed version ({describe_policy(self.versions.policy)})")

    def take(self, item: Item, annotator: str) -> Edit | None:
        """The gold at the item becomes ``annotator``'s version of it (nothing, if they marked nothing there:
        then the place is rejected)."""
        span = item.members.get(annotator)
        number = self.versions.number_of(annotator)
        if span is None:
            return self._reject(item, f"Take {number} ({annotator}): nothing at {item.proposal.label}")
        gold = self.gold_in(item)
        if len(gold) == 1 and _same(span, gold[0]) and gold[0].state != State.REJECTED:
            return None
        return self._replace(item, span, f"Take {number} ({annotator}): {span.label} {_quote(self, span)}")

    def accept(self, item: Item) -> Edit | None:
        """Settle the item with its proposal, unless the gold has something there already."""
        if self.settled(item):
            return None
        return self._replace(item, item.proposal, f"Accept {item.proposal.label} {_quote(self, item.proposal)}")

    def reject(self, item: Item) -> Edit | None:
        if all(s.state == State.REJECTED for s in self.gold_in(item)) and self.gold_in(item):
            return None
        return self._reject(item, f"Reject {item.proposal.label} {_quote(self, item.proposal)}")

    def relabel(self, item: Item, label: str) -> Edit | None:
        span = self.current_gold(item)
        if span is None or span.label == label:
            return None
        return self._signed(self.gold.relabel(span.uid, label))

    def move(self, item: Item, edge: str, step: int) -> Edit | None:
        """Move the gold span's start or end by a token (core.annotations.Annotations.move: may raise Refused)."""
        span = self.current_gold(item)
        if span is None:
            return None
        return self._signed(self.gold.move(span.uid, edge, step))

    def set_status(self, status: Status) -> Edit | None:
        return self.gold.set_status(status)

    def _replace(self, item: Item, span: Span, description: str) -> Edit:
        gone = self.gold_in(item)
        keep = [s for s in self.gold.spans.values() if s.uid not in {g.uid for g in gone}]
        copied, links = _copied(self.versions, span, self.origin, keep)
        gone, gone_links = self._with_links(gone)
        return self._edit(gone, copied, gone_links, links, description)

    def _reject(self, item: Item, description: str) -> Edit:
        gone, gone_links = self._with_links(self.gold_in(item))
        # Over the whole place, so that no annotator's span there is left unsettled.
        marker = replace(_gold_span(item.proposal, self.origin, now()), state=State.REJECTED, start=item.start,
                         end=item.end)
        return self._edit(gone, [marker], gone_links, [], description)

    def _with_links(self, spans: list[Span]) -> tuple[list[Span], list[Relation]]:
        """The spans and their links; a statement's SPEAKER span goes with it when nothing else uses it."""
        spans = list(spans)
        links = {r.uid: r for s in spans for r in self.gold.relations_of(s.uid)}
        uids = {s.uid for s in spans}
        for relation in list(links.values()):
            tail = self.gold.spans.get(relation.tail)
            if relation.label == SPEAKER and tail is not None and _speaker_span(tail) and tail.uid not in uids:
                if all(r.uid in links for r in self.gold.relations_of(tail.uid)):
                    spans.append(tail)
                    uids.add(tail.uid)
        return spans, list(links.values())

    def _edit(self, before, after, relations_before, relations_after, description: str) -> Edit:
        status = self.gold.status
        return Edit(self.document.id, tuple(before), tuple(after), tuple(relations_before), tuple(relations_after),
                    GOLD, status, Status.IN_PROGRESS if status in (None, Status.NEW) else status, description)

    def _signed(self, edit: Edit | None) -> Edit | None:
        """An edit made through core.annotations: its gold spans stay accepted and name the curator."""
        if edit is None:
            return None
        after = tuple(s if s.state == State.REJECTED else replace(s, state=State.ACCEPTED, origin=self.origin)
                      for s in edit.after)
        return replace(edit, after=after)


def _same(span: Span, gold: Span) -> bool:
    return (span.start, span.end, span.label, span.layer) == (gold.start, gold.end, gold.label, gold.layer) and (
        span.layer == Layer.ENTITY or span.attributes == gold.attributes)


def _quote(curation: Curation, span: Span) -> str:
    words = curation.document.text[span.start:span.end]
    return f"“{words[:40]}{'…' if len(words) > 40 else ''}”"


def was_curated(spans: list[Span], statuses: dict[str, str]) -> bool:
    """Someone curated the document: the gold annotator has a span in it, or a status."""
    return any(s.annotator == GOLD for s in spans) or statuses.get(GOLD, str(Status.NEW)) != str(Status.NEW)


def gold_or_agreed(found: Versions, spans: list[Span], relations: list[Relation],
                   statuses: dict[str, str]) -> tuple[list[Span], list[Relation]]:
    """What ``annotator export --curated`` writes of a document: its gold where someone curated it (the gold
    annotator has a status or a span in it), else its agreed version under ``found``'s policy."""
    if was_curated(spans, statuses):
        shown = [s for s in spans if s.annotator == GOLD and s.state != State.REJECTED]
        uids = {s.uid for s in shown}
        return shown, [r for r in relations if r.head in uids and r.tail in uids]
    return agreed_spans(found)
