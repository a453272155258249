"""Token-based exports through the service with the project's real tokenizer (en_core_web_sm): a word
tagged inside a token ("TASS" in "/TASS/.") is kept, on its own token, in Prodigy, CoNLL and DocBin."""

from __future__ import annotations

import orjson
import pytest

from annotator.core.model import Document, Span, State
from annotator.services.exporting import export
from annotator.services.projects import open_location
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans

TEXT = "MOSCOW, December 4. /TASS/. Sergey Lavrov said the talks were useful."
TASS = TEXT.index("TASS")


@pytest.fixture
def project(tmp_path):
    project = open_location(str(tmp_path / "p.annotator.sqlite"))
    (doc,) = add_documents(project, [Document(TEXT, title="Talks")]).added
    lavrov = TEXT.index("Sergey")
    spans = [Span(TASS, TASS + 4, "ORG"), Span(lavrov, lavrov + 13, "PERSON")]
    add_spans(project, doc.id, [Span(s.start, s.end, s.label, state=State.ACCEPTED, annotator="ana") for s in spans])
    yield project
    project.close()


def test_prodigy_token_indices_match_the_characters(project, tmp_path):
    target = tmp_path / "out.jsonl"
    assert export(project, target, "prodigy").lost == []
    task = orjson.loads(target.read_bytes())
    tass = next(s for s in task["spans"] if s["label"] == "ORG")
    assert (tass["start"], tass["end"]) == (TASS, TASS + 4)
    tokens = task["tokens"]
    assert tokens[tass["token_start"]]["start"] == TASS and tokens[tass["token_end"]]["end"] == TASS + 4
    assert [t["text"] for t in tokens[tass["token_start"] - 1 : tass["token_end"] + 2]] == ["/", "TASS", "/."]


def test_conll_and_docbin_keep_it(project, tmp_path):
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    assert export(project, tmp_path / "out.conll", "conll").lost == []
    lines = (tmp_path / "out.conll").read_text(encoding="utf-8").splitlines()
    assert "TASS B-ORG" in lines and "Sergey B-PERSON" in lines and "Lavrov I-PERSON" in lines

    assert export(project, tmp_path / "out.spacy", "spacy").lost == []
    (doc,) = DocBin().from_disk(tmp_path / "out.spacy").get_docs(Vocab())
    assert doc.text == TEXT
    found = [(e.text, e.label_, e.start_char) for e in doc.ents]
    assert found == [("TASS", "ORG", TASS), ("Sergey Lavrov", "PERSON", 28)]
