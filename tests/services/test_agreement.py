"""Agreement on real projects: a SQLite file with three annotators' spans, statuses and speaker links,
and PolNeAR's four articles annotated by the same six people, checked against nltk's AnnotationTask
on the same token labelling."""

from __future__ import annotations

from itertools import combinations

import pytest
from nltk.metrics import agreement as nltk_agreement  # the test oracle (the dev extra), never a runtime dependency

from annotator.core.agreement import OUTSIDE, token_labels, tokens
from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Relation, Span, State, Status
from annotator.core.vocabulary import CHECKWORTHINESS, KIND, SPEAKER, SPEAKER_LABEL
from annotator.services.agreement import NotEnoughAnnotators, agreement, annotations_of, as_json, table
from annotator.services.importing import import_paths
from annotator.store.annotated import annotated_batches
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit


FIRST = "Maria Lopez said prices will fall. The ministry spent 4 million on roads."
SECOND = "The mayor said the bridge will open in May."
THIRD = "Nobody said anything here."


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def tag(project, doc_id: int, who: str, spans: list[Span], relations=(), status=Status.DONE) -> None:
    mine = tuple(s.with_changes(annotator=who, origin=who, document_id=doc_id) for s in spans)
    apply_edit(project, Edit(doc_id, after=mine, relations_after=tuple(relations), annotator=who,
                             status_after=status))


def statement(text, words, speaker_words=None, kind="indirect"):
    content = Span(*at(text, words), "STATEMENT", Layer.STATEMENT, attributes={KIND: kind})
    if speaker_words is None:
        return [content], []
    speaker = Span(*at(text, speaker_words), SPEAKER_LABEL, Layer.ENTITY)
    return [content, speaker], [Relation(content.uid, speaker.uid, SPEAKER)]


@pytest.fixture
def three(project):
    first, second, third = add_documents(project, [Document(FIRST, title="Prices"), Document(SECOND, title="Bridge"),
                                                   Document(THIRD, title="Nothing")]).added
    for who, words, speaker in (("ana", "prices will fall", "Maria Lopez"), ("ben", "prices will fall", "Maria"),
                                ("cy", "said prices will fall", "Lopez")):
        spans, links = statement(FIRST, words, speaker)
        claim = Span(*at(FIRST, "The ministry spent 4 million on roads."), "CLAIM", Layer.CLAIM,
                     attributes={CHECKWORTHINESS: "check-worthy factual" if who != "cy" else "non-factual"})
        tag(project, first.id, who, [Span(*at(FIRST, "Maria Lopez"), "PERSON"), *spans, claim], links)
    # On the second article ana and ben disagree; cy never opened it (missing, not "no spans").
    spans, links = statement(SECOND, "the bridge will open in May", "The mayor")
    tag(project, second.id, "ana", spans, links)
    tag(project, second.id, "ben", [Span(*at(SECOND, "The mayor"), "PERSON")])
    # Everyone looked at the third and found nothing: agreement on nothing, and a status makes it annotated.
    for who in ("ana", "ben", "cy"):
        tag(project, third.id, who, [], status=Status.IN_PROGRESS)
    # A suggestion nobody reviewed and a rejected span are nobody's answer.
    tag(project, third.id, "cy", [Span(0, 6, "PERSON", state=State.REJECTED)], status=Status.IN_PROGRESS)
    return project


def test_three_annotators_on_a_real_project(three):
    result = agreement(three)
    assert result.annotators == ("ana", "ben", "cy") and result.kappa_name == "Fleiss"
    assert result.documents == 3 and result.all_annotated == 2
    pairs = {(p.first, p.second): p for p in result.pairs}
    assert [pairs[key].documents for key in (("ana", "ben"), ("ana", "cy"), ("ben", "cy"))] == [3, 2, 2]
    ana_ben = pairs["ana", "ben"].layers
    assert ana_ben[Layer.ENTITY].exact.overall.f1 == pytest.approx(2 / 3)  # Maria Lopez; ben's mayor alone
    assert ana_ben[Layer.STATEMENT].exact.overall.f1 == pytest.approx(2 / 3)
    # "Maria" and "Maria Lopez" overlap: the same speaker; the kinds agree; cy's claim is another class.
    assert ana_ben[Layer.STATEMENT].attributes[SPEAKER].agreed == 1
    ana_cy = pairs["ana", "cy"].layers
    assert ana_cy[Layer.STATEMENT].exact.overall.f1 == 0.0 and ana_cy[Layer.STATEMENT].overlap.overall.f1 == 1.0
    assert ana_cy[Layer.CLAIM].attributes[CHECKWORTHINESS].agreed == 0
    # The rejected span is not an entity of cy's: ana and cy agree on every entity token.
    assert ana_cy[Layer.ENTITY].token_kappa.value == 1.0
    assert [d.title for d in result.disagreements][0] == "Bridge"
    assert result.disagreements[-1].disagreement is None  # nobody labelled a token of "Nothing"


