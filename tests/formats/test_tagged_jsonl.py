"""JSONL with tokens and BIO tags: the Broad Twitter Corpus as it is, and lines that do not fit."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from annotator.core.errors import Problem
from annotator.core.model import Layer, State
from annotator.core.records import ExportOptions, Imported, ImportOptions
from annotator.formats import doccano, native, prodigy, tagged_jsonl
from annotator.formats.conll import decode_tags
from tests.formats.test_prodigy import annotated_record, lines

BTC = "annotated/broad_twitter_corpus"


def read_all(path: Path, options: ImportOptions = ImportOptions()) -> tuple[list[Imported], list[Problem]]:
    items = list(tagged_jsonl.read(path, options))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def words(value: str) -> str:
    return "".join(value.split())


def test_bio_runs_become_entities_over_the_text(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        lines(
            {
                "id_str": "1",
                "created_at": "Sun Jan 01 11:56:17 +0000 2012",
                "lang": "en",
                "text": "RT @BBCNews: Ana Lopez visits New  York",
                "tokens": ["RT", "BBCNews", ":", "Ana", "Lopez", "visits", "New", "York"],
                "entities": ["O", "B-ORG", "O", "B-PER", "I-PER", "O", "B-LOC", "I-LOC"],
                "annotation_offsets": None,
            },
            {
                "text": "Ana and Bo",
                "tokens": ["Ana", "and", "Bo"],
                "ner_tags": ["B-PER", "O", "I-PER"],
                "annotation_offsets": [[0, 3], [4, 7], [8, 10]],
            },
        ),
        encoding="utf-8",
    )
    (tweet, other), problems = read_all(path, ImportOptions(layers={"PER": Layer.ENTITY}))
    assert problems == []
    found = [(s.label, tweet.document.text[s.start : s.end]) for s in tweet.spans]
    assert found == [("ORG", "BBCNews"), ("PER", "Ana Lopez"), ("LOC", "New  York")]
    assert {(s.state, s.origin, s.layer) for s in tweet.spans} == {
        (State.ACCEPTED, "import:tagged-jsonl", Layer.ENTITY)
    }
    assert tweet.document.date == "2012-01-01" and tweet.document.meta["id_str"] == "1"
    assert tweet.document.source == "t.jsonl:1" and "annotation_offsets" not in tweet.document.meta
    assert [(s.start, s.end, s.label) for s in other.spans] == [(0, 3, "PER"), (8, 10, "PER")]  # a stray I- starts one


def test_tokens_that_do_not_fit_cost_only_their_entities(tmp_path):
    path = tmp_path / "bad.jsonl"
    text = "Lavrov met Safadi in #Moscow."
    path.write_text(
        lines(
            {
                "text": text,
                "tokens": ["Lavrov", "met", "Safadi", "in", "#Moscow."],
                "entities": ["B-PER", "O", "B-PER", "O", "B-LOC"],
                "annotation_offsets": [[0, 6], [7, 10], [11, 17], [18, 20], [21, 28]],
            },
            {"text": text, "tokens": ["Lavrov", "'\"'", "Safadi"], "entities": ["B-PER", "O", "B-PER"]},
            {"text": text, "tokens": ["Lavrov", "Kremlin"], "entities": ["B-PER", "B-ORG"]},
            {"text": text, "tokens": ["Lavrov"], "entities": ["PERSON"]},
            {"text": text, "tokens": ["Lavrov", "met"], "entities": ["B-PER"]},
            {"tokens": ["Lavrov"], "entities": ["B-PER"]},
            "{oops",
        ),
        encoding="utf-8",
    )
    imported, problems = read_all(path)
    assert [i.line for i in imported] == [1, 2, 3, 4, 5]
    assert all(i.document.text == text for i in imported)
    assert [(p.path, p.line) for p in problems] == [(str(path), n) for n in (1, 2, 3, 4, 5, 6, 7)]
    assert problems[0].message == (
        "token 4 '#Moscow.' does not match its offsets 21-28 (text there: '#Moscow'); 1 entity touching them left out"
    )
    assert [text[s.start : s.end] for s in imported[0].spans] == ["Lavrov", "Safadi"]
    assert problems[1].message.startswith("token 1 '\\'\"\\'' is not in the text after offset 6")
    assert [text[s.start : s.end] for s in imported[1].spans] == ["Lavrov", "Safadi"]  # the stray token is an O
    assert problems[2].message == "token 1 'Kremlin' is not in the text after offset 6; 1 entity touching them left out"
    assert [text[s.start : s.end] for s in imported[2].spans] == ["Lavrov"]
    assert "found 'PERSON'" in problems[3].message and imported[3].spans == []
    assert "one BIO tag string per token" in problems[4].message and imported[4].spans == []
    assert "'text'" in problems[5].message and "not valid JSON" in problems[6].message


def test_the_quote_token_with_no_place_in_the_text_is_reported(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(
        lines({"text": 'He said "no"', "tokens": ["He", "said", "'\"'", "no", "'\"'"], "entities": ["O"] * 5})
    )
    (tweet,), (problem,) = read_all(path)
    assert problem.message == "token 2 '\\'\"\\'' is not in the text after offset 7; 1 more token(s) like it"
    assert tweet.spans == []


def test_sniff_claims_tokens_with_tags_only(tmp_path, corpus):
    assert tagged_jsonl.sniff(corpus / BTC / "a.stripped.jsonl")
    for name, writer in {"n.jsonl": native.write, "d.jsonl": doccano.write, "s.jsonl": doccano.write_labels}.items():
        writer([annotated_record()], tmp_path / name, ExportOptions())
        assert not tagged_jsonl.sniff(tmp_path / name), name
    assert not prodigy.sniff(corpus / BTC / "a.stripped.jsonl") and not doccano.sniff(corpus / BTC / "a.stripped.jsonl")
    with pytest.raises(NotImplementedError):
        tagged_jsonl.write([], tmp_path / "x.jsonl", ExportOptions())


# The corpus as it is: a.stripped.jsonl has no offsets in 772 tweets, and 32 tweets whose tokens are
# not all in the text (quotes written as '"', one tweet with another tweet's tokens); in
# e.stripped.jsonl 43 tweets have a token longer than its offsets ('#MH17,' at '#MH17'), and one has
# offsets counted in UTF-16 units, which run past the end of its text.
REPORTED = {"a.stripped.jsonl": 32, "e.stripped.jsonl": 44}
SPANS = {"a.stripped.jsonl": (521, 0), "e.stripped.jsonl": (314, 8)}  # imported, left out


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_the_broad_twitter_corpus_imports_with_a_report_per_line(corpus, name):
    path = corpus / BTC / name
    imported, problems = read_all(path)
    source = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert len(imported) == sum(1 for tweet in source if tweet.get("text")) == len(source)
    assert all(p.path == str(path) and p.line is not None and not p.warning for p in problems)
    assert len(problems) == len({p.line for p in problems}) == REPORTED[name]
    for problem in problems:
        assert re.match(rf"{re.escape(str(path))}:\d+: token \d+ ", str(problem)), str(problem)
    left_out = sum(int(m.group(1)) for p in problems for m in [re.search(r"(\d+) entit", p.message)] if m)
    assert (sum(len(i.spans) for i in imported), left_out) == SPANS[name]
    for item in imported:
        tweet = source[item.line - 1]
        tokens, runs = tweet["tokens"], decode_tags(tweet["entities"])
        from_runs = sorted((label, words("".join(tokens[a : b + 1]))) for a, b, label in runs)
        spans = sorted((s.label, words(item.document.text[s.start : s.end])) for s in item.spans)
        assert set(spans) <= set(from_runs) and item.document.text == tweet["text"]
        if item.line not in {p.line for p in problems}:
            assert spans == from_runs
