"""Pre-annotation of all three layers on a real project with the real pipeline."""

import pytest

from annotator.app import main
from annotator.core.model import Document, Layer, State
from annotator.core.vocabulary import CHECKWORTHINESS_CLASSES, SPEAKER
from annotator.services.documents import load_document
from annotator.services.preannotating import pending_count, preannotate
from annotator.store.documents import add_documents

OTHER = ("“We will not give up,” she said, “and we will win this fight.” Unemployment fell to 3.5 percent "
         "in 2019, the lowest rate in 50 years.")


def seed_text(corpus) -> str:
    return next((corpus / "seed").glob("*.txt")).read_text(encoding="utf-8")


def by_layer(project, doc_id):
    loaded = load_document(project, doc_id)
    layers = {layer: [s for s in loaded.spans if s.layer == layer] for layer in Layer}
    return loaded, layers


def test_the_sample_article_gets_statements_with_speakers_and_ranked_claims(any_project, parsing_pipeline, corpus):
    text = seed_text(corpus)
    [doc] = add_documents(any_project, [Document(text, title="seed")]).added
    report = preannotate(any_project, pipeline=parsing_pipeline)
    assert report.documents == 1 and all(report.by_layer[layer] for layer in Layer)
    assert "statements" in report.summary() and "claims" in report.summary()
    loaded, layers = by_layer(any_project, doc.id)
    spans = {s.uid: s for s in loaded.spans}
    speakers = {r.head: spans[r.tail] for r in loaded.relations if r.label == SPEAKER}
    said = {text[s.start : s.start + 30]: s for s in layers[Layer.STATEMENT]}
    ministry = said["In a phone conversation with R"]
    press = said["“In the context of the meeting"]
    assert text[slice(*ministry.attributes["cue"])] == "said" and ministry.state == State.SUGGESTED
    assert text[speakers[ministry.uid].start : speakers[ministry.uid].end] == "the Armenian Foreign Ministry"
    assert speakers[ministry.uid].label == "ORG"  # the entity the recogniser found speaks
    assert text[speakers[press.uid].start : speakers[press.uid].end] == "the Armenian Foreign Ministry’s press service"
    assert press.attributes["kind"] == "direct"
    claims = layers[Layer.CLAIM]
    assert claims and all(0 <= c.attributes["score"] <= 1 for c in claims)
    assert all(c.attributes["checkworthiness"] in CHECKWORTHINESS_CLASSES for c in claims)
    assert {s.origin for s in loaded.spans} == {parsing_pipeline.origin, "statement-rules@1", "claim-rules@1"}
    assert pending_count(any_project) == 0
    again = preannotate(any_project, pipeline=parsing_pipeline)
    assert (again.documents, again.spans) == (0, 0)  # nothing suggested twice


def test_a_project_suggested_for_entities_alone_gets_its_statements_and_claims_later(project, parsing_pipeline):
    [doc] = add_documents(project, [Document(OTHER, title="other")]).added
    first = preannotate(project, pipeline=parsing_pipeline, layers={Layer.ENTITY})
    assert first.by_layer[Layer.STATEMENT] == first.by_layer[Layer.CLAIM] == 0
    assert pending_count(project, {Layer.ENTITY}) == 0 and pending_count(project) == 1
    _, before = by_layer(project, doc.id)
    later = preannotate(project, pipeline=parsing_pipeline)
    loaded, after = by_layer(project, doc.id)
    speakers = [s for s in after[Layer.ENTITY] if s.label == "SPEAKER"]
    assert later.documents == 1 and later.by_layer[Layer.ENTITY] == len(speakers) == 1  # "she"
    assert [(s.start, s.end) for s in after[Layer.ENTITY] if s.label != "SPEAKER"] == [
        (s.start, s.end) for s in before[Layer.ENTITY]]  # no entity suggested twice
    [statement] = after[Layer.STATEMENT]
    assert OTHER[statement.start : statement.end] == OTHER[: OTHER.index("fight.”") + len("fight.”")]
    top = max(after[Layer.CLAIM], key=lambda c: c.attributes["score"])
    assert OTHER[top.start : top.end].startswith("Unemployment fell")


def test_two_processes_suggest_the_same_statements_and_claims_as_one(tmp_path, parsing_pipeline, corpus):
    from annotator.store.project import open_project

    texts = [seed_text(corpus), OTHER]
    results = []
    for n_process in (1, 2):
        project = open_project(tmp_path / f"p{n_process}.annotator.sqlite")
        add_documents(project, [Document(t, title=str(i)) for i, t in enumerate(texts)])
        preannotate(project, pipeline=parsing_pipeline, n_process=n_process, batch_size=1)
        found = set()
        for doc_id in (1, 2):
            loaded = load_document(project, doc_id)
            found |= {(doc_id, s.layer, s.start, s.end, s.label, tuple(sorted(map(str, s.attributes.items()))))
                      for s in loaded.spans}
        results.append(found)
        project.close()
    assert results[0] == results[1] and any(layer == Layer.STATEMENT for _, layer, *_ in results[0])


def test_the_command_line_names_the_layers_and_refuses_what_the_pipeline_cannot(tmp_path, ruler_model, capsys):
    project = str(tmp_path / "p.annotator.sqlite")
    article = tmp_path / "a.txt"
    article.write_text(OTHER, encoding="utf-8")
    assert main(["import", str(article), "--project", project]) == 0
    with pytest.raises(SystemExit):
        main(["--project", project, "preannotate", "--layers", "statement,opinion"])
    assert "expected layers from claim, entity, statement" in capsys.readouterr().err
    code = main(["--project", project, "preannotate", "--model", str(ruler_model), "--layers", "statement"])
    assert code != 0
    assert "has no parser, which statement and claim suggestions read" in capsys.readouterr().err
    assert main(["--project", project, "preannotate", "--layers", "claim"]) == 0
    said = capsys.readouterr().out
    assert "claim" in said and "entities" not in said
