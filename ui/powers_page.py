"""权责清单 page: the generic ledger page plus a summary strip, this year's 办件量
column and the yearly case-count dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolBar, QToolButton, QVBoxLayout

from app import powers
from app.services import RowSet
from app.specs import Field
from app.specs.powers import LIST_KINDS, POWER_TYPES, POWERS
from ui.case_counts_dialog import CaseCountsDialog
from ui.ledger_page import LedgerPage

CHIP = ("QToolButton { border: 1px solid #c9d3df; border-radius: 3px; padding: 2px 8px;"
        " background: #f4f7fb; } QToolButton:hover { background: #e3ecf7; }")
ZERO_CHIP = ("QToolButton { border: 1px solid #e3b4a8; border-radius: 3px; padding: 2px 8px;"
             " background: #fdf1ee; color: #a33a1f; }")


class SummaryStrip(QFrame):
    """合计, counts per list kind and per power type, and this year's zero-case items.
    Clicking a kind or type filters the table by it."""

    def __init__(self, page: PowersPage):
        super().__init__()
        self.page = page
        self.setFrameShape(QFrame.StyledPanel)
        self.setObjectName("summary")
        self.total = QLabel()
        self.total.setStyleSheet("font-weight: bold;")
        self.zero = QToolButton()
        self.zero.setStyleSheet(ZERO_CHIP)
        self.zero.setToolTip("本年度办件量为 0 或未填写的事项（已下放但未使用的权力）；点击按办件量排序")
        self.zero.clicked.connect(self._sort_by_cases)
        self.chips: dict[str, QToolButton] = {}
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        row1.addWidget(self.total)
        row1.addSpacing(12)
        row1.addWidget(QLabel("清单类别："))
        for k in LIST_KINDS:
            row1.addWidget(self._chip("list_kind", k))
        row1.addSpacing(12)
        row1.addWidget(self.zero)
        row1.addStretch(1)
        row2.addWidget(QLabel("权力类型："))
        for t in POWER_TYPES:
            row2.addWidget(self._chip("power_type", t))
        row2.addStretch(1)
        for row in (row1, row2):
            row.setSpacing(4)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(3)
        lay.addLayout(row1)
        lay.addLayout(row2)

    def _chip(self, field: str, value: str) -> QToolButton:
        b = QToolButton()
        b.setStyleSheet(CHIP)
        b.setCursor(Qt.PointingHandCursor)
        b.setToolTip(f"只显示{value}")
        b.setProperty("filter", (field, value))
        b.clicked.connect(self._chip_clicked)
        self.chips[value] = b
        return b

    def _chip_clicked(self) -> None:
        field, value = self.sender().property("filter")
        self.page.filter_by(field, value)

    def set_stats(self, stats: list[tuple[str, int]]) -> None:
        counts = dict(stats)
        self.total.setText(f"合计 {counts.get('合计', 0)} 项")
        for value, chip in self.chips.items():
            n = counts.get(value, 0)
            chip.setText(f"{value} {n}")
            chip.setVisible(n > 0 or value in LIST_KINDS)
        label, n = stats[-1]  # the zero-case line comes last
        self.zero.setText(f"{label} {n}")

    def _sort_by_cases(self) -> None:
        col = len(self.page.fields) - 1
        self.page.table.sortByColumn(col, Qt.AscendingOrder)


class PowersPage(LedgerPage):
    def __init__(self, db, parent=None, year: int | None = None):
        self.year = year or powers.this_year()
        super().__init__(db, POWERS, parent)

    def extra_fields(self) -> tuple[Field, ...]:
        return (Field("case_count", f"{self.year}年办件量", kind="int", width=11,
                      pdf_weight=1.5, form=False, hint="本年度办件量；点击“办件量”按钮按年份修改"),)

    def extend_rows(self, rowset: RowSet) -> list[tuple]:
        counts = powers.counts_for_year(self.db, self.year)
        return [r + (counts.get(i, 0),) for r, i in zip(rowset.rows, rowset.ids, strict=True)]

    def header_widget(self):
        self.strip = SummaryStrip(self)
        return self.strip

    def add_actions(self, toolbar: QToolBar) -> None:
        self.act_cases = self._action("办件量", self.edit_case_counts, "Ctrl+K",
                                      "按年份修改选中事项的办件量（Ctrl+K）")
        toolbar.addSeparator()

    def reload(self) -> None:
        super().reload()
        self.strip.set_stats(powers.stats(self.db, self.year))

    def _update_actions(self, *args) -> None:
        super()._update_actions(*args)
        if hasattr(self, "act_cases"):
            self.act_cases.setEnabled(self.table.currentIndex().isValid())

    def edit_case_counts(self) -> None:
        ix = self.table.currentIndex()
        if not ix.isValid():
            return
        name_col = [f.name for f in self.fields].index("name")
        dlg = CaseCountsDialog(self.db, self.model.row_id(ix.row()),
                               self.model.cell_text(ix.row(), name_col),
                               self.model.row_version(ix.row()), self)
        self.case_dialog = dlg
        dlg.setWindowModality(Qt.WindowModal)
        dlg.finished.connect(self._cases_closed)
        dlg.open()

    def _cases_closed(self, _result: int) -> None:
        dlg, self.case_dialog = self.case_dialog, None
        if dlg is None:
            return
        if dlg.saved:
            self.reload()
            self.message.emit("已保存办件量")
        dlg.deleteLater()
