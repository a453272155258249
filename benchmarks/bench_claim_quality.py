"""Figure 8: how well the claim rule ranks check-worthy sentences, and what it costs beyond the parse.

Quality: average precision (annotator.core.scoring, ties as sklearn) on two held-out sets the rule
no weight was fitted on: ClaimBuster's test.json (702 US debate sentences, half check-worthy) and CLEF 2020
CheckThat! task 1 test-gold.tsv (140 COVID tweets, label ``claim_worthiness``). A text's score is its
best sentence's. Baselines from the same parses: "has a number" (1 when any token is a number, the
issue's reference: 0.68 on ClaimBuster) and the label prior (every text tied: AP = share of positives,
what a random ranking is worth).

Speed: the same texts through ``nlp.pipe`` alone against ``nlp.pipe`` plus sentence_scores on every
Doc, paired runs, median of the ratios.

    python benchmarks/bench_claim_quality.py [--quick] [--json results.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

from common import REPO, paired_times, report

CORPUS = Path(os.environ.get("ANNOTATOR_CORPUS", REPO.parent / "shared" / "corpus")) / "annotated"
BATCH = 32
REPEATS = 3


def claimbuster() -> list[tuple[str, bool]]:
    rows = json.loads((CORPUS / "claimbuster" / "test.json").read_text(encoding="utf-8"))
    return [(row["text"], row["label"] == 1) for row in rows]


def clef() -> list[tuple[str, bool]]:
    path = CORPUS / "clef2020_checkthat_task1_tweets" / "test-gold.tsv"
    with path.open(encoding="utf-8", newline="") as file:
        # Tweets hold quotation marks that open no quoted field: read every tab-separated cell as it is.
        rows = list(csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(row["tweet_text"], row["claim_worthiness"] == "1") for row in rows]


def quality(nlp, name: str, items: list[tuple[str, bool]]) -> dict:
    from annotator.core.scoring import Scores, average_precision
    from annotator.nlp.claims import THRESHOLD, sentence_scores

    labels = [positive for _, positive in items]
    rule, has_number = [], []
    for doc in nlp.pipe((text for text, _ in items), batch_size=BATCH):
        rule.append(max((score for _, _, score in sentence_scores(doc)), default=0.0))
        has_number.append(float(any(t.like_num for t in doc)))
    suggested = [score >= THRESHOLD for score in rule]
    at_threshold = Scores.of(sum(s and p for s, p in zip(suggested, labels)), sum(suggested), sum(labels))
    return {
        "set": name,
        "texts": len(items),
        "positives": sum(labels),
        "rule": average_precision(zip(rule, labels)),
        "has_number": average_precision(zip(has_number, labels)),
        "label_prior": average_precision((0.0, p) for p in labels),
        "at_threshold": {"threshold": THRESHOLD, "precision": at_threshold.precision,
                         "recall": at_threshold.recall, "suggested": at_threshold.predicted},
    }


def speed(nlp, texts: list[str]) -> tuple[float, float, float]:
    from annotator.nlp.claims import sentence_scores

    def parse_only() -> None:
        for _doc in nlp.pipe(texts, batch_size=BATCH):
            pass

    def parse_and_score() -> None:
        for doc in nlp.pipe(texts, batch_size=BATCH):
            sentence_scores(doc)

    return paired_times(parse_only, parse_and_score, REPEATS, setup=lambda: None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="accepted for benchmarks/run.py; nothing is generated")
    parser.add_argument("--quick", action="store_true", help="every fourth text: to try the script, not to judge")
    parser.add_argument("--json", type=Path, help="also write the result rows to this file")
    args = parser.parse_args()

    from annotator.nlp.claims import load_parser

    nlp = load_parser()
    sets = {"ClaimBuster test": claimbuster(), "CLEF 2020 test": clef()}
    if args.quick:
        sets = {name: items[::4] for name, items in sets.items()}
    list(nlp.pipe(["Warm up: the first call allocates."]))

    rows = []
    measured = [quality(nlp, name, items) for name, items in sets.items()]
    for found in measured:
        rows.append(report(
            "8",
            f"Claim ranking, {found['set']} ({found['texts']} texts, {found['positives']} check-worthy): AP",
            found["rule"],
            "AP above the has-a-number rule's",
            found["rule"] > found["has_number"],
            unit="",
            baseline=found["has_number"],
            baseline_name="has a number (any token like a number), same parses",
            ratio=found["rule"] / found["has_number"],
            label_prior=found["label_prior"],
            at_threshold=found["at_threshold"],
        ))
    texts = [text for items in sets.values() for text, _ in items]
    alone, scored, ratio = speed(nlp, texts)
    rows.append(report(
        "8",
        f"Claim scoring on top of the parse ({len(texts)} texts)",
        scored,
        "≤ 1.1 × nlp.pipe alone",
        1 / ratio <= 1.1,
        baseline=alone,
        baseline_name=f"nlp.pipe alone, full en_core_web_sm, batch_size={BATCH}",
        ratio=1 / ratio,  # paired_times gives baseline / measured; shown as measured / baseline
    ))

    print("\n| set | texts | check-worthy | rule AP | has a number AP | label prior AP |")
    print("|---|---|---|---|---|---|")
    for found in measured:
        print(f"| {found['set']} | {found['texts']} | {found['positives']} | {found['rule']:.3f} | "
              f"{found['has_number']:.3f} | {found['label_prior']:.3f} |")
    print(f"\nnlp.pipe alone {alone:.2f} s, with claim scores {scored:.2f} s: {1 / ratio:.3f} × "
          f"(median of {REPEATS} paired runs, {len(texts)} texts)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
