from pathlib import Path

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Relation, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record
from annotator.formats import brat

TEXT = "Hi 😀 Sergey Lavrov said: “Talks go on.\nWe will bring our people home,” 🇷🇺 WORK OF ART"
LAYERS = ImportOptions(layers={"STATEMENT": Layer.STATEMENT, "CLAIM": Layer.CLAIM})
OPTIONS = ExportOptions(
    labels={"entity": ["PERSON", "ORG", "WORK_OF_ART"], "statement": ["STATEMENT"], "claim": ["CLAIM"]},
    attributes={
        "statement": {"kind": ["direct", "indirect", "paraphrase"]},
        "claim": {
            "checkworthiness": ["check-worthy factual", "unimportant factual", "non-factual"],
            "claim_type": ["numerical", "causal", "prediction", "quote", "other"],
        },
    },
)


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def sample() -> Record:
    lavrov = Span(*at("Sergey Lavrov"), "PERSON")
    art = Span(*at("WORK OF ART"), "WORK_OF_ART", origin="en_core_web_sm@3.8.0", state=State.SUGGESTED)
    quote_start, quote_end = TEXT.index("“"), TEXT.index("”") + 1
    statement = Span(
        quote_start,
        quote_end,
        "STATEMENT",
        layer=Layer.STATEMENT,
        attributes={"kind": "direct", "cue": list(at("said"))},
    )
    claim = Span(
        TEXT.index("Talks"),
        TEXT.index("home") + 4,
        "CLAIM",
        layer=Layer.CLAIM,
        attributes={"checkworthiness": "check-worthy factual", "claim_type": "prediction", "note": "two\nlines\\n"},
    )
    typed = Span(*at("Hi"), "STATEMENT", layer=Layer.STATEMENT, attributes={"speaker_text": "the ministry's press"})
    spans = sorted([lavrov, art, statement, claim, typed], key=lambda s: (s.start, s.end))
    relations = [
        Relation(head=statement.uid, tail=lavrov.uid, label="speaker"),
        Relation(head=claim.uid, tail=statement.uid, label="statement"),
    ]
    doc = Document(TEXT, title="Talks: Lavrov", date="2021-01-13", source="tass.txt", meta={"lang": "en"})
    return Record(doc, spans, relations)


def read_all(path: Path) -> tuple[list[Imported], list[Problem]]:
    items = list(brat.read(path, LAYERS))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def described(imported: Imported) -> tuple[list, set]:
    by_uid = {s.uid: s for s in imported.spans}
    spans = [(s.start, s.end, s.label, s.layer, s.state, s.attributes) for s in imported.spans]
    relations = {(by_uid[r.head].label, r.label, by_uid[r.tail].label) for r in imported.relations}
    return spans, relations


def test_round_trip_keeps_spans_relations_attributes_and_metadata(tmp_path):
    record = sample()
    problems = brat.write([record, Record(Document("Second\n", title=""), [], [])], tmp_path, OPTIONS)
    assert problems == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "00001_talks-lavrov.ann", "00001_talks-lavrov.json", "00001_talks-lavrov.txt",
        "00002_document.ann", "00002_document.json", "00002_document.txt", "annotation.conf",
    ]  # fmt: skip
    assert (tmp_path / "00001_talks-lavrov.txt").read_bytes() == TEXT.encode()

    imported, read_problems = read_all(tmp_path)
    assert read_problems == []
    assert [i.document.text for i in imported] == [TEXT, "Second\n"]
    doc = imported[0].document
    assert (doc.title, doc.date, doc.source, doc.meta) == ("Talks: Lavrov", "2021-01-13", "tass.txt", {"lang": "en"})

    spans, relations = described(imported[0])
    expected = [
        (s.start, s.end, s.label, s.layer, s.state, {k: v for k, v in s.attributes.items()}) for s in record.spans
    ]
    assert spans == expected
    assert relations == {("STATEMENT", "speaker", "PERSON"), ("CLAIM", "statement", "STATEMENT")}
    suggested = [s for s in imported[0].spans if s.state == State.SUGGESTED]
    assert [s.origin for s in suggested] == ["import:brat:en_core_web_sm@3.8.0"]
    assert {s.origin for s in imported[0].spans if s.state == State.ACCEPTED} == {"import:brat"}


