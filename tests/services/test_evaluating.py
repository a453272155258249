"""Evaluation on a real SQLite project with the real pipeline: the expected numbers are worked out here
from the gold and from what to_store makes of the pipeline's suggestions, not through evaluate's code."""

import sqlite3
import threading
from dataclasses import replace

import pytest

from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Relation, Span, State, Status
from annotator.core.suggestions import to_store
from annotator.core.vocabulary import CUE, SCORE, SPEAKER, SPEAKER_LABEL, SPEAKER_TEXT
from annotator.nlp.pipelines import load_pipeline
from annotator.nlp.suggest import suggest
from annotator.services.documents import suggested_layers
from annotator.services.evaluating import NO_REVIEWED, NothingToEvaluate, evaluate, reviewed_ids
from annotator.services.evaluation import Comparison, Share
from annotator.services.preannotating import suggesters_for
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit

TEXT_A = (
    'Sergey Lavrov said on Monday that Russia would not send troops to Armenia. "We will talk to everyone," '
    "he told reporters in Moscow. The economy grew by 3 percent last year."
)
TEXT_B = (
    "Elena Varga, the mayor of Riverton, said the bridge would open in May. Unemployment fell to 4.2 percent "
    "in 2020, the ministry reported. I think we should all be kinder."
)
TEXT_C = "The weather was nice in Paris, said Jean Dupont."


def _at(text: str, words: str, label: str, layer: Layer = Layer.ENTITY, state: State = State.ACCEPTED, **attributes):
    start = text.index(words)
    return Span(start, start + len(words), label, layer, "ana", state, attributes, annotator="ana")


def _where(text: str, words: str) -> list[int]:
    start = text.index(words)
    return [start, start + len(words)]


def _store(project, doc_id: int, spans, relations=(), done: bool = True) -> None:
    """As the window saves an analyst's work: one Edit, with their status of the document."""
    apply_edit(project, Edit(doc_id, after=tuple(spans), relations_after=tuple(relations), annotator="ana",
                             status_after=Status.DONE if done else None))


def _documents(project):
    """A done by an annotator's status, B imported as done, C not done (its annotations must not count)."""
    return add_documents(
        project,
        [Document(TEXT_A, title="a"), Document(TEXT_B, title="b", status=Status.DONE), Document(TEXT_C, title="c")],
    ).added


def _suggestions(project, pipeline, docs) -> dict[int, tuple[list[Span], list[Relation]]]:
    """What pre-annotation would store for each document had nobody annotated it: the same texts in the same
    order and batch as evaluate reads them (spaCy's parse can differ slightly with a batch's make-up)."""
    suggesters = suggesters_for(project, pipeline.origin)
    return {
        key: to_store(found, suggesters, [], set(Layer))
        for key, found in suggest(pipeline, [(d.text, d.id) for d in docs], frozenset(Layer))
    }


def _keys(by_doc: dict, layer: Layer) -> set:
    return {(doc, s.start, s.end, s.label) for doc, spans in by_doc.items() for s in spans if s.layer == layer}


def _overlapping(gold: set, predicted: set) -> int:
    """Gold spans some predicted span of the same document and label overlaps (one to one in these texts)."""
    return sum(
        any(d == pd and label == pl and s < pe and ps < e for pd, ps, pe, pl in predicted) for d, s, e, label in gold
    )


def _check(scores, tp: int, predicted: int, gold: int) -> None:
    assert (scores.true_positives, scores.predicted, scores.gold) == (tp, predicted, gold)
    assert scores.precision == pytest.approx(tp / predicted)
    assert scores.recall == pytest.approx(tp / gold)


