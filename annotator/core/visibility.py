"""Whose work the window shows (View ▸ Annotations), and which actions that leaves allowed. Pure rules:
services.visibility reads the project's settings (blind, curators) and applies them.

- ``mine``: the spans whose annotator is the window's annotator name;
- ``everyone``: every annotator's spans;
- ``one``: one chosen annotator's spans;
and, in every view, the model's unreviewed suggestions when ``suggestions`` is on. Spans that name no
annotator at all (an import that named nobody) are nobody's work and show in every view.

Editing: another annotator's span is never rewritten. In the view of one other annotator nothing in the
text can be changed (the keys say so: it is read-only); in everyone's view your own spans and the
suggestions can be edited, and a key on someone else's span says whose it is and changes nothing.
Your status and your document labels are yours in every view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.edits import Edit
from annotator.core.model import Relation, Span, State

MINE, EVERYONE, ONE = "mine", "everyone", "one"


@dataclass(frozen=True)
class View:
    whose: str = EVERYONE  # MINE, EVERYONE or ONE
    person: str = ""  # with ONE: whose work
    suggestions: bool = True  # the model's unreviewed suggestions shown too

    def __post_init__(self) -> None:
        if self.whose not in (MINE, EVERYONE, ONE):
            raise ValueError(f"unknown view of annotations: {self.whose!r}")
        if self.whose == ONE and not self.person:
            raise ValueError("the view of one annotator's work needs their name")

    def shows(self, span: Span, me: str) -> bool:
        """Whether ``span`` is loaded in this view for the annotator ``me``."""
        if span.state == State.SUGGESTED:
            return self.suggestions
        if span.annotator is None:  # nobody's work: an import that named no one
            return True
        if self.whose == EVERYONE:
            return True
        return span.annotator == (me if self.whose == MINE else self.person)

    def read_only_for(self, me: str) -> bool:
        """The view of another annotator's work: nothing in the text can be changed in it."""
        return self.whose == ONE and self.person != me

    def describe(self, me: str) -> str:
        """For the status bar: "Showing: ben's annotations (read-only)" (plain text: names are people's)."""
        if self.whose == EVERYONE:
            what = "everyone's annotations"
        elif self.whose == MINE or self.person == me:
            what = f"my annotations ({me})"
        else:
            what = f"{self.person}'s annotations (read-only)"
        return f"Showing: {what}{', with suggestions' if self.suggestions else ', no suggestions'}"

    def to_text(self) -> str:
        """As kept in the window's settings: "mine", "everyone" or "one:NAME", then "+s" or "-s"."""
        whose = f"{ONE}:{self.person}" if self.whose == ONE else self.whose
        return f"{'+' if self.suggestions else '-'}s {whose}"

    @classmethod
    def from_text(cls, text: str | None, default: View | None = None) -> View:
        default = default if default is not None else View()
        if not text or len(text) < 3 or text[1:3] != "s ":
            return default
        suggestions, whose = text[0] == "+", text[3:]
        if whose.startswith(f"{ONE}:"):
            return cls(ONE, whose[len(ONE) + 1 :], suggestions) if whose[len(ONE) + 1 :] else default
        return cls(whose, "", suggestions) if whose in (MINE, EVERYONE) else default


def shown_spans(view: View, me: str, spans: Iterable[Span]) -> list[Span]:
    return [s for s in spans if view.shows(s, me)]


def shown_relations(relations: Iterable[Relation], spans: Iterable[Span]) -> list[Relation]:
    """The links both of whose ends are shown: none leads to a span that was not loaded."""
    uids = {s.uid for s in spans}
    return [r for r in relations if r.head in uids and r.tail in uids]


def blind_view(view: View) -> View:
    """A blind project, for an annotator who is not a curator: their own work (and the suggestions)."""
    return view if view.whose == MINE else View(MINE, "", view.suggestions)


def allowed_view(chosen: View | None, restricted: bool) -> View:
    """The view an annotator gets when they choose ``chosen`` (None: everyone's, with suggestions);
    ``restricted``: the project is blind and they are no curator."""
    view = chosen if chosen is not None else View()
    return blind_view(view) if restricted else view


def refusal(view: View, me: str, edit: Edit, text: str = "") -> str | None:
    """Why ``edit`` may not be made in ``view`` by ``me`` (None: it may). ``text``: the article's, to
    name the span in the message."""
    touches_text = edit.before or edit.after or edit.relations_before or edit.relations_after
    if not touches_text:  # the annotator's own status or document labels
        return None
    if view.read_only_for(me):
        return (
            f"Showing {view.person}'s annotations (read-only): nothing was changed. "
            "View ▸ Annotations ▸ Mine to annotate."
        )
    theirs = [s for s in edit.before if s.annotator not in (None, me)]
    if theirs:
        span = theirs[0]
        words = " ".join(text[span.start : span.end].split())
        words = words if len(words) <= 40 else words[:39] + "…"
        quoted = f" “{words}”" if words else ""
        return (
            f"{span.label}{quoted} is {span.annotator}'s annotation: others' work is read-only, nothing was "
            "changed. View ▸ Annotations ▸ Mine shows only yours."
        )
    return None
