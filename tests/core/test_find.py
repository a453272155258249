"""Finding words: every match is exactly the query's characters, whatever comes before it."""

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from annotator.core.find import ELLIPSIS, find_all, find_terms, snippet, terms

# Text the matcher must not be thrown by: emoji and flags (two UTF-16 units each), letters whose case
# mapping changes length (ß, İ), letters that fold to ASCII ones under Unicode rules (ſ, K, ı), accents.
TRICKY = "🇺🇦😀👩🏽‍🔬𠀀ßİıſKéÉe\u0301ΣσςКиївКИЇВ \n\t.-"
letters = st.one_of(st.characters(), st.sampled_from(TRICKY), st.sampled_from("kyivKYIVsSiI "))
texts = st.text(alphabet=letters, max_size=60)
ascii_queries = st.text(alphabet="kyivKYIVsSiI .-", min_size=1, max_size=4)


@given(texts, ascii_queries)
@example("ſ K İ ı", "s")
def test_every_match_reads_as_the_query_ignoring_case(text, query):
    for start, end in find_all(text, query):
        assert text[start:end].lower() == query.lower()


@given(texts, ascii_queries)
@example("ſtraße in KELVIN", "s")
def test_matches_do_not_overlap_and_none_is_missed(text, query):
    found = find_all(text, query)
    assert all(a[1] <= b[0] for a, b in zip(found, found[1:]))
    # Whatever the matcher found, scanning for the lower-cased query greedily finds the same count
    # in ASCII-lowered text (only ASCII letters change case for an ASCII query).
    lowered = "".join(ch.lower() if ch.isascii() else ch for ch in text)
    assert len(found) == lowered.count(query.lower())


@given(texts, st.text(alphabet="kyivcafeKYIVCAFE", min_size=1, max_size=4))
def test_ignoring_accents_every_match_is_the_query_plus_accents(text, query):
    for start, end in find_all(text, query, ignore_accents=True):
        bare = "".join(c for c in unicodedata.normalize("NFD", text[start:end]) if not unicodedata.combining(c))
        assert bare.lower() == query.lower()


def test_offsets_are_code_points_after_emoji_and_flags():
    text = "🇺🇦 Kyiv 😀 said: KYIV and kyiv."
    assert [text[s:e] for s, e in find_all(text, "Kyiv")] == ["Kyiv", "KYIV", "kyiv"]
    assert find_all(text, "Kyiv")[0] == (3, 7)


def test_empty_query_and_no_match():
    assert find_all("anything", "") == []
    assert find_all("anything", "zzz") == []


def test_regex_characters_are_literal():
    assert find_all("a.b axb (c) [d]", "a.b") == [(0, 3)]
    assert find_all("a.b axb (c) [d]", "(c)") == [(8, 11)]


def test_accents_ignored_on_request_only():
    text = "Le café, le CAFÉ, le cafe\u0301 et le cafe."
    every = ["café", "CAFÉ", "cafe\u0301", "cafe"]
    assert [text[s:e] for s, e in find_all(text, "cafe", ignore_accents=True)] == every
    assert [text[s:e] for s, e in find_all(text, "café", ignore_accents=True)] == every
    assert [text[s:e] for s, e in find_all(text, "café")] == ["café", "CAFÉ"]


def test_cyrillic_case():
    text = "Президент прибув до Києва. КИЄВА"
    assert [text[s:e] for s, e in find_all(text, "києва")] == ["Києва", "КИЄВА"]


def test_terms_drop_punctuation_and_query_syntax_stays_words():
    assert terms('  "(Kyiv," AND - ( NEAR e-mail _ "" U.S.  ') == ["Kyiv", "AND", "NEAR", "e-mail", "U.S"]
    assert terms("") == [] and terms(' " - * ') == []


def test_find_terms_merges_words_in_text_order():
    text = "Pelosi announces impeachment inquiry; Pelosi said"
    assert [text[s:e] for s, e in find_terms(text, ["pelosi", "impeach"])] == ["Pelosi", "impeach", "Pelosi"]


def test_snippet_is_one_line_around_the_first_hit_with_the_hits_marked():
    text = "Opening words.\n\n" + "Filler sentence here. " * 10 + "The mayor of Kyiv spoke.\nThen more " + "text " * 40
    hits = find_all(text, "kyiv")
    excerpt, inside = snippet(text, hits, width=60)
    assert "\n" not in excerpt and "  " not in excerpt
    assert excerpt.startswith(ELLIPSIS) and excerpt.endswith(ELLIPSIS)
    assert [excerpt[s:e] for s, e in inside] == ["Kyiv"]
    assert len(excerpt) <= 62
    # Whole words at the cut ends: the excerpt (without "…") is a run of whole words of the text.
    words = excerpt.strip(ELLIPSIS).split(" ")
    assert words[0] in text.split() and words[-1] in text.replace("\n", " ").split()


def test_snippet_at_the_start_and_without_hits():
    text = "Kyiv 🇺🇦 is\nthe capital. " + "More. " * 30
    excerpt, inside = snippet(text, find_all(text, "kyiv"), width=30)
    assert not excerpt.startswith(ELLIPSIS) and excerpt.endswith(ELLIPSIS)
    assert [excerpt[s:e] for s, e in inside] == ["Kyiv"]
    assert excerpt.startswith("Kyiv 🇺🇦 is the capital.")
    assert snippet("Short text.", []) == ("Short text.", [])


def test_snippet_keeps_every_hit_inside_it():
    text = "x " * 100 + "Kyiv and Kyiv and KYIV" + " y" * 100
    excerpt, inside = snippet(text, find_all(text, "kyiv"), width=80)
    assert [excerpt[s:e] for s, e in inside] == ["Kyiv", "Kyiv", "KYIV"]
