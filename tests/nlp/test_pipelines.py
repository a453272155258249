import pytest

from annotator.core.errors import ModelError
from annotator.core.model import Layer, State
from annotator.nlp.pipelines import load_pipeline
from annotator.nlp.suggest import suggest_entities

TEXT = "Hi 😀 Sergey Lavrov said. 🇷🇺 Lavrov met 👩🏽‍🔬 in Moscow, café Lavrov."


def test_a_pipeline_folder_loads_and_suggests_code_point_offsets(ruler_model):
    pipeline = load_pipeline(str(ruler_model))
    assert pipeline.origin == "en_test_ruler@0.0.1"
    [(key, spans)] = list(suggest_entities(pipeline, [(TEXT, 7)]))
    assert key == 7
    assert [(TEXT[s.start : s.end], s.label) for s in spans] == [
        ("Sergey Lavrov", "PERSON"),
        ("Lavrov", "PERSON"),
        ("Moscow", "GPE"),
        ("Lavrov", "PERSON"),
    ]
    assert {(s.layer, s.state, s.origin) for s in spans} == {(Layer.ENTITY, State.SUGGESTED, "en_test_ruler@0.0.1")}


def test_unknown_pipelines_and_files_give_one_clear_error(tmp_path):
    with pytest.raises(ModelError, match="cannot load the spaCy pipeline 'no_such_pipeline'"):
        load_pipeline("no_such_pipeline")
    not_a_folder = tmp_path / "model.txt"
    not_a_folder.write_text("x")
    with pytest.raises(ModelError, match="a pipeline is a folder"):
        load_pipeline(str(not_a_folder))


def test_a_pipeline_without_an_entity_recogniser_is_refused(tmp_path):
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "sents")
    with pytest.raises(ModelError, match="has no entity recogniser"):
        load_pipeline(str(tmp_path / "sents"))


@pytest.mark.model
def test_default_pipeline_runs_only_what_entities_need_and_finds_the_same_entities_in_the_sample(real_pipeline, corpus):
    import spacy

    assert real_pipeline.nlp.pipe_names == ["ner"]
    text = (corpus / "seed" / "000_9e3e56c2a80dc7e3.txt").read_text(encoding="utf-8")
    full = spacy.load(real_pipeline.nlp.meta["lang"] + "_" + real_pipeline.nlp.meta["name"])
    expected = [(e.start_char, e.end_char, e.label_) for e in full(text).ents]
    [(_, spans)] = list(suggest_entities(real_pipeline, [(text, 0)]))
    assert [(s.start, s.end, s.label) for s in spans] == expected


def test_long_articles_go_in_pieces_and_offsets_stay_exact(ruler_model):
    import re

    from annotator.nlp import suggest

    paragraph = "Filler words 😀 of a long interview go on here. Sergey Lavrov spoke in Moscow.\n"
    text = paragraph * 300  # ~24,000 characters: three pieces
    assert len(list(suggest.piece_bounds(text))) == 3
    pipeline = load_pipeline(str(ruler_model))
    [(key, spans), (key2, spans2)] = list(suggest_entities(pipeline, [(text, "long"), ("Lavrov.", "short")]))
    expected = [(m.start(), m.end()) for m in re.finditer("Sergey Lavrov|Moscow", text)]
    assert key == "long" and [(s.start, s.end) for s in spans] == expected
    assert {text[s.start : s.end] for s in spans} == {"Sergey Lavrov", "Moscow"}
    assert key2 == "short" and [(s.start, s.end) for s in spans2] == [(0, 6)]


def test_piece_bounds_cover_the_text_exactly_once():
    from annotator.nlp.suggest import piece_bounds

    for text in ("", "short", "a" * 250, ("word " * 30 + "\n") * 40, "x" * 1000):
        bounds = list(piece_bounds(text, size=100))
        assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
        assert all(0 < end - start <= 100 for start, end in bounds) or text == ""
