"""Checks every reader applies to what it read, so that no file can put into a project a value the
rest of the program cannot show or export (a cue of two words instead of two offsets, say)."""

from __future__ import annotations

import re
from pathlib import Path
from datetime import date
from typing import Any

from annotator.core.graphemes import may_split, outward, surely_boundary
from annotator.core.model import Span

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TEXT_ATTRIBUTES = ("speaker_text", "kind", "checkworthiness", "claim_type", "note")  # each a str (or null)


def checked_attributes(span: Span, text: str) -> tuple[Span, list[str]]:
    """The span without the attributes that are not of their kind, and a note for each one left out:
    the attributes are a JSON object, a cue is null or [start, end] inside the text, the text
    attributes are strings."""
    attributes = span.attributes
    where = f"{span.label} at {span.start}-{span.end}"
    if not isinstance(attributes, dict):
        return span.with_changes(attributes={}), [f"{where}: attributes {attributes!r} are not a JSON object; left out"]
    notes, kept = [], {}
    for key, value in attributes.items():
        why = attribute_problem(key, value, len(text))
        if why:
            notes.append(f"{where}: {why}; left out")
        else:
            kept[key] = value
    return (span.with_changes(attributes=kept), notes) if notes else (span, [])


def attribute_problem(key: Any, value: Any, length: int) -> str:
    """Why one attribute cannot be kept, or ''."""
    if not isinstance(key, str):
        return f"attribute name {key!r} is not a string"
    if key == "cue" and value is not None and not is_range(value, length):
        return f"cue {value!r} is not a range in the text (expected null or [start, end] within 0-{length})"
    if key in TEXT_ATTRIBUTES and value is not None and not isinstance(value, str):
        return f"{key} {value!r} is not a string"
    return ""


def offset(value: Any) -> int | None:
    """A character offset as JSON writes it: an integer, or a float with nothing after the point (5.0,
    as Python's and pandas' JSON give); never a boolean, which Python counts as an integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def span_offsets(start: Any, end: Any, length: int | None) -> tuple[int, int] | None:
    """(start, end) if both are offsets with 0 <= start < end (<= length when it is given)."""
    first, last = offset(start), offset(end)
    if first is None or last is None or not 0 <= first < last or (length is not None and last > length):
        return None
    return first, last


def whole_characters(spans: list[Span], text: str) -> tuple[list[Span], str]:
    """The spans with every edge (cues too) that falls inside a character as a reader sees it (a flag's
    two letters, an emoji and its skin tone, a letter and its accent) moved outward to whole characters,
    and one note naming those spans ('' if none). A file's offsets may have been counted by a tool that
    cuts such characters; outward keeps every code point the file marked and shows the character whole."""
    if not may_split(text):  # most texts: nothing can be cut, and a bulk import pays one scan
        return spans, ""
    # In a text that may have joined characters (Hindi, say) nearly every edge is still plainly between
    # two: only the spans with an edge in doubt, or a cue, are looked at closely.
    length, surely = len(text), surely_boundary
    doubtful = [
        span for span in spans
        if span.attributes or not (span.start.__class__ is int and span.end.__class__ is int
                                   and 0 < span.start < span.end < length
                                   and surely(text, span.start) and surely(text, span.end))
    ]
    replaced, moved = {}, []
    for span in doubtful:
        if not (isinstance(span.start, int) and isinstance(span.end, int) and 0 <= span.start < span.end <= length):
            continue  # the range check reports it
        changes: dict[str, Any] = {}
        start, end = outward(text, span.start, span.end)
        if (start, end) != (span.start, span.end):
            changes.update(start=start, end=end)
            moved.append(f"{span.label} {span.start}-{span.end} to {start}-{end} '{text[start:end]}'")
        cue = span.attributes.get("cue") if isinstance(span.attributes, dict) else None
        if is_range(cue, length) and list(outward(text, *cue)) != cue:
            wide = list(outward(text, *cue))
            changes["attributes"] = {**span.attributes, "cue": wide}
            moved.append(f"the cue of {span.label} {start}-{end} from {cue[0]}-{cue[1]} to {wide[0]}-{wide[1]}")
        if changes:
            replaced[id(span)] = span.with_changes(**changes)
    if not moved:
        return spans, ""
    kept = [replaced.get(id(span), span) for span in spans]
    shown = "; ".join(moved[:3]) + (f"; and {len(moved) - 3} more" if len(moved) > 3 else "")
    return kept, (
        f"{len(replaced)} annotation(s) began or ended inside a character (an emoji, a flag, a letter with its "
        f"accent) and were widened to whole characters: {shown}"
    )


def is_range(value: Any, length: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] < value[1] <= length
    )


def iso_day(value: Any) -> str | None:
    """The day of ``2021-01-13`` or ``2021-01-13T10:00:00Z``, if it is a real day."""
    if not isinstance(value, str) or not DAY.match(value):
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def outside(path: Path, root: Path) -> bool:
    """Whether a file met in the folder ``root`` is a link (or in a linked folder) that leads out of
    it: importing a folder must not read /etc/passwd because someone put a link to it there."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return True


def left_folder(path: Path, root: Path) -> str:
    """The message for a file ``outside`` found."""
    try:
        target = str(path.resolve())
    except (OSError, RuntimeError):
        target = "a link loop"
    return f"a link to {target}, outside the folder {root}; skipped"
