import re
import zlib
from pathlib import Path

import spacy
import srsly
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Relation, Span, State
from annotator.core.records import ExportOptions, Imported, ImportOptions, Record
from annotator.nlp import docbin
from annotator.nlp.tokens import blank_tokenizer

TEXT = "Hi 😀 Sergey Lavrov said:\n\n  “Talks go on.\nWe will bring our people home,”  \t WORK OF ART "
LAYERS = ImportOptions(layers={"STATEMENT": Layer.STATEMENT, "CLAIM": Layer.CLAIM})


def at(word: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def sample() -> Record:
    lavrov = Span(*at("Sergey Lavrov"), "PERSON")
    nested = Span(*at("Lavrov"), "PERSON", origin="en_core_web_sm@3.8.0", state=State.SUGGESTED)
    art = Span(*at("WORK OF ART"), "WORK_OF_ART")
    statement = Span(
        TEXT.index("“"),
        TEXT.index("”") + 1,
        "STATEMENT",
        layer=Layer.STATEMENT,
        attributes={"kind": "direct", "cue": list(at("said"))},
    )
    typed = Span(*at("Hi"), "STATEMENT", layer=Layer.STATEMENT, attributes={"speaker_text": "the press service"})
    claim = Span(
        *at("We will bring our people home"),
        "CLAIM",
        layer=Layer.CLAIM,
        attributes={"checkworthiness": "check-worthy factual", "claim_type": "prediction", "note": "two\nlines"},
    )
    spans = sorted([lavrov, nested, art, statement, typed, claim], key=lambda s: (s.start, s.end))
    relations = [
        Relation(head=statement.uid, tail=lavrov.uid, label="speaker"),
        Relation(head=claim.uid, tail=statement.uid, label="statement"),
    ]
    doc = Document(TEXT, title="Talks", date="2021-01-13", source="tass.txt", meta={"lang": "en", "n": [1, 2]})
    return Record(doc, spans, relations)


def read_all(path: Path, options: ImportOptions = LAYERS) -> tuple[list[Imported], list[Problem]]:
    items = list(docbin.read(path, options))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def spacy_docs(path: Path) -> list[Doc]:
    return list(DocBin().from_disk(path).get_docs(Vocab()))


def described(item: Imported) -> tuple[list, set]:
    text = item.document.text
    by_uid = {s.uid: s for s in item.spans}
    spans = [(text[s.start : s.end], s.label, s.layer, s.attributes) for s in item.spans]
    relations = {
        (text[by_uid[r.head].start : by_uid[r.head].end], r.label, by_uid[r.tail].label) for r in item.relations
    }
    return spans, relations


def test_round_trip_keeps_text_spans_attributes_links_and_metadata(tmp_path):
    target = tmp_path / "out.spacy"
    problems = docbin.write([sample(), Record(Document("Second.", title=""), [], [])], target, ExportOptions())
    # Only the nested entity is worth a note: it cannot be in doc.ents, but is in doc.spans.
    assert [(p.path, p.warning) for p in problems] == [("Talks", True)]
    assert "'Lavrov'" in problems[0].message and 'doc.spans["entities"]' in problems[0].message

    imported, read_problems = read_all(target)
    assert read_problems == []
    assert [i.document.text for i in imported] == [TEXT, "Second."]
    doc = imported[0].document
    assert (doc.title, doc.date, doc.source, doc.meta) == (
        "Talks",
        "2021-01-13",
        "tass.txt",
        {"lang": "en", "n": [1, 2]},
    )
    assert (imported[1].document.title, imported[1].document.source) == ("out #2", "out.spacy")
    assert [i.line for i in imported] == [1, 2]
    spans, relations = described(imported[0])
    assert spans == [
        ("Hi", "STATEMENT", Layer.STATEMENT, {"speaker_text": "the press service"}),
        ("Sergey Lavrov", "PERSON", Layer.ENTITY, {}),
        ("Lavrov", "PERSON", Layer.ENTITY, {}),
        ("“Talks go on.\nWe will bring our people home,”", "STATEMENT", Layer.STATEMENT,
         {"kind": "direct", "cue": list(at("said"))}),
        ("We will bring our people home", "CLAIM", Layer.CLAIM,
         {"checkworthiness": "check-worthy factual", "claim_type": "prediction", "note": "two\nlines"}),
        ("WORK OF ART", "WORK_OF_ART", Layer.ENTITY, {}),
    ]  # fmt: skip
    assert relations == {
        ("“Talks go on.\nWe will bring our people home,”", "speaker", "PERSON"),
        ("We will bring our people home", "statement", "STATEMENT"),
    }
    speaker = next(r for r in imported[0].relations if r.label == "speaker")
    assert next(s for s in imported[0].spans if s.uid == speaker.tail).end - 1 == TEXT.index("Lavrov") + 5
    assert all(s.origin == "import:spacy" and s.state == State.ACCEPTED for s in imported[0].spans)


def test_spacy_sees_entities_groups_and_exact_text(tmp_path):
    target = tmp_path / "out.spacy"
    docbin.write([sample()], target, ExportOptions())
    (doc,) = spacy_docs(target)
    assert doc.text == TEXT
    assert [(e.text, e.label_) for e in doc.ents] == [("Sergey Lavrov", "PERSON"), ("WORK OF ART", "WORK_OF_ART")]
    # Annotated documents: every other token is O (outside), not missing.
    assert {t.ent_iob_ for t in doc if not t.ent_type_} == {"O"}
    assert [s.text for s in doc.spans["entities"]] == ["Sergey Lavrov", "Lavrov", "WORK OF ART"]
    assert [s.text for s in doc.spans["statements"]] == ["Hi", "“Talks go on.\nWe will bring our people home,”"]
    assert [s.text for s in doc.spans["claims"]] == ["We will bring our people home"]
    assert [(s.text, s.label_) for s in doc.spans["cues"]] == [("said", "CUE")]
    assert doc.user_data["annotator"]["title"] == "Talks"


def test_spans_inside_the_projects_tokens_get_tokens_of_their_own(tmp_path):
    text = "Lavrov's talks in Moscow-based Riverton.  Then"
    spans = [Span(*at("Lavrov", text), "PERSON"), Span(*at("Riverton", text), "GPE")]
    in_white_space = Span(text.index("  Then"), len(text), "DATE")  # from a token's trailing space
    target = tmp_path / "out.spacy"

    def by_spaces(value: str) -> list[tuple[int, int]]:  # a project tokenizer that keeps "Lavrov's" whole
        return [(m.start(), m.end()) for m in re.finditer(r"\S+", value)]

    record = Record(Document(text, title="T"), [*spans, in_white_space], [])
    problems = docbin.write([record], target, ExportOptions(tokenize=by_spaces))
    assert len(problems) == 1 and "'  Then'" in problems[0].message and "token edges" in problems[0].message
    (doc,) = spacy_docs(target)
    assert [t.text for t in doc][:3] == ["Lavrov", "'s", "talks"]
    expected = [(text[s.start : s.end], s.start, s.end) for s in spans]
    assert [(e.text, e.start_char, e.end_char) for e in doc.ents] == expected
    assert doc.text == text


def test_tass_inside_slashes_is_an_entity_of_the_docbin(tmp_path):
    text = "MOSCOW, December 4 (/TASS/). Sergey Lavrov said."
    spans = [Span(*at("TASS", text), "ORG"), Span(*at("Sergey Lavrov", text), "PERSON")]
    target = tmp_path / "out.spacy"
    assert docbin.write([Record(Document(text, title="T"), spans, [])], target, ExportOptions()) == []
    (doc,) = spacy_docs(target)
    found = [(e.text, e.label_, e.start_char) for e in doc.ents]
    assert found == [("TASS", "ORG", 21), ("Sergey Lavrov", "PERSON", 29)]


def test_words_and_spaces_rebuild_any_white_space():
    for text in ["  lead", "a  b", "a\n\nb ", "\t", "a \u00a0 b", "end\n"]:
        tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        words, spaces = docbin.words_and_spaces(text, tokens)
        assert Doc(Vocab(), words, spaces).text == text


def test_written_file_is_what_spacys_own_docbin_writes(tmp_path):
    records = [sample(), Record(Document("Paris, again.", title="P"), [Span(0, 5, "GPE")], [])]
    target = tmp_path / "out.spacy"
    docbin.write(records, target, ExportOptions())
    vocab = Vocab()
    docs = [docbin.make_doc(r, blank_tokenizer(), vocab)[0] for r in records]
    theirs = DocBin(attrs=docbin.ATTRS, store_user_data=True, docs=docs).to_bytes()
    ours = srsly.msgpack_loads(zlib.decompress(target.read_bytes()))
    assert ours == srsly.msgpack_loads(zlib.decompress(theirs))


def test_many_documents_stream_into_one_file(tmp_path):
    def record(n: int) -> Record:
        text = f"Doc {n} is in Paris."
        return Record(Document(text, title=f"d{n}"), [Span(*at("Paris", text), "GPE")], [])

    records = (record(n) for n in range(300))
    target = tmp_path / "many.spacy"
    assert docbin.write(records, target, ExportOptions()) == []
    assert list(tmp_path.iterdir()) == [target]  # the temporary parts are gone
    imported, problems = read_all(target)
    assert problems == [] and len(imported) == 300
    assert imported[299].document.title == "d299"
    assert [imported[299].document.text[s.start : s.end] for s in imported[299].spans] == ["Paris"]


def test_train_dev_split_is_stable_and_follows_the_seed(tmp_path):
    records = [Record(Document(f"Text {n} here.", title=f"d{n}", uid=f"uid-{n}"), [], []) for n in range(60)]

    def split(folder: Path, seed: int) -> tuple[set[str], set[str]]:
        assert docbin.write(records, folder, ExportOptions(dev_fraction=0.25, seed=seed)) == []
        assert sorted(p.name for p in folder.iterdir()) == ["dev.spacy", "train.spacy"]
        parts = [spacy_docs(folder / name) for name in ("train.spacy", "dev.spacy")]
        return tuple({d.user_data["annotator"]["title"] for d in docs} for docs in parts)

    train, dev = split(tmp_path / "a", 7)
    assert train | dev == {f"d{n}" for n in range(60)} and not train & dev
    assert 5 <= len(dev) <= 25
    assert split(tmp_path / "b", 7) == (train, dev)
    assert split(tmp_path / "c", 8)[1] != dev
    # Reading the folder gives both parts back.
    imported, _ = read_all(tmp_path / "a")
    assert sorted(i.document.title for i in imported) == sorted(train | dev)


def test_an_empty_part_is_noted(tmp_path):
    # A fixed uid: the split is a draw from it, and a random one fell in dev one run in a hundred.
    one = Document("One.", uid="one")
    problems = docbin.write([Record(one, [], [])], tmp_path / "split", ExportOptions(dev_fraction=0.01))
    assert [(p.path, p.warning) for p in problems] == [("dev.spacy", True)]


def test_reads_a_docbin_made_by_spacy(tmp_path):
    nlp = spacy.blank("en")
    doc = nlp("Elena Varga said the CLAIM in Riverton.")
    doc.ents = [doc.char_span(0, 11, label="PERSON"), doc.char_span(30, 38, label="GPE")]
    doc.spans["sc"] = [doc.char_span(0, 11, label="PERSON"), doc.char_span(21, 26, label="CLAIM")]
    path = tmp_path / "theirs.spacy"
    DocBin(docs=[doc, nlp("Nothing here.")]).to_disk(path)

    imported, problems = read_all(path)
    assert problems == []
    assert [i.document.title for i in imported] == ["theirs #1", "theirs #2"]
    found = [(imported[0].document.text[s.start : s.end], s.label, s.layer) for s in imported[0].spans]
    # The PERSON of both doc.ents and the "sc" group is one span; CLAIM goes to its layer by the schema.
    assert found == [("Elena Varga", "PERSON", Layer.ENTITY), ("CLAIM", "CLAIM", Layer.CLAIM),
                     ("Riverton", "GPE", Layer.ENTITY)]  # fmt: skip
    assert imported[1].spans == [] and imported[0].relations == []


def test_a_file_that_is_not_a_docbin_is_reported(tmp_path):
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"not zlib at all")
    imported, problems = read_all(bad)
    assert imported == [] and len(problems) == 1 and "spaCy DocBin" in problems[0].message
    empty_folder = tmp_path / "none"
    empty_folder.mkdir()
    assert "found none" in read_all(empty_folder)[1][0].message


