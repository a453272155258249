"""A scripted analyst for the crash-safety harness: real annotation actions through the services.

Run as ``python session_driver.py PROJECT SEED [STEPS]``. It opens the project, prints ``ready``, then
makes one action after another (tag, accept, reject, relabel, move, set a note, link a statement's
speaker (an entity, or free text) and set its cue, link a claim to its statement, set a status, undo)
exactly as the window does: the action becomes an Edit, ``annotating.save`` writes it in one
transaction, and only then is it applied to the annotations in memory ("shown"). Around each save it
prints one JSON line, flushed at once:

- ``{"event": "saving", ...}`` before the save: this change may or may not be on disk after a kill;
- ``{"event": "shown", ...}`` after it is saved and applied: it must be on disk after any kill.

Both carry what the change leaves behind: the spans it writes (uid, offsets, label, layer, state,
attributes, among them a statement's cue and free-text speaker), the uids it deletes, the relations it
adds (uid, head, tail, label: speaker and claim-to-statement links) and removes, and the annotator's status of the
document. The parent kills this process with SIGKILL at a random moment and checks the file.
With STEPS it stops by itself after that many saved actions (exit code 0).
"""

from __future__ import annotations

import json
import random
import sys

from annotator.core.annotations import Annotations, Refused
from annotator.core.model import Layer, State, Status
from annotator.services import annotating, documents, projects

ANNOTATOR = "driver"
UNDO = object()
SPEAKERS = ["the ministry's press service", "a spokesman", "officials"]
STATUSES = [Status.IN_PROGRESS, Status.DONE, Status.SKIPPED, Status.IN_PROGRESS]


def describe(event: str, step: int, edit) -> str:
    return json.dumps(
        {
            "event": event,
            "step": step,
            "doc": edit.document_id,
            "description": edit.description,
            "spans": [
                {
                    "uid": s.uid,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "layer": str(s.layer),
                    "state": str(s.state),
                    "attributes": s.attributes,
                }
                for s in edit.after
            ],
            "gone": [s.uid for s in edit.removed_spans()],
            "relations": [
                {"uid": r.uid, "head": r.head, "tail": r.tail, "label": r.label} for r in edit.added_relations()
            ],
            "relations_gone": [r.uid for r in edit.removed_relations()],
            "changes_status": edit.changes_status,
            "annotator": edit.annotator,
            "status": None if edit.status_after is None else str(edit.status_after),
        },
        ensure_ascii=False,
    )


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def word_starts(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if not c.isspace() and (i == 0 or text[i - 1].isspace())]


def next_edit(rng: random.Random, notes: Annotations, entity_labels: list[str], history: list):
    """One action an analyst might take now, as an Edit (None when the dice chose something impossible)."""
    text = notes.text
    visible = notes.visible()
    entities = notes.visible(Layer.ENTITY)
    statements = notes.visible(Layer.STATEMENT)
    claims = notes.visible(Layer.CLAIM)
    suggested = [s for s in notes.spans.values() if s.state == State.SUGGESTED]
    starts = word_starts(text)
    choice = rng.random()
    if choice < 0.30:
        start = rng.choice(starts)
        end = start + rng.randint(1, 12)
        layer = rng.choices([Layer.ENTITY, Layer.STATEMENT, Layer.CLAIM], [0.7, 0.15, 0.15])[0]
        label = rng.choice(entity_labels) if layer == Layer.ENTITY else str(layer).upper()
        return notes.tag(layer, label, start, end)
    if choice < 0.36 and statements and entities:
        return notes.set_speaker(rng.choice(statements).uid, rng.choice(entities).uid)
    if choice < 0.39 and statements:
        return notes.set_speaker_text(rng.choice(statements).uid, rng.choice(SPEAKERS))
    if choice < 0.43 and statements:
        start = rng.choice(starts)
        return notes.set_cue(rng.choice(statements).uid, start, start + rng.randint(1, 6))
    if choice < 0.48 and claims:
        statement = rng.choice(statements).uid if statements and rng.random() < 0.85 else None
        return notes.set_statement(rng.choice(claims).uid, statement)
    if choice < 0.54 and suggested:
        return notes.accept(rng.choice(suggested).uid)
    if choice < 0.61 and visible:
        return notes.reject(rng.choice(visible).uid)
    if choice < 0.67 and entities:
        return notes.relabel(rng.choice(entities).uid, rng.choice(entity_labels))
    if choice < 0.72 and visible:
        return notes.move(rng.choice(visible).uid, rng.choice(["start", "end"]), rng.choice([-1, 1]))
    if choice < 0.80 and visible:
        return notes.set_attributes(rng.choice(visible).uid, note=rng.choice(["check", "source?", "", "ok"]))
    if choice < 0.88:
        return notes.set_status(rng.choice(STATUSES))
    if history:
        return UNDO  # Ctrl+Z: the last action's inverse, saved the same way
    return None


def main() -> int:
    location, seed = sys.argv[1], int(sys.argv[2])
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else None
    rng = random.Random(seed)
    project = projects.open_location(location, create=False)
    schema = projects.schema_of(project)
    entity_labels = [label.name for label in schema.labels_of(Layer.ENTITY)]
    ids = [row.id for row in documents.list_documents(project, ANNOTATOR)]
    say("ready")
    saved, history = 0, []
    notes: Annotations | None = None
    while steps is None or saved < steps:
        if notes is None or rng.random() < 0.1:  # now and then, on to another article
            notes = annotating.open_annotations(project, rng.choice(ids), ANNOTATOR, schema)
            history.clear()  # the window's undo would open the article first; keep it simple
        try:
            edit = next_edit(rng, notes, entity_labels, history)
        except Refused:
            continue
        undoing = edit is UNDO
        if undoing:
            edit = history.pop().inverse()
        if edit is None or edit.is_empty:
            continue
        say(describe("saving", saved, edit))
        annotating.save(project, edit)
        notes.apply(edit)
        say(describe("shown", saved, edit))
        if not undoing:
            history.append(edit)
        saved += 1
    project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
