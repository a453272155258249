"""Annotate ▸ Suggestion Model…: which model suggests for this project, and deleting old ones.

The stock pipeline is always first and cannot be deleted. Choosing a model changes what the next
pre-annotation uses; what was suggested before stays as it is. Below, each language the project's documents
are in, with its count and its pipeline ("none": its documents get no suggestions). Model names, projects
and scores come from files on disk: every cell is plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError
from annotator.core.languages import described
from annotator.services import models
from annotator.ui.plain import message_box, plain_label, warn

COLUMNS = ("Model", "Suggests", "Trained from", "Project", "Made", "In use")
LANGUAGE_COLUMNS = ("Language", "Documents", "Pipeline")


class SuggestionModelsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Suggestion Model")
        self.resize(820, 360)
        layout = QVBoxLayout(self)
        note = plain_label(QLabel(
            "The model chosen here suggests entities, statements and claims for this project's new documents. "
            "The stock pipeline is always there; models trained in this app are kept in the data folder.",
            self,
        ))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("modelsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.scores = plain_label(QLabel(self))
        self.scores.setWordWrap(True)
        layout.addWidget(self.scores)
        layout.addWidget(plain_label(QLabel(
            "Pipeline per language: a language's documents get suggestions only from the pipeline chosen for it.",
            self,
        )))
        self.languages = QTableWidget(0, len(LANGUAGE_COLUMNS), self)
        self.languages.setObjectName("languagesTable")
        self.languages.setHorizontalHeaderLabels(LANGUAGE_COLUMNS)
        self.languages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.languages.verticalHeader().hide()
        self.languages.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.languages.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.languages)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.use_button = QPushButton("&Use for This Project", self)
        self.delete_button = QPushButton("&Delete…", self)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.use_button.clicked.connect(self.use_chosen)
        self.delete_button.clicked.connect(self.delete_chosen)
        self.table.itemSelectionChanged.connect(self._chosen_changed)
        layout.addWidget(buttons)
        self.found: list[models.ModelInfo] = []
        self.refresh()

    @property
    def project(self):
        return self.window_.project

    def refresh(self) -> None:
        self.found = models.list_models(self.project)
        self.table.setRowCount(len(self.found))
        for row, info in enumerate(self.found):
            cells = (
                info.ref,
                "entities; statements and claims by the rules" if info.stock else ", ".join(info.layers),
                "" if info.stock else info.base,
                info.project,
                info.created[:16].replace("T", " "),
                "✓" if info.in_use else "",
            )
            for column, value in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(value))  # items show plain text
        chosen = next((row for row, info in enumerate(self.found) if info.in_use), 0)
        if self.found:
            self.table.selectRow(chosen)
        self._chosen_changed()
        self._show_languages()

    def _show_languages(self) -> None:
        choices = models.language_choices(self.project)
        self.languages.setRowCount(len(choices))
        refs = [info.ref for info in self.found]
        for row, choice in enumerate(choices):
            self.languages.setItem(row, 0, QTableWidgetItem(described(choice.language)))
            self.languages.setItem(row, 1, QTableWidgetItem(str(choice.documents)))
            box = QComboBox(self.languages)
            box.setObjectName(f"pipeline-{choice.language}")
            options = [models.NONE, *refs] + ([choice.ref] if choice.ref and choice.ref not in refs else [])
            for option in options:
                box.addItem(option, option)  # plain text: names and folders from disk
            box.setCurrentIndex(options.index(choice.ref) if choice.ref else 0)
            box.currentIndexChanged.connect(lambda _i, b=box, code=choice.language: self.choose_pipeline(code, b.currentData()))
            self.languages.setCellWidget(row, 2, box)

    def choose_pipeline(self, language: str, ref: str) -> None:
        """The pipeline for ``language``'s documents ("none": no suggestions for them)."""
        try:
            choice = models.set_language_model(self.project, language, ref)
        except AnnotatorError as exc:
            warn(self, "Suggestion Model", str(exc))
            return
        self.window_.owner.suggested_layers = _all_layers()
        self.window_.statusBar().showMessage(
            f"Documents in {described(language)} get suggestions from {choice.ref or 'no pipeline'}", 10000)
        QTimer.singleShot(0, self.refresh)  # not inside the signal of the box that the refresh replaces

    def chosen(self) -> models.ModelInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows else None

    def _chosen_changed(self) -> None:
        info = self.chosen()
        self.use_button.setEnabled(info is not None and not info.in_use)
        self.delete_button.setEnabled(info is not None and not info.stock)
        self.scores.setText(scores_text(info) if info is not None else "")

    def use_chosen(self) -> None:
        info = self.chosen()
        if info is None:
            return
        try:
            models.use_model(self.project, info.ref)
        except AnnotatorError as exc:
            warn(self, "Suggestion Model", str(exc))
            return
        self.window_.owner.suggested_layers = _all_layers()  # the new model may suggest more than the last
        self.window_.statusBar().showMessage(f"{info.ref} suggests for this project's new documents", 10000)
        self.refresh()

    def delete_chosen(self) -> None:
        info = self.chosen()
        if info is None or info.stock:
            return
        question = f"Delete the model {info.ref}? Its folder is removed from the data folder."
        if info.in_use:
            question += " It is this project's suggestion model: the project goes back to the stock pipeline."
        box = message_box(QMessageBox.Icon.Question, "Delete Model", question, self,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        try:
            models.delete_model(info.ref, self.project, force=True)
        except (AnnotatorError, OSError) as exc:
            warn(self, "Delete Model", str(exc))
            return
        self.refresh()


def scores_text(info: models.ModelInfo) -> str:
    """The scores a trained model was saved with, on the held-back documents, beside the model it
    replaced on the same documents: a line a layer and label."""
    scores = info.meta.get("scores") if info.meta else None
    if not isinstance(scores, dict) or not isinstance(scores.get("new"), dict):
        return "" if info.stock else "No scores were saved with this model."
    new, old = scores["new"], scores.get("old") if isinstance(scores.get("old"), dict) else {}
    replaced = scores.get("replaced") or "the model it replaced"
    lines = [f"On {new.get('documents', '?')} held-back documents, this model (and {replaced}):"]
    lines += [f"  {what}: {_number(mine)} ({_number(theirs)})" for what, mine, theirs in comparison(new, old)]
    return "\n".join(lines)


def comparison(new: dict, old: dict) -> list[tuple[str, float | None, float | None]]:
    """(what, new, old) rows from two evaluations' as_dict(): overlap F1 per layer and label, and the
    statement and claim measures."""
    rows = []
    for layer, mine in (new.get("layers") or {}).items():
        theirs = (old.get("layers") or {}).get(layer) or {}
        rows.append((f"{layer}s, overlap F1", _get(mine, "overlap", "f1"), _get(theirs, "overlap", "f1")))
        for label, scores in (mine.get("labels") or {}).items():
            before = (theirs.get("labels") or {}).get(label) or {}
            rows.append((f"  {label}", _get(scores, "overlap", "f1"), _get(before, "overlap", "f1")))
        for key, name in (("content_characters", "content character F1"), ("speaker_accuracy", "speaker accuracy"),
                          ("cue_accuracy", "cue accuracy"), ("average_precision", "claim ranking AP")):
            if key in mine:
                rows.append((f"  {name}", _measure(mine, key), _measure(theirs, key)))
    return rows


def _measure(data: dict, key: str) -> float | None:
    if key == "content_characters":  # a whole report: its overall F1
        return _get(data.get(key) or {}, "overall", "f1") if isinstance(data.get(key), dict) else None
    return _get(data, key, "value")


def _get(data: dict, key: str, field: str) -> float | None:
    value = (data.get(key) or {}).get(field) if isinstance(data.get(key), dict) else None
    return value if isinstance(value, int | float) else None


def _number(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else "–"


def _all_layers():
    from annotator.services.preannotating import ALL_LAYERS  # spaCy-free: the names only

    return ALL_LAYERS


def show_models(window) -> None:
    SuggestionModelsDialog(window).exec()


def resuggest_open_document(window) -> None:
    """Annotate ▸ Re-run Suggestions on This Document…: another pipeline suggests for the open document; its
    pending suggestions of that pipeline's layers are replaced, what the analyst decided stays."""
    from PySide6.QtWidgets import QInputDialog

    from annotator.services import preannotating
    from annotator.ui.workers import Worker

    shown = window.article.document
    if shown is None or window.project.read_only:
        return
    language, _origins = preannotating.origins_of(window.project, shown.id)
    choices = {c.language: c for c in models.language_choices(window.project)}
    current = choices[language].ref if language in choices else None
    refs = [info.ref for info in models.list_models(window.project)]
    refs = ([current] if current and current not in refs else []) + refs
    ref, ok = QInputDialog.getItem(window, "Re-run Suggestions", f"Pipeline for this document ({described(language or '')}):",
                                   refs, refs.index(current) if current in refs else 0, False)
    if not ok or not ref:
        return
    worker = Worker(preannotating.preannotate_elsewhere, window.project, ref, document_id=shown.id)
    worker.signals.finished.connect(lambda report: _resuggested(window, report))
    worker.signals.failed.connect(lambda text, _details: warn(window, "Re-run Suggestions", text))
    window.workers.start(worker)
    window.statusBar().showMessage(f"Suggesting anew with {ref}…", 10000)


def _resuggested(window, report) -> None:
    window.reload_current()
    window.statusBar().showMessage(report.summary(), 10000)
