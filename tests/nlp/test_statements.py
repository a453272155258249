"""The statement rules on real sentences, parsed by the real en_core_web_sm."""

from pathlib import Path

import pytest

from annotator.core.vocabulary import DIRECT, INDIRECT
from annotator.nlp.statements import attributions, quotations


def found(pipeline, text: str) -> list[dict]:
    def words(where):
        return None if where is None else text[where[0] : where[1]]

    return [
        {"content": words(a.content), "cue": words(a.cue), "source": words(a.source), "speaker": words(a.speaker),
         "kind": a.kind}
        for a in attributions(pipeline.nlp(text))
    ]


def test_indirect_speech_after_a_speech_verb(parsing_pipeline):
    [statement] = found(parsing_pipeline, "The minister said the talks would resume in March.")
    assert statement == {"content": "the talks would resume in March", "cue": "said", "source": "The minister",
                         "speaker": "The minister", "kind": INDIRECT}


def test_a_quote_split_by_its_attribution_is_one_statement(parsing_pipeline):
    text = "“We will not give up,” she said, “and we will win this fight.”"
    [statement] = found(parsing_pipeline, text)
    assert statement["content"] == text and statement["kind"] == DIRECT
    assert (statement["cue"], statement["source"]) == ("said", "she")


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("“Prices will rise next year,” said the ministry.", "“Prices will rise next year,”"),
        ("The mayor said: «The bridge will reopen in May after the repairs.»",
         "«The bridge will reopen in May after the repairs.»"),
        ('"Prices will rise next year," said the ministry.', '"Prices will rise next year,"'),
        ("‘Prices will rise next year,’ said the ministry.", "‘Prices will rise next year,’"),
        ("''Prices will rise next year,'' said the ministry.", "''Prices will rise next year,''"),
    ],
)
def test_direct_quotes_in_any_marks_with_an_inverted_cue(parsing_pipeline, text, quote):
    [statement] = found(parsing_pipeline, text)
    assert (statement["content"], statement["kind"], statement["cue"]) == (quote, DIRECT, "said")
    assert statement["source"] in ("the ministry", "The mayor")


def test_german_and_french_marks_are_quotations():
    german = "Er sagte: „Wir schaffen das.“ Dann ging er."
    assert quotations(german) == [(german.index("„"), german.index("“") + 1)]
    french = "Il a dit : « Nous gagnerons. »"
    assert quotations(french) == [(french.index("«"), len(french))]
    assert quotations("The Ministry’s press service said it.") == []  # an apostrophe opens nothing


def test_passive_and_according_to(parsing_pipeline):
    [quoted] = found(parsing_pipeline, "The minister was quoted as saying that the talks had failed.")
    assert (quoted["cue"], quoted["source"], quoted["content"]) == (
        "was quoted as saying", "The minister", "that the talks had failed")
    [according] = found(parsing_pipeline, "According to the ministry, 40 people died in the floods.")
    assert (according["cue"], according["source"], according["content"]) == (
        "According to", "the ministry", "40 people died in the floods")


def test_a_pronoun_speaks_for_the_person_named_before_it(parsing_pipeline):
    [statement] = found(parsing_pipeline, "John Smith arrived late on Monday. He said the train had been delayed.")
    assert (statement["source"], statement["speaker"]) == ("He", "John Smith")


def test_cognition_verbs_and_organisations(parsing_pipeline):
    [statement] = found(parsing_pipeline, "The World Bank believes that growth will slow to 2 percent.")
    assert (statement["cue"], statement["source"]) == ("believes", "The World Bank")
    assert statement["content"] == "that growth will slow to 2 percent"


def test_offsets_are_code_points_after_emoji_and_accents(parsing_pipeline):
    text = "👍🏽🇮🇱 Café owners in Zürich 🇨🇭 said the rent had doubled."
    [statement] = found(parsing_pipeline, text)
    assert statement["content"] == "the rent had doubled" and statement["cue"] == "said"
    assert statement["source"] == "Café owners"  # no emoji glued on, the accent whole


def test_the_sample_article_has_the_ministrys_statement_and_its_press_services_quote(parsing_pipeline, corpus):
    text = next((corpus / "seed").glob("*.txt")).read_text(encoding="utf-8")
    statements = found(parsing_pipeline, text)
    ministry = [s for s in statements if s["content"].startswith("In a phone conversation with Russian")]
    assert ministry and ministry[0]["cue"] == "said" and ministry[0]["source"] == "the Armenian Foreign Ministry"
    assert ministry[0]["content"].endswith("enshrined in the trilateral statement of November 9, 2020")
    quote = [s for s in statements if s["content"].startswith("“In the context of the meeting")]
    assert quote and quote[0]["kind"] == DIRECT and quote[0]["content"].endswith("2020,”")
    assert (quote[0]["cue"], quote[0]["source"]) == ("said", "the Armenian Foreign Ministry’s press service")


def test_no_statement_in_plain_narrative(parsing_pipeline):
    assert found(parsing_pipeline, "The river rose overnight and the bridge was closed to traffic.") == []


def test_the_rules_know_their_origin():
    from annotator.nlp import statements

    name, version = statements.ORIGIN.split("@")
    assert name and version  # recorded on every suggestion as name@version
    assert Path(statements.__file__).is_file()


def test_a_tag_set_aside_in_the_clause_it_reports(parsing_pipeline):
    text = "The hashtag, he said, was even more popular with users."
    [statement] = found(parsing_pipeline, text)
    assert (statement["content"], statement["cue"], statement["source"]) == (text[:-1], "said", "he")


@pytest.mark.parametrize(
    ("text", "content", "cue", "source"),
    [
        ("Trump called for a total ban on Muslims entering the country.",
         "a total ban on Muslims entering the country", "called for", "Trump"),
        ("Carl asked Carson about his relationship with a maker of supplements.",
         "about his relationship with a maker of supplements", "asked", "Carl"),
        ("The senator spoke for an hour, saying that the bill would fail.", "that the bill would fail", "saying",
         "The senator"),
        ("Donald Trump, who is battling Carson in the polls, launched his campaign by declaring that Mexico "
         "sends criminals.", "that Mexico sends criminals", "declaring", "Donald Trump"),
    ],
)
def test_prepositions_participles_and_relative_clauses(parsing_pipeline, text, content, cue, source):
    statement = next(s for s in found(parsing_pipeline, text) if s["cue"] == cue)
    assert (statement["content"], statement["source"]) == (content, source)
