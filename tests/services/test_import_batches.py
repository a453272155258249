"""The annotated import's batch path: the nesting sweep gives what the pairwise check gave, and a
batch stores documents, spans and relations the way one-by-one storing did (on both backends)."""

from __future__ import annotations

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.model import Document, Layer, Relation, Span
from annotator.core.records import Imported
from annotator.formats.native import document_record
from annotator.services.importing import ImportReport, _AnnotatedImport, import_paths
from annotator.store.annotated import annotated_batches

TEXT = "x" * 60


def pairwise_without_nesting(spans: list[Span]) -> tuple[list[Span], list[tuple[Span, Span]]]:
    """The check as it was: each entity against every entity kept so far."""
    kept, taken, refused = [], [], []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.layer == Layer.ENTITY:
            other = next((t for t in taken if t.start < span.end and span.start < t.end), None)
            if other is not None:
                refused.append((span, other))
                continue
            taken.append(span)
        kept.append(span)
    return kept, refused


@st.composite
def random_spans(draw) -> list[Span]:
    found = []
    for number in range(draw(st.integers(0, 40))):
        start = draw(st.integers(0, len(TEXT) - 1))
        end = draw(st.integers(start + 1, min(len(TEXT), start + 12)))
        layer = draw(st.sampled_from([Layer.ENTITY, Layer.ENTITY, Layer.STATEMENT]))
        found.append(Span(start, end, f"L{number % 3}", layer=layer))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=random_spans())
def test_the_nesting_sweep_keeps_and_reports_exactly_what_the_pairwise_check_did(project, spans):
    report = ImportReport()
    checker = _AnnotatedImport(project, report, add_labels=False)
    item = Imported(Document(TEXT), spans, [], "file.jsonl", 3)
    kept = checker._without_nesting(item, spans)
    want_kept, refused = pairwise_without_nesting(spans)
    assert [id(s) for s in kept] == [id(s) for s in want_kept]
    assert [p.message for p in report.problems] == [
        f"{s.label} '{TEXT[s.start : s.end]}' at {s.start}-{s.end} overlaps {o.label} '{TEXT[o.start : o.end]}' at "
        f"{o.start}-{o.end}, and the schema does not allow nested entities; left out"
        for s, o in refused
    ]


def stored(project) -> dict[str, tuple[list[tuple], list[tuple]]]:
    found = {}
    for batch in annotated_batches(project):
        for doc, spans, relations, _ in batch:
            by_uid = {s.uid: (s.start, s.end, s.label) for s in spans}
            found[doc.text] = (
                sorted((s.start, s.end, s.label, s.annotator) for s in spans),
                sorted((by_uid[r.head], by_uid[r.tail], r.label) for r in relations),
            )
    return found


def native_record(text: str, spans: list[tuple], relations: list[tuple]) -> bytes:
    made = {uid: Span(start, end, label, layer=layer, uid=uid) for uid, start, end, label, layer in spans}
    links = [Relation(head, tail, label) for head, tail, label in relations]
    return orjson.dumps(document_record(Document(text), made.values(), links))


def test_a_batch_keeps_relations_and_merges_a_second_copy_of_an_article_into_the_first(any_project, tmp_path):
    text = "Lavrov said the talks in Geneva would go on."
    other = "Peskov told reporters in Moscow nothing had changed."
    path = tmp_path / "native.jsonl"
    path.write_bytes(
        b"\n".join(
            [
                native_record(text, [("a", 0, 6, "PERSON", Layer.ENTITY), ("b", 0, 44, "STATEMENT", Layer.STATEMENT)],
                              [("b", "a", "speaker")]),
                native_record(other, [("c", 0, 6, "PERSON", Layer.ENTITY)], []),
                # The same article again in the same batch: its PERSON is there already, GPE is new.
                native_record(text, [("d", 0, 6, "PERSON", Layer.ENTITY), ("e", 25, 31, "GPE", Layer.ENTITY)], []),
            ]
        )
        + b"\n"
    )
    report = import_paths(any_project, [path], fmt="jsonl")
    assert report.errors == [], report.problems
    assert (report.added, report.spans, report.already_there, report.merged) == (2, 4, 1, 1)
    found = stored(any_project)
    assert found[text] == (
        [(0, 6, "PERSON", None), (0, 44, "STATEMENT", None), (25, 31, "GPE", None)],
        [((0, 44, "STATEMENT"), (0, 6, "PERSON"), "speaker")],
    )
    assert found[other] == ([(0, 6, "PERSON", None)], [])
    again = import_paths(any_project, [path], fmt="jsonl")  # onto stored documents: nothing doubles
    assert (again.added, again.spans, again.already_there) == (0, 0, 5)
    assert stored(any_project) == found


def test_doccano_triples_take_the_quick_paths_and_still_count_doubles_merge_and_report(any_project, tmp_path):
    """Plain [start, end, label] triples are read and stored in one pass per record; a record with a
    span given twice, a second copy of an article, or one bad triple takes the careful way, as before."""
    text = "Lavrov met Blinken in Geneva on Monday."
    other = "Peskov said nothing had changed in Moscow."
    lines = [
        {"text": text, "label": [[0, 6, "PERSON"], [0, 39, "STATEMENT"], [0, 39, "STATEMENT"]]},  # one span twice
        {"text": other, "label": [[0, 6, "PERSON"], [35, 41, "GPE"]]},
        {"text": other, "label": [[0, 6, "PERSON"], [12, 19, "ORG"]]},  # the same article: PERSON is there
        {"text": "Zelensky spoke.", "label": [[0, 8, "PERSON"], [3, 99, "PERSON"], [True, 8, "PERSON"]]},
    ]
    path = tmp_path / "doccano.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    report = import_paths(any_project, [path], fmt="doccano")
    assert (report.added, report.spans, report.already_there, report.merged) == (3, 6, 2, 1)
    assert [(p.line, p.message.split(":")[0]) for p in report.problems] == [
        (4, "label 1"), (4, "label 2")
    ], report.problems
    found = stored(any_project)
    assert found[text][0] == [(0, 6, "PERSON", None), (0, 39, "STATEMENT", None)]
    assert found[other][0] == [(0, 6, "PERSON", None), (12, 19, "ORG", None), (35, 41, "GPE", None)]
    assert found["Zelensky spoke."][0] == [(0, 8, "PERSON", None)]
    with any_project.reading() as conn:
        uids = [row[0] for row in conn.exec_driver_sql("SELECT uid FROM spans")]
    assert len(uids) == len(set(uids)) == 6