def test_ann_lines_use_code_points_fragments_and_readable_attribute_values(tmp_path):
    brat.write([sample()], tmp_path, OPTIONS)
    ann = (tmp_path / "00001_talks-lavrov.ann").read_text(encoding="utf-8")
    lines = ann.splitlines()
    # The emoji is one code point: "Sergey" starts at 5.
    assert "T2\tPERSON 5 18\tSergey Lavrov" in lines
    # The claim crosses a line break: two fragments, their texts joined by a space.
    claim = next(line for line in lines if "\tCLAIM " in line)
    first, second = at("Talks go on."), (TEXT.index("We"), TEXT.index("home") + 4)
    assert claim.split("\t")[1] == f"CLAIM {first[0]} {first[1]};{second[0]} {second[1]}"
    assert claim.split("\t")[2] == "Talks go on. We will bring our people home"
    assert any(line.endswith("check-worthy_factual") and "\tCheckworthiness " in line for line in lines)
    assert any("\tAnnotatorNotes " in line and line.endswith("two\\nlines\\\\n") for line in lines)
    # The statement is the Content of an Attribution event whose trigger is the cue, as in PolNeAR.
    tids = {line.split("\t")[1]: line.split("\t")[0] for line in lines if line.startswith("T")}
    content, cue, source = tids["Content 25 38;39 70"], tids["Cue 19 23"], tids["Source 5 18"]
    assert f"E2\tAttribution:{tids['Attribution 19 23']} Content:{content} Cue:{cue} Source:{source}" in lines
    assert not any("\tHasCue " in line or "\tSpeaker " in line for line in lines)
    conf = (tmp_path / "annotation.conf").read_text()
    assert "Checkworthiness\tArg:CLAIM, Value:check-worthy_factual|unimportant_factual|non-factual" in conf
    assert "WORK_OF_ART" in conf.split("[relations]")[0]


def test_bad_lines_are_reported_with_file_and_line_and_the_rest_imports(tmp_path):
    (tmp_path / "doc.txt").write_text("Lavrov met Blinken in Geneva.", encoding="utf-8")
    (tmp_path / "doc.ann").write_text(
        "T1\tPERSON 0 6\tLavrov\n"
        "T2\tPERSON 11 18\tBlinkin\n"  # text does not match
        "T3\tGPE 22 99\tGeneva\n"  # outside the text
        "T4\tGPE 22 28\tGeneva\n"
        "R1\tSpeaker Arg1:T1 Arg2:T9\n"  # missing id
        "R2\tMetWith Arg1:T1 Arg2:T4\n"  # unknown relation
        "A1\tSentiment T1 positive\n"  # unknown attribute
        "T5\tCue 7 10\tmet\n",  # a cue no statement links to
        encoding="utf-8",
    )
    imported, problems = read_all(tmp_path / "doc.ann")
    assert [(s.start, s.end, s.label) for s in imported[0].spans] == [(0, 6, "PERSON"), (22, 28, "GPE")]
    assert imported[0].relations == [] and imported[0].spans[0].attributes == {}
    ann = str(tmp_path / "doc.ann")
    assert [(p.path, p.line) for p in problems] == [(ann, 2), (ann, 3), (ann, 5), (ann, 6), (ann, 7), (ann, 8)]
    assert "Blinkin" in problems[0].message and "T9" in problems[2].message and "MetWith" in problems[3].message
    assert imported[0].document.title == "doc" and imported[0].document.source == "doc.txt"


