"""A project holding a 1.9-million-character article exports in every format, with exact offsets.

spaCy refuses texts over 1,000,000 characters (E088); the token-based exports (Prodigy, CoNLL, DocBin)
tokenise in pieces, so the limit never reaches the user. Each export is read back by its own reader.
"""

from __future__ import annotations

import re

import orjson
import pytest

from annotator.core.model import Document, Layer, Span, State
from annotator.services.exporting import EXPORT_FORMATS, FORMATS, export
from annotator.services.importing import import_paths
from annotator.services.projects import open_location
from annotator.store.documents import add_documents
from annotator.store.spans import add_spans
from tests.conftest import shared_corpus
from tests.services.interchange_data import annotations_of

LENGTH = 1_900_000
NAME = re.compile(r"\b[A-Z][a-z]{4,}\b")


@pytest.fixture(scope="module")
def long_text() -> str:
    """Real Wikinews bodies, repeated until the article is 1.9 million characters long."""
    corpus = _corpus()
    bodies = [path.read_text(encoding="utf-8").split("\n", 2)[2] for path in sorted(corpus.glob("news/wikinews_*.txt"))]
    parts, size = [], 0
    while size < LENGTH:
        for body in bodies:
            parts.append(body.rstrip("\n") + "\n\n")
            size += len(parts[-1])
            if size >= LENGTH:
                break
    return "".join(parts)


def _corpus():
    # The shared fixture is per test; this module builds its article once.
    return shared_corpus()


@pytest.fixture(scope="module")
def long_spans(long_text) -> list[Span]:
    """A capitalised word near each of several places, past the 1,000,000 mark too, and the start of
    one word alone (inside a token, so the token-based exports must cut it)."""
    spans = []
    for place in (50, 400_000, 999_000, 1_000_200, 1_500_000, len(long_text) - 2_000):
        found = NAME.search(long_text, place)
        spans.append(Span(found.start(), found.end(), "PERSON", state=State.ACCEPTED, annotator="ana"))
    word = NAME.search(long_text, 1_700_000)
    spans.append(Span(word.start(), word.start() + 3, "ORG", state=State.ACCEPTED, annotator="ana"))
    return spans


@pytest.fixture(scope="module")
def long_project(tmp_path_factory, long_text, long_spans):
    folder = tmp_path_factory.mktemp("long")
    project = open_location(str(folder / "long.annotator.sqlite"))
    (doc,) = add_documents(project, [Document(long_text, title="A very long article")]).added
    add_spans(project, doc.id, long_spans)
    yield project
    project.close()


# The interchange formats: written and read back (the registry and statements-csv exports are for
# analysis: they hold no spans to compare).
@pytest.mark.parametrize("fmt", [f for f in EXPORT_FORMATS if FORMATS[f].read is not None])
def test_a_long_article_exports_in_every_format_with_exact_offsets(long_project, long_text, long_spans, tmp_path, fmt):
    assert len(long_text) >= LENGTH
    target = tmp_path / ("long" + FORMATS[fmt].suffix)
    report = export(long_project, target, fmt)
    assert (report.documents, report.spans, report.lost) == (1, len(long_spans), [])

    copy = open_location(str(tmp_path / "copy.annotator.sqlite"))
    back = import_paths(copy, [target], fmt=fmt, add_labels=True)
    assert back.ok, [str(p) for p in back.problems][:5]
    ((text, rows),) = annotations_of(copy, layers=(Layer.ENTITY,), attributes=False).items()
    expected = [(s.label, long_text[s.start : s.end]) for s in long_spans]
    if fmt == "conll":  # the text is rebuilt from the tokens: the same entities on the same words
        assert sorted((row[3], row[4]) for row in rows) == sorted(expected)
    else:
        assert text == long_text
        assert sorted(row[1:4] for row in rows) == sorted((s.start, s.end, s.label) for s in long_spans)
    copy.close()


def test_the_prodigy_tokens_of_a_long_article_point_at_the_spans_characters(long_project, long_spans, tmp_path):
    target = tmp_path / "long.jsonl"
    export(long_project, target, "prodigy")
    task = orjson.loads(target.read_bytes())
    tokens = task["tokens"]
    assert all(task["text"][t["start"] : t["end"]] == t["text"] for t in tokens[::997])
    assert [t["id"] for t in tokens[-3:]] == [len(tokens) - 3, len(tokens) - 2, len(tokens) - 1]
    for span in task["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    assert sorted((s["start"], s["end"]) for s in task["spans"]) == sorted((s.start, s.end) for s in long_spans)
