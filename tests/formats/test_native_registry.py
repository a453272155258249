"""Native JSONL read back with its registry: each linked span's ``entity`` and the line's ``registry`` entries."""

import orjson

from annotator.core.errors import Problem
from annotator.core.model import Document, Layer, Relation, Span
from annotator.core.records import ImportOptions, RegistryRecord
from annotator.core.vocabulary import SPEAKER
from annotator.formats import native
from annotator.formats.native import document_record, with_entities

TEXT = "Russian Foreign Minister Sergey Lavrov said talks went well. Лавров added nothing."
LAVROV = RegistryRecord("e-lavrov", "Sergey Lavrov", "PERSON", ("Lavrov", "Лавров"))


def lavrov_line() -> tuple[dict, Span, Span, Span]:
    full = Span(TEXT.index("Sergey"), TEXT.index("Sergey") + 13, "PERSON")
    cyrillic = Span(TEXT.index("Лавров"), TEXT.index("Лавров") + 6, "PERSON")
    said = Span(TEXT.index("talks"), TEXT.index("well") + 4, "STATEMENT", Layer.STATEMENT)
    record = document_record(Document(TEXT, title="Talks"), [full, said, cyrillic],
                             [Relation(said.uid, full.uid, SPEAKER)])
    with_entities(record, {full.uid: LAVROV.uid, cyrillic.uid: LAVROV.uid}, {LAVROV.uid: LAVROV})
    return record, full, cyrillic, said


def read(tmp_path, *records):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return list(native.read(path, ImportOptions()))


def test_the_entity_of_each_mention_and_the_lines_registry_come_back(tmp_path):
    record, full, cyrillic, _said = lavrov_line()
    [item] = read(tmp_path, record)
    assert item.entities == {full.uid: "e-lavrov", cyrillic.uid: "e-lavrov"}
    assert item.registry == (LAVROV,)


def test_a_speakers_entity_links_its_span_when_the_span_itself_does_not_say(tmp_path):
    record, full, cyrillic, _said = lavrov_line()
    del record["entities"][0]["entity"]  # only the statement's speaker names the entry
    [item] = read(tmp_path, record)
    assert item.entities == {full.uid: "e-lavrov", cyrillic.uid: "e-lavrov"}


def test_a_line_without_registry_has_no_links(tmp_path):
    record = document_record(Document("Lavrov spoke."), [Span(0, 6, "PERSON")])
    [item] = read(tmp_path, record)
    assert item.entities == {} and item.registry == ()


def test_bad_entity_and_registry_values_are_reported_and_the_rest_of_the_line_is_kept(tmp_path):
    record, full, cyrillic, said = lavrov_line()
    record["entities"][0]["entity"] = 42
    record["statements"][0]["speaker"]["entity"] = ["no"]
    record["registry"] += [{"id": "x"}, "Lavrov", {"id": "e-2", "name": "Moscow", "kind": "PLANET"}]
    second = {**record, "registry": {"id": "e-lavrov"}}
    found = read(tmp_path, record, second)
    problems = [(p.line, p.message) for p in found if isinstance(p, Problem)]
    first, again = [item for item in found if not isinstance(item, Problem)]
    assert [line for line, _ in problems] == [1] * 5 + [2] * 3
    messages = [message for _, message in problems]
    assert f"entity {full.uid}: expected 'entity' to be the id (a string) of a registry entry, found 42" in messages[0]
    assert f"speaker of statement {said.uid}" in messages[1] and "found ['no']" in messages[1]
    assert messages[2].startswith("registry entry x: expected 'id' and 'name'")
    assert messages[3].startswith("registry entry ?: expected an object")
    assert messages[4].startswith("registry entry e-2: unknown kind 'PLANET'")
    assert messages[7].startswith("expected 'registry' to be a list, found dict")
    # the spans, the speaker relation and Лавров's good link are all still there
    assert [s.uid for s in first.spans] == [full.uid, cyrillic.uid, said.uid] and len(first.relations) == 1
    assert first.entities == {cyrillic.uid: "e-lavrov"} and first.registry == (LAVROV,)
    assert again.line == 2 and again.registry == () and again.entities == {cyrillic.uid: "e-lavrov"}
