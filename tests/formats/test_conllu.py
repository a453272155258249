import re
from pathlib import Path

from annotator.core.errors import Problem
from annotator.core.model import Layer, State
from annotator.core.records import Imported, ImportOptions
from annotator.formats import conllu


def row(ident: str, form: str, misc: str = "_") -> str:
    return "\t".join([ident, form, "_", "_", "_", "_", "_", "_", "_", misc])


SAMPLE = "\n".join(
    [
        "# newdoc id = doc_one",
        "# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity",
        "# meta::title = Trump's team",
        "# meta::dateCreated = 2017-07-18",
        "# meta::author = Wikinews",
        "# newpar",
        "# text = Donald Trump's team won.",
        row("1", "Donald", "Entity=(1-organization-new-sssss-cf1-3-coref(2-person-new-sssss-cf2-2-coref-Donald_Trump"),
        row("2-3", "Trump's"),
        row("2", "Trump", "Entity=2)"),
        row("3", "'s"),
        row("4", "team", "Entity=1)"),
        row("4.1", "won", "CopyOf=5"),
        row("5", "won", "SpaceAfter=No"),
        row("6", "."),
        "",
        "# text = It was in Washington-DC.",
        row("1", "It", "Entity=(1-organization-giv:act-sssss-cf1-1-coref)"),
        row("2", "was"),
        row("3", "in"),
        row("4", "Washington-DC", "Entity=(3-place-new-nnnnn-cf2-1-sgl-Washington-DC)|SpaceAfter=No"),
        row("5", "."),
        "",
        "# newpar",
        "# text = Al fin.",
        row("1-2", "Al"),
        row("1", "A", "Entity=(4-abstract-new-nnnnn-cf1-1-sgl"),
        row("2", "el", "Entity=4)"),
        row("3", "fin", "SpaceAfter=No"),
        row("4", "."),
        "",
    ]
)


def read_all(path: Path, options: ImportOptions = ImportOptions()) -> tuple[list[Imported], list[Problem]]:
    items = list(conllu.read(path, options))
    return [i for i in items if isinstance(i, Imported)], [i for i in items if isinstance(i, Problem)]


def found(item: Imported) -> list[tuple[str, str]]:
    return [(s.label, item.document.text[s.start : s.end]) for s in item.spans]


def test_rebuilds_text_and_nested_entities_with_attributes(tmp_path):
    path = tmp_path / "sample.conllu"
    path.write_text(SAMPLE + "\n", encoding="utf-8")
    imported, problems = read_all(path)
    assert problems == []
    (item,) = imported
    doc = item.document
    # Sentences of a paragraph joined by a space, paragraphs by a blank line; the multiword
    # token "Al" (a + el) is its surface form; the empty node 4.1 adds nothing.
    assert doc.text == "Donald Trump's team won. It was in Washington-DC.\n\nAl fin."
    assert (doc.title, doc.date, doc.source, doc.meta) == (
        "Trump's team",
        "2017-07-18",
        "doc_one",
        {"author": "Wikinews"},
    )
    assert item.line == 1
    assert found(item) == [
        ("PERSON", "Donald Trump"),  # a word of the multiword token "Trump's"
        ("ORGANIZATION", "Donald Trump's team"),
        ("ORGANIZATION", "It"),
        ("PLACE", "Washington-DC"),
        ("ABSTRACT", "Al"),  # its words are not in the text: the whole token
    ]
    person = item.spans[0]
    assert person.attributes == {
        "entity_id": "2",
        "infstat": "new",
        "salience": "sssss",
        "centering": "cf2",
        "minspan": "2",
        "link": "coref",
        "identity": "Donald_Trump",
    }
    assert item.spans[3].attributes["identity"] == "Washington-DC"  # dashes in the last field are kept
    assert all(
        s.origin == "import:conllu" and s.state == State.ACCEPTED and s.layer == Layer.ENTITY for s in item.spans
    )


def test_labels_of_the_schema_go_to_their_layer(tmp_path):
    path = tmp_path / "sample.conllu"
    path.write_text(SAMPLE, encoding="utf-8")
    imported, _ = read_all(path, ImportOptions(layers={"PLACE": Layer.CLAIM}))
    assert [s.layer for s in imported[0].spans if s.label == "PLACE"] == [Layer.CLAIM]


