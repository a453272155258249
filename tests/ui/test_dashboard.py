"""Project ▸ Dashboard… in the real window: five charts drawn from the project, each saved as PNG or SVG,
names from the project shown as the characters they are; pyqtgraph loaded only when the dashboard opens."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from annotator.core.edits import Edit
from annotator.core.model import Document, Layer, Relation, Span, Status
from annotator.core.vocabulary import CHECKWORTHINESS, CLAIM_TYPE, SPEAKER, SPEAKER_LABEL, SPEAKER_TEXT
from annotator.store.documents import add_documents
from annotator.store.edits import apply_edit
from annotator.ui.menus import all_actions
from annotator.ui.plain import without_mnemonic

HOSTILE = '<img src="file:///dev/zero">'
TEXT = "Maria Lopez said prices will fall. The ministry spent 4 million on roads."


def span(words: str, label: str, layer: Layer = Layer.ENTITY, **attributes) -> Span:
    start = TEXT.index(words)
    return Span(start, start + len(words), label, layer, attributes=attributes)


@pytest.fixture
def project(project):
    first, second = add_documents(project, [Document(TEXT, title="One"), Document(TEXT + " ", title="Two")]).added
    for who in ("ana", HOSTILE):
        statement, speaker = span("prices will fall", "STATEMENT", Layer.STATEMENT), span("Maria Lopez", SPEAKER_LABEL)
        spans = [span("Maria Lopez", "PERSON"), statement, speaker,
                 span("The ministry spent 4 million on roads.", "CLAIM", Layer.CLAIM,
                      **{CHECKWORTHINESS: "check-worthy factual", CLAIM_TYPE: "numerical"})]
        for doc in (first, second):
            mine = tuple(s.with_changes(annotator=who, origin=who, document_id=doc.id, uid=f"{s.uid}{doc.id}")
                         for s in spans)
            link = Relation(mine[1].uid, mine[2].uid, SPEAKER)
            apply_edit(project, Edit(doc.id, after=mine, relations_after=(link,), annotator=who,
                                     status_after=Status.DONE))
    typed = span("prices will fall", "STATEMENT", Layer.STATEMENT, **{SPEAKER_TEXT: HOSTILE})
    apply_edit(project, Edit(first.id, after=(typed.with_changes(annotator="ana", document_id=first.id),),
                             annotator="ana"))
    return project


def open_dashboard(qtbot, window):
    from annotator.ui.dashboard import DashboardDialog

    action = next(a for a in all_actions(window.menuBar()) if without_mnemonic(a.text()) == "Dashboard…")
    action.trigger()
    dialog = window.findChild(DashboardDialog)
    qtbot.waitUntil(lambda: dialog.counted, timeout=15000)
    return dialog


def test_the_window_starts_without_pyqtgraph(project):
    """Loading it costs a third of a second: only the dashboard pays it."""
    script = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
              "from annotator.ui.application import app_settings; from annotator.ui.main_window import MainWindow; "
              "from annotator.store.project import open_project; "
              f"w = MainWindow(open_project({str(project.location)!r}), app_settings()); w.show(); app.processEvents(); "
              "print('pyqtgraph' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


def test_dashboard_draws_five_charts_and_saves_them(qtbot, window, tmp_path, monkeypatch):
    dialog = open_dashboard(qtbot, window)
    assert "pyqtgraph" in sys.modules
    assert set(dialog.charts) == {"progress", "labels", "speakers", "claims", "agreement"}
    assert all(chart.has_data for chart in dialog.charts.values())
    assert dialog.heading.text() == f"Project {window.project.name}"

    labels = dialog.charts["labels"].plot.getPlotItem().getAxis("left")
    # most used first (5 statements: 2 documents x 2 annotators and one more), then by layer and name
    assert [name for _, name in labels._tickLevels[0]] == ["STATEMENT", "CLAIM", "PERSON", "SPEAKER"]
    speakers = dialog.charts["speakers"].plot.getPlotItem().getAxis("left")
    assert [name for _, name in speakers._tickLevels[0]] == ["Maria Lopez", HOSTILE]  # as written, as text
    legend = dialog.charts["progress"].plot.getPlotItem().legend
    shown = [label.item.toPlainText() for _, label in legend.items]
    assert f"{HOSTILE}: done" in shown  # escaped for pyqtgraph's HTML, so shown as the name it is

    saved = {"labels": tmp_path / "labels.png", "claims": tmp_path / "claims"}
    for key, path in saved.items():
        chosen = "SVG image (*.svg)" if key == "claims" else "PNG image (*.png)"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, p=path, c=chosen: (str(p), c))
        dialog.charts[key].save_button.click()
    image = QImage(str(saved["labels"]))
    assert not image.isNull() and image.width() >= 1000 and image.height() > 300
    svg = ET.parse(tmp_path / "claims.svg").getroot()  # no suffix given: the chosen type's
    assert svg.tag.endswith("svg")
    words = " ".join(t.strip() for t in svg.itertext())
    assert "check-worthy factual" in words and "numerical" in words
    dialog.close()


def test_save_all_writes_every_chart_as_png_and_svg_into_a_folder_for_a_report(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    dialog = open_dashboard(qtbot, window)
    report = tmp_path / "report"
    report.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(report))
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Save &All Charts…")
    button.click()
    names = sorted(path.name for path in report.iterdir())
    assert names == sorted(f"dashboard-{key}{suffix}" for key in dialog.charts for suffix in (".png", ".svg"))
    for key in dialog.charts:
        assert not QImage(str(report / f"dashboard-{key}.png")).isNull()
        assert ET.parse(report / f"dashboard-{key}.svg").getroot().tag.endswith("svg")
    assert dialog.heading.text() == f"10 files written to {report}"
    dialog.close()


def test_an_empty_project_says_no_data_yet(qtbot, show_window, tmp_path):
    from annotator.store.project import open_project

    empty = open_project(tmp_path / "empty.annotator.sqlite")
    window = show_window(empty, annotator="ana")
    dialog = open_dashboard(qtbot, window)
    for chart in dialog.charts.values():
        assert not chart.has_data
        texts = [item for item in chart.plot.getPlotItem().items if hasattr(item, "textItem")]
        assert [item.textItem.toPlainText() for item in texts] == ["No data yet"]
    dialog.close()
    empty.close()


def test_closing_the_dashboard_while_it_counts_leaves_the_window_s_workers_able_to_go_idle(
        qtbot, window, monkeypatch):
    """Closing lets go of the dialog's own slots only: the window still hears each count finish, so what waits
    for its workers to be idle (a project switch, a backup restore) still runs."""
    import threading

    from annotator.ui import dashboard

    gate = threading.Event()

    def held(figure):
        def count(project):
            gate.wait(15)
            return figure(project)
        return count

    monkeypatch.setattr(dashboard, "FIGURES", {key: held(figure) for key, figure in dashboard.FIGURES.items()})
    dialog = dashboard.show_dashboard(window)
    dialog.close()  # at once, while every count still runs
    idle = []
    window.workers.when_idle(lambda: idle.append(True))
    assert not idle
    gate.set()
    qtbot.waitUntil(lambda: idle == [True], timeout=15000)
    assert not dialog.figures  # no result reached the closed dialog
