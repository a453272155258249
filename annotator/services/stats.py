"""Project statistics, as data (the CLI prints them, the GUI shows them)."""

from __future__ import annotations

from annotator.services.document_labels import label_counts
from annotator.store.assignments import assignment_counts
from annotator.store.project import Project
from annotator.store.stats import project_counts


def project_stats(project: Project) -> dict:
    labels = {f"{name}: {label}": n for (name, label), n in sorted(label_counts(project).items())}
    assigned = {name: {"assigned": n, "done": done} for name, (n, done) in assignment_counts(project).items()}
    return {"project": project.name, **project_counts(project), "document_labels": labels, "assignments": assigned}


def format_stats(stats: dict) -> str:
    lines = [
        f"Project: {stats['project']}",
        f"Documents: {stats['documents']} ({stats['pre_annotated']} pre-annotated)",
    ]
    if stats["statuses"]:
        lines.append("Statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["statuses"].items())))
    for layer, entry in sorted(stats["layers"].items()):
        states = ", ".join(f"{k} {v}" for k, v in sorted(entry["states"].items()))
        lines.append(f"{layer.capitalize()} spans: {entry['total']} ({states})")
        for label, n in sorted(entry["labels"].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {label:<14} {n}")
    lines.append(f"Relations: {stats['relations']}")
    if stats.get("document_labels"):
        lines.append("Document labels (documents):")
        lines += [f"  {label:<14} {n}" for label, n in stats["document_labels"].items()]
    if stats.get("assignments"):
        lines.append("Assignments (assigned, done):")
        for name, n in stats["assignments"].items():
            lines.append(f"  {name:<14} {n['assigned']} assigned, {n['done']} done")
    return "\n".join(lines)
