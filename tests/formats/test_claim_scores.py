"""A claim's check-worthiness score travels in the native JSONL ("score" on the claim) and in Label
Studio's predictions (its region's score, and the prediction's)."""

import orjson

from annotator.core.model import Document, Layer, Span, State
from annotator.core.records import ExportOptions, ImportOptions, Record
from annotator.formats import labelstudio, native

TEXT = "Unemployment fell to 3.5 percent in 2019. I think we should be kinder."


def record() -> Record:
    high = Span(0, 41, "CLAIM", Layer.CLAIM, "claim-rules@1", State.SUGGESTED,
                {"score": 0.95, "checkworthiness": "check-worthy factual"})
    low = Span(42, len(TEXT), "CLAIM", Layer.CLAIM, "claim-rules@1", State.SUGGESTED,
               {"score": 0.03, "checkworthiness": "non-factual"})
    return Record(Document(TEXT, title="scores"), [high, low], [])


def test_the_native_jsonl_has_the_score_on_each_claim_and_reads_it_back(tmp_path):
    out = tmp_path / "out.jsonl"
    native.write([record()], out, ExportOptions())
    [line] = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert [(c["score"], c["checkworthiness"]) for c in line["claims"]] == [
        (0.95, "check-worthy factual"), (0.03, "non-factual")]
    [imported] = [item for item in native.read(out, ImportOptions(layers={"CLAIM": Layer.CLAIM}))]
    assert sorted(s.attributes["score"] for s in imported.spans) == [0.03, 0.95]


def test_label_studio_predictions_carry_the_scores_and_read_back(tmp_path):
    out = tmp_path / "out.json"
    labelstudio.write([record()], out, ExportOptions())
    [task] = orjson.loads(out.read_bytes())
    [prediction] = task["predictions"]
    assert prediction["model_version"] == "claim-rules@1"
    assert sorted(item["score"] for item in prediction["result"] if item["type"] == "labels") == [0.03, 0.95]
    assert prediction["score"] == 0.03  # its least sure region's, as Label Studio samples by it
    assert not any(item["from_name"] == "score" for item in prediction["result"])
    read = [item for item in labelstudio.read(out, ImportOptions(layers={"CLAIM": Layer.CLAIM}))]
    [imported] = [item for item in read if hasattr(item, "spans")]
    assert sorted((s.state, s.attributes["score"]) for s in imported.spans) == [
        (State.SUGGESTED, 0.03), (State.SUGGESTED, 0.95)]