def test_gold_made_from_the_suggestions_scores_one_everywhere(project, parsing_pipeline):
    a, b, c = _documents(project)
    suggested = _suggestions(project, parsing_pipeline, [a, b])
    for doc in (a, b):
        spans, links = suggested[doc.id]
        _store(project, doc.id, [replace(s, state=State.ACCEPTED, origin="ana") for s in spans], links, done=doc is a)
    _store(project, c.id, [_at(TEXT_C, "Paris", "PERSON")], done=False)

    result = evaluate(project, pipeline=parsing_pipeline)

    assert result.documents == 2 and not result.cancelled and result.layers == frozenset(Layer)
    for layer in Layer:
        for report in (result.scores[layer].exact, result.scores[layer].overlap):
            assert report.overall.gold > 0
            assert (report.overall.precision, report.overall.recall, report.overall.f1) == (1.0, 1.0, 1.0)
            assert all(s.f1 == 1.0 for s in report.labels.values())
    statements = [s for spans, _ in suggested.values() for s in spans if s.layer == Layer.STATEMENT]
    linked = {r.head for _, links in suggested.values() for r in links if r.label == SPEAKER}
    assert result.speaker == Share(len(linked), len(linked)) and len(linked) >= 2
    with_cue = sum(CUE in s.attributes for s in statements)
    assert result.cue == Share(with_cue, with_cue) and with_cue >= 2
    assert result.content.overall.f1 == 1.0
    assert result.claim_ap == 1.0 and result.claims_missed == 0


def test_a_gold_statement_taken_away_lowers_precision_by_exactly_one(project, parsing_pipeline):
    a, b, _c = _documents(project)
    suggested = _suggestions(project, parsing_pipeline, [a, b])
    spans, links = suggested[b.id]
    dropped = next(s for s in spans if s.layer == Layer.STATEMENT)
    spans = [replace(s, state=State.ACCEPTED) for s in spans if s is not dropped]
    _store(project, b.id, spans, [r for r in links if r.head != dropped.uid], done=False)  # B came in done
    spans, links = suggested[a.id]
    _store(project, a.id, [replace(s, state=State.ACCEPTED) for s in spans], links)

    result = evaluate(project, pipeline=parsing_pipeline)

    predicted = _keys({k: v[0] for k, v in suggested.items()}, Layer.STATEMENT)
    for report in (result.scores[Layer.STATEMENT].exact, result.scores[Layer.STATEMENT].overlap):
        _check(report.overall, len(predicted) - 1, len(predicted), len(predicted) - 1)
    assert result.scores[Layer.ENTITY].exact.overall.f1 == 1.0  # the dropped statement's speaker stays
    linked = {r.head for _, links in suggested.values() for r in links if r.label == SPEAKER} - {dropped.uid}
    assert result.speaker == Share(len(linked), len(linked))
    characters = sum(e - s for _, s, e, _ in predicted)  # suggested statements never overlap
    assert result.content.overall.precision == pytest.approx((characters - (dropped.end - dropped.start)) / characters)
    assert result.content.overall.recall == 1.0


