"""Changing a project's label schema: its annotations follow, in one transaction; schema files in and out."""

from dataclasses import replace

import pytest
from sqlalchemy import text

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, Layer, Span, State
from annotator.core.schema import Label, LabelSchema
from annotator.services.projects import default_schema, schema_of
from annotator.services.schema import change_schema, export_schema, import_schema, label_uses
from annotator.store.documents import add_documents
from annotator.store.labels import save_schema
from annotator.store.spans import add_spans

TEXT = "Sergey Lavrov said the Foreign Ministry would answer. Elena Varga disagreed."


@pytest.fixture
def annotated(any_project):
    """A project with the default schema, entities, a statement whose speaker is linked, and a claim."""
    save_schema(any_project, default_schema())
    doc = add_documents(any_project, [Document(TEXT, title="Talks")]).added[0]
    lavrov, ministry, varga, statement, claim = add_spans(
        any_project,
        doc.id,
        [
            Span(0, 13, "PERSON"),
            Span(23, 39, "ORG"),
            Span(54, 65, "PERSON", state=State.REJECTED),
            Span(19, 53, "STATEMENT", layer=Layer.STATEMENT, attributes={"kind": "indirect"}),
            Span(19, 53, "CLAIM", layer=Layer.CLAIM),
        ],
    )
    with any_project.writing() as conn:  # the statement's speaker is Lavrov
        conn.execute(
            text(
                "INSERT INTO relations (uid, document_id, head_span_id, tail_span_id, label, attributes) "
                "VALUES ('r1', :doc, :head, :tail, 'speaker', '{}')"
            ),
            {"doc": doc.id, "head": statement.id, "tail": lavrov.id},
        )
    return any_project


def relabelled(schema: LabelSchema, layer: str, old: str, new: str | None) -> LabelSchema:
    """``schema`` with one label renamed (or, for new=None, removed)."""
    labels = []
    for label in schema.labels:
        if (str(label.layer), label.name) == (layer, old):
            if new is None:
                continue
            label = replace(label, name=new)
        labels.append(label)
    return replace(schema, labels=tuple(labels))


def relation_count(project) -> int:
    with project.reading() as conn:
        return conn.execute(text("SELECT count(*) FROM relations")).scalar()


def test_label_uses_count_every_span_of_each_layer_and_label(annotated):
    assert label_uses(annotated) == {
        ("entity", "PERSON"): 2,  # the rejected suggestion counts too: it is deleted with its label
        ("entity", "ORG"): 1,
        ("statement", "STATEMENT"): 1,
        ("claim", "CLAIM"): 1,
    }


def test_renaming_a_label_renames_its_spans_and_keeps_its_place_and_links(annotated):
    before = schema_of(annotated)
    new = relabelled(before, "entity", "PERSON", "HUMAN")
    report = change_schema(annotated, new, {("entity", "PERSON"): "HUMAN"})
    assert report.renamed == {("entity", "PERSON"): 2} and report.deleted == {}
    assert label_uses(annotated) == {
        ("entity", "HUMAN"): 2, ("entity", "ORG"): 1, ("statement", "STATEMENT"): 1, ("claim", "CLAIM"): 1,
    }
    stored = schema_of(annotated)
    assert [l.name for l in stored.labels] == [("HUMAN" if l.name == "PERSON" else l.name) for l in before.labels]
    assert stored.colour_for("HUMAN") == before.colour_for("PERSON")
    assert not stored.has_label("PERSON", Layer.ENTITY)
    assert relation_count(annotated) == 1


def test_swapped_names_are_swapped_not_merged(annotated):
    schema = schema_of(annotated)
    swapped = relabelled(relabelled(relabelled(schema, "entity", "PERSON", "TMP"), "entity", "ORG", "PERSON"), "entity", "TMP", "ORG")
    change_schema(annotated, swapped, {("entity", "PERSON"): "ORG", ("entity", "ORG"): "PERSON"})
    assert label_uses(annotated)[("entity", "ORG")] == 2
    assert label_uses(annotated)[("entity", "PERSON")] == 1


def test_removing_a_label_deletes_its_spans_and_the_links_to_them(annotated):
    new = relabelled(schema_of(annotated), "entity", "PERSON", None)
    report = change_schema(annotated, new, {})
    assert report.deleted == {("entity", "PERSON"): 2}
    assert label_uses(annotated) == {("entity", "ORG"): 1, ("statement", "STATEMENT"): 1, ("claim", "CLAIM"): 1}
    assert relation_count(annotated) == 0  # the statement stays, its speaker link went with the speaker
    assert not schema_of(annotated).has_label("PERSON", Layer.ENTITY)


def test_a_label_renamed_to_a_removed_labels_name_takes_its_place(annotated):
    schema = schema_of(annotated)
    new = relabelled(relabelled(schema, "entity", "ORG", None), "entity", "PERSON", "ORG")
    report = change_schema(annotated, new, {("entity", "PERSON"): "ORG"})
    assert report.deleted == {("entity", "ORG"): 1}
    assert label_uses(annotated)[("entity", "ORG")] == 2
    assert ("entity", "PERSON") not in label_uses(annotated)


