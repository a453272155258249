"""Name matching for the registry: which entry each mention is suggested for, and why."""

from annotator.core.registry import (
    GPE,
    ORG,
    PERSON,
    KnownEntry,
    Mention,
    display_name,
    key,
    kind_of,
    suggest,
)

LAVROV = KnownEntry(1, "Sergey Lavrov", PERSON)
MINISTRY = KnownEntry(2, "Armenian Foreign Ministry", ORG)


def only(suggestions, span_id):
    [found] = [s for s in suggestions if span_id in s.span_ids]
    return found


def test_titles_nationality_and_possessive_are_stripped_from_a_persons_name():
    assert key("Russian Foreign Minister Sergey Lavrov") == "sergey lavrov"
    assert key("U.S. Secretary of State Mike Pompeo's") == "mike pompeo"
    assert key("Kremlin spokesman Dmitry Peskov") == "dmitry peskov"
    assert key("Mr. Smith") == "smith"
    assert display_name("Russian Foreign Minister Sergey Lavrov’s") == "Sergey Lavrov"
    assert key("the President") == "president"  # a name that is all title keeps its words


def test_an_entity_label_gives_the_kind_and_dates_name_nobody():
    assert (kind_of("PERSON"), kind_of("ORG"), kind_of("LOC"), kind_of("NORP")) == (PERSON, ORG, GPE, "OTHER")
    assert kind_of("DATE") is None and kind_of("SPEAKER") == ""


def test_the_same_name_under_a_title_links_to_the_entry():
    found = suggest([Mention(10, 1, 0, "Russian Foreign Minister Sergey Lavrov", PERSON)], [LAVROV])
    assert [(s.entry_id, s.reason, s.span_ids) for s in found] == [(1, "same name", (10,))]


def test_a_surname_follows_the_full_name_mentioned_in_the_same_article():
    mentions = [Mention(10, 1, 0, "Sergey Lavrov", PERSON), Mention(11, 1, 90, "Lavrov", PERSON)]
    found = suggest(mentions, [LAVROV, KnownEntry(3, "Anna Lavrov", PERSON)])
    surname = only(found, 11)
    assert (surname.entry_id, surname.reason) == (1, "surname of Sergey Lavrov in this article")
    # in an article without the full name, two Lavrovs in the registry leave a lone surname unlinked
    alone = suggest([Mention(12, 2, 0, "Lavrov", PERSON)], [LAVROV, KnownEntry(3, "Anna Lavrov", PERSON)])
    assert all(s.entry_id is None for s in alone)


def test_a_surname_follows_an_article_full_name_that_is_linked_already():
    mentions = [Mention(10, 1, 0, "Sergey Lavrov", PERSON, entry_id=1), Mention(11, 1, 90, "Lavrov", PERSON)]
    assert [(s.entry_id, s.span_ids) for s in suggest(mentions, [LAVROV])] == [(1, (11,))]


def test_cyrillic_lavrov_is_suggested_for_the_entry_lavrov():
    found = suggest([Mention(20, 5, 0, "Лавров", PERSON)], [KnownEntry(4, "Lavrov", PERSON)])
    assert [(s.entry_id, s.reason) for s in found] == [(4, "transliteration")]
    # and for the full name's entry as his surname, saying it was transliterated
    found = suggest([Mention(20, 5, 0, "Лавров", PERSON)], [LAVROV])
    assert [(s.entry_id, s.reason) for s in found] == [(1, "surname of Sergey Lavrov in other articles (transliterated)")]


def test_armenias_foreign_ministry_is_the_armenian_foreign_ministry():
    mentions = [Mention(30, 1, 0, "The Armenian Foreign Ministry", ORG), Mention(31, 2, 0, "Armenia's Foreign Ministry", ORG),
                Mention(32, 3, 0, "the Armenian Foreign Ministry", "")]  # a speaker span of no kind
    found = suggest(mentions, [MINISTRY])
    assert [(s.entry_id, s.reason, sorted(s.span_ids)) for s in found] == [(2, "same name", [30, 31, 32])]
    # with no entry yet: one new entry for all three, an organisation
    [new] = suggest(mentions, [])
    assert (new.entry_id, new.kind, sorted(new.span_ids)) == (None, ORG, [30, 31, 32])
    assert new.new_name in ("Armenian Foreign Ministry", "Armenia Foreign Ministry")