def test_sniff(tmp_path):
    ours = tmp_path / "ours.bin"
    docbin.write([sample()], ours, ExportOptions())
    theirs = tmp_path / "theirs.spacy"
    DocBin(docs=[spacy.blank("en")("Hi.")]).to_disk(theirs)
    other = tmp_path / "other.spacy"
    other.write_bytes(zlib.compress(srsly.msgpack_dumps({"something": "else"})))
    text = tmp_path / "t.conll"
    text.write_text("EU B-ORG\n", encoding="utf-8")
    assert docbin.sniff(ours) and docbin.sniff(theirs)
    assert not docbin.sniff(other) and not docbin.sniff(text) and not docbin.sniff(tmp_path / "missing.spacy")


def test_a_zlib_bomb_is_refused_without_taking_the_memory(tmp_path):
    import tracemalloc

    bomb = tmp_path / "bomb.spacy"
    packer, zeros = zlib.compressobj(9), bytes(2**20)
    with bomb.open("wb") as out:
        for _ in range(300):  # 300 MB of zeros in about 300 KB
            out.write(packer.compress(zeros))
        out.write(packer.flush())
    tracemalloc.start()
    try:
        imported, problems = read_all(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert imported == [] and "inflate" in problems[0].message
    assert peak < 200 * 2**20, f"{peak / 2**20:.0f} MB"  # inflating it all would take 300 MB


def test_hostile_user_data_costs_its_document_only(tmp_path):
    nlp = spacy.blank("en")
    hostile, good = nlp("Elena Varga spoke."), nlp("Sergey Lavrov spoke.")
    hostile.ents = [hostile.char_span(0, 11, label="PERSON")]
    key = docbin.span_key("entities", 0, 11, "PERSON")
    hostile.user_data["annotator"] = {"spans": {key: [1, 2]}, "relations": 5, "date": 20210113, "meta": [1]}
    path = tmp_path / "hostile.spacy"
    DocBin(docs=[hostile, good], store_user_data=True).to_disk(path)
    imported, problems = read_all(path)
    assert [i.document.text for i in imported] == ["Elena Varga spoke.", "Sergey Lavrov spoke."]
    assert imported[0].spans[0].attributes == {} and imported[0].document.date is None
