"""Sentence, paragraph and quotation around a position; whole-token mentions of words."""

import pytest

from annotator.core.graphemes import is_boundary
from annotator.core.selection import (
    mentions, paragraph_range, quotation_range, quote_pairs, sentence_range, sentences_apart,
)

TEXT = (
    "Sergey Lavrov said on Tuesday that “talks will go on 😀 until 2027.” "
    "The ministry’s press service added that wheat prices rose 12% in Moscow.\n"
    "\n"
    "Mr. Smith met U.S. officials at 10 a.m. on Monday. John F. Kennedy said „Das ist ‚gut‘ so“ and «non». "
    "Was it? Yes!\n"
    'Last line "with \'\'inner\'\' words" here'
)


def cut(found):
    return None if found is None else TEXT[found[0] : found[1]]


def at(words, offset=0):
    return TEXT.index(words) + offset


@pytest.mark.parametrize(
    ("word", "sentence"),
    [
        ("Tuesday", "Sergey Lavrov said on Tuesday that “talks will go on 😀 until 2027.”"),
        ("2027", "Sergey Lavrov said on Tuesday that “talks will go on 😀 until 2027.”"),
        ("wheat", "The ministry’s press service added that wheat prices rose 12% in Moscow."),
        ("Smith", "Mr. Smith met U.S. officials at 10 a.m. on Monday."),
        ("Monday", "Mr. Smith met U.S. officials at 10 a.m. on Monday."),
        ("Kennedy", "John F. Kennedy said „Das ist ‚gut‘ so“ and «non»."),
        ("Was", "Was it?"),
        ("Yes", "Yes!"),
        ("inner", 'Last line "with \'\'inner\'\' words" here'),
    ],
)
def test_the_sentence_around_the_cursor(word, sentence):
    assert cut(sentence_range(TEXT, at(word, 1))) == sentence


def test_a_cursor_between_sentences_or_at_a_line_end_takes_a_neighbour_and_a_selection_runs_on():
    assert cut(sentence_range(TEXT, at("The ministry"))) == cut(sentence_range(TEXT, at("wheat")))
    end_of_line = TEXT.index("\n")
    assert cut(sentence_range(TEXT, end_of_line)).endswith("in Moscow.")
    both = sentence_range(TEXT, at("Tuesday"), at("wheat"))
    assert cut(both).startswith("Sergey") and cut(both).endswith("Moscow.")


def test_the_paragraph_is_the_line_without_its_spaces():
    assert cut(paragraph_range(TEXT, at("wheat"))).startswith("Sergey Lavrov")
    assert cut(paragraph_range(TEXT, at("wheat"))).endswith("in Moscow.")
    assert cut(paragraph_range(TEXT, at("Smith"))) == TEXT.split("\n")[2]
    assert paragraph_range(TEXT, TEXT.index("\n\n") + 1) == (TEXT.index("\n\n") + 1,) * 2  # the blank line: empty
    both = paragraph_range(TEXT, at("wheat"), at("Smith"))
    assert cut(both).startswith("Sergey") and cut(both).endswith("Yes!")


@pytest.mark.parametrize(
    ("word", "content"),
    [
        ("will", "talks will go on 😀 until 2027."),
        ("😀", "talks will go on 😀 until 2027."),
        ("Das", "Das ist ‚gut‘ so"),
        ("gut", "gut"),
        ("non", "non"),
        ("with", "with ''inner'' words"),
        ("inner", "inner"),
    ],
)
def test_the_innermost_quotation_around_the_cursor_without_its_marks(word, content):
    assert cut(quotation_range(TEXT, at(word, 1))) == content


def test_asked_again_the_quotation_takes_its_marks_then_the_next_pair_out():
    first = quotation_range(TEXT, at("gut"))
    assert cut(first) == "gut"
    second = quotation_range(TEXT, *first)
    assert cut(second) == "‚gut‘"
    third = quotation_range(TEXT, *second)
    assert cut(third) == "Das ist ‚gut‘ so"
    assert cut(quotation_range(TEXT, *third)) == "„Das ist ‚gut‘ so“"
    assert quotation_range(TEXT, *quotation_range(TEXT, *third)) is None  # no pair further out


def test_no_quotation_outside_the_marks_and_apostrophes_are_no_quotes():
    assert quotation_range(TEXT, at("Lavrov")) is None
    assert quotation_range(TEXT, at("ministry")) is None  # ministry’s: an apostrophe
    text = "The ministers’ ‘final’ word"
    assert [text[a:d] for a, _b, _c, d in quote_pairs(text)] == ["‘final’"]
    assert quotation_range("don't 'x' won't", 1) is None


def test_every_edge_is_between_whole_characters():
    text = "Flag 🇺🇦 “🇺🇦 said no 👍🏽” and 🇺🇦."
    for i in range(len(text) + 1):
        for found in (sentence_range(text, i), paragraph_range(text, i), quotation_range(text, i)):
            if found is not None:
                assert is_boundary(text, found[0]) and is_boundary(text, found[1])
    assert text[slice(*quotation_range(text, text.index("said")))] == "🇺🇦 said no 👍🏽"


def test_a_mention_is_the_exact_words_as_whole_tokens():
    text = "Nagorno-Karabakh and Nagorno-Karabakhs; Iran, Iranian, (Iran) and iran. Iran"
    assert [text[a:b] for a, b in mentions(text, "Nagorno-Karabakh")] == ["Nagorno-Karabakh"]
    found = mentions(text, "Iran")
    assert [text[a:b] for a, b in found] == ["Iran"] * 3  # not Iranian, not iran
    assert [a for a, _b in found] == [text.index("Iran,"), text.index("(Iran)") + 1, len(text) - 4]
    assert mentions(text, " ") == []
    assert mentions("🇺🇦🇺🇦", "🇦🇺") == []  # across two flags: it would cut both


def test_sentences_apart_counts_by_the_selection_rule():
    text = "He arrived. “We will win,” she said. Mr. Smith left.\n\nNew paragraph here, said Bob. And more."
    quote = (text.index("We"), text.index(",”"))
    assert sentences_apart(text, quote, _at(text, "said.")) == 0  # the quote's own tag
    assert sentences_apart(text, quote, _at(text, "arrived")) == -1
    # "Mr." ends no sentence; the paragraph break and "left." do: two sentences on.
    assert sentences_apart(text, quote, _at(text, "said Bob")) == 2
    assert sentences_apart(text, quote, _at(text, "more")) == 3


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words.split()[0].rstrip("."))