def test_hand_made_gold(project, parsing_pipeline):
    a, b, c = _documents(project)
    lavrov, moscow = _at(TEXT_A, "Sergey Lavrov", "PERSON"), _at(TEXT_A, "Moscow", "GPE")
    said = _at(TEXT_A, "Russia would not send troops to Armenia", "STATEMENT", Layer.STATEMENT,
               cue=_where(TEXT_A, "said"))
    quoted = _at(TEXT_A, "We will talk to everyone,", "STATEMENT", Layer.STATEMENT, cue=_where(TEXT_A, "told"))
    gold_a = [
        lavrov, _at(TEXT_A, "Russia", "GPE"), _at(TEXT_A, "Armenia", "GPE", state=State.EDITED), moscow,
        _at(TEXT_A, "Monday", "DATE", state=State.REJECTED),  # neither is gold: the model's DATEs are wrong here
        _at(TEXT_A, "last year", "DATE", state=State.SUGGESTED),
        said, quoted, _at(TEXT_A, "The economy grew by 3 percent last year.", "CLAIM", Layer.CLAIM),
    ]
    # The quote's speaker is Lavrov ("he"); the analyst's link to Moscow is there to be wrong.
    _store(project, a.id, gold_a, [Relation(said.uid, lavrov.uid, SPEAKER), Relation(quoted.uid, moscow.uid, SPEAKER)])
    unemployment = _at(TEXT_B, "Unemployment fell to 4.2 percent in 2020", "STATEMENT", Layer.STATEMENT,
                       **{SPEAKER_TEXT: "The Ministry", CUE: _where(TEXT_B, "said")})  # the cue is "reported"
    gold_b = [
        _at(TEXT_B, "Elena Varga", "PERSON"), _at(TEXT_B, "Riverton", "GPE"), unemployment,
        _at(TEXT_B, "I think we should all be kinder.", "CLAIM", Layer.CLAIM),  # scores too low to be suggested
    ]
    _store(project, b.id, gold_b, done=False)
    _store(project, c.id, [_at(TEXT_C, "Paris", "PERSON"), _at(TEXT_C, "The weather was nice", "CLAIM", Layer.CLAIM)],
           done=False)

    result = evaluate(project, pipeline=parsing_pipeline)
    assert result.documents == 2

    suggested = _suggestions(project, parsing_pipeline, [a, b])
    predicted = {key: spans for key, (spans, _) in suggested.items()}
    gold = {a.id: [s for s in gold_a if s.state in (State.ACCEPTED, State.EDITED)], b.id: gold_b}
    for layer in Layer:
        p, g = _keys(predicted, layer), _keys(gold, layer)
        _check(result.scores[layer].exact.overall, len(p & g), len(p), len(g))
        _check(result.scores[layer].overlap.overall, _overlapping(g, p), len(p), len(g))
    assert result.scores[Layer.ENTITY].exact.overall.gold == 6  # not the rejected or unreviewed DATEs
    assert result.scores[Layer.STATEMENT].exact.overall.true_positives == 1  # only "Unemployment ..." exactly
    assert result.scores[Layer.STATEMENT].overlap.overall.true_positives == 3

    # Speakers: Lavrov right, Moscow wrong, "the ministry" right by its words, whatever their case.
    by_uid = {s.uid: s for spans in predicted.values() for s in spans}
    speaker_of = {by_uid[r.head].start: by_uid[r.tail] for _, links in suggested.values() for r in links}
    assert TEXT_A[slice(*_range(speaker_of[TEXT_A.index("that Russia")]))] == "Sergey Lavrov"
    assert TEXT_A[slice(*_range(speaker_of[TEXT_A.index('"We will')]))] == "Sergey Lavrov"
    assert TEXT_B[slice(*_range(speaker_of[TEXT_B.index("Unemployment")]))] == "the ministry"
    assert result.speaker == Share(2, 3)
    cues = {s.start: s.attributes[CUE] for s in predicted[a.id] + predicted[b.id] if s.layer == Layer.STATEMENT}
    assert cues[TEXT_A.index("that Russia")] == _where(TEXT_A, "said")
    assert cues[TEXT_A.index('"We will')] == _where(TEXT_A, "told")
    assert cues[TEXT_B.index("Unemployment")] == _where(TEXT_B, "reported")
    assert result.cue == Share(2, 3)

    gold_chars = {(d, i) for d, s, e, _ in _keys(gold, Layer.STATEMENT) for i in range(s, e)}
    predicted_chars = {(d, i) for d, s, e, _ in _keys(predicted, Layer.STATEMENT) for i in range(s, e)}
    shared = len(gold_chars & predicted_chars)
    precision, recall = shared / len(predicted_chars), shared / len(gold_chars)
    assert result.content.overall.f1 == pytest.approx(2 * precision * recall / (precision + recall))

    assert result.claim_ap == pytest.approx(_average_precision(predicted, gold))
    assert result.claims_missed == 1 and 0 < result.claim_ap < 1


def _range(span: Span) -> tuple[int, int]:
    return span.start, span.end


