import io

import orjson

from annotator.core.model import Document, Layer, Relation, Span, State
from annotator.formats.native import FORMAT, document_record, write_record

TEXT = "Hi 😀 Lavrov said: “Talks go on.” 🇷🇺 Moscow"


def test_record_has_the_documented_shape_and_exact_span_texts():
    doc = Document(TEXT, title="T", date="2021-01-13", source="wire", meta={"lang": "en"})
    lavrov = Span(5, 11, "PERSON", origin="en_core_web_sm@3.8.0", state=State.SUGGESTED)
    rejected = Span(TEXT.index("Moscow"), len(TEXT), "ORG", origin="m", state=State.REJECTED)
    quote = Span(TEXT.index("“"), TEXT.index("”") + 1, "STATEMENT", layer=Layer.STATEMENT, origin="ana", attributes={"kind": "direct", "cue": [12, 16]})
    claim = Span(TEXT.index("Talks"), TEXT.index("”"), "CLAIM", layer=Layer.CLAIM, origin="ana", attributes={"checkworthiness": "check-worthy factual", "claim_type": "prediction"})
    relation = Relation(head=quote.uid, tail=lavrov.uid, label="speaker")
    belongs = Relation(head=claim.uid, tail=quote.uid, label="statement")
    record = document_record(doc, [lavrov, rejected, quote, claim], [relation, belongs], {"ana": "done"})
    assert record["format"] == FORMAT == "annotator/1"
    assert record["id"] == doc.uid and record["text"] == TEXT and record["status"] == "new"
    assert record["statuses"] == {"ana": "done"}
    assert record["meta"] == {"title": "T", "date": "2021-01-13", "source": "wire", "lang": "en"}
    assert [(e["text"], e["label"], e["state"], e["origin"]) for e in record["entities"]] == [
        ("Lavrov", "PERSON", "suggested", "en_core_web_sm@3.8.0")
    ]
    statement = record["statements"][0]
    assert (statement["text"], statement["speaker"], statement["kind"], statement["cue"]) == (
        "“Talks go on.”", {"id": lavrov.uid, "text": "Lavrov"}, "direct", {"start": 12, "end": 16, "text": "said"}
    )
    claim_record = record["claims"][0]
    assert (claim_record["statement"], claim_record["checkworthiness"], claim_record["claim_type"]) == (
        quote.uid, "check-worthy factual", "prediction"
    )
    assert record["relations"][0] == {
        "id": relation.uid, "head": quote.uid, "tail": lavrov.uid, "label": "speaker", "attributes": {}
    }

    for layer in ("entities", "statements", "claims"):
        for span in record[layer]:
            assert TEXT[span["start"] : span["end"]] == span["text"]


def test_a_speaker_who_is_not_in_the_text_is_exported_by_name():
    quote = Span(0, 5, "STATEMENT", layer=Layer.STATEMENT, attributes={"speaker_text": "the ministry's press service"})
    record = document_record(Document("Talks go on."), [quote])
    assert record["statements"][0]["speaker"] == {"id": None, "text": "the ministry's press service"}


def test_records_are_one_json_object_per_line():
    out = io.BytesIO()
    for i in range(3):
        write_record(document_record(Document(f"Line {i}\nwith a newline"), []), out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert [orjson.loads(line)["text"] for line in lines] == [f"Line {i}\nwith a newline" for i in range(3)]
