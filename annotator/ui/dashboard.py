"""Project ▸ Dashboard…: the project's figures (services.dashboard) as five charts, each saved as PNG or SVG.

Each figure is counted by its own worker, so that SQLite's reads (which let go of Python's lock) run
side by side on the machine's cores; the charts (ui.dashboard_charts, and with them pyqtgraph) are
imported and built while the first queries run. On the 100,000-document benchmark project the whole
dashboard stands in under a second. ui.menus imports this module only when the dashboard is asked for.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QGridLayout, QLabel, QVBoxLayout

from annotator.services import dashboard
from annotator.ui.plain import plain_label
from annotator.ui.workers import Worker

TOP = 15  # speakers shown
TITLES = {  # in the grid's order; agreement, the widest (a bar a label), takes the last two cells
    "progress": "Progress: documents by status, per annotator",
    "labels": "Spans per label",
    "speakers": f"Statements per speaker (top {TOP})",
    "claims": "Claims by check-worthiness and type",
    "agreement": "Agreement per label (overlap F1)",
}
# The dearest first: the pool runs as many at once as there are cores, the rest wait their turn.
FIGURES = {
    "agreement": dashboard.agreement_per_label,
    "labels": dashboard.labels,
    "speakers": lambda project: dashboard.speakers(project, TOP),
    "progress": dashboard.progress,
    "claims": dashboard.claims,
}


def show_dashboard(window) -> DashboardDialog:
    """Open the dashboard (the one already open, if any) and count the open project."""
    dialog = next((d for d in window.findChildren(DashboardDialog) if d.isVisible()), None)
    if dialog is None:
        dialog = DashboardDialog(window)
        dialog.start()
        dialog.build_charts()
        dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _count(figure, project, progress=None, cancel=None):  # a Worker passes progress and cancel
    return figure(project)


class DashboardDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("dashboardDialog")
        self.setWindowTitle("Dashboard")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.main = window
        self.workers: list[tuple[Worker, object]] = []  # each worker with the one slot this dialog connected
        self.figures: dict = {}  # key -> the figure's data, as it arrives
        self.charts: dict = {}  # key -> dashboard_charts.Chart
        self.heading = plain_label(QLabel("Counting the project's documents, spans and statuses…", self))
        self.heading.setObjectName("dashboardHeading")
        self.grid = QGridLayout()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        save_all = buttons.addButton("Save &All Charts…", QDialogButtonBox.ButtonRole.ActionRole)
        save_all.setToolTip("Every chart as a PNG and an SVG file, into one folder: ready for a report")
        save_all.clicked.connect(self.ask_and_save_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.grid, 1)
        layout.addWidget(buttons)
        self.resize(1400, 860)

    def start(self) -> None:
        """Count each figure on a worker. Results come back through the event loop, so none arrives
        before build_charts, called next, has made the charts."""
        for key, figure in FIGURES.items():
            worker = Worker(_count, figure, self.main.project)
            slot = lambda found, key=key: self.show_figure(key, found)  # noqa: E731 (kept to disconnect it alone)
            worker.signals.finished.connect(slot)
            worker.signals.failed.connect(self._failed)  # a bound method: Qt drops it with the dialog
            self.workers.append((worker, slot))
            self.main.workers.start(worker)

    def build_charts(self) -> None:
        from annotator.ui.dashboard_charts import Chart  # pyqtgraph: only now, while the queries run

        for place, (key, title) in enumerate(TITLES.items()):
            self.charts[key] = Chart(key, title, self)
            self.grid.addWidget(self.charts[key], place // 3, place % 3, 1, 2 if key == "agreement" else 1)

    def ask_and_save_all(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save all charts into a folder")
        if folder:
            written = self.save_all(Path(folder))
            self.heading.setText(f"{len(written)} files written to {folder}")

    def save_all(self, folder: Path) -> list[Path]:
        """Each chart as <chart>.png and <chart>.svg in ``folder``; a file of that name is replaced."""
        written = []
        for key, chart in self.charts.items():
            for suffix in (".png", ".svg"):
                target = folder / f"dashboard-{key}{suffix}"
                chart.save(str(target))
                written.append(target)
        return written

    def closeEvent(self, event) -> None:
        """Counts still running are let go: their results must not reach charts that are gone. Only this
        dialog's slot is disconnected: the window's Workers must still hear each count finish."""
        for worker, slot in self.workers:
            worker.signals.finished.disconnect(slot)
        super().closeEvent(event)

    def _failed(self, message: str, _details: str) -> None:
        self.heading.setText(f"Could not count everything: {message}")

    def show_figure(self, key: str, found) -> None:
        from annotator.ui.dashboard_charts import DRAW

        self.figures[key] = found
        DRAW[key](self.charts[key], found)
        if self.counted:
            self.heading.setText(f"Project {self.main.project.name}")

    @property
    def counted(self) -> bool:
        return self.figures.keys() == FIGURES.keys()
