"""Project ▸ Dashboard's figures as plain data (``annotator stats --json`` prints the same, under "dashboard").

Five figures: progress (documents by status per annotator over time), spans per label, statements per
speaker (the top N), claims by check-worthiness and type, and agreement per label where two or more
annotators worked on the same documents. Each is a handful of grouped queries (store/stats.py), so the
whole takes well under a second on a project of 100,000 documents and two million spans; agreement
reads documents, so it compares a sample of the shared ones (the most recently worked on).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import accumulate

from annotator.core.agreement_compare import pooled_overlap_scores
from annotator.core.curation import GOLD
from annotator.core.model import Layer
from annotator.core.vocabulary import CHECKWORTHINESS, CHECKWORTHINESS_CLASSES, checkworthiness_class
from annotator.services.agreement import annotations_of
from annotator.services.schema import schema_of
from annotator.store import stats as store
from annotator.store.project import Project

AGREEMENT_SAMPLE = 100  # shared documents compared at most: reading them is the dashboard's dearest part
NOT_RATED = "not rated"
BAND_SCORES = (0.75, 0.3, 0.1)  # a score inside each of store.claim_totals' bands


def dashboard_figures(project: Project, top: int = 15, with_agreement: bool = True) -> dict:
    """The five figures, as plain dicts, lists and numbers. The window leaves agreement out and asks
    for it on a second thread: the two halves take about as long, and each alone is well inside 1 s."""
    figures = {
        "progress": progress(project),
        "labels": labels(project),
        "speakers": speakers(project, top),
        "claims": claims(project),
    }
    if with_agreement:
        figures["agreement"] = agreement_per_label(project)
    return figures


def progress(project: Project) -> dict:
    """Per annotator and status, the documents they had set to it by each day: cumulative over the day
    each annotator last set each document's status (a document moved on from "in progress" to "done"
    counts under done only, from the day it was done)."""
    days: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for annotator, status, day, n in store.status_days(project):
        days[(annotator, status)].append((day, n))
    series = []
    for (annotator, status), points in sorted(days.items()):
        totals = accumulate(n for _, n in points)
        series.append({"annotator": annotator, "status": status,
                       "points": [[day, total] for (day, _), total in zip(points, totals)]})
    return {"measure": "documents per annotator and status, by the day each was last set (cumulative)",
            "series": series}


def labels(project: Project) -> list[dict]:
    """Spans per label, rejected suggestions left out; most used first."""
    rows = sorted(store.label_totals(project), key=lambda row: (-row[2], row[0], row[1]))
    return [{"layer": layer, "label": label, "spans": n} for layer, label, n in rows]


def speaker_key(name: str) -> str:
    """One speaker however the case or spacing differs: "Olaf  Scholz" and "olaf scholz" are one."""
    return " ".join(name.split()).casefold()


def speakers(project: Project, top: int = 15) -> dict:
    """Statements per speaker, grouped by the speaker's words lightly normalised; each shown as it was
    written most often. Statements with no speaker are counted apart."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    without = 0
    for name, n in store.speaker_totals(project):
        key = speaker_key(name or "")
        if not key:
            without += n
            continue
        counts[key] += n
        spellings[key][" ".join(name.split())] += n
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [{"speaker": spellings[key].most_common(1)[0][0], "statements": n} for key, n in ranked[:top]]
    return {"top": top, "speakers": shown, "other_speakers": len(ranked) - len(shown),
            "other_statements": sum(n for _, n in ranked[top:]), "without_speaker": without}


def claims(project: Project) -> dict:
    """Claims by check-worthiness class (the schema's, most worthy first; a claim only a model scored
    falls in the class of its score) and by type (its claim_type, else its label)."""
    classes = tuple(schema_of(project).choices(Layer.CLAIM, CHECKWORTHINESS)) or CHECKWORTHINESS_CLASSES
    counts: Counter[tuple[str, str]] = Counter()
    for worth, kind, label, band, n in store.claim_totals(project):
        if worth:
            bucket = worth.strip().casefold()
        elif band is not None:
            bucket = checkworthiness_class(BAND_SCORES[band], classes)
        else:
            bucket = NOT_RATED
        counts[(bucket, (kind or label).strip())] += n
    known = [c.casefold() for c in classes]
    seen = {bucket for bucket, _ in counts}
    order = [c for c in known if c in seen] + sorted(seen - set(known) - {NOT_RATED}) + (
        [NOT_RATED] if NOT_RATED in seen else [])
    types = sorted({kind for _, kind in counts})
    rows = [{"checkworthiness": bucket, "type": kind, "claims": counts[(bucket, kind)]}
            for bucket in order for kind in types if counts[(bucket, kind)]]
    return {"checkworthiness": order, "types": types, "counts": rows}


def agreement_per_label(project: Project, sample: int = AGREEMENT_SAMPLE) -> dict:
    """Overlap F1 per label (a span matches one of the same label it overlaps; the pairs of annotators'
    counts summed), on up to ``sample`` of the documents two or more annotators set a status on."""
    shared, ids, names = store.shared_documents(project, GOLD, sample)
    found = {"measure": "overlap F1 per label, pairs of annotators pooled", "annotators": names,
             "shared_documents": shared, "documents": 0, "labels": [], "note": ""}
    if len(names) < 2:
        found["note"] = ("no document has been worked on by two annotators yet" if not shared else
                         "one annotator only")
        return found
    # Only what the chart shows: the overlap F1 Comparison would report, not its tokens and coefficients.
    docs = (annotations_of(document, spans, relations, statuses, names)
            for document, spans, relations, statuses in store.documents_with_annotations(project, ids))
    found["documents"], overall = pooled_overlap_scores(names, list(Layer), docs)
    for layer, overlap in overall.items():
        for label, scores in sorted(overlap.labels.items()):
            if scores.gold + scores.predicted:
                found["labels"].append({"layer": str(layer), "label": label, "f1": round(scores.f1, 4),
                                        "spans": scores.gold + scores.predicted})
    if shared > len(ids):
        found["note"] = f"the {len(ids)} most recently worked on of the {shared:,} documents two or more worked on"
    return found
