"""Merging another analyst's work: two real projects made by the app, the same articles annotated by
"ana" and "ben" (and one only ben has), merged both ways, from the project file and from its JSONL export."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from annotator.core.model import Document, Layer, State, Status
from annotator.core.schema import Choice, Label, LabelSchema, LabelSet
from annotator.services import annotating
from annotator.services.exporting import export
from annotator.services.merging import MergeError, merge
from annotator.services.projects import open_location
from annotator.services.schema import schema_of
from annotator.store.annotated import labelled_batches
from annotator.store.documents import add_documents
from annotator.store.labels import save_schema
from annotator.store.tables import document_labels, document_statuses, documents, relations, spans
from tests.services.interchange_data import FIRST, _find, annotate

CHECK = LabelSet("checkworthy", (Choice("check-worthy", "1"), Choice("not check-worthy", "2")))
ONLY_BEN = "Riverton police seized a rifle on Friday, the chief said."


def _with_sets(project, extra_labels=(), sets=(CHECK,)):
    base = schema_of(project)
    save_schema(project, LabelSchema((*base.labels, *extra_labels), base.attributes, base.nested_entities, base.name,
                                     tuple(sets)))
    return schema_of(project)


def _edit(project, document_id, who, make):
    notes = annotating.open_annotations(project, document_id, who, schema_of(project))
    edit = make(notes)
    annotating.save(project, edit)
    notes.apply(edit)
    return notes


def make_ana(path):
    project = open_location(str(path))
    _with_sets(project)
    ids = annotate(project, "ana")
    _edit(project, ids["first"], "ana", lambda n: n.choose_label(CHECK, "check-worthy"))
    return project, ids


def make_ben(path):
    project = open_location(str(path))
    topics = LabelSet("topic", (Choice("crime"), Choice("politics")), multiple=True)
    _with_sets(project, (Label("WEAPON", Layer.ENTITY, "#123456"),), (CHECK, topics))
    ids = annotate(project, "ben")
    _edit(project, ids["first"], "ben", lambda n: n.choose_label(CHECK, "not check-worthy"))
    (only,) = add_documents(project, [Document(ONLY_BEN, title="Rifle seized")]).added
    _edit(project, only.id, "ben", lambda n: n.tag(Layer.ENTITY, "WEAPON", *_find(ONLY_BEN, "a rifle"), exact=True))
    _edit(project, only.id, "ben", lambda n: n.choose_label(topics, "crime"))
    _edit(project, only.id, "ben", lambda n: n.set_status(Status.DONE))
    ids["only"] = only.id
    return project, ids


@pytest.fixture
def ana(tmp_path):
    project, _ids = make_ana(tmp_path / "ana.annotator.sqlite")
    yield project
    project.close()


@pytest.fixture
def ben_file(tmp_path):
    project, _ids = make_ben(tmp_path / "ben.annotator.sqlite")
    project.close()
    return tmp_path / "ben.annotator.sqlite"


def counts(project) -> dict[str, int]:
    with project.reading() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (documents, spans, relations, document_statuses, document_labels)}


def people(project) -> dict[str, dict]:
    """Per annotator: their spans by (document text start, layer, words, label, state), their links by
    words, their statuses and labels by document."""
    found: dict = {}
    for batch in labelled_batches(project):
        for doc, doc_spans, links, statuses, labels in batch:
            key = doc.text[:12]
            by_uid = {s.uid: s for s in doc_spans}
            for s in doc_spans:
                mine = found.setdefault(s.annotator, {"spans": set(), "links": set(), "statuses": {}, "labels": set()})
                mine["spans"].add((key, str(s.layer), s.text_in(doc.text), s.label, str(s.state)))
            for r in links:
                head, tail = by_uid[r.head], by_uid[r.tail]
                assert head.document_id == tail.document_id == doc.id
                found[head.annotator]["links"].add(
                    (key, r.label, head.text_in(doc.text), tail.text_in(doc.text), tail.annotator)
                )
            for who, status in statuses.items():
                found.setdefault(who, {"spans": set(), "links": set(), "statuses": {}, "labels": set()})
                found[who]["statuses"][key] = status
            for d in labels:
                found.setdefault(d.annotator, {"spans": set(), "links": set(), "statuses": {}, "labels": set()})
                found[d.annotator]["labels"].add((key, d.label_set, d.label))
    return found


def test_ben_merged_into_ana_keeps_everyone_apart(ana, ben_file):
    before = people(ana)
    ben = open_location(str(ben_file), read_only=True)
    theirs = people(ben)
    ben.close()
    report = merge(ana, ben_file)
    after = people(ana)
    assert after["ana"] == before["ana"]  # the project's own work is untouched
    assert after["ben"] == theirs["ben"]  # everything of ben's, links and statuses and labels included
    assert after[None] == before[None]  # the model's suggestion both projects had is not doubled
    # The speaker of ben's statement is ben's own Sergey Lavrov span, not ana's.
    assert (FIRST[:12], "speaker", "\u201cThe talks were useful,\u201d", "Sergey Lavrov", "ben") in after["ben"]["links"]
    second = "Hi \U0001f600 Riverto"
    assert after["ben"]["statuses"] == {FIRST[:12]: "done", second: "in_progress", ONLY_BEN[:12]: "done"}
    assert after["ana"]["statuses"] == {FIRST[:12]: "done", second: "in_progress"}
    assert (report.documents, report.matched, report.added) == (4, 3, 1)
    assert report.people["ben"].spans == len(theirs["ben"]["spans"])
    assert report.people["ben"].relations == len(theirs["ben"]["links"]) == 2  # speaker, statement-of
    assert report.people["ben"].statuses == 3 and report.people["ben"].labels == 2
    assert sorted(report.new_labels) == ["document:topic:crime", "entity:WEAPON"]
    schema = schema_of(ana)
    assert schema.colour_for("WEAPON") == "#123456"  # the other's schema travelled with their project
    assert schema.label_set("topic").multiple and schema.label_set("checkworthy") == CHECK
    assert any("already in the project" in line and "entity span" in line for line in report.lines())


def test_ana_merged_into_ben_and_back(ana, ben_file, tmp_path):
    ben = open_location(str(ben_file))
    ana_file = ana.path
    report = merge(ben, ana_file)
    assert (report.documents, report.matched, report.added) == (3, 3, 0)
    assert people(ben)["ana"] == people(ana)["ana"]
    assert report.new_labels == []
    # Back again: ben's project now holds ana's work too, and none of it comes in twice.
    merge(ana, ben_file)
    again = counts(ana)
    second = merge(ana, ben_file)
    assert second.new == 0 and counts(ana) == again
    assert people(ana)["ben"] == people(ben)["ben"]
    ben.close()


def test_merging_twice_changes_nothing(ana, ben_file):
    first = merge(ana, ben_file)
    assert first.new > 0
    once = counts(ana)
    second = merge(ana, ben_file)
    assert counts(ana) == once
    assert second.new == 0 and second.summary().startswith(f"Merged {ben_file}: 0 new")
    assert second.matched == 4 and second.added == 0
    assert sum(second.skipped.values()) > 0


def test_the_jsonl_export_brings_the_same_and_then_the_project_file_adds_nothing(ana, ben_file, tmp_path):
    ben = open_location(str(ben_file), read_only=True)
    exported = tmp_path / "ben.jsonl"
    export(ben, exported, "jsonl")
    theirs = people(ben)
    ben.close()
    report = merge(ana, exported)
    assert report.kind == "JSONL export" and (report.matched, report.added) == (3, 1)
    assert people(ana)["ben"] == theirs["ben"]
    assert "entity:WEAPON" in report.new_labels
    once = counts(ana)
    assert merge(ana, exported).new == 0 and merge(ana, ben_file).new == 0
    assert counts(ana) == once


def test_the_project_own_annotator_is_skipped(ana, ben_file):
    """ben's project has held ana's work since an earlier merge; ana has deleted a span of hers since.
    Merging ben's back naming ana as the project's own annotator does not bring it back."""
    ben = open_location(str(ben_file))
    merge(ben, ana.path)
    ben.close()
    with ana.writing() as conn:
        conn.execute(spans.delete().where(spans.c.annotator == "ana", spans.c.label == "GPE"))
    mine = people(ana)["ana"]
    report = merge(ana, ben_file, mine="ana")
    assert people(ana)["ana"] == mine
    assert any("own annotator" in why for (_what, why) in report.skipped)
    assert report.people["ben"].spans > 0


def test_rejected_suggestions_keep_their_state(ana, ben_file):
    ben = open_location(str(ben_file))
    with ben.writing() as conn:
        conn.execute(spans.update().where(spans.c.state == str(State.SUGGESTED)).values(state=str(State.REJECTED),
                                                                                       annotator="ben"))
    ben.close()
    merge(ana, ben_file)
    assert (FIRST[:12], "entity", "Moscow", "GPE", "rejected") in people(ana)["ben"]["spans"]


def test_bad_input_is_named_and_nothing_is_stored(ana, ben_file, tmp_path):
    before = counts(ana)
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n")
    with pytest.raises(MergeError, match="neither an Annotator project file nor a native JSONL export"):
        merge(ana, text)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(MergeError, match="not an Annotator project"):
        merge(ana, other)
    damaged = tmp_path / "damaged.annotator.sqlite"
    data = bytearray(ben_file.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\x07" * 8192  # pages of tables overwritten
    damaged.write_bytes(bytes(data))
    with pytest.raises(MergeError, match="damaged"):
        merge(ana, damaged)
    ben = open_location(str(ben_file), read_only=True)
    exported = tmp_path / "ben.jsonl"
    export(ben, exported, "jsonl")
    ben.close()
    lines = exported.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([*lines[:3], '{"text": "cut off', *lines[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(MergeError, match=rf"{broken}:4: not valid JSON"):
        merge(ana, broken)
    bad_span = tmp_path / "bad_span.jsonl"
    bad_span.write_text("\n".join([*lines[:3], lines[3].replace('"start":', '"start":-5,"x":', 1)]) + "\n",
                        encoding="utf-8")
    with pytest.raises(MergeError, match=rf"{bad_span}:4: "):
        merge(ana, bad_span)
    with pytest.raises(MergeError, match="the open project itself"):
        merge(ana, ana.path)
    assert counts(ana) == before


def test_merging_into_either_backend(any_project, ben_file):
    _with_sets(any_project)
    annotate(any_project, "ana")
    report = merge(any_project, ben_file)
    assert (report.matched, report.added) == (3, 1)
    once = counts(any_project)
    ben = open_location(str(ben_file), read_only=True)
    assert people(any_project)["ben"] == people(ben)["ben"]
    ben.close()
    assert merge(any_project, ben_file).new == 0 and counts(any_project) == once


def test_a_cancelled_merge_stores_nothing(ana, ben_file):
    import threading

    before, cancel = counts(ana), threading.Event()
    seen = []

    def progress(done, total):
        seen.append((done, total))
        cancel.set()  # after the first document

    report = merge(ana, ben_file, progress=progress, cancel=cancel)
    assert report.cancelled and report.new == 0 and "nothing was stored" in report.summary()
    assert seen == [(1, 4)] and counts(ana) == before