def test_names_declared_in_annotation_conf_are_read(tmp_path):
    (tmp_path / "annotation.conf").write_text("[entities]\nPERSON\n[relations]\nMetWith\tArg1:PERSON, Arg2:PERSON\n")
    (tmp_path / "a.txt").write_text("Lavrov met Blinken", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERSON 0 6\tLavrov\nT2\tPERSON 11 18\tBlinken\nR1\tMetWith Arg1:T1 Arg2:T2\n")
    imported, problems = read_all(tmp_path)
    assert problems == []
    assert [r.label for r in imported[0].relations] == ["met_with"]


def test_external_discontinuous_span_becomes_one_span_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text("New and York", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tGPE 0 3;8 12\tNew York\n")
    imported, problems = read_all(tmp_path / "a.txt")
    assert [(s.start, s.end) for s in imported[0].spans] == [(0, 12)]
    assert len(problems) == 1 and problems[0].warning and problems[0].line == 1


def test_spans_brat_cannot_show_are_reported_on_write(tmp_path):
    text = "A\n\nB"
    spans = [Span(1, 3, "ORG"), Span(0, 3, "ORG", attributes={"score": 0.5})]
    problems = brat.write([Record(Document(text, title="x"), spans, [])], tmp_path, ExportOptions())
    assert len(problems) == 3 and all(p.warning and p.path == "x" for p in problems)
    assert "only line breaks" in problems[0].message
    assert "ends with a line break; written as 0-1" in problems[1].message and "score" in problems[2].message
    imported, _ = read_all(tmp_path)
    assert [(s.start, s.end, s.attributes) for s in imported[0].spans] == [(0, 1, {})]


def test_sniff(tmp_path):
    brat.write([sample()], tmp_path, OPTIONS)
    assert brat.sniff(tmp_path)
    assert brat.sniff(tmp_path / "00001_talks-lavrov.ann")
    assert brat.sniff(tmp_path / "00001_talks-lavrov.txt")
    other = tmp_path / "other.txt"
    other.write_text("plain text")
    assert not brat.sniff(other)
    assert not brat.sniff(tmp_path / "00001_talks-lavrov.json")


def test_names_and_values_survive_encoding():
    for value in ["check-worthy factual", "a_b", "x|y, z:w=1%", "Лавров сказал"]:
        assert brat.decode(brat.encode(value)) == value
        assert " " not in brat.encode(value)
    assert brat.encode_type("WORK_OF_ART") == "WORK_OF_ART"
    assert brat.decode_type(brat.encode_type("MY LABEL_X")) == "MY LABEL_X"
    assert (brat.brat_name("claim_type"), brat.key_of("ClaimType")) == ("ClaimType", "claim_type")
    assert brat.file_stem(7, "Łódź: talks / “go on”") == "00007_odz-talks-go-on"


def test_a_brat_folder_in_another_encoding_is_read_when_the_encoding_is_named(project, tmp_path):
    from annotator.services.importing import import_paths

    text = "Сергей Лавров прибыл в Ереван."
    (tmp_path / "doc.txt").write_bytes(text.encode("cp1251"))
    (tmp_path / "doc.ann").write_bytes("T1\tPERSON 0 13\tСергей Лавров\n".encode("cp1251"))
    unnamed = import_paths(project, [tmp_path])
    assert unnamed.spans == 0 and any("name another with --encoding" in p.message for p in unnamed.errors)
    named = import_paths(project, [tmp_path], encoding="cp1251", add_labels=True)
    assert named.errors == [] and named.spans == 1


def test_files_of_the_earlier_version_with_has_cue_and_speaker_relations_still_read(tmp_path):
    # As Annotator wrote statements before they became Attribution events.
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    quote = (TEXT.index("“"), TEXT.index("”") + 1)
    (tmp_path / "a.ann").write_text(
        f"T1\tPERSON 5 18\tSergey Lavrov\n"
        f"T2\tSTATEMENT {quote[0]} {TEXT.index(chr(10))};{TEXT.index('We')} {quote[1]}\t"
        f"{TEXT[quote[0] : TEXT.index(chr(10))]} {TEXT[TEXT.index('We') : quote[1]]}\n"
        "A1\tKind T2 direct\n"
        "T3\tCue 19 23\tsaid\n"
        "R1\tHasCue Arg1:T2 Arg2:T3\n"
        "R2\tSpeaker Arg1:T2 Arg2:T1\n",
        encoding="utf-8",
    )
    [item], problems = read_all(tmp_path)
    assert problems == []
    spans, relations = described(item)
    assert spans == [
        (5, 18, "PERSON", Layer.ENTITY, State.ACCEPTED, {}),
        (*quote, "STATEMENT", Layer.STATEMENT, State.ACCEPTED, {"kind": "direct", "cue": [19, 23]}),
    ]
    assert relations == {("STATEMENT", "speaker", "PERSON")}


def test_statement_labels_speakers_and_cues_round_trip_through_attribution_events(tmp_path):
    text = "Lavrov and Safadi said talks go on. Officials said so."
    lavrov, safadi = Span(0, 6, "PERSON"), Span(11, 17, "PERSON")
    quote = Span(23, 34, "QUOTE", layer=Layer.STATEMENT, attributes={"cue": [18, 22], "kind": "indirect"})
    plain = Span(46, 53, "STATEMENT", layer=Layer.STATEMENT, attributes={"cue": [41, 45]})
    claim = Span(23, 34, "CLAIM", layer=Layer.CLAIM, attributes={"cue": [18, 22]})  # a cue brat cannot give it
    relations = [Relation(quote.uid, lavrov.uid, "speaker"), Relation(quote.uid, safadi.uid, "speaker"),
                 Relation(claim.uid, quote.uid, "statement")]
    options = ExportOptions(labels={"entity": ["PERSON"], "statement": ["STATEMENT", "QUOTE"], "claim": ["CLAIM"]})
    record = Record(Document(text, title="t"), [lavrov, safadi, quote, claim, plain], relations)
    problems = brat.write([record], tmp_path, options)
    assert [p.message for p in problems] == ["the cue of the claim at 23-34 is lost: in brat only statements have cues"]
    lines = (tmp_path / "00001_t.ann").read_text(encoding="utf-8").splitlines()
    assert "A1\tLabel T3 QUOTE" in lines and sum("\tLabel " in line for line in lines) == 1  # the first goes unsaid
    events = [line.split("\t")[1] for line in lines if line.startswith("E")]
    assert events == ["Attribution:T9 Content:T3 Cue:T6 Source:T7 Source2:T8", "Attribution:T11 Content:T5 Cue:T10"]
    assert "R1\tStatement Arg1:T4 Arg2:T3" in lines
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    entities = conf.split("[entities]\n")[1].split("\n\n")[0].splitlines()
    assert entities == ["PERSON", "CLAIM", "Content", "Source", "Cue"]
    assert "[events]\nAttribution\tContent:Content, Cue?:Cue, Source*:Source\n" in conf
    assert "Label\tArg:Content, Value:QUOTE\n" in conf and "Kind\tArg:Content" in conf

    layers = ImportOptions(layers={"PERSON": Layer.ENTITY, "STATEMENT": Layer.STATEMENT, "QUOTE": Layer.STATEMENT,
                                   "CLAIM": Layer.CLAIM})
    [item] = [i for i in brat.read(tmp_path, layers) if isinstance(i, Imported)]
    spans, links = described(item)
    assert spans == [
        (0, 6, "PERSON", Layer.ENTITY, State.ACCEPTED, {}),
        (11, 17, "PERSON", Layer.ENTITY, State.ACCEPTED, {}),
        (23, 34, "CLAIM", Layer.CLAIM, State.ACCEPTED, {}),
        (23, 34, "QUOTE", Layer.STATEMENT, State.ACCEPTED, {"cue": [18, 22], "kind": "indirect"}),
        (46, 53, "STATEMENT", Layer.STATEMENT, State.ACCEPTED, {"cue": [41, 45]}),  # no kind made up
    ]
    assert links == {("QUOTE", "speaker", "PERSON"), ("CLAIM", "statement", "QUOTE")}
    assert len([r for r in item.relations if r.label == "speaker"]) == 2