def _average_precision(predicted: dict, gold: dict) -> float:
    """By the definition: claims by score, each positive where it overlaps a gold claim, then the gold
    claims no suggestion overlaps, last; the mean of the precision at each positive."""
    golds = [(d, s.start, s.end) for d, spans in gold.items() for s in spans if s.layer == Layer.CLAIM]
    claims = [(d, s) for d, spans in predicted.items() for s in spans if s.layer == Layer.CLAIM]
    scores = [s.attributes[SCORE] for _, s in claims]
    assert len(set(scores)) == len(scores)  # no ties: the plain definition applies
    ranked = [any(d == gd and s.start < ge and gs < s.end for gd, gs, ge in golds)
              for d, s in sorted(claims, key=lambda c: -c[1].attributes[SCORE])]
    found = {g for g in golds for d, s in claims if d == g[0] and s.start < g[2] and g[1] < s.end}
    ranked += [True] * len(set(golds) - found)
    precisions = [sum(ranked[: i + 1]) / (i + 1) for i, positive in enumerate(ranked) if positive]
    return sum(precisions) / len(precisions)


def test_nothing_is_stored(project, parsing_pipeline):
    docs = _documents(project)
    _store(project, docs[0].id, [_at(TEXT_A, "Sergey Lavrov", "PERSON")])

    def snapshot():
        with sqlite3.connect(project.path) as conn:
            return [
                conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("spans", "relations", "document_statuses")
            ] + [conn.execute("SELECT id, suggested_by, suggested_layers, updated FROM documents").fetchall()]

    before = snapshot()
    layers = [suggested_layers(project, d.id) for d in docs]
    result = evaluate(project, pipeline=parsing_pipeline)
    assert result.documents == 2 and result.scores[Layer.ENTITY].exact.overall.predicted > 0
    assert snapshot() == before
    assert [suggested_layers(project, d.id) for d in docs] == layers == [0, 0, 0]


def test_without_reviewed_documents_it_says_so_before_loading_a_model(project):
    add_documents(project, [Document(TEXT_A), Document(TEXT_B, status=Status.SKIPPED)])
    with pytest.raises(NothingToEvaluate, match=NO_REVIEWED):
        evaluate(project, "no_such_pipeline")


def test_reviewed_means_done_by_the_latest_status_or_by_any_annotator(project):
    ids = [d.id for d in add_documents(project, [Document(f"text {i}", status=Status.DONE if i in (1, 4) else
                                                          Status.NEW) for i in range(1, 7)]).added]
    for doc_id, annotator, status in [(ids[1], "ana", Status.DONE), (ids[2], "ana", Status.DONE),
                                      (ids[2], "bob", Status.IN_PROGRESS), (ids[3], "bob", Status.IN_PROGRESS),
                                      (ids[4], "ana", Status.SKIPPED)]:
        apply_edit(project, Edit(doc_id, annotator=annotator, status_after=status))
    # 1: imported done; 2: ana's; 3: ana's, though bob reopened it; 4: imported done, then reopened.
    assert reviewed_ids(project) == ids[:3]


def test_only_the_layers_asked_for(project, parsing_pipeline):
    a, _b, _c = _documents(project)
    speaker = _at(TEXT_A, "Sergey", SPEAKER_LABEL)
    _store(project, a.id, [_at(TEXT_A, "Moscow", "GPE"), speaker])
    result = evaluate(project, layers={Layer.ENTITY}, pipeline=parsing_pipeline)
    assert set(result.scores) == {Layer.ENTITY} and result.speaker is None and result.claim_ap is None
    # Without statements nothing suggests speakers: the analyst's are left out of the entity scores.
    assert SPEAKER_LABEL not in result.scores[Layer.ENTITY].exact.labels
    assert result.scores[Layer.ENTITY].exact.overall.gold == 1
    assert "statement" not in result.table() and "Statements:" not in result.table()


