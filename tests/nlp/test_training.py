"""Training and suggesting with trained components, without a project: Gold in, a pipeline folder out.

One tiny model (a few sentences, one epoch) is trained once for the module; what is checked is the wiring:
labels from gold, features written and put back, the parse left alone, statements decoded, claims scored.
"""

import pytest
import spacy

from annotator.core.model import Layer
from annotator.core.suggestions import Attribution
from annotator.nlp.model_meta import CLAIM_CLASSIFIER, STATEMENT_TAGGER, read_meta, write_meta
from annotator.nlp.pipelines import default_model, load_pipeline
from annotator.nlp.suggest import suggest
from annotator.nlp.trained import (
    ATTRIBUTIONS,
    CLAIMS,
    CONTENT,
    CUE,
    O,
    SOURCE,
    claim_feature,
    decode,
    statement_features,
    token_labels,
)
from annotator.nlp.training import Gold, GoldStatement, Trainer, load_base

PEOPLE = ["Sergey Lavrov", "Elena Varga", "Ana Costa", "John Smith"]
PLACES = ["Moscow", "Riverton", "Lisbon", "Nairobi"]


def _gold(n: int) -> Gold:
    person, place = PEOPLE[n % 4], PLACES[(n * 3) % 4]
    text = (f"{person} said on Monday that the bridge in {place} would open in May. Unemployment fell to "
            f"{n}.5 percent in 2020. I think we should all be kinder.")
    said = text.index("said")
    content = text.index("the bridge")
    claim = text.index("Unemployment")
    return Gold(
        text,
        entities=[(0, len(person), "PERSON"), (text.index(place), text.index(place) + len(place), "CITY")],
        entity_wrong=[(text.index("Monday"), text.index("Monday") + 6, "PERSON")],
        statements=[GoldStatement((content, text.index(" in May") + 7), (said, said + 4), (0, len(person)))],
        claims=[(claim, text.index("2020.") + 5)],
        claim_unknown=[(text.index("I think"), len(text))],
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """(folder of a model trained for all three layers, the stages reported)."""
    nlp = load_base(default_model(), set(Layer))
    stages = []
    trainer = Trainer(nlp, progress=lambda stage, done, total: stages.append((stage, done, total)))
    trainer.read((_gold(n) for n in range(6)), 6)
    for layer in Layer:
        trainer.train(layer, 1, ["PERSON", "CITY", "SPEAKER"])
    folder = tmp_path_factory.mktemp("model") / "tiny"
    trainer.save(folder)
    write_meta(folder, {"name": "tiny", "version": 1, "origin": "tiny@1", "layers": ["entity", "statement", "claim"]})
    return folder, stages


def test_token_labels_take_the_cue_over_the_source_over_the_content():
    doc = spacy.blank("en")("Smith said taxes would rise, Smith said.")
    labels = token_labels(doc, [(CONTENT, 0, 39), (SOURCE, 0, 5), (CUE, 6, 10), (SOURCE, 6, 10)])
    assert labels == [SOURCE, CUE, CONTENT, CONTENT, CONTENT, CONTENT, CONTENT, CONTENT, O]
    assert token_labels(doc, []) == [O] * len(doc)


def test_a_piece_of_gold_is_shifted_and_cut_at_its_ends():
    gold = _gold(1)
    start = gold.text.index("Unemployment")
    piece = gold.piece(start, len(gold.text))
    assert piece.text == gold.text[start:]
    assert piece.claims == [(0, gold.claims[0][1] - start)]
    assert piece.statements == [] and piece.entities == []  # all of them before the cut
    assert piece.claim_unknown == [(gold.claim_unknown[0][0] - start, len(gold.text) - start)]
    whole = gold.piece(0, len(gold.text))
    assert whole.statements == gold.statements and whole.entities == gold.entities
    assert Gold("x").piece(0, 1).statements is None  # a layer not trained stays so


def test_features_are_the_rules_labels_and_quotes(parsing_pipeline):
    from annotator.nlp.statements import attributions

    doc = parsing_pipeline.nlp('"Taxes will rise soon," Smith said on Monday.')
    features = statement_features(doc, attributions(doc))
    assert features[0] == "CONTENT/q" and features[1] == "CONTENT/q"
    assert features[[t.text for t in doc].index("Smith")] == "SOURCE"
    assert features[[t.text for t in doc].index("said")] == "CUE"
    assert features[-1] == "O"
    assert [claim_feature(x) for x in (0.0, 0.25, 0.99, 1.0)] == ["rule0", "rule2", "rule9", "rule9"]


def test_decoding_keeps_tagged_statements_whose_cue_has_a_tagged_source(parsing_pipeline):
    doc = parsing_pipeline.nlp("Smith said that taxes would rise. Prices fell sharply in May.")
    words = [t.text for t in doc]
    labels = [O] * len(doc)
    labels[words.index("Smith")] = SOURCE
    labels[words.index("said")] = CUE
    for word in ("taxes", "would", "rise"):
        labels[words.index(word)] = CONTENT
    for word in ("Prices", "fell", "sharply"):  # a content with no cue or source: not a statement
        labels[words.index(word)] = CONTENT
    scores = [0.9 if label == CONTENT else 0.1 for label in labels]

    found = decode(doc, labels, scores, [])

    text = doc.text
    assert len(found) == 1
    statement = found[0]
    assert text[slice(*statement.content)] == "taxes would rise"
    assert text[slice(*statement.cue)] == "said" and text[slice(*statement.source)] == "Smith"
    assert statement.score == pytest.approx(0.9)
    # Over a statement the rules found, the rules' cue and source stay; one the tagger has nothing over is kept.
    rule = Attribution(statement.content, (6, 10), (0, 15), (0, 5), "indirect", 0.8)
    may = text.index("May")
    elsewhere = Attribution((may, may + 3), None, None, None, "direct", 0.4)
    found = decode(doc, labels, scores, [rule, elsewhere])
    assert [a.content for a in found] == [statement.content, elsewhere.content]
    assert found[0].source == (0, 15) and found[1] is elsewhere


def test_training_reports_each_stage_and_saves_disabled_components(trained):
    folder, stages = trained
    assert ("Reading documents", 6, 6) in stages
    assert [s for s, done, total in stages if done == total and s.startswith("Training")] == [
        "Training entities (epoch 1 of 1)", "Training statements (epoch 1 of 1)", "Training claims (epoch 1 of 1)"]
    nlp = spacy.load(folder)  # plain spaCy reads it: the trained components are its own factories
    members = {CLAIM_CLASSIFIER, f"{CLAIM_CLASSIFIER}_2", f"{CLAIM_CLASSIFIER}_3"}  # train_claims.MEMBERS
    assert {STATEMENT_TAGGER} | members <= set(nlp.disabled)
    assert "CITY" in nlp.get_pipe("ner").labels  # the project's label, added
    assert nlp.get_pipe("ner").cfg["incorrect_spans_key"] is None  # set for training only
    assert read_meta(folder)["origin"] == "tiny@1"


def test_a_loaded_model_suggests_with_its_components_and_leaves_the_parse_alone(trained, parsing_pipeline):
    folder, _ = trained
    pipeline = load_pipeline(str(folder), set(Layer))
    assert pipeline.origin == "tiny@1" and pipeline.trained == frozenset(Layer)
    text = 'Elena Varga said the vote was rigged. "We will fight it," she added. Prices rose 4 percent in 2020.'

    doc = pipeline.nlp(text)
    base = parsing_pipeline.nlp(text)

    assert [(t.tag_, t.dep_, t.head.i, t.lemma_) for t in doc] == [(t.tag_, t.dep_, t.head.i, t.lemma_) for t in base]
    assert [s.start for s in doc.sents] == [s.start for s in base.sents]
    assert [n for n in pipeline.nlp.pipe_names if n != "annotator_suggester"] == parsing_pipeline.nlp.pipe_names
    assert all(t.ent_kb_id == 0 for t in doc)  # the features were put back
    assert isinstance(doc.user_data[ATTRIBUTIONS], list)
    sentences = doc.user_data[CLAIMS]
    assert len(sentences) == 3 and all(0.0 <= p <= 1.0 for _, _, p in sentences)
    [(_, found)] = list(suggest(pipeline, [(text, "k")], set(Layer)))
    assert all(start >= 0 and end <= len(text) for start, end, _ in found.claims)


def test_entity_only_loading_runs_no_trained_component(trained):
    folder, _ = trained
    pipeline = load_pipeline(str(folder))
    assert pipeline.layers == frozenset({Layer.ENTITY}) and pipeline.origin == "tiny@1"
    doc = pipeline.nlp("Elena Varga said so.")
    assert ATTRIBUTIONS not in doc.user_data and CLAIMS not in doc.user_data
