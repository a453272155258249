"""Telling the user what an import did: counts up front, every problem in the details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.services.importing import ImportReport
from annotator.ui.plain import message_box

MAX_LINES = 500


def show_import_report(parent: QWidget, report: ImportReport, add_labels=None) -> QMessageBox:
    """The report, in a box that does not block. ``add_labels`` (called if the analyst asks) imports
    the same files again adding the labels the schema lacked; nothing already imported is doubled."""
    box = QMessageBox(parent)
    box.setWindowTitle("Import finished")
    box.setIcon(QMessageBox.Icon.Warning if report.problems else QMessageBox.Icon.Information)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the summary names labels from the imported files
    box.setText(report.summary() + ".")
    lines = [f"{'warning' if p.warning else 'problem'}: {p}" for p in report.problems]
    lines += [f"duplicate: {d}" for d in report.duplicates]
    lines += [f"ignored (no format reads it): {path}" for path in report.skipped_files]
    if lines:
        shown = lines[:MAX_LINES]
        if len(lines) > MAX_LINES:
            shown.append(f"… and {len(lines) - MAX_LINES} more (every problem and warning is in the log)")
        box.setInformativeText("Everything else was imported. Details below name each file and line.")
        box.setDetailedText("\n".join(shown))
    if report.unknown_labels and add_labels is not None:
        names = ", ".join(sorted(name for _layer, name in report.unknown_labels))
        button = box.addButton(f"Add {names} and Import Again", QMessageBox.ButtonRole.ActionRole)
        button.setObjectName("addLabelsButton")
        button.clicked.connect(add_labels)
        box.addButton(QMessageBox.StandardButton.Close)
    box.open()
    return box


def ask_member_names(parent: QWidget, members: dict[str, str], answer) -> QMessageBox:
    """Before importing what looks like the members' files of one doccano export: import each file's
    annotations under its file's name (each person keeps their own), or as they are. ``answer`` gets
    the chosen {path: person}, empty for "as they are"; Cancel imports nothing."""
    names = ", ".join(sorted(members.values()))  # the user's file names: message_box shows them as they are
    box = message_box(
        QMessageBox.Icon.Question,
        "Import doccano members' files",
        f"These look like the members' files of one doccano export ({names}). doccano names the person only "
        "in the file's name: import each file's annotations under it, so each person keeps their own?",
        parent,
        QMessageBox.StandardButton.Cancel,
    )
    box.setInformativeText("As they are, annotations two people both made count once, as nobody's.")
    named = box.addButton("Under Their File Names", QMessageBox.ButtonRole.AcceptRole)
    named.setObjectName("memberNamesButton")
    as_is = box.addButton("As They Are", QMessageBox.ButtonRole.ActionRole)
    as_is.setObjectName("asTheyAreButton")
    box.setDefaultButton(named)
    named.clicked.connect(lambda: answer(dict(members)))
    as_is.clicked.connect(lambda: answer({}))
    box.open()
    return box
