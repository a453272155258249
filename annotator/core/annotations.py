"""One document's annotations in memory, and the rules that turn an analyst's action into an Edit.

The window keeps one of these for the open document. Every action asks it for an Edit (nothing
changes yet), the store saves the Edit, and only then is it applied here and on screen; undo
does the same with the inverse. The rules live here, free of Qt and SQL, so tests reach them directly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from annotator.core import document_labels
from annotator.core.edits import Edit
from annotator.core.errors import AnnotatorError
from annotator.core.graphemes import outward
from annotator.core.model import Document, DocumentLabel, Layer, Relation, Span, State, Status, now
from annotator.core.schema import LabelSet
from annotator.core.selection import mentions
from annotator.core.tokens import Words, move_edge, snap
from annotator.core.vocabulary import SPEAKER, SPEAKER_LABEL, STATEMENT_OF, is_model_origin


class Refused(AnnotatorError):
    """An action the rules do not allow, with what to do instead."""


class Blocked(Refused):
    """A boundary would move into other entities (``neighbours``); ``replaceable`` when all of them are
    suggestions, which ``move(..., replacing=True)`` rejects in the same step."""

    def __init__(self, message: str, neighbours: list[Span]) -> None:
        super().__init__(message)
        self.neighbours = neighbours
        self.replaceable = all(s.state == State.SUGGESTED for s in neighbours)


class Annotations:
    def __init__(
        self,
        document: Document,
        spans: list[Span],
        relations: list[Relation],
        annotator: str,
        status: Status | None = None,
        nested_entities: bool = False,
        labels: list[DocumentLabel] = (),
    ) -> None:
        self.document = document
        self.text = document.text
        self.annotator = annotator
        self.status = status
        self.nested_entities = nested_entities
        self.spans: dict[str, Span] = {s.uid: s for s in spans}
        self.relations: dict[str, Relation] = {r.uid: r for r in relations}
        self.labels: dict[tuple, DocumentLabel] = {d.key: d for d in labels}  # the document's own labels
        # Finds words in scripts written without spaces (Thai, Chinese...); the window gives Qt's (ui.words).
        self.words: Words | None = None
        # What visible() returns, per layer and for all layers: sorted once here and kept sorted by
        # apply(), so an action on an article with 20,000 spans never sorts them again.
        shown = [s for s in self.spans.values() if s.state != State.REJECTED]
        ordered = sorted(zip(map(_key, shown), shown))  # keys are unique: spans are never compared
        self._order: dict[Layer | None, _Sorted] = {None: _Sorted(ordered)}
        for layer in Layer:
            self._order[layer] = _Sorted([pair for pair in ordered if pair[1].layer == layer])

    # --- reading ----------------------------------------------------------------------------------------

    def visible(self, layer: Layer | None = None) -> list[Span]:
        """Spans a person sees (not rejected suggestions), in reading order."""
        return list(self._order[layer].spans)

    def overlapping(self, layer: Layer, start: int, end: int) -> list[Span]:
        return self._order[layer].overlapping(start, end)

    def next_after(self, span: Span) -> Span | None:
        """The first visible span after ``span`` in reading order (``span`` itself may be gone)."""
        order = self._order[None]
        i = bisect_right(order.keys, _key(span))
        return order.spans[i] if i < len(order.spans) else None

    def relations_of(self, uid: str) -> list[Relation]:
        return [r for r in self.relations.values() if uid in (r.head, r.tail)]

    def linked(self, uid: str, label: str) -> Span | None:
        """The span a relation of ``label`` leads to from ``uid`` (a statement's speaker, a claim's statement)."""
        for r in self.relations.values():
            if r.head == uid and r.label == label and r.tail in self.spans:
                return self.spans[r.tail]
        return None

    def linked_relation(self, head: str, label: str, tail: str) -> Relation:
        return Relation(head, tail, label, document_id=self.document.id)

    def speaker_words(self, statement: Span) -> str:
        entity = self.linked(statement.uid, SPEAKER)
        if entity is not None:
            return self.text[entity.start : entity.end]
        return str(statement.attributes.get("speaker_text") or "")

    # --- applying a saved Edit --------------------------------------------------------------------------

    def apply(self, edit: Edit) -> None:
        for span in [*edit.removed_spans(), *edit.after]:
            self._unlist(self.spans.pop(span.uid, None))
        for span in edit.after:
            self.spans[span.uid] = span
            if span.state != State.REJECTED:
                key = _key(span)
                self._order[None].insert(key, span)
                self._order[span.layer].insert(key, span)
        for relation in edit.removed_relations():
            self.relations.pop(relation.uid, None)
        for relation in edit.relations_after:
            self.relations[relation.uid] = relation
        if edit.changes_status:
            self.status = edit.status_after
        for label in edit.removed_labels():
            self.labels.pop(label.key, None)
        for label in edit.added_labels():
            self.labels[label.key] = label

    def _unlist(self, span: Span | None) -> None:
        if span is not None and span.state != State.REJECTED:
            key = _key(span)
            self._order[None].remove(key)
            self._order[span.layer].remove(key)

    # --- building Edits ---------------------------------------------------------------------------------

    def _edit(
        self,
        before: list[Span],
        after: list[Span],
        description: str,
        relations_before: list[Relation] = (),
        relations_after: list[Relation] = (),
    ) -> Edit:
        # The first change to a new document marks it as in progress for this annotator, in the same step.
        status_after = Status.IN_PROGRESS if self.status in (None, Status.NEW) else self.status
        return Edit(
            self.document.id,
            tuple(before),
            tuple(after),
            tuple(relations_before),
            tuple(relations_after),
            self.annotator,
            self.status,
            status_after,
            description,
        )

    def _by_person(self, span: Span, **changes) -> Span:
        """A span after a person changed it: who did it, and whether a model's span was edited."""
        made_by_other = span.origin != self.annotator
        if "start" in changes or "end" in changes or "label" in changes:
            state = State.EDITED if made_by_other else State.ACCEPTED
        elif span.state == State.SUGGESTED:
            state = State.ACCEPTED
        else:
            state = span.state
        # A span stored before edges were kept whole (half a flag) becomes whole as a person touches it:
        # what they accept is what the window showed them.
        start, end = outward(self.text, changes.pop("start", span.start), changes.pop("end", span.end))
        return replace(span, annotator=self.annotator, state=changes.pop("state", state), updated=now(),
                       start=start, end=end, **changes)

    def _new(self, layer: Layer, label: str, start: int, end: int, **attributes) -> Span:
        return Span(
            start,
            end,
            label,
            layer,
            origin=self.annotator,
            state=State.ACCEPTED,
            annotator=self.annotator,
            attributes=attributes,
            document_id=self.document.id,
            updated=now(),  # stored as it is: a later edit of it can tell whether someone changed it since
        )

    def _remove(self, spans: list[Span], description: str) -> Edit:
        """Delete people's spans (with their links); reject a model's suggestions so they stay rejected."""
        after, gone_relations = [], []
        for span in spans:
            # A model's span ("name@version") stays as rejected: what the model got wrong is worth keeping.
            if span.state == State.SUGGESTED or is_model_origin(span.origin):
                after.append(replace(span, state=State.REJECTED, annotator=self.annotator, updated=now()))
            gone_relations += self.relations_of(span.uid)
        unique = list({r.uid: r for r in gone_relations}.values())
        return self._edit(spans, after, description, unique, [])

    def tag(self, layer: Layer, label: str, start: int, end: int, exact: bool = False) -> Edit | None:
        """Give the selected text a label; returns None when the selection holds no text."""
        # Exact keeps the characters selected, but whole: never half a flag or a letter without its accent.
        start, end = outward(self.text, start, end) if exact else snap(self.text, start, end, self.words)
        if start >= end:
            return None
        if layer != Layer.ENTITY:
            same = [s for s in self.overlapping(layer, start, end) if (s.start, s.end) == (start, end)]
            if same:
                return None  # already marked
            return self._edit([], [self._new(layer, label, start, end)], f"Mark {label.lower()}")
        found = self.overlapping(Layer.ENTITY, start, end)
        exact_match = [s for s in found if (s.start, s.end) == (start, end)]
        if exact_match:
            span = exact_match[0]
            if span.label == label and span.state != State.SUGGESTED:
                return None
            changed = self._by_person(span, label=label) if span.label != label else self._by_person(span)
            return self._edit([span], [changed], f"Label “{self.text[start:end]}” {label}")
        if not found or (self.nested_entities and all(_nested(s, start, end) for s in found)):
            return self._edit([], [self._new(Layer.ENTITY, label, start, end)], f"Tag “{self.text[start:end]}” {label}")
        if len(found) == 1 and not (found[0].state != State.SUGGESTED and _nested(found[0], start, end)):
            # Selecting over a span redraws it: the usual way to fix a suggestion's boundaries with the mouse.
            span = found[0]
            changed = self._by_person(span, start=start, end=end, label=label)
            return self._edit([span], [changed], f"Change “{self.text[span.start : span.end]}” to {label}")
        if len(found) == 1:
            raise Refused(
                f"“{self.text[start:end]}” would sit inside or around {found[0].label} "
                f"“{self.text[found[0].start : found[0].end]}”, and this project's schema does not nest entities "
                "(Project ▸ Label Schema can allow it)."
            )
        removal = self._remove(found, "")
        new = self._new(Layer.ENTITY, label, start, end)
        return replace(removal, after=removal.after + (new,), description=f"Tag “{self.text[start:end]}” {label}")

    def accept(self, uid: str) -> Edit | None:
        """Accept a suggestion; a statement's suggested speaker is accepted with it (its cue is part of it)."""
        span = self.spans[uid]
        if span.state != State.SUGGESTED:
            return None
        waiting = [span]
        speaker = self.linked(uid, SPEAKER) if span.layer == Layer.STATEMENT else None
        if speaker is not None and speaker.state == State.SUGGESTED:
            waiting.append(speaker)
        accepted = [self._by_person(s, state=State.ACCEPTED) for s in waiting]
        return self._edit(waiting, accepted, f"Accept {span.label}")

    def accept_all(self) -> Edit | None:
        waiting = [s for s in self.spans.values() if s.state == State.SUGGESTED]
        if not waiting:
            return None
        accepted = [self._by_person(s, state=State.ACCEPTED) for s in waiting]
        return self._edit(waiting, accepted, f"Accept {len(waiting)} suggestion{'s' if len(waiting) != 1 else ''}")

    def reject(self, uid: str) -> Edit:
        """Reject a suggestion, or delete a span a person made (Delete key on either). A suggested
        statement takes with it the SPEAKER span suggested for it alone: nobody asked for that span."""
        span = self.spans[uid]
        verb = "Reject" if span.state == State.SUGGESTED else "Delete"
        gone = [span]
        speaker = self.linked(uid, SPEAKER) if span.state == State.SUGGESTED else None
        if speaker is not None and speaker.state == State.SUGGESTED and speaker.label == SPEAKER_LABEL:
            others = [r for r in self.relations.values() if r.tail == speaker.uid and r.head != uid]
            if not others:
                gone.append(speaker)
        return self._remove(gone, f"{verb} {span.label} “{self.text[span.start : span.end]}”")

    def relabel(self, uid: str, label: str) -> Edit | None:
        span = self.spans[uid]
        if span.label == label:
            return self.accept(uid)
        return self._edit([span], [self._by_person(span, label=label)], f"Relabel {span.label} as {label}")

    def label_mentions(self, words: str, label: str, first: str | None = None) -> Edit | None:
        """Give every whole-token occurrence of ``words`` the entity ``label``, in one Edit: an entity
        over exactly those characters is relabelled (or accepted), a mention no entity overlaps gets a
        new accepted one, and a mention inside or across another entity is left alone (unless the schema
        nests entities and the other one only contains it or lies inside it). ``first``: the uid of the
        span to put first among the changed (the one the analyst is on stays current). None when every
        mention has the label already."""
        before, after = [], []
        for start, end in mentions(self.text, words):
            found = self.overlapping(Layer.ENTITY, start, end)
            same = [s for s in found if (s.start, s.end) == (start, end)]
            others = [s for s in found if (s.start, s.end) != (start, end)]
            if same:
                for span in same:
                    if span.label != label or span.state == State.SUGGESTED:
                        before.append(span)
                        after.append(self._by_person(span, **({"label": label} if span.label != label else {})))
                continue
            if others and not (self.nested_entities and all(_nested(s, start, end) for s in others)):
                continue
            after.append(self._new(Layer.ENTITY, label, start, end))
        if not after:
            return None
        if first is not None:
            after.sort(key=lambda s: s.uid != first)  # stable: the rest stay in reading order
        count = len(after)
        return self._edit(before, after, f"Label {count} mention{'s' if count != 1 else ''} of “{words}” {label}")

    def move(self, uid: str, edge: str, step: int, replacing: bool = False) -> Edit | None:
        """Move one edge of a span by a token. Into another entity it is Blocked, unless ``replacing``
        suggestions: then they are rejected and the span grows, in one step (one undo)."""
        span = self.spans[uid]
        start, end = move_edge(self.text, span.start, span.end, edge, step, self.words)
        if (start, end) == (span.start, span.end):
            return None
        side = "start" if edge == "start" else "end"
        moved = self._by_person(span, start=start, end=end)
        if span.layer == Layer.ENTITY and not self.nested_entities:
            neighbours = [s for s in self.overlapping(Layer.ENTITY, start, end) if s.uid != uid]
            if neighbours:
                blocked = self._blocked(span, neighbours)
                if not (replacing and blocked.replaceable):
                    raise blocked
                removal = self._remove(neighbours, "")
                names = ", ".join(f"{s.label} “{self.text[s.start : s.end]}”" for s in neighbours)
                return replace(removal, before=(span, *removal.before), after=(*removal.after, moved),
                               description=f"Move {span.label} {side} over {names}")
        return self._edit([span], [moved], f"Move {span.label} {side}")

    def _blocked(self, span: Span, neighbours: list[Span]) -> Blocked:
        names = ", ".join(
            f"{'suggested ' if s.state == State.SUGGESTED else ''}{s.label} “{self.text[s.start : s.end]}”"
            for s in neighbours
        )
        what = f"{span.label} “{self.text[span.start : span.end]}” cannot grow over {names}"
        if all(s.state == State.SUGGESTED for s in neighbours):
            return Blocked(f"{what}: entities in this project do not overlap.", neighbours)
        return Blocked(f"{what}: entities in this project do not overlap; delete it first to grow over it.",
                       neighbours)

    def set_attributes(self, uid: str, **values) -> Edit | None:
        span = self.spans[uid]
        attributes = dict(span.attributes)
        for key, value in values.items():
            if value in (None, ""):
                attributes.pop(key, None)
            else:
                attributes[key] = value
        if attributes == span.attributes:
            return None
        changed = replace(span, attributes=attributes, annotator=self.annotator, updated=now())
        names = ", ".join(k.replace("_", " ") for k in values)
        return self._edit([span], [changed], f"Set {names} of {span.label.lower()}")

    def _link(self, head: Span, label: str, tail: Span | None, description: str, **attributes) -> Edit | None:
        old = [r for r in self.relations.values() if r.head == head.uid and r.label == label]
        if tail is not None and any(r.tail == tail.uid for r in old) and not attributes:
            return None
        new = [Relation(head.uid, tail.uid, label, document_id=self.document.id)] if tail is not None else []
        changed_head = head
        if attributes:
            merged = {k: v for k, v in {**head.attributes, **attributes}.items() if v not in (None, "")}
            changed_head = replace(head, attributes=merged, annotator=self.annotator, updated=now())
        if not old and not new and changed_head == head:
            return None
        return self._edit([head], [changed_head], description, old, new)

    def set_speaker(self, statement_uid: str, entity_uid: str) -> Edit | None:
        """The speaker is an entity in the text (a free-text speaker, if any, gives way)."""
        statement, entity = self.spans[statement_uid], self.spans[entity_uid]
        words = self.text[entity.start : entity.end]
        return self._link(statement, SPEAKER, entity, f"Speaker “{words}”", speaker_text=None)

    def set_speaker_text(self, statement_uid: str, name: str) -> Edit | None:
        """A speaker who is not in the text, e.g. “the ministry's press service”."""
        statement = self.spans[statement_uid]
        name = name.strip()
        if not name and self.linked(statement_uid, SPEAKER) is None and "speaker_text" not in statement.attributes:
            return None
        edit = self._link(statement, SPEAKER, None, f"Speaker “{name}”" if name else "Clear speaker")
        attributes = {k: v for k, v in statement.attributes.items() if k != "speaker_text"}
        if name:
            attributes["speaker_text"] = name
        changed = replace(statement, attributes=attributes, annotator=self.annotator, updated=now())
        if edit is None:
            if changed.attributes == statement.attributes:
                return None
            return self._edit([statement], [changed], f"Speaker “{name}”")
        return replace(edit, after=(changed,))

    def set_cue(self, statement_uid: str, start: int, end: int, exact: bool = False) -> Edit | None:
        start, end = outward(self.text, start, end) if exact else snap(self.text, start, end, self.words)
        cue = [start, end] if start < end else None
        return self.set_attributes(statement_uid, cue=cue)

    def set_statement(self, claim_uid: str, statement_uid: str | None) -> Edit | None:
        claim = self.spans[claim_uid]
        statement = self.spans[statement_uid] if statement_uid else None
        return self._link(claim, STATEMENT_OF, statement, "Link claim to statement" if statement else "Unlink claim")

    def labels_in(self, set_name: str, annotator: str | None = None) -> list[str]:
        """The labels of one set on this document (``annotator``'s only, when given), in order set."""
        return [
            d.label for d in self.labels.values()
            if d.label_set == set_name and (annotator is None or d.annotator == annotator)
        ]

    def choose_label(self, label_set: LabelSet, label: str) -> Edit | None:
        """Set (or, if it is set, clear) one of the document's labels for this annotator."""
        removed, added = document_labels.toggled(list(self.labels.values()), label_set, label, self.annotator)
        return self._label_edit(removed, added)

    def clear_labels(self, set_name: str) -> Edit | None:
        return self._label_edit(document_labels.cleared(list(self.labels.values()), set_name, self.annotator), [])

    def _label_edit(self, removed: list[DocumentLabel], added: list[DocumentLabel]) -> Edit | None:
        if not removed and not added:
            return None
        edit = self._edit([], [], document_labels.describe(removed, added))
        return replace(edit, labels_before=tuple(removed), labels_after=tuple(added))

    def set_status(self, status: Status) -> Edit | None:
        if status == self.status:
            return None
        return Edit(
            self.document.id,
            annotator=self.annotator,
            status_before=self.status,
            status_after=status,
            description=f"Mark document {str(status).replace('_', ' ')}",
        )


