"""File ▸ Merge Another Analyst's Work…: choose their project file or JSONL export, merge it on a worker
(as imports run), and show what came in and what was skipped, as plain text.

All the work is in annotator.services.merging; this module only asks for the file and shows the report.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from annotator.ui.plain import message_box

MERGE_FILTER = (
    "Annotator projects and JSONL exports (*.annotator.sqlite *.sqlite *.db *.jsonl *.ndjson);;All files (*)"
)


def merge_another(w) -> None:
    """Ask for the other analyst's file, then merge it (``w``: the main window)."""
    path, _ = QFileDialog.getOpenFileName(w, "Merge another analyst's work", str(Path.home()), MERGE_FILTER)
    if path:
        merge_path(w, path)


def merge_path(w, path: str) -> None:
    """Merge ``path`` into the window's project in the background; the report box is kept as
    ``w.merge_report`` while it is open. The analyst's own annotations in it are skipped: theirs here
    stay exactly as they are."""
    from annotator.services import merging  # the formats are imported when first wanted

    def done(report: merging.MergeReport) -> None:
        if report.new_labels:
            w.owner.labels_added()
        w.refresh_documents()
        w.search.refresh()
        w.refresh_from_project()  # the open article shows what came in
        w.merge_report = show_merge_report(w, report)

    w._run("Merging", merging.merge, path, w.session.annotator, done=done)


def show_merge_report(parent: QWidget, report) -> QMessageBox:
    """The report in a box that does not block: the summary, then each annotator's share and each reason
    something was skipped (names and labels come from the other's files: plain text only)."""
    lines = report.lines()
    box = message_box(QMessageBox.Icon.Information, "Merge finished", lines[0], parent)
    if len(lines) > 1:
        box.setInformativeText("\n".join(lines[1:]))
    box.setObjectName("mergeReport")
    box.open()
    return box
