"""An imported span whose offsets cut a character as a reader sees it (a tool that counted a flag's two
regional indicators apart, or an accent apart from its letter) is widened to the whole character and
reported once per record, with the file and the line."""

from __future__ import annotations

import orjson

from annotator.core.graphemes import is_boundary
from annotator.services.importing import detect, import_paths
from annotator.services.projects import open_location
from tests.services.interchange_data import annotations_of

FLAG = "Benjamin Netanyahu 🇮🇱 met Zoe\u0308 Brandt 👍🏽 in Moscow."
CUT = FLAG.index("🇮🇱") + 1  # between the flag's two letters
ZOE = FLAG.index("Zoe")
PLAIN = "Sergey Lavrov spoke in Moscow."


def write_jsonl(path, records):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def stored(project) -> dict[str, list[tuple[int, int, str, str]]]:
    return {text: [row[1:5] for row in rows] for text, rows in annotations_of(project, attributes=False).items()}


def test_a_prodigy_span_ending_inside_a_flag_is_widened_and_reported_with_its_line(tmp_path):
    source = write_jsonl(
        tmp_path / "prodigy.jsonl",
        [
            {"text": PLAIN, "spans": [{"start": 0, "end": 13, "label": "PERSON"}], "answer": "accept",
             "_input_hash": 1, "_task_hash": 2},
            {"text": FLAG, "answer": "accept", "_input_hash": 3, "_task_hash": 4, "spans": [
                {"start": 0, "end": CUT, "label": "PERSON"},  # "Benjamin Netanyahu 🇮"
                {"start": ZOE, "end": ZOE + 3, "label": "PERSON"},  # "Zoe" without its two dots
            ]},
        ],
    )
    assert detect(source) == "prodigy"
    project = open_location(str(tmp_path / "p.sqlite"))
    report = import_paths(project, [source])
    assert report.ok and report.spans == 3
    warned = [str(w) for w in report.warnings if "inside a character" in w.message]
    assert len(warned) == 1, report.warnings
    assert warned[0].startswith(f"{source}:2: 2 annotation(s) began or ended inside a character")
    assert f"PERSON 0-{CUT} to 0-{CUT + 1} 'Benjamin Netanyahu 🇮🇱'" in warned[0]
    assert stored(project)[FLAG] == [
        (0, CUT + 1, "PERSON", "Benjamin Netanyahu 🇮🇱"),
        (ZOE, ZOE + 4, "PERSON", "Zoe\u0308"),
    ]
    assert stored(project)[PLAIN] == [(0, 13, "PERSON", "Sergey Lavrov")]
    project.close()


def test_a_doccano_span_starting_inside_an_emoji_is_widened_and_the_stress_tweets_stay_whole(tmp_path, corpus):
    tweets = (corpus / "unicode" / "tweets_btc_astral.txt").read_text(encoding="utf-8").split("\n\n")
    tweets = [t for t in tweets if t.strip()]
    thumb = FLAG.index("👍🏽")
    records = [{"text": FLAG, "label": [[thumb + 1, thumb + 2, "EMOJI"], [FLAG.index("Moscow"), len(FLAG) - 1, "GPE"]]}]
    # Every code point of each stress tweet marked on its own: each edge inside an emoji is widened.
    records += [{"text": t, "label": [[i, i + 1, "CHAR"] for i in range(0, len(t), 3)]} for t in tweets]
    source = write_jsonl(tmp_path / "doccano.jsonl", records)
    assert detect(source) == "doccano"
    project = open_location(str(tmp_path / "d.sqlite"))
    report = import_paths(project, [source], add_labels=True)
    assert report.ok
    warned = [w for w in report.warnings if "inside a character" in w.message]
    assert warned[0].line == 1 and str(warned[0]).startswith(f"{source}:1: 1 annotation(s)")
    assert len({w.line for w in warned}) == len(warned)  # one warning per record
    found = stored(project)
    assert (thumb, thumb + 2, "EMOJI", "👍🏽") in found[FLAG]
    assert sum(len(rows) for rows in found.values()) > 20
    for text, rows in found.items():
        for start, end, _label, _words in rows:
            assert is_boundary(text, start) and is_boundary(text, end), (text, start, end)
    project.close()
