"""A small project annotated through the same rules the window uses: entities (one still a
suggestion), a statement with speaker, cue and kind, a claim inside it with its attributes, and a
second article with an emoji before its entity and a statement whose speaker was typed."""

from __future__ import annotations

from annotator.core.model import Document, Layer, Span, State, Status
from annotator.services import annotating, projects
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans

FIRST = (
    "MOSCOW, May 4. Sergey Lavrov met Ayman Safadi in Moscow.\n"
    "\u201cThe talks were useful,\u201d Lavrov said. Jordan's exports rose by 12% in 2020, he added."
)
SECOND = "Hi \U0001f600 Riverton council voted on Tuesday.\nThe budget is balanced, a spokesman said."
THIRD = "An article nobody has touched yet, dated later."


def annotate(project, annotator: str = "ana") -> dict[str, int]:
    """Fill ``project``; returns the ids of the three documents by name."""
    first, second, third = add_documents(
        project,
        [
            Document(FIRST, title="Lavrov meets Safadi", date="2021-05-04", source="tass.txt"),
            Document(SECOND, title="Riverton \U0001f600 budget", date="2021-06-01", source="riverton.txt"),
            Document(THIRD, title="Untouched", date="2022-01-01", source="later.txt"),
        ],
    ).added
    # A model's suggestion that nobody reviewed stays a suggestion.
    add_spans(project, first.id, [_at(FIRST, "Moscow.", "GPE", trim=1, state=State.SUGGESTED, origin="m@1")])
    schema = projects.schema_of(project)
    notes = annotating.open_annotations(project, first.id, annotator, schema)
    _save(project, notes, notes.tag(Layer.ENTITY, "PERSON", *_find(FIRST, "Sergey Lavrov")))
    _save(project, notes, notes.tag(Layer.ENTITY, "PERSON", *_find(FIRST, "Ayman Safadi")))
    _save(project, notes, notes.tag(Layer.ENTITY, "GPE", *_find(FIRST, "Jordan")))
    quote = _find(FIRST, "\u201cThe talks were useful,\u201d")
    _save(project, notes, notes.tag(Layer.STATEMENT, "STATEMENT", *quote, exact=True))
    statement = _only(notes, Layer.STATEMENT)
    lavrov = next(s for s in notes.visible(Layer.ENTITY) if s.text_in(FIRST) == "Sergey Lavrov")
    _save(project, notes, notes.set_speaker(statement.uid, lavrov.uid))
    _save(project, notes, notes.set_cue(statement.uid, *_find(FIRST, "said"), exact=True))
    claim_span = _find(FIRST, "Jordan's exports rose by 12% in 2020")
    _save(project, notes, notes.tag(Layer.STATEMENT, "STATEMENT", *claim_span, exact=True))
    reported = [s for s in notes.visible(Layer.STATEMENT) if s.uid != statement.uid][0]
    _save(project, notes, notes.set_attributes(reported.uid, kind="indirect"))
    _save(project, notes, notes.tag(Layer.CLAIM, "CLAIM", *claim_span, exact=True))
    claim = _only(notes, Layer.CLAIM)
    _save(
        project,
        notes,
        notes.set_attributes(
            claim.uid, checkworthiness="check-worthy factual", claim_type="numerical", note="check the 12%"
        ),
    )
    _save(project, notes, notes.set_statement(claim.uid, reported.uid))
    _save(project, notes, notes.set_status(Status.DONE))

    notes = annotating.open_annotations(project, second.id, annotator, schema)
    _save(project, notes, notes.tag(Layer.ENTITY, "GPE", *_find(SECOND, "Riverton")))
    budget = _find(SECOND, "The budget is balanced")
    _save(project, notes, notes.tag(Layer.STATEMENT, "STATEMENT", *budget, exact=True))
    _save(project, notes, notes.set_speaker_text(_only(notes, Layer.STATEMENT).uid, "a spokesman"))
    return {"first": first.id, "second": second.id, "third": third.id}


def _find(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _at(text: str, words: str, label: str, trim: int = 0, **fields) -> Span:
    start, end = _find(text, words)
    return Span(start, end - trim, label, **fields)


def _only(notes, layer: Layer) -> Span:
    (span,) = notes.visible(layer)
    return span


def _save(project, notes, edit) -> None:
    assert edit is not None
    annotating.save(project, edit)
    notes.apply(edit)


def annotations_of(project, layers=tuple(Layer), attributes=True, states=False) -> dict[str, list[tuple]]:
    """What an analyst sees of a project, by article text: each visible span with its label, words,
    attributes (the cue as its words) and its links (by the linked span's words)."""
    from annotator.store.annotated import annotated_batches

    found: dict[str, list[tuple]] = {}
    for batch in annotated_batches(project):
        for doc, spans, relations, _ in batch:
            by_uid = {s.uid: s for s in spans}
            links = {(r.head, r.label): by_uid[r.tail].text_in(doc.text) for r in relations}
            rows = []
            for s in spans:
                if s.state == State.REJECTED or s.layer not in layers:
                    continue
                row: tuple = (str(s.layer), s.start, s.end, s.label, s.text_in(doc.text))
                if attributes:
                    values = dict(s.attributes)
                    if "cue" in values:
                        values["cue"] = doc.text[values["cue"][0] : values["cue"][1]]
                    row += (
                        tuple(sorted(values.items())),
                        tuple(sorted((k[1], v) for k, v in links.items() if k[0] == s.uid)),
                    )
                if states:
                    row += (str(s.state),)
                rows.append(row)
            found[doc.text] = sorted(rows)
    return found