def _nested(span: Span, start: int, end: int) -> bool:
    """One range inside the other (not the same range, not crossing)."""
    inside = start <= span.start and span.end <= end
    around = span.start <= start and end <= span.end
    return (inside or around) and (span.start, span.end) != (start, end)


def _key(span: Span) -> tuple[int, int, str, str]:
    """Reading order: by start, the longer first, by layer; the uid makes each key unique."""
    return (span.start, -span.end, str(span.layer), span.uid)


class _Sorted:
    """Spans in reading order with their keys, for bisecting; the longest one bounds a search back."""

    __slots__ = ("keys", "spans", "longest")

    def __init__(self, ordered: list[tuple[tuple[int, int, str, str], Span]]) -> None:
        self.keys: list[tuple[int, int, str, str]] = [key for key, _span in ordered]
        self.spans: list[Span] = [span for _key, span in ordered]
        self.longest = max((span.end - span.start for span in self.spans), default=0)

    def insert(self, key: tuple[int, int, str, str], span: Span) -> None:
        i = bisect_left(self.keys, key)
        self.keys.insert(i, key)
        self.spans.insert(i, span)
        self.longest = max(self.longest, span.end - span.start)  # an overestimate after removals is harmless

    def remove(self, key: tuple[int, int, str, str]) -> None:
        i = bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            del self.keys[i]
            del self.spans[i]

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans overlapping [start, end), in reading order, found by bisect."""
        first = bisect_left(self.keys, (start - self.longest,))
        last = bisect_left(self.keys, (end,))
        return [s for s in self.spans[first:last] if s.start < end and start < s.end]