def test_attribute_choices_and_nesting_are_stored(annotated):
    schema = schema_of(annotated)
    attributes = {**schema.attributes, "claim": {**schema.attributes["claim"], "claim_type": ["numerical", "legal"]}}
    change_schema(annotated, replace(schema, attributes=attributes, nested_entities=True), {})
    stored = schema_of(annotated)
    assert stored.choices(Layer.CLAIM, "claim_type") == ["numerical", "legal"]
    assert stored.nested_entities is True
    assert label_uses(annotated)[("claim", "CLAIM")] == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: relabelled(s, "entity", "ORG", "PERSON"), "two entity labels named PERSON"),
        (lambda s: relabelled(s, "entity", "ORG", "  "), "has no name"),
        (lambda s: replace(s, labels=(replace(s.labels[0], colour="orange"),) + s.labels[1:]), "#rrggbb"),
        (lambda s: replace(s, labels=(replace(s.labels[0], colour="#12345"),) + s.labels[1:]), "#rrggbb"),
    ],
)
def test_an_invalid_schema_is_refused_and_nothing_changes(annotated, change, message):
    before, uses = schema_of(annotated), label_uses(annotated)
    with pytest.raises(AnnotatorError, match=message):
        change_schema(annotated, change(before), {("entity", "PERSON"): "HUMAN"})
    assert schema_of(annotated) == before
    assert label_uses(annotated) == uses


def test_a_rename_to_a_label_the_schema_lacks_is_refused(annotated):
    before, uses = schema_of(annotated), label_uses(annotated)
    with pytest.raises(AnnotatorError, match="does not have"):
        change_schema(annotated, before, {("entity", "PERSON"): "HUMAN"})
    assert (schema_of(annotated), label_uses(annotated)) == (before, uses)


def test_export_and_import_give_back_the_same_schema(tmp_path):
    schema = replace(
        default_schema(),
        labels=default_schema().labels + (Label("ÉVÉNEMENT", Layer.ENTITY, "#aabbcc", "Événements « nommés »"),),
        nested_entities=True,
    )
    target = tmp_path / "mine.json"
    target.write_text("old contents", encoding="utf-8")
    export_schema(schema, target)
    written = target.read_text(encoding="utf-8")
    assert "Événements « nommés »" in written and '\n  "labels": [' in written  # readable, indented UTF-8
    assert import_schema(target) == schema
    assert [p.name for p in tmp_path.iterdir()] == ["mine.json"]  # no temporary file left behind


def test_export_to_a_missing_folder_names_the_file(tmp_path):
    target = tmp_path / "missing" / "schema.json"
    with pytest.raises(AnnotatorError, match="schema.json"):
        export_schema(default_schema(), target)


@pytest.mark.parametrize(
    "contents",
    [
        b"{ not json",
        b"[]",
        b'{"labels": [{"layer": "entity"}]}',
        b'{"labels": [{"name": "X", "layer": "topic", "colour": "#aabbcc"}]}',
        b'{"labels": []}',
        b'{"labels": [{"name": "X", "layer": "entity", "colour": "red"}]}',
        b"\xff\xfe\x00\x01",
    ],
)
def test_a_broken_schema_file_is_refused_with_its_name(tmp_path, contents):
    path = tmp_path / "broken-schema.json"
    path.write_bytes(contents)
    with pytest.raises(AnnotatorError) as caught:
        import_schema(path)
    assert str(path) in str(caught.value)


def test_a_missing_schema_file_is_named(tmp_path):
    with pytest.raises(AnnotatorError, match="nowhere.json"):
        import_schema(tmp_path / "nowhere.json")


def test_document_labels_are_renamed_swapped_and_merged_with_the_schema(any_project):
    from annotator.core.model import Document, DocumentLabel
    from annotator.core.schema import Choice, LabelSchema, LabelSet
    from annotator.services import projects
    from annotator.services.schema import change_schema
    from annotator.store.document_labels import add_labels, document_labels_of
    from annotator.store.documents import add_documents

    project = any_project
    base = projects.schema_of(project)

    def with_sets(*choices):
        sets = (LabelSet("topic", tuple(Choice(c) for c in choices), multiple=True),)
        return LabelSchema(base.labels, base.attributes, label_sets=sets)

    change_schema(project, with_sets("war", "peace", "trade"), {})
    doc = add_documents(project, [Document("Text.", title="T")]).added[0].id
    with project.writing() as conn:
        add_labels(conn, doc, [DocumentLabel("topic", "war", "ana"), DocumentLabel("topic", "trade", "ana"),
                               DocumentLabel("topic", "peace", "ben")])  # fmt: skip

    def stored():
        return sorted((d.label, d.annotator) for d in document_labels_of(project, doc))

    # war and peace swap names: nothing merges
    report = change_schema(project, with_sets("peace", "war", "trade"), {},
                           {("topic", "war"): ("topic", "peace"), ("topic", "peace"): ("topic", "war")})  # fmt: skip
    assert stored() == [("peace", "ana"), ("trade", "ana"), ("war", "ben")]
    assert report.relabelled == {("topic", "war"): 1, ("topic", "peace"): 1}
    assert "document label topic: war renamed" in report.summary()
    # trade becomes peace: ana had both, and keeps peace once
    change_schema(project, with_sets("peace", "war"), {}, {("topic", "trade"): ("topic", "peace")})
    assert stored() == [("peace", "ana"), ("war", "ben")]
    # a rename to a label the schema does not have is refused, and nothing changes
    with pytest.raises(AnnotatorError, match="which the new schema does not have"):
        change_schema(project, with_sets("peace", "war"), {}, {("topic", "war"): ("topic", "conflict")})
    assert stored() == [("peace", "ana"), ("war", "ben")]
