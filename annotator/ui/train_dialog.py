"""Annotate ▸ Train Models From This Project…: learn from the analysts' reviewed work, see the new model's
scores beside the one it would replace, and choose whether it suggests from now on.

Training runs in a process of its own (services.training.train_elsewhere): the window goes on working,
Cancel stops it (and kills it if it does not stop within seconds), and a run that does not finish leaves
no model and the project's choice as it was.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer
from annotator.services import models, training
from annotator.ui.plain import plain_label, warn
from annotator.ui.workers import Worker

LAYER_NAMES = {Layer.ENTITY: "&Entities", Layer.STATEMENT: "&Statements", Layer.CLAIM: "&Claims"}


class _Stages(QObject):
    """Carries a run's (stage, done, total) from the worker thread to the dialog."""

    changed = Signal(str, int, int)


def _run(project, options, *, progress, cancel, stages: _Stages):
    del progress  # the worker's own counter; training says its stage too
    return training.train_elsewhere(
        project, options, progress=lambda stage, done, total: stages.changed.emit(stage, done, total), cancel=cancel
    )


class TrainDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.worker: Worker | None = None
        self.result: training.TrainingResult | None = None
        self.setWindowTitle("Train Models From This Project")
        self.resize(1000, 620)
        layout = QVBoxLayout(self)
        intro = plain_label(QLabel(
            "Trains suggestion models on this project's reviewed documents (marked done): accepted and edited "
            "annotations are what is right, rejected suggestions what is wrong. A share of the documents is held "
            "back to score the new model beside the one it would replace.",
            self,
        ))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.form = QWidget(self)
        fields = QFormLayout(self.form)
        self.name = QLineEdit(models.default_name(window.project), self)
        self.name.setObjectName("modelName")
        fields.addRow("Model &name", self.name)
        row = QHBoxLayout()
        self.layer_boxes = {layer: QCheckBox(text, self) for layer, text in LAYER_NAMES.items()}
        for box in self.layer_boxes.values():
            box.setChecked(True)
            row.addWidget(box)
        fields.addRow("Layers", row)
        self.dev = QDoubleSpinBox(self)
        self.dev.setRange(0.0, 0.9)
        self.dev.setSingleStep(0.05)
        self.dev.setValue(0.2)
        fields.addRow("&Held back for scoring", self.dev)
        self.base = QComboBox(self)
        for info in models.list_models(window.project):
            self.base.addItem(info.ref, info.ref)
        fields.addRow("Start &from", self.base)
        self.documents = QComboBox(self)
        self.documents.addItem("Documents marked done", training.REVIEWED)
        self.documents.addItem("Every document with accepted annotations (an imported gold set)", training.ANNOTATED)
        fields.addRow("&Learn from", self.documents)
        layout.addWidget(self.form)

        self.stage = plain_label(QLabel("", self))
        self.progress = QProgressBar(self)
        self.progress.hide()
        layout.addWidget(self.stage)
        layout.addWidget(self.progress)
        self.scores = QPlainTextEdit(self)  # plain text by nature: model and label names are shown as they are
        self.scores.setObjectName("trainingScores")
        self.scores.setReadOnly(True)
        self.scores.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # a table: its columns stay put
        self.scores.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.scores.hide()
        layout.addWidget(self.scores, 1)

        self.buttons = QDialogButtonBox(self)
        self.start = QPushButton("&Train", self)
        self.start.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.use_button = QPushButton("&Use the New Model", self)
        self.close_button = QPushButton("Close", self)
        for button, role in ((self.start, QDialogButtonBox.ButtonRole.AcceptRole),
                             (self.use_button, QDialogButtonBox.ButtonRole.ActionRole),
                             (self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole),
                             (self.close_button, QDialogButtonBox.ButtonRole.RejectRole)):
            self.buttons.addButton(button, role)
        self.use_button.hide()
        self.cancel_button.hide()
        self.start.clicked.connect(self.begin)
        self.cancel_button.clicked.connect(self.stop)
        self.close_button.clicked.connect(self.reject)
        self.use_button.clicked.connect(self.use_new_model)
        layout.addWidget(self.buttons)
        self.stages = _Stages(self)
        self.stages.changed.connect(self._stage)

    def options(self) -> training.TrainingOptions:
        layers = frozenset(layer for layer, box in self.layer_boxes.items() if box.isChecked())
        base = self.base.currentData()
        return training.TrainingOptions(
            name=self.name.text().strip() or None,
            layers=layers,
            dev=self.dev.value(),
            base=None if base == self.base.itemData(0) else base,
            documents=self.documents.currentData(),
        )

    def begin(self) -> None:
        options = self.options()
        if not options.layers:
            warn(self, "Train Models", "Choose at least one layer to train.")
            return
        try:
            models.check_name(options.name or models.default_name(self.window_.project))
        except AnnotatorError as exc:
            warn(self, "Train Models", str(exc))
            return
        self.form.setEnabled(False)
        self.start.hide()
        self.close_button.hide()
        self.cancel_button.show()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.stage.setText("Starting…")
        worker = Worker(_run, self.window_.project, options, stages=self.stages)
        worker.signals.finished.connect(lambda result: self._ended(worker, result, None))
        worker.signals.failed.connect(lambda message, _details: self._ended(worker, None, message))
        self.worker = self.window_.workers.start(worker)

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.stage.setText("Cancelling: the run stops, and no model is kept…")
            self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        if self.worker is not None:  # Esc or the window's close button while training: cancel, do not leave
            self.stop()
            return
        super().reject()

    def _stage(self, stage: str, done: int, total: int) -> None:
        self.stage.setText(stage)
        self.progress.setRange(0, total)  # 0 to 0: busy, its length not known
        self.progress.setValue(done)

    def _ended(self, worker: Worker, result, failure: str | None) -> None:
        if not shiboken6.isValid(self) or worker is not self.worker:
            return
        self.worker = None
        self.progress.hide()
        self.cancel_button.hide()
        self.close_button.show()
        if failure is not None:
            self.stage.setText("Training failed: no model was saved and nothing was changed.")
            self.form.setEnabled(True)
            self.start.show()
            warn(self, "Train Models", failure)
            return
        self.result = result
        summary = result.summary()
        # The summary's advice is the command line's ("annotator models use ..."): here the button says it.
        self.stage.setText("\n".join(line for line in summary.splitlines() if "annotator models use" not in line))
        self.stage.setWordWrap(True)
        comparison = result.table()[len(summary):].strip("\n")
        self.scores.setPlainText(comparison or "Nothing was held back, so nothing was compared.")
        self.scores.show()
        if result.model is not None and not result.used:
            self.use_button.show()
        else:
            self.form.setEnabled(True)
            self.start.show()

    def use_new_model(self) -> None:
        if self.result is None or self.result.model is None:
            return
        try:
            info = models.use_model(self.window_.project, self.result.model.ref)
        except AnnotatorError as exc:
            warn(self, "Train Models", str(exc))
            return
        self.window_.owner.suggested_layers = frozenset(Layer)  # the new model may suggest more than the last
        self.use_button.hide()
        self.stage.setText(f"{info.ref} now suggests for this project's new documents.")


def show_training(window) -> None:
    TrainDialog(window).exec()
