"""A filter per column from the table's header, as in Excel/WPS: right-click a heading
(or Alt+↓ in a cell) → the values with their counts for a choice field, a 从/到 range
for dates and numbers, 包含 text for the rest. Active filters are chips above the
table; × removes one. The filters themselves are ui.table_model's OneOf / Between /
Contains, applied with the page's other filters."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.specs import Field
from ui.row_view import Between, ColumnFilter, Contains, OneOf

BLANK = "（空白）"
MAX_VALUES = 2000  # a column with more distinct values gets a text box, not a list


def filter_style(f: Field) -> str:
    """"values", "range" or "text": what the header offers for this field."""
    if f.type.numeric or f.type.name == "date":
        return "range"
    if f.type.choice or f.type.is_ref or f.type.name == "bool":
        return "values"
    return "text"


class ColumnFilterDialog(QDialog):
    """Asks for one column's filter; `result_filter` is the ColumnFilter, or None for 清除."""

    def __init__(self, f: Field, values: list, current: ColumnFilter | None, parent=None):
        super().__init__(parent)
        self.f, self.result_filter, self.cleared = f, current, False
        self.setWindowTitle(f"筛选：{f.label}")
        self.setMinimumWidth(340)
        self.style = filter_style(f)
        counts = Counter(values)
        if self.style == "values" and len(counts) > MAX_VALUES:
            self.style = "text"
        lay = QVBoxLayout(self)
        if self.style == "values":
            self.find = QLineEdit(placeholderText="查找值…")
            self.find.textChanged.connect(self._find)
            self.list = QListWidget()
            self.list.setAccessibleName(f"{f.label}的值")
            ticked = current.values if isinstance(current, OneOf) else None
            listed = {v: i for i, v in enumerate(f.type.filter_choices(f))}  # the list's order
            ordered = sorted(counts, key=lambda v: (v in (None, ""), listed.get(v, len(listed)),
                                                    f.display(v)))
            for v in ordered:
                text = f.display(v) if v not in (None, "") else BLANK
                item = QListWidgetItem(f"{text}（{counts[v]}）", self.list)
                item.setData(Qt.UserRole, v)
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Checked if ticked is None or v in ticked
                                   else Qt.Unchecked)
            all_on, all_off = QPushButton("全选"), QPushButton("全不选")
            all_on.clicked.connect(lambda: self._tick_all(True))
            all_off.clicked.connect(lambda: self._tick_all(False))
            row = QHBoxLayout()
            row.addWidget(all_on)
            row.addWidget(all_off)
            row.addStretch(1)
            lay.addWidget(self.find)
            lay.addWidget(self.list)
            lay.addLayout(row)
        elif self.style == "range":
            form = QFormLayout()
            self.lo, self.hi = QLineEdit(), QLineEdit()
            hint = "如 2023-01-01" if f.type.name == "date" else "数字"
            for edit in (self.lo, self.hi):
                edit.setPlaceholderText(f"{hint}，留空为不限")
            if isinstance(current, Between):
                self.lo.setText(f.display(current.lo) if current.lo is not None else "")
                self.hi.setText(f.display(current.hi) if current.hi is not None else "")
            form.addRow("从：", self.lo)
            form.addRow("到：", self.hi)
            lay.addLayout(form)
        else:
            form = QFormLayout()
            self.text = QLineEdit(placeholderText="包含的文字")
            if isinstance(current, Contains):
                self.text.setText(current.raw)
            form.addRow("包含：", self.text)
            lay.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        buttons.addButton("确定", QDialogButtonBox.AcceptRole)
        clear = buttons.addButton("清除此列筛选", QDialogButtonBox.ResetRole)
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        clear.clicked.connect(self._clear)
        lay.addWidget(buttons)

    def _find(self, text: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(text) and text not in item.text())

    def _tick_all(self, on: bool) -> None:
        for i in range(self.list.count()):
            if not self.list.item(i).isHidden():
                self.list.item(i).setCheckState(Qt.Checked if on else Qt.Unchecked)

    def _clear(self) -> None:
        self.result_filter, self.cleared = None, True
        self.accept()

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _accept(self) -> None:
        try:
            self.result_filter = self.built()
        except ValueError as exc:
            self._fail(str(exc))
            return
        self.accept()

    def built(self) -> ColumnFilter | None:
        """The filter the answers make (None: nothing narrowed); ValueError(中文)."""
        if self.style == "values":
            items = [self.list.item(i) for i in range(self.list.count())]
            ticked = [it.data(Qt.UserRole) for it in items if it.checkState() == Qt.Checked]
            if len(ticked) == len(items):
                return None
            if not ticked:
                raise ValueError("请至少勾选一个值")
            flt = OneOf(ticked)
            flt.label = "、".join(self.f.display(v) or BLANK for v in ticked[:3]) + (
                f"等 {len(ticked)} 项" if len(ticked) > 3 else "")
            return flt
        if self.style == "range":
            ends = []
            for edit, name in ((self.lo, "起始值"), (self.hi, "结束值")):
                text = edit.text().strip()
                try:
                    ends.append(self.f.type.parse(self.f, text) if text else None)
                except ValueError as exc:
                    raise ValueError(f"{name}“{text}”：{exc}") from None
            lo, hi = ends
            if lo is None and hi is None:
                return None
            if lo is not None and hi is not None and lo > hi:
                raise ValueError("起始值不能大于结束值")
            show = self.f.display
            label = (f"{show(lo)}—{show(hi)}" if lo is not None and hi is not None
                     else f"≥ {show(lo)}" if lo is not None else f"≤ {show(hi)}")
            return Between(lo, hi, label)
        text = self.text.text().strip()
        return Contains(text) if text else None


class FilterChips(QWidget):
    """已筛选：[权力类型：行政处罚、行政检查 ×] [生效日期：≥ 2023-01-01 ×] [全部清除]"""

    removed = Signal(int)  # column
    cleared = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lay = QHBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.setSpacing(4)
        self.chips: dict[int, QToolButton] = {}
        self.hide()

    def show_filters(self, fields, filters: dict[int, ColumnFilter]) -> None:
        while self.lay.count():
            w = self.lay.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.chips = {}
        if not filters:
            self.hide()
            return
        self.lay.addWidget(QLabel("已筛选："))
        for column, flt in sorted(filters.items()):
            chip = QToolButton()
            chip.setText(f"{fields[column].label}：{flt.label}  ×")
            chip.setToolTip("去掉这一列的筛选")
            chip.setStyleSheet("QToolButton { border: 1px solid #4a7fc1; border-radius: 3px;"
                               " padding: 1px 6px; background: #e3ecf7; }")
            chip.clicked.connect(lambda _c=False, c=column: self.removed.emit(c))
            self.lay.addWidget(chip)
            self.chips[column] = chip
        clear = QToolButton()
        clear.setText("全部清除")
        clear.clicked.connect(self.cleared.emit)
        self.lay.addWidget(clear)
        self.lay.addStretch(1)
        self.show()
