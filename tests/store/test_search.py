"""Searching the whole project: the right documents, any typed input safe, a snippet showing the hit."""

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.find import terms
from annotator.core.model import Document
from annotator.services.importing import import_paths
from annotator.services.search import search
from annotator.store.documents import add_documents
from annotator.store.project import open_project
from annotator.store.search import fts_match

HOSTILE = [
    '"', '""', '"unclosed', "AND", "OR", "NOT", "and or not", "-", "--", "-kyiv", "(", ")", "(kyiv", "NEAR",
    "NEAR(kyiv said)", "NEAR/3", "*", "kyiv*", "^kyiv", ":", "title:kyiv", "text:", "kyiv OR", "{kyiv said}",
    "+", "'; DROP TABLE documents; --", "%", "_", "\\", "100%", "a_b", "%_%",
    "\x00", "kyiv\x00said", "\x1fkyiv", "😀", "🇺🇦 Kyiv", "ё", " ",
]


def _titles(hits):
    return [hit.title for hit in hits]


def _add(project, *pairs):
    return add_documents(project, [Document(text, title=title) for title, text in pairs]).added


def test_a_word_finds_the_documents_that_contain_it_with_the_hit_in_the_snippet(any_project):
    _add(
        any_project,
        ("Kyiv talks", "🇺🇦 The mayor of Kyiv said talks would resume.\nOfficials in KYIV agreed."),
        ("Wheat", "Wheat prices rose in Chicago."),
        ("Lviv", "A concert in Lviv drew thousands."),
    )
    [hit] = search(any_project, "kyiv")
    assert hit.title == "Kyiv talks" and hit.hits == 2
    assert [hit.snippet[s:e] for s, e in hit.snippet_hits] == ["Kyiv", "KYIV"]
    assert "\n" not in hit.snippet and hit.snippet.startswith("🇺🇦 The mayor of Kyiv said")
    assert _titles(search(any_project, "Chicago")) == ["Wheat"]
    assert search(any_project, "Odesa") == []


def test_blank_queries_find_nothing(any_project):
    _add(any_project, ("A", "Some text."))
    assert search(any_project, "") == [] and search(any_project, "   \n") == []


def test_every_word_is_required_and_the_last_may_be_unfinished(any_project):
    _add(
        any_project,
        ("both", "Zeppelin flights over Berlin resumed."),
        ("one", "A zeppelin landed in Hamburg."),
        ("other", "Berlin weather today."),
    )
    assert sorted(_titles(search(any_project, "zeppelin berlin"))) == ["both"]
    assert sorted(_titles(search(any_project, "zeppelin"))) == ["both", "one"]
    assert sorted(_titles(search(any_project, "berlin zepp"))) == ["both"]  # typing the last word


def test_the_title_counts_as_a_match(any_project):
    _add(any_project, ("Zeppelin report", "Nothing about airships in this body text at all."))
    [hit] = search(any_project, "zeppelin")
    assert hit.title == "Zeppelin report" and hit.hits == 0
    assert hit.snippet.startswith("Nothing about airships") and hit.snippet_hits == ()


# Holds every word the hostile queries carry, literally, so each query with a word must find it.
HOSTILE_TEXT = (
    "The mayor of Kyiv said: no and yes, or not. 100% sure, a_b (kyiv). NEAR(kyiv said) is near the "
    "title:kyiv and text: NEAR/3, an unclosed ёлка. '; DROP TABLE documents; --"
)
NO_WORDS = {'"', '""', "-", "--", "(", ")", "*", ":", "+", "%", "_", "\\", "%_%", "\x00", "😀", " "}


@pytest.mark.parametrize("query", HOSTILE)
def test_query_syntax_typed_by_a_user_never_raises_and_finds_the_words_in_it(any_project, query):
    _add(any_project, ("Kyiv", HOSTILE_TEXT), ("Wheat", "Wheat prices rose in Chicago."))
    found = search(any_project, query)
    if query in NO_WORDS:  # only syntax: there is no word to look for
        assert found == []
        return
    [hit] = found
    assert hit.title == "Kyiv"
    marked = {_fold(hit.snippet[s:e]) for s, e in hit.snippet_hits}
    assert marked and marked <= {_fold(word) for word in terms(query)}, (marked, terms(query))


def test_operator_words_are_searched_as_words(any_project):
    _add(any_project, ("has", "Salt AND pepper, near the door."), ("lacks", "Salt, pepper."))
    assert _titles(search(any_project, "AND")) == ["has"]
    assert _titles(search(any_project, "pepper near")) == ["has"]
    assert sorted(_titles(search(any_project, '"salt"'))) == ["has", "lacks"]


def test_like_wildcards_are_literal_characters(any_project):
    _add(
        any_project,
        ("under", "Call snake_case names."),
        ("x", "Call snakeXcase names."),
        ("pct", "Now 100%off."),
        ("n", "Now 100xoff."),
    )
    assert _titles(search(any_project, "snake_case")) == ["under"]
    assert _titles(search(any_project, "100%off")) == ["pct"]


