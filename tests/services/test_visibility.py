"""Whose work is shown (View ▸ Annotations) and blind projects, on a real SQLite project where ana and
ben each annotated one article that a model had suggested entities for."""

from __future__ import annotations

import json

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, Layer, Span, State, Status
from annotator.core.visibility import EVERYONE, MINE, ONE, View, refusal
from annotator.core.vocabulary import SPEAKER
from annotator.services import annotating, exporting, projects, visibility
from annotator.store.documents import add_documents
from annotator.store.spans import save_suggestions

TEXT = "Sergey Lavrov said the talks were useful. Ayman Safadi met him in Moscow on Tuesday."
MODEL = "m@1"


def at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def _save(project, notes, edit) -> None:
    annotating.save(project, edit)
    notes.apply(edit)


def build(path) -> tuple:
    """ana: PERSON Lavrov and a statement he speaks; ben: PERSON Safadi, a claim, and his own PERSON
    over Lavrov; the model: GPE Moscow and DATE Tuesday, unreviewed."""
    project = projects.open_location(str(path))
    (doc,) = add_documents(project, [Document(TEXT, title="Talks")]).added
    suggested = [Span(*at("Moscow"), "GPE", origin=MODEL, state=State.SUGGESTED),
                 Span(*at("Tuesday"), "DATE", origin=MODEL, state=State.SUGGESTED)]
    save_suggestions(project, [(doc.id, suggested)], MODEL)
    schema = projects.schema_of(project)
    mine_only = View(MINE, "", False)
    ana = annotating.open_annotations(project, doc.id, "ana", schema, mine_only)
    _save(project, ana, ana.tag(Layer.ENTITY, "PERSON", *at("Sergey Lavrov")))
    _save(project, ana, ana.tag(Layer.STATEMENT, "STATEMENT", *at("the talks were useful")))
    statement = ana.visible(Layer.STATEMENT)[0]
    _save(project, ana, ana.set_speaker(statement.uid, ana.visible(Layer.ENTITY)[0].uid))
    ben = annotating.open_annotations(project, doc.id, "ben", schema, mine_only)
    _save(project, ben, ben.tag(Layer.ENTITY, "PERSON", *at("Ayman Safadi")))
    _save(project, ben, ben.tag(Layer.ENTITY, "PERSON", *at("Sergey Lavrov")))
    _save(project, ben, ben.tag(Layer.CLAIM, "CLAIM", *at("Ayman Safadi met him in Moscow on Tuesday.")))
    return project, doc.id, schema


@pytest.fixture
def shared(tmp_path):
    project, doc_id, schema = build(tmp_path / "shared.annotator.sqlite")
    yield project, doc_id, schema
    project.close()


def shown(project, doc_id, schema, me, view=None) -> set[tuple[str, str, str | None]]:
    notes = annotating.open_annotations(project, doc_id, me, schema, view)
    return {(TEXT[s.start : s.end], s.label, s.annotator) for s in notes.visible()}


ANA = {("Sergey Lavrov", "PERSON", "ana"), ("the talks were useful", "STATEMENT", "ana")}
BEN = {("Ayman Safadi", "PERSON", "ben"), ("Sergey Lavrov", "PERSON", "ben"),
       ("Ayman Safadi met him in Moscow on Tuesday.", "CLAIM", "ben")}
SUGGESTED = {("Moscow", "GPE", None), ("Tuesday", "DATE", None)}


def test_each_view_shows_whose_spans_it_names(shared):
    project, doc_id, schema = shared
    assert shown(project, doc_id, schema, "ana", View(MINE)) == ANA | SUGGESTED
    assert shown(project, doc_id, schema, "ana", View(MINE, "", False)) == ANA
    assert shown(project, doc_id, schema, "ana", View(EVERYONE)) == ANA | BEN | SUGGESTED
    assert shown(project, doc_id, schema, "ana", None) == ANA | BEN | SUGGESTED  # the default: as before
    assert shown(project, doc_id, schema, "ana", View(ONE, "ben")) == BEN | SUGGESTED
    assert shown(project, doc_id, schema, "ana", View(ONE, "ben", False)) == BEN
    assert shown(project, doc_id, schema, "ben", View(MINE, "", False)) == BEN


def test_links_come_only_with_both_ends(shared):
    project, doc_id, schema = shared
    mine = annotating.open_annotations(project, doc_id, "ana", schema, View(MINE))
    statement = mine.visible(Layer.STATEMENT)[0]
    assert mine.speaker_words(statement) == "Sergey Lavrov"  # ana's statement keeps its speaker
    bens = annotating.open_annotations(project, doc_id, "ana", schema, View(ONE, "ben"))
    assert not bens.relations  # ana's speaker link leads to spans not loaded here
    assert all(r.label == SPEAKER for r in mine.relations.values())


