"""The summary strip above a ledger's table: its declared figures (app.specs.figures) as
chips in bands; a click on a chip shows the rows behind the figure (a second click on
the same chip shows all rows again)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout

from app.specs.figures import FigureValue
from ui.flow_layout import FlowLayout

CHIP = ("QToolButton { border: 1px solid #c9d3df; border-radius: 3px; padding: 2px 8px;"
        " background: #f4f7fb; } QToolButton:hover { background: #e3ecf7; }"
        " QToolButton:checked { background: #cfe0f5; border-color: #4a7fc1; }")
WARN_CHIP = ("QToolButton { border: 1px solid #e3b4a8; border-radius: 3px; padding: 2px 8px;"
             " background: #fdf1ee; color: #a33a1f; } QToolButton:checked {"
             " background: #f7d5cc; border-color: #a33a1f; }")
MAX_CHIPS = 14  # a band with more values (every office) stays in 统计 and the PDF


class FiguresStrip(QFrame):
    clicked = Signal(dict)  # the figure's filter: field → value ({} = all rows)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setObjectName("summary")
        self.total = QLabel()
        self.total.setStyleSheet("font-weight: bold;")
        self.chips: dict[str, QToolButton] = {}  # by label
        self._rows: dict[str, FlowLayout] = {}
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(8, 4, 8, 4)
        self.lay.setSpacing(3)
        self.values: list[FigureValue] = []

    def set_figures(self, values: list[FigureValue]) -> None:
        self.values = values
        bands: dict[str, list[FigureValue]] = {}
        for v in values:
            if v.strip:
                bands.setdefault(v.group, []).append(v)
        seen = set()
        for n, (group, figs) in enumerate(bands.items()):
            if len(figs) > MAX_CHIPS:
                continue
            row = self._row(group, n == 0)
            for v in figs:
                if not v.where and n == 0:
                    self.total.setText(f"{v.label} {v.text} 项")
                    continue
                chip = self.chips.get(v.label)
                if chip is None:
                    chip = self.chips[v.label] = self._chip(v)
                    row.addWidget(chip)
                chip.setProperty("where", v.where)
                chip.setText(f"{v.label} {v.text}")
                chip.setVisible(bool(v.value) or not v.optional)
                seen.add(v.label)
        for label, chip in self.chips.items():
            if label not in seen:
                chip.hide()
        self.total.setVisible(bool(self.total.text()))  # no gap before a first chip

    def _row(self, group: str, first: bool) -> FlowLayout:
        """A band's chips, wrapping onto more lines when the page is narrow."""
        row = self._rows.get(group)
        if row is None:
            row = self._rows[group] = FlowLayout()
            if first:
                self.total.setContentsMargins(0, 0, 8, 0)
                row.addWidget(self.total)
            else:
                row.addWidget(QLabel(f"{group.removeprefix('按')}："))
            self.lay.addLayout(row)
        return row

    def _chip(self, v: FigureValue) -> QToolButton:
        b = QToolButton()
        b.setStyleSheet(WARN_CHIP if v.tone == "warn" else CHIP)
        b.setCursor(Qt.PointingHandCursor)
        b.setCheckable(True)
        b.setToolTip(v.hint or f"只显示{v.label}的记录")
        b.clicked.connect(self._chip_clicked)
        return b

    def _chip_clicked(self) -> None:
        chip = self.sender()
        where = chip.property("where") or {}
        self.clicked.emit(dict(where) if chip.isChecked() else {})

    def mark(self, where: dict) -> None:
        """Check the chip whose filter is `where` (the page's current filter), no other."""
        for chip in self.chips.values():
            chip.setChecked(bool(where) and (chip.property("where") or {}) == where)