def test_a_close_spelling_is_a_fuzzy_suggestion_with_its_score():
    [found] = suggest([Mention(40, 1, 0, "Sergei Lavrov", PERSON)], [LAVROV])
    assert found.entry_id == 1 and found.reason.startswith("fuzzy ") and int(found.reason.split()[1]) >= 90
    assert found.score < 0.9  # less sure than the same name
    assert all(s.entry_id is None for s in suggest([Mention(41, 1, 0, "Sergey Ryabkov", PERSON)], [LAVROV]))


def test_different_kinds_are_never_matched():
    mentions = [Mention(50, 1, 0, "Georgia", GPE), Mention(51, 1, 20, "Sergey Lavrov", ORG),
                Mention(52, 1, 40, "Sergei Lavrov", ORG)]
    found = suggest(mentions, [KnownEntry(5, "Georgia", PERSON), LAVROV])
    assert all(s.entry_id is None for s in found)
    assert {s.kind for s in found} == {GPE, ORG}


def test_unmatched_mentions_are_grouped_into_suggested_new_entries_never_linked():
    mentions = [Mention(60, 1, 0, "President Vladimir Putin", PERSON), Mention(61, 1, 50, "Putin", PERSON),
                Mention(62, 2, 0, "Vladimir Putin", PERSON), Mention(63, 3, 0, "he", ""),
                Mention(64, 3, 5, "Moscow", GPE), Mention(65, 4, 0, "Moscow", GPE), Mention(66, 4, 9, "Friday", None)]
    found = suggest(mentions, [])
    assert all(s.is_new for s in found)
    putin = only(found, 60)
    assert (putin.new_name, sorted(putin.span_ids), putin.kind) == ("Vladimir Putin", [60, 61, 62], PERSON)
    assert "surname" in putin.reason
    assert sorted(only(found, 64).span_ids) == [64, 65]
    assert not any(63 in s.span_ids or 66 in s.span_ids for s in found)  # a pronoun, a date


# Phrases below are real speaker spans and entities of a month of US political news (PolNeAR, June 2016).
SPEAKER = ""  # a statement's speaker span: nobody said its kind


def test_a_surname_two_people_share_is_ambiguous_across_articles_unless_the_article_or_mrs_says_who():
    mentions = [Mention(1, 14, 0, "Bill Clinton", PERSON),
                Mention(2, 33, 0, "Hillary Clinton", SPEAKER), Mention(3, 33, 90, "Clinton", SPEAKER),
                Mention(4, 68, 0, "Clinton", SPEAKER), Mention(5, 40, 0, "Mrs. Clinton", SPEAKER)]
    found = suggest(mentions, [])
    hillary = only(found, 2)
    assert (hillary.new_name, hillary.kind, sorted(hillary.span_ids)) == ("Hillary Clinton", PERSON, [2, 3, 5])
    assert only(found, 1).span_ids == (1,)  # Bill keeps his own mention only
    alone = only(found, 4)
    assert (alone.new_name, alone.span_ids) == ("Clinton", (4,))  # which Clinton? the analyst says
    # an entry for Bill does not take the bare surname either while Hillary is named in the project
    bill = KnownEntry(7, "Bill Clinton", PERSON)
    assert all(s.entry_id != 7 for s in suggest(mentions[1:], [bill]))
    # with no other Clinton in the project, the entry takes it
    assert only(suggest([Mention(4, 68, 0, "Clinton", SPEAKER)], [bill]), 4).entry_id == 7


def test_descriptors_titles_and_appositions_around_a_name_are_stripped():
    cases = {
        "Presumptive Democratic presidential nominee Hillary Clinton": "Hillary Clinton",
        "Democrat Hillary Clinton": "Hillary Clinton",
        "The finance minister, Lou Jiwei,": "Lou Jiwei",
        "Montana Sen. Jon Tester, chairman of the Democratic Senatorial Campaign Committee,": "Jon Tester",
        "the secretary of the Treasury, Jacob J. Lew,": "Jacob J Lew",
        "Senate Minority Leader Harry M. Reid (D-Nev.)": "Harry M Reid",
        "Gallup’s Jeffrey M. Jones": "Jeffrey M Jones",
        "Chancellor Angela Merkel of Germany": "Angela Merkel",
        "Sanders's campaign manager, Jeff Weaver,": "Jeff Weaver",
        "Byrne — who was posted at the door to the Oval Office for three years —": "Byrne",
    }
    assert {text: display_name(text, SPEAKER) for text in cases} == cases
    mentions = [Mention(1, 1, 0, "Presumptive Democratic presidential nominee Hillary Clinton", SPEAKER),
                Mention(2, 2, 0, "Hillary Clinton", SPEAKER)]
    [new] = suggest(mentions, [])
    assert (new.new_name, new.kind, sorted(new.span_ids)) == ("Hillary Clinton", PERSON, [1, 2])


