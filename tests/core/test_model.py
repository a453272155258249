from annotator.core.model import Document, Layer, Span, State
from annotator.core.schema import FALLBACK_COLOURS, LabelSchema, fallback_colour
from annotator.core.text import normalise_newlines


def test_span_text_counts_code_points():
    text = "Hi 😀 Lavrov said. 🇷🇺 Lavrov"
    first = Span(5, 11, "PERSON")
    second = Span(text.rindex("Lavrov"), len(text), "PERSON")
    assert first.text_in(text) == "Lavrov"
    assert second.text_in(text) == "Lavrov"


def test_content_hash_depends_on_every_character():
    a = Document("Café Lavrov")
    b = Document("Cafe\u0301 Lavrov")  # same look, other code points: a different text
    assert a.content_hash != b.content_hash
    assert a.content_hash == Document("Café Lavrov", title="other").content_hash


def test_documents_and_spans_get_distinct_stable_ids():
    assert Document("a").uid != Document("a").uid
    span = Span(0, 1, "X")
    assert span.with_changes(label="Y").uid == span.uid


def test_newlines_are_normalised_and_nothing_else():
    assert normalise_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"
    kept = "a\u2028b\u2029c\x85d\x0be\x0cf"
    assert normalise_newlines(kept) == kept


def test_schema_colours_known_labels_and_invents_stable_ones():
    schema = LabelSchema.from_dict({"labels": [{"name": "PERSON", "layer": "entity", "colour": "#ffd6a5"}]})
    assert schema.colour_for("PERSON") == "#ffd6a5"
    assert schema.colour_for("PERSON", Layer.CLAIM) == fallback_colour("PERSON")  # labels belong to a layer
    assert schema.colour_for("WEAPON") == fallback_colour("WEAPON") == schema.colour_for("WEAPON")
    assert fallback_colour("WEAPON") in FALLBACK_COLOURS


def test_schema_round_trips_through_a_dict():
    data = {
        "labels": [
            {"name": "PERSON", "layer": "entity", "colour": "#ffd6a5", "description": "People"},
            {"name": "STATEMENT", "layer": "statement", "colour": "#cdb4db", "description": ""},
        ],
        "attributes": {"claim": {"checkworthiness": ["check-worthy factual"]}},
        "nested_entities": True,
    }
    assert LabelSchema.from_dict(data).to_dict() == data


def test_bad_schema_is_refused_with_a_reason():
    import pytest

    from annotator.core.errors import AnnotatorError

    with pytest.raises(AnnotatorError, match="'layer' of entity, statement or claim"):
        LabelSchema.from_dict({"labels": [{"name": "X", "layer": "paragraph"}]}, "my.json")


def test_states_and_layers_are_the_documented_words():
    assert [str(s) for s in State] == ["suggested", "accepted", "rejected", "edited"]
    assert [str(layer) for layer in Layer] == ["entity", "statement", "claim"]
