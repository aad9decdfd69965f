"""Charts for reports.sections (reportlab graphics: vector drawings, no images), labelled
in the report's Chinese font."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

COLOURS = ["#2F5D8A", "#C0504D", "#9BBB59", "#8064A2", "#4BACC6", "#F79646",
           "#7F7F7F", "#1F7A5A", "#B8860B", "#6A5ACD", "#CD5C5C", "#2E8B57"]


def bar_chart(data: Sequence[tuple[str, float]], width: float, height: float,
              font: str) -> Drawing:
    """Vertical bars with their values on top; long or many labels slant."""
    labels = [str(label) for label, _ in data]
    values = [float(v or 0) for _, v in data]
    if not values:
        return _nothing(width, height, font)
    d = Drawing(width, height)
    chart = VerticalBarChart()
    slanted = len(labels) > 6 or max((len(s) for s in labels), default=0) > 6
    bottom = 22 * mm if slanted else 10 * mm
    chart.x, chart.y = 14 * mm, bottom
    chart.width, chart.height = width - 20 * mm, height - bottom - 6 * mm
    chart.data = [values]
    chart.bars[0].fillColor = colors.HexColor(COLOURS[0])
    chart.bars.strokeColor = None
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    if slanted:
        chart.categoryAxis.labels.angle = 35
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dy = -2
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    top = max(values, default=0)
    chart.valueAxis.valueMax = max(top * 1.15, 1)
    chart.barLabelFormat = "%d" if all(v == int(v) for v in values) else "%.1f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 6
    d.add(chart)
    return d


def line_chart(data: Sequence[tuple[str, object]], width: float, height: float, font: str,
               series: Sequence[str] = ()) -> Drawing:
    """A trend over categories (months): one line per value of a tuple, with a legend."""
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart

    rows = [v if isinstance(v, (tuple, list)) else (v,) for _, v in data]
    if not rows:
        return _nothing(width, height, font)
    lines = [[float(r[k] or 0) for r in rows] for k in range(len(rows[0]))]
    d = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 14 * mm, 10 * mm
    chart.width, chart.height = width - 20 * mm - (30 * mm if series else 0), height - 16 * mm
    chart.data = lines
    chart.categoryAxis.categoryNames = [str(label) for label, _ in data]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(max(max(x) for x in lines) * 1.15, 1)
    for k in range(len(lines)):
        chart.lines[k].strokeColor = colors.HexColor(COLOURS[k % len(COLOURS)])
        chart.lines[k].strokeWidth = 1.5
    d.add(chart)
    if series:
        legend = Legend()
        legend.x, legend.y = width - 30 * mm, height - 10 * mm
        legend.fontName, legend.fontSize = font, 8
        legend.colorNamePairs = [(colors.HexColor(COLOURS[k % len(COLOURS)]), name)
                                 for k, name in enumerate(series)]
        d.add(legend)
    return d


def pie_chart(data: Sequence[tuple[str, float]], width: float, height: float,
              font: str) -> Drawing:
    """Slices labelled “label n（p%）” at the sides."""
    values = [float(v or 0) for _, v in data]
    if sum(values) <= 0 or min(values) < 0:  # a pie of nothing (or of debts) cannot be drawn
        return _nothing(width, height, font)
    d = Drawing(width, height)
    pie = Pie()
    size = height - 14 * mm
    pie.width = pie.height = size
    pie.x, pie.y = (width - size) / 2, 7 * mm
    total = sum(values)
    pie.data = values
    pie.labels = [f"{label} {v:g}（{v * 100 / total:.0f}%）" for label, v in
                  zip((str(x) for x, _ in data), values, strict=True)]
    pie.simpleLabels = 0
    pie.slices.fontName = font
    pie.slices.fontSize = 8
    pie.slices.strokeColor = colors.white
    pie.slices.label_pointer_piePad = 4
    pie.sideLabels = 1
    for i in range(len(values)):
        pie.slices[i].fillColor = colors.HexColor(COLOURS[i % len(COLOURS)])
    d.add(pie)
    return d


def _nothing(width: float, height: float, font: str) -> Drawing:
    d = Drawing(width, height)
    d.add(String(width / 2, height / 2, "无数据", fontName=font, fontSize=12,
                 textAnchor="middle"))
    return d
