from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document, DocumentLabel, Layer, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record
from annotator.formats import conll
from annotator.nlp.tokens import blank_tokenizer

TEXT = "Hi 😀 Sergey Lavrov met Elena Varga in Moscow.\nThe Foreign Ministry said: “Talks go on.”"
TOKENIZE = blank_tokenizer()
OPTIONS = ExportOptions(tokenize=TOKENIZE)


def at(word: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def sample() -> Record:
    spans = [
        Span(*at("Sergey Lavrov"), "PERSON"),
        Span(*at("Elena Varga"), "PERSON", origin="en_core_web_sm@3.8.0", state=State.SUGGESTED),
        Span(*at("Moscow"), "GPE"),
        Span(*at("Foreign Ministry"), "ORG"),
        Span(*at("“Talks go on.”"), "STATEMENT", layer=Layer.STATEMENT),
    ]
    return Record(Document(TEXT, title="Talks"), sorted(spans, key=lambda s: (s.start, s.end)), [])


def read_all(path: Path, options: ImportOptions = ImportOptions()) -> tuple[list[Imported], list[Problem]]:
    items = list(conll.read(path, options))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def token_words(text: str) -> list[str]:
    return [text[s:e] for s, e in TOKENIZE(text)]


def test_writes_two_columns_iob2_with_docstart_and_a_sentence_per_line(tmp_path):
    target = tmp_path / "out.conll"
    problems = conll.write([sample(), Record(Document("Second one"), [], [])], target, OPTIONS)
    assert [p.message for p in problems] == [
        "statement STATEMENT '“Talks go on.”' at 73-87 is not an entity; CoNLL holds entities only: left out"
    ]
    lines = target.read_text(encoding="utf-8").split("\n")
    assert lines[:8] == ["-DOCSTART- -X- -X- O", "", "Hi O", "😀 O", "Sergey B-PERSON", "Lavrov I-PERSON", "met O",
                         "Elena B-PERSON"]  # fmt: skip
    # The newline in the text ends a sentence: a blank line, then the next line's tokens.
    moscow = lines.index("Moscow B-GPE")
    assert lines[moscow + 1 : moscow + 6] == [". O", "", "The O", "Foreign B-ORG", "Ministry I-ORG"]
    assert lines.count("-DOCSTART- -X- -X- O") == 2
    assert lines[-6:] == ["-DOCSTART- -X- -X- O", "", "Second O", "one O", "", ""]
    # Statements are not entities: none of their words is tagged.
    assert "Talks O" in lines and all("STATEMENT" not in line for line in lines)


def test_round_trip_keeps_labels_and_token_sequences(tmp_path):
    target = tmp_path / "out.conll"
    second = Document("Paris is far from\nLondon.", title="Two")
    records = [sample(), Record(second, [Span(0, 5, "GPE"), Span(18, 24, "GPE")], [])]
    assert [p.message for p in conll.write(records, target, OPTIONS)] == [
        "statement STATEMENT '“Talks go on.”' at 73-87 is not an entity; CoNLL holds entities only: left out"
    ]

    imported, problems = read_all(target, ImportOptions(layers={"STATEMENT": Layer.STATEMENT}))
    assert problems == []
    assert [i.document.title for i in imported] == ["out #1", "out #2"]
    for record, item in zip(records, imported, strict=True):
        text = item.document.text
        # The text is rebuilt from the tokens, so the token sequence survives and offsets do not.
        assert text.split() == token_words(record.document.text)
        expected = [(record.document.text[s.start : s.end], s.label) for s in record.spans if s.layer == Layer.ENTITY]
        found = [(text[s.start : s.end], s.label) for s in item.spans]
        assert [(" ".join(token_words(t)), label) for t, label in expected] == found
        assert all(s.origin == "import:conll" and s.state == State.ACCEPTED for s in item.spans)
        assert all(s.layer == Layer.ENTITY for s in item.spans)
    assert imported[0].document.text.split("\n")[0].endswith("Moscow .")


def test_overlapping_and_off_token_entities_are_reported_lost_not_moved(tmp_path):
    text = "Sergey Lavrov visited Moscowland today, and  then."
    spans = [
        Span(*at("Sergey Lavrov", text), "PERSON"),
        Span(*at("Lavrov", text), "PERSON"),  # nested: IOB cannot hold it
        Span(*at("Moscow", text), "GPE"),  # inside the token "Moscowland": the token is cut
        Span(*at("today", text), "DATE"),
        Span(text.index("  then") + 1, text.index("then") + 4, "DATE"),  # starts in white space
    ]
    target = tmp_path / "out.conll"
    problems = conll.write([Record(Document(text, title="Visit"), spans, [])], target, OPTIONS)

    assert [p.path for p in problems] == ["Visit", "Visit"]
    assert all(p.warning for p in problems)
    assert "'Lavrov'" in problems[0].message and "overlaps" in problems[0].message
    assert "' then'" in problems[1].message and "token edges" in problems[1].message
    lines = target.read_text(encoding="utf-8").split("\n")
    assert "Lavrov I-PERSON" in lines and "today B-DATE" in lines
    assert "Moscow B-GPE" in lines and "land O" in lines


def test_a_word_tagged_inside_a_token_gets_a_token_of_its_own(tmp_path):
    text = "Reported by /TASS/. Moscow."
    tass = Span(*at("TASS", text), "ORG")
    target = tmp_path / "out.conll"
    problems = conll.write([Record(Document(text, title="TASS"), [tass], [])], target, OPTIONS)
    assert problems == []
    lines = target.read_text(encoding="utf-8").split("\n")
    assert "TASS B-ORG" in lines and "/ O" in lines
    (back,) = [item for item in conll.read(target, ImportOptions()) if not isinstance(item, Problem)]
    assert [(back.document.text[s.start : s.end], s.label) for s in back.spans] == [("TASS", "ORG")]


def test_a_label_with_spaces_is_listed_as_lost_not_written_as_a_broken_tag(tmp_path):
    text = "Sergey Lavrov met Ayman Safadi."
    spans = [Span(*at("Sergey Lavrov", text), "Key Person"), Span(*at("Ayman Safadi", text), "PERSON")]
    target = tmp_path / "out.conll"
    problems = conll.write([Record(Document(text, title="Talks"), spans, [])], target, OPTIONS)
    assert len(problems) == 1 and "'Sergey Lavrov'" in problems[0].message and "spaces" in problems[0].message
    written = target.read_text(encoding="utf-8")
    assert "Key" not in written and "Sergey O" in written and "Ayman B-PERSON" in written
    assert all(len(line.split()) in (0, 2, 4) for line in written.split("\n"))  # every line two columns


def test_document_without_title_is_named_by_uid(tmp_path):
    doc = Document("Moscow land", title="")
    problems = conll.write([Record(doc, [Span(0, 6, "Key place")], [])], tmp_path / "o.conll", OPTIONS)
    assert [p.path for p in problems] == [doc.uid]


def test_write_needs_a_tokenizer(tmp_path):
    with pytest.raises(ValueError, match="tokenizer"):
        conll.write([sample()], tmp_path / "o.conll", ExportOptions())


def test_an_entity_across_a_line_break_stays_in_one_sentence(tmp_path):
    text = "Visit New\nYork now.\nBye."
    target = tmp_path / "o.conll"
    assert conll.write([Record(Document(text), [Span(6, 14, "GPE")], [])], target, OPTIONS) == []
    imported, _ = read_all(target)
    assert imported[0].document.text == "Visit New York now .\nBye ."
    assert [imported[0].document.text[s.start : s.end] for s in imported[0].spans] == ["New York"]


def test_reads_four_columns_iob1_and_bioes(tmp_path):
    path = tmp_path / "mixed.conll"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "EU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\ncall NN I-NP O\n"
        "Peter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\nmet VBD B-VP O\nJohn NNP B-NP I-PER\nJohn NNP I-NP B-PER\n\n"
        "-DOCSTART- -X- -X- O\n\n"
        "New S-LOC\nYork S-LOC\nSan B-LOC\nFrancisco E-LOC\nis O\nnice I-X\n",
        encoding="utf-8",
    )
    imported, problems = read_all(path)
    assert problems == []
    first, second = imported
    assert first.document.text == "EU rejects German call Peter Blackburn met John John"

    def found(item):
        return [(item.document.text[s.start : s.end], s.label) for s in item.spans]

    # IOB1: I- starts an entity; B- only separates two of the same type.
    assert found(first) == [("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER"), ("John", "PER"),
                            ("John", "PER")]  # fmt: skip
    assert found(second) == [("New", "LOC"), ("York", "LOC"), ("San Francisco", "LOC"), ("nice", "X")]
    assert first.line == 3 and second.line == 15


