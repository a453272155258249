"""Inter-annotator agreement: how alike the project's annotators annotated the same documents.

Reads each document with every annotator's own spans, statuses and speaker links, and hands them to
core.agreement_compare, which defines every measure (span F1, token κ and α, unitizing α, attributes of
matched spans, a disagreement score per document). Nothing is written to the project.

Whose spans: those with the annotator's name, accepted or edited (suggestions nobody reviewed and
rejected spans are nobody's answer). An annotator annotated a document when they have a status other
than new on it, or any span in it; a document they did not annotate is missing data, not "no spans".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from annotator.core.curation import GOLD
from annotator.core.agreement import Coefficient
from annotator.core.agreement_compare import Agreement, Annotations, Comparison, LayerAgreement
from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer, Relation, Span, State, Status
from annotator.core.scoring import Scores, as_dict
from annotator.core.vocabulary import SPEAKER, SPEAKER_LABEL, SPEAKER_TEXT
from annotator.store.annotated import annotated_batches
from annotator.store.edits import annotator_names
from annotator.store.project import Project

Progress = Callable[[int], None]  # documents read
ANSWERS = frozenset({State.ACCEPTED, State.EDITED})


class NotEnoughAnnotators(AnnotatorError):
    """Agreement needs two annotators or more."""


def agreement(
    project: Project,
    layers: Iterable[Layer] | None = None,
    annotators: Iterable[str] | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Agreement:
    """Agreement between ``annotators`` (None: everyone who annotated in the project) on ``layers``
    (None: all three). The curated gold is not an annotator: it is left out unless named."""
    known = annotator_names(project)
    chosen = sorted(set(annotators)) if annotators is not None else [name for name in known if name != GOLD]
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise NotEnoughAnnotators(f"no annotations by {', '.join(unknown)} in {project.name}; "
                                  f"the annotators are: {', '.join(known) or 'none yet'}")
    if len(chosen) < 2:
        raise NotEnoughAnnotators(f"agreement needs two annotators or more; {project.name} has "
                                  f"{', '.join(chosen) or 'none'}")
    comparison = Comparison(chosen, list(layers) if layers is not None else list(Layer))
    read = 0
    for batch in annotated_batches(project):
        for document, spans, relations, statuses in batch:
            comparison.add(annotations_of(document, spans, relations, statuses, chosen))
            read += 1
        if progress:
            progress(read)
        if cancel is not None and cancel.is_set():
            break
    return comparison.result()


def annotations_of(document, spans: list[Span], relations: list[Relation], statuses: dict[str, str],
                   names: list[str]) -> Annotations:
    """One document as core.agreement_compare takes it."""
    wanted = set(names)
    annotated = {name for name, status in statuses.items() if name in wanted and status != str(Status.NEW)}
    annotated |= {s.annotator for s in spans if s.annotator in wanted}
    answers = [s for s in spans if s.annotator in wanted and s.state in ANSWERS]
    by_name: dict[str, list[Span]] = {}
    for span in answers:
        if not (span.layer == Layer.ENTITY and span.label == SPEAKER_LABEL):  # a statement's, not an entity
            by_name.setdefault(span.annotator, []).append(span)
    by_uid = {s.uid: s for s in answers}
    speakers: dict[str, tuple[int, int] | str] = {}
    for relation in relations:
        tail = by_uid.get(relation.tail)
        if relation.label == SPEAKER and tail is not None and relation.head not in speakers:
            speakers[relation.head] = (tail.start, tail.end)
    for span in answers:
        typed = span.attributes.get(SPEAKER_TEXT) if span.layer == Layer.STATEMENT else None
        if span.uid not in speakers and isinstance(typed, str) and typed.strip():
            speakers[span.uid] = typed.strip()
    return Annotations(document.id, document.title, document.text, by_name, frozenset(annotated), speakers)


# --- showing the result -----------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _coefficient(found: Coefficient) -> dict:
    return found.as_dict()


def _layer_dict(found: LayerAgreement) -> dict:
    return {
        "spans": {
            "exact": as_dict(found.exact.overall),
            "overlap": as_dict(found.overlap.overall),
            "labels": {label: {"exact": as_dict(exact), "overlap": as_dict(found.overlap.labels[label])}
                       for label, exact in found.exact.labels.items()},
        },
        "tokens": {"kappa": _coefficient(found.token_kappa), "alpha": _coefficient(found.token_alpha)},
        "unitizing": found.unitizing.as_dict(),
        "attributes": {name: value.as_dict() for name, value in found.attributes.items()},
    }


def as_json(result: Agreement) -> dict:
    """Plain dicts, lists and numbers, for ``--json``."""
    return {
        "annotators": list(result.annotators),
        "layers": [str(layer) for layer in result.layers],
        "documents": result.documents,
        "documents_all_annotated": result.all_annotated,
        "overall": {"kappa": result.kappa_name,
                    "layers": {str(layer): _layer_dict(found) for layer, found in result.overall.items()}},
        "pairs": [{"annotators": [pair.first, pair.second], "documents": pair.documents,
                   "layers": {str(layer): _layer_dict(found) for layer, found in pair.layers.items()}}
                  for pair in result.pairs],
        "documents_by_disagreement": [
            {"id": d.key, "title": d.title, "annotators": list(d.annotators), "disagreement": d.disagreement,
             "tokens": d.tokens}
            for d in result.disagreements
        ],
    }


def heading(result: Agreement) -> str:
    return (f"Agreement of {len(result.annotators)} annotators ({', '.join(result.annotators)}) on "
            f"{result.documents} document(s) two or more annotated, {result.all_annotated} annotated by all")


def summary(result: Agreement) -> str:
    """The overall figures as plain text: spans, tokens, characters and attributes of each layer."""
    kappa = f"{result.kappa_name} κ"
    lines = [heading(result), "", "Overall (span F1: the pairs' counts summed; token κ: "
             f"{kappa} on the documents all annotated; token α: every document, missing data left out; "
             "unitizing α: the documents all annotated)", ""]
    lines += _layer_rows(result.overall, kappa, labels=True)
    return "\n".join(lines)


def table(result: Agreement) -> str:
    """Everything as plain text for a terminal: overall, each pair, the documents by disagreement."""
    lines = [summary(result), "", "Pairs (token κ: Cohen's on the documents both annotated)"]
    for pair in result.pairs:
        lines += ["", f"{pair.first} – {pair.second}: {pair.documents} document(s) both annotated"]
        lines += _layer_rows(pair.layers, "Cohen κ", labels=False)
    lines += ["", "Documents, most disagreed first (share of differing labels on the tokens anyone labelled)",
              f"{'disagreement':>12}  {'tokens':>6}  {'id':>6}  title"]
    for d in result.disagreements:
        lines.append(f"{_number(d.disagreement):>12}  {d.tokens:>6}  {d.key:>6}  {d.title}")
    return "\n".join(lines)


def _layer_rows(layers: dict[Layer, LayerAgreement], kappa: str, labels: bool) -> list[str]:
    """The layers someone made spans of (the others have nothing to agree on)."""
    layers = {layer: found for layer, found in layers.items() if found.exact.overall.gold + found.exact.overall.predicted}
    if not layers:
        return ["No spans of the layers compared."]
    rows = []
    for layer, found in layers.items():
        rows.append((str(layer), "(all)", found.exact.overall, found.overlap.overall, found.unitizing.value))
        if labels:
            rows += [(str(layer), label, exact, found.overlap.labels[label], found.unitizing.labels.get(label))
                     for label, exact in found.exact.labels.items()]
    width = max([len("label")] + [len(row[1]) for row in rows])
    lines = [f"{'layer':<10} {'label':<{width}}  {'exact F1':>8}  {'overlap F1':>10}  {'spans':>11}"
             f"  {'unitizing α':>11}"]
    for layer, label, exact, overlap, unitizing in rows:
        lines.append(f"{layer:<10} {label:<{width}}  {exact.f1:>8.3f}  {overlap.f1:>10.3f}  {_spans(exact):>11}"
                     f"  {_number(unitizing):>11}")
    lines += ["", f"{'layer':<10}  {'token ' + kappa:>14}  {'token α':>8}  {'tokens':>8}"]
    for layer, found in layers.items():
        lines.append(f"{layer:<10}  {_number(found.token_kappa.value):>14}  {_number(found.token_alpha.value):>8}"
                     f"  {found.token_alpha.units:>8}")
    attributes = [(layer, name, value) for layer, found in layers.items() for name, value in found.attributes.items()]
    if attributes:
        lines += ["", f"{'layer':<10}  {'attribute':<16}  {'matched':>7}  {'share':>7}  {'κ':>6}  {'α':>6}"]
        for layer, name, value in attributes:
            share = f"{value.agreed / value.matched:.3f}" if value.matched else "n/a"
            lines.append(f"{layer:<10}  {name:<16}  {value.matched:>7}  {share:>7}  {_number(value.kappa):>6}"
                         f"  {_number(value.alpha):>6}")
    return lines


def _spans(scores: Scores) -> str:
    """The two sides' span counts: of the pair's first annotator / second (pooled: summed over pairs)."""
    return f"{scores.gold}/{scores.predicted}"
