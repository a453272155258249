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