def test_unclosed_and_unmatched_brackets_are_reported_with_their_line(tmp_path):
    path = tmp_path / "broken.conllu"
    text = "\n".join(
        [
            "# newdoc id = a",
            "# text = One two three",
            row("1", "One", "Entity=(1-person-new"),
            row("2", "two", "Entity=(2-place-new)|Foo=bar"),
            row("3", "three", "Entity=7)"),
            "",
            "# newdoc id = b",
            "# text = Fine",
            row("1", "Fine", "Entity=(1-event-new)"),
            "",
            "# text = Bad row",
            "1\tBad\t_",
            "",
        ]
    )
    path.write_text(text, encoding="utf-8")
    imported, problems = read_all(path)
    assert [(p.line, p.warning) for p in problems] == [(5, False), (3, False), (12, False)]
    assert "entity 7 is closed here" in problems[0].message
    assert "entity 1 person opened here is never closed" in problems[1].message
    assert "10 tab-separated columns" in problems[2].message
    assert [(i.document.source, found(i)) for i in imported] == [("a", [("PLACE", "two")]), ("b", [("EVENT", "Fine")])]
    assert imported[0].document.title == "a" and imported[0].document.date is None
    assert imported[1].line == 7


def test_without_newdoc_the_file_is_one_document_named_after_it(tmp_path):
    path = tmp_path / "plain.conllu"
    text = "\n".join(["# text = Hi there", row("1", "Hi"), row("2", "there"), "", "# text = Bye", row("1", "Bye"), ""])
    path.write_text(text, encoding="utf-8")
    imported, problems = read_all(path)
    assert problems == []
    assert [(i.document.text, i.document.title, i.document.source) for i in imported] == [
        ("Hi there Bye", "plain", "plain.conllu")
    ]


def test_a_text_comment_that_disagrees_with_the_words_is_noted(tmp_path):
    path = tmp_path / "odd.conllu"
    path.write_text("\n".join(["# text = Hi there", row("1", "Hi", "SpaceAfter=No"), row("2", "there"), ""]))
    imported, problems = read_all(path)
    assert imported[0].document.text == "Hithere"
    assert len(problems) == 1 and problems[0].warning and problems[0].line == 1


def test_sniff(tmp_path, corpus):
    assert conllu.sniff(corpus / "annotated" / "gum_news" / "conllu" / "GUM_news_afghan.conllu")
    sample = tmp_path / "a.txt"
    sample.write_text(SAMPLE, encoding="utf-8")
    conll = tmp_path / "b.conll"
    conll.write_text("EU\tB-ORG\nrejects\tO\n", encoding="utf-8")
    prose = tmp_path / "c.txt"
    prose.write_text("# A heading\n\nSome text.\n", encoding="utf-8")
    assert conllu.sniff(sample)
    assert not conllu.sniff(conll) and not conllu.sniff(prose) and not conllu.sniff(tmp_path / "none.conllu")


def test_all_gum_news_files_import_with_every_mention(corpus):
    files = sorted((corpus / "annotated" / "gum_news" / "conllu").glob("*.conllu"))
    assert len(files) == 24
    for path in files:
        imported, problems = read_all(path)
        assert problems == [], path.name
        (item,) = imported
        expected_text, expected_spans = independent_reading(path)
        assert item.document.text == expected_text, path.name
        assert item.document.title and item.document.date and item.document.source == path.stem
        # Every "(" of an Entity field is one span, on the words from its opening to its closing.
        openings = sum(v.count("(") for v in re.findall(r"Entity=([^|\t\n]*)", path.read_text(encoding="utf-8")))
        assert len(item.spans) == openings, path.name
        spans = sorted((s.start, s.end, s.label) for s in item.spans)
        assert spans == sorted(expected_spans), path.name
        assert all(
            item.document.text[s.start : s.end].strip() == item.document.text[s.start : s.end] for s in item.spans
        )


def independent_reading(path: Path) -> tuple[str, list[tuple[int, int, str]]]:
    """The text from the '# text' lines and '# newpar' marks; each word found in it by search, and
    mentions matched by a stack per entity id: a second reading to check the importer against."""
    paragraphs: list[list[str]] = []
    words: list[tuple[str, str]] = []  # (form, misc) of syntactic words, in order
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line == "# newpar" or line.startswith("# newpar ") or (line.startswith("# text = ") and not paragraphs):
            paragraphs.append([])
        if line.startswith("# text = "):
            paragraphs[-1].append(line.removeprefix("# text = "))
        elif line and not line.startswith("#"):
            columns = line.split("\t")
            if columns[0].isdigit():
                words.append((columns[1], columns[9]))
    text = "\n\n".join(" ".join(sentences) for sentences in paragraphs)
    spans, open_, cursor = [], {}, 0
    for form, misc in words:
        start = text.index(form, cursor)
        assert text[cursor:start].strip() == "", (form, text[cursor:start])
        cursor = start + len(form)
        entity = next((m[7:] for m in misc.split("|") if m.startswith("Entity=")), "")
        for opening, closed, closing in re.findall(r"\(([^()]*)(\)?)|([^()]+)\)", entity):
            if opening:
                ident, etype = opening.split("-")[:2]
                open_.setdefault(ident, []).append((start, etype.upper()))
                if closed:
                    first, label = open_[ident].pop()
                    spans.append((first, cursor, label))
            else:
                first, label = open_[closing].pop()
                spans.append((first, cursor, label))
    assert not any(open_.values())
    return text, spans