def test_a_hundred_documents_return_exactly_those_with_the_words_most_hits_first(any_project):
    docs = []
    for i in range(100):
        body = f"Report number {i} on the harvest."
        if i % 7 == 0:
            body += " A zeppelin was seen." + " Zeppelin again." * (3 if i == 42 else 0)
        if i % 3 == 0:
            body += " Rain in Berlin."
        docs.append((f"Report {i}", body))
    _add(any_project, *docs)
    found = search(any_project, "zeppelin")
    assert sorted(_titles(found)) == sorted(f"Report {i}" for i in range(100) if i % 7 == 0)
    assert found[0].title == "Report 42" and found[0].hits == 4
    both = search(any_project, "Berlin zeppelin")
    assert sorted(_titles(both)) == sorted(f"Report {i}" for i in range(100) if i % 21 == 0)
    assert len(search(any_project, "harvest", limit=5)) == 5
    assert len(search(any_project, "harvest")) == 100


def test_accents_are_ignored_by_the_sqlite_index_and_the_snippet_marks_the_accented_word(project):
    _add(project, ("Café", "Le café de Zoë est ouvert."), ("Other", "Nothing here."))
    [hit] = search(project, "cafe")
    assert [hit.snippet[s:e] for s, e in hit.snippet_hits] == ["café"]
    assert _titles(search(project, "zoe")) == ["Café"]


def test_fts_query_quotes_every_word():
    assert fts_match(["say\"hi", "NEAR", "kyi"]) == '"say""hi" AND "NEAR" AND "kyi"*'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=12))
def test_any_text_at_all_is_a_safe_query(tmp_path, query):
    project = _shared_project(tmp_path)
    words = {_fold(word) for word in terms(query)}
    for hit in search(project, query):
        assert {_fold(hit.snippet[s:e]) for s, e in hit.snippet_hits} <= words


SHARED_WORDS = ["the", "mayor", "of", "Kyiv", "said", "no", "twice", "and", "near", "end", "100", "yes"]
# Syntax around and between words: the characters of FTS5 (and SQL) queries, which must stay plain text.
words_in_syntax = st.lists(
    st.tuples(
        st.sampled_from(["", '"', "(", "-", "^", "{", "+", "*", "'", "%"]),
        st.sampled_from(SHARED_WORDS),
        st.sampled_from(["", '"', ")", "*", ":", "}", ",", "%", ";", "?"]),
    ),
    min_size=1,
    max_size=4,
).flatmap(
    lambda parts: st.lists(st.sampled_from([" ", "  ", " AND ", " NEAR ", "\t"]), min_size=len(parts),
                           max_size=len(parts))
    .map(lambda gaps: "".join(gap + pre + word + post for gap, (pre, word, post) in zip(gaps, parts)))
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=words_in_syntax)
def test_words_of_the_text_wrapped_in_query_syntax_always_find_it(tmp_path, query):
    project = _shared_project(tmp_path)
    [hit] = search(project, query)
    assert hit.title == "Kyiv"
    marked = {_fold(hit.snippet[s:e]) for s, e in hit.snippet_hits}
    assert marked and marked <= {_fold(word) for word in terms(query)}


def _fold(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


_PROJECTS = {}


def _shared_project(tmp_path):
    # One project for every example: opening one migrates a database, far slower than a search.
    if tmp_path not in _PROJECTS:
        project = open_project(tmp_path / "hyp.annotator.sqlite")
        _add(project, ("Kyiv", 'The mayor of Kyiv said "no" (twice) -- and NEAR the end: 100% *yes*.'))
        _PROJECTS[tmp_path] = project
    return _PROJECTS[tmp_path]


@pytest.fixture(autouse=True)
def _close_shared_projects():
    yield
    while _PROJECTS:
        _PROJECTS.popitem()[1].close()


@pytest.mark.corpus
def test_the_wikinews_corpus_is_searchable(any_project, corpus):
    news = corpus / "news"
    report = import_paths(any_project, [news])
    assert report.ok and report.added >= 200
    [hit] = search(any_project, "Magnitogorsk")
    assert hit.title.startswith("Magnitogorsk apartment building collapses")
    assert hit.hits >= 2 and "Magnitogorsk" in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.snippet_hits][0] == "Magnitogorsk"

    # Every document that mentions Pelosi, and no other: the same answer a plain scan of the files gives.
    expected = set()
    for path in news.iterdir():
        content = path.read_text(encoding="utf-8")
        if re.search(r"\bpelosi", content, re.IGNORECASE):
            expected.add(content.splitlines()[0].split(" ", 2)[2].strip())
    assert len(expected) >= 2
    assert {hit.title for hit in search(any_project, "pelosi")} == expected
