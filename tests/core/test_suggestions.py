"""What becomes a stored suggestion: no suggestion over a stored span of its layer, speakers linked to the
entity that names them or given a span of their own."""

from annotator.core.model import Layer, Span, State
from annotator.core.suggestions import Attribution, Found, Suggesters, to_store
from annotator.core.vocabulary import CHECK_WORTHY, NON_FACTUAL, SPEAKER, SPEAKER_LABEL

TEXT = "The Armenian Foreign Ministry's press service said the talks went well, the Armenian Foreign Ministry said."
RULES = Suggesters("model@1", "statement-rules@1", "claim-rules@1", "QUOTE", "CHECK")


def at(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def said(content: str, source: str, nth_source: int = 0) -> Attribution:
    return Attribution(at(content), at("said"), at(source, nth_source), at(source, nth_source), "indirect", 0.8)


def test_the_entity_that_ends_the_speakers_words_is_the_speaker():
    ministry = Span(*at("the Armenian Foreign Ministry"), "ORG", state=State.ACCEPTED)
    found = Found(attributions=[said("the talks went well", "the Armenian Foreign Ministry")])
    spans, links = to_store(found, RULES, [ministry], {Layer.STATEMENT})
    [statement] = spans
    assert (statement.label, statement.layer, statement.origin, statement.state) == (
        "QUOTE", Layer.STATEMENT, "statement-rules@1", State.SUGGESTED)
    assert statement.attributes == {"kind": "indirect", "score": 0.8, "cue": list(at("said"))}
    assert [(r.head, r.tail, r.label) for r in links] == [(statement.uid, ministry.uid, SPEAKER)]


def test_a_name_that_only_modifies_the_speaker_gets_a_speaker_span_of_its_own():
    ministry = Span(*at("Armenian Foreign Ministry"), "ORG", state=State.SUGGESTED)
    found = Found(attributions=[said("the talks went well", "The Armenian Foreign Ministry's press service")])
    spans, links = to_store(found, RULES, [ministry], {Layer.STATEMENT})
    statement, speaker = spans
    assert (speaker.label, speaker.layer, TEXT[speaker.start : speaker.end]) == (
        SPEAKER_LABEL, Layer.ENTITY, "The Armenian Foreign Ministry's press service")
    assert [(r.head, r.tail) for r in links] == [(statement.uid, speaker.uid)]


def test_nothing_lands_on_a_stored_span_of_its_layer_whatever_its_state():
    rejected = Span(*at("the talks went well"), "QUOTE", Layer.STATEMENT, state=State.REJECTED)
    refused_speaker = Span(*at("the Armenian Foreign Ministry"), SPEAKER_LABEL, state=State.REJECTED)
    found = Found(
        entities=[(*at("the Armenian Foreign Ministry"), "ORG")],
        attributions=[said("the talks went well", "the Armenian Foreign Ministry"),
                      said("press service", "the Armenian Foreign Ministry")],
        claims=[(0, len(TEXT), 0.9)],
    )
    stored = [rejected, refused_speaker, Span(0, 10, "CHECK", Layer.CLAIM)]
    spans, links = to_store(found, RULES, stored, set(Layer))
    assert [(s.layer, TEXT[s.start : s.end]) for s in spans] == [(Layer.STATEMENT, "press service")]
    assert links == []  # the analyst rejected that speaker span once: it is not made again


def test_only_the_layers_asked_for():
    found = Found(entities=[(0, 3, "ORG")], claims=[(0, 10, 0.3)])
    spans, _ = to_store(found, RULES, [], {Layer.ENTITY})
    assert [s.layer for s in spans] == [Layer.ENTITY]


def test_a_claim_keeps_its_score_and_the_schemas_class():
    found = Found(claims=[(0, 20, 0.91), (30, 40, 0.1)])
    spans, _ = to_store(found, RULES, [], {Layer.CLAIM})
    assert [(s.label, s.attributes) for s in spans] == [
        ("CHECK", {"score": 0.91, "checkworthiness": CHECK_WORTHY}),
        ("CHECK", {"score": 0.1, "checkworthiness": NON_FACTUAL}),
    ]
    own = Suggesters("m@1", claim_label="C", checkworthiness=("yes", "no"))
    [high, low] = to_store(found, own, [], {Layer.CLAIM})[0]
    assert (high.attributes["checkworthiness"], low.attributes["checkworthiness"]) == ("yes", "no")


def test_two_statements_of_one_speaker_share_one_speaker_span():
    found = Found(attributions=[said("the talks went well", "the Armenian Foreign Ministry"),
                                said("press service", "the Armenian Foreign Ministry")])
    spans, links = to_store(found, RULES, [], {Layer.STATEMENT})
    assert len([s for s in spans if s.label == SPEAKER_LABEL]) == 1
    assert len({r.tail for r in links}) == 1 and len(links) == 2
