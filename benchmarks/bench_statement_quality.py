"""Figure 9: how well the statement rules find who said what, and what all three layers cost.

Quality, on PolNeAR's train split in ../shared/corpus (840 US political news articles with attributions):
our own dev split is the last tenth by publication date (84 articles, the first annotator of each), which
no rule was tuned on (the rules were developed looking at the earlier articles only).

- content character F1 (annotator.core.scoring.character_scores, over the content's pieces as annotated:
  a content split by its attribution counts without the gap), against a raw baseline from the same parses:
  every quotation in the text as a content ("quoted text alone", 0.51 in the PolNeAR paper);
- speaker accuracy: of the annotated attributions whose content a suggested statement overlaps, the share
  whose suggested source (the words in the sentence) or speaker (a pronoun's person) overlaps the
  annotated source; cue accuracy: the same for the cue.

Speed: suggesting all three layers (suggest() with the full pipeline) against raw ``nlp.pipe`` of that
pipeline over the same articles, paired runs, median of the ratios (target: at least 0.8 times as fast).

    python benchmarks/bench_statement_quality.py [--quick] [--json results.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

from common import REPO, paired_times, report

CORPUS = Path(os.environ.get("ANNOTATOR_CORPUS", REPO.parent / "shared" / "corpus")) / "annotated" / "polnear_train"
REPEATS = 3


def dev_split() -> list[tuple[str, Path]]:
    """(text, .ann of its first annotator) of the last tenth of the articles by date."""
    with (CORPUS / "metadata_train.tsv").open(encoding="utf-8", newline="") as file:
        rows = sorted(csv.DictReader(file, delimiter="\t"), key=lambda r: (r["publication_date"], r["filename"]))
    chosen = rows[len(rows) - len(rows) // 10 :]
    found = []
    for row in chosen:
        text = (CORPUS / "text" / f"{row['filename']}.txt").read_text(encoding="utf-8")
        ann = sorted((CORPUS / "attributions").glob(f"{row['filename']}_*.ann"))[0]
        found.append((text, ann))
    return found


def attributions(ann: Path) -> list[tuple[list[tuple[int, int]], tuple[int, int] | None, tuple[int, int] | None]]:
    """(content pieces, cue range, source range) of each Attribution event: read plainly here, not with
    the app's brat reader, so the figure does not depend on the code it judges."""
    bounds, events = {}, []
    for line in ann.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, _, offsets = parts[1].partition(" ")
            bounds[parts[0]] = sorted(tuple(map(int, piece.split())) for piece in offsets.split(";"))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))

    def whole(role: str, event: dict) -> tuple[int, int] | None:
        pieces = bounds.get(event.get(role, ""))
        return (pieces[0][0], pieces[-1][1]) if pieces else None

    return [(bounds[e["Content"]], whole("Cue", e), whole("Source", e)) for e in events if e.get("Content") in bounds]


def overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def quality(nlp, articles) -> dict:
    from annotator.core.scoring import character_scores
    from annotator.nlp.statements import attributions as suggested_in
    from annotator.nlp.statements import quotations

    gold, rules, quoted = [], [], []
    matched = speaker = cue = statements = 0
    docs = nlp.pipe((text for text, _ in articles), batch_size=8)
    for number, (doc, (text, ann)) in enumerate(zip(docs, articles, strict=True)):
        annotated = attributions(ann)
        found = suggested_in(doc)
        statements += len(annotated)
        gold += [(number, s, e, "content") for pieces, _, _ in annotated for s, e in pieces]
        rules += [(number, *a.content, "content") for a in found]
        quoted += [(number, s, e, "content") for s, e in quotations(text)]
        for pieces, annotated_cue, source in annotated:
            content = (pieces[0][0], pieces[-1][1])
            hit = next((a for a in found if overlaps(a.content, content)), None)
            if hit is None:
                continue
            matched += 1
            speaker += overlaps(hit.source, source) or overlaps(hit.speaker, source)
            cue += overlaps(hit.cue, annotated_cue)
    return {
        "articles": len(articles),
        "attributions": statements,
        "matched": matched,
        "rules": character_scores(gold, rules).overall,
        "quotes": character_scores(gold, quoted).overall,
        "speaker": speaker / matched if matched else 0.0,
        "cue": cue / matched if matched else 0.0,
    }


def speed(pipeline, texts: list[str]) -> tuple[float, float, float]:
    from annotator.core.model import Layer
    from annotator.nlp.suggest import suggest

    def parse_only() -> None:
        for _doc in pipeline.nlp.pipe(texts, batch_size=32):
            pass

    def suggest_all() -> None:
        for _ in suggest(pipeline, ((text, i) for i, text in enumerate(texts)), set(Layer), batch_size=32):
            pass

    return paired_times(parse_only, suggest_all, REPEATS, setup=lambda: None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="accepted for benchmarks/run.py; nothing is generated")
    parser.add_argument("--quick", action="store_true", help="every fourth article: to try the script, not to judge")
    parser.add_argument("--json", type=Path, help="also write the result rows to this file")
    args = parser.parse_args()

    from annotator.core.model import Layer
    from annotator.nlp.pipelines import load_pipeline

    pipeline = load_pipeline(None, set(Layer))
    articles = dev_split()
    if args.quick:
        articles = articles[::4]
    list(pipeline.nlp.pipe(["Warm up: the first call allocates."]))

    found = quality(pipeline.nlp, articles)
    rules, quotes = found["rules"], found["quotes"]
    rows = [
        report(
            "9",
            f"Statements, PolNeAR dev ({found['articles']} articles, {found['attributions']} attributions): "
            "content character F1",
            rules.f1,
            "≥ 0.65 untrained",
            rules.f1 >= 0.65,
            unit="",
            baseline=quotes.f1,
            baseline_name="quoted text alone, same texts",
            ratio=rules.f1 / quotes.f1 if quotes.f1 else None,
            precision=rules.precision,
            recall=rules.recall,
        ),
        report("9", f"Statements: speaker accuracy ({found['matched']} found)", found["speaker"], "≥ 0.65 untrained",
               found["speaker"] >= 0.65, unit=""),
        report("9", f"Statements: cue accuracy ({found['matched']} found)", found["cue"], "for information",
               True, unit=""),
    ]
    texts = [text for text, _ in articles]
    alone, suggested, ratio = speed(pipeline, texts)
    rows.append(report(
        "9",
        f"Suggesting all three layers ({len(texts)} articles)",
        suggested,
        "≥ 0.8 × raw nlp.pipe of the same pipeline",
        ratio >= 0.8,
        baseline=alone,
        baseline_name="nlp.pipe alone, full en_core_web_sm, batch_size=32",
        ratio=ratio,
    ))

    print("\n| | content P | content R | content F1 | speaker | cue |")
    print("|---|---|---|---|---|---|")
    print(f"| rules | {rules.precision:.3f} | {rules.recall:.3f} | {rules.f1:.3f} | {found['speaker']:.3f} | "
          f"{found['cue']:.3f} |")
    print(f"| quoted text alone | {quotes.precision:.3f} | {quotes.recall:.3f} | {quotes.f1:.3f} | | |")
    print(f"\nnlp.pipe alone {alone:.2f} s, suggesting all three layers {suggested:.2f} s: {ratio:.3f} × as fast "
          f"(median of {REPEATS} paired runs)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