def test_blind_hides_bens_work_from_ana_whatever_she_chooses(shared):
    project, doc_id, schema = shared
    visibility.set_blind(project, True)
    assert visibility.is_blind(project)
    for chosen in (None, View(EVERYONE), View(ONE, "ben"), View(MINE)):
        notes = annotating.open_annotations(project, doc_id, "ana", schema, chosen)
        assert {s.annotator for s in notes.spans.values()} <= {"ana", None}  # ben's are not even loaded
        assert shown(project, doc_id, schema, "ana", chosen) == ANA | SUGGESTED
    assert shown(project, doc_id, schema, "ana", View(EVERYONE, "", False)) == ANA  # the toggle still works
    assert visibility.effective_view(project, "ana", View(ONE, "ben")) == View(MINE)
    # A curator sees everyone's; turning blind off gives ana the choice back.
    visibility.set_curators(project, ["cy", " ", "cy"])
    assert visibility.curators(project) == ["cy"]
    assert shown(project, doc_id, schema, "cy", View(EVERYONE)) == ANA | BEN | SUGGESTED
    visibility.set_blind(project, False)
    assert shown(project, doc_id, schema, "ana", View(ONE, "ben")) == BEN | SUGGESTED


def test_annotators_listed_for_the_menu(shared):
    project, _doc_id, _schema = shared
    assert visibility.annotators(project, "cy") == ["ana", "ben", "cy"]


def exported(project, path, **only) -> list[tuple[str, str, str | None, str]]:
    report = exporting.export(project, path, "jsonl", only=exporting.ExportFilter(**only))
    assert report.documents == 1
    (line,) = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    spans = record["entities"] + record["statements"] + record["claims"]
    return sorted(((s["text"], s["label"], s["annotator"], s["state"]) for s in spans), key=str)


def test_blind_export_for_ana_has_only_hers_and_the_suggestions(shared, tmp_path):
    project, _doc_id, _schema = shared
    everything = exported(project, tmp_path / "all.jsonl", by="ana")
    assert {a for _w, _l, a, _s in everything} == {"ana", "ben", None}  # not blind: everyone's
    visibility.set_blind(project, True)
    blind = exported(project, tmp_path / "ana.jsonl", by="ana")
    assert {(w, label, a) for w, label, a, _s in blind} == ANA | SUGGESTED
    assert {s for w, _l, a, s in blind if a is None} == {"suggested"}
    with pytest.raises(AnnotatorError, match="blind: ana exports only their own work"):
        exported(project, tmp_path / "ben.jsonl", by="ana", annotator="ben")
    assert not (tmp_path / "ben.jsonl").exists()
    with pytest.raises(AnnotatorError, match="blind: ana exports only"):
        exporting.preview(project, "jsonl", exporting.ExportFilter(by="ana", annotator="ben"))
    # The curator exports everyone's, or one person's as usual.
    visibility.set_curators(project, ["cy"])
    assert exported(project, tmp_path / "cy.jsonl", by="cy") == everything
    bens = exported(project, tmp_path / "cy-ben.jsonl", by="cy", annotator="ben")
    assert {a for _w, _l, a, _s in bens} == {"ben"}


def test_blind_export_without_a_name_is_the_login_names(shared, tmp_path, monkeypatch):
    project, _doc_id, _schema = shared
    visibility.set_blind(project, True)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "ben")
    spans = exported(project, tmp_path / "login.jsonl")
    assert {(w, label, a) for w, label, a, _s in spans} == BEN | SUGGESTED


def test_another_annotators_span_is_read_only(shared):
    project, doc_id, schema = shared
    notes = annotating.open_annotations(project, doc_id, "ana", schema, View(EVERYONE))
    bens = next(s for s in notes.visible(Layer.ENTITY) if s.annotator == "ben" and TEXT[s.start:s.end] == "Ayman Safadi")
    anas = next(s for s in notes.visible(Layer.ENTITY) if s.annotator == "ana")
    moscow = next(s for s in notes.visible(Layer.ENTITY) if s.state == State.SUGGESTED)
    why = refusal(View(EVERYONE), "ana", notes.relabel(bens.uid, "ORG"), TEXT)
    assert why.startswith("PERSON “Ayman Safadi” is ben's annotation") and "nothing was changed" in why
    assert refusal(View(EVERYONE), "ana", notes.relabel(anas.uid, "ORG"), TEXT) is None
    assert refusal(View(EVERYONE), "ana", notes.accept(moscow.uid), TEXT) is None
    # In ben's view nothing in the text changes, not even a new span; one's own status still does.
    new = notes.tag(Layer.ENTITY, "DATE", *at("useful"))
    assert "Showing ben's annotations (read-only)" in refusal(View(ONE, "ben"), "ana", new, TEXT)
    assert refusal(View(ONE, "ben"), "ana", notes.set_status(Status.DONE), TEXT) is None
    assert refusal(View(ONE, "ana"), "ana", new, TEXT) is None  # one's own view is "mine"


def test_views_read_back_from_settings_text():
    for view in (View(), View(MINE, "", False), View(ONE, "<b>ben</b> & co", True)):
        assert View.from_text(view.to_text()) == view
    assert View.from_text("nonsense") == View()
    assert View.from_text("+s one:") == View()
    assert View(ONE, "<b>ben</b>").describe("ana") == "Showing: <b>ben</b>'s annotations (read-only), with suggestions"
    with pytest.raises(ValueError):
        View("theirs")