def test_descriptions_and_lists_are_no_entry_but_an_organisation_and_a_party_are():
    texts = ["a Chinese official", "A labor official", "Donald J. Trump and Senator Bernie Sanders",
             "Mr. Xi and other leaders", "The Chinese finance minister", "The Vermont senator", "House Democrats",
             "Some Democrats", "Clinton aides", "The talks", "his American counterpart", "Obama/Clinton",
             "policy makers in Beijing and, increasingly, others around the world", "datetime=\"2016"]
    mentions = [Mention(i, i, 0, text, SPEAKER) for i, text in enumerate(texts)]
    mentions += [Mention(100, 1, 0, "The Clinton campaign", SPEAKER), Mention(101, 2, 0, "Democrats", SPEAKER)]
    found = suggest(mentions, [])
    assert sorted((s.new_name, s.kind) for s in found) == [("Clinton campaign", ORG), ("Democrats", ORG)]


def test_a_speaker_is_a_person_when_titled_or_the_surname_of_one():
    mentions = [Mention(1, 1, 0, "Mr. Sanders", SPEAKER), Mention(2, 2, 0, "Sanders", SPEAKER),
                Mention(3, 3, 0, "Sen. Bernie Sanders", SPEAKER), Mention(4, 4, 0, "Mr. Kerry", SPEAKER)]
    found = suggest(mentions, [])
    sanders = only(found, 1)
    assert (sanders.new_name, sanders.kind, sorted(sanders.span_ids)) == ("Bernie Sanders", PERSON, [1, 2, 3])
    assert (only(found, 4).new_name, only(found, 4).kind) == ("Kerry", PERSON)
    # and an entry of a person takes a speaker's bare surname from other articles
    obama = KnownEntry(8, "Barack Obama", PERSON)
    found = suggest([Mention(5, 5, 0, "Obama", SPEAKER), Mention(6, 6, 0, "President Obama", SPEAKER)], [obama])
    assert [(s.entry_id, sorted(s.span_ids)) for s in found] == [(8, [5, 6])]


def test_an_org_with_the_name_of_a_person_in_the_same_article_is_that_person():
    mentions = [Mention(1, 14, 0, "Donald Trump", PERSON), Mention(2, 14, 50, "Trump", ORG),
                Mention(3, 14, 90, "Donald J. Trump", PERSON), Mention(4, 15, 0, "Trump", ORG),
                Mention(5, 16, 0, "Donald Trump’s", PERSON)]
    found = suggest(mentions, [])
    trump = only(found, 1)  # with and without his middle initial, one person
    assert (trump.new_name, trump.kind, sorted(trump.span_ids)) == ("Donald Trump", PERSON, [1, 2, 3, 5])
    assert "1 labelled ORG, same name as a person here" in trump.reason
    assert only(found, 4).kind == ORG  # no person of that name in its article: left as labelled
    [linked] = [s for s in suggest(mentions[:2], [KnownEntry(9, "Donald Trump", PERSON)]) if 2 in s.span_ids]
    assert linked.entry_id == 9 and "labelled ORG, same name as a person here" in linked.reason


def test_a_chinese_name_is_followed_by_its_family_name_and_two_ministers_stay_apart():
    mentions = [Mention(1, 4, 0, "The finance minister, Lou Jiwei,", SPEAKER), Mention(2, 4, 90, "Mr. Lou", SPEAKER),
                Mention(3, 4, 200, "the secretary of the Treasury, Jacob J. Lew,", SPEAKER),
                Mention(4, 4, 300, "Mr. Lew", SPEAKER), Mention(5, 4, 400, "Lou", SPEAKER)]
    found = suggest(mentions, [])
    assert sorted((s.new_name, s.kind, sorted(s.span_ids)) for s in found) == [
        ("Jacob J Lew", PERSON, [3, 4]), ("Lou Jiwei", PERSON, [1, 2, 5])]
