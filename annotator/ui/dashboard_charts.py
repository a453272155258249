"""The dashboard's charts (ui.dashboard): pyqtgraph (MIT) draws them; each is saved as PNG or SVG.

Only ui.dashboard imports this module, and only once its figures are being counted, so pyqtgraph is
loaded while the queries run, and never by a window whose dashboard stays shut. Names from the project
(labels, speakers, annotators) are axis ticks, drawn as text; wherever pyqtgraph takes HTML (titles,
legends) they are escaped.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

from annotator.ui import opengl_stand_ins

opengl_stand_ins.install()  # before pyqtgraph: the bundle carries no OpenGL bindings

import pyqtgraph as pg  # noqa: E402
import pyqtgraph.exporters  # noqa: E402
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.ui.plain import plain_label

LONGEST_NAME = 28  # characters of a tick name; longer ones end in "…" (the full figures: stats --json)
BAR = "#5b8bd0"
INK = "#202020"
STATUS_STYLES = {"done": Qt.PenStyle.SolidLine, "in_progress": Qt.PenStyle.DashLine, "skipped": Qt.PenStyle.DotLine}
EMPTY = "No data yet"


def short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= LONGEST_NAME else name[: LONGEST_NAME - 1] + "…"


class Chart(QWidget):
    """One titled plot, a line of notes under it, and its Save… button."""

    def __init__(self, key: str, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"chart_{key}")
        self.key, self.title = key, title
        self.plot = pg.PlotWidget(self, background="w")
        self.plot.setObjectName(f"plot_{key}")
        self.plot.setMenuEnabled(False)  # pyqtgraph's own menu would offer its export dialog as well
        self.plot.setMouseEnabled(x=False, y=False)
        self.caption = plain_label(QLabel("", self))
        self.caption.setWordWrap(True)
        self.save_button = QPushButton("Save…", self)
        self.save_button.setObjectName(f"save_{key}")
        self.save_button.setToolTip("Save this chart as a PNG or SVG image")
        self.save_button.clicked.connect(self.ask_and_save)
        self.has_data = False
        below = QHBoxLayout()
        below.addWidget(self.caption, 1)
        below.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(below)
        self.message("Counting…")

    # --- drawing ------------------------------------------------------------------------------------------

    def reset(self, x_label: str = "", y_label: str = "") -> pg.PlotItem:
        item = self.plot.getPlotItem()
        item.clear()
        item.enableAutoRange()  # message() fixed the range
        if item.legend is not None:
            item.legend.scene().removeItem(item.legend)
            item.legend = None
        item.setTitle(html.escape(self.title), color=INK, size="11pt")
        for side, text in (("bottom", x_label), ("left", y_label)):
            axis = item.getAxis(side)
            axis.setPen(INK)
            axis.setTextPen(INK)
            axis.setTicks(None)
            item.setLabel(side, html.escape(text), color=INK)
            item.showAxis(side, True)
        item.getAxis("left").setWidth(None)  # fitting its numbers again, until name_rows sets it for names
        return item

    def message(self, text: str) -> None:
        """The chart's frame holds ``text`` alone (counting, or nothing to show) rather than empty axes."""
        item = self.reset()
        item.hideAxis("bottom")
        item.hideAxis("left")
        words = pg.TextItem(text, color=INK, anchor=(0.5, 0.5))
        item.addItem(words)
        words.setPos(0.5, 0.5)
        item.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.has_data = False

    def bars(self, names: list[str], values: list[float], x_label: str, top: float | None = None,
             number: str = "{:,}") -> None:
        """Horizontal bars, the first at the top, each name beside its bar and its value at its end."""
        if not names:
            self.message(EMPTY)
            return
        item = self.reset(x_label)
        rows = list(range(len(names) - 1, -1, -1))
        item.addItem(pg.BarGraphItem(x0=0, y=rows, height=0.7, width=values, brush=BAR, pen=None))
        self.name_rows(rows, names)
        for row, value in zip(rows, values):
            label = pg.TextItem(number.format(value), color=INK, anchor=(0, 0.5))
            item.addItem(label)
            label.setPos(value, row)
        widest = top if top is not None else max(values)
        item.setRange(xRange=(0, (widest or 1) * 1.18), yRange=(-0.6, len(names) - 0.4), padding=0)
        self.has_data = True

    def name_rows(self, rows: list[int], names: list[str]) -> None:
        """The names as the left axis's ticks, the axis as wide as the widest. pyqtgraph widens it by
        itself only when it paints, and leaves out the names that do not fit until then: a chart saved
        before it was first painted had bars without names."""
        axis = self.plot.getPlotItem().getAxis("left")
        ticks = [(row, short(name)) for row, name in zip(rows, names)]
        axis.setTicks([ticks])
        metrics = QFontMetrics(axis.style["tickFont"] or self.plot.font())
        axis.setWidth(max(metrics.horizontalAdvance(name) for _, name in ticks) + 16)

    # --- saving -------------------------------------------------------------------------------------------

    def ask_and_save(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, f"Save “{self.title}”", f"{self.key}.png", "PNG image (*.png);;SVG image (*.svg)"
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".png", ".svg"):
            path += ".svg" if "svg" in chosen.lower() else ".png"
        self.save(path)

    def save(self, path: str) -> None:
        """PNG or SVG by the file's suffix."""
        if Path(path).suffix.lower() == ".svg":
            self.save_svg(path)
            return
        item = self.plot.getPlotItem()
        exporter = pyqtgraph.exporters.ImageExporter(item)
        exporter.parameters()["width"] = max(1200, int(item.width()))  # sharp enough to print or put on a slide
        exporter.export(path)

    def save_svg(self, path: str) -> None:
        """The chart drawn by Qt's SVG generator. Not pyqtgraph's SVGExporter: with Qt 6.11 it fails on
        every plot (it reads each path's points as "x,y" pairs, and Qt now closes a rectangle's path
        with "Z"; pyqtgraph issue 3485), and its own step is a Qt SVG generator too."""
        view = self.plot.viewport().rect()
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(view.size())
        generator.setViewBox(view)
        generator.setTitle(self.title)
        painter = QPainter(generator)
        try:
            self.plot.render(painter)
        finally:
            painter.end()