def test_an_entity_only_pipeline_evaluates_entities_and_cancels_between_documents(project, ruler_model):
    docs = add_documents(project, [Document(f"{i}: Sergey Lavrov spoke in Moscow.", status=Status.DONE)
                                   for i in range(5)]).added
    _store(project, docs[0].id, [_at(docs[0].text, "Sergey Lavrov", "PERSON")], done=False)
    cancel, seen = threading.Event(), []

    def progress(done, total):
        seen.append((done, total))
        if done == 2:
            cancel.set()

    result = evaluate(project, pipeline=load_pipeline(str(ruler_model)), progress=progress, cancel=cancel)
    assert result.cancelled and result.documents == 2 and seen == [(0, 5), (1, 5), (2, 5)]
    assert set(result.scores) == {Layer.ENTITY}
    assert result.not_evaluated == "statements and claims not evaluated: en_test_ruler@0.0.1 has no parser"
    _check(result.scores[Layer.ENTITY].exact.overall, 1, 4, 1)  # PERSON and GPE in each of two documents
    assert "cancelled" in result.table()


# --- the measures on spans made by hand: no project, no model ---------------------------------------------


def test_speakers_match_by_overlap_or_by_their_words_and_cues_by_overlap():
    text = "The Ministry said prices rose. Anna Berg told them: wages fell. Nobody knows why it rained."
    stated = [_at(text, "prices rose", "STATEMENT", Layer.STATEMENT, cue=_where(text, "said")),
              _at(text, "wages fell", "STATEMENT", Layer.STATEMENT, **{SPEAKER_TEXT: "anna  BERG"}),
              _at(text, "why it rained", "STATEMENT", Layer.STATEMENT, cue=_where(text, "knows"))]
    ministry = _at(text, "The Ministry", "ORG")
    guesses = [_at(text, "said prices rose", "STATEMENT", Layer.STATEMENT, cue=_where(text, "Ministry said")),
               _at(text, "wages", "STATEMENT", Layer.STATEMENT, cue=_where(text, "told")),
               _at(text, "it rained", "STATEMENT", Layer.STATEMENT)]  # no cue: a wrong one
    spoken = [_at(text, "Ministry", SPEAKER_LABEL), _at(text, "Anna Berg", "PERSON"), _at(text, "Nobody", "PERSON")]
    comparison = Comparison(frozenset(Layer))
    comparison.add("doc", text, [*stated, ministry], [Relation(stated[0].uid, ministry.uid, SPEAKER)],
                   [*guesses, *spoken], [Relation(g.uid, s.uid, SPEAKER) for g, s in zip(guesses, spoken)])
    result = comparison.result("m@1")
    assert result.speaker == Share(2, 2)  # "Nobody"'s statement has no gold speaker: not counted
    assert result.cue == Share(1, 2)  # "wages fell" has no gold cue: not counted
    assert result.scores[Layer.STATEMENT].overlap.overall.true_positives == 3


def test_claim_average_precision_ranks_missed_claims_last_and_ties_as_one_threshold():
    text = "x" * 60
    gold = [_at(text, "x" * 10, "CLAIM", Layer.CLAIM)]
    gold += [replace(gold[0], start=s, end=s + 10, uid=f"g{s}") for s in (20, 40)]
    predicted = [replace(gold[0], start=s, end=e, attributes={SCORE: score}, uid=f"p{s}")
                 for s, e, score in [(0, 10, 0.9), (12, 18, 0.5), (25, 35, 0.5)]]
    comparison = Comparison(frozenset({Layer.CLAIM}))
    comparison.add("doc", text, gold, [], predicted, [])
    result = comparison.result("m@1")
    # 0.9 right (1/1); the 0.5 pair together, one right (2/3); the claim at 40 never suggested, last (3/4).
    assert result.claim_ap == pytest.approx((1 + 2 / 3 + 3 / 4) / 3)
    assert (result.claims_ranked, result.claims_missed) == (4, 1)


def test_no_gold_claim_and_no_suggested_claim_has_no_average_precision():
    comparison = Comparison(frozenset({Layer.CLAIM, Layer.STATEMENT}))
    comparison.add("doc", "Nothing here.", [], [], [], [])
    result = comparison.result("m@1")
    assert result.claim_ap is None and result.speaker == Share(0, 0) and result.speaker.value is None
    assert "average precision n/a" in result.table() and "speaker accuracy n/a" in result.table()
    assert result.as_dict()["layers"]["claim"]["average_precision"]["value"] is None