def test_the_curated_gold_is_no_annotator_of_its_own(three):
    from annotator.core.curation import GOLD

    first = next(d for d, *_ in (b for batch in annotated_batches(three) for b in batch) if d.title == "Prices")
    tag(three, first.id, GOLD, [Span(*at(FIRST, "Maria Lopez"), "PERSON")])
    assert agreement(three).annotators == ("ana", "ben", "cy")
    assert GOLD in agreement(three, annotators=["ana", GOLD]).annotators  # named, it is compared


def test_token_coefficients_equal_nltk_on_the_same_labelling(three):
    result = agreement(three, [Layer.STATEMENT], ["ana", "ben"])
    rows = _labelled(three, ["ana", "ben"], Layer.STATEMENT)
    oracle = nltk_agreement.AnnotationTask(rows)
    found = result.pairs[0].layers[Layer.STATEMENT]
    assert found.token_kappa.value == pytest.approx(oracle.kappa())
    assert found.token_alpha.value == pytest.approx(oracle.alpha())


def test_table_and_json(three):
    result = agreement(three, annotators=["ana", "ben"])
    text = table(result)
    assert "ana – ben: 3 document(s) both annotated" in text and "Bridge" in text
    data = as_json(result)
    assert data["overall"]["kappa"] == "Cohen" and data["pairs"][0]["annotators"] == ["ana", "ben"]
    assert data["documents_by_disagreement"][0]["title"] == "Bridge"


def test_too_few_or_unknown_annotators(three):
    with pytest.raises(NotEnoughAnnotators, match="two annotators or more"):
        agreement(three, annotators=["ana"])
    with pytest.raises(NotEnoughAnnotators, match="no annotations by zed"):
        agreement(three, annotators=["ana", "zed"])


def _labelled(project, names: list[str], layer: Layer, only_all: bool = True) -> list[tuple[str, tuple, str]]:
    """(coder, item, label) of every token, each annotator's spans of ``layer`` labelling it as
    core.agreement_compare does; the documents everyone annotated (``only_all``), else each one's own."""
    rows = []
    for batch in annotated_batches(project):
        for document, spans, relations, statuses in batch:
            doc = annotations_of(document, spans, relations, statuses, names)
            if only_all and not set(names) <= doc.annotated:
                continue
            ranges = tokens(doc.text)
            for name in names:
                if name not in doc.annotated:
                    continue
                keys = [(s.start, s.end, s.label) for s in doc.spans.get(name, []) if s.layer == layer]
                rows += [(name, (doc.key, i), label) for i, label in enumerate(token_labels(ranges, keys))]
    return rows


@pytest.mark.corpus
def test_polnear_six_annotators_against_nltk(project, corpus):
    folder = corpus / "annotated" / "polnear_multi_annotator"
    assert folder.is_dir(), f"{folder} is missing from the shared corpus"
    report = import_paths(project, [folder / "attributions"])
    assert report.ok or all(p.warning for p in report.problems)
    result = agreement(project, [Layer.STATEMENT])
    assert len(result.annotators) == 6 and result.documents == 4 and result.all_annotated == 4
    rows = _labelled(project, list(result.annotators), Layer.STATEMENT)
    assert any(label != OUTSIDE for _, _, label in rows)
    oracle = nltk_agreement.AnnotationTask(rows)
    overall = result.overall[Layer.STATEMENT]
    assert overall.token_kappa.value == pytest.approx(oracle.pi())  # Fleiss' κ: nltk's multi-π
    assert overall.token_alpha.value == pytest.approx(oracle.alpha())
    for pair in result.pairs:
        assert pair.layers[Layer.STATEMENT].token_kappa.value == pytest.approx(
            oracle.kappa_pairwise(pair.first, pair.second))
    mean_kappa = sum(p.layers[Layer.STATEMENT].token_kappa.value for p in result.pairs) / len(result.pairs)
    assert mean_kappa == pytest.approx(oracle.kappa())
    # The figures docs/agreement.md gives (rounded there to three places).
    assert overall.token_kappa.value == pytest.approx(0.855, abs=5e-4)
    assert overall.exact.overall.f1 == pytest.approx(0.699, abs=5e-4)
    assert overall.overlap.overall.f1 == pytest.approx(0.841, abs=5e-4)
    assert len(list(combinations(result.annotators, 2))) == len(result.pairs) == 15
