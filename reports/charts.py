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
