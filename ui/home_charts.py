"""The home page's charts (Qt Charts) over the rectification ledger, from app.dashboard's
reads: completion by community, problems by aspect, the monthly trend. A click on a bar
or slice asks for the rows behind it (`clicked(ledger, where)`)."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

FIXED, OPEN, FOUND, CLOSED = "#2e7d32", "#e0a030", "#1565c0", "#2e7d32"
ASPECT_COLOURS = ("#1565c0", "#2e7d32", "#f9a825", "#6a1b9a", "#c62828", "#00838f", "#5d4037")


def _chart(title: str) -> QChart:
    chart = QChart()
    font = QFont(QApplication.font())
    chart.setFont(font)
    bold = QFont(font)
    bold.setBold(True)
    chart.setTitle(title)
    chart.setTitleFont(bold)
    chart.setAnimationOptions(QChart.NoAnimation)  # a screenshot shows the whole chart
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setFont(font)
    chart.legend().setAlignment(Qt.AlignBottom)
    chart.setBackgroundRoundness(3)
    return chart


def _axis_font(axis) -> None:
    """A size smaller than the text: eleven community names and twelve months fit the
    axes of a 1366-wide screen (Qt Charts elides labels that would touch to “…”)."""
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * 0.85)
    axis.setLabelsFont(font)
    axis.setTruncateLabels(False)  # a short name or “10月” whole, never “…”


def _view(chart: QChart, name: str) -> QChartView:
    view = QChartView(chart)
    view.setObjectName(name)
    view.setRenderHint(QPainter.Antialiasing)
    view.setMinimumHeight(300)
    view.setFocusPolicy(Qt.NoFocus)  # the figures and the to-do list take the keyboard
    return view


def short_name(community: str) -> str:
    """钟鼓楼社区 → 钟鼓楼: eleven names fit under the bars."""
    return community.removesuffix("社区") or community


class HomeCharts(QWidget):
    clicked = Signal(str, dict)  # ledger key, filter

    def __init__(self, parent=None):
        super().__init__(parent)
        self.communities: list[str] = []
        self.aspects: list[str] = []
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.completion = _view(_chart("各社区整改完成情况"), "chart_completion")
        self.aspect = _view(_chart("问题类别分布"), "chart_aspect")
        self.trend = _view(_chart("近12个月发现与销号"), "chart_trend")
        lay.addWidget(self.completion, 3)
        lay.addWidget(self.aspect, 2)
        lay.addWidget(self.trend, 3)

    def set_data(self, completion: list[tuple[str, int, int]], aspects: list[tuple[str, int]],
                 trend: list[tuple[str, int, int]]) -> None:
        self._completion(completion)
        self._aspects(aspects)
        self._trend(trend)

    def _reset(self, view: QChartView) -> QChart:
        chart = view.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        return chart

    def _completion(self, rows: list[tuple[str, int, int]]) -> None:
        chart = self._reset(self.completion)
        rows = rows[::-1]  # a horizontal bar chart draws its first category at the bottom
        self.communities = [name for name, _t, _f in rows]
        done, left = QBarSet("已整改"), QBarSet("未整改")
        done.setColor(QColor(FIXED))
        left.setColor(QColor(OPEN))
        for _name, total, fixed in rows:
            done.append(fixed)
            left.append(total - fixed)
        series = QHorizontalStackedBarSeries()  # eleven names read across, not cut
        series.append(done)
        series.append(left)
        series.clicked.connect(self._community_clicked)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([short_name(n) for n in self.communities])
        _axis_font(names)
        counts = QValueAxis()
        counts.setLabelFormat("%d")
        counts.setRange(0, max([t for _n, t, _f in rows] or [1]))
        counts.applyNiceNumbers()
        _axis_font(counts)
        chart.addAxis(names, Qt.AlignLeft)
        chart.addAxis(counts, Qt.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(counts)
        rate = [f"{short_name(n)} {100 * f / t:.1f}%" for n, t, f in rows if t]
        self.completion.setToolTip("完成率：" + "，".join(rate) if rate else "")

    def _community_clicked(self, index: int, _barset) -> None:
        if 0 <= index < len(self.communities):
            self.clicked.emit("rectification", {"community_id": self.communities[index]})

    def _aspects(self, rows: list[tuple[str, int]]) -> None:
        chart = self._reset(self.aspect)
        self.aspects = [name for name, _n in rows]
        series = QPieSeries()
        total = sum(n for _a, n in rows) or 1
        for i, (name, n) in enumerate(rows):
            piece = series.append(f"{name} {n}", n)
            piece.setProperty("share", f"{100 * n / total:.1f}%")
            piece.setColor(QColor(ASPECT_COLOURS[i % len(ASPECT_COLOURS)]))
            piece.setProperty("aspect", name)
        series.setPieSize(0.7)
        self.aspect.setToolTip("，".join(f"{s.label()}（{s.property('share')}）"
                                        for s in series.slices()))
        series.clicked.connect(self._aspect_clicked)
        chart.addSeries(series)
        chart.legend().setAlignment(Qt.AlignRight)

    def _aspect_clicked(self, piece) -> None:
        aspect = piece.property("aspect")
        if aspect:
            self.clicked.emit("rectification", {"aspect": aspect})

    def _trend(self, rows: list[tuple[str, int, int]]) -> None:
        chart = self._reset(self.trend)
        found, closed = QLineSeries(), QLineSeries()
        found.setName("发现问题")
        closed.setName("销号")
        found.setColor(QColor(FOUND))
        closed.setColor(QColor(CLOSED))
        for i, (_month, f, c) in enumerate(rows):
            found.append(i, f)
            closed.append(i, c)
        chart.addSeries(found)
        chart.addSeries(closed)
        x = QBarCategoryAxis()
        x.append([f"{int(m[5:])}月" for m, _f, _c in rows])
        _axis_font(x)
        y = QValueAxis()
        y.setLabelFormat("%d")
        y.setRange(0, max([max(f, c) for _m, f, c in rows] or [1]) or 1)
        y.applyNiceNumbers()
        _axis_font(y)
        chart.addAxis(x, Qt.AlignBottom)
        chart.addAxis(y, Qt.AlignLeft)
        for s in (found, closed):
            s.attachAxis(x)
            s.attachAxis(y)
            s.setPointsVisible(True)