def draw_labels(chart: Chart, found: list[dict]) -> None:
    chart.bars(_label_names(found), [row["spans"] for row in found], "spans")
    chart.caption.setText("Rejected suggestions are not counted." if found else "")


def draw_progress(chart: Chart, found: dict) -> None:
    series = found["series"]
    if not series:
        chart.message(EMPTY)
        chart.caption.setText("No one has set a document's status yet.")
        return
    item = chart.reset(y_label="documents (cumulative)")
    item.setAxisItems({"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)})
    item.getAxis("bottom").setPen(INK)
    item.getAxis("bottom").setTextPen(INK)
    item.addLegend(offset=(8, 8), labelTextColor=INK, brush=pg.mkBrush(255, 255, 255, 220))
    names = sorted({s["annotator"] for s in series})
    for entry in series:
        colour = pg.intColor(names.index(entry["annotator"]), hues=max(len(names), 3), values=1, maxValue=200)
        style = STATUS_STYLES.get(entry["status"], Qt.PenStyle.DashDotLine)
        days = [_day(day) for day, _ in entry["points"]]
        dots = len(days) <= 12  # a dot a day on a short line; on a long one they hide its dashes
        item.plot(days, [n for _, n in entry["points"]], pen=pg.mkPen(colour, width=2, style=style),
                  symbol="o" if dots else None, symbolSize=5, symbolBrush=colour, symbolPen=None,
                  name=html.escape(f"{entry['annotator']}: {entry['status'].replace('_', ' ')}"))
    chart.caption.setText("Each document counts on the day its annotator last set its status.")
    chart.has_data = True

def draw_speakers(chart: Chart, found: dict) -> None:
    chart.bars([row["speaker"] for row in found["speakers"]], [row["statements"] for row in found["speakers"]],
               "statements")
    notes = []
    if found["other_speakers"]:
        notes.append(f"{_many(found['other_speakers'], 'more speaker')} with {_many(found['other_statements'], 'statement')}")
    if found["without_speaker"]:
        notes.append(f"{_many(found['without_speaker'], 'statement')} without a speaker")
    chart.caption.setText("; ".join(notes) + ("." if notes else ""))

def draw_claims(chart: Chart, found: dict) -> None:
    """One bar per check-worthiness class, its parts the claim types, stacked."""
    classes, types = found["checkworthiness"], found["types"]
    if not found["counts"]:
        chart.message(EMPTY)
        chart.caption.setText("")
        return
    item = chart.reset("claims")
    item.addLegend(offset=(-8, 8), labelTextColor=INK, brush=pg.mkBrush(255, 255, 255, 220))
    counts = {(row["checkworthiness"], row["type"]): row["claims"] for row in found["counts"]}
    rows = list(range(len(classes) - 1, -1, -1))
    left = [0] * len(classes)
    for number, kind in enumerate(types):
        widths = [counts.get((bucket, kind), 0) for bucket in classes]
        colour = pg.intColor(number, hues=max(len(types), 3), values=1, maxValue=220, minValue=150)
        item.addItem(pg.BarGraphItem(x0=left, y=rows, height=0.7, width=widths, brush=colour, pen=None,
                                     name=html.escape(short(kind))))
        left = [a + b for a, b in zip(left, widths)]
    chart.name_rows(rows, classes)
    # room on the right for the legend (top right), so that it covers no bar
    item.setRange(xRange=(0, max(left) * 1.65), yRange=(-0.6, len(classes) - 0.4), padding=0)
    chart.caption.setText("Claim type from the claim's field, else its label.")
    chart.has_data = True

def draw_agreement(chart: Chart, found: dict) -> None:
    rows = found["labels"]
    chart.bars(_label_names(rows), [row["f1"] for row in rows], "F1 (1: the same spans)", top=1.0, number="{:.2f}")
    if rows:
        shared = found["note"] or f"{found['documents']:,} documents two or more of them worked on"
        chart.caption.setText(f"Annotators {', '.join(found['annotators'])}; {shared}.")
    else:
        chart.caption.setText((found["note"] or "no spans to compare").capitalize() + ".")


DRAW = {"progress": draw_progress, "labels": draw_labels, "speakers": draw_speakers, "claims": draw_claims,
        "agreement": draw_agreement}


def _label_names(rows: list[dict]) -> list[str]:
    """Label names, with their layer where two layers have a label of that name."""
    layers: dict[str, set[str]] = {}
    for row in rows:
        layers.setdefault(row["label"], set()).add(row["layer"])
    return [row["label"] if len(layers[row["label"]]) == 1 else f"{row['label']} ({row['layer']})" for row in rows]


def _day(day: str) -> float:
    """An ISO day as seconds since 1970 (UTC), what pyqtgraph's date axis reads."""
    return datetime.fromisoformat(day[:10]).replace(tzinfo=UTC).timestamp()


def _many(count: int, thing: str) -> str:
    """ "1 statement", "2,048 statements" """
    return f"{count:,} {thing}{'' if count == 1 else 's'}"
