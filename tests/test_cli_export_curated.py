"""`annotator export --curated`: the gold where a document was curated, the version most annotators agree
on where nobody curated it; nothing else (no annotator's own spans, no rejected gold)."""

from __future__ import annotations

import json

import pytest

from annotator.app import main
from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Span, Status
from annotator.services.curating import GOLD, open_curation, save
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit
from annotator.store.project import open_project

FIRST = "Sergey Lavrov said on Monday that Russia would not send troops."
SECOND = "Maria Lopez met the mayor of Rome on Friday."


def _spans(text, who, found):
    return tuple(Span(text.index(w), text.index(w) + len(w), label, Layer.ENTITY, who, annotator=who)
                 for w, label in found)


@pytest.fixture
def location(tmp_path):
    location = tmp_path / "p.annotator.sqlite"
    project = open_project(location)
    try:
        first, second = add_documents(project, [Document(FIRST, title="Lavrov"), Document(SECOND, title="Lopez")]).added
        for who, label in (("ana", "GPE"), ("ben", "GPE"), ("cy", "ORG")):
            apply_edit(project, Edit(first.id, after=_spans(FIRST, who, [("Russia", label), ("Sergey Lavrov", "PERSON")]),
                                     annotator=who, status_after=Status.DONE))
            rome = [("Rome", "GPE")] if who != "cy" else []
            apply_edit(project, Edit(second.id, after=_spans(SECOND, who, [("Maria Lopez", "PERSON"), *rome]),
                                     annotator=who, status_after=Status.DONE))
        # zoe curates the first: Russia is cy's ORG, Sergey Lavrov is rejected.
        curation = open_curation(project, first.id, "zoe")
        for make in (curation.fill_agreed,
                     lambda: curation.take(next(i for i in curation.versions.items if i.proposal.start == 34), "cy"),
                     lambda: curation.reject(next(i for i in curation.versions.items if i.proposal.start == 0)),
                     lambda: curation.set_status(Status.DONE)):
            edit = make()
            save(project, edit)
            curation.apply(edit)
    finally:
        project.close()
    return str(location)


def test_export_curated_writes_gold_where_curated_and_the_agreed_version_elsewhere(location, tmp_path, capsys):
    out = tmp_path / "gold.jsonl"
    assert main(["export", "--project", location, "--curated", "-o", str(out)]) == 0
    assert "2 document(s) with 3 span(s)" in capsys.readouterr().out
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    entities = {line["meta"]["title"]: [(e["text"], e["label"]) for e in line["entities"]] for line in lines}
    assert entities == {"Lavrov": [("Russia", "ORG")], "Lopez": [("Maria Lopez", "PERSON"), ("Rome", "GPE")]}
    by_title = {line["meta"]["title"]: line for line in lines}
    assert by_title["Lavrov"]["entities"][0]["origin"] == "curated:zoe"
    assert by_title["Lopez"]["entities"][0]["origin"] == "agreed:majority"
    assert by_title["Lavrov"]["status"] == "done"  # the curated mark: gold's status is done


def test_export_without_curated_keeps_everyone_and_curated_refuses_one_annotator(location, tmp_path, capsys):
    out = tmp_path / "all.jsonl"
    assert main(["export", "--project", location, "-o", str(out)]) == 0
    annotators = {e.get("annotator") for line in out.read_text(encoding="utf-8").splitlines()
                  for e in json.loads(line)["entities"]}
    assert {"ana", "ben", "cy", GOLD} <= annotators
    assert main(["export", "--project", location, "--curated", "--annotator", "ana", "-o", str(out)]) != 0
    assert "--annotator" in capsys.readouterr().err