def test_bad_lines_are_reported_and_the_rest_imported(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_bytes(b"Lavrov B-PER\njustone\nsaid Q-PER\nso O\n\xff\xfe O\nMoscow B-LOC\n")
    imported, problems = read_all(path)
    assert [p.line for p in problems] == [2, 3, 5]
    assert "expected 'TOKEN TAG'" in problems[0].message
    assert "UTF-8" in problems[2].message
    assert imported[0].document.text == "Lavrov so Moscow"
    assert [s.label for s in imported[0].spans] == ["PER", "LOC"]


def test_labels_of_the_schema_go_to_their_layer(tmp_path):
    path = tmp_path / "layers.conll"
    path.write_text("He O\nsaid O\nhi B-STATEMENT\n", encoding="utf-8")
    imported, _ = read_all(path, ImportOptions(layers={"STATEMENT": Layer.STATEMENT}))
    assert [(s.label, s.layer) for s in imported[0].spans] == [("STATEMENT", Layer.STATEMENT)]


def test_sniff(tmp_path):
    docstart = tmp_path / "a.txt"
    docstart.write_text("-DOCSTART- -X- -X- O\n\nEU B-ORG\n", encoding="utf-8")
    plain = tmp_path / "b.txt"
    plain.write_text("EU\tB-ORG\nrejects\tO\n\nGerman\tB-MISC\n", encoding="utf-8")
    prose = tmp_path / "c.txt"
    prose.write_text("This is an article. O\nNot CoNLL at all.\n", encoding="utf-8")
    conllu = tmp_path / "d.conllu"
    conllu.write_text("# text = Hi\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t0:root\t_\n", encoding="utf-8")
    empty = tmp_path / "e.conll"
    empty.write_text("\n\n", encoding="utf-8")
    assert conll.sniff(docstart) and conll.sniff(plain)
    assert not conll.sniff(prose) and not conll.sniff(conllu) and not conll.sniff(empty)
    assert not conll.sniff(tmp_path / "missing.conll")


def test_broad_twitter_corpus_imports_with_spans_on_their_tokens(corpus):
    path = corpus / "annotated" / "broad_twitter_corpus" / "e.conll"
    assert conll.sniff(path)
    imported, problems = read_all(path)
    assert problems == []
    # No -DOCSTART-: the whole file is one document, a tweet per line.
    assert len(imported) == 1
    text = imported[0].document.text
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n")]
    sentences, current = [], []
    for row in rows:
        if row == [""]:
            if current:
                sentences.append(current)
            current = []
        else:
            current.append((row[0].strip(), row[1]))
    assert text.split("\n") == [" ".join(token for token, _ in s) for s in sentences]
    tokens = [pair for s in sentences for pair in s]
    assert len(imported[0].spans) == sum(tag.startswith("B-") for _, tag in tokens) + _orphan_i(sentences)
    words_at = _token_starts(text)
    for span in imported[0].spans:
        assert span.start in words_at and span.end in {s + len(w) for s, w in words_at.items()}
        words = [w for s, w in words_at.items() if span.start <= s < span.end]
        assert text[span.start : span.end] == " ".join(words)
    labels = {s.label for s in imported[0].spans}
    assert labels == {"PER", "LOC", "ORG"}


def _token_starts(text: str) -> dict[int, str]:
    starts, offset = {}, 0
    for line in text.split("\n"):
        for word in line.split(" "):
            starts[offset] = word
            offset += len(word) + 1
    return starts


def _orphan_i(sentences: list[list[tuple[str, str]]]) -> int:
    """I- tags that start an entity (after O or another label): IOB1 reading counts each as one."""
    count = 0
    for sentence in sentences:
        previous = "O"
        for _, tag in sentence:
            if tag.startswith("I-") and previous[2:] != tag[2:]:
                count += 1
            previous = tag
    return count


def test_a_token_with_white_space_is_written_with_underscores_and_reported(tmp_path):
    text = "New York rocks"

    def two_tokens(value: str) -> list[tuple[int, int]]:
        return [(0, 8), (9, 14)]

    target = tmp_path / "o.conll"
    problems = conll.write(
        [Record(Document(text, title="NY"), [Span(0, 8, "GPE")], [])], target, ExportOptions(two_tokens)
    )
    assert len(problems) == 1 and "'New York'" in problems[0].message
    assert "New_York B-GPE" in target.read_text(encoding="utf-8").split("\n")


def test_a_file_without_sentences_says_so(tmp_path):
    path = tmp_path / "empty.conll"
    path.write_text("\n\n-DOCSTART- -X- O O\n\n")
    imported, problems = read_all(path)
    assert imported == [] and ["no sentences found" in p.message for p in problems] == [True]


def test_a_named_encoding_is_read(tmp_path):
    path = tmp_path / "ru.conll"
    path.write_bytes("Лавров B-PER\nсказал O\n".encode("utf-16-le"))
    imported, problems = read_all(path, ImportOptions(encoding="UTF-16LE"))
    assert problems == [] and imported[0].document.text.startswith("Лавров")


def test_each_statement_claim_and_the_document_labels_left_out_are_listed(tmp_path):
    text = "Lavrov said the talks failed."
    spans = [
        Span(0, 6, "PERSON"),
        Span(0, 29, "STATEMENT", layer=Layer.STATEMENT),
        Span(12, 28, "CLAIM", layer=Layer.CLAIM, attributes={"checkworthy": "high"}),
    ]
    labels = [DocumentLabel("topic", "politics", "ana"), DocumentLabel("topic", "war", "ben")]
    record = Record(Document(text, title="Talks"), spans, [], labels=labels)
    problems = conll.write([record], tmp_path / "o.conll", OPTIONS)
    assert [p.message for p in problems] == [
        "statement STATEMENT 'Lavrov said the talks failed.' at 0-29 is not an entity; CoNLL holds entities only: "
        "left out",
        "claim CLAIM 'the talks failed' at 12-28 is not an entity; CoNLL holds entities only: left out",
        "document labels politics, war: CoNLL holds no document labels: left out",
    ]
    assert all(str(p).startswith("Talks") for p in problems)  # each names its article
    assert "Lavrov B-PERSON" in (tmp_path / "o.conll").read_text(encoding="utf-8")
