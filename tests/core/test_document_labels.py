"""Document labels: what a key press on a label does, the schema's label sets, and undo as an inverse Edit."""

import pytest

from annotator.core.annotations import Annotations
from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, DocumentLabel, Status
from annotator.core.schema import Choice, LabelSchema, LabelSet, label_set_problems

CHECK = LabelSet("checkworthy", (Choice("check-worthy", "1"), Choice("not check-worthy", "2")))
TOPICS = LabelSet("topic", (Choice("politics"), Choice("sport")), multiple=True)


def notes(labels=(), who="ana"):
    return Annotations(Document("Lavrov said the talks went well.", id=1), [], [], who, labels=list(labels))


def test_choosing_a_single_choice_label_replaces_the_one_set_and_choosing_it_again_clears_it():
    n = notes()
    first = n.choose_label(CHECK, "check-worthy")
    assert [(d.label, d.annotator) for d in first.labels_after] == [("check-worthy", "ana")]
    assert first.status_after == Status.IN_PROGRESS  # like any first change to a new document
    n.apply(first)
    second = n.choose_label(CHECK, "not check-worthy")
    assert [d.label for d in second.labels_before] == ["check-worthy"]
    n.apply(second)
    assert n.labels_in("checkworthy") == ["not check-worthy"]
    n.apply(n.choose_label(CHECK, "not check-worthy"))
    assert n.labels_in("checkworthy") == []


def test_a_multiple_choice_set_switches_each_label_on_and_off_alone():
    n = notes()
    n.apply(n.choose_label(TOPICS, "politics"))
    n.apply(n.choose_label(TOPICS, "sport"))
    assert sorted(n.labels_in("topic")) == ["politics", "sport"]
    n.apply(n.choose_label(TOPICS, "politics"))
    assert n.labels_in("topic") == ["sport"]


def test_another_annotators_label_is_kept_and_undo_puts_back_exactly_what_was():
    theirs = DocumentLabel("checkworthy", "not check-worthy", "ben", "ben")
    n = notes([theirs])
    edit = n.choose_label(CHECK, "check-worthy")
    assert edit.labels_before == ()  # ben's stays: each person keeps their own
    n.apply(edit)
    assert sorted(n.labels_in("checkworthy")) == ["check-worthy", "not check-worthy"]
    n.apply(edit.inverse())
    assert list(n.labels.values()) == [theirs]
    assert n.clear_labels("checkworthy") is None  # ana has none there to clear


def test_label_sets_survive_the_schema_file_and_bad_ones_are_refused_with_the_reason():
    schema = LabelSchema(label_sets=(CHECK, TOPICS))
    assert LabelSchema.from_dict(schema.to_dict()).label_sets == (CHECK, TOPICS)
    with pytest.raises(AnnotatorError, match="no name"):
        LabelSchema.from_dict({"label_sets": [{"name": " ", "labels": ["a"]}]})
    problems = label_set_problems((CHECK, LabelSet("b", (Choice("x", "1"),))), frozenset({"s"}))
    assert any("given to both" in p for p in problems)
    assert label_set_problems((LabelSet("c", (Choice("x", "s"),)),), frozenset({"s"}))  # a command's key
    assert label_set_problems((LabelSet("c", (Choice("x\ty"),)),))  # one line, like every label name
