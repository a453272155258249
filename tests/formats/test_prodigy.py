"""Prodigy JSONL: our export read back, Prodigy's own files, and input that does not fit."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Relation, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record
from annotator.core.vocabulary import SPEAKER, STATEMENT_OF
from annotator.formats import doccano, native, prodigy, tagged_jsonl
from annotator.nlp.tokens import blank_tokenizer

HEADLINES = "annotated/prodigy_news_headlines/annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl"
LAYERS = ImportOptions(layers={"STATEMENT": Layer.STATEMENT, "CLAIM": Layer.CLAIM, "PERSON": Layer.ENTITY})

TEXT = (
    "MOSCOW, May 4. Sergey Lavrov met Ayman Safadi.\n\u201cThe talks were useful,\u201d Lavrov said. Exports rose 12%."
)


@pytest.fixture(scope="module")
def tokenize():
    return blank_tokenizer()


def at(words: str, label: str, layer: Layer = Layer.ENTITY, **fields) -> Span:
    start = TEXT.index(words)
    return Span(start, start + len(words), label, layer=layer, **fields)


def annotated_record() -> Record:
    """Entities (one an unreviewed suggestion), a statement with speaker, cue and kind, a claim in it."""
    said = TEXT.index("said")
    lavrov = at("Sergey Lavrov", "PERSON", annotator="ana", origin="ana")
    quote = at(
        "\u201cThe talks were useful,\u201d",
        "STATEMENT",
        Layer.STATEMENT,
        attributes={"kind": "direct", "cue": [said, said + 4]},
        annotator="ana",
    )
    claim = at(
        "The talks were useful",
        "CLAIM",
        Layer.CLAIM,
        attributes={"checkworthiness": "non-factual", "claim_type": "other", "note": "vague"},
        annotator="ana",
    )
    typed = at("Exports rose 12%.", "STATEMENT", Layer.STATEMENT, attributes={"speaker_text": "the ministry"})
    moscow = at("MOSCOW", "GPE", state=State.SUGGESTED, origin="en_core_web_sm@3.8.0")
    spans = sorted([lavrov, quote, claim, typed, moscow], key=lambda s: (s.start, s.end))
    relations = [Relation(quote.uid, lavrov.uid, SPEAKER), Relation(claim.uid, quote.uid, STATEMENT_OF)]
    document = Document(TEXT, title="Talks", date="2021-05-04", source="tass.txt", meta={"lang": "en"})
    return Record(document, spans, relations)


def keys(spans: list[Span]) -> list[tuple]:
    return sorted((s.start, s.end, s.label, str(s.layer), tuple(sorted(s.attributes.items()))) for s in spans)


def links(item: Imported | Record) -> set[tuple]:
    by_uid = {s.uid: (s.start, s.end, s.label) for s in item.spans}
    return {(by_uid[r.head], by_uid[r.tail], r.label) for r in item.relations}


def read_all(path: Path, options: ImportOptions = LAYERS) -> tuple[list[Imported], list[Problem]]:
    items = list(prodigy.read(path, options))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def test_an_export_reads_back_with_every_span_relation_and_attribute(tmp_path, tokenize):
    record = annotated_record()
    target = tmp_path / "out.jsonl"
    assert (
        prodigy.write(iter([record, Record(Document("Nothing here."), [], [])]), target, ExportOptions(tokenize)) == []
    )
    (back, empty), problems = read_all(target)
    assert problems == []
    assert keys(back.spans) == keys(record.spans)
    assert links(back) == links(record)
    assert [s.start for s in back.spans] == sorted(s.start for s in back.spans)
    states = {s.label: s.state for s in back.spans}
    assert states["GPE"] == State.SUGGESTED and states["PERSON"] == State.ACCEPTED
    origins = {s.label: s.origin for s in back.spans}
    assert origins["GPE"] == "import:prodigy:en_core_web_sm@3.8.0" and origins["PERSON"] == "import:prodigy:ana"
    assert {s.annotator for s in back.spans if s.state == State.ACCEPTED} == {"ana"}
    assert back.document.text == TEXT and back.line == 1 and back.path == str(target)
    assert (back.document.title, back.document.date, back.document.source) == ("Talks", "2021-05-04", "tass.txt")
    assert back.document.meta == {"lang": "en"}
    assert empty.spans == [] and empty.line == 2


def test_the_task_is_in_prodigys_shape(tmp_path, tokenize):
    target = tmp_path / "out.jsonl"
    prodigy.write([annotated_record()], target, ExportOptions(tokenize))
    task = orjson.loads(target.read_bytes())
    tokens = task["tokens"]
    assert [t["text"] for t in tokens[:4]] == ["MOSCOW", ",", "May", "4"]
    assert (
        tokens[0]["ws"] is False and tokens[1]["ws"] is True and [t["id"] for t in tokens] == list(range(len(tokens)))
    )
    assert all(TEXT[t["start"] : t["end"]] == t["text"] for t in tokens)
    for span in task["spans"]:  # inclusive token ends, spans in text order
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    assert [s["start"] for s in task["spans"]] == sorted(s["start"] for s in task["spans"])
    speaker = next(r for r in task["relations"] if r["label"] == SPEAKER)
    assert speaker["head_span"]["label"] == "STATEMENT" and speaker["child_span"]["label"] == "PERSON"
    assert (
        speaker["head"] == speaker["head_span"]["token_end"] and speaker["child"] == speaker["child_span"]["token_end"]
    )
    assert task["answer"] == "accept" and task["_annotator_id"] == "ana"
    assert isinstance(task["_input_hash"], int) and -(2**31) <= task["_task_hash"] < 2**31
    # Stable: the same text always hashes the same, a different one differently.
    assert task["_input_hash"] == prodigy.input_hash(TEXT) != prodigy.input_hash(TEXT + " ")


def test_a_span_inside_a_token_gets_tokens_of_its_own_and_one_in_white_space_is_reported(tmp_path, tokenize):
    text = "Lavrov's aides met in Moscow.  Then"
    spans = [Span(0, 5, "PERSON"), Span(22, 28, "GPE"), Span(text.index("  Then") + 1, len(text), "DATE")]
    record = Record(Document(text, title="cut"), spans, [])
    target = tmp_path / "out.jsonl"
    problems = prodigy.write([record], target, ExportOptions(tokenize))
    assert [str(p) for p in problems] == ["cut: span ' Then' does not start on a token edge"]
    assert problems[0].warning
    task = orjson.loads(target.read_bytes())
    assert task["spans"][0] == {
        "start": 0,
        "end": 5,
        "token_start": 0,
        "token_end": 0,
        "label": "PERSON",
        "text": "Lavro",
    }
    assert [t["text"] for t in task["tokens"][:3]] == ["Lavro", "v", "'s"]
    assert task["tokens"][0]["ws"] is False
    (back,), _ = read_all(target)
    assert [(s.start, s.end) for s in back.spans] == [(0, 5), (22, 28), (spans[2].start, spans[2].end)]


def test_tass_inside_slashes_has_token_indices_matching_its_characters(tmp_path, tokenize):
    text = "MOSCOW, December 4 (/TASS/). Sergey Lavrov said."
    tass = Span(text.index("TASS"), text.index("TASS") + 4, "ORG")
    target = tmp_path / "out.jsonl"
    assert prodigy.write([Record(Document(text, title="TASS"), [tass], [])], target, ExportOptions(tokenize)) == []
    task = orjson.loads(target.read_bytes())
    (span,) = task["spans"]
    assert (span["start"], span["end"]) == (tass.start, tass.end)
    assert task["tokens"][span["token_start"]]["start"] == tass.start
    assert task["tokens"][span["token_end"]]["end"] == tass.end
    assert span["token_start"] == span["token_end"] and task["tokens"][span["token_start"]]["text"] == "TASS"


def test_the_export_needs_a_tokenizer(tmp_path):
    with pytest.raises(ValueError, match="tokenizer"):
        prodigy.write([annotated_record()], tmp_path / "out.jsonl", ExportOptions())


def lines(*items) -> str:
    return "".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items)


def test_input_that_does_not_fit_is_reported_by_line_and_the_rest_imports(tmp_path):
    text = "Ana met Bo in Rome."
    good = {"text": text, "spans": [{"start": 0, "end": 3, "label": "PERSON"}], "answer": "accept"}
    path = tmp_path / "bad.jsonl"
    path.write_text(
        lines(
            good,
            "{not json",
            {"spans": [], "answer": "accept"},
            {
                "text": text,
                "answer": "accept",
                "spans": [
                    {"start": 8, "end": 10, "label": "PERSON", "text": "Bo"},
                    {"start": 14, "end": 40, "label": "GPE"},
                    {"start": 14, "end": 18, "label": "GPE", "text": "Roma"},
                ],
                "tokens": [
                    {"text": "Ana", "start": 0, "end": 3, "id": 0},
                    {"text": "mat", "start": 4, "end": 7, "id": 1},
                ],
                "relations": [{"head": 0, "child": 9, "label": "knows"}],
            },
            {"text": text, "spans": [{"start": 0, "end": 3, "label": "PERSON"}], "answer": "ignore"},
            {"text": text, "spans": [{"start": 0, "end": 3, "label": "PERSON"}], "answer": "reject"},
            {"text": text, "spans": [{"start": 0, "end": 3, "label": "PERSON", "source": "my_model"}]},
        ),
        encoding="utf-8",
    )
    imported, problems = read_all(path)
    assert [i.line for i in imported] == [1, 4, 6, 7]
    assert all(p.path == str(path) for p in problems)
    reported = [(p.line, p.warning) for p in problems]
    assert reported == [(2, False), (3, False), (4, False), (4, False), (4, False), (4, False), (5, True)]
    assert "not valid JSON" in problems[0].message and "'text'" in problems[1].message
    assert "'mat' does not match the text at 4-7 ('met')" in problems[2].message
    assert "span 1: expected 0 <= start < end <= 19" in problems[3].message
    assert "span 2: its text 'Roma' is not the text at 14-18 ('Rome')" in problems[4].message
    assert problems[5].message.startswith("relation 0:")
    assert "ignore" in problems[6].message
    assert [(s.start, s.end) for s in imported[1].spans] == [(8, 10)]  # only the bad spans left out
    assert imported[2].spans[0].state == State.REJECTED
    unanswered = imported[3].spans[0]
    assert unanswered.state == State.SUGGESTED and unanswered.origin == "import:prodigy:my_model"


def test_relations_without_head_span_are_found_by_their_last_token(tmp_path):
    path = tmp_path / "rel.jsonl"
    spans = [
        {"start": 0, "end": 9, "token_start": 0, "token_end": 1, "label": "PERSON"},
        {"start": 20, "end": 31, "token_start": 5, "token_end": 6, "label": "PERSON"},
    ]
    task = {"text": "My mother's name is Sasha Smith.", "spans": spans, "answer": "accept"}
    path.write_text(lines(task | {"relations": [{"head": 6, "child": 1, "label": "COREF"}]}), encoding="utf-8")
    (back,), problems = read_all(path)
    assert problems == []
    assert links(back) == {((20, 31, "PERSON"), (0, 9, "PERSON"), "COREF")}


def test_sniff_claims_prodigy_files_only(tmp_path, tokenize):
    ours = tmp_path / "prodigy.jsonl"
    prodigy.write([annotated_record()], ours, ExportOptions(tokenize))
    assert prodigy.sniff(ours)
    others = {
        "native.jsonl": native.write,
        "doccano.jsonl": doccano.write,
        "seq.jsonl": doccano.write_labels,
    }
    for name, writer in others.items():
        writer([annotated_record()], tmp_path / name, ExportOptions(tokenize))
        assert not prodigy.sniff(tmp_path / name), name
    plain = tmp_path / "plain.jsonl"
    plain.write_text(lines({"text": "Ana.", "meta": {"title": "x"}}))
    tagged = tmp_path / "tagged.jsonl"
    tagged.write_text(lines({"text": "Ana ran", "tokens": ["Ana", "ran"], "entities": ["B-PER", "O"]}))
    assert not prodigy.sniff(plain) and not prodigy.sniff(tagged) and not tagged_jsonl.sniff(ours)


def test_the_news_headlines_come_back_with_the_same_spans_and_tokens(corpus, tmp_path, tokenize):
    source = corpus / HEADLINES
    imported, problems = read_all(source, ImportOptions())
    assert len(imported) == 372
    assert [(p.line, p.warning) for p in problems] == [(337, True)]  # the one task answered "ignore"
    assert {s.state for i in imported for s in i.spans} == {State.ACCEPTED}
    target = tmp_path / "headlines.jsonl"
    records = (Record(i.document, sorted(i.spans, key=lambda s: (s.start, s.end)), i.relations) for i in imported)
    assert prodigy.write(records, target, ExportOptions(tokenize)) == []
    originals = [t for t in map(orjson.loads, source.read_bytes().splitlines()) if t["answer"] == "accept"]
    exported = list(map(orjson.loads, target.read_bytes().splitlines()))
    assert len(exported) == len(originals) == 372

    def spans(task):
        fields = ("start", "end", "label", "token_start", "token_end")
        return sorted(tuple(s[k] for k in fields) for s in task.get("spans", []))

    def words(task):  # spaCy writes runs of extra white space as tokens; our tokenizer leaves them out
        return [(t["text"], t["start"], t["end"]) for t in task["tokens"] if t["text"].strip()]

    assert sum(len(spans(t)) for t in originals) == 303
    for original, ours in zip(originals, exported, strict=True):
        assert ours["text"] == original["text"]
        assert spans(ours) == spans(original), original["text"]
        assert words(ours) == words(original), original["text"]
        assert ours["meta"]["source"] == "The New York Times"


def test_spans_that_are_not_a_list_are_reported(tmp_path):
    path = tmp_path / "tasks.jsonl"
    tasks = [
        {"text": "Elena Varga spoke.", "_input_hash": 1, "spans": 5},
        {"text": "Sergey Lavrov spoke.", "_input_hash": 2, "spans": [
            {"start": 0, "end": 13, "label": "PERSON", "token_start": "0", "token_end": "1"}]},
    ]
    path.write_bytes(b"".join(orjson.dumps(t) + b"\n" for t in tasks))
    found = list(prodigy.read(path, LAYERS))
    problems = [p for p in found if isinstance(p, Problem)]
    imported = [i for i in found if not isinstance(i, Problem)]
    assert [(p.line, "'spans'" in p.message) for p in problems] == [(1, True)]
    assert [len(i.spans) for i in imported] == [0, 1]
